//! The vault under attack: someone with the database file but not the key,
//! or with the wrong key, edits or swaps rows. Every such open must fail with
//! `Integrity`, never hand back garbage.

use photo_guard_core::store::{Inbox, Vault};
use photo_guard_core::{RecordId, StoreError};
use sqlx::Executor;

use super::{blocked_share, photo, seal_photo, Fixture};
use crate::VaultKey;

async fn sealed_pair(fx: &Fixture) -> (RecordId, RecordId) {
    let share_id = blocked_share(&fx.store).await;
    let a = seal_photo(&fx.store, share_id, 9, 1, 2048).await;
    let b = seal_photo(&fx.store, share_id, 10, 2, 2048).await;
    (a, b)
}

fn is_integrity(result: Result<Vec<u8>, StoreError>) -> bool {
    matches!(result, Err(StoreError::Integrity(_)))
}

#[tokio::test]
async fn a_wrong_key_is_an_integrity_error_not_garbage() {
    let fx = Fixture::new().await;
    let (a, _) = sealed_pair(&fx).await;
    let wrong = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    let result = wrong.open(a).await;
    assert!(is_integrity(result.clone()), "{result:?}");
    assert_eq!(
        fx.store.open(a).await.unwrap(),
        photo(1, 2048),
        "the right key still opens it"
    );
}

#[tokio::test]
async fn photo_bytes_are_not_stored_in_clear() {
    let fx = Fixture::new().await;
    let (a, _) = sealed_pair(&fx).await;
    let (nonce, sealed): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT nonce, sealed FROM quarantine WHERE id = ?")
            .bind(a.0)
            .fetch_one(fx.sqlite())
            .await
            .unwrap();
    assert_eq!(nonce.len(), 24);
    assert_eq!(sealed.len(), 2048 + 16, "ciphertext plus tag");
    let clear = photo(1, 2048);
    assert!(
        !sealed
            .windows(32)
            .any(|w| clear.windows(32).any(|c| c == w)),
        "no 32-byte run of the photo is in the row"
    );
}

#[tokio::test]
async fn the_same_photo_sealed_twice_gets_fresh_nonces() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let nonces: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT nonce FROM quarantine WHERE id IN (?, ?)")
            .bind(a.0)
            .bind(b.0)
            .fetch_all(fx.sqlite())
            .await
            .unwrap();
    assert_ne!(nonces[0], nonces[1]);
}

#[tokio::test]
async fn a_tampered_ciphertext_is_an_integrity_error() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let mut raw = fx.raw().await;
    raw.execute("DROP TRIGGER quarantine_sealed_is_fixed")
        .await
        .unwrap();
    // Flip the first byte of the ciphertext.
    sqlx::query("UPDATE quarantine SET sealed = (CASE WHEN substr(sealed, 1, 1) = x'00' THEN x'01' ELSE x'00' END) || substr(sealed, 2) WHERE id = ?")
        .bind(a.0)
        .execute(&mut raw)
        .await
        .unwrap();
    assert!(is_integrity(fx.store.open(a).await));
    assert_eq!(
        fx.store.open(b).await.unwrap(),
        photo(2, 2048),
        "the untouched row still opens"
    );
}

#[tokio::test]
async fn a_tampered_nonce_or_row_identity_is_an_integrity_error() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let mut raw = fx.raw().await;
    raw.execute("DROP TRIGGER quarantine_sealed_is_fixed")
        .await
        .unwrap();
    sqlx::query("UPDATE quarantine SET nonce = zeroblob(24) WHERE id = ?")
        .bind(a.0)
        .execute(&mut raw)
        .await
        .unwrap();
    sqlx::query("UPDATE quarantine SET chat_id = -999 WHERE id = ?")
        .bind(b.0)
        .execute(&mut raw)
        .await
        .unwrap();
    assert!(is_integrity(fx.store.open(a).await), "altered nonce");
    assert!(
        is_integrity(fx.store.open(b).await),
        "a photo redirected to another chat"
    );
}

#[tokio::test]
async fn a_ciphertext_swapped_between_rows_is_an_integrity_error() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let mut raw = fx.raw().await;
    raw.execute("DROP TRIGGER quarantine_sealed_is_fixed")
        .await
        .unwrap();
    sqlx::query(
        "UPDATE quarantine SET nonce = (SELECT nonce FROM quarantine WHERE id = ?), \
         sealed = (SELECT sealed FROM quarantine WHERE id = ?) WHERE id = ?",
    )
    .bind(b.0)
    .bind(b.0)
    .bind(a.0)
    .execute(&mut raw)
    .await
    .unwrap();
    let result = fx.store.open(a).await;
    assert!(
        is_integrity(result.clone()),
        "row {a} opened another row's photo: {:?}",
        result.map(|v| v.len())
    );
}

