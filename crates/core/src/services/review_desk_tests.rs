//! The review desk on the in-memory fake with a real guard: who may press,
//! settling before posting, the original only with consent, every press
//! recorded with its outcome.

use std::sync::Arc;

use super::*;
use crate::services::fakes::MemStore;
use crate::services::fakes_guard::{review_desk, ADMIN, COORDINATOR};

fn desk() -> (ReviewDesk, Arc<MemStore>) {
    let store = Arc::new(MemStore::default());
    (review_desk(&store), store)
}

fn resolution(store: &MemStore) -> Resolution {
    store.vault.lock().unwrap()[&7].0.resolution
}

fn answer(press: Press) -> ReviewOutcome {
    match press {
        Press::Answer(outcome) => outcome,
        other => panic!("expected an answer, got {other:?}"),
    }
}

#[tokio::test]
async fn a_coordinator_pressing_discard_is_denied_and_nothing_changes() {
    // Issue 18: the desk checks the role at the time of the press.
    let (desk, store) = desk();
    let press = desk
        .press(COORDINATOR, ReviewAction::Discard, RecordId(7))
        .await;
    let outcome = answer(press.unwrap());
    assert_eq!(outcome, ReviewOutcome::Denied);
    assert_eq!(resolution(&store), Resolution::Pending);
    desk.finish(COORDINATOR, ReviewAction::Discard, RecordId(7), outcome)
        .await;
    let event = store.audit.lock().unwrap()[0].clone();
    assert_eq!(event.action, "review.discard");
    assert!(
        event.detail.contains("\"outcome\":\"denied\""),
        "{}",
        event.detail
    );
}

#[tokio::test]
async fn discarding_settles_once_and_a_second_press_is_stale() {
    // Issue 18: two admins pressing at once cannot both act.
    let (desk, store) = desk();
    let first = desk
        .press(ADMIN, ReviewAction::Discard, RecordId(7))
        .await
        .unwrap();
    assert_eq!(answer(first), ReviewOutcome::Done(ReviewAction::Discard));
    assert_eq!(resolution(&store), Resolution::Discarded);
    let again = desk
        .press(ADMIN, ReviewAction::Discard, RecordId(7))
        .await
        .unwrap();
    assert_eq!(answer(again), ReviewOutcome::Stale);
    assert!(desk.pending().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_blurred_release_is_settled_before_it_is_handed_over_to_post() {
    // Issue 18: the item is resolved before the platform posts the copy.
    let (desk, store) = desk();
    let press = desk
        .press(ADMIN, ReviewAction::ReleaseBlurred, RecordId(7))
        .await;
    match press.unwrap() {
        Press::Post {
            bytes, resolution, ..
        } => {
            assert_eq!(bytes, b"blurred");
            assert_eq!(resolution, Resolution::ReleasedBlurred);
        }
        other => panic!("expected a post, got {other:?}"),
    }
    assert_eq!(resolution(&store), Resolution::ReleasedBlurred);
}

#[tokio::test]
async fn the_original_of_an_untagged_photo_with_a_face_is_not_released() {
    // Issue 18: the original goes out only when consent allows it now.
    let (desk, store) = desk();
    let press = desk
        .press(ADMIN, ReviewAction::ReleaseOriginal, RecordId(7))
        .await;
    assert_eq!(answer(press.unwrap()), ReviewOutcome::OriginalNotAllowed);
    assert_eq!(resolution(&store), Resolution::Pending);
}

#[tokio::test]
async fn viewing_hands_over_the_sealed_bytes_and_an_unknown_item_is_stale() {
    // Issue 18: view shows the original without settling it.
    let (desk, store) = desk();
    match desk
        .press(ADMIN, ReviewAction::View, RecordId(7))
        .await
        .unwrap()
    {
        Press::Show { bytes } => assert_eq!(bytes, b"sealed"),
        other => panic!("expected a show, got {other:?}"),
    }
    assert_eq!(resolution(&store), Resolution::Pending);
    let missing = desk
        .press(ADMIN, ReviewAction::View, RecordId(8))
        .await
        .unwrap();
    assert_eq!(answer(missing), ReviewOutcome::Stale);
}
