//! The audit chain under attack: someone with the file drops the
//! append-only triggers and edits, rehashes or deletes rows with raw SQL.
//! `verify_audit` must name the first broken entry each time; the CSV export
//! must carry what is needed to check the chain outside the store.

use photo_guard_core::store::AuditLog;
use photo_guard_core::{AuditEvent, ChatId, UserId};
use sqlx::{Executor, SqliteConnection};

use super::{at, Fixture};
use crate::audit::entry_hash;
use crate::{Break, BrokenEntry, CSV_HEADER, GENESIS_PREV_HASH};

async fn with_entries(n: u32) -> Fixture {
    let fx = Fixture::new().await;
    for i in 1..=n {
        fx.store
            .append(AuditEvent {
                at: at(2025, 1, 1, i % 24),
                actor: Some(UserId(i64::from(i))),
                chat: (i % 2 == 0).then_some(ChatId(-100)),
                action: "share.blocked".into(),
                detail: format!(r#"{{"n":{i}}}"#),
            })
            .await
            .unwrap();
    }
    fx
}

async fn untriggered(fx: &Fixture) -> SqliteConnection {
    let mut raw = fx.raw().await;
    raw.execute("DROP TRIGGER audit_log_no_update")
        .await
        .unwrap();
    raw.execute("DROP TRIGGER audit_log_no_delete")
        .await
        .unwrap();
    raw
}

fn broken_at(seq: i64, problem: Break) -> Option<BrokenEntry> {
    Some(BrokenEntry { seq, problem })
}

#[tokio::test]
async fn an_untouched_chain_verifies() {
    let fx = with_entries(5).await;
    let report = fx.store.verify_audit().await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.entries, 5);
}

#[tokio::test]
async fn an_empty_log_verifies() {
    let fx = Fixture::new().await;
    assert_eq!(fx.store.verify_audit().await.unwrap().entries, 0);
    assert!(fx.store.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn an_edited_entry_is_named_by_its_seq() {
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

#[tokio::test]
async fn an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() {
    let fx = with_entries(6).await;
    let mut raw = untriggered(&fx).await;
    let (at, prev): (String, String) =
        sqlx::query_as("SELECT at, prev_hash FROM audit_log WHERE seq = 3")
            .fetch_one(&mut raw)
            .await
            .unwrap();
    let forged = entry_hash(&prev, 3, &at, Some(3), None, "share.allowed", r#"{"n":3}"#);
    sqlx::query("UPDATE audit_log SET action = 'share.allowed', hash = ? WHERE seq = 3")
        .bind(&forged)
        .execute(&mut raw)
        .await
        .unwrap();
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(4, Break::PrevMismatch)
    );
}

#[tokio::test]
async fn a_deleted_entry_is_detected_as_a_gap() {
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
    fx.store
        .append(AuditEvent {
            at: at(2025, 1, 2, 0),
            actor: None,
            chat: None,
            action: "x".into(),
            detail: "{}".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        fx.store.verify_audit().await.unwrap().broken,
        broken_at(6, Break::Gap { expected: 4 })
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

#[tokio::test]
async fn the_csv_export_has_the_header_and_every_chained_column() {
    let fx = with_entries(3).await;
    let mut out = Vec::new();
    assert_eq!(fx.store.export_audit_csv(None, &mut out).await.unwrap(), 3);
    let text = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][6], GENESIS_PREV_HASH);
    let mut prev = GENESIS_PREV_HASH.to_string();
    for row in &rows {
        let opt = |s: &str| (!s.is_empty()).then(|| s.parse::<i64>().unwrap());
        let hash = entry_hash(
            &prev,
            row[0].parse().unwrap(),
            &row[1],
            opt(&row[2]),
            opt(&row[3]),
            &row[4],
            &row[5],
        );
        assert_eq!(hash, &row[7], "the chain can be checked from the CSV alone");
        prev = hash;
    }
    assert_eq!(
        (&rows[0][3], &rows[1][3]),
        ("", "-100"),
        "an absent chat is an empty field"
    );
}

#[tokio::test]
async fn the_csv_export_since_a_time_leaves_older_entries_out() {
    let fx = with_entries(5).await;
    let mut out = Vec::new();
    assert_eq!(
        fx.store
            .export_audit_csv(Some(at(2025, 1, 1, 3)), &mut out)
            .await
            .unwrap(),
        3
    );
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 4);
}
