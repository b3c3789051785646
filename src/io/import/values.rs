//! Cell → typed value, or the reason it is not one (a Chinese sentence that
//! names the value). Money goes through `domain::money`; Excel's f64 is turned
//! into a Decimal and rounded to the column's scale, never used as a float.

use super::table::Cell;
use crate::domain::dates::{MAX_YEAR, MIN_YEAR};
use crate::domain::money::{MAX_AMOUNT_YUAN, MoneyError, check_amount, parse_amount, parse_decimal};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// Excel's day zero for serial dates after 1900-02-28 (its 1900 leap-year bug included).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// The date of an Excel serial number.
pub fn serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serials before 61 count the non-existent 1900-02-29.
    let days = if days < 61 { days + 1 } else { days };
    excel_epoch().checked_add_signed(chrono::Duration::days(days))
}

/// A cell as text: numbers in their shortest form (`95`, not `95.0`), dates as `YYYY-MM-DD`.
pub fn text(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Text(t) => Ok(t.trim().to_string()),
        Cell::Number(n) => Ok(format!("{n}")),
        Cell::Date(s) => Ok(serial_to_date(*s).map_or_else(|| format!("{s}"), |d| d.format("%Y-%m-%d").to_string())),
        Cell::Error(e) => Err(format!("单元格是错误值 {e}")),
    }
}

/// Largest magnitude of a number cell read as a decimal (10¹⁵): beyond it a
/// float has no cents left, and it is above every ceiling anyway.
const MAX_NUMBER_CELL: f64 = 1e15;

/// Why a number cell is not read as a decimal, when it is out of range.
fn out_of_range(n: f64) -> Option<String> {
    if !n.is_finite() {
        Some(format!("「{n}」不是有效的数字"))
    } else if n.abs() > MAX_NUMBER_CELL {
        Some(format!(
            "「{n:e}」超过上限（数字最多 15 位整数；金额最多 1 万亿元，即 10¹² 元）"
        ))
    } else {
        None
    }
}

/// A number cell as an exact decimal with at most `scale` decimals, or None
/// when the float carries more precision than the column allows (or is out of
/// range: callers check `out_of_range` first to say so).
fn float_to_decimal(n: f64, scale: u32) -> Option<Decimal> {
    if out_of_range(n).is_some() {
        return None;
    }
    let d = Decimal::from_f64(n)?;
    let rounded = d.round_dp(scale);
    // Excel stores 1234.56 as 1234.5599999999999: accept float noise, refuse real extra digits.
    ((d - rounded).abs() < Decimal::new(1, 6)).then(|| rounded.normalize())
}

/// An amount in 元; `factor` is 10,000 when the header says （万元）. At most
/// `MAX_AMOUNT_YUAN`; no arithmetic here can overflow, whatever the cell holds.
pub fn amount(cell: &Cell, factor: Decimal) -> Result<Decimal, String> {
    let written = text(cell)?;
    let value = match cell {
        Cell::Number(n) => {
            if let Some(reason) = out_of_range(*n) {
                return Err(format!("金额{reason}"));
            }
            let d = float_to_decimal(*n, 4).ok_or_else(|| format!("金额「{n}」超过两位小数（分）"))?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(format!("金额「{n}」为负数"));
            }
            d.checked_mul(factor).ok_or_else(|| too_large(&written))?
        }
        Cell::Date(_) => return Err("金额列中是日期，请把单元格格式改为数值".to_string()),
        _ => {
            let bare = parse_decimal(&written).is_ok();
            let d = parse_amount(&written).map_err(|e| money_reason(e, &written))?;
            // A bare number takes the header's unit; a written unit speaks for itself.
            if bare {
                d.checked_mul(factor).ok_or_else(|| too_large(&written))?
            } else {
                d
            }
        }
    };
    if value > MAX_AMOUNT_YUAN {
        return Err(too_large(&written));
    }
    check_amount(value, &written).map_err(|e| match e {
        MoneyError::TooPrecise(_) => format!("金额「{written}」换算为元后超过两位小数（分）"),
        other => money_reason(other, &written),
    })
}

fn too_large(written: &str) -> String {
    MoneyError::TooLarge(written.to_string()).to_string()
}

