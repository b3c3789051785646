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

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dash = |s: Option<&str>| s.unwrap_or("-").to_string();
        write!(
            f,
            "{}:{}:{}:{}: {}",
            self.file,
            dash(self.sheet.as_deref()),
            self.row.map_or_else(|| "-".to_string(), |r| r.to_string()),
            dash(self.column.as_deref()),
            self.reason
        )
    }
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
}
