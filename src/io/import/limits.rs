//! Every cap on what one imported file may make the importer hold, in one
//! place. Each is checked *before* the memory it guards is taken (the file's
//! size from its metadata, an .xlsx's decompressed sizes from its zip
//! directory, an .xls's sheet dimensions from its records, a CSV's widest
//! record by a scan), so a crafted file is refused with a reason naming the
//! file (and the cell where there is one) instead of starving the run.
//!
//! The caps are generous for what units really send: a unit's workbook is
//! under 5 MB with under 50,000 rows and a few dozen columns; the budget
//! system's CSV exports are of the same order. Amount and date ceilings live
//! with their parsers (`domain::money::MAX_AMOUNT_YUAN`,
//! `domain::dates::{MIN_YEAR, MAX_YEAR}`).

/// Largest file read at all (checked from the file's metadata before it is
/// read). 32 MiB: six times the largest unit workbook seen.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Largest total of an .xlsx's parts once decompressed, from the sizes its zip
/// directory declares (the zip reader never inflates an entry past its
/// declared size, so the declaration binds). 256 MiB: a 5 MB workbook is
/// 20–60 MB of XML. A 1.9 MB zip bomb declaring 1.96 GB is refused here.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;

/// Largest single part of an .xlsx once decompressed. The shared-strings part
/// is held whole in memory by the reader (every string of the workbook), so it
/// gets the tighter cap; a worksheet is streamed cell by cell.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;

/// Most parts (entries) an .xlsx's zip may have (a workbook has a few dozen).
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Widest column a cell with content may sit in: 256 (column IV, the old .xls
/// limit). The widest contract sheet has 12 columns and the official forms
/// about 20; a value out in column XFD is refused naming the cell, never
/// padded out to a 16,384-cell row.
pub const MAX_COLUMNS: u32 = 256;

/// Most fields a CSV record may have at all (Excel's own 16,384 columns);
/// empty fields past `MAX_COLUMNS` are dropped, a filled one is refused.
pub const MAX_CSV_FIELDS: usize = 16_384;

/// Most rows with content in one sheet or CSV file: five times the largest
/// unit workbook (50,000 rows).
pub const MAX_ROWS: usize = 250_000;

/// Most cells with content in one file, over all its sheets (250,000 rows of
/// 12 columns).
pub const MAX_CELLS: usize = 3_000_000;

/// Longest text in one cell, in characters: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Largest grid (rows × columns, from the first to the last used cell) of one
/// .xls sheet, and of all its sheets together: the .xls reader allocates the
/// whole grid of every sheet when it opens the file, so this is checked in
/// the file's records before it is handed over. 2 M cells (an .xls holds at
/// most 65,536 rows; 50,000 rows × 40 columns) ≈ 160 MB at most.
pub const MAX_XLS_GRID_CELLS: u64 = 2_000_000;

/// Most errors listed for one file; the rest are counted in one last line.
pub const MAX_ERRORS_PER_FILE: usize = 1_000;

/// Column letters as Excel shows them: 0 → A, 25 → Z, 26 → AA, 16383 → XFD.
pub fn column_letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Bytes as a user reads them (`32 MB`).
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(255), "IV");
        assert_eq!(column_letters(16383), "XFD");
        assert!(!column_letters(u32::MAX).is_empty());
    }
}
