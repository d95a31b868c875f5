//! Issue 21: fencing, on both back-ends. A job claimed again after its
//! lease lapsed belongs to the new claim: the old holder's records (a share
//! row, an audit entry, a decision, a step) are refused in the same
//! transaction, its effects cannot hold the lease, and it cannot finish the
//! job; the new holder's go through. A replica handing its jobs back at a
//! shutdown fences its own work out and frees them at once.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use photo_guard_core::fence;
use photo_guard_core::store::{AuditLog, EnforcementStore, JobQueue, ShareStore, Vault};
use photo_guard_core::{
    AuditEvent, ChatId, Enforcement, Fence, Job, Lease, MessageId, Reason, RecordId, ReplicaId,
    Step, StoreError, Verdict,
};

use super::{on_both, quarantine, share, Fixture};

const CHAT: i64 = -100;

fn holder(name: &str) -> ReplicaId {
    ReplicaId::parse(name).unwrap()
}

async fn claim(fx: &Fixture, name: &str, at: chrono::DateTime<Utc>) -> Job {
    let lease = Lease {
        holder: holder(name),
        until: at + Duration::seconds(30),
    };
    let job = fx.store.claim(&lease, at).await.unwrap();
    job.expect("a free job")
}

/// Job 1, recorded and claimed by replica A now.
async fn first_claim(fx: &Fixture) -> (chrono::DateTime<Utc>, Job) {
    let t0 = Utc::now();
    assert!(fx
        .store
        .enqueue(1, Some(ChatId(CHAT)), "job")
        .await
        .unwrap());
    (t0, claim(fx, "replica-a", t0).await)
}

fn decision(message: i64) -> Enforcement {
    Enforcement {
        chat: ChatId(CHAT),
        message: MessageId(message),
        update: 1,
        verdict: Verdict::Allow,
        enforced: true,
        reason: Reason::NoFaces,
        share: RecordId(1),
        quarantine: None,
        step: Step::Decided,
        removal: None,
        copy_message: None,
    }
}

