//! The inbox as a job queue (issue 21), a small SQL queue on the `inbox`
//! table itself: a job is claimed under a lease (`leased_by`, `lease_until`)
//! by one statement, on PostgreSQL picking its row `FOR UPDATE SKIP LOCKED`
//! so replicas claiming at once never wait on or take the same job, on
//! SQLite inside one `BEGIN IMMEDIATE` write transaction. One chat's jobs
//! are claimed one at a time, oldest first: a job waits while another job
//! of its chat is leased, or an older one of its chat is still to be
//! claimed. A lapsed lease frees its job for any replica. Work left
//! unfinished waits for `not_before` and does not hold its chat's line.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use photo_guard_core::store::JobQueue;
use photo_guard_core::{ChatId, Fence, Job, Lease, ReplicaId, StoreResult, PLATFORM_ID_BASE};

use crate::codec;
use crate::inbox::{payload, InboxError};
use crate::pool::{on_pool, Backend, Columns};
use crate::sealed_text;
use crate::SqlStore;

/// An update that cannot be opened (another key, a damaged row) is set
/// aside this long, so it never holds the queue; `doctor` counts it.
const UNREADABLE_PAUSE: i64 = 3600;

/// How many unreadable jobs one claim sets aside before it gives up.
const CLAIM_TRIES: usize = 8;

/// Claims one job: `$1` holder, `$2` lease end, `$3` now, `$4` the first
/// id that is not Telegram's. `{lock}` is PostgreSQL's row lock clause.
const CLAIM: &str = "UPDATE inbox \
SET leased_by = $1, lease_until = $2, not_before = NULL, attempts = attempts + 1 \
WHERE update_id = (\
 SELECT j.update_id FROM inbox j \
 WHERE j.finished_at IS NULL AND j.update_id < $4 \
 AND (j.lease_until IS NULL OR j.lease_until < $3) \
 AND (j.not_before IS NULL OR j.not_before <= $3) \
 AND NOT EXISTS (SELECT 1 FROM inbox o \
  WHERE o.chat = j.chat AND o.finished_at IS NULL AND o.update_id <> j.update_id \
  AND ((o.lease_until IS NOT NULL AND o.lease_until >= $3) \
   OR ((o.received_at < j.received_at \
        OR (o.received_at = j.received_at AND o.update_id < j.update_id)) \
       AND (o.not_before IS NULL OR o.not_before <= $3)))) \
 ORDER BY j.received_at, j.update_id LIMIT 1 {lock}) \
RETURNING update_id, payload, attempts";

/// A claimed row as stored: its payload still sealed.
type Claimed = (i64, String, i64);

impl SqlStore {
    async fn claim_row(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
    ) -> Result<Option<Claimed>, InboxError> {
        let (begin, lock) = match self.backend() {
            Backend::Sqlite => ("BEGIN IMMEDIATE", ""),
            Backend::Postgres => ("BEGIN", "FOR UPDATE SKIP LOCKED"),
        };
        let sql = CLAIM.replace("{lock}", lock);
        let (until, now) = (codec::time(lease.until), codec::time(now));
        let row = on_pool!(&self.pool, pool => {
            let mut tx = pool.begin_with(begin).await?;
            let row = sqlx::query(&sql)
                .bind(lease.holder.as_str())
                .bind(&until)
                .bind(&now)
                .bind(PLATFORM_ID_BASE)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            match row {
                None => None,
                Some(r) => Some((r.col("update_id")?, r.col("payload")?, r.col("attempts")?)),
            }
        });
        Ok(row)
    }

