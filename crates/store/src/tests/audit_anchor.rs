//! The audit anchor outside the database: where it is kept, that it follows
//! each append, and that it can be neither forged nor silently replaced.

use photo_guard_core::store::AuditLog;

use super::audit_tamper::{event, with_entries};
use super::{Fixture, CONFIG_ADMIN};
use crate::{AnchorStatus, SqlStore, VaultKey};

fn anchor_file(fx: &Fixture) -> std::path::PathBuf {
    fx.file("store.db.audit-anchor")
}

// Issue 17.10: the anchor is a file beside the database, moved on each append.
#[tokio::test]
async fn the_anchor_is_kept_beside_the_database_and_names_the_last_entry() {
    let fx = with_entries(3).await;
    assert_eq!(
        fx.store.audit_anchor_path(),
        Some(anchor_file(&fx).as_path())
    );
    let text = std::fs::read_to_string(anchor_file(&fx)).unwrap();
    let last = fx.store.append(event(4)).await.unwrap();
    let moved = std::fs::read_to_string(anchor_file(&fx)).unwrap();
    assert_ne!(text, moved);
    assert!(
        moved.contains(&last.hash) && moved.contains("\"seq\": 4"),
        "{moved}"
    );
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.anchor.anchor().map(|a| a.seq), Some(4));
}

// Issue 17.10: AUDIT_ANCHOR_PATH puts the anchor elsewhere.
#[tokio::test]
async fn the_anchor_can_be_kept_at_a_path_of_its_own() {
    let fx = Fixture::new().await;
    let elsewhere = fx.file("anchor.json");
    let store = SqlStore::open_with(
        &fx.url,
        VaultKey::from_base64(&fx.key).unwrap(),
        &[CONFIG_ADMIN],
        Some(&elsewhere),
    )
    .await
    .unwrap();
    store.append(event(1)).await.unwrap();
    assert!(std::fs::read_to_string(&elsewhere)
        .unwrap()
        .contains("\"seq\": 1"));
    assert!(store.verify_audit().await.unwrap().is_ok());
}

// Issue 17.10: an anchor edited without the key is refused.
#[tokio::test]
async fn an_anchor_moved_back_by_hand_fails_its_mac() {
    let fx = with_entries(5).await;
    let text = std::fs::read_to_string(anchor_file(&fx)).unwrap();
    std::fs::write(anchor_file(&fx), text.replace("\"seq\": 5", "\"seq\": 3")).unwrap();
    let report = fx.store.verify_audit().await.unwrap();
    assert_eq!(report.anchor, AnchorStatus::Invalid);
    assert!(!report.is_ok());
}

// Issue 17.10: the anchor under another key is not this log's.
#[tokio::test]
async fn an_anchor_read_under_another_key_is_invalid() {
    let fx = with_entries(2).await;
    let other = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    assert_eq!(
        other.verify_audit().await.unwrap().anchor,
        AnchorStatus::Invalid
    );
}

// Issue 17.10: deleting the anchor of a keyed log is reported, and neither a
// reopen nor an append quietly makes a new one over a cut log.
#[tokio::test]
async fn a_deleted_anchor_beside_a_keyed_log_is_reported_and_not_recreated() {
    let fx = with_entries(4).await;
    std::fs::remove_file(anchor_file(&fx)).unwrap();
    let reopened = fx.reopen_with(&fx.key).await;
    reopened.append(event(5)).await.unwrap();
    let report = reopened.verify_audit().await.unwrap();
    assert_eq!(
        (report.anchor.clone(), report.broken.clone()),
        (AnchorStatus::Missing, None)
    );
    assert!(!report.is_ok());
    assert!(!anchor_file(&fx).exists());
}

#[tokio::test]
async fn an_in_memory_store_keeps_no_anchor_and_still_verifies() {
    let store = SqlStore::open("sqlite::memory:", VaultKey::generate(), &[CONFIG_ADMIN])
        .await
        .unwrap();
    store.append(event(1)).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert_eq!(report.anchor, AnchorStatus::NotKept);
    assert!(report.is_ok(), "{report:?}");
}
