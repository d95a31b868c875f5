//! End to end: acting on a verdict as recorded steps that survive a crash or
//! a SIGTERM, the states of one message judged one after the other (the
//! later wins).

use std::time::Duration;

use photo_guard_core::store::{AuditLog, Inbox, ShareStore, Vault};

use crate::e2e_photos::consent;
use crate::fake_telegram::Fault;
use crate::support::*;

/// A delay longer than any test: the call hangs until the bot is killed.
pub(crate) const HANG: Duration = Duration::from_secs(120);

/// How many audit entries record `action`, waiting until there are `n`.
pub(crate) async fn audited(app: &TestApp, action: &str, n: usize) -> usize {
    let store = app.store().await;
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let entries = store
            .entries_since(since)
            .await
            .expect("the audit log reads");
        let count = entries.iter().filter(|e| e.event.action == action).count();
        if count >= n || tokio::time::Instant::now() >= deadline {
            return count;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the original is deleted, lets the bot reach its next (hanging)
/// call, then kills it and clears the faults.
async fn crash_after_the_delete(app: &mut TestApp, msg: i32) {
    let deleted = app
        .fake
        .wait_until(WAIT, |f| f.is_deleted(GROUP, msg))
        .await;
    assert!(deleted, "the original was never deleted");
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.kill();
    app.fake.clear_faults();
}

async fn checked_photos(app: &TestApp) -> u64 {
    let stats = app.store().await.stats().await.expect("stats read");
    stats.iter().map(|s| s.checked).sum()
}

pub(crate) async fn pending_reviews(app: &TestApp) -> usize {
    Vault::pending(&app.store().await)
        .await
        .expect("the quarantine reads")
        .len()
}

fn alerts_to(app: &TestApp, user: i64) -> usize {
    app.fake
        .messages_to(user)
        .iter()
        .filter(|m| m.reply_markup.is_some())
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_after_the_delete_still_posts_the_blurred_copy_after_restart() {
    // Issue 17.8: the copy is posted after a restart even though the original is gone.
    let mut app = TestApp::spawn().await;
    app.fake.fail_next_n("sendphoto", Fault::Timeout(HANG), 10);
    let msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("kunjungan rumah"));
    crash_after_the_delete(&mut app, msg).await; // sendPhoto hangs
    assert!(app.fake.sent_photos(GROUP).is_empty());

    app.start().await;
    let posted = app
        .fake
        .wait_until(WAIT, |f| f.sent_photos(GROUP).len() == 1)
        .await;
    assert!(
        posted,
        "the photo was lost between the delete and the repost"
    );
    let copy = &app.fake.sent_photos(GROUP)[0];
    let caption = copy.caption.clone().unwrap_or_default();
    assert!(
        caption.contains("Alice") && caption.contains("kunjungan rumah"),
        "{caption}"
    );
    assert_ne!(
        copy.bytes.as_slice(),
        faces_jpeg(),
        "the original was posted"
    );
    assert_eq!(checked_photos(&app).await, 1, "the photo was checked again");

    // Killed only once the posted copy is written down: between Telegram's
    // answer and that write the bot cannot know the copy went out, and posts
    // again rather than lose the photo (the one window a crash can double).
    let left = crate::faults::wait_inbox_finished(&app).await;
    assert!(left.is_empty(), "the update never finished");
    app.kill();
    app.start().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "the copy was posted twice"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_block_writes_one_share_one_quarantine_row_and_alerts_the_admins_once() {
    // Issue 17.8: a block resumed after a crash is not checked again and its admins hear once.
    let mut app = TestApp::spawn().await;
    consent(&app, "KLN5", "refused").await;
    // The delete goes through; then every message the bot sends hangs.
    app.fake
        .fail_next_n("sendmessage", Fault::Timeout(HANG), 10);
    let msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("#KLN5 rumah"));
    crash_after_the_delete(&mut app, msg).await;
    assert_eq!(
        alerts_to(&app, ADMIN),
        0,
        "the admins were told before the crash"
    );

    app.start().await;
    assert!(
        app.review_alert(ADMIN).await.is_some(),
        "the admins never heard of the block"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        alerts_to(&app, ADMIN),
        1,
        "the admins were alerted more than once"
    );
    assert_eq!(checked_photos(&app).await, 1, "a second share row");
    assert_eq!(pending_reviews(&app).await, 1, "a second quarantine row");
    assert_eq!(
        audited(&app, "share.block", 1).await,
        1,
        "a second audit entry"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_adding_a_refused_tag_while_the_original_is_checked_ends_blocked() {
    // Issue 17.7: the edit waits for the original's blur, then blocks: the copy goes too.
    let app = TestApp::spawn().await;
    consent(&app, "KLN6", "refused").await;
    let msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("kunjungan"));
    assert!(
        app.fake.wait_for_calls("getfile", 1, WAIT).await,
        "the original was never fetched"
    );
    // The original is being checked; the edit's own download is slowed so
    // that, whatever the scheduling, the original's blur lands first.
    app.fake
        .fail_next("getfile", Fault::Timeout(Duration::from_secs(3)));
    app.fake.edit_caption(GROUP, msg, Some("kunjungan #KLN6"));

    assert_eq!(
        audited(&app, "share.block", 1).await,
        1,
        "the edit was not blocked"
    );
    assert!(
        app.review_alert(ADMIN).await.is_some(),
        "the block was not sent to review"
    );
    let no_copy = app
        .fake
        .wait_until(WAIT, |f| f.sent_photos(GROUP).iter().all(|p| p.deleted))
        .await;
    assert!(
        no_copy,
        "the refused client's blurred copy stayed in the chat"
    );
    assert!(app.fake.is_deleted(GROUP, msg));
    assert_eq!(pending_reviews(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_finishes_the_photo_in_hand_before_exiting() {
    // Issue 17.8: SIGTERM stops polling, finishes the photo in hand, exits 0.
    let mut app = TestApp::spawn().await;
    app.fake
        .fail_next("deletemessage", Fault::Timeout(Duration::from_secs(2)));
    let msg = app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);
    assert!(app.wait_checked(1).await, "the photo was never checked");

    let status = app.terminate(Duration::from_secs(30)).await;
    let status = status.expect("the bot did not exit within 30 s of SIGTERM");
    assert!(status.success(), "exited with {status:?}");
    assert!(app.fake.is_deleted(GROUP, msg), "the original stayed");
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "the blurred copy was not posted before exiting"
    );
    let left = Inbox::unfinished(&app.store().await).await.unwrap();
    assert!(left.is_empty(), "{} update(s) left unfinished", left.len());
}
