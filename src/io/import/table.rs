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
