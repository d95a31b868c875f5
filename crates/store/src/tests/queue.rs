//! Issue 21: the inbox as a job queue, on both back-ends: leases, one chat's
//! jobs in order, other chats in parallel, idempotent recording, and many
//! claimers on two pools at once never breaking a chat's line.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use photo_guard_core::store::{Inbox, JobQueue};
use photo_guard_core::{ChatId, Lease, ReplicaId, PLATFORM_ID_BASE};

use super::{on_both, Fixture};

const A: Option<ChatId> = Some(ChatId(-100));
const B: Option<ChatId> = Some(ChatId(-200));

fn lease(holder: &str, until: DateTime<Utc>) -> Lease {
    Lease {
        holder: ReplicaId::parse(holder).unwrap(),
        until,
    }
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

async fn claimed(fx: &Fixture, holder: &str, now: DateTime<Utc>) -> Option<i64> {
    let lease = lease(holder, now + secs(30));
    let job = fx.store.claim(&lease, now).await.unwrap();
    job.map(|j| j.update)
}

async fn a_claimed_job_is_not_claimed_again_until_its_lease_expires(fx: Fixture) {
    // Issue 21: a lease keeps a job to one replica; a killed replica's job returns.
    let t0 = Utc::now();
    assert!(fx.store.enqueue(1, None, "one").await.unwrap());
    let first = lease("r1", t0 + secs(30));
    let job = fx.store.claim(&first, t0).await.unwrap().expect("a job");
    assert_eq!(
        (job.update, job.payload.as_str(), job.attempts),
        (1, "one", 1)
    );
    assert_eq!(claimed(&fx, "r2", t0 + secs(10)).await, None, "taken twice");
    let renewed = lease("r1", t0 + secs(60));
    assert!(fx.store.renew(1, &renewed).await.unwrap());
    assert_eq!(
        claimed(&fx, "r2", t0 + secs(45)).await,
        None,
        "renewal ignored"
    );
    let again = lease("r2", t0 + secs(100));
    let job = fx.store.claim(&again, t0 + secs(61)).await.unwrap();
    let job = job.expect("a lapsed lease returns the job to the queue");
    assert!(job.was_claimed_before());
    assert!(
        !fx.store.renew(1, &renewed).await.unwrap(),
        "the old holder lost it"
    );
    fx.store.finish(1).await.unwrap();
    assert_eq!(
        claimed(&fx, "r3", t0 + secs(200)).await,
        None,
        "a finished job"
    );
}

async fn jobs_of_one_chat_are_claimed_in_order_and_other_chats_in_parallel(fx: Fixture) {
    // Issue 21: one chat's jobs one at a time, oldest first; other chats meanwhile.
    let now = Utc::now();
    for (id, chat) in [(1, A), (2, A), (3, B), (4, None), (5, B)] {
        assert!(fx.store.enqueue(id, chat, "{}").await.unwrap());
    }
    assert_eq!(claimed(&fx, "r1", now).await, Some(1));
    assert_eq!(
        claimed(&fx, "r2", now).await,
        Some(3),
        "chat A's 2 waits for 1"
    );
    assert_eq!(claimed(&fx, "r2", now).await, Some(4), "a job in no line");
    assert_eq!(
        claimed(&fx, "r2", now).await,
        None,
        "chat B's 5 waits for 3"
    );
    fx.store.finish(1).await.unwrap();
    assert_eq!(claimed(&fx, "r3", now).await, Some(2));
    // Work left unfinished waits for its retry and does not hold its chat.
    let holder = ReplicaId::parse("r2").unwrap();
    fx.store.retry_at(3, &holder, now + secs(60)).await.unwrap();
    assert_eq!(claimed(&fx, "r3", now).await, Some(5));
    fx.store.finish(5).await.unwrap();
    assert_eq!(claimed(&fx, "r3", now).await, None, "3 waits for its retry");
    fx.store.finish(2).await.unwrap();
    assert_eq!(claimed(&fx, "r3", now + secs(61)).await, Some(3));
}

async fn an_update_recorded_twice_is_one_job(fx: Fixture) {
    // Issue 21: a redelivered update (or one posted to two replicas) is one job.
    let now = Utc::now();
    assert!(fx.store.enqueue(7, A, "first").await.unwrap());
    assert!(!fx.store.enqueue(7, A, "second").await.unwrap());
    assert!(!fx.store.receive(7, "third").await.unwrap());
    let job = fx
        .store
        .claim(&lease("r1", now + secs(30)), now)
        .await
        .unwrap();
    assert_eq!(job.map(|j| j.payload), Some("first".to_owned()));
    fx.store.finish(7).await.unwrap();
    assert_eq!(claimed(&fx, "r2", now + secs(31)).await, None);
    // WhatsApp's messages share the inbox but are not Telegram's jobs.
    assert!(fx
        .store
        .enqueue(PLATFORM_ID_BASE + 1, A, "wa")
        .await
        .unwrap());
    assert_eq!(claimed(&fx, "r1", now).await, None);
}

async fn a_restart_returns_its_own_leases_and_due_retries_to_the_queue(fx: Fixture) {
    // Issue 21: a replica that starts again does not wait for its old leases to lapse.
    let now = Utc::now();
    fx.store.enqueue(1, A, "{}").await.unwrap();
    fx.store.enqueue(2, B, "{}").await.unwrap();
    assert_eq!(claimed(&fx, "r1", now).await, Some(1));
    assert_eq!(claimed(&fx, "r2", now).await, Some(2));
    let r1 = ReplicaId::parse("r1").unwrap();
    assert!(fx.store.requeue(&r1).await.unwrap() >= 1);
    assert_eq!(claimed(&fx, "r1", now).await, Some(1));
}

/// Claims and finishes jobs until `total` are done, noting each job's span.
async fn drain(store: crate::SqlStore, name: String, total: usize, log: Arc<Mutex<Vec<Span>>>) {
    loop {
        if log.lock().unwrap().len() >= total {
            return;
        }
        let lease = lease(&name, Utc::now() + secs(30));
        let Some(job) = store.claim(&lease, Utc::now()).await.unwrap() else {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            continue;
        };
        let start = std::time::Instant::now();
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        let end = std::time::Instant::now();
        store.finish(job.update).await.unwrap();
        log.lock().unwrap().push(Span {
            update: job.update,
            start,
            end,
        });
    }
}

struct Span {
    update: i64,
    start: std::time::Instant,
    end: std::time::Instant,
}

async fn many_claimers_on_two_pools_keep_each_chats_line(fx: Fixture) {
    // Issue 21: claims racing from two replicas never run one chat's jobs at once or out of order.
    const CHATS: i64 = 4;
    const JOBS: i64 = 40;
    for id in 1..=JOBS {
        let chat = Some(ChatId(-(id % CHATS) - 1));
        fx.store.enqueue(id, chat, "{}").await.unwrap();
    }
    let other = fx.reopen_with(&fx.key).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for n in 0..8 {
        let store = if n % 2 == 0 {
            fx.store.clone()
        } else {
            other.clone()
        };
        let name = format!("r{n}");
        tasks.push(tokio::spawn(drain(store, name, JOBS as usize, log.clone())));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.len(), JOBS as usize, "a job done twice or lost");
    for chat in 0..CHATS {
        let mut line: Vec<&Span> = log.iter().filter(|s| s.update % CHATS == chat).collect();
        line.sort_by_key(|s| s.start);
        for pair in line.windows(2) {
            assert!(pair[0].update < pair[1].update, "chat {chat} out of order");
            assert!(
                pair[0].end <= pair[1].start,
                "chat {chat} ran two jobs at once"
            );
        }
    }
}

on_both!(
    a_claimed_job_is_not_claimed_again_until_its_lease_expires,
    jobs_of_one_chat_are_claimed_in_order_and_other_chats_in_parallel,
    an_update_recorded_twice_is_one_job,
    a_restart_returns_its_own_leases_and_due_retries_to_the_queue,
    many_claimers_on_two_pools_keep_each_chats_line,
);
