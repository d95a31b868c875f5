//! Telegram's faults, injected by the fake server: a 429 waits the time
//! Telegram names, a 5xx and a timeout are retried with backoff, "message to
//! delete not found" is taken as already handled, and a 429 on getUpdates
//! loses nothing.

use std::time::{Duration, Instant};

use photo_guard_core::store::Inbox;

use crate::fake_telegram::{Call, Fault};
use crate::support::*;

/// Waits until every update the bot has recorded is marked finished.
pub(crate) async fn wait_inbox_finished(app: &TestApp) -> Vec<(i64, String)> {
    let store = app.store().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let left = Inbox::unfinished(&store)
            .await
            .expect("the test reads the inbox");
        if left.is_empty() || tokio::time::Instant::now() >= deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn error_code(call: &Call) -> Option<u16> {
    call.error.as_ref().map(|(code, _)| *code)
}

/// Waits for the first two calls of `method` (a fault, then the retry); the
/// time between them. `Call` carries no timestamp, but `wait_until` wakes on
/// every change to the fake, so the instants are when each was recorded.
async fn retry_gap(app: &TestApp, method: &str) -> Duration {
    assert!(
        app.fake.wait_for_calls(method, 1, WAIT).await,
        "the bot never called {method}"
    );
    let first = Instant::now();
    assert!(
        app.fake.wait_for_calls(method, 2, WAIT).await,
        "{method} was not retried after the fault"
    );
    let gap = first.elapsed();
    eprintln!("{method} retried {gap:?} after the fault");
    gap
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_on_delete_is_retried_after_the_time_telegram_names() {
    let app = TestApp::spawn().await;
    app.fake.fail_next(
        "deletemessage",
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
    );
    let msg = app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);

    let gap = retry_gap(&app, "deletemessage").await;

    let deletes = app.fake.calls_of("deletemessage");
    assert_eq!(
        error_code(&deletes[0]),
        Some(429),
        "first delete: {:?}",
        deletes[0].error
    );
    assert!(deletes[1].ok(), "second delete: {:?}", deletes[1].error);
    assert!(
        gap >= Duration::from_millis(900),
        "retried after {gap:?}, before the 1 s Telegram named"
    );
    assert!(gap < Duration::from_secs(10), "retried only after {gap:?}");

    assert!(
        app.fake
            .wait_until(WAIT, |f| f.sent_photos(GROUP).len() == 1)
            .await,
        "no blurred copy was posted"
    );
    assert!(
        wait_inbox_finished(&app).await.is_empty(),
        "the update was left unfinished"
    );
    assert!(
        app.fake.is_deleted(GROUP, msg),
        "the original stayed in the chat"
    );
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "exactly one blurred copy"
    );
    assert_eq!(
        app.fake.calls_of("deletemessage").len(),
        2,
        "one failed delete and one retry, no more"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_on_send_photo_is_retried_with_backoff() {
    let app = TestApp::spawn().await;
    app.fake.fail_next("sendphoto", Fault::ServerError(502));
    let msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some("kunjungan"));

    // teloxide itself waits 10 s after a 5xx before the error reaches our retry.
    let gap = retry_gap(&app, "sendphoto").await;

    assert!(
        app.fake
            .wait_until(WAIT, |f| f.sent_photos(GROUP).len() == 1)
            .await,
        "no blurred copy was posted"
    );
    assert!(
        wait_inbox_finished(&app).await.is_empty(),
        "the update was left unfinished"
    );
    let sends = app.fake.calls_of("sendphoto");
    assert_eq!(sends.len(), 2, "one failed send and one retry, no more");
    assert_eq!(
        error_code(&sends[0]),
        Some(502),
        "first send: {:?}",
        sends[0].error
    );
    assert!(sends[1].ok(), "second send: {:?}", sends[1].error);
    assert!(
        gap >= Duration::from_millis(400),
        "retried after {gap:?}: no backoff"
    );
    assert!(
        app.fake.is_deleted(GROUP, msg),
        "the original stayed in the chat"
    );
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "the copy was posted exactly once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_on_getfile_is_retried() {
    // Slow by nature: the client gives up on the hanging call after ~17 s.
    let app = TestApp::spawn().await;
    app.fake
        .fail_next("getfile", Fault::Timeout(Duration::from_secs(20)));
    let sent = Instant::now();
    let msg = app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);

    let handled = app
        .fake
        .wait_until(WAIT, |f| {
            f.is_deleted(GROUP, msg) && f.sent_photos(GROUP).len() == 1
        })
        .await;
    let took = sent.elapsed();
    eprintln!("photo handled {took:?} after a hanging getFile");
    assert!(
        handled,
        "the photo was not handled after the getFile timeout"
    );
    assert_eq!(
        app.fake.pending_faults(),
        0,
        "the injected timeout was never hit"
    );
    assert!(
        took >= Duration::from_secs(15),
        "handled after {took:?}: the hanging getFile was not waited out"
    );
    assert!(
        app.fake.calls_of("getfile").iter().any(Call::ok),
        "no getFile succeeded"
    );
    assert!(
        wait_inbox_finished(&app).await.is_empty(),
        "the update was left unfinished"
    );
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "exactly one blurred copy"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn message_to_delete_not_found_is_fine_and_nothing_is_reposted() {
    let app = TestApp::spawn().await;
    app.fake.fail_next(
        "deletemessage",
        Fault::BadRequest("message to delete not found".into()),
    );
    app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);

    assert!(
        app.fake.wait_for_calls("deletemessage", 1, WAIT).await,
        "the bot never tried to delete the original"
    );
    let left = wait_inbox_finished(&app).await;
    assert!(
        left.is_empty(),
        "the update was left unfinished: {} row(s)",
        left.len()
    );
    // The update is finished: whatever the bot was going to do for it is done.
    let deletes = app.fake.calls_of("deletemessage");
    assert_eq!(deletes.len(), 1, "a 'not found' delete must not be retried");
    assert_eq!(error_code(&deletes[0]), Some(400));
    assert!(
        app.fake.calls_of("sendphoto").is_empty(),
        "a copy was posted for a photo someone else deleted"
    );
    assert!(app.fake.sent_photos(GROUP).is_empty());
    assert!(app.wait_checked(1).await, "the share was not recorded");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_on_getupdates_does_not_lose_photos() {
    let app = TestApp::spawn().await;
    let polls_before = app.fake.calls_of("getupdates").len();
    app.fake.fail_next_n(
        "getupdates",
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        2,
    );
    let throttled = app
        .fake
        .wait_until(WAIT, |f| {
            f.calls_of("getupdates")
                .iter()
                .skip(polls_before)
                .any(|c| error_code(c) == Some(429))
        })
        .await;
    assert!(throttled, "the injected 429 was never hit");
    let first_429 = Instant::now();
    // Sent while the bot is told to hold off.
    let faces = app.fake.send_photo(GROUP, ALICE, faces_jpeg(), None);
    app.fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some("kegiatan"));
    app.fake.send_photo(GROUP, MALLORY, plain_jpeg(), None);

    let polled_again = app
        .fake
        .wait_until(WAIT, |f| {
            let calls = f.calls_of("getupdates");
            let last_429 = calls
                .iter()
                .rposition(|c| error_code(c) == Some(429))
                .unwrap_or(0);
            f.pending_faults() == 0 && calls[last_429..].iter().any(Call::ok)
        })
        .await;
    let gap = first_429.elapsed();
    eprintln!("getUpdates succeeded again {gap:?} after the first 429");
    assert!(polled_again, "the bot stopped polling after the 429s");
    assert!(
        gap >= Duration::from_millis(1800),
        "polled again after {gap:?}, before the 2 x 1 s Telegram named"
    );

    assert!(
        app.wait_checked(3).await,
        "photos sent during the 429s were lost"
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| f.is_deleted(GROUP, faces)
                && f.sent_photos(GROUP).len() == 1)
            .await
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| f.pending_updates() == 0)
            .await,
        "updates were never confirmed"
    );
    assert!(
        wait_inbox_finished(&app).await.is_empty(),
        "updates were left unfinished"
    );
}
