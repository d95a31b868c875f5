//! The audit log: append-only (the database refuses UPDATE and DELETE),
//! chained with a keyed MAC (`audit_chain`) and anchored outside the database
//! (`audit_anchor`). Appends hold an in-process lock and a transaction
//! serialised across processes (`audit_serial`), so no two entries chain to
//! the same predecessor; `seq` comes from the log's high-water mark (SQLite's
//! AUTOINCREMENT, a trigger-kept row on PostgreSQL), so a removed tail leaves
//! a gap that [`SqlStore::verify_audit`] reports even without the anchor.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::audit_csv::{AuditCsvError, AuditRow};
use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEntry, AuditEvent, ChatId, StoreError, StoreResult, UserId};
use thiserror::Error;

use crate::audit_anchor::{self, Anchor, AnchorStatus};
use crate::audit_chain::{legacy_entry_hash, GENESIS_PREV_HASH};
use crate::audit_serial::{AuditConn, SerialBegin};
use crate::codec;
use crate::error::{database, StoredValueError};
use crate::fence::{FenceConn, FenceError};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

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
    #[error(transparent)]
    Fence(#[from] FenceError),
}

impl From<AuditError> for StoreError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Database(e) => database(e),
            AuditError::Stored(e) => e.into(),
            AuditError::Fence(e) => e.into(),
            other => StoreError::Integrity(other.to_string()),
        }
    }
}

pub(crate) const COLUMNS: &str = "seq, at, actor, chat, action, detail, prev_hash, hash";

/// A row as stored, the time as text (what the chain covers).
pub(crate) fn audit_row(row: &impl Columns) -> Result<AuditRow, sqlx::Error> {
    Ok(AuditRow {
        seq: row.col("seq")?,
        at: row.col("at")?,
        actor: row.col("actor")?,
        chat: row.col("chat")?,
        action: row.col("action")?,
        detail: row.col("detail")?,
        prev_hash: row.col("prev_hash")?,
        hash: row.col("hash")?,
    })
}

pub(crate) fn entry_from_row(row: &impl Columns) -> Result<AuditEntry, AuditError> {
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

impl SqlStore {
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
        on_pool!(&self.pool, pool => {
            // Held while the anchor is written, so no append moves it meanwhile.
            let mut tx = pool.begin_serial().await?;
            let head = tx.head().await;
            self.create_anchor(head).await?;
            tx.rollback().await?;
        });
        Ok(())
    }

    /// Writes the first anchor for a log whose head is `head`.
    async fn create_anchor(
        &self,
        head: Result<Option<AuditRow>, sqlx::Error>,
    ) -> Result<(), AuditError> {
        let anchor = match head {
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
        self.save_anchor(anchor).await
    }

    /// The anchor to move after this append: the kept one, if it names an
    /// entry the log still holds. Otherwise it stays as it is (and says so).
    async fn anchor_to_move(&self, conn: &mut impl AuditConn) -> Option<Anchor> {
        self.shared.anchor_path.as_ref()?;
        let anchor = match self.load_anchor() {
            Ok(AnchorStatus::Kept(anchor)) => anchor,
            Ok(_) | Err(_) => {
                tracing::warn!("the audit anchor is missing or invalid; it is not moved (photo-guard audit verify reports it)");
                return None;
            }
        };
        match conn.holds(&anchor).await {
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

    /// Entry `seq` for `event`, chained to `prev_hash` and MACed.
    fn chained_row(&self, seq: i64, event: &AuditEvent, prev_hash: String) -> AuditRow {
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
        row
    }

    async fn append_entry(&self, event: AuditEvent) -> Result<AuditEntry, AuditError> {
        let _serial = self.shared.audit_lock.lock().await;
        let (row, anchor) = on_pool!(&self.pool, pool => {
            let mut tx = pool.begin_serial().await?;
            // Issue 21: a job's entry only while its claim holds the job,
            // and a check's entry once however often its job was claimed.
            tx.check_fence().await?;
            if let Some(entry) = tx.same_check(&event).await? {
                return Ok(entry);
            }
            let seq = tx.high_water().await? + 1;
            let prev_hash = tx
                .head()
                .await?
                .map_or_else(|| GENESIS_PREV_HASH.to_owned(), |row| row.hash);
            let anchor = self.anchor_to_move(&mut *tx).await;
            let row = self.chained_row(seq, &event, prev_hash);
            tx.insert_row(&row).await?;
            tx.commit().await?;
            (row, anchor)
        });
        let seq = row.seq;
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
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE at >= $1 ORDER BY seq");
        on_pool!(&self.pool, pool => {
            let rows = sqlx::query(&sql).bind(&since).fetch_all(pool).await?;
            rows.iter().map(entry_from_row).collect()
        })
    }
}

#[async_trait]
impl AuditLog for SqlStore {
    async fn append(&self, event: AuditEvent) -> StoreResult<AuditEntry> {
        Ok(self.append_entry(event).await?)
    }

    async fn entries_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<AuditEntry>> {
        Ok(self.select_entries_since(Some(since)).await?)
    }
}
