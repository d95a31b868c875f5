//! The audit chain under attack: someone with the file but not the key drops
//! the append-only triggers and edits, reorders, deletes or rehashes rows
//! with raw SQL, and resets `sqlite_sequence`. `verify_audit` must name the
//! first broken entry each time.

use photo_guard_core::audit_csv::AuditRow;
use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEvent, ChatId, UserId};
use sqlx::{Executor, SqliteConnection};

use super::{at, Fixture};
use crate::audit::COLUMNS;
use crate::{legacy_entry_hash, AnchorStatus, Break, BrokenEntry};

pub(super) fn event(i: u32) -> AuditEvent {
    AuditEvent {
        at: at(2025, 1, 1, i % 24),
        actor: Some(UserId(i64::from(i))),
        chat: i.is_multiple_of(2).then_some(ChatId(-100)),
        action: "share.blocked".into(),
        detail: format!(r#"{{"n":{i}}}"#),
    }
}

pub(super) async fn with_entries(n: u32) -> Fixture {
    filled(Fixture::new().await, n).await
}

/// `fx` with `n` audit entries appended.
pub(super) async fn filled(fx: Fixture, n: u32) -> Fixture {
    for i in 1..=n {
        fx.store.append(event(i)).await.unwrap();
    }
    fx
}

pub(super) async fn untriggered(fx: &Fixture) -> SqliteConnection {
    let mut raw = fx.raw().await;
    raw.execute("DROP TRIGGER audit_log_no_update")
        .await
        .unwrap();
    raw.execute("DROP TRIGGER audit_log_no_delete")
        .await
        .unwrap();
    raw
}

pub(super) fn broken_at(seq: i64, problem: Break) -> Option<BrokenEntry> {
    Some(BrokenEntry { seq, problem })
}

/// Every row from `from` on, as stored.
pub(super) async fn rows_from(raw: &mut SqliteConnection, from: i64) -> Vec<AuditRow> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq >= ? ORDER BY seq"
    ))
    .bind(from)
    .fetch_all(&mut *raw)
    .await
    .unwrap();
    rows.iter()
        .map(|r| crate::audit::audit_row(r).unwrap())
        .collect()
}

/// Rewrites row `row.seq` with the given contents and hashes.
pub(super) async fn overwrite(raw: &mut SqliteConnection, row: &AuditRow) {
    sqlx::query(
        "UPDATE audit_log SET action = ?, detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
    )
    .bind(&row.action)
    .bind(&row.detail)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .bind(row.seq)
    .execute(&mut *raw)
    .await
    .unwrap();
}

#[tokio::test]
async fn an_untouched_chain_verifies() {
    let fx = with_entries(5).await;
    let report = fx.store.verify_audit().await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!((report.entries, report.legacy), (5, 0));
    let anchored = report.anchor.anchor().map(|a| a.seq);
    assert_eq!(anchored, Some(5), "the anchor follows the head");
}

#[tokio::test]
async fn an_empty_log_verifies() {
    let fx = Fixture::new().await;
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.entries, 0);
    assert!(report.is_ok(), "{report:?}");
}

// Issue 17.10: an altered entry is named.
#[tokio::test]
async fn an_altered_entry_is_named_by_its_seq() {
    let fx = with_entries(6).await;
    let mut raw = untriggered(&fx).await;
    raw.execute(r#"UPDATE audit_log SET detail = '{"n":0}' WHERE seq = 4"#)
        .await
        .unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(4, Break::HashMismatch));
    assert_eq!(
        report.broken.unwrap().to_string(),
        "hash mismatch: its contents were altered"
    );
}

