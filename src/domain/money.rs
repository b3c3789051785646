//! Money and ratios as exact decimals: parsing what units type into forms
//! (`1,234.56`, `1234.56元`, `12.3万元`, `85%`, `0.85`) and formatting for display.
//! Never a float anywhere on the path.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::str::FromStr;

/// Why a figure could not be read. The message is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额为空")]
    Empty,
    #[error("「{0}」不是有效的数字")]
    NotANumber(String),
    #[error("金额「{0}」为负数")]
    Negative(String),
    #[error("「{0}」不是有效的百分比")]
    NotAPercent(String),
    #[error("金额「{0}」超过两位小数（分）")]
    TooPrecise(String),
}

/// 10,000: one 万元 in 元.
const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// Normalises full-width digits and punctuation that Chinese input methods produce.
fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            '％' => '%',
            '－' => '-',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// Parses a plain decimal number, accepting thousands separators and spaces.
pub fn parse_decimal(input: &str) -> Result<Decimal, MoneyError> {
    let half = to_half_width(input.trim());
    let cleaned: String = half.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err(MoneyError::Empty);
    }
    let valid = cleaned
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !valid || cleaned.matches('.').count() > 1 || !cleaned.chars().any(|c| c.is_ascii_digit()) {
        return Err(MoneyError::NotANumber(input.trim().to_string()));
    }
    Decimal::from_str(cleaned.trim_start_matches('+')).map_err(|_| MoneyError::NotANumber(input.trim().to_string()))
}

/// Parses an amount into 元: `1,234.56`, `1234.56元`, `12.3万元`, `12.3万`, `2.4亿元`.
/// 万 and 亿 are converted exactly. Negative amounts and fractions of a 分 are refused.
pub fn parse_amount(input: &str) -> Result<Decimal, MoneyError> {
    let half = to_half_width(input.trim());
    let (number, factor) = if let Some(n) = half.strip_suffix("万元").or_else(|| half.strip_suffix('万')) {
        (n, WAN)
    } else if let Some(n) = half.strip_suffix("亿元").or_else(|| half.strip_suffix('亿')) {
        (n, WAN * WAN)
    } else if let Some(n) = half.strip_suffix('元') {
        (n, Decimal::ONE)
    } else {
        (half.as_str(), Decimal::ONE)
    };
    let value = parse_decimal(number).map_err(|e| match e {
        MoneyError::Empty if !half.is_empty() => MoneyError::NotANumber(input.trim().to_string()),
        MoneyError::NotANumber(_) => MoneyError::NotANumber(input.trim().to_string()),
        other => other,
    })? * factor;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative(input.trim().to_string()));
    }
    let value = value.normalize();
    if value.scale() > 2 {
        return Err(MoneyError::TooPrecise(input.trim().to_string()));
    }
    Ok(value)
}

/// Parses a ratio: `85%` → 0.85, `0.85` → 0.85, `85` → 0.85 (a bare number above 1
/// is read as a percentage, as units write it in 完成率 columns).
pub fn parse_ratio(input: &str) -> Result<Decimal, MoneyError> {
    let half = to_half_width(input.trim());
    let bad = || MoneyError::NotAPercent(input.trim().to_string());
    if let Some(n) = half.strip_suffix('%') {
        return parse_decimal(n)
            .map(|d| (d / Decimal::ONE_HUNDRED).normalize())
            .map_err(|_| bad());
    }
    let d = parse_decimal(&half).map_err(|_| bad())?;
    if d > Decimal::ONE {
        Ok((d / Decimal::ONE_HUNDRED).normalize())
    } else {
        Ok(d.normalize())
    }
}

/// 元 → 分, for storage as an exact integer.
pub fn yuan_to_fen(yuan: Decimal) -> i64 {
    (yuan * Decimal::ONE_HUNDRED).round().to_i64().unwrap_or(i64::MAX)
}

