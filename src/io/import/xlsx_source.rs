//! Workbooks (.xlsx, .xls) through calamine. The file's first bytes decide the
//! format, so a truncated file or a non-Excel file named `.xlsx` is refused
//! with a clear reason before any parsing.

use super::limits;
use super::table::{Cell, RawRow, RawSheet, ReadError};
use calamine::{Data, DataRef, Reader, Xls, Xlsx, XlsxError, open_workbook_from_rs};
use std::collections::HashMap;
use std::io::Cursor;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes start like a workbook (zip for .xlsx, OLE for .xls).
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC)
}

/// Every sheet of a workbook: its name, and its rows when `wanted(name)`.
/// The workbook's declared sizes are checked against `limits` before it is
/// opened, and every cell against them as it is read; an error names the
/// cell where there is one.
pub fn read_workbook(bytes: Vec<u8>, wanted: impl Fn(&str) -> bool) -> Result<Vec<RawSheet>, ReadError> {
    let mut budget = Budget::default();
    if bytes.starts_with(ZIP_MAGIC) {
        check_zip(&bytes)?;
        let book = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).map_err(broken)?;
        sheets(book, wanted, |book, name| xlsx_rows(book, name, &mut budget))
    } else if bytes.starts_with(CFB_MAGIC) {
        super::xls_check::check(&bytes)?;
        let book = open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)).map_err(broken)?;
        sheets(book, wanted, |book, name| xls_rows(book, name, &mut budget))
    } else {
        Err(ReadError::file("不是 Excel 工作簿（文件内容不是 .xlsx 或 .xls 格式）"))
    }
}

/// The zip directory of an .xlsx: how many parts and how large each is once
/// decompressed, as declared. The zip reader never inflates a part past its
/// declared size (it fails instead), so these figures bound what opening the
/// workbook can take.
fn check_zip(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    if zip.len() > limits::MAX_ZIP_ENTRIES {
        return Err(ReadError::file(format!(
            "工作簿的压缩包中有 {} 个部件，超过 {} 个的上限，不像是正常的 Excel 文件",
            zip.len(),
            limits::MAX_ZIP_ENTRIES
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(broken)?;
        let size = part.size();
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") && size > limits::MAX_SHARED_STRINGS_BYTES {
            return Err(ReadError::file(format!(
                "工作簿的文字内容解压后有 {}，超过 {} 的上限（可能是恶意构造的压缩文件）",
                limits::megabytes(size),
                limits::megabytes(limits::MAX_SHARED_STRINGS_BYTES)
            )));
        }
        total = total.saturating_add(size);
    }
    if total > limits::MAX_UNZIPPED_BYTES {
        return Err(ReadError::file(format!(
            "工作簿解压后有 {}，超过 {} 的上限（可能是恶意构造的压缩文件，即“压缩炸弹”）",
            limits::megabytes(total),
            limits::megabytes(limits::MAX_UNZIPPED_BYTES)
        )));
    }
    Ok(())
}

/// What the cells read so far have used of the file's allowance.
#[derive(Default)]
struct Budget {
    cells: usize,
}

impl Budget {
    /// Counts one cell with content at (`row`, `column`) (0-based) of `sheet`
    /// holding `value`; refuses it when it breaks a cap.
    fn take(&mut self, sheet: &str, row: u32, column: u32, value: &Cell) -> Result<(), ReadError> {
        let at = |reason: String| ReadError::at(sheet, row + 1, limits::column_letters(column), reason);
        if column >= limits::MAX_COLUMNS {
            return Err(at(format!(
                "单元格 {}{} 有内容，超出 {} 列（{} 列）的上限；请删除表格右侧多余的内容后再导入",
                limits::column_letters(column),
                u64::from(row) + 1,
                limits::MAX_COLUMNS,
                limits::column_letters(limits::MAX_COLUMNS - 1)
            )));
        }
        if let Cell::Text(t) = value
            && t.len() > limits::MAX_CELL_CHARS
            && t.chars().count() > limits::MAX_CELL_CHARS
        {
            return Err(at(format!(
                "单元格中的文字有 {} 个字符，超过 {} 个的上限",
                t.chars().count(),
                limits::MAX_CELL_CHARS
            )));
        }
        self.cells += 1;
        if self.cells > limits::MAX_CELLS {
            return Err(at(format!(
                "文件中有内容的单元格超过 {} 个的上限，读到此处停止",
                limits::MAX_CELLS
            )));
        }
        Ok(())
    }
}

/// Refuses a sheet with more rows with content than `limits::MAX_ROWS`.
fn check_rows(sheet: &str, rows: usize, line: u32) -> Result<(), ReadError> {
    if rows > limits::MAX_ROWS {
        return Err(ReadError::at(
            sheet,
            line,
            String::new(),
            format!("工作表的数据行超过 {} 行的上限，读到此处停止", limits::MAX_ROWS),
        ));
    }
    Ok(())
}

/// The sheets of an open workbook, read by `rows` (one way per format).
fn sheets<B>(
    mut book: B,
    wanted: impl Fn(&str) -> bool,
    mut rows: impl FnMut(&mut B, &str) -> Result<Vec<RawRow>, ReadError>,
) -> Result<Vec<RawSheet>, ReadError>
where
    B: Reader<Cursor<Vec<u8>>>,
{
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let rows = if wanted(&name) {
                rows(&mut book, &name)?
            } else {
                Vec::new()
            };
            Ok(RawSheet { name, rows })
        })
        .collect()
}

