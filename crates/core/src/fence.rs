//! Fencing a job's work (issue 21): every record a job's work writes, and
//! every outside effect it has (a delete, a posted copy, a notice, an
//! alert), is first checked against the queue: the claim that started the
//! work ([`Fence`]: the job, its holder, the claim's number) must still hold
//! the job. A claim taken over after a lapsed lease has a higher number, so
//! the old holder's writes are refused and its effects not made.
//!
//! The fence travels with the work as a task-local ([`within`]) rather than
//! as an argument: the writes happen deep in the guard, the intake and the
//! audit trail, and the store checks the fence inside the same transaction
//! as the row it writes (`crates/store/src/fence.rs`), so no write of a
//! job's work can miss it. Work outside a job (the CLI, the scheduled
//! rounds) has no fence and writes as before.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use thiserror::Error;

use crate::store::JobQueue;
use crate::{Job, ReplicaId};

/// The claim a job's work runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub update: i64,
    pub holder: ReplicaId,
    /// The claim's number: the job's claims counted, never going back.
    pub claim: i64,
}

impl Fence {
    pub fn of(job: &Job, holder: &ReplicaId) -> Self {
        Self {
            update: job.update,
            holder: holder.clone(),
            claim: i64::from(job.attempts),
        }
    }
}

/// Why an effect was not made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Fenced {
    #[error("job {0}'s lease is no longer this claim's; the work is left to its holder")]
    Lost(i64),
    #[error("this replica is shutting down; job {0} is handed back")]
    Stopping(i64),
    #[error("the job's lease cannot be confirmed: {0}")]
    Unconfirmed(String),
}

struct Scope {
    fence: Fence,
    lease: Duration,
    queue: Arc<dyn JobQueue>,
    stopping: Arc<AtomicBool>,
    /// The first effect refused: the work records nothing after it.
    refused: Mutex<Option<Fenced>>,
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// The fence of the job whose work runs in this task, if any.
pub fn current() -> Option<Fence> {
    SCOPE.try_with(|s| s.fence.clone()).ok()
}

/// Whether an effect of this task's job was refused: then nothing more of
/// its work is recorded (the step stays to do for whoever holds the job
/// next, or for this replica's next claim), as if the claim were lost.
pub fn gave_up() -> bool {
    SCOPE
        .try_with(|s| s.refused.lock().map_or(true, |r| r.is_some()))
        .unwrap_or(false)
}

/// Runs `work` under `fence`; effects hold the lease for `lease` each, and
/// none starts once `stopping` is set. `Err` when an effect was refused:
/// the work was given up there, and must not be marked finished.
pub async fn within<F: Future>(
    fence: Fence,
    lease: Duration,
    queue: Arc<dyn JobQueue>,
    stopping: Arc<AtomicBool>,
    work: F,
) -> Result<F::Output, Fenced> {
    let scope = Arc::new(Scope {
        fence,
        lease,
        queue,
        stopping,
        refused: Mutex::new(None),
    });
    let done = SCOPE.scope(scope.clone(), work).await;
    let refused = scope.refused.lock().ok().and_then(|mut r| r.take());
    match refused {
        Some(why) => Err(why),
        None => Ok(done),
    }
}

/// Before an outside effect: this claim still holds the job, and its lease
/// is extended by a whole lease, so no other replica can claim the job
/// while the effect is made. Returns how long the effect may take (two
/// thirds of the lease, the rest a margin for the record after it), or
/// `None` outside a job.
pub async fn hold() -> Result<Option<Duration>, Fenced> {
    let Ok(scope) = SCOPE.try_with(Arc::clone) else {
        return Ok(None);
    };
    let held = hold_in(&scope).await;
    if let Err(why) = &held {
        give_up(why.clone());
    }
    held
}

async fn hold_in(scope: &Scope) -> Result<Option<Duration>, Fenced> {
    if let Some(why) = scope.refused.lock().ok().and_then(|r| r.clone()) {
        return Err(why);
    }
    let update = scope.fence.update;
    if scope.stopping.load(Ordering::SeqCst) {
        return Err(Fenced::Stopping(update));
    }
    let span =
        chrono::Duration::from_std(scope.lease).unwrap_or_else(|_| chrono::Duration::days(1));
    match scope.queue.hold(&scope.fence, Utc::now() + span).await {
        Ok(true) => Ok(Some(scope.lease * 2 / 3)),
        Ok(false) => Err(Fenced::Lost(update)),
        // Cannot tell: no effect is made on a guess; the job is tried again.
        Err(e) => Err(Fenced::Unconfirmed(e.to_string())),
    }
}

/// Makes `effect` under a held lease (see [`hold`]), within the time held.
pub async fn effect<T, E>(
    effect: impl Future<Output = Result<T, E>>,
    refused: fn(String) -> E,
) -> Result<T, E> {
    let window = hold().await.map_err(|why| refused(why.to_string()))?;
    let Some(window) = window else {
        return effect.await;
    };
    match tokio::time::timeout(window, effect).await {
        Ok(done) => done,
        Err(_) => {
            // Made or not, it is not recorded: the next holder makes it again.
            let why = Fenced::Unconfirmed("an effect took longer than the job's lease".into());
            give_up(why.clone());
            Err(refused(why.to_string()))
        }
    }
}

fn give_up(why: Fenced) {
    let _ = SCOPE.try_with(|s| {
        if let Ok(mut refused) = s.refused.lock() {
            refused.get_or_insert(why);
        }
    });
}