    async fn claim_job(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
    ) -> Result<Option<Job>, InboxError> {
        for _ in 0..CLAIM_TRIES {
            let Some((update, sealed, attempts)) = self.claim_row(lease, now).await? else {
                return Ok(None);
            };
            match payload(sealed_text::open, &self.shared.cipher, update, &sealed) {
                Ok(clear) => {
                    let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
                    return Ok(Some(Job {
                        update,
                        payload: clear,
                        attempts,
                    }));
                }
                Err(_) => {
                    tracing::warn!(
                        update_id = update,
                        "a job cannot be read (another QUARANTINE_KEY, or the row was altered); \
                         set aside, photo-guard doctor counts it"
                    );
                    let later = now + Duration::seconds(UNREADABLE_PAUSE);
                    self.give_back(update, &lease.holder, later).await?;
                }
            }
        }
        Ok(None)
    }

    async fn renew_lease(&self, update: i64, lease: &Lease) -> Result<bool, InboxError> {
        let until = codec::time(lease.until);
        let renewed = on_pool!(&self.pool, pool => {
            sqlx::query(
                "UPDATE inbox SET lease_until = $1 \
                 WHERE update_id = $2 AND leased_by = $3 AND finished_at IS NULL",
            )
            .bind(&until)
            .bind(update)
            .bind(lease.holder.as_str())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(renewed == 1)
    }

    async fn give_back(
        &self,
        update: i64,
        holder: &ReplicaId,
        at: DateTime<Utc>,
    ) -> Result<(), InboxError> {
        let at = codec::time(at);
        on_pool!(&self.pool, pool => {
            sqlx::query(
                "UPDATE inbox SET leased_by = NULL, lease_until = NULL, not_before = $1 \
                 WHERE update_id = $2 AND leased_by = $3",
            )
            .bind(&at)
            .bind(update)
            .bind(holder.as_str())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// SQLite is one process's store: whatever it leased before is this
    /// process's from a former run. On PostgreSQL only `holder`'s own.
    async fn requeue_held(&self, holder: &ReplicaId) -> Result<u64, InboxError> {
        let base = "UPDATE inbox SET leased_by = NULL, lease_until = NULL, not_before = NULL \
                    WHERE finished_at IS NULL AND ((leased_by IS NULL AND not_before IS NOT NULL) OR";
        let sql = match self.backend() {
            Backend::Sqlite => format!("{base} leased_by IS NOT NULL)"),
            Backend::Postgres => format!("{base} leased_by = $1)"),
        };
        let pg = self.backend() == Backend::Postgres;
        let freed = on_pool!(&self.pool, pool => {
            let query = sqlx::query(&sql);
            let query = if pg { query.bind(holder.as_str()) } else { query };
            query.execute(pool).await?.rows_affected()
        });
        Ok(freed)
    }
}

#[async_trait]
impl JobQueue for SqlStore {
    async fn enqueue(
        &self,
        update_id: i64,
        chat: Option<ChatId>,
        payload: &str,
    ) -> StoreResult<bool> {
        Ok(self
            .insert_update(update_id, chat.map(|c| c.0), payload)
            .await?)
    }

    async fn claim(&self, lease: &Lease, now: DateTime<Utc>) -> StoreResult<Option<Job>> {
        Ok(self.claim_job(lease, now).await?)
    }

    async fn renew(&self, update_id: i64, lease: &Lease) -> StoreResult<bool> {
        Ok(self.renew_lease(update_id, lease).await?)
    }

    async fn retry_at(
        &self,
        update_id: i64,
        holder: &ReplicaId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(self.give_back(update_id, holder, at).await?)
    }

    async fn requeue(&self, holder: &ReplicaId) -> StoreResult<u64> {
        Ok(self.requeue_held(holder).await?)
    }

    async fn hold(&self, fence: &Fence, until: DateTime<Utc>) -> StoreResult<bool> {
        Ok(self.hold_claim(fence, until).await?)
    }

    async fn finish_held(&self, fence: &Fence) -> StoreResult<bool> {
        Ok(self.finish_claim(fence).await?)
    }

    async fn release(&self, holder: &ReplicaId) -> StoreResult<u64> {
        Ok(self.release_held(holder).await?)
    }
}
