//! The audit log: append-only (the database refuses UPDATE and DELETE),
//! chained with a keyed MAC (`audit_chain`) and anchored outside the database
//! (`audit_anchor`). Appends hold an in-process lock and a `BEGIN IMMEDIATE`
//! transaction, so no two entries chain to the same predecessor; `seq` comes
//! from SQLite's AUTOINCREMENT high-water mark, so a removed tail leaves a gap
//! that [`SqliteStore::verify_audit`] reports even without the anchor.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::audit_csv::{AuditCsvError, AuditRow};
use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEntry, AuditEvent, ChatId, StoreError, StoreResult, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use thiserror::Error;

use crate::audit_anchor::{self, Anchor, AnchorStatus};
use crate::audit_chain::{legacy_entry_hash, GENESIS_PREV_HASH};
use crate::codec;
use crate::error::{database, StoredValueError};
use crate::SqliteStore;

#[derive(Debug, Error)]
pub enum AuditError {
    #[error("audit log: {0}")]
    Database(#[from] sqlx::Error),
    #[error("audit entry: {0}")]
    Stored(#[from] StoredValueError),
    #[error("audit anchor {path}: {source}")]
    Anchor {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Csv(#[from] AuditCsvError),
}

impl From<AuditError> for StoreError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Database(e) => database(e),
            AuditError::Stored(e) => e.into(),
            other => StoreError::Integrity(other.to_string()),
        }
    }
}

pub(crate) const COLUMNS: &str = "seq, at, actor, chat, action, detail, prev_hash, hash";

/// A row as stored, the time as text (what the chain covers).
pub(crate) fn audit_row(row: &SqliteRow) -> Result<AuditRow, sqlx::Error> {
    Ok(AuditRow {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        chat: row.try_get("chat")?,
        action: row.try_get("action")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

pub(crate) fn entry_from_row(row: &SqliteRow) -> Result<AuditEntry, AuditError> {
    let row = audit_row(row)?;
    Ok(AuditEntry {
        seq: row.seq,
        event: AuditEvent {
            at: codec::parse_time(&row.at, "audit at")?,
            actor: row.actor.map(UserId),
            chat: row.chat.map(ChatId),
            action: row.action,
            detail: row.detail,
        },
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}

pub(crate) async fn high_water(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)",
    )
    .fetch_one(conn)
    .await
}

async fn head(conn: &mut SqliteConnection) -> Result<Option<AuditRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT 1"
    ))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(audit_row).transpose()
}

/// Inserts the row as it is (its hash already made).
pub(crate) async fn insert_row(
    conn: &mut SqliteConnection,
    row: &AuditRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(row.seq)
    .bind(&row.at)
    .bind(row.actor)
    .bind(row.chat)
    .bind(&row.action)
    .bind(&row.detail)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the log holds the entry `anchor` names.
async fn holds(conn: &mut SqliteConnection, anchor: &Anchor) -> Result<bool, sqlx::Error> {
    if anchor.seq == 0 {
        return Ok(anchor.hash == GENESIS_PREV_HASH);
    }
    let hash: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = ?")
        .bind(anchor.seq)
        .fetch_optional(conn)
        .await?;
    Ok(hash.as_deref() == Some(anchor.hash.as_str()))
}

impl SqliteStore {
    fn anchor_error(&self, source: std::io::Error) -> AuditError {
        let path = self.shared.anchor_path.as_deref();
        AuditError::Anchor {
            path: path.map(|p| p.display().to_string()).unwrap_or_default(),
            source,
        }
    }

    pub(crate) fn load_anchor(&self) -> Result<AnchorStatus, AuditError> {
        audit_anchor::load(self.shared.anchor_path.as_deref(), &self.shared.audit_keys)
            .map_err(|e| self.anchor_error(e))
    }

    /// Writes the anchor, off the async threads (it syncs to disk).
    async fn save_anchor(&self, anchor: Anchor) -> Result<(), AuditError> {
        let Some(path) = self.shared.anchor_path.clone() else {
            return Ok(());
        };
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || audit_anchor::save(&path, &shared.audit_keys, &anchor))
            .await
            .map_err(|e| self.anchor_error(std::io::Error::other(e)))?
            .map_err(|e| self.anchor_error(e))
    }

    /// At open: creates the anchor when none is kept yet and the log has no
    /// keyed entry (a new database, or one written by a version before the
    /// key, whose entries so far are then taken as legacy). Beside keyed
    /// entries a missing anchor is left missing, for `audit verify` to report.
    pub(crate) async fn ensure_anchor(&self) -> Result<(), AuditError> {
        if self.load_anchor()? != AnchorStatus::Missing {
            return Ok(());
        }
        let _serial = self.shared.audit_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let anchor = match head(&mut tx).await {
            Ok(None) => Anchor {
                seq: 0,
                hash: GENESIS_PREV_HASH.to_owned(),
                legacy_end: 0,
            },
            Ok(Some(row)) if legacy_entry_hash(&row) == row.hash => Anchor {
                seq: row.seq,
                hash: row.hash,
                legacy_end: row.seq,
            },
            _ => {
                tracing::warn!(
                    "the audit anchor is missing beside a keyed audit log; it is not re-created \
                     (photo-guard audit verify reports it)"
                );
                return Ok(());
            }
        };
        self.save_anchor(anchor).await?;
        tx.rollback().await?;
        Ok(())
    }

    /// The anchor to move after this append: the kept one, if it names an
    /// entry the log still holds. Otherwise it stays as it is (and says so).
    async fn anchor_to_move(&self, conn: &mut SqliteConnection) -> Option<Anchor> {
        self.shared.anchor_path.as_ref()?;
        let anchor = match self.load_anchor() {
            Ok(AnchorStatus::Kept(anchor)) => anchor,
            Ok(_) | Err(_) => {
                tracing::warn!("the audit anchor is missing or invalid; it is not moved (photo-guard audit verify reports it)");
                return None;
            }
        };
        match holds(conn, &anchor).await {
            Ok(true) => Some(anchor),
            _ => {
                tracing::warn!(
                    anchor_seq = anchor.seq,
                    "the audit log no longer holds the entry its anchor names; the anchor is not moved \
                     (photo-guard audit verify reports it)"
                );
                None
            }
        }
    }

    async fn append_entry(&self, event: AuditEvent) -> Result<AuditEntry, AuditError> {
        let _serial = self.shared.audit_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let seq = high_water(&mut tx).await? + 1;
        let prev_hash = head(&mut tx)
            .await?
            .map_or_else(|| GENESIS_PREV_HASH.to_owned(), |row| row.hash);
        let anchor = self.anchor_to_move(&mut tx).await;
        let mut row = AuditRow {
            seq,
            at: codec::time(event.at),
            actor: event.actor.map(|u| u.0),
            chat: event.chat.map(|c| c.0),
            action: event.action.clone(),
            detail: event.detail.clone(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = self.shared.audit_keys.entry_mac(&row);
        insert_row(&mut tx, &row).await?;
        tx.commit().await?;
        if let Some(old) = anchor {
            let moved = Anchor {
                seq,
                hash: row.hash.clone(),
                legacy_end: old.legacy_end,
            };
            // The entry is in: failing here must not make the caller retry it.
            if let Err(e) = self.save_anchor(moved).await {
                tracing::error!(error = %e, seq, "cannot move the audit anchor");
            }
        }
        Ok(AuditEntry {
            seq,
            event,
            prev_hash: row.prev_hash,
            hash: row.hash,
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
