//! Reading the figure in an indicator value as units write it: `95`, `≥95%`,
//! `1,200人次`, `28.8万元`, `≤3天`. Exact decimals; 万/亿 scale the number.

use super::money::parse_decimal;
use rust_decimal::Decimal;

/// A figure read from a value, with whether it was written as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    pub percent: bool,
}

/// The largest figure read (10¹⁵) and the most decimals it may have.
const MAX_FIGURE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);
const MAX_FIGURE_DECIMALS: u32 = 8;

const COMPARATORS: &[&str] = &[
    "≥", "≤", ">=", "<=", "＞＝", "＜＝", ">", "<", "＞", "＜", "=", "＝", "≧", "≦", "约",
];

/// Reads the number in `text`, or `None` when it holds no single leading figure
/// (`按月安排`, `有效提升`, `显著改善`).
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let mut t = text.trim();
    loop {
        let before = t;
        for c in COMPARATORS {
            t = t.strip_prefix(c).unwrap_or(t).trim_start();
        }
        if t == before {
            break;
        }
    }
    // The number is the leading run of digits, separators and a point.
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '０'..='９' | '．' | '，' | '-')))
        .map_or(t.len(), |(i, _)| i);
    let (number, rest) = t.split_at(end);
    let mut value = parse_decimal(number).ok()?;
    let rest = rest.trim();
    let percent = rest.starts_with('%') || rest.starts_with('％');
    if rest.starts_with('万') {
        value = value.checked_mul(Decimal::from(10_000))?;
    } else if rest.starts_with('亿') {
        value = value.checked_mul(Decimal::from(100_000_000))?;
    }
    // Bounded so that no ratio, product or sum the rules and scoring form from
    // figures (current / target, 130 % of a target, a project's cost total) can
    // overflow: a crafted `79228162514264337593543950335万` is no figure.
    let value = value.normalize();
    if value.abs() > MAX_FIGURE || value.scale() > MAX_FIGURE_DECIMALS {
        return None;
    }
    Some(Quantity { value, percent })
}

/// Whether the text is a figure with nothing but a unit after it.
pub fn is_numeric_value(text: &str) -> bool {
    parse_quantity(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn q(t: &str) -> Option<Decimal> {
        parse_quantity(t).map(|q| q.value)
    }

    #[test]
    fn figures_as_units_write_them() {
        assert_eq!(q("95"), Some(dec!(95)));
        assert_eq!(q("≥95%"), Some(dec!(95)));
        assert!(parse_quantity("≥95%").unwrap().percent);
        assert_eq!(q("1,200人次"), Some(dec!(1200)));
        assert_eq!(q("28.8万元"), Some(dec!(288000)));
        assert_eq!(q("≤ 3天"), Some(dec!(3)));
        assert_eq!(q("＞＝９０％"), Some(dec!(90)));
        assert_eq!(q("0"), Some(dec!(0)));
    }

    #[test]
    fn words_are_not_figures() {
        assert_eq!(q("按月安排"), None);
        assert_eq!(q("有效提升"), None);
        assert_eq!(q(""), None);
        assert_eq!(q("%"), None);
    }

    #[test]
    fn crafted_figures_are_not_figures_and_never_overflow() {
        assert_eq!(q("79228162514264337593543950335万"), None);
        assert_eq!(q("99999999999999999999999亿"), None);
        assert_eq!(q("0.0000000000000000000000001"), None);
        assert_eq!(q("999999999999999亿"), None);
        assert_eq!(q("999999999999999"), Some(dec!(999999999999999)));
        assert_eq!(q("1000000000000000"), None);
        assert_eq!(q("10000000亿"), Some(dec!(1000000000000000)));
        assert_eq!(q("10000001亿"), None);
        assert_eq!(q("0.00000001"), Some(dec!(0.00000001)));
        assert_eq!(q("0.000000001"), None);
    }
}
