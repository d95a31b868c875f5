//! Viewing without protection (WhatsApp): the blurred copy unless the
//! original is asked for, the role checked, the view recorded.

use std::sync::Arc;

use super::*;
use crate::services::fakes::MemStore;
use crate::services::fakes_guard::{review_desk, ADMIN, COORDINATOR};
use crate::services::Shown;

fn shown(press: Press) -> Vec<u8> {
    match press {
        Press::Show { bytes } => bytes,
        other => panic!("expected a show, got {other:?}"),
    }
}

#[tokio::test]
async fn a_view_without_protection_shows_the_blurred_copy_unless_the_original_is_asked_for() {
    // Issue 22: WhatsApp cannot protect the original; it goes only on an explicit request.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let blurred = desk.view_unprotected(ADMIN, RecordId(7), Shown::Blurred);
    assert_eq!(shown(blurred.await.unwrap()), b"blurred");
    let original = desk.view_unprotected(ADMIN, RecordId(7), Shown::Original);
    assert_eq!(shown(original.await.unwrap()), b"sealed");
    assert_eq!(
        store.vault.lock().unwrap()[&7].0.resolution,
        Resolution::Pending,
        "viewing settles nothing"
    );
    let denied = desk.view_unprotected(COORDINATOR, RecordId(7), Shown::Original);
    match denied.await.unwrap() {
        Press::Answer(outcome) => assert_eq!(outcome, ReviewOutcome::Denied),
        other => panic!("a coordinator was shown the original: {other:?}"),
    }
    let done = ReviewOutcome::Done(ReviewAction::View);
    desk.finish_unprotected_view(ADMIN, RecordId(7), Shown::Original, done)
        .await;
    let event = store.audit.lock().unwrap()[0].clone();
    assert_eq!(event.action, "review.view");
    for part in ["\"shown\":\"original\"", "\"protected\":false"] {
        assert!(event.detail.contains(part), "{}", event.detail);
    }
}
