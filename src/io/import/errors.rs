//! One problem in one imported file, located the way the user finds it in
//! Excel: `file:sheet:row:column: reason`.

use std::fmt;

/// Where a problem is and why. `row` is the row number Excel shows (1 = header
/// row of a template); a file-level problem has no sheet, row or column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub reason: String,
}

impl ImportError {
    /// A problem with the file as a whole (unreadable, empty, not a workbook).
    pub fn file(file: &str, reason: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            sheet: None,
            row: None,
            column: None,
            reason: reason.into(),
        }
    }
}

/// Every part is shown through `shown`: a file name, sheet name, header or
/// cell value with a newline or an escape sequence in it prints as `\n` or
/// `\u{1b}`, so a line of output is always one error and never moves the
/// cursor, recolours the terminal or forges a summary line.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dash = |s: Option<&str>| s.map_or_else(|| "-".to_string(), |s| shown(s).into_owned());
        write!(
            f,
            "{}:{}:{}:{}: {}",
            shown(&self.file),
            dash(self.sheet.as_deref()),
            self.row.map_or_else(|| "-".to_string(), |r| r.to_string()),
            dash(self.column.as_deref()),
            shown(&self.reason)
        )
    }
}

/// Text from a file or a file name, safe to print on one terminal line:
/// control characters (newlines, tabs, ESC, C1 controls such as U+009B) and
/// the invisible characters that reorder or hide text (bidi overrides,
/// zero-width marks) are written as escapes — `\n`, `\r`, `\t`, `\u{1b}` —
/// and so is a backslash (`\\`), so that the escapes cannot be forged.
/// Everything else, Chinese included, is shown as is.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: char| {
        c.is_control()
            || c == '\\'
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if !text.chars().any(risky) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if risky(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The location of a cell, to build errors from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub sheet: &'static str,
    pub row: u32,
    pub column: String,
}

impl Location {
    pub fn error(&self, file: &str, reason: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_string(),
            sheet: Some(self.sheet.to_string()),
            row: Some(self.row),
            column: Some(self.column.clone()),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_file_sheet_row_column_reason() {
        let at = Location {
            sheet: "项目",
            row: 5,
            column: "预算金额".into(),
        };
        assert_eq!(
            at.error("a.xlsx", "「abc」不是有效的数字").to_string(),
            "a.xlsx:项目:5:预算金额: 「abc」不是有效的数字"
        );
        assert_eq!(
            ImportError::file("b.xlsx", "文件为空").to_string(),
            "b.xlsx:-:-:-: 文件为空"
        );
    }

    #[test]
    fn names_and_values_cannot_break_the_line_or_drive_the_terminal() {
        let forged = "x\n导入完成（0.01 秒）：共 1 个文件，导入 1 个，拒绝 0 个，错误 0 条\n.csv";
        let line = ImportError::file(forged, "「\u{1b}[2J\u{1b}]0;pwned\u{7}」\r不是有效的金额").to_string();
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert_eq!(
            line,
            "x\\n导入完成（0.01 秒）：共 1 个文件，导入 1 个，拒绝 0 个，错误 0 条\\n.csv:-:-:-: \
             「\\u{1b}[2J\\u{1b}]0;pwned\\u{7}」\\r不是有效的金额"
        );
        assert_eq!(shown("a\u{202E}b\u{9b}c\\n"), "a\\u{202e}b\\u{9b}c\\\\n");
        assert!(matches!(shown("区第一中学 2023.xlsx"), std::borrow::Cow::Borrowed(_)));
    }
}
