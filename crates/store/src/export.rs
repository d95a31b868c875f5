//! The audit log as CSV (`photo-guard audit export`): entries read from the
//! database, written by the one writer the core holds
//! (`photo_guard_core::audit_csv`, which `/audit` uses too), so the file
//! verifies with `photo-guard audit verify --csv`.

use std::io::Write;

use chrono::{DateTime, Utc};
use photo_guard_core::audit_csv::{self, AuditCsvError};
use thiserror::Error;

use crate::audit::AuditError;
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] AuditCsvError),
}

impl SqlStore {
    /// Entries at or after `since` (all of them for `None`) as CSV; returns
    /// how many.
    pub async fn export_audit_csv<W: Write>(
        &self,
        since: Option<DateTime<Utc>>,
        writer: W,
    ) -> Result<u64, ExportError> {
        let entries = self.select_entries_since(since).await?;
        Ok(audit_csv::write_to(&entries, writer)?)
    }
}
