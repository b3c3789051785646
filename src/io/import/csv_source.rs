//! CSV files: UTF-8 (with or without BOM), GBK/GB18030 as Excel writes it on
//! Chinese Windows, or UTF-16 "Unicode text" — detected, never asked.

use super::table::{Cell, RawRow, RawSheet};

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
        return Err("文件含有二进制内容，既不是 UTF-8 也不是 GBK/GB18030 编码的文本，不是 CSV 文件".to_string());
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
pub fn read_csv(text: &str, sheet_name: &str) -> Result<RawSheet, String> {
    if text.contains('\0') {
        return Err("文件含有二进制内容，不是 CSV 文件".to_string());
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Rows as Excel numbers them when it opens the file: one per record (a
    // quoted cell with line breaks stays one row), blank lines counted.
    let mut excel_row = 0u32;
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => format!("第 {} 行无法解析为 CSV：{e}", p.line()),
            None => format!("无法解析为 CSV：{e}"),
        })?;
        // csv reports a record's position before the blank lines it skipped.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let blanks = text.as_bytes()[start.min(text.len())..]
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|b| **b == b'\n')
            .count() as u32;
        excel_row += 1 + blanks;
        let line = excel_row;
        let cells: Vec<Cell> = record
            .iter()
            .map(|v| {
                if v.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(v.to_string())
                }
            })
            .collect();
        let row = RawRow { line, cells };
        if !row.is_blank() {
            rows.push(row);
        }
    }
    Ok(RawSheet {
        name: sheet_name.to_string(),
        rows,
    })
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
}
