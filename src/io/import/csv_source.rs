//! CSV files: UTF-8 (with or without BOM), GBK/GB18030 as Excel writes it on
//! Chinese Windows, or UTF-16 "Unicode text" — detected, never asked.

use super::limits;
use super::table::{Cell, RawRow, RawSheet, ReadError};

/// Why a file with NUL bytes is no CSV file.
pub const BINARY: &str = "文件含有二进制内容，既不是 UTF-8 也不是 GBK/GB18030 编码的文本，不是 CSV 文件";

/// The text of a file in whichever encoding it is in, or why it is not text.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8".to_string());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return if bad {
            Err("UTF-16 文本中有无效字符".to_string())
        } else {
            Ok(text.into_owned())
        };
    }
    // Text files have no NUL bytes: refuse binary at once instead of decoding megabytes of it.
    if bytes[..bytes.len().min(65_536)].contains(&0) {
        return Err(BINARY.to_string());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if bad || text.contains('\0') {
        return Err("文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本，可能不是 CSV 文件".to_string());
    }
    Ok(text.into_owned())
}

/// Parses CSV text into a sheet named `sheet_name`; tab-separated text (Excel's
/// "Unicode text") is recognised by its header line.
///
/// Rows are numbered as Excel numbers them when it opens the file: one per
/// record, whether lines end in CR LF (Excel on Windows), LF or CR; a quoted
/// cell with line breaks stays one row; blank lines are rows too. The parser
/// is the few lines below rather than the `csv` crate so that those numbers
/// are exact and so that a record's width is capped as it is read (a line of
/// a million commas is never a million fields in memory).
pub fn read_csv(text: &str, sheet_name: &str) -> Result<RawSheet, ReadError> {
    if text.contains('\0') {
        return Err(ReadError::file("文件含有二进制内容，不是 CSV 文件"));
    }
    let first_line = text.split(['\r', '\n']).next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        '\t'
    } else {
        ','
    };
    let mut sheet = Sheet {
        name: sheet_name,
        rows: Vec::new(),
        line: 1,
        cells: Vec::new(),
        column: 0,
        total_cells: 0,
    };
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    // Inside a quoted field; whether the field so far was quoted (so `""` is a value).
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            c if c == delimiter => {
                sheet.end_field(&mut field)?;
                at_field_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                sheet.end_record(&mut field, at_field_start)?;
                at_field_start = true;
            }
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if !(at_field_start && field.is_empty() && sheet.cells.is_empty() && sheet.column == 0) || quoted {
        sheet.end_record(&mut field, false)?;
    }
    Ok(RawSheet {
        name: sheet_name.to_string(),
        rows: sheet.rows,
    })
}

/// The sheet being read, with the caps of `limits` applied as it grows.
struct Sheet<'a> {
    name: &'a str,
    rows: Vec<RawRow>,
    /// The Excel row number of the record being read.
    line: u32,
    cells: Vec<Cell>,
    /// The 0-based column of the field being read.
    column: u32,
    total_cells: usize,
}

