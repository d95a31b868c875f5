//! Benchmark, not a timed test (issue 21): the burst of 100 photos over 10
//! chats on SQLite in one process (long polling), then on one PostgreSQL
//! with one and with two replicas (webhook), in one run:
//!
//! ```text
//! cargo test --test it replicas_bench -- --ignored --nocapture
//! ```
//!
//! A photo's time runs from the moment the burst is queued at the fake
//! Telegram to the moment it is handled (its share audited and, for a blur
//! or a block, the original deleted), observed every 20 ms.

use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use photo_guard_core::store::Inbox;
use photo_guard_store::SqlStore;

use crate::audit_pg::pg_cluster;
use crate::fake_telegram::FakeTelegram;
use crate::support::{kill_child, WAIT};
use crate::support_replicas::*;

struct Figures {
    setup: String,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

async fn measure(setup: &str, store: &SqlStore, fake: &FakeTelegram, chats: &[i64]) -> Figures {
    let start = Instant::now();
    let photos = send_burst(fake, chats);
    let mut done: HashMap<usize, Duration> = HashMap::new();
    while done.len() < photos.len() {
        assert!(
            start.elapsed() < LIMIT,
            "{setup}: only {} photos handled",
            done.len()
        );
        let audited = shares(store).await;
        for (i, p) in photos.iter().enumerate() {
            let handled = audited.contains_key(&(p.chat, i64::from(p.message)))
                && (p.expect == Expect::Allow || fake.is_deleted(p.chat, p.message));
            if handled {
                done.entry(i).or_insert_with(|| start.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut times: Vec<f64> = done.values().map(|d| d.as_secs_f64() * 1000.0).collect();
    times.sort_by(f64::total_cmp);
    let last = times.last().copied().unwrap_or(f64::NAN);
    while !store.unfinished().await.is_ok_and(|left| left.is_empty()) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Figures {
        setup: setup.to_owned(),
        per_second: photos.len() as f64 / (last / 1000.0),
        p50_ms: percentile(&times, 0.5),
        p99_ms: percentile(&times, 0.99),
    }
}

/// One process on SQLite, long polling (the default).
async fn sqlite_single() -> Figures {
    let (fake, chats) = fake_with_chats().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("guard.db").display());
    let store = migrated_store(dir.path(), &url, &fake).await;
    let mut bot = Some(
        command(dir.path(), &url, &fake, &["run"])
            .env("POLL_TIMEOUT_SECS", "1")
            .env("ALBUM_WAIT_MS", "400")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let polling = fake.wait_until(WAIT, |f| !f.calls_of("getupdates").is_empty());
    assert!(polling.await, "the bot never polled");
    let figures = measure("SQLite, 1 process, polling", &store, &fake, &chats).await;
    kill_child(&mut bot);
    figures
}

/// `n` replicas in webhook mode on one fresh PostgreSQL database.
async fn postgres_replicas(n: usize) -> Figures {
    let (fake, chats) = fake_with_chats().await;
    let dir = tempfile::tempdir().unwrap();
    let url = pg_cluster::fresh_database().await;
    let store = migrated_store(dir.path(), &url, &fake).await;
    let mut set = command(
        dir.path(),
        &url,
        &fake,
        &["webhook", "set", "https://bench.invalid/telegram"],
    );
    assert!(set.output().unwrap().status.success());
    let ports: Vec<u16> = (0..n).map(|_| free_port()).collect();
    let mut replicas: Vec<Option<Child>> = ports
        .iter()
        .enumerate()
        .map(|(i, &port)| {
            Some(replica(
                dir.path(),
                &url,
                &fake,
                &format!("bench-{i}"),
                port,
            ))
        })
        .collect();
    for &port in &ports {
        assert!(listening(port).await, "a replica never listened");
    }
    let urls = ports
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}/telegram"))
        .collect();
    fake.deliver_to(urls, 0);
    let setup = format!("PostgreSQL, {n} replica(s), webhook");
    let figures = measure(&setup, &store, &fake, &chats).await;
    replicas.iter_mut().for_each(kill_child);
    figures
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: cargo test --test it replicas_bench -- --ignored --nocapture"]
async fn replicas_bench_burst_on_sqlite_and_on_one_and_two_postgresql_replicas() {
    let runs = [
        sqlite_single().await,
        postgres_replicas(1).await,
        postgres_replicas(2).await,
    ];
    println!("| setup | photos/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for f in &runs {
        println!(
            "| {} | {:.1} | {:.0} | {:.0} |",
            f.setup, f.per_second, f.p50_ms, f.p99_ms
        );
    }
}
