//! Who leads the scheduled rounds among the replicas (issue 21): one row
//! per lead, its holder and its lease's end. Taking or keeping the lead is
//! one upsert, so two replicas asking at once never both get it: the row
//! is written only when it is free, lapsed, or already the asker's (on
//! SQLite, one process's store, always).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use photo_guard_core::store::LeaderStore;
use photo_guard_core::{ReplicaId, StoreError, StoreResult};
use thiserror::Error;

use crate::codec;
use crate::error::database;
use crate::pool::{on_pool, Backend};
use crate::SqlStore;

#[derive(Debug, Error)]
pub enum LeaderError {
    #[error("leaders: {0}")]
    Database(#[from] sqlx::Error),
}

impl From<LeaderError> for StoreError {
    fn from(err: LeaderError) -> Self {
        match err {
            LeaderError::Database(e) => database(e),
        }
    }
}

/// `$1` name, `$2` holder, `$3` the lease's end, `$4` now; `{free}` says
/// when another holder's lead may be taken.
const LEAD: &str = "INSERT INTO leaders (name, holder, until) VALUES ($1, $2, $3) \
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
WHERE leaders.holder = excluded.holder OR {free}";

impl SqlStore {
    async fn take_lead(
        &self,
        name: &str,
        holder: &ReplicaId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, LeaderError> {
        let (until, now) = (codec::time(until), codec::time(now));
        // SQLite is one process's store (as for the queue's `requeue`): a
        // lead left by a former run of it is this run's at once.
        let free = match self.backend() {
            Backend::Sqlite => "$4 = $4",
            Backend::Postgres => "leaders.until < $4",
        };
        let sql = LEAD.replace("{free}", free);
        let written = on_pool!(&self.pool, pool => {
            sqlx::query(&sql)
                .bind(name)
                .bind(holder.as_str())
                .bind(&until)
                .bind(&now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(written == 1)
    }

    async fn give_up_lead(&self, name: &str, holder: &ReplicaId) -> Result<(), LeaderError> {
        on_pool!(&self.pool, pool => {
            sqlx::query("DELETE FROM leaders WHERE name = $1 AND holder = $2")
                .bind(name)
                .bind(holder.as_str())
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[async_trait]
impl LeaderStore for SqlStore {
    async fn lead(
        &self,
        name: &str,
        holder: &ReplicaId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        Ok(self.take_lead(name, holder, until, now).await?)
    }

    async fn resign(&self, name: &str, holder: &ReplicaId) -> StoreResult<()> {
        Ok(self.give_up_lead(name, holder).await?)
    }
}
