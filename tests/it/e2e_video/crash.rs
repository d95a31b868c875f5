//! End to end (issue 19): the bot killed while it processes a video. The
//! update is in the inbox, so after a restart the video is examined again:
//! the original is taken down and replaced by one blurred copy, never two,
//! and the scratch folder the killed process left (the clip, in clear) is
//! removed.

use std::path::Path;
use std::time::Duration;

use super::clips::faces_mp4_lasting;
use super::first_video;
use crate::faults::wait_inbox_finished;
use crate::support::*;

/// The scratch folders in `dir` (one per video being processed).
fn scratch_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("photo-guard-video-"))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until ffmpeg has the clip in hand: a scratch folder holds it.
async fn processing(dir: &Path) -> bool {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        let holds_clip = scratch_folders(dir)
            .iter()
            .any(|f| dir.join(f).join("clip").is_file());
        if holds_clip {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn a_video_being_processed_when_the_bot_is_killed_is_handled_once_after_restart() {
    // Issue 19: a crash mid-video neither loses the video (left visible) nor posts it twice.
    let work = tempfile::tempdir().unwrap();
    let work_dir = work.path().display().to_string();
    let mut app = TestApp::spawn_with_env(&[("VIDEO_WORK_DIR", work_dir.as_str())]).await;
    let clip = faces_mp4_lasting(6);
    let msg = app.fake.send_video(GROUP, ALICE, &clip, None);
    assert!(
        processing(work.path()).await,
        "the video was never processed"
    );
    app.kill();
    assert!(
        !app.fake.is_deleted(GROUP, msg),
        "killed before the verdict"
    );
    assert!(app.fake.sent_videos(GROUP).is_empty());
    assert!(
        !scratch_folders(work.path()).is_empty(),
        "the kill left no scratch folder: nothing to sweep"
    );

    app.start().await;
    first_video(&app.fake, GROUP).await;
    let gone = app
        .fake
        .wait_until(WAIT, |f| f.is_deleted(GROUP, msg))
        .await;
    assert!(gone, "the video was left visible after the restart");
    assert!(
        wait_inbox_finished(&app).await.is_empty(),
        "the work was never finished"
    );
    assert!(
        scratch_folders(work.path()).is_empty(),
        "the killed process's clip was left in the scratch folder: {:?}",
        scratch_folders(work.path())
    );
    app.kill();
    app.start().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        app.fake.sent_videos(GROUP).len(),
        1,
        "the video was re-posted"
    );
}