/// An .xlsx sheet's cells straight from its XML into rows, keeping Excel's
/// row and column positions (no intermediate range of owned values, no grid:
/// a row is as long as its last cell with content). Linear in the cells: a
/// row is found by its number in a map, never by a scan of the rows so far.
fn xlsx_rows(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str, budget: &mut Budget) -> Result<Vec<RawRow>, ReadError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(unreadable(name, e)),
    };
    let mut rows: Vec<RawRow> = Vec::new();
    let mut index: HashMap<u32, usize> = HashMap::new();
    let mut in_order = true;
    // Rows of a sheet are about as wide as each other: size each new one so.
    let mut width = 0;
    while let Some(found) = reader.next_cell().map_err(|e| unreadable(name, e))? {
        let value = cell_ref(found.get_value());
        if value == Cell::Empty {
            continue;
        }
        let (row, column) = found.get_position();
        budget.take(name, row, column, &value)?;
        let line = row.saturating_add(1);
        let at = match rows.last() {
            Some(last) if last.line == line => rows.len() - 1,
            _ => match index.get(&line) {
                Some(&i) => i,
                None => {
                    in_order &= rows.last().is_none_or(|last| last.line < line);
                    check_rows(name, rows.len() + 1, line)?;
                    rows.push(RawRow {
                        line,
                        cells: Vec::with_capacity(width),
                    });
                    index.insert(line, rows.len() - 1);
                    rows.len() - 1
                }
            },
        };
        let cells = &mut rows[at].cells;
        // `column` < MAX_COLUMNS (checked by the budget): the row stays small.
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

/// An .xls sheet through calamine's range (its size already checked by
/// `xls_check` before the workbook was opened).
fn xls_rows(book: &mut Xls<Cursor<Vec<u8>>>, name: &str, budget: &mut Budget) -> Result<Vec<RawRow>, ReadError> {
    let range = book.worksheet_range(name).map_err(|e| unreadable(name, e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = top.saturating_add(i as u32).saturating_add(1);
        // Columns left of the used range are empty: keep positions absolute.
        let mut cells = vec![Cell::Empty; (left as usize).min(limits::MAX_COLUMNS as usize)];
        for (j, data) in row.iter().enumerate() {
            let value = cell(data);
            if value == Cell::Empty {
                cells.push(value);
                continue;
            }
            budget.take(name, line - 1, left.saturating_add(j as u32), &value)?;
            cells.push(value);
        }
        // Trailing empties (the range is as wide as its widest row) are not kept.
        while cells.last() == Some(&Cell::Empty) {
            cells.pop();
        }
        let raw = RawRow { line, cells };
        if !raw.is_blank() {
            check_rows(name, rows.len() + 1, line)?;
            rows.push(raw);
        }
    }
    Ok(rows)
}

fn unreadable(name: &str, e: impl std::fmt::Display) -> ReadError {
    ReadError::file(format!("工作表「{name}」无法读取：{e}"))
}

fn broken(e: impl std::fmt::Display) -> ReadError {
    ReadError::file(format!("文件已损坏或不完整，无法作为 Excel 工作簿打开（{e}）"))
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