// Issue 17.10: an attacker without the key recomputes the chain with the
// old unkeyed SHA-256 rule after editing an entry; the key catches it.
#[tokio::test]
async fn a_chain_recomputed_with_unkeyed_sha256_is_caught_at_the_edited_entry() {
    let fx = with_entries(6).await;
    let mut raw = untriggered(&fx).await;
    let mut prev = rows_from(&mut raw, 2).await[0].hash.clone();
    for mut row in rows_from(&mut raw, 3).await {
        if row.seq == 3 {
            row.action = "share.allowed".into();
        }
        row.prev_hash = prev;
        row.hash = legacy_entry_hash(&row);
        prev = row.hash.clone();
        overwrite(&mut raw, &row).await;
    }
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(3, Break::Unkeyed));
    assert!(!report.is_ok());
}

// Issue 17.10: a removed middle entry is named.
#[tokio::test]
async fn a_removed_middle_entry_is_detected_as_a_gap() {
    let fx = with_entries(6).await;
    let mut raw = untriggered(&fx).await;
    raw.execute("DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(3, Break::Gap { expected: 2 }));
    assert_eq!(
        report.broken.unwrap().to_string(),
        "gap in seq: entry 2 is missing"
    );
}

#[tokio::test]
async fn a_deleted_first_entry_is_detected() {
    let fx = with_entries(3).await;
    let mut raw = untriggered(&fx).await;
    raw.execute("DELETE FROM audit_log WHERE seq = 1")
        .await
        .unwrap();
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(2, Break::Gap { expected: 1 })
    );
}

// Issue 17.10: two entries swapped are named at the first.
#[tokio::test]
async fn reordered_entries_are_named_at_the_first_moved_one() {
    let fx = with_entries(5).await;
    let mut raw = untriggered(&fx).await;
    for swap in [
        "UPDATE audit_log SET seq = 100 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 100",
    ] {
        raw.execute(swap).await.unwrap();
    }
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(2, Break::PrevMismatch)
    );
}

#[tokio::test]
async fn a_renumbered_chain_is_detected() {
    let fx = with_entries(4).await;
    let mut raw = untriggered(&fx).await;
    raw.execute("DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    raw.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2")
        .await
        .unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(2, Break::PrevMismatch));
}

#[tokio::test]
async fn deleted_last_entries_are_detected() {
    let fx = with_entries(5).await;
    let mut raw = untriggered(&fx).await;
    raw.execute("DELETE FROM audit_log WHERE seq >= 4")
        .await
        .unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(
        report.broken,
        broken_at(4, Break::Truncated { high_water: 5 })
    );
    // Appending after the cut does not hide it.
    fx.store.append(event(9)).await.unwrap();
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(6, Break::Gap { expected: 4 })
    );
}

// Issue 17.10: the tail cut with the triggers dropped and sqlite_sequence
// reset leaves no trace in the database; the anchor outside it catches it,
// and appends after the cut do not move the anchor over it.
#[tokio::test]
async fn a_cut_tail_with_sqlite_sequence_reset_is_caught_by_the_anchor() {
    let fx = with_entries(6).await;
    let mut raw = untriggered(&fx).await;
    raw.execute("DELETE FROM audit_log WHERE seq >= 4")
        .await
        .unwrap();
    raw.execute("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'")
        .await
        .unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(
        report.broken,
        broken_at(4, Break::Truncated { high_water: 6 })
    );
    assert_eq!(
        report.broken.unwrap().to_string(),
        "entries 4 to 6 are missing (the log once reached 6)"
    );
    for i in 10..13 {
        fx.store.append(event(i)).await.unwrap();
    }
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.broken, broken_at(6, Break::AnchorMismatch));
    assert!(matches!(report.anchor, AnchorStatus::Kept(ref a) if a.seq == 6));
}

#[tokio::test]
async fn a_long_chain_is_verified_across_pages() {
    let fx = with_entries(1005).await;
    assert_eq!(fx.store.verify_audit().await.unwrap().entries, 1005);
    let mut raw = untriggered(&fx).await;
    raw.execute("UPDATE audit_log SET actor = 1 WHERE seq = 1003")
        .await
        .unwrap();
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(1003, Break::HashMismatch)
    );
}
