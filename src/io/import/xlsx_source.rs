//! Workbooks (.xlsx, .xls) through calamine. The file's first bytes decide the
//! format, so a truncated file or a non-Excel file named `.xlsx` is refused
//! with a clear reason before any parsing.

use super::table::{Cell, RawRow, RawSheet};
use calamine::{Data, Reader, Sheets, Xls, Xlsx, open_workbook_from_rs};
use std::io::Cursor;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes start like a workbook (zip for .xlsx, OLE for .xls).
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC)
}

/// Every sheet of a workbook: its name, and its rows when `wanted(name)`.
pub fn read_workbook(bytes: Vec<u8>, wanted: impl Fn(&str) -> bool) -> Result<Vec<RawSheet>, String> {
    let mut book: Sheets<Cursor<Vec<u8>>> = if bytes.starts_with(ZIP_MAGIC) {
        Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).map_err(broken)?)
    } else if bytes.starts_with(CFB_MAGIC) {
        Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)).map_err(broken)?)
    } else {
        return Err("不是 Excel 工作簿（文件内容不是 .xlsx 或 .xls 格式）".to_string());
    };
    let mut out = Vec::new();
    for name in book.sheet_names() {
        if !wanted(&name) {
            out.push(RawSheet { name, rows: Vec::new() });
            continue;
        }
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("工作表「{name}」无法读取：{e}"))?;
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
        out.push(RawSheet { name, rows });
    }
    Ok(out)
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
