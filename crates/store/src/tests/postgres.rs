//! What only PostgreSQL shows (issue 21): a `postgres://` URL picks it, its
//! migrations are the twins of SQLite's, audit appends from several stores
//! (separate pools, as separate replicas would have) on one database stay
//! one chain that verifies, and its high-water row catches a cut tail.

use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEvent, UserId};

use super::audit_tamper::{broken_at, filled};
use super::{at, pg_cluster, Fixture};
use crate::audit_anchor::AnchorStatus;
use crate::audit_chain::Break;
use crate::{migrate_only, Backend, SqlStore, VaultKey};

#[tokio::test]
async fn a_postgres_url_opens_the_store_on_postgresql_and_migrating_twice_is_harmless() {
    // Issue 21: DATABASE_URL=postgres://... picks PostgreSQL.
    let url = pg_cluster::fresh_database().await;
    let twins = crate::pg::MIGRATOR.iter().count();
    assert_eq!(migrate_only(&url).await.unwrap(), twins);
    assert_eq!(migrate_only(&url).await.unwrap(), twins);
    let store = SqlStore::open(&url, VaultKey::generate(), &[])
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    assert!(store.pg_pool().is_some() && store.sqlite_pool().is_none());
    let report = store.verify_audit().await.unwrap();
    assert_eq!(
        (report.entries, report.anchor.clone()),
        (0, AnchorStatus::NotKept),
        "no file beside a PostgreSQL database: the anchor is kept only at AUDIT_ANCHOR_PATH"
    );
    assert!(report.is_ok());
}

#[test]
fn every_sqlite_migration_has_its_postgresql_twin() {
    // Issue 21: a schema change made on one back-end only breaks the other.
    let versions = |m: &sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
    assert_eq!(
        versions(&crate::pg::MIGRATOR),
        versions(&crate::open::MIGRATOR),
        "migrations/postgres/ must hold a file with the number of each file in migrations/"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn audit_appends_from_three_stores_on_one_postgresql_database_stay_one_chain() {
    // Issue 21: replicas append to one chain, serialised by the advisory lock.
    let fx = Fixture::postgres().await;
    let others = [fx.reopen_with(&fx.key).await, fx.reopen_with(&fx.key).await];
    let stores = [fx.store.clone(), others[0].clone(), others[1].clone()];
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let store = stores[i % 3].clone();
            tokio::spawn(async move {
                store
                    .append(AuditEvent {
                        at: at(2025, 1, 1, 0),
                        actor: Some(UserId(i as i64)),
                        chat: None,
                        action: "burst".into(),
                        detail: "{}".into(),
                    })
                    .await
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap().expect("every append succeeds").seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=60).collect::<Vec<_>>(), "one seq each, no gap");
    for store in &stores {
        let report = store.verify_audit().await.unwrap();
        assert_eq!((report.entries, report.broken), (60, None));
    }
}

#[tokio::test]
async fn a_cut_tail_is_reported_on_postgresql_without_an_anchor_even_after_the_triggers_went() {
    // Issue 21: audit_high_water stands in for SQLite's sqlite_sequence.
    let fx = filled(Fixture::postgres().await, 5).await;
    for sql in [
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "DELETE FROM audit_log WHERE seq >= 4",
    ] {
        fx.execute(sql).await.expect(sql);
    }
    let unanchored = SqlStore::open(&fx.url, VaultKey::from_base64(&fx.key).unwrap(), &[])
        .await
        .unwrap();
    let report = unanchored.verify_audit().await.unwrap();
    assert_eq!(report.anchor, AnchorStatus::NotKept);
    assert_eq!(
        report.broken,
        broken_at(4, Break::Truncated { high_water: 5 })
    );
}
