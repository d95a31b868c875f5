//! The audit log: append-only (the database refuses UPDATE and DELETE) and
//! hash-chained. Entry `seq` holds `prev_hash` (the hash of entry `seq - 1`;
//! 64 zeros for the first) and
//!
//! ```text
//! hash = hex(sha256(prev_hash ++ canonical))
//! canonical = JSON array [seq, at, actor, chat, action, detail]
//! ```
//!
//! with `at` exactly as stored (fixed-width UTC text), `actor`/`chat` numbers
//! or `null`, and serde_json's compact form, so anyone can recompute it from
//! the CSV export. Appends hold an in-process lock and a `BEGIN IMMEDIATE`
//! transaction, so no two entries chain to the same predecessor; `seq` comes
//! from SQLite's AUTOINCREMENT high-water mark, so a removed tail leaves a gap
//! that [`SqliteStore::verify_audit`] reports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEntry, AuditEvent, ChatId, StoreError, StoreResult, UserId};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::{database, StoredValueError};
use crate::SqliteStore;

/// The first entry's `prev_hash`.
pub const GENESIS_PREV_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Rows read at a time while verifying.
const PAGE: i64 = 1000;

#[derive(Debug, Error)]
pub enum AuditError {
    #[error("audit log: {0}")]
    Database(#[from] sqlx::Error),
    #[error("audit entry: {0}")]
    Stored(#[from] StoredValueError),
}

impl From<AuditError> for StoreError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Database(e) => database(e),
            AuditError::Stored(e) => e.into(),
        }
    }
}

/// What is wrong with the first broken entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's contents do not give its stored hash: it was altered.
    HashMismatch,
    /// Its `prev_hash` is not the hash of the entry before it.
    PrevMismatch,
    /// Entries `expected..seq` are missing.
    Gap { expected: i64 },
    /// The log once reached `high_water`; the entries after the last are gone.
    Truncated { high_water: i64 },
}

/// The first entry that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    pub seq: i64,
    pub problem: Break,
}

impl std::fmt::Display for BrokenEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            Break::HashMismatch => write!(f, "hash mismatch: its contents were altered"),
            Break::PrevMismatch => write!(
                f,
                "prev mismatch: prev_hash is not the hash of entry {} (an earlier entry was altered or replaced)",
                self.seq - 1
            ),
            Break::Gap { expected } if *expected == self.seq - 1 => {
                write!(f, "gap in seq: entry {expected} is missing")
            }
            Break::Gap { expected } => {
                write!(f, "gap in seq: entries {expected} to {} are missing", self.seq - 1)
            }
            Break::Truncated { high_water } => write!(
                f,
                "entries {} to {high_water} are missing (the log once reached {high_water})",
                self.seq
            ),
        }
    }
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// `None` when the chain is whole.
    pub broken: Option<BrokenEntry>,
}

impl AuditReport {
    pub fn is_ok(&self) -> bool {
        self.broken.is_none()
    }
}

/// The entry's hash as defined at the top of this module.
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: Option<i64>,
    chat: Option<i64>,
    action: &str,
    detail: &str,
) -> String {
    let canonical = serde_json::to_vec(&(seq, at, actor, chat, action, detail))
        .expect("numbers and strings always serialise");
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(&canonical);
    hex::encode(hasher.finalize())
}

const COLUMNS: &str = "seq, at, actor, chat, action, detail, prev_hash, hash";

fn entry_from_row(row: &SqliteRow) -> Result<AuditEntry, AuditError> {
    let at: &str = row.try_get("at")?;
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        event: AuditEvent {
            at: codec::parse_time(at, "audit at")?,
            actor: row.try_get::<Option<i64>, _>("actor")?.map(UserId),
            chat: row.try_get::<Option<i64>, _>("chat")?.map(ChatId),
            action: row.try_get("action")?,
            detail: row.try_get("detail")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl SqliteStore {
    async fn append_entry(&self, event: AuditEvent) -> Result<AuditEntry, AuditError> {
        let _serial = self.shared.audit_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let high_water: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)",
        )
        .fetch_one(&mut *tx)
        .await?;
        let prev_hash: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let prev_hash = prev_hash.unwrap_or_else(|| GENESIS_PREV_HASH.to_owned());
        let seq = high_water + 1;
        let at = codec::time(event.at);
        let actor = event.actor.map(|u| u.0);
        let chat = event.chat.map(|c| c.0);
        let hash = entry_hash(
            &prev_hash,
            seq,
            &at,
            actor,
            chat,
            &event.action,
            &event.detail,
        );
        sqlx::query(&format!(
            "INSERT INTO audit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(seq)
        .bind(&at)
        .bind(actor)
        .bind(chat)
        .bind(&event.action)
        .bind(&event.detail)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(AuditEntry {
            seq,
            event,
            prev_hash,
            hash,
        })
    }

    pub(crate) async fn select_entries_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<AuditEntry>, AuditError> {
        let since = since.map(codec::time).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE at >= ? ORDER BY seq"
        ))
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Checks the whole chain, oldest first, and names the first broken
    /// entry. Reads the stored columns as they are (a row whose time no longer
    /// parses is still checked by its hash).
    pub async fn verify_audit(&self) -> Result<AuditReport, AuditError> {
        let mut entries = 0u64;
        let mut expected = 1i64;
        let mut prev = GENESIS_PREV_HASH.to_owned();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT {PAGE}"
            ))
            .bind(expected)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                entries += 1;
                let seq: i64 = row.try_get("seq")?;
                let broken = |problem| {
                    Ok(AuditReport {
                        entries,
                        broken: Some(BrokenEntry { seq, problem }),
                    })
                };
                if seq != expected {
                    return broken(Break::Gap { expected });
                }
                let prev_hash: String = row.try_get("prev_hash")?;
                if prev_hash != prev {
                    return broken(Break::PrevMismatch);
                }
                let hash: String = row.try_get("hash")?;
                let computed = entry_hash(
                    &prev_hash,
                    seq,
                    row.try_get("at")?,
                    row.try_get("actor")?,
                    row.try_get("chat")?,
                    row.try_get("action")?,
                    row.try_get("detail")?,
                );
                if computed != hash {
                    return broken(Break::HashMismatch);
                }
                prev = hash;
                expected = seq + 1;
            }
        }
        let high_water: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)",
        )
        .fetch_one(&self.pool)
        .await?;
        let broken = (high_water >= expected).then_some(BrokenEntry {
            seq: expected,
            problem: Break::Truncated { high_water },
        });
        Ok(AuditReport { entries, broken })
    }
}

#[async_trait]
impl AuditLog for SqliteStore {
    async fn append(&self, event: AuditEvent) -> StoreResult<AuditEntry> {
        Ok(self.append_entry(event).await?)
    }

    async fn entries_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<AuditEntry>> {
        Ok(self.select_entries_since(Some(since)).await?)
    }
}
