//! Album captions in the core: written once on arrival, read back by any
//! intake on the same store, and the album's wait counted once from its
//! first arrival.

use std::time::Duration;

use chrono::Utc;

use super::intake::Incoming;
use super::intake_album::still_to_wait;
use super::intake_tests::{incoming, intake, store_with};
use crate::{MessageId, Mode, Untagged};

const NO_WAIT: Duration = Duration::ZERO;

fn item(message: i64, caption: Option<&str>) -> Incoming {
    let mut media = incoming();
    media.message = MessageId(message);
    media.update = 100 + message;
    media.caption = caption.map(str::to_owned);
    media
}

#[tokio::test]
async fn an_album_item_is_judged_with_the_other_captions_of_its_album() {
    // Issue 18: album captions are written down and read back in the core.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let intake = intake(&store);
    let (this, other) = (item(5, Some("mine")), item(6, Some("#C-0001")));
    intake.note_album_item(&this, "a1").await.unwrap();
    intake.note_album_item(&other, "a1").await.unwrap();
    let seen = intake.album_captions(&other, "a1", NO_WAIT).await.unwrap();
    assert_eq!(
        seen,
        ["mine"],
        "its own caption came back, or not the other"
    );
    let seen = intake.album_captions(&this, "a1", NO_WAIT).await.unwrap();
    assert_eq!(seen, ["#C-0001"]);
}

#[tokio::test]
async fn an_album_items_caption_is_written_once_when_it_arrives_and_judging_only_reads_it() {
    // Issue 21 review: one writer of album captions, at arrival; judging never writes again.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let intake = intake(&store);
    let items = [item(5, Some("#C-0001")), item(6, None), item(7, Some("x"))];
    for media in &items {
        intake.note_album_item(media, "a1").await.unwrap();
    }
    for media in &items {
        intake.album_captions(media, "a1", NO_WAIT).await.unwrap();
    }
    assert_eq!(*store.intake.album_writes.lock().unwrap(), items.len());
}

#[tokio::test]
async fn an_album_item_judged_by_another_intake_on_the_same_store_has_its_albums_captions() {
    // Issue 17.1: a replay after a restart, or another replica, reads what arrival wrote.
    let store = store_with(Untagged::Blur, Mode::Enforce);
    let (first, second) = (item(5, Some("#C-0001 rumah")), item(6, None));
    let receiving = intake(&store);
    receiving.note_album_item(&first, "a1").await.unwrap();
    receiving.note_album_item(&second, "a1").await.unwrap();
    drop(receiving);
    let judging = intake(&store);
    let seen = judging.album_captions(&second, "a1", NO_WAIT).await;
    assert_eq!(seen.unwrap(), ["#C-0001 rumah"]);
}

#[test]
fn the_album_wait_runs_once_from_the_albums_first_arrival() {
    // Issue 21 review: an item behind the first waits only what is left of the album's wait.
    let now = Utc::now();
    let long_ago = now - chrono::Duration::hours(1);
    let wait = Duration::from_millis(1500);
    let ago = |ms: i64| Some(now - chrono::Duration::milliseconds(ms));
    assert_eq!(still_to_wait(ago(0), long_ago, now, wait), wait);
    let left = still_to_wait(ago(1000), long_ago, now, wait);
    assert_eq!(left, Duration::from_millis(500));
    assert_eq!(
        still_to_wait(ago(2000), long_ago, now, wait),
        Duration::ZERO
    );
}

#[test]
fn an_albums_wait_is_whole_when_nothing_was_noted_and_never_longer_than_the_wait() {
    // Issue 21 review: a missing arrival or a replica's clock ahead never shortens or stretches it.
    let now = Utc::now();
    let long_ago = now - chrono::Duration::hours(1);
    let wait = Duration::from_millis(1500);
    assert_eq!(still_to_wait(None, long_ago, now, wait), wait);
    let ahead = Some(now + chrono::Duration::seconds(30));
    assert_eq!(still_to_wait(ahead, long_ago, now, wait), wait);
}

#[test]
fn after_a_start_an_albums_wait_runs_from_the_start_at_the_earliest() {
    // Issue 17.1: items Telegram delivers again after a restart are recorded before judging.
    let now = Utc::now();
    let wait = Duration::from_millis(1500);
    let arrived = Some(now - chrono::Duration::minutes(5));
    let started = now - chrono::Duration::milliseconds(500);
    let left = still_to_wait(arrived, started, now, wait);
    assert_eq!(left, Duration::from_millis(1000));
}
