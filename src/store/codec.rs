//! Reading stored codes back into domain enums; a code the build does not know
//! is reported, never guessed.

use super::StoreError;

/// Parses a stored enum code with the enum's own `from_code`.
pub(super) fn decode<T>(code: &str, from_code: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    from_code(code).ok_or_else(|| StoreError::BadValue(code.to_string()))
}

/// Parses an optional stored enum code.
pub(super) fn decode_opt<T>(code: Option<String>, from_code: fn(&str) -> Option<T>) -> Result<Option<T>, StoreError> {
    code.map(|c| decode(&c, from_code)).transpose()
}

/// Parses a decimal stored as TEXT.
pub(super) fn decimal(text: &str) -> Result<rust_decimal::Decimal, StoreError> {
    text.parse().map_err(|_| StoreError::BadValue(text.to_string()))
}

/// Parses a date stored as `YYYY-MM-DD`.
pub(super) fn date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::BadValue(text.to_string()))
}
