//! Rows the store cannot read (sealed under another key, or damaged) are
//! skipped, not fatal: the replay and `/review` go on with the others, and
//! `unreadable` counts them for `doctor`.

use photo_guard_core::store::{Inbox, Vault};

use super::{blocked_share, on_both, seal_photo, Fixture};
use crate::{Unreadable, VaultKey};

// Issue 17.9: one update sealed under another key no longer stops the replay.
async fn an_update_sealed_under_another_key_is_skipped_and_counted(fx: Fixture) {
    let other = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    fx.store.receive(1, "first").await.unwrap();
    other.receive(2, "under the old key").await.unwrap();
    fx.store.receive(3, "third").await.unwrap();
    assert_eq!(
        fx.store.unfinished().await.unwrap(),
        vec![(1, "first".to_owned()), (3, "third".to_owned())]
    );
    assert_eq!(
        fx.store.unreadable().await.unwrap(),
        Unreadable {
            updates: 1,
            photos: 0
        }
    );
}

// Issue 17.9: one photo sealed under another key no longer empties /review.
async fn a_pending_photo_sealed_under_another_key_is_skipped_and_counted(fx: Fixture) {
    let other = fx.reopen_with(&VaultKey::generate().to_base64()).await;
    let share_id = blocked_share(&fx.store).await;
    let good = seal_photo(&fx.store, share_id, 9, 1, 512).await;
    seal_photo(&other, share_id, 10, 2, 512).await;
    let later = seal_photo(&fx.store, share_id, 11, 3, 512).await;
    let pending: Vec<_> = fx
        .store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .map(|item| item.id)
        .collect();
    assert_eq!(pending, vec![good, later]);
    assert_eq!(
        fx.store.unreadable().await.unwrap(),
        Unreadable {
            updates: 0,
            photos: 1
        }
    );
}

async fn a_store_whose_rows_all_read_counts_none_unreadable(fx: Fixture) {
    fx.store.receive(1, "x").await.unwrap();
    assert!(fx.store.unreadable().await.unwrap().is_none());
}

on_both!(
    an_update_sealed_under_another_key_is_skipped_and_counted,
    a_pending_photo_sealed_under_another_key_is_skipped_and_counted,
    a_store_whose_rows_all_read_counts_none_unreadable,
);
