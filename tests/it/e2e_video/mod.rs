//! End to end (issue 19): videos shared in a group get the photos' verdicts.
//! A video with faces and nobody tagged is replaced by a blurred video, a
//! face-free one stays, a refused tag blocks it into the sealed quarantine
//! (viewed with content protection, released as a video), and one too long
//! to process is blocked. Stickers, stories and quotes: `stickers.rs`;
//! ffmpeg missing and the queue under a burst: `load.rs`; the bot killed
//! mid-video: `crash.rs`.

pub(crate) mod clips;
mod crash;
mod load;
mod stickers;

use photo_guard_core::store::Vault;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, Verdict};

use crate::e2e_photos::consent;
use crate::fake_telegram::{FakeTelegram, SentMedia, Visual};
use crate::support::*;
use clips::*;

/// Waits for the bot's first video in `chat`.
pub(crate) async fn first_video(fake: &FakeTelegram, chat: i64) -> SentMedia {
    let posted = fake
        .wait_until(WAIT, |f| !f.sent_videos(chat).is_empty())
        .await;
    assert!(posted, "no video was posted in {chat}");
    fake.sent_videos(chat)[0].clone()
}

/// A copy the bot made: an MP4, not the bytes it was given.
pub(crate) fn assert_new_mp4(copy: &SentMedia, original: &[u8]) {
    assert_eq!(copy.bytes.get(4..8), Some(&b"ftyp"[..]), "not an MP4");
    assert_ne!(
        copy.bytes.as_slice(),
        original,
        "the original was re-posted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_with_untagged_faces_is_replaced_by_a_blurred_video_credited_to_the_sender() {
    // Issue 19: a video no longer passes untouched; its faces are blurred in a sendVideo copy.
    let app = TestApp::spawn().await;
    let msg = app
        .fake
        .send_video(GROUP, ALICE, faces_mp4(), Some("kunjungan rumah"));
    let copy = first_video(&app.fake, GROUP).await;
    assert!(app.fake.is_deleted(GROUP, msg), "the original stayed");
    assert_new_mp4(&copy, faces_mp4());
    let caption = copy.caption.clone().unwrap_or_default();
    assert!(
        caption.contains("Alice") && caption.contains("kunjungan rumah"),
        "caption: {caption}"
    );
    assert!(
        caption.contains(&text(Lang::Id, &Msg::Reminder)),
        "no reminder: {caption}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_face_free_video_is_allowed_and_left_in_place() {
    // Issue 19: the verdict is audited (before, a video had no share at all) and it stays.
    let app = TestApp::spawn().await;
    let msg = app.fake.send_video(GROUP, ALICE, plain_mp4(), None);
    assert_eq!(app.wait_verdict(msg).await, Verdict::Allow);
    assert!(!app.fake.is_deleted(GROUP, msg));
    assert!(app.fake.sent_videos(GROUP).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_of_a_refused_client_is_sealed_viewed_protected_and_released_as_a_video() {
    // Issue 19: quarantine holds videos like photos; View and release send videos.
    let app = TestApp::spawn().await;
    consent(&app, "KLN0042", "refused").await;
    let msg = app
        .fake
        .send_video(GROUP, ALICE, faces_mp4(), Some("#KLN0042"));
    let alert = app.review_alert(ADMIN).await.expect("no admin alert");
    assert!(app.fake.is_deleted(GROUP, msg));
    assert!(
        app.fake.sent_videos(GROUP).is_empty(),
        "a blocked video was re-posted"
    );
    let item = app.store().await.pending().await.unwrap()[0].id.0;
    app.press(ADMIN, ADMIN, alert, &format!("rv:v:{item}"))
        .await;
    let shown = first_video(&app.fake, ADMIN).await;
    assert!(
        shown.protect_content,
        "the video could be forwarded or saved"
    );
    assert_eq!(
        shown.bytes.as_slice(),
        faces_mp4(),
        "View shows the sealed original"
    );
    app.press(ADMIN, ADMIN, alert, &format!("rv:b:{item}"))
        .await;
    let released = first_video(&app.fake, GROUP).await;
    assert_new_mp4(&released, faces_mp4());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_sent_as_a_renamed_file_is_examined_by_its_bytes() {
    // Issue 19: a document whose bytes are MP4 is a video, whatever its name and MIME type.
    let app = TestApp::spawn().await;
    let msg = app
        .fake
        .send_document(GROUP, ALICE, faces_mp4(), "catatan.txt", "text/plain", None);
    let copy = first_video(&app.fake, GROUP).await;
    assert!(app.fake.is_deleted(GROUP, msg));
    assert_new_mp4(&copy, faces_mp4());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gif_animation_and_a_video_note_with_faces_are_blurred_as_videos() {
    // Issue 19: Telegram's animations (GIF) and round video notes are videos to the guard.
    let app = TestApp::spawn().await;
    let gif = Visual::Animation {
        bytes: faces_gif().to_vec(),
        mime: "image/gif".into(),
        caption: None,
    };
    let first = app.fake.send_visual(GROUP, ALICE, gif);
    let note = Visual::VideoNote {
        bytes: faces_mp4().to_vec(),
    };
    let second = app.fake.send_visual(GROUP, ALICE, note);
    let both = app
        .fake
        .wait_until(WAIT, |f| f.sent_videos(GROUP).len() >= 2)
        .await;
    assert!(both, "not both were replaced by blurred videos");
    assert!(app.fake.is_deleted(GROUP, first) && app.fake.is_deleted(GROUP, second));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_too_long_to_process_is_blocked_for_review() {
    // Issue 19: past the maximum duration the guard fails closed.
    let app = TestApp::spawn_with_env(&[("VIDEO_MAX_SECONDS", "3")]).await;
    let msg = app.fake.send_video(GROUP, ALICE, &long_mp4(5), None);
    assert_eq!(app.wait_verdict(msg).await, Verdict::Block);
    assert!(app.review_alert(ADMIN).await.is_some(), "no admin alert");
    assert!(app.fake.is_deleted(GROUP, msg), "the video stayed");
}
