//! The queue's statements about one claim (issue 21): holding its lease
//! before an effect, finishing the job only while the claim holds it, and
//! handing every job of a replica back at a shutdown. A claim is named by
//! its job, its holder and its number (`attempts`, which only a claim
//! moves, and only up), so an old claim never passes for a new one.

use chrono::{DateTime, Utc};
use photo_guard_core::{Fence, ReplicaId};

use crate::codec;
use crate::inbox::InboxError;
use crate::pool::on_pool;
use crate::SqlStore;

/// The claim in `$2` job, `$3` holder, `$4` claim number.
const THE_CLAIM: &str =
    "update_id = $2 AND leased_by = $3 AND attempts = $4 AND finished_at IS NULL";

impl SqlStore {
    /// `UPDATE inbox SET {set} WHERE` the claim; `$1` is `value`.
    async fn on_claim(&self, set: &str, value: &str, fence: &Fence) -> Result<bool, InboxError> {
        let sql = format!("UPDATE inbox SET {set} WHERE {THE_CLAIM}");
        let changed = on_pool!(&self.pool, pool => {
            sqlx::query(&sql)
                .bind(value)
                .bind(fence.update)
                .bind(fence.holder.as_str())
                .bind(fence.claim)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(changed == 1)
    }

    pub(crate) async fn hold_claim(
        &self,
        fence: &Fence,
        until: DateTime<Utc>,
    ) -> Result<bool, InboxError> {
        self.on_claim("lease_until = $1", &codec::time(until), fence)
            .await
    }

    pub(crate) async fn finish_claim(&self, fence: &Fence) -> Result<bool, InboxError> {
        let now = codec::time(Utc::now());
        self.on_claim("finished_at = $1", &now, fence).await
    }

    /// Every unfinished job `holder` leases is free to claim at once; the
    /// work still running on them is fenced out from here on.
    pub(crate) async fn release_held(&self, holder: &ReplicaId) -> Result<u64, InboxError> {
        let freed = on_pool!(&self.pool, pool => {
            sqlx::query(
                "UPDATE inbox SET leased_by = NULL, lease_until = NULL, not_before = NULL \
                 WHERE leased_by = $1 AND finished_at IS NULL",
            )
            .bind(holder.as_str())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(freed)
    }
}