/// 分 → 元.
pub fn fen_to_yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// Formats 元 as 万元 with the given number of decimals and thousands separators:
/// 12,345,678.9 元 → "1,234.57".
pub fn format_wan(yuan: Decimal, decimals: u32) -> String {
    group_thousands(&(yuan / WAN).round_dp(decimals), decimals)
}

/// Formats 元 with two decimals and thousands separators.
pub fn format_yuan(yuan: Decimal) -> String {
    group_thousands(&yuan.round_dp(2), 2)
}

/// Formats a ratio as a percentage with one decimal: 0.7493 → "74.9%".
pub fn format_percent(ratio: Decimal) -> String {
    format!("{:.1}%", (ratio * Decimal::ONE_HUNDRED).round_dp(1))
}

fn group_thousands(value: &Decimal, decimals: u32) -> String {
    let text = format!("{:.*}", decimals as usize, value);
    let (sign, body) = text.strip_prefix('-').map_or(("", text.as_str()), |b| ("-", b));
    let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn amounts_in_every_written_form() {
        assert_eq!(parse_amount("1,234.56"), Ok(dec!(1234.56)));
        assert_eq!(parse_amount("1234.56元"), Ok(dec!(1234.56)));
        assert_eq!(parse_amount("12.3万元"), Ok(dec!(123000)));
        assert_eq!(parse_amount("12.3万"), Ok(dec!(123000)));
        assert_eq!(parse_amount("2.4亿元"), Ok(dec!(240000000)));
        assert_eq!(parse_amount(" ２００万元 "), Ok(dec!(2000000)));
        assert_eq!(parse_amount("0.01"), Ok(dec!(0.01)));
        assert_eq!(parse_amount("12345678901234567.89"), Ok(dec!(12345678901234567.89)));
    }

    #[test]
    fn bad_amounts_say_why() {
        assert_eq!(parse_amount(""), Err(MoneyError::Empty));
        assert_eq!(parse_amount("按月安排"), Err(MoneyError::NotANumber("按月安排".into())));
        assert_eq!(parse_amount("1.2.3"), Err(MoneyError::NotANumber("1.2.3".into())));
        assert_eq!(parse_amount("-5"), Err(MoneyError::Negative("-5".into())));
        assert_eq!(parse_amount("1.234"), Err(MoneyError::TooPrecise("1.234".into())));
        assert_eq!(parse_amount("万元"), Err(MoneyError::NotANumber("万元".into())));
        assert!(parse_amount("1e5").is_err());
        assert_eq!(parse_amount("-5").unwrap_err().to_string(), "金额「-5」为负数");
    }

    #[test]
    fn ratios_exact() {
        assert_eq!(parse_ratio("85%"), Ok(dec!(0.85)));
        assert_eq!(parse_ratio("0.85"), Ok(dec!(0.85)));
        assert_eq!(parse_ratio("85"), Ok(dec!(0.85)));
        assert_eq!(parse_ratio("75.5%"), Ok(dec!(0.755)));
        assert_eq!(parse_ratio("1"), Ok(dec!(1)));
        assert_eq!(parse_ratio("100%"), Ok(dec!(1)));
        assert_eq!(parse_ratio("８５％"), Ok(dec!(0.85)));
        assert!(parse_ratio("很高").is_err());
        assert!(parse_ratio("%").is_err());
    }

    #[test]
    fn fen_roundtrip_and_display() {
        assert_eq!(yuan_to_fen(dec!(1234.56)), 123456);
        assert_eq!(fen_to_yuan(123456), dec!(1234.56));
        assert_eq!(format_wan(dec!(12345678.9), 2), "1,234.57");
        assert_eq!(format_wan(dec!(2000000), 2), "200.00");
        assert_eq!(format_yuan(dec!(1234567.5)), "1,234,567.50");
        assert_eq!(format_percent(dec!(0.7493)), "74.9%");
        assert_eq!(format_wan(dec!(0), 2), "0.00");
    }
}
