//! The updates a platform delivers, through the durable inbox, which is also
//! the job queue (issue 21): each recorded before the platform is told it
//! arrived, claimed by one replica under a lease renewed while its work
//! runs, finished once the work is done, given back when it is left
//! unfinished. Which jobs this process holds is the per-process
//! [`crate::WorkState`]. A job's work runs fenced ([`Updates::fenced`],
//! `crate::fence`): its records and effects only while its claim holds the
//! job; at a shutdown new effects stop and the jobs are handed back.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::store::{Inbox, JobQueue, StoreResult};
use crate::{fence, ChatId, Fence, Fenced, Job, Lease, ReplicaId};

/// The durable inbox of updates and the queue of their work.
pub struct Updates {
    inbox: Arc<dyn Inbox>,
    queue: Arc<dyn JobQueue>,
    /// Set at a shutdown: no job's work starts another effect.
    stopping: Arc<AtomicBool>,
}

/// `now + span` as a lease end; a span too large for chrono is a day.
fn after(span: Duration) -> chrono::DateTime<Utc> {
    let span = chrono::Duration::from_std(span).unwrap_or_else(|_| chrono::Duration::days(1));
    Utc::now() + span
}

impl Updates {
    pub fn new(inbox: Arc<dyn Inbox>, queue: Arc<dyn JobQueue>) -> Self {
        Self {
            inbox,
            queue,
            stopping: Arc::default(),
        }
    }

    /// Runs `work` fenced by `job`'s claim for `holder` (see `crate::fence`):
    /// each of its effects holds the lease for `lease` first, each of its
    /// records is refused once the claim no longer holds the job. `Err`
    /// when an effect was refused: the work was given up there.
    pub async fn fenced<F: Future>(
        &self,
        job: &Job,
        holder: &ReplicaId,
        lease: Duration,
        work: F,
    ) -> Result<F::Output, Fenced> {
        let fence = Fence::of(job, holder);
        let (queue, stopping) = (self.queue.clone(), self.stopping.clone());
        fence::within(fence, lease, queue, stopping, work).await
    }

    /// Extends the lease of `fence`'s claim by `lease`; `Ok(false)` when the
    /// claim lost the job. An error cannot tell: the caller decides.
    pub async fn hold(&self, fence: &Fence, lease: Duration) -> StoreResult<bool> {
        self.queue.hold(fence, after(lease)).await
    }

    /// Marks the job finished if `fence`'s claim still holds it; false (and
    /// logged) when it does not, or the store failed (it is replayed).
    pub async fn finish_held(&self, fence: &Fence) -> bool {
        match self.queue.finish_held(fence).await {
            Ok(held) => held,
            Err(e) => {
                tracing::error!(update = fence.update, error = %e, "cannot mark an update finished");
                false
            }
        }
    }

    /// A shutdown begins: no job's work starts another effect from now on.
    pub fn stop_effects(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Whether [`Updates::stop_effects`] was called.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Hands every job `holder` holds back to the queue, free at once.
    pub async fn release(&self, holder: &ReplicaId) -> StoreResult<u64> {
        self.queue.release(holder).await
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