fn entry(message: i64) -> AuditEvent {
    AuditEvent {
        at: Utc::now(),
        actor: None,
        chat: Some(ChatId(CHAT)),
        action: "share.allowed".into(),
        detail: format!(r#"{{"message":{message}}}"#),
    }
}

/// `work` run as the work of `job`'s claim by `name`.
async fn under<T>(
    fx: &Fixture,
    job: &Job,
    name: &str,
    work: impl std::future::Future<Output = T>,
) -> T {
    let queue: Arc<dyn JobQueue> = Arc::new(fx.store.clone());
    let fence = Fence::of(job, &holder(name));
    let lease = StdDuration::from_secs(30);
    let done = fence::within(fence, lease, queue, Arc::default(), work).await;
    done.expect("no effect was refused")
}

/// The records one message's check writes, made under `job`'s claim.
async fn record_under(fx: &Fixture, job: &Job, name: &str, message: i64) -> Vec<StoreError> {
    let store = &fx.store;
    let at = Utc::now();
    under(fx, job, name, async {
        let shared = store.record_share(share(CHAT, message, Verdict::Allow, at));
        let results = [
            shared.await.err(),
            store.append(entry(message)).await.err(),
            store.record_decision(&decision(message), None).await.err(),
            store.record_step(&decision(message)).await.err(),
        ];
        results.into_iter().flatten().collect()
    })
    .await
}

async fn audited(fx: &Fixture) -> usize {
    let since = Utc::now() - Duration::days(1);
    fx.store.entries_since(since).await.unwrap().len()
}

async fn a_claim_taken_over_after_its_lease_lapsed_has_its_writes_refused(fx: Fixture) {
    // Issue 21: a lapsed lease taken over never lets the old holder write.
    let (t0, old) = first_claim(&fx).await;
    assert!(record_under(&fx, &old, "replica-a", 10).await.is_empty());
    assert_eq!(audited(&fx).await, 1);

    let new = claim(&fx, "replica-b", t0 + Duration::seconds(31)).await;
    let refused = record_under(&fx, &old, "replica-a", 11).await;
    assert_eq!(refused.len(), 4, "the old holder wrote: {refused:?}");
    assert!(refused
        .iter()
        .all(|e| matches!(e, StoreError::LeaseLost(1))));
    assert_eq!(audited(&fx).await, 1, "a refused audit entry was written");
    let kept = fx.store.enforcement(ChatId(CHAT), MessageId(11)).await;
    assert_eq!(kept.unwrap(), None, "a refused decision was written");

    let old_fence = Fence::of(&old, &holder("replica-a"));
    let until = Utc::now() + Duration::seconds(30);
    assert!(
        !fx.store.hold(&old_fence, until).await.unwrap(),
        "held by the old claim"
    );
    assert!(!fx.store.finish_held(&old_fence).await.unwrap());
    assert!(record_under(&fx, &new, "replica-b", 11).await.is_empty());
    let new_fence = Fence::of(&new, &holder("replica-b"));
    assert!(fx.store.hold(&new_fence, until).await.unwrap());
    assert!(fx.store.finish_held(&new_fence).await.unwrap());
    assert!(
        !fx.store.hold(&new_fence, until).await.unwrap(),
        "a finished job held"
    );
}

async fn a_replica_handing_its_jobs_back_frees_them_at_once_and_fences_itself_out(fx: Fixture) {
    // Issue 21: a shutdown gives its jobs to another replica without waiting for the lease.
    let t0 = Utc::now();
    assert!(fx
        .store
        .enqueue(1, Some(ChatId(CHAT)), "job")
        .await
        .unwrap());
    assert!(fx
        .store
        .enqueue(2, Some(ChatId(-200)), "job")
        .await
        .unwrap());
    let first = claim(&fx, "replica-a", t0).await;
    claim(&fx, "replica-a", t0).await;
    assert_eq!(fx.store.release(&holder("replica-a")).await.unwrap(), 2);
    let refused = record_under(&fx, &first, "replica-a", 10).await;
    assert_eq!(refused.len(), 4, "the handed-back work wrote: {refused:?}");
    let taken = claim(&fx, "replica-b", t0 + Duration::seconds(1)).await;
    assert_eq!(taken.update, first.update, "the job waited for its lease");
    claim(&fx, "replica-b", t0 + Duration::seconds(1)).await;
}

/// A block's check as the guard records it, under `job`'s claim: its share
/// row, its quarantine item, its audit entry.
async fn check_under(fx: &Fixture, job: &Job, name: &str) -> (RecordId, RecordId) {
    let store = &fx.store;
    let at = Utc::now();
    under(fx, job, name, async {
        let share = store
            .record_share(share(CHAT, 10, Verdict::Block, at))
            .await
            .unwrap();
        let item = store
            .seal(quarantine(share, CHAT, 10, at), b"photo")
            .await
            .unwrap();
        let event = AuditEvent {
            action: "share.blocked".into(),
            detail: format!(r#"{{"share":{},"message":10}}"#, share.0),
            ..entry(10)
        };
        store.append(event).await.unwrap();
        (share, item)
    })
    .await
}

async fn a_check_resumed_by_a_later_claim_of_its_job_is_recorded_once(fx: Fixture) {
    // Issue 21: a holder killed after checking a photo leaves one share, one item, one entry.
    let (t0, first) = first_claim(&fx).await;
    let checked = check_under(&fx, &first, "replica-a").await;
    let again = claim(&fx, "replica-b", t0 + Duration::seconds(31)).await;
    assert_eq!(check_under(&fx, &again, "replica-b").await, checked);
    assert_eq!(audited(&fx).await, 1, "the check was audited twice");
    assert_eq!(fx.store.pending().await.unwrap().len(), 1, "sealed twice");
}

on_both!(
    a_check_resumed_by_a_later_claim_of_its_job_is_recorded_once,
    a_claim_taken_over_after_its_lease_lapsed_has_its_writes_refused,
    a_replica_handing_its_jobs_back_frees_them_at_once_and_fences_itself_out,
);
