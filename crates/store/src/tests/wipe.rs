//! A discarded or purged photo's ciphertext is gone from the files on disk
//! (the database and its WAL), not just unlinked from its row.

use photo_guard_core::store::Vault;
use photo_guard_core::{RecordId, Resolution, UserId};

use super::{at, blocked_share, seal_photo, Fixture};

async fn sealed(fx: &Fixture) -> (RecordId, Vec<u8>) {
    let share_id = blocked_share(&fx.store).await;
    let id = seal_photo(&fx.store, share_id, 9, 5, 64 * 1024).await;
    let ciphertext: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM quarantine WHERE id = ?")
        .bind(id.0)
        .fetch_one(fx.sqlite())
        .await
        .unwrap();
    // A slice from the middle: long enough to occur nowhere by chance.
    let middle = ciphertext.len() / 2;
    (id, ciphertext[middle..middle + 64].to_vec())
}

/// Whether `needle` is in the database file or its WAL, as they are on disk.
fn on_disk(fx: &Fixture, needle: &[u8]) -> Vec<&'static str> {
    ["store.db", "store.db-wal"]
        .into_iter()
        .filter(|name| {
            let bytes = std::fs::read(fx.file(name)).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle)
        })
        .collect()
}

// Issue 17.12: a discard leaves no ciphertext in freed pages or the WAL.
#[tokio::test]
async fn a_discarded_photos_ciphertext_is_gone_from_the_files() {
    let fx = Fixture::new().await;
    let (id, slice) = sealed(&fx).await;
    assert!(
        !on_disk(&fx, &slice).is_empty(),
        "the test can see the ciphertext"
    );
    assert!(fx
        .store
        .resolve(id, Resolution::Discarded, UserId(1))
        .await
        .unwrap());
    assert_eq!(on_disk(&fx, &slice), Vec::<&str>::new());
}

// Issue 17.12: a retention purge leaves no ciphertext on disk either.
#[tokio::test]
async fn a_purged_photos_ciphertext_is_gone_from_the_files() {
    let fx = Fixture::new().await;
    let (_, slice) = sealed(&fx).await;
    assert_eq!(fx.store.purge_before(at(2025, 3, 1, 0)).await.unwrap(), 1);
    assert_eq!(on_disk(&fx, &slice), Vec::<&str>::new());
}

#[tokio::test]
async fn every_connection_deletes_securely() {
    let fx = Fixture::new().await;
    let on: i64 = sqlx::query_scalar("PRAGMA secure_delete")
        .fetch_one(fx.sqlite())
        .await
        .unwrap();
    assert_eq!(on, 1);
}
