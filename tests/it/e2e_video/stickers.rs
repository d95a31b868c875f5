//! End to end (issue 19): stickers, paid and quoted media, stories. A
//! static sticker is an image (its blurred copy a photo), a video sticker a
//! video, a TGS sticker is allowed and recorded, a quoted or paid item is
//! examined like the item itself, and a forwarded story (no file) is removed
//! with a notice and recorded.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, Verdict};

use super::clips::*;
use super::{assert_new_mp4, first_video};
use crate::fake_telegram::{StickerFormat, Visual};
use crate::support::*;

fn sticker(bytes: &[u8], format: StickerFormat) -> Visual {
    Visual::Sticker {
        bytes: bytes.to_vec(),
        format,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_static_sticker_with_faces_is_replaced_by_a_blurred_photo() {
    // Issue 19: a sticker made from a client's photo is examined as an image.
    let app = TestApp::spawn().await;
    let msg = app
        .fake
        .send_visual(GROUP, ALICE, sticker(faces_webp(), StickerFormat::Static));
    let posted = app
        .fake
        .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
        .await;
    assert!(posted, "no blurred photo");
    assert!(app.fake.is_deleted(GROUP, msg));
    assert_ne!(
        app.fake.sent_photos(GROUP)[0].bytes.as_slice(),
        faces_webp()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_sticker_with_faces_is_replaced_by_a_blurred_video() {
    // Issue 19: a WebM sticker is examined as a video.
    let app = TestApp::spawn().await;
    let msg = app
        .fake
        .send_visual(GROUP, ALICE, sticker(faces_webm(), StickerFormat::Video));
    let copy = first_video(&app.fake, GROUP).await;
    assert!(app.fake.is_deleted(GROUP, msg));
    assert_new_mp4(&copy, faces_webm());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_animated_tgs_sticker_is_allowed_and_recorded_without_a_download() {
    // Issue 19: a vector drawing cannot show a photo: allowed, but on the record.
    let app = TestApp::spawn().await;
    let tgs = b"\x1f\x8b\x08\0not really lottie".to_vec();
    let msg = app
        .fake
        .send_visual(GROUP, ALICE, sticker(&tgs, StickerFormat::Animated));
    assert_eq!(app.wait_verdict(msg).await, Verdict::Allow);
    assert!(!app.fake.is_deleted(GROUP, msg));
    assert!(
        app.fake.calls_of("getFile").is_empty(),
        "a drawing was downloaded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forwarded_story_is_removed_with_a_notice_and_recorded() {
    // Issue 19: what cannot be fetched fails closed.
    let app = TestApp::spawn().await;
    let msg = app.fake.send_visual(GROUP, ALICE, Visual::Story);
    let notice = text(Lang::Id, &Msg::UncheckedInChat { sender: "Alice" });
    let told = app
        .fake
        .wait_until(WAIT, |f| {
            f.sent_messages(GROUP)
                .iter()
                .any(|m| m.text.contains(&notice))
        })
        .await;
    assert!(told, "no notice in the group");
    assert!(app.fake.is_deleted(GROUP, msg));
    let store = app.store().await;
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let entries = photo_guard_core::store::AuditLog::entries_since(&store, since)
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.event.action.starts_with("share.unchecked")
                && e.event.detail.contains("no_file")),
        "the removal was not recorded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quoted_and_paid_media_with_faces_are_examined_like_the_media_itself() {
    // Issue 19: a photo quoted from another chat and a paid video show faces here too.
    let app = TestApp::spawn().await;
    let quote = Visual::QuotedPhoto {
        bytes: faces_jpeg().to_vec(),
        text: "lihat ini".into(),
    };
    let quoted = app.fake.send_visual(GROUP, ALICE, quote);
    let paid = Visual::PaidVideo {
        bytes: faces_mp4().to_vec(),
        caption: None,
    };
    let paid = app.fake.send_visual(GROUP, ALICE, paid);
    let photo = app
        .fake
        .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
        .await;
    assert!(photo, "the quoted photo was not replaced");
    let caption = app.fake.sent_photos(GROUP)[0]
        .caption
        .clone()
        .unwrap_or_default();
    assert!(
        caption.contains("lihat ini"),
        "the quoting text was lost: {caption}"
    );
    first_video(&app.fake, GROUP).await;
    assert!(app.fake.is_deleted(GROUP, quoted) && app.fake.is_deleted(GROUP, paid));
}
