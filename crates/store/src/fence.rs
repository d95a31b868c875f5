//! The fence in the store (issue 21): a write made by a job's work (the
//! core's `fence::current()` is set) runs in a transaction that first
//! checks that the claim the work runs under still holds the job: the inbox
//! row still leased by that holder, under that claim's number, unfinished.
//! The check is in the same transaction as the row written, so a takeover
//! cannot slip between them: on PostgreSQL the check locks the inbox row
//! (`FOR UPDATE`; a claim skips a locked row, `SKIP LOCKED`, until the
//! write commits); on SQLite the transaction is `BEGIN IMMEDIATE`, which
//! claims wait behind. A refused write writes nothing.

use photo_guard_core::{fence, StoreError};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use thiserror::Error;

use crate::error::database;

/// Whether the claim still holds the job: `$1` job, `$2` holder, `$3` claim.
const HOLDS: &str = "SELECT update_id FROM inbox \
WHERE update_id = $1 AND leased_by = $2 AND attempts = $3 AND finished_at IS NULL";

#[derive(Debug, Error)]
pub enum FenceError {
    #[error("fence: {0}")]
    Database(#[from] sqlx::Error),
    #[error("job {0}'s lease is no longer held by this claim")]
    Lost(i64),
}

impl From<FenceError> for StoreError {
    fn from(err: FenceError) -> Self {
        match err {
            FenceError::Database(e) => database(e),
            FenceError::Lost(update) => StoreError::LeaseLost(update),
        }
    }
}

/// The check, inside a transaction already open.
pub(crate) trait FenceConn {
    /// `Ok` outside a job's work, or while its claim holds the job.
    async fn check_fence(&mut self) -> Result<(), FenceError>;
}

macro_rules! fence_conn {
    ($conn:ty, $lock:expr) => {
        impl FenceConn for $conn {
            async fn check_fence(&mut self) -> Result<(), FenceError> {
                let Some(fence) = fence::current() else {
                    return Ok(());
                };
                if fence::gave_up() {
                    return Err(FenceError::Lost(fence.update));
                }
                let held: Option<i64> = sqlx::query_scalar(&format!("{HOLDS}{}", $lock))
                    .bind(fence.update)
                    .bind(fence.holder.as_str())
                    .bind(fence.claim)
                    .fetch_optional(self)
                    .await?;
                held.map(drop).ok_or(FenceError::Lost(fence.update))
            }
        }
    };
}

fence_conn!(SqliteConnection, "");
fence_conn!(PgConnection, " FOR UPDATE");

/// Opens the transaction a write runs in, the fence checked first.
pub(crate) trait FencedBegin {
    type Db: sqlx::Database;
    async fn begin_fenced(&self) -> Result<Transaction<'static, Self::Db>, FenceError>;
}

impl FencedBegin for SqlitePool {
    type Db = Sqlite;
    async fn begin_fenced(&self) -> Result<Transaction<'static, Sqlite>, FenceError> {
        // The write lock from the start: the check and the write see one state.
        let mut tx = match fence::current() {
            Some(_) => self.begin_with("BEGIN IMMEDIATE").await?,
            None => self.begin().await?,
        };
        tx.check_fence().await?;
        Ok(tx)
    }
}

impl FencedBegin for PgPool {
    type Db = Postgres;
    async fn begin_fenced(&self) -> Result<Transaction<'static, Postgres>, FenceError> {
        let mut tx = self.begin().await?;
        tx.check_fence().await?;
        Ok(tx)
    }
}
