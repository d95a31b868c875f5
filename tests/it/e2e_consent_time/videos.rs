//! Issue 23 for videos: a downgrade from `full` to `blurred` replaces an
//! allowed video by a blurred video, made by the same video tool the intake
//! uses, on Telegram and on WhatsApp (before, the video was only deleted).

use photo_guard_core::Verdict;

use super::across_platforms::allowed_whatsapp_media;
use super::audited;
use crate::e2e_photos::consent;
use crate::e2e_video::clips::faces_mp4;
use crate::e2e_video::{assert_new_mp4, first_video};
use crate::fake_waha::Photo;
use crate::support::*;
use crate::support_whatsapp::{WaApp, ADMIN as WA_ADMIN, ALICE as WA_ALICE, GROUP as WA_GROUP};

#[tokio::test(flavor = "multi_thread")]
async fn a_downgrade_to_blurred_replaces_an_allowed_telegram_video_by_a_blurred_video() {
    // Issue 23: full -> blurred fetches the video again, blurs it with the video tool, swaps it.
    let app = TestApp::spawn().await;
    consent(&app, "KLN0042", "full").await;
    let original = app
        .fake
        .send_video(GROUP, ALICE, faces_mp4(), Some("kunjungan #KLN0042"));
    assert_eq!(app.wait_verdict(original).await, Verdict::Allow);
    consent(&app, "KLN0042", "blurred").await;
    let copy = first_video(&app.fake, GROUP).await;
    assert!(app.fake.is_deleted(GROUP, original), "the original stayed");
    assert_new_mp4(&copy, faces_mp4());
    let caption = copy.caption.clone().unwrap_or_default();
    assert!(caption.contains("#KLN0042"), "caption: {caption}");
    assert!(
        app.fake.sent_photos(GROUP).is_empty(),
        "the copy went out as a photo"
    );
    let reblurred = eventually(|| async {
        Some(audited(&app, "consent.reblurred").await).filter(|a| !a.is_empty())
    })
    .await
    .expect("the replacement was not audited");
    assert_eq!(reblurred[0]["copy"], i64::from(copy.message_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_downgrade_to_blurred_replaces_an_allowed_whatsapp_video_by_a_blurred_video() {
    // Issue 23: the same on WhatsApp: fetched again by its id, blurred, posted with sendVideo.
    let app = WaApp::spawn().await;
    app.private_command(WA_ADMIN, "/consent KLN0042 full").await;
    let clip = Photo {
        group: WA_GROUP,
        sender: WA_ALICE,
        sender_name: "Alice",
        caption: Some("kunjungan #KLN0042"),
        jpeg: faces_mp4(),
    };
    let message = app.waha.video_message(&clip);
    let id = allowed_whatsapp_media(&app, message).await;
    let before = app.waha.sent_to(WA_GROUP).len();
    let answer = app
        .private_command(WA_ADMIN, "/consent KLN0042 blurred")
        .await;
    assert!(answer.contains("1 diganti"), "not told: {answer}");
    assert!(app.waha.is_deleted(&id), "the original stayed");
    let copies: Vec<_> = app
        .waha
        .sent_to(WA_GROUP)
        .into_iter()
        .skip(before)
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].endpoint, "sendVideo");
    assert_eq!(&copies[0].bytes[4..8], b"ftyp", "the copy is not an MP4");
    assert_ne!(copies[0].bytes, faces_mp4(), "the original was re-posted");
    assert!(copies[0].text.contains("#KLN0042"), "{}", copies[0].text);
}