fn money_reason(e: MoneyError, written: &str) -> String {
    match e {
        MoneyError::Empty => "金额为空".to_string(),
        MoneyError::NotANumber(_) => {
            format!("「{written}」不是有效的金额（应为数字，单位只能是元或万元，如 1,234.56 或 12.3万元）")
        }
        other => other.to_string(),
    }
}

/// A whole year between 2000 and 2100.
pub fn year(cell: &Cell) -> Result<i32, String> {
    let t = text(cell)?;
    let t = t.trim_end_matches('年');
    let d = parse_decimal(t).map_err(|_| format!("「{t}」不是有效的年度（应为如 2023 的四位年份）"))?;
    if d.fract() != Decimal::ZERO || d < Decimal::from(MIN_YEAR) || d > Decimal::from(MAX_YEAR) {
        return Err(format!(
            "「{t}」不是有效的年度（应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位年份）"
        ));
    }
    d.to_i32().ok_or_else(|| format!("「{t}」不是有效的年度"))
}

/// A score (0–100 expected), at most two decimals; `92.5分` accepted.
pub fn score(cell: &Cell) -> Result<Decimal, String> {
    let bad = |t: &str| format!("「{t}」不是有效的得分（应为 0–100 的数字）");
    let d = match cell {
        Cell::Number(n) => {
            if out_of_range(*n).is_some() {
                return Err(bad(&format!("{n:e}")));
            }
            float_to_decimal(*n, 2).ok_or_else(|| format!("得分「{n}」超过两位小数"))?
        }
        other => {
            let t = text(other)?;
            let bare = t.trim_end_matches('分').trim();
            parse_decimal(bare).map_err(|_| bad(&t))?
        }
    };
    // Above 100 is left to the rules (it differs from the recomputed score)
    // up to a sanity bound; below 0 is no score.
    if d < Decimal::ZERO {
        return Err(format!("得分「{d}」为负数"));
    }
    if d > MAX_POINTS {
        return Err(bad(&d.to_string()));
    }
    if d.normalize().scale() > 2 {
        return Err(format!("得分「{d}」超过两位小数"));
    }
    Ok(d.normalize())
}

/// The most points a score or a weight may be: far above the 100 a form
/// totals (so over-100 figures still reach the rules), low enough that
/// `weight × ratio` sums can never overflow.
const MAX_POINTS: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// 权重 in points: `20`, `20%` and `0.2` all mean 20 (a bare number below 1 is a share).
pub fn weight(cell: &Cell) -> Result<Decimal, String> {
    let bad = |t: &str| format!("「{t}」不是有效的权重（应为分值，如 20、20% 或 0.2）");
    let d = match cell {
        Cell::Number(n) => float_to_decimal(*n, 4).ok_or_else(|| bad(&format!("{n}")))?,
        other => {
            let t = text(other)?;
            let bare = t.trim_end_matches('分').trim();
            match bare.strip_suffix(['%', '％']) {
                Some(p) => return parse_decimal(p).map(|d| d.normalize()).map_err(|_| bad(&t)),
                None => parse_decimal(bare).map_err(|_| bad(&t))?,
            }
        }
    };
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("权重「{d}」为负数"));
    }
    if d > MAX_POINTS {
        return Err(bad(&d.to_string()));
    }
    Ok(if d < Decimal::ONE && !d.is_zero() {
        (d * Decimal::ONE_HUNDRED).normalize()
    } else {
        d.normalize()
    })
}

/// A date: an Excel date or serial number, or text `2023-06-01`, `2023/6/1`, `2023.6.1`, `2023年6月1日`, `20230601`.
pub fn date(cell: &Cell) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(s) | Cell::Number(s) => serial_to_date(*s)
            .filter(|d| crate::domain::dates::in_range(*d))
            .ok_or_else(|| {
                format!(
                    "「{}」不是有效的日期（应为 {MIN_YEAR}–{MAX_YEAR} 年之间的日期）",
                    text(cell).unwrap_or_default()
                )
            }),
        other => {
            let t = text(other)?;
            crate::domain::dates::parse_date(&t).ok_or_else(|| {
                format!("「{t}」不是有效的日期（应为 {MIN_YEAR}–{MAX_YEAR} 年之间的日期，如 2023-06-01）")
            })
        }
    }
}

