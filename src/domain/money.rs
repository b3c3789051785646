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
    #[error("「{0}」超过上限（金额最多 1 万亿元，即 10¹² 元；数字最多 15 位整数、10 位小数）")]
    TooLarge(String),
    #[error("「{0}」是科学计数法，请写成普通数字（如 1234567.89），并把单元格格式设为数值")]
    Exponent(String),
    #[error("「{0}」的千分位逗号位置不对（应每三位一个，如 1,234,567.89）")]
    Separators(String),
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

/// The largest amount anything accepts: 10¹² 元 (one 万亿元, fifty times the
/// bureau's whole budget). Larger figures are typing or crafted input, and
/// refused naming the value rather than overflowing or saturating.
pub const MAX_AMOUNT_YUAN: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Most digits a number may have before or after its point: 10¹⁵ leaves the
/// ceiling above plenty of room, and no arithmetic on such figures can overflow.
const MAX_INTEGER_DIGITS: usize = 15;
const MAX_FRACTION_DIGITS: usize = 10;

/// Parses a plain decimal number, accepting thousands separators in their
/// places (`1,234,567.89`; `1,2,3` is refused) and spaces at either end. An
/// exponent (`1e308`) and more than 15 integer or 10 decimal digits are refused.
pub fn parse_decimal(input: &str) -> Result<Decimal, MoneyError> {
    let half = to_half_width(input.trim());
    let trimmed = half.trim();
    if trimmed.is_empty() {
        return Err(MoneyError::Empty);
    }
    let bad = || MoneyError::NotANumber(input.trim().to_string());
    let (negative, body) = match trimmed.as_bytes()[0] {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if body.contains(['e', 'E'])
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'e' | 'E' | '+' | '-'))
    {
        return Err(MoneyError::Exponent(input.trim().to_string()));
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
        return Err(bad());
    }
    let digits: String = if int.contains(',') {
        // Groups of three after a first group of one to three digits.
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
        if !first_ok || !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
            return Err(MoneyError::Separators(input.trim().to_string()));
        }
        int.chars().filter(|c| *c != ',').collect()
    } else if int.bytes().all(|b| b.is_ascii_digit()) {
        int.to_string()
    } else {
        return Err(bad());
    };
    let significant = digits.trim_start_matches('0').len();
    if significant > MAX_INTEGER_DIGITS || frac.len() > MAX_FRACTION_DIGITS {
        return Err(MoneyError::TooLarge(input.trim().to_string()));
    }
    let text = if frac.is_empty() {
        digits
    } else {
        format!("{}.{frac}", if digits.is_empty() { "0" } else { &digits })
    };
    let value = Decimal::from_str(&text).map_err(|_| bad())?;
    Ok(if negative { -value } else { value })
}

/// Parses an amount into 元: `1,234.56`, `1234.56元`, `12.3万元`, `12.3万`, `2.4亿元`.
/// 万 and 亿 are converted exactly. Negative amounts, fractions of a 分 and
/// amounts above `MAX_AMOUNT_YUAN` are refused.
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
    let number = parse_decimal(number).map_err(|e| match e {
        MoneyError::Empty if !half.is_empty() => MoneyError::NotANumber(input.trim().to_string()),
        MoneyError::NotANumber(_) => MoneyError::NotANumber(input.trim().to_string()),
        MoneyError::Separators(_) => MoneyError::Separators(input.trim().to_string()),
        MoneyError::Exponent(_) => MoneyError::Exponent(input.trim().to_string()),
        MoneyError::TooLarge(_) => MoneyError::TooLarge(input.trim().to_string()),
        other => other,
    })?;
    let value = number
        .checked_mul(factor)
        .ok_or_else(|| MoneyError::TooLarge(input.trim().to_string()))?;
    check_amount(value, input.trim())
}

/// An amount in 元 within the rules: not negative, whole 分, at most `MAX_AMOUNT_YUAN`.
/// `written` is how the value was written, for the message.
pub fn check_amount(value: Decimal, written: &str) -> Result<Decimal, MoneyError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative(written.to_string()));
    }
    if value > MAX_AMOUNT_YUAN {
        return Err(MoneyError::TooLarge(written.to_string()));
    }
    let value = value.normalize();
    if value.scale() > 2 {
        return Err(MoneyError::TooPrecise(written.to_string()));
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

/// 元 → 分, for storage as an exact integer. Amounts are parsed within
/// `MAX_AMOUNT_YUAN`, so this never saturates for anything imported; a figure
/// beyond i64 分 (only by a programming error) saturates instead of panicking.
pub fn yuan_to_fen(yuan: Decimal) -> i64 {
    yuan.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|f| f.round().to_i64())
        .unwrap_or(if yuan.is_sign_negative() { i64::MIN } else { i64::MAX })
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

/// A threshold as a percentage without trailing zeros: 0.75 → "75%", 0.755 → "75.5%".
pub fn format_percent_short(ratio: Decimal) -> String {
    format!("{}%", (ratio * Decimal::ONE_HUNDRED).normalize())
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
        assert_eq!(parse_amount("1,234,567.89"), Ok(dec!(1234567.89)));
        assert_eq!(parse_amount("999,999,999,999.99"), Ok(dec!(999999999999.99)));
        assert_eq!(parse_amount("1000000000000"), Ok(MAX_AMOUNT_YUAN));
        assert_eq!(parse_amount("1亿元"), Ok(dec!(100000000)));
        assert_eq!(parse_amount("+5"), Ok(dec!(5)));
        assert_eq!(parse_amount(".5"), Ok(dec!(0.5)));
    }

    #[test]
    fn huge_crafted_and_malformed_amounts_are_refused_never_overflow() {
        for s in [
            "79228162514264337593543950335万元",
            "79228162514264337593543950335",
            "99999999999999999999999",
            "1000000000000.01",
            "100000001万元",
            "10001亿",
            "12345678901234567.89",
            "0.00000000001",
        ] {
            assert!(
                matches!(
                    parse_amount(s),
                    Err(MoneyError::TooLarge(_) | MoneyError::TooPrecise(_))
                ),
                "{s}: {:?}",
                parse_amount(s)
            );
        }
        assert_eq!(
            parse_amount("99999999999999999999999").unwrap_err().to_string(),
            "「99999999999999999999999」超过上限（金额最多 1 万亿元，即 10¹² 元；数字最多 15 位整数、10 位小数）"
        );
        for s in ["1e308", "1E5", "1.5e3", "1e-5"] {
            assert_eq!(parse_amount(s), Err(MoneyError::Exponent(s.into())), "{s}");
        }
        for s in ["1,2,3", "12,34", "1234,567", ",123", "1,234,56", "1,,234", "1,234.5,6"] {
            assert!(parse_amount(s).is_err(), "{s}");
        }
        assert_eq!(parse_amount("1,2,3"), Err(MoneyError::Separators("1,2,3".into())));
        for s in ["1 2 3", "--5", "+-5", "1-2", "٣", "NaN", "inf", "0x10", "."] {
            assert!(parse_amount(s).is_err(), "{s}");
        }
        assert_eq!(yuan_to_fen(Decimal::MAX), i64::MAX);
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
        assert_eq!(format_percent_short(dec!(0.75)), "75%");
        assert_eq!(format_percent_short(dec!(0.8)), "80%");
        assert_eq!(format_percent_short(dec!(0.755)), "75.5%");
        assert_eq!(format_wan(dec!(0), 2), "0.00");
    }
}
