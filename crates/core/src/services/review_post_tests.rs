//! The review desk driven through the fake platform: what each press posts,
//! where, with which protection, and what the presser is told.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::*;
use crate::platform::fake::{Call, FakePlatform};
use crate::services::fakes::MemStore;
use crate::services::fakes_guard::{review_desk, ADMIN, COORDINATOR};
use crate::{ChatId, ChatPolicy, Resolution};

fn outcome_detail(store: &MemStore) -> String {
    store.audit.lock().unwrap().last().unwrap().detail.clone()
}

#[tokio::test]
async fn a_blurred_release_is_posted_in_the_photos_thread_in_the_chats_language() {
    // Issue 18: the desk posts the release through the port, credited, with the reminder.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    {
        let mut vault = store.vault.lock().unwrap();
        let item = &mut vault.get_mut(&7).unwrap().0;
        item.thread = Some(3);
        item.caption = Some("kunjungan".into());
    }
    let en = ChatPolicy {
        lang: Lang::En,
        ..ChatPolicy::default()
    };
    store.policies.lock().unwrap().insert(-100, en);
    let platform = FakePlatform::default();
    let action = ReviewAction::ReleaseBlurred;
    let outcome = desk.handle(&platform, ADMIN, action, RecordId(7)).await;
    assert_eq!(outcome, ReviewOutcome::Done(action));
    let credit = Msg::ReleasedBy {
        sender: "Alice",
        caption: Some("kunjungan"),
    };
    let posted = Call::PostMedia {
        to: Place {
            chat: ChatId(-100),
            thread: Some(3),
        },
        kind: MediaKind::Photo,
        bytes: b"blurred".to_vec(),
        protect: false,
        caption: with_reminder(Lang::En, &text(Lang::En, &credit)),
    };
    assert_eq!(platform.calls(), [posted]);
    assert!(outcome_detail(&store).contains("\"outcome\":\"done\""));
}

#[tokio::test]
async fn viewing_shows_the_original_to_the_presser_alone_with_protection() {
    // Issue 18: view goes to the presser's private chat, protected, and settles nothing.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let platform = FakePlatform::default();
    let outcome = desk
        .handle(&platform, ADMIN, ReviewAction::View, RecordId(7))
        .await;
    assert_eq!(outcome, ReviewOutcome::Done(ReviewAction::View));
    match &platform.calls()[..] {
        [Call::PostMedia {
            to, bytes, protect, ..
        }] => {
            assert_eq!(*to, Place::private(ADMIN));
            assert_eq!(bytes, b"sealed");
            assert!(protect);
        }
        other => panic!("expected one protected post, got {other:?}"),
    }
    assert_eq!(
        store.vault.lock().unwrap()[&7].0.resolution,
        Resolution::Pending
    );
}

#[tokio::test]
async fn a_denied_press_posts_nothing_and_tells_the_presser_the_role_needed() {
    // Issue 18: a coordinator's press never reaches the platform.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let platform = FakePlatform::default();
    let action = ReviewAction::ReleaseBlurred;
    let outcome = desk
        .handle(&platform, COORDINATOR, action, RecordId(7))
        .await;
    assert_eq!(outcome, ReviewOutcome::Denied);
    assert!(platform.calls().is_empty());
    let needed = Msg::NotAllowed {
        needed: crate::Role::Admin,
    };
    assert_eq!(text(Lang::Id, &outcome.msg()), text(Lang::Id, &needed));
    assert!(outcome_detail(&store).contains("\"outcome\":\"denied\""));
}

#[tokio::test]
async fn a_released_copy_is_noted_against_its_share_so_a_withdrawal_takes_it_down() {
    // Issue 23: a photo released from review shows its client again; the copy
    // is recorded like a replacement copy, which the takedown lists.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let platform = FakePlatform::default();
    let action = ReviewAction::ReleaseBlurred;
    let outcome = desk.handle(&platform, ADMIN, action, RecordId(7)).await;
    assert_eq!(outcome, ReviewOutcome::Done(action));
    let posted = match platform.calls().last() {
        Some(Call::PostMedia { to, .. }) => to.chat,
        other => panic!("no copy posted: {other:?}"),
    };
    let noted = store.time.replacements.lock().unwrap().clone();
    let (&(chat, _copy), &share) = noted.iter().next().expect("the copy is noted");
    assert_eq!(noted.len(), 1);
    assert_eq!(ChatId(chat), posted);
    assert_eq!(share, RecordId(7), "noted against the item's share");
}

#[tokio::test]
async fn a_release_the_platform_cannot_post_ends_failed_and_is_recorded_so() {
    // Issue 18: a failed post is a failed press, told and audited as such.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let platform = FakePlatform::default();
    platform.down.store(true, Ordering::SeqCst);
    let action = ReviewAction::ReleaseBlurred;
    let outcome = desk.handle(&platform, ADMIN, action, RecordId(7)).await;
    assert_eq!(outcome, ReviewOutcome::Failed);
    assert!(outcome_detail(&store).contains("\"outcome\":\"failed\""));
}

#[tokio::test]
async fn the_review_list_alerts_the_admin_per_item_with_every_action_or_says_it_is_empty() {
    // Issue 18: /review's list is sent through the port's admin alert.
    let store = Arc::new(MemStore::default());
    let desk = review_desk(&store);
    let platform = FakePlatform::default();
    desk.list(&platform, ADMIN, Lang::En).await.unwrap();
    match &platform.calls()[..] {
        [Call::AlertAdmin {
            admin,
            item,
            actions,
            lang,
            ..
        }] => {
            assert_eq!((*admin, *item, *lang), (ADMIN, 7, Lang::En));
            assert_eq!(actions, &ReviewAction::ALL);
        }
        other => panic!("expected one alert, got {other:?}"),
    }
    store.vault.lock().unwrap().clear();
    let platform = FakePlatform::default();
    desk.list(&platform, ADMIN, Lang::En).await.unwrap();
    let empty = text(Lang::En, &Msg::ReviewEmpty);
    assert_eq!(platform.calls(), [Call::TellUser(ADMIN, empty)]);
}