#[tokio::test]
async fn the_schema_refuses_to_rewrite_a_sealed_row() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let swap = sqlx::query(
        "UPDATE quarantine SET sealed = (SELECT sealed FROM quarantine WHERE id = ?) WHERE id = ?",
    )
    .bind(b.0)
    .bind(a.0)
    .execute(fx.sqlite())
    .await;
    assert!(swap.is_err(), "the trigger stops a ciphertext swap");
}

#[tokio::test]
async fn an_integrity_error_never_carries_the_photo_bytes() {
    let fx = Fixture::new().await;
    let (a, _) = sealed_pair(&fx).await;
    let wrong = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    let message = wrong.open(a).await.unwrap_err().to_string();
    assert!(message.len() < 200, "{message}");
    assert!(
        message.contains(&a.to_string()) && message.contains("QUARANTINE_KEY"),
        "{message}"
    );
}

async fn raw_text(fx: &Fixture, id: RecordId) -> (String, Option<String>) {
    sqlx::query_as("SELECT sender_name, caption FROM quarantine WHERE id = ?")
        .bind(id.0)
        .fetch_one(fx.sqlite())
        .await
        .unwrap()
}

#[tokio::test]
async fn sender_names_and_captions_are_not_stored_in_clear() {
    let fx = Fixture::new().await;
    let (a, _) = sealed_pair(&fx).await;
    let (name, caption) = raw_text(&fx, a).await;
    let caption = caption.expect("a caption was given");
    for stored in [&name, &caption] {
        assert!(
            !stored.contains("Sari") && !stored.contains("KLN0042") && !stored.contains("visit"),
            "{stored}"
        );
    }
    let item = fx.store.item(a).await.unwrap();
    assert_eq!(item.sender_name, "Sari");
    assert_eq!(item.caption.as_deref(), Some("home visit #KLN0042"));
}

#[tokio::test]
async fn a_caption_moved_to_another_row_is_an_integrity_error() {
    let fx = Fixture::new().await;
    let (a, b) = sealed_pair(&fx).await;
    let (_, caption_b) = raw_text(&fx, b).await;
    sqlx::query("UPDATE quarantine SET caption = ? WHERE id = ?")
        .bind(caption_b)
        .bind(a.0)
        .execute(fx.sqlite())
        .await
        .unwrap();
    let result = fx.store.item(a).await;
    assert!(
        matches!(result, Err(StoreError::Integrity(_))),
        "{result:?}"
    );
    // Issue 17.9: the list skips the altered row rather than failing whole.
    let pending: Vec<RecordId> = fx
        .store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(pending, vec![b]);
    assert_eq!(fx.store.unreadable().await.unwrap().photos, 1);
    assert!(fx.store.item(b).await.is_ok());
}

#[tokio::test]
async fn a_row_written_in_clear_by_an_older_version_is_still_read() {
    let fx = Fixture::new().await;
    let (a, _) = sealed_pair(&fx).await;
    sqlx::query(
        "UPDATE quarantine SET sender_name = 'Budi', caption = 'old #KLN0042' WHERE id = ?",
    )
    .bind(a.0)
    .execute(fx.sqlite())
    .await
    .unwrap();
    let item = fx.store.item(a).await.unwrap();
    assert_eq!(item.sender_name, "Budi");
    assert_eq!(item.caption.as_deref(), Some("old #KLN0042"));
}

#[tokio::test]
async fn inbox_updates_are_not_stored_in_clear_and_a_wrong_key_cannot_read_them() {
    let fx = Fixture::new().await;
    let payload = r#"{"update_id":5,"message":{"caption":"home visit #KLN0042"}}"#;
    assert!(fx.store.receive(5, payload).await.unwrap());
    let stored: String = sqlx::query_scalar("SELECT payload FROM inbox WHERE update_id = 5")
        .fetch_one(fx.sqlite())
        .await
        .unwrap();
    assert!(
        !stored.contains("KLN0042") && !stored.contains("caption"),
        "{stored}"
    );
    assert_eq!(
        fx.store.unfinished().await.unwrap(),
        vec![(5, payload.to_owned())]
    );
    // Issue 17.9: a wrong key reads nothing, says how many it could not read.
    let wrong = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    assert_eq!(wrong.unfinished().await.unwrap(), vec![]);
    assert_eq!(wrong.unreadable().await.unwrap().updates, 1);
}