/// 监控期 as `YYYY-MM`: text `2023-10`, `2023/10`, `2023年10月`, or an Excel date.
pub fn period(cell: &Cell) -> Result<String, String> {
    if let Cell::Date(s) = cell {
        return serial_to_date(*s)
            .filter(|d| crate::domain::dates::in_range(*d))
            .map(|d| format!("{}-{:02}", d.year(), d.month()))
            .ok_or_else(|| format!("「{s}」不是有效的监控期"));
    }
    let t = text(cell)?;
    let unified: String = t
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' => '-',
            c => c,
        })
        .filter(|c| *c != '月')
        .collect();
    let parsed = unified.split_once('-').and_then(|(y, m)| {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((MIN_YEAR..=MAX_YEAR).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y}-{m:02}"))
    });
    parsed.ok_or_else(|| format!("「{t}」不是有效的监控期（应为如 2023-10）"))
}

/// One value of a closed list, with the allowed labels named when it is not.
/// One of a closed list; `labels` (for the error message) is only built when
/// the value is not one of them.
pub fn choice<T>(
    cell: &Cell,
    what: &str,
    parse: fn(&str) -> Option<T>,
    labels: impl FnOnce() -> Vec<&'static str>,
) -> Result<T, String> {
    let t = text_in_place(cell)?;
    parse(&t).ok_or_else(|| format!("「{t}」不是有效的{what}，可选：{}", labels().join("、")))
}

/// `text`, borrowing a text cell instead of copying it (a value only looked at).
fn text_in_place(cell: &Cell) -> Result<std::borrow::Cow<'_, str>, String> {
    match cell {
        Cell::Text(t) => Ok(std::borrow::Cow::Borrowed(t.trim())),
        other => text(other).map(std::borrow::Cow::Owned),
    }
}

