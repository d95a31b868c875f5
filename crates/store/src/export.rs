//! The audit log as CSV (`photo-guard audit export`, `/audit`): one row per
//! entry, oldest first, with every column the hash covers, so the chain can be
//! checked from the file alone.

use std::io::Write;

use chrono::{DateTime, Utc};
use photo_guard_core::AuditEntry;
use thiserror::Error;

use crate::audit::AuditError;
use crate::codec;
use crate::SqliteStore;

pub const CSV_HEADER: [&str; 8] = [
    "seq",
    "at",
    "actor",
    "chat",
    "action",
    "detail",
    "prev_hash",
    "hash",
];

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the CSV: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes the header and one row per entry; returns how many entries. An
/// absent actor or chat is an empty field; `at` is written as stored.
pub fn write_audit_csv<W: Write>(entries: &[AuditEntry], writer: W) -> Result<u64, ExportError> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(CSV_HEADER)?;
    for entry in entries {
        let event = &entry.event;
        out.write_record([
            entry.seq.to_string(),
            codec::time(event.at),
            event.actor.map(|u| u.0.to_string()).unwrap_or_default(),
            event.chat.map(|c| c.0.to_string()).unwrap_or_default(),
            event.action.clone(),
            event.detail.clone(),
            entry.prev_hash.clone(),
            entry.hash.clone(),
        ])?;
    }
    out.flush()?;
    Ok(entries.len() as u64)
}

impl SqliteStore {
    /// Entries at or after `since` (all of them for `None`) as CSV.
    pub async fn export_audit_csv<W: Write>(
        &self,
        since: Option<DateTime<Utc>>,
        writer: W,
    ) -> Result<u64, ExportError> {
        let entries = self.select_entries_since(since).await?;
        write_audit_csv(&entries, writer)
    }
}
