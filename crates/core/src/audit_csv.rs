//! The audit log as CSV: the one writer every export uses (`photo-guard audit
//! export`, the `/audit` document an admin receives) and its reader (for
//! `photo-guard audit verify --csv`), and the one text form of an entry's time
//! that the store keeps and the chain covers.
//!
//! A row carries every column the chain covers, exactly as stored, so the
//! chain can be checked from the file alone. A cell a spreadsheet would run as
//! a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
//! per OWASP) is written with a `'` in front; so is a cell that itself starts
//! with `'`, which keeps the change reversible: the reader takes one leading
//! `'` off every cell that has one. Whole integers (a negative chat id) are
//! numbers to a spreadsheet, not formulas, and are written as they are. The
//! chain covers the stored value, never the neutralised cell.

use std::borrow::Cow;
use std::io::{Read, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use thiserror::Error;

use crate::AuditEntry;

/// The columns, in order.
pub const HEADER: [&str; 8] = [
    "seq",
    "at",
    "actor",
    "chat",
    "action",
    "detail",
    "prev_hash",
    "hash",
];

/// What a spreadsheet would read as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// The mark put in front of such a cell.
const QUOTE: char = '\'';

#[derive(Debug, Error)]
pub enum AuditCsvError {
    #[error("audit CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("audit CSV: {0}")]
    Io(#[from] std::io::Error),
    #[error("audit CSV line {line}: {reason}")]
    Row { line: u64, reason: String },
}

/// `2025-01-31T08:00:00.000000000Z`: UTC, nanoseconds, always the same width,
/// so text order is time order. The store keeps times in this form and the
/// chain covers it.
pub fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Reads a time written by [`canonical_time`] (any RFC 3339 time is taken).
pub fn parse_canonical_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// One entry as the chain covers it: the time as text, ids as numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: Option<i64>,
    pub chat: Option<i64>,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<&AuditEntry> for AuditRow {
    fn from(entry: &AuditEntry) -> Self {
        let event = &entry.event;
        Self {
            seq: entry.seq,
            at: canonical_time(event.at),
            actor: event.actor.map(|u| u.0),
            chat: event.chat.map(|c| c.0),
            action: event.action.clone(),
            detail: event.detail.clone(),
            prev_hash: entry.prev_hash.clone(),
            hash: entry.hash.clone(),
        }
    }
}

/// The cell as written: `'` in front of what could start a formula.
fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_STARTS) || cell.starts_with(QUOTE);
    if risky && cell.parse::<i64>().is_err() {
        Cow::Owned(format!("{QUOTE}{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The stored value a written cell stands for.
fn restore(cell: &str) -> &str {
    cell.strip_prefix(QUOTE).unwrap_or(cell)
}

fn opt_number(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Writes the header and one row per entry, oldest first as given; returns
/// how many entries. An absent actor or chat is an empty cell.
pub fn write_to<W: Write>(entries: &[AuditEntry], writer: W) -> Result<u64, AuditCsvError> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(HEADER)?;
    for entry in entries {
        let row = AuditRow::from(entry);
        let cells = [
            row.seq.to_string(),
            row.at,
            opt_number(row.actor),
            opt_number(row.chat),
            row.action,
            row.detail,
            row.prev_hash,
            row.hash,
        ];
        out.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
    }
    out.flush()?;
    Ok(entries.len() as u64)
}

/// The CSV as bytes (for a document sent in a chat).
pub fn to_bytes(entries: &[AuditEntry]) -> Result<Vec<u8>, AuditCsvError> {
    let mut out = Vec::new();
    write_to(entries, &mut out)?;
    Ok(out)
}

/// Reads a CSV written by [`write_to`] back into rows, undoing the
/// neutralisation. A header other than [`HEADER`] or a cell that does not
/// parse is an error naming its line.
pub fn read<R: Read>(reader: R) -> Result<Vec<AuditRow>, AuditCsvError> {
    let mut parsed = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(reader);
    let mut records = parsed.records();
    let header = records.next().transpose()?.unwrap_or_default();
    if !header.iter().eq(HEADER) {
        return Err(AuditCsvError::Row {
            line: 1,
            reason: format!("the header must be {}", HEADER.join(",")),
        });
    }
    records
        .map(|record| {
            let record = record?;
            let line = record.position().map_or(0, |p| p.line());
            row_from(&record).map_err(|reason| AuditCsvError::Row { line, reason })
        })
        .collect()
}

fn row_from(record: &csv::StringRecord) -> Result<AuditRow, String> {
    if record.len() != HEADER.len() {
        return Err(format!("{} cells, expected {}", record.len(), HEADER.len()));
    }
    let cell = |i: usize| restore(&record[i]);
    let number = |i: usize| {
        cell(i)
            .parse::<i64>()
            .map_err(|_| format!("{} is not a whole number", HEADER[i]))
    };
    let opt = |i: usize| match cell(i) {
        "" => Ok(None),
        _ => number(i).map(Some),
    };
    Ok(AuditRow {
        seq: number(0)?,
        at: cell(1).to_owned(),
        actor: opt(2)?,
        chat: opt(3)?,
        action: cell(4).to_owned(),
        detail: cell(5).to_owned(),
        prev_hash: cell(6).to_owned(),
        hash: cell(7).to_owned(),
    })
}

#[cfg(test)]
#[path = "audit_csv_tests.rs"]
mod tests;
