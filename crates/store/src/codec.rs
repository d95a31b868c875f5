//! How values are written into SQLite columns and read back: times as
//! fixed-width UTC text (so text order is time order and nanoseconds survive),
//! calendar days as `YYYY-MM-DD`, lists as JSON arrays.

use chrono::{DateTime, NaiveDate, Utc};
use photo_guard_core::{audit_csv, ClientCode, RecordId};

use crate::error::StoredValueError;

/// `2025-01-31T08:00:00.000000000Z`: always the same width. The form is
/// defined once, in the core (`audit_csv::canonical_time`), because the audit
/// chain covers it and the CSV export writes it.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    audit_csv::canonical_time(at)
}

pub(crate) fn parse_time(raw: &str, what: &'static str) -> Result<DateTime<Utc>, StoredValueError> {
    audit_csv::parse_canonical_time(raw).ok_or_else(|| StoredValueError::new(what, raw))
}

pub(crate) fn parse_opt_time(
    raw: Option<String>,
    what: &'static str,
) -> Result<Option<DateTime<Utc>>, StoredValueError> {
    raw.map(|r| parse_time(&r, what)).transpose()
}

pub(crate) fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(raw: &str, what: &'static str) -> Result<NaiveDate, StoredValueError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| StoredValueError::new(what, raw))
}

pub(crate) fn codes_json(codes: &[ClientCode]) -> String {
    serde_json::to_string(&codes.iter().map(ClientCode::as_str).collect::<Vec<_>>())
        .expect("a list of strings always serialises")
}

pub(crate) fn parse_codes_json(
    raw: &str,
    what: &'static str,
) -> Result<Vec<ClientCode>, StoredValueError> {
    let strings: Vec<String> =
        serde_json::from_str(raw).map_err(|_| StoredValueError::new(what, raw))?;
    strings
        .iter()
        .map(|s| ClientCode::parse(s).map_err(|_| StoredValueError::new(what, raw)))
        .collect()
}

pub(crate) fn ids_json(ids: &[RecordId]) -> String {
    serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())
        .expect("a list of numbers always serialises")
}

pub(crate) fn parse_code(raw: &str, what: &'static str) -> Result<ClientCode, StoredValueError> {
    ClientCode::parse(raw).map_err(|_| StoredValueError::new(what, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_fixed_width_so_text_order_is_time_order() {
        let early = Utc.with_ymd_and_hms(2025, 1, 31, 8, 0, 0).unwrap();
        let later = early + chrono::Duration::nanoseconds(1_500);
        assert_eq!(time(early), "2025-01-31T08:00:00.000000000Z");
        assert_eq!(time(early).len(), time(later).len());
        assert!(time(early) < time(later));
        assert_eq!(parse_time(&time(later), "t").unwrap(), later);
    }
}
