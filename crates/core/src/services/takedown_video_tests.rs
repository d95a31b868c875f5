//! A downgrade's copy of a video (issue 23): made by the intake's video
//! tool and posted as a video; when it cannot be made, the original is
//! still deleted and the coordinator told (fail closed).

use super::*;
use crate::services::fakes_guard::FakeVideos;
use crate::services::TakedownReport;
use crate::{FixedClock, Guard, MediaKind, VisionError};

/// The start of an MP4 (`ftyp`, brand `isom`): what the bytes say a video is.
const CLIP: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";

/// Takedowns whose guard sees photos with `OneFace` and videos with `videos`.
fn with_videos(store: &Arc<MemStore>, videos: FakeVideos) -> (Takedowns, Arc<FakePlatform>) {
    let (platforms, telegram, _) = router(false);
    let clock = Arc::new(FixedClock(moment()));
    let vision = Arc::new(crate::services::fakes_guard::OneFace);
    let guard = Guard::new(vision, store.clone(), clock, 1).with_videos(Arc::new(videos), 1);
    let acting = super::super::Acting {
        platforms,
        guard: Arc::new(guard),
        policies: store.clone(),
    };
    let service = Takedowns::new(store.clone(), store.clone(), trail(store), acting);
    (service, telegram)
}

/// An allowed video in chat -100 tagged KLN1, its file noted, and the
/// downgrade to `blurred` followed; the report.
async fn downgrade_a_video(videos: FakeVideos) -> (TakedownReport, Vec<Call>, Arc<MemStore>) {
    let store = Arc::new(MemStore::default());
    grant(&store, ConsentLevel::Full).await;
    *store.time.shown.lock().unwrap() = vec![shown(1, ShownKind::Original, Verdict::Allow, 1)];
    let record = grant(&store, ConsentLevel::Blurred).await;
    let (service, telegram) = with_videos(&store, videos);
    let originals = &telegram.originals;
    originals
        .lock()
        .unwrap()
        .insert("vid-1".into(), CLIP.to_vec());
    let chat = ChatId(-100);
    service
        .note_file(chat, MessageId(1), "vid-1")
        .await
        .unwrap();
    let report = service.follow(caller(), &code("KLN1"), record).await;
    (report.unwrap().unwrap(), telegram.calls(), store)
}

#[tokio::test]
async fn a_downgrade_replaces_an_allowed_video_by_a_blurred_video_from_the_video_tool() {
    // Issue 23: a video original is replaced by the video tool's blurred copy, posted as a video.
    let (report, calls, store) = downgrade_a_video(FakeVideos(Ok(1))).await;
    assert_eq!((report.removed, report.replaced), (0, 1));
    assert_eq!(calls[1], Call::Remove(ChatId(-100), MessageId(1)));
    let Some(Call::PostMedia {
        kind,
        bytes,
        caption,
        ..
    }) = calls.get(2)
    else {
        panic!("no copy posted: {calls:?}");
    };
    assert_eq!(kind, &MediaKind::Video, "the copy went out as a photo");
    assert_eq!(bytes.as_slice(), b"blurred clip");
    assert!(caption.contains("#KLN1"), "{caption}");
    let audit = store.actions();
    assert!(audit.iter().any(|a| a == "consent.reblurred"), "{audit:?}");
}

#[tokio::test]
async fn a_video_the_tool_cannot_blur_is_still_deleted_and_counted_as_removed() {
    // Issue 23: fail closed: no copy can be made (ffmpeg missing), the original goes anyway.
    let missing = VisionError::Unsupported("ffmpeg is not installed".into());
    let (report, calls, store) = downgrade_a_video(FakeVideos(Err(missing))).await;
    assert_eq!((report.removed, report.replaced), (1, 0));
    assert!(calls.contains(&Call::Remove(ChatId(-100), MessageId(1))));
    let posted = calls.iter().any(|c| matches!(c, Call::PostMedia { .. }));
    assert!(!posted, "something was posted: {calls:?}");
    let audit = store.actions();
    assert!(audit.iter().any(|a| a == "consent.takedown"), "{audit:?}");
}
