//! Every checked photo (append-only): chat, message, sender, tags, verdict,
//! whether it was enforced, the consent records relied on, the reason, the
//! face count and the time; and the per-chat counts for `/stats`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::ShareStore;
use photo_guard_core::{ChatStats, NewShare, PeriodStats, RecordId, StoreError, StoreResult};
use thiserror::Error;

use crate::codec;
use crate::error::database;
use crate::fence::{FenceError, FencedBegin};
use crate::pool::{on_pool, Columns};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum ShareError {
    #[error("share store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] crate::error::StoredValueError),
    #[error(transparent)]
    Fence(#[from] FenceError),
}

impl From<ShareError> for StoreError {
    fn from(err: ShareError) -> Self {
        match err {
            ShareError::Database(e) => database(e),
            ShareError::Stored(e) => e.into(),
            ShareError::Fence(e) => e.into(),
        }
    }
}

impl SqlStore {
    async fn insert_share(&self, share: NewShare) -> Result<RecordId, ShareError> {
        let (tags, relied_on) = (
            codec::codes_json(&share.tags),
            codec::ids_json(&share.relied_on),
        );
        let at = codec::time(share.at);
        // Issue 21: a job's check is one row however often the job is claimed.
        let job = photo_guard_core::fence::current().map(|f| f.update);
        let id: i64 = on_pool!(&self.pool, pool => {
            // Issue 21: a job's share row only while its claim holds the job.
            let mut tx = pool.begin_fenced().await?;
            let id = sqlx::query_scalar(
                "INSERT INTO shares (chat_id, message_id, sender, tags, verdict, enforced, relied_on, \
                 reason_code, reason_detail, faces, at, job_update) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (chat_id, message_id, job_update) DO NOTHING RETURNING id",
            )
            .bind(share.chat.0)
            .bind(share.message.0)
            .bind(share.sender.0)
            .bind(&tags)
            .bind(share.verdict.as_str())
            .bind(share.enforced)
            .bind(&relied_on)
            .bind(&share.reason_code)
            .bind(&share.reason_detail)
            .bind(i64::from(share.faces))
            .bind(&at)
            .bind(job)
            .fetch_optional(&mut *tx)
            .await?;
            // Issue 21: this job's check was recorded by an earlier claim.
            let id = match id {
                Some(id) => id,
                None => sqlx::query_scalar(
                    "SELECT id FROM shares WHERE chat_id = $1 AND message_id = $2 AND job_update = $3",
                )
                .bind(share.chat.0)
                .bind(share.message.0)
                .bind(job)
                .fetch_one(&mut *tx)
                .await?,
            };
            tx.commit().await?;
            id
        });
        Ok(RecordId(id))
    }

    async fn select_stats(&self) -> Result<Vec<ChatStats>, ShareError> {
        // CASE, not SUM(verdict = 'allow'): PostgreSQL does not sum booleans.
        let sql = "SELECT chat_id, COUNT(*) AS checked, \
             SUM(CASE WHEN verdict = 'allow' THEN 1 ELSE 0 END) AS allowed, \
             SUM(CASE WHEN verdict = 'blur' THEN 1 ELSE 0 END) AS blurred, \
             SUM(CASE WHEN verdict = 'block' THEN 1 ELSE 0 END) AS blocked \
             FROM shares GROUP BY chat_id ORDER BY chat_id";
        on_pool!(&self.pool, pool => {
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            rows.iter().map(stats_from_row).collect()
        })
    }
}

fn stats_from_row(row: &impl Columns) -> Result<ChatStats, ShareError> {
    let count = |col: &str| -> Result<u64, sqlx::Error> { Ok(row.col::<i64>(col)?.max(0) as u64) };
    Ok(ChatStats {
        chat: row.col("chat_id")?,
        checked: count("checked")?,
        allowed: count("allowed")?,
        blurred: count("blurred")?,
        blocked: count("blocked")?,
    })
}

/// A `SUM` or `COUNT` column, never negative.
fn count(row: &impl Columns, col: &str) -> Result<u64, sqlx::Error> {
    Ok(row.col::<i64>(col)?.max(0) as u64)
}

impl SqlStore {
    /// Per chat and UTC day: the day is the first ten characters of the
    /// fixed-width time (`codec::time`), so no date function is needed
    /// (`substr` is the same on both back-ends).
    async fn select_daily(&self, since: DateTime<Utc>) -> Result<Vec<PeriodStats>, ShareError> {
        let sql = "SELECT chat_id, substr(at, 1, 10) AS day, \
             SUM(CASE WHEN verdict = 'allow' THEN 1 ELSE 0 END) AS allowed, \
             SUM(CASE WHEN verdict = 'blur' THEN 1 ELSE 0 END) AS blurred, \
             SUM(CASE WHEN verdict = 'block' THEN 1 ELSE 0 END) AS blocked \
             FROM shares WHERE at >= $1 GROUP BY chat_id, substr(at, 1, 10) \
             ORDER BY chat_id, day";
        let since = codec::time(since);
        on_pool!(&self.pool, pool => {
            let rows = sqlx::query(sql).bind(&since).fetch_all(pool).await?;
            rows.iter().map(daily_from_row).collect()
        })
    }
}

fn daily_from_row(row: &impl Columns) -> Result<PeriodStats, ShareError> {
    let day: String = row.col("day")?;
    Ok(PeriodStats {
        chat: row.col("chat_id")?,
        start: codec::parse_date(&day, "share day")?,
        allowed: count(row, "allowed")?,
        blurred: count(row, "blurred")?,
        blocked: count(row, "blocked")?,
    })
}

#[async_trait]
impl ShareStore for SqlStore {
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
