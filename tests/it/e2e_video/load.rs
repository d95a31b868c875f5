//! End to end (issue 19): without ffmpeg every video is blocked and
//! `doctor` says so; while videos are processed, commands are answered.

use std::time::{Duration, Instant};

use photo_guard_core::Verdict;

use super::clips::*;
use crate::support::*;

/// A PATH with no ffmpeg or ffprobe (the bot itself needs no other tool).
fn path_without_ffmpeg(dir: &std::path::Path) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    bin.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn without_ffmpeg_every_video_is_blocked_and_doctor_says_so() {
    // Issue 19: no video tool means no video gets through unexamined.
    let scratch = tempfile::tempdir().unwrap();
    let path = path_without_ffmpeg(scratch.path());
    let app = TestApp::spawn_with_env(&[("PATH", path.as_str())]).await;
    let msg = app.fake.send_video(GROUP, ALICE, plain_mp4(), None);
    assert_eq!(app.wait_verdict(msg).await, Verdict::Block);
    let gone = app
        .fake
        .wait_until(WAIT, |f| f.is_deleted(GROUP, msg))
        .await;
    assert!(gone, "the unexamined video stayed");
    let doctor = app.run_command(&["doctor"]);
    let out = String::from_utf8_lossy(&doctor.stdout);
    assert!(out.contains("EVERY VIDEO IS BLOCKED"), "doctor said: {out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_is_answered_within_a_second_while_videos_are_processed() {
    // Issue 19: a burst of videos never keeps the bot from answering commands.
    let app = TestApp::spawn().await;
    let videos: Vec<i32> = (0..4)
        .map(|_| app.fake.send_video(GROUP, ALICE, faces_mp4(), None))
        .collect();
    // Wait until the first download: the videos are in hand.
    assert!(app.fake.wait_for_calls("getFile", 1, WAIT).await);
    let before = app.fake.sent_messages(GROUP).len();
    let asked = Instant::now();
    app.fake.send_text(GROUP, ALICE, "/rules");
    let answered = app
        .fake
        .wait_until(Duration::from_secs(5), |f| {
            f.sent_messages(GROUP).len() > before
        })
        .await;
    let took = asked.elapsed();
    assert!(answered, "/rules was not answered");
    let still_working = videos.iter().any(|id| !app.fake.is_deleted(GROUP, *id));
    assert!(
        still_working,
        "the videos were done before /rules: not a burst"
    );
    assert!(took < Duration::from_secs(1), "/rules took {took:?}");
    let all_replaced = app
        .fake
        .wait_until(WAIT, |f| videos.iter().all(|id| f.is_deleted(GROUP, *id)))
        .await;
    assert!(all_replaced, "not every video of the burst was dealt with");
}
