//! End to end: album items judged with every caption of their album (each
//! caption written once, as its update is recorded), after a restart too,
//! and the album's wait for its captions run once from its first arrival,
//! not once per item behind one another in the chat's line.

use std::time::{Duration, Instant};

use photo_guard_core::store::Inbox;
use photo_guard_core::Verdict;

use crate::e2e_photos::consent;
use crate::e2e_steps::{audited, pending_reviews, HANG};
use crate::fake_telegram::{Content, Fault, PostOptions};
use crate::support::*;

/// The album wait these tests run with: long enough that waiting once per
/// item stands out from the processing of a loaded machine.
const ALBUM_WAIT: Duration = Duration::from_secs(3);

/// Posts an album as `ALICE`: one message per (photo, caption), one media group.
pub(crate) fn album(app: &TestApp, items: &[(&[u8], Option<&str>)]) -> Vec<i32> {
    items
        .iter()
        .map(|(bytes, caption)| album_item(app, bytes, *caption))
        .collect()
}

fn album_item(app: &TestApp, bytes: &[u8], caption: Option<&str>) -> i32 {
    let content = Content::Photo {
        bytes: bytes.to_vec(),
        caption: caption.map(str::to_owned),
    };
    let options = PostOptions {
        media_group_id: Some("album-1".to_owned()),
        ..PostOptions::default()
    };
    app.fake.post(GROUP, ALICE, content, options)
}

async fn with_album_wait() -> TestApp {
    let ms = ALBUM_WAIT.as_millis().to_string();
    TestApp::spawn_with_env(&[("ALBUM_WAIT_MS", &ms)]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_with_a_refused_tag_on_one_item_blocks_every_item_even_when_another_is_tagged_full(
) {
    // Issue 17.1 (and 17.18): every album item is judged with every caption of its album.
    let app = TestApp::spawn().await;
    consent(&app, "KLN1", "refused").await;
    consent(&app, "KLN2", "full").await;
    let ids = album(
        &app,
        &[
            (faces_jpeg(), Some("kunjungan #KLN1")),
            (faces_jpeg(), Some("terapi #KLN2")),
        ],
    );
    assert_eq!(
        audited(&app, "share.block", 2).await,
        2,
        "an album item was not blocked"
    );
    assert_eq!(
        audited(&app, "share.allow", 0).await,
        0,
        "an item was allowed"
    );
    let all_gone = app
        .fake
        .wait_until(WAIT, |f| ids.iter().all(|id| f.is_deleted(GROUP, *id)))
        .await;
    assert!(all_gone, "a face of the refused client stayed in the chat");
    assert!(
        app.fake.sent_photos(GROUP).is_empty(),
        "a blocked album item was re-posted"
    );
    assert_eq!(pending_reviews(&app).await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_of_five_photos_is_handled_within_about_one_album_wait() {
    // Issue 21 review: the album waits once, from its first arrival, not once per item.
    let app = with_album_wait().await;
    let sent = Instant::now();
    let ids = album(&app, &[(plain_jpeg(), Some("kegiatan hari ini")); 5]);
    for id in &ids {
        assert_eq!(app.wait_verdict(*id).await, Verdict::Allow);
    }
    let took = sent.elapsed();
    // One wait plus five checks; five waits in a row would be 15 s.
    assert!(
        took < 3 * ALBUM_WAIT,
        "an album of 5 took {took:?} with an album wait of {ALBUM_WAIT:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_item_arriving_late_within_the_album_wait_still_blocks_the_first_item() {
    // Issue 17.1: the first item still waits for the rest of its album.
    let app = with_album_wait().await;
    consent(&app, "KLN3", "refused").await;
    let first = album_item(&app, faces_jpeg(), Some("kunjungan rumah"));
    tokio::time::sleep(ALBUM_WAIT / 3).await;
    let late = album_item(&app, faces_jpeg(), Some("#KLN3"));
    assert_eq!(app.wait_verdict(first).await, Verdict::Block);
    assert_eq!(app.wait_verdict(late).await, Verdict::Block);
    let both_gone = app
        .fake
        .wait_until(WAIT, |f| {
            f.is_deleted(GROUP, first) && f.is_deleted(GROUP, late)
        })
        .await;
    assert!(both_gone, "a face of the refused client stayed in the chat");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_item_judged_after_a_restart_still_has_its_albums_caption() {
    // Issue 17.1: the caption written when the update was recorded outlives the process.
    let mut app = TestApp::spawn().await;
    consent(&app, "KLN4", "refused").await;
    // The first item's delete hangs: the second is recorded but never judged.
    app.fake
        .fail_next_n("deletemessage", Fault::Timeout(HANG), 10);
    let ids = album(&app, &[(faces_jpeg(), Some("#KLN4")), (faces_jpeg(), None)]);
    assert_eq!(audited(&app, "share.block", 1).await, 1);
    let store = app.store().await;
    let waiting = Inbox::unfinished(&store).await.expect("the inbox reads");
    assert_eq!(
        waiting.len(),
        2,
        "both items are recorded, neither finished"
    );
    app.kill();
    app.fake.clear_faults();

    app.start().await;
    assert_eq!(app.wait_verdict(ids[1]).await, Verdict::Block);
    let all_gone = app
        .fake
        .wait_until(WAIT, |f| ids.iter().all(|id| f.is_deleted(GROUP, *id)))
        .await;
    assert!(
        all_gone,
        "an album item stayed in the chat after the restart"
    );
}
