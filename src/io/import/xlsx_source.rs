//! Workbooks (.xlsx, .xls) through calamine. The file's first bytes decide the
//! format, so a truncated file or a non-Excel file named `.xlsx` is refused
//! with a clear reason before any parsing.

use super::table::{Cell, RawRow, RawSheet};
use calamine::{Data, DataRef, Reader, Xls, Xlsx, XlsxError, open_workbook_from_rs};
use std::io::Cursor;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes start like a workbook (zip for .xlsx, OLE for .xls).
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC)
}

/// Every sheet of a workbook: its name, and its rows when `wanted(name)`.
pub fn read_workbook(bytes: Vec<u8>, wanted: impl Fn(&str) -> bool) -> Result<Vec<RawSheet>, String> {
    if bytes.starts_with(ZIP_MAGIC) {
        let book = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).map_err(broken)?;
        sheets(book, wanted, xlsx_rows)
    } else if bytes.starts_with(CFB_MAGIC) {
        let book = open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)).map_err(broken)?;
        sheets(book, wanted, xls_rows)
    } else {
        Err("不是 Excel 工作簿（文件内容不是 .xlsx 或 .xls 格式）".to_string())
    }
}

/// The sheets of an open workbook, read by `rows` (one way per format).
fn sheets<B, E: std::fmt::Display>(
    mut book: B,
    wanted: impl Fn(&str) -> bool,
    rows: fn(&mut B, &str) -> Result<Vec<RawRow>, E>,
) -> Result<Vec<RawSheet>, String>
where
    B: Reader<Cursor<Vec<u8>>>,
{
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let rows = if wanted(&name) {
                rows(&mut book, &name).map_err(|e| unreadable(&name, e))?
            } else {
                Vec::new()
            };
            Ok(RawSheet { name, rows })
        })
        .collect()
}

/// An .xlsx sheet's cells straight from its XML into rows, keeping Excel's
/// row and column positions (no intermediate range of owned values).
fn xlsx_rows(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Result<Vec<RawRow>, XlsxError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut rows: Vec<RawRow> = Vec::new();
    let mut in_order = true;
    // Rows of a sheet are about as wide as each other: size each new one so.
    let mut width = 0;
    while let Some(found) = reader.next_cell()? {
        let value = cell_ref(found.get_value());
        if value == Cell::Empty {
            continue;
        }
        let (row, column) = found.get_position();
        let line = row + 1;
        let at = match rows.last() {
            Some(last) if last.line == line => rows.len() - 1,
            _ => match rows.iter().rposition(|r| r.line == line) {
                Some(i) => i,
                None => {
                    in_order &= rows.last().is_none_or(|last| last.line < line);
                    rows.push(RawRow {
                        line,
                        cells: Vec::with_capacity(width),
                    });
                    rows.len() - 1
                }
            },
        };
        let cells = &mut rows[at].cells;
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
            width = width.max(column + 1);
        }
        cells[column] = value;
    }
    // Rows are written in order; a file that does not is read the same.
    if !in_order {
        rows.sort_by_key(|r| r.line);
    }
    rows.retain(|r| !r.is_blank());
    Ok(rows)
}

/// An .xls sheet through calamine's range.
fn xls_rows(book: &mut Xls<Cursor<Vec<u8>>>, name: &str) -> Result<Vec<RawRow>, calamine::XlsError> {
    let range = book.worksheet_range(name)?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Columns left of the used range are empty: keep positions absolute.
        let mut cells = vec![Cell::Empty; left as usize];
        cells.extend(row.iter().map(cell));
        let raw = RawRow {
            line: top + i as u32 + 1,
            cells,
        };
        if !raw.is_blank() {
            rows.push(raw);
        }
    }
    Ok(rows)
}

fn unreadable(name: &str, e: impl std::fmt::Display) -> String {
    format!("工作表「{name}」无法读取：{e}")
}

fn broken(e: impl std::fmt::Display) -> String {
    format!("文件已损坏或不完整，无法作为 Excel 工作簿打开（{e}）")
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(d) => Cell::Date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e:?}")),
    }
}

/// The same reading as `cell`, for a value borrowed from the workbook's strings.
fn cell_ref(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        DataRef::DateTime(d) => Cell::Date(d.as_f64()),
        DataRef::Error(e) => Cell::Error(format!("{e:?}")),
    }
}
