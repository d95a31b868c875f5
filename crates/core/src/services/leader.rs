//! The scheduled rounds (rules reminders, the daily digest, breach
//! reminders) run on one replica only (issue 21): the leader, which holds a
//! named lease in the database (`LeaderStore`, the `leaders` table) and
//! renews it every third of the lease, between rounds too, so when it dies
//! another replica takes the lead within a lease. A round runs while the
//! lead is kept; a lead lost in the middle drops the round there.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::store::LeaderStore;
use crate::ReplicaId;

/// The lead the scheduled rounds run under, the same for every platform.
pub const SCHEDULED: &str = "scheduled";

pub struct Leader {
    store: Arc<dyn LeaderStore>,
}

impl Leader {
    pub fn new(store: Arc<dyn LeaderStore>) -> Self {
        Self { store }
    }

    /// Takes or keeps the lead for `lease` more; false when another replica
    /// leads, or the store cannot tell (no round is run on a guess).
    pub async fn hold(&self, holder: &ReplicaId, lease: Duration) -> bool {
        let now = Utc::now();
        let span = chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::days(1));
        match self.store.lead(SCHEDULED, holder, now + span, now).await {
            Ok(leads) => leads,
            Err(e) => {
                tracing::warn!(error = %e, "cannot tell who leads the scheduled rounds");
                false
            }
        }
    }

    /// Runs `round` if this replica leads, keeping the lead meanwhile;
    /// `None` when another replica leads, or the lead was lost mid-round.
    pub async fn lead<F: Future>(
        &self,
        holder: &ReplicaId,
        lease: Duration,
        round: F,
    ) -> Option<F::Output> {
        if !self.hold(holder, lease).await {
            return None;
        }
        tokio::pin!(round);
        let mut beat = tokio::time::interval(lease / 3);
        beat.tick().await;
        loop {
            tokio::select! {
                done = &mut round => return Some(done),
                _ = beat.tick() => {
                    if !self.hold(holder, lease).await {
                        tracing::warn!("the lead of the scheduled rounds was lost mid-round");
                        return None;
                    }
                }
            }
        }
    }

    /// The scheduled loop each platform's adapter runs, never returning: the
    /// lead is kept every third of `lease` (at most every `every`), between
    /// rounds too, so a dead leader's is taken by another replica within a
    /// lease; `round` runs every `every` while `holder` leads, the first as
    /// soon as it does. Every platform's loop holds the same lead under the
    /// process's one replica id, so one process runs them all.
    pub async fn rounds<F, Fut>(
        &self,
        holder: &ReplicaId,
        lease: Duration,
        every: Duration,
        mut round: F,
    ) where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        let beat = (lease / 3).min(every).max(Duration::from_millis(10));
        let mut beat = tokio::time::interval(beat);
        let mut next = tokio::time::Instant::now();
        loop {
            beat.tick().await;
            if !self.hold(holder, lease).await || tokio::time::Instant::now() < next {
                continue;
            }
            next = tokio::time::Instant::now() + every;
            self.lead(holder, lease, round()).await;
        }
    }

    /// Gives the lead up at a shutdown, so another replica takes it at once.
    pub async fn resign(&self, holder: &ReplicaId) {
        if let Err(e) = self.store.resign(SCHEDULED, holder).await {
            tracing::warn!(error = %e, "cannot give up the lead of the scheduled rounds");
        }
    }
}
