//! The updates a platform delivers, through the durable inbox, which is also
//! the job queue (issue 21): each recorded before the platform is told it
//! arrived, claimed by one replica under a lease renewed while its work
//! runs, finished once the work is done, given back when it is left
//! unfinished. Which jobs this process holds is the per-process
//! [`crate::WorkState`].

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::store::{Inbox, JobQueue, StoreResult};
use crate::{ChatId, Job, Lease, ReplicaId};

/// The durable inbox of updates and the queue of their work.
pub struct Updates {
    inbox: Arc<dyn Inbox>,
    queue: Arc<dyn JobQueue>,
}

/// `now + span` as a lease end; a span too large for chrono is a day.
fn after(span: Duration) -> chrono::DateTime<Utc> {
    let span = chrono::Duration::from_std(span).unwrap_or_else(|_| chrono::Duration::days(1));
    Utc::now() + span
}

impl Updates {
    pub fn new(inbox: Arc<dyn Inbox>, queue: Arc<dyn JobQueue>) -> Self {
        Self { inbox, queue }
    }

    /// Records an update; false if it was already recorded (a redelivery).
    pub async fn receive(&self, update: i64, payload: &str) -> StoreResult<bool> {
        self.inbox.receive(update, payload).await
    }

    /// Records an update as a job in `chat`'s line (`None`: in no line);
    /// false if it was already recorded.
    pub async fn record(
        &self,
        update: i64,
        chat: Option<ChatId>,
        payload: &str,
    ) -> StoreResult<bool> {
        self.queue.enqueue(update, chat, payload).await
    }

    /// Claims the next free job for `holder`, leased for `lease`.
    pub async fn claim(&self, holder: &ReplicaId, lease: Duration) -> StoreResult<Option<Job>> {
        let lease = Lease {
            holder: holder.clone(),
            until: after(lease),
        };
        self.queue.claim(&lease, Utc::now()).await
    }

    /// Extends `holder`'s lease on the job; false when it was lost (it
    /// lapsed and another replica claimed the job or finished it).
    pub async fn renew(&self, update: i64, holder: &ReplicaId, lease: Duration) -> bool {
        let lease = Lease {
            holder: holder.clone(),
            until: after(lease),
        };
        match self.queue.renew(update, &lease).await {
            Ok(held) => held,
            // Cannot tell: the work goes on (stopping it would leave the
            // photo visible longer); a lease taken by another replica is
            // seen at the next renewal.
            Err(e) => {
                tracing::error!(update, error = %e, "cannot renew a job's lease");
                true
            }
        }
    }

    /// Gives an unfinished job back, to be claimed again after `wait`; a
    /// failure is logged (the lease lapses instead).
    pub async fn retry_later(&self, update: i64, holder: &ReplicaId, wait: Duration) {
        if let Err(e) = self.queue.retry_at(update, holder, after(wait)).await {
            tracing::error!(update, error = %e, "cannot give a job back to the queue");
        }
    }

    /// At a start: the jobs `holder` leased before, and every retry, are due now.
    pub async fn requeue(&self, holder: &ReplicaId) -> StoreResult<u64> {
        self.queue.requeue(holder).await
    }

    /// Recorded and not finished, oldest first.
    pub async fn unfinished(&self) -> StoreResult<Vec<(i64, String)>> {
        self.inbox.unfinished().await
    }

    /// Marks the update's work done; a failure is logged (it is replayed).
    pub async fn finish(&self, update: i64) {
        if let Err(e) = self.inbox.finish(update).await {
            tracing::error!(update, error = %e, "cannot mark an update finished");
        }
    }
}
