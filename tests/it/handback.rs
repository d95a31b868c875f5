//! Issue 21: a replica stopped by SIGTERM (or Ctrl-C) stops claiming,
//! finishes what it can within its grace (2 s here), then hands the jobs it
//! still holds back: another replica finishes them without waiting for
//! their lease. Replica A's downloads hang (the
//! fake's getFile stalls), so its jobs stay in its hands; B starts, A is
//! stopped, and B must handle every photo well within the 60 s lease.

use std::time::Duration;

use crate::audit_pg::pg_cluster;
use crate::fake_telegram::Fault;
use crate::support::{plain_jpeg, sigterm, ALICE};
use crate::support_replicas::*;

const HELD: usize = 3;
const LEASE: [(&str, &str); 2] = [("JOB_LEASE_SECS", "60"), ("SHUTDOWN_GRACE_SECS", "2")];

#[tokio::test(flavor = "multi_thread")]
async fn a_job_held_at_sigterm_is_finished_by_the_other_replica_without_waiting_for_its_lease() {
    // Issue 21: a stopping replica hands its jobs back at once.
    let (fake, chats) = fake_with_chats().await;
    let url = pg_cluster::fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(dir.path(), &url, &fake).await;
    let hook = ["webhook", "set", "https://bot.example.org/telegram"];
    let set = command(dir.path(), &url, &fake, &hook).output().unwrap();
    assert!(set.status.success(), "{}", said(&set));
    let ports = [free_port(), free_port()];
    let a = replica_with(dir.path(), &url, &fake, "replica-a", ports[0], &LEASE);
    let mut a = Running(Some(a));
    assert!(listening(ports[0]).await, "replica A never listened");
    fake.deliver_to(vec![format!("http://127.0.0.1:{}/telegram", ports[0])], 0);
    let stall = Fault::Timeout(Duration::from_secs(60));
    fake.fail_next_n("getfile", stall, HELD);
    let photos: Vec<Photo> = chats[..HELD]
        .iter()
        .map(|&chat| Photo {
            chat,
            message: fake.send_photo(chat, ALICE, plain_jpeg(), Some("#KLNX rumah")),
            expect: Expect::Block,
        })
        .collect();
    let pool = store.pg_pool().expect("a PostgreSQL store");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    // A holds the jobs and hangs in getFile (its client gives up after ~17 s).
    while held_by(pool, "replica-a").await < HELD as i64 || fake.pending_faults() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "A never took the jobs"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let b = replica_with(dir.path(), &url, &fake, "replica-b", ports[1], &LEASE);
    let _b = Running(Some(b));
    assert!(listening(ports[1]).await, "replica B never listened");
    sigterm(a.0.as_ref().expect("A runs"));
    let stopped = tokio::time::Instant::now();
    let exited = a.0.take().map(|mut child| child.wait());
    assert!(
        exited.is_some_and(|s| s.is_ok_and(|s| s.success())),
        "replica A did not stop cleanly"
    );
    while !all_handled(&store, &fake, &photos).await {
        assert!(
            stopped.elapsed() < Duration::from_secs(20),
            "the jobs A held waited for their lease"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let by_b: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM inbox WHERE leased_by = 'replica-b' AND finished_at IS NOT NULL",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(by_b, HELD as i64, "B did not finish the jobs A held");
}

/// How many unfinished jobs `replica` leases.
async fn held_by(pool: &sqlx::PgPool, replica: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM inbox WHERE leased_by = $1 AND finished_at IS NULL")
        .bind(replica)
        .fetch_one(pool)
        .await
        .unwrap()
}
