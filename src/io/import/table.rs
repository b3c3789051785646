//! A sheet as read from a workbook or a CSV file, before any meaning is given
//! to it: rows of cells with the row number Excel shows.

/// One cell, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date or date-time, as its serial number (days since 1899-12-30).
    Date(f64),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// Empty, or text of only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with the number the user sees in Excel (or the line in a CSV file).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: u32,
    pub cells: Vec<Cell>,
}

impl RawRow {
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// A sheet: its name as written and its non-blank rows, the first being the header.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<RawRow>,
}

/// Why a file could not be read into sheets: the file as a whole, or one cell
/// of it (a value past a cap). The caller adds the file's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub sheet: Option<String>,
    pub row: Option<u32>,
    /// The column as Excel shows it (`XFD`), or empty for a whole row.
    pub column: Option<String>,
    pub reason: String,
}

impl ReadError {
    pub fn file(reason: impl Into<String>) -> Self {
        ReadError {
            sheet: None,
            row: None,
            column: None,
            reason: reason.into(),
        }
    }

    pub fn at(sheet: &str, row: u32, column: String, reason: impl Into<String>) -> Self {
        ReadError {
            sheet: Some(sheet.to_string()),
            row: Some(row),
            column: (!column.is_empty()).then_some(column),
            reason: reason.into(),
        }
    }

    pub fn in_file(self, file: &str) -> super::ImportError {
        super::ImportError {
            file: file.to_string(),
            sheet: self.sheet,
            row: self.row,
            column: self.column,
            reason: self.reason,
        }
    }
}

impl From<String> for ReadError {
    fn from(reason: String) -> Self {
        ReadError::file(reason)
    }
}
