//! Every checked photo (append-only): chat, message, sender, tags, verdict,
//! whether it was enforced, the consent records relied on, the reason, the
//! face count and the time; and the per-chat counts for `/stats`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::ShareStore;
use photo_guard_core::{ChatStats, NewShare, PeriodStats, RecordId, StoreError, StoreResult};
use sqlx::Row;
use thiserror::Error;

use crate::codec;
use crate::error::database;
use crate::SqliteStore;

#[derive(Debug, Error)]
pub enum ShareError {
    #[error("share store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] crate::error::StoredValueError),
}

impl From<ShareError> for StoreError {
    fn from(err: ShareError) -> Self {
        match err {
            ShareError::Database(e) => database(e),
            ShareError::Stored(e) => e.into(),
        }
    }
}

/// A `SUM` or `COUNT` column, never negative.
fn count(row: &sqlx::sqlite::SqliteRow, col: &str) -> Result<u64, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)?.max(0) as u64)
}

impl SqliteStore {
    async fn insert_share(&self, share: NewShare) -> Result<RecordId, ShareError> {
        let id = sqlx::query(
            "INSERT INTO shares (chat_id, message_id, sender, tags, verdict, enforced, relied_on, \
             reason_code, reason_detail, faces, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(share.chat.0)
        .bind(share.message.0)
        .bind(share.sender.0)
        .bind(codec::codes_json(&share.tags))
        .bind(share.verdict.as_str())
        .bind(share.enforced)
        .bind(codec::ids_json(&share.relied_on))
        .bind(&share.reason_code)
        .bind(&share.reason_detail)
        .bind(i64::from(share.faces))
        .bind(codec::time(share.at))
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
        Ok(RecordId(id))
    }

    async fn select_stats(&self) -> Result<Vec<ChatStats>, ShareError> {
        let rows = sqlx::query(
            "SELECT chat_id, COUNT(*) AS checked, \
             SUM(verdict = 'allow') AS allowed, SUM(verdict = 'blur') AS blurred, \
             SUM(verdict = 'block') AS blocked \
             FROM shares GROUP BY chat_id ORDER BY chat_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ChatStats {
                    chat: row.try_get("chat_id")?,
                    checked: count(row, "checked")?,
                    allowed: count(row, "allowed")?,
                    blurred: count(row, "blurred")?,
                    blocked: count(row, "blocked")?,
                })
            })
            .collect()
    }
}

impl SqliteStore {
    /// Per chat and UTC day: the day is the first ten characters of the
    /// fixed-width time (`codec::time`), so no date function is needed.
    async fn select_daily(&self, since: DateTime<Utc>) -> Result<Vec<PeriodStats>, ShareError> {
        let rows = sqlx::query(
            "SELECT chat_id, substr(at, 1, 10) AS day, \
             SUM(verdict = 'allow') AS allowed, SUM(verdict = 'blur') AS blurred, \
             SUM(verdict = 'block') AS blocked \
             FROM shares WHERE at >= ? GROUP BY chat_id, day ORDER BY chat_id, day",
        )
        .bind(codec::time(since))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let day: String = row.try_get("day")?;
                Ok(PeriodStats {
                    chat: row.try_get("chat_id")?,
                    start: codec::parse_date(&day, "share day")?,
                    allowed: count(row, "allowed")?,
                    blurred: count(row, "blurred")?,
                    blocked: count(row, "blocked")?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn record_share(&self, share: NewShare) -> StoreResult<RecordId> {
        Ok(self.insert_share(share).await?)
    }

    /// Counts every checked photo by verdict, enforced or observed, per chat.
    async fn stats(&self) -> StoreResult<Vec<ChatStats>> {
        Ok(self.select_stats().await?)
    }

    async fn daily_stats(&self, since: DateTime<Utc>) -> StoreResult<Vec<PeriodStats>> {
        Ok(self.select_daily(since).await?)
    }
}
