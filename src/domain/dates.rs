//! Dates as people write them: `2023-06-01`, `2023/6/1`, `2023.6.1`,
//! `2023年6月1日`, `20230601` — in a workbook cell or at a prompt alike.

use chrono::{Datelike, NaiveDate};

/// The years a date may fall in: budget years and their deadlines, never
/// `0000-01-01` or `9999-12-31`.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

/// Whether a date lies within `MIN_YEAR`–`MAX_YEAR`.
pub fn in_range(date: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&date.year())
}

/// The date in `text`, however it is written (a date-time keeps only its
/// date), when it lies within `MIN_YEAR`–`MAX_YEAR`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_any_date(text).filter(|d| in_range(*d))
}

fn parse_any_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    let unified: String = t
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' | '／' | '．' | '－' => '-',
            // Full-width digits, as a Chinese input method may type them.
            '０'..='９' => char::from(b'0' + (u32::from(c) - u32::from('０')) as u8),
            c => c,
        })
        .filter(|c| *c != '日')
        .collect();
    NaiveDate::parse_from_str(&unified, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&unified, "%Y%m%d"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_spelling_of_a_date() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        for s in [
            "2026-12-31",
            "2026/12/31",
            "2026.12.31",
            "2026年12月31日",
            "20261231",
            " 2026/12/31 ",
            "２０２６／１２／３１",
            "2026-12-31 00:00:00",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("2026/1/5"), NaiveDate::from_ymd_opt(2026, 1, 5));
        for bad in [
            "",
            "明年",
            "2026/13/01",
            "2026/02/30",
            "12/31",
            "0000-01-01",
            "1999-12-31",
            "2101-01-01",
            "+275760-09-13",
            "99999999",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