impl Sheet<'_> {
    fn error(&self, reason: String) -> ReadError {
        ReadError::at(self.name, self.line, limits::column_letters(self.column), reason)
    }

    fn end_field(&mut self, field: &mut String) -> Result<(), ReadError> {
        let text = std::mem::take(field);
        let blank = text.trim().is_empty();
        if !blank {
            if self.column >= limits::MAX_COLUMNS {
                return Err(self.error(format!(
                    "第 {} 列有内容，超出 {} 列（{} 列）的上限；请删除多余的列后再导入",
                    u64::from(self.column) + 1,
                    limits::MAX_COLUMNS,
                    limits::column_letters(limits::MAX_COLUMNS - 1)
                )));
            }
            if text.len() > limits::MAX_CELL_CHARS && text.chars().count() > limits::MAX_CELL_CHARS {
                return Err(self.error(format!(
                    "单元格中的文字有 {} 个字符，超过 {} 个的上限",
                    text.chars().count(),
                    limits::MAX_CELL_CHARS
                )));
            }
            self.total_cells += 1;
            if self.total_cells > limits::MAX_CELLS {
                return Err(self.error(format!(
                    "文件中有内容的单元格超过 {} 个的上限，读到此处停止",
                    limits::MAX_CELLS
                )));
            }
            // Blank fields up to here keep the positions.
            self.cells.resize(self.column as usize, Cell::Empty);
            self.cells.push(Cell::Text(text));
        }
        self.column = self.column.saturating_add(1);
        Ok(())
    }

    fn end_record(&mut self, field: &mut String, empty_line: bool) -> Result<(), ReadError> {
        if !(empty_line && self.column == 0) {
            self.end_field(field)?;
        }
        if !self.cells.is_empty() {
            if self.rows.len() >= limits::MAX_ROWS {
                return Err(ReadError::at(
                    self.name,
                    self.line,
                    String::new(),
                    format!("数据行超过 {} 行的上限，读到此处停止", limits::MAX_ROWS),
                ));
            }
            self.rows.push(RawRow {
                line: self.line,
                cells: std::mem::take(&mut self.cells),
            });
        }
        self.line = self.line.saturating_add(1);
        self.column = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_gbk_and_utf16_are_all_read() {
        let text = "单位编码,单位名称\n101,区第一中学\n";
        assert_eq!(decode_text(text.as_bytes()).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode_text(&gbk).unwrap(), text);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).unwrap(), text);
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_text(&[0x81, 0x00, 0xFF, 0x30, 0x81]).is_err());
        // No NUL, but neither UTF-8 nor GB18030.
        assert!(decode_text(&[0x81, 0x20, 0xFF, 0xFF, 0x41]).is_err());
    }

    #[test]
    fn rows_keep_the_numbers_excel_shows() {
        let sheet = read_csv("a,b\n\n1,\"x\ny\"\n2,z\n", "单位").unwrap();
        let lines: Vec<u32> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 3, 4]);
        assert_eq!(sheet.rows[1].cells[1], Cell::Text("x\ny".into()));
        let tabs = read_csv("单位编码\t单位名称\n101\t一中\n", "单位").unwrap();
        assert_eq!(tabs.rows[1].cells[1], Cell::Text("一中".into()));
    }

    fn lines(text: &str) -> Vec<u32> {
        read_csv(text, "单位").unwrap().rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn row_numbers_are_excels_for_crlf_cr_lf_and_quoted_breaks() {
        assert_eq!(lines("a,b\r\n1,x\r\n2,y\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("a,b\r\n\r\n1,x\r\n2,y"), vec![1, 3, 4]);
        assert_eq!(lines("a,b\r1,x\r\r2,y\r"), vec![1, 2, 4]);
        assert_eq!(lines("a,b\n\n1,\"x\r\ny\"\n2,z\n"), vec![1, 3, 4]);
        assert_eq!(lines("a,b\r\n1,\"x\r\n\r\ny\"\r\n2,z"), vec![1, 2, 3]);
        assert_eq!(lines("a,b\n,\n1,2"), vec![1, 3]);
        let sheet = read_csv("a,b\r\n1,\"say \"\"hi\"\"\r\nthere\"\r\n", "单位").unwrap();
        assert_eq!(sheet.rows[1].cells[1], Cell::Text("say \"hi\"\r\nthere".into()));
        // A quote inside an unquoted field is a character, as Excel reads it.
        let sheet = read_csv("a,b\n5\"寸,x\n", "单位").unwrap();
        assert_eq!(sheet.rows[1].cells[0], Cell::Text("5\"寸".into()));
    }

    #[test]
    fn widths_and_sizes_are_capped_as_read() {
        // A million commas is no million fields.
        let wide = format!("a,b\n1{}\n", ",".repeat(1_000_000));
        let sheet = read_csv(&wide, "单位").unwrap();
        assert_eq!(sheet.rows[1].cells.len(), 1);
        let far = format!("a,b\n1{}x\n", ",".repeat(300));
        let e = read_csv(&far, "单位").unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("KO")));
        assert!(e.reason.contains("256 列"), "{}", e.reason);
        let long = format!("a,b\n1,{}\n", "字".repeat(40_000));
        let e = read_csv(&long, "单位").unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("B")));
        assert!(e.reason.contains("32767"), "{}", e.reason);
    }
}