/// Several items, one per line; blank lines dropped.
pub fn lines(cell: &Cell) -> Result<Vec<String>, String> {
    Ok(text(cell)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn amounts_from_numbers_and_text() {
        assert_eq!(amount(&Cell::Number(1234.56), Decimal::ONE), Ok(dec!(1234.56)));
        assert_eq!(amount(&Cell::Number(12345678.9), Decimal::ONE), Ok(dec!(12345678.9)));
        assert_eq!(amount(&t("1,234.56"), Decimal::ONE), Ok(dec!(1234.56)));
        assert_eq!(amount(&t("12.3万元"), Decimal::ONE), Ok(dec!(123000)));
        assert_eq!(amount(&t("200"), dec!(10000)), Ok(dec!(2000000)));
        assert_eq!(amount(&Cell::Number(1.5), dec!(10000)), Ok(dec!(15000)));
        assert_eq!(amount(&t("200元"), dec!(10000)), Ok(dec!(200)));
        assert!(
            amount(&t("200美元"), Decimal::ONE)
                .unwrap_err()
                .contains("不是有效的金额")
        );
        assert!(amount(&Cell::Number(-5.0), Decimal::ONE).unwrap_err().contains("负数"));
        assert!(amount(&t("-5"), Decimal::ONE).unwrap_err().contains("负数"));
        assert!(amount(&Cell::Number(1.234), Decimal::ONE).is_err());
        assert!(amount(&t("abc"), Decimal::ONE).is_err());
    }

    #[test]
    fn crafted_amounts_are_refused_with_the_value_never_overflow() {
        let e = amount(&t("79228162514264337593543950335万元"), Decimal::ONE).unwrap_err();
        assert!(
            e.contains("79228162514264337593543950335万元") && e.contains("超过上限"),
            "{e}"
        );
        let e = amount(&t("99999999999999999999999"), Decimal::ONE).unwrap_err();
        assert!(e.contains("超过上限"), "{e}");
        // A bare number under a （万元） header is scaled, then held to the ceiling.
        assert!(amount(&t("100000001"), dec!(10000)).unwrap_err().contains("超过上限"));
        assert_eq!(amount(&t("100000000"), dec!(10000)), Ok(MAX_AMOUNT_YUAN));
        let e = amount(&Cell::Number(1e308), Decimal::ONE).unwrap_err();
        assert!(e.contains("超过上限") && !e.contains("小数"), "{e}");
        assert!(
            amount(&Cell::Number(7e28), dec!(10000))
                .unwrap_err()
                .contains("超过上限")
        );
        assert!(amount(&Cell::Number(f64::NAN), Decimal::ONE).is_err());
        assert!(amount(&Cell::Number(f64::INFINITY), Decimal::ONE).is_err());
        assert!(amount(&t("1e308"), Decimal::ONE).unwrap_err().contains("科学计数法"));
        assert!(amount(&t("1,2,3"), Decimal::ONE).unwrap_err().contains("千分位"));
        assert_eq!(amount(&t("1,234,567.89"), Decimal::ONE), Ok(dec!(1234567.89)));
        assert!(score(&Cell::Number(1e308)).is_err());
        assert!(weight(&Cell::Number(1e308)).is_err());
        assert!(weight(&t("99999999999999999999")).is_err());
        assert!(score(&t("79228162514264337593543950335")).is_err());
    }

    #[test]
    fn dates_outside_the_budget_years_are_refused() {
        assert!(date(&t("0000-01-01")).unwrap_err().contains("2000–2100"));
        assert!(date(&t("9999-12-31")).is_err());
        assert!(date(&Cell::Date(1.0)).is_err());
        assert!(date(&Cell::Number(2_958_465.0)).is_err());
        assert!(date(&Cell::Number(1e308)).is_err());
        assert!(period(&t("0000-01")).is_err());
        assert!(year(&t("0")).is_err());
    }

    #[test]
    fn text_of_numbers_and_dates() {
        assert_eq!(text(&Cell::Number(95.0)), Ok("95".into()));
        assert_eq!(text(&Cell::Number(0.85)), Ok("0.85".into()));
        assert_eq!(text(&Cell::Date(45078.0)), Ok("2023-06-01".into()));
        assert!(text(&Cell::Error("Div0".into())).is_err());
    }

    #[test]
    fn dates_serials_and_text() {
        let d = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
        assert_eq!(date(&Cell::Date(45078.0)), Ok(d));
        assert_eq!(date(&Cell::Number(45078.0)), Ok(d));
        for s in [
            "2023-06-01",
            "2023/6/1",
            "2023.6.1",
            "2023年6月1日",
            "20230601",
            "2023-06-01 00:00:00",
        ] {
            assert_eq!(date(&t(s)), Ok(d), "{s}");
        }
        assert!(date(&t("六月")).is_err());
        assert_eq!(period(&t("2023-10")), Ok("2023-10".into()));
        assert_eq!(period(&t("2023年10月")), Ok("2023-10".into()));
        assert_eq!(period(&Cell::Date(45200.0)), Ok("2023-10".into()));
        assert!(period(&t("十月")).is_err());
    }

    #[test]
    fn scores_weights_years() {
        assert_eq!(score(&t("92.5分")), Ok(dec!(92.5)));
        assert_eq!(score(&Cell::Number(88.0)), Ok(dec!(88)));
        assert!(score(&t("-5")).is_err());
        assert_eq!(weight(&t("20%")), Ok(dec!(20)));
        assert_eq!(weight(&Cell::Number(0.2)), Ok(dec!(20)));
        assert_eq!(weight(&t("20")), Ok(dec!(20)));
        assert_eq!(weight(&t("1")), Ok(dec!(1)));
        assert_eq!(year(&Cell::Number(2023.0)), Ok(2023));
        assert_eq!(year(&t("2023年")), Ok(2023));
        assert!(year(&t("23")).is_err());
    }

    #[test]
    fn choices_name_the_allowed_values() {
        use crate::domain::Direction;
        assert_eq!(
            choice(&t("大于等于"), "指标性质", Direction::parse, Direction::labels),
            Ok(Direction::AtLeast)
        );
        let e = choice(&t("约"), "指标性质", Direction::parse, Direction::labels).unwrap_err();
        assert_eq!(e, "「约」不是有效的指标性质，可选：≥、≤、=、定性");
    }
}
