//! A log an older version wrote with the unkeyed SHA-256 chain: its entries
//! still verify by the old rule up to the anchor's `legacy_end`, set when the
//! log is first anchored; every entry after must be keyed, so one forged
//! with the old rule after keyed entries is caught.

use photo_guard_core::audit_csv::AuditRow;
use photo_guard_core::store::AuditLog;
use sqlx::SqliteConnection;

use super::audit_tamper::{broken_at, event, untriggered};
use super::Fixture;
use crate::audit_serial::AuditConn;
use crate::{legacy_entry_hash, Break, SqlStore, GENESIS_PREV_HASH};

fn legacy_row(seq: i64, prev_hash: &str) -> AuditRow {
    let mut row = AuditRow {
        seq,
        at: "2024-06-01T08:00:00.000000000Z".into(),
        actor: Some(7),
        chat: None,
        action: "share.blocked".into(),
        detail: format!(r#"{{"old":{seq}}}"#),
        prev_hash: prev_hash.into(),
        hash: String::new(),
    };
    row.hash = legacy_entry_hash(&row);
    row
}

async fn insert(raw: &mut SqliteConnection, row: &AuditRow) {
    raw.insert_row(row).await.unwrap();
}

/// A file as an older version left it: three unkeyed entries, no anchor;
/// then opened by this version and two keyed entries appended.
async fn upgraded() -> (Fixture, SqlStore) {
    let fx = Fixture::new().await;
    std::fs::remove_file(fx.file("store.db.audit-anchor")).unwrap();
    let mut raw = fx.raw().await;
    let mut prev = GENESIS_PREV_HASH.to_owned();
    for seq in 1..=3 {
        let row = legacy_row(seq, &prev);
        insert(&mut raw, &row).await;
        prev = row.hash;
    }
    let store = fx.reopen_with(&fx.key).await;
    for i in 4..=5 {
        store.append(event(i)).await.unwrap();
    }
    (fx, store)
}

// Issue 17.10: an upgrade keeps the old entries verifiable.
#[tokio::test]
async fn a_log_written_before_the_key_verifies_and_continues_keyed() {
    let (_fx, store) = upgraded().await;
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!((report.entries, report.legacy), (5, 3));
    assert_eq!(
        report.anchor.anchor().map(|a| (a.seq, a.legacy_end)),
        Some((5, 3))
    );
}

// Issue 17.10: an entry forged with the old rule after keyed ones is caught,
// with the anchor kept and with the anchor deleted as well.
#[tokio::test]
async fn a_forged_legacy_entry_after_keyed_entries_is_caught() {
    let (fx, store) = upgraded().await;
    let mut raw = untriggered(&fx).await;
    let head: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = 5")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    insert(&mut raw, &legacy_row(6, &head)).await;
    assert_eq!(
        store.verify_audit().await.unwrap().broken,
        broken_at(6, Break::Unkeyed)
    );
    std::fs::remove_file(fx.file("store.db.audit-anchor")).unwrap();
    let reopened = fx.reopen_with(&fx.key).await;
    let report = reopened.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(4, Break::KeyedBeforeLegacyEnd));
}
