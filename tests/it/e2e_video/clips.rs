//! Tiny clips made with ffmpeg at test time (a second, 320x240, 10 frames
//! a second): a face-free test pattern, and the rustface group
//! photo the photo tests use, over a test pattern, in MP4, WebM, GIF and
//! WebP. Each is made once per test run.

use std::process::Command;
use std::sync::OnceLock;

use crate::video_cli::need_ffmpeg;

/// Runs ffmpeg with `args` writing `name` in a scratch folder; its bytes.
fn make(name: &str, args: &[&str]) -> Vec<u8> {
    need_ffmpeg();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(name);
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(args)
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg could not make {name}");
    std::fs::read(out).expect("the clip was written")
}

/// The photo's top-left corner (about a dozen faces, ~35 px each once
/// scaled) gliding over the pattern: large enough to be found at 320 px.
const FACES: &str = "[1:v]crop=560:380:0:0,scale=320:-2[f];[0:v][f]overlay=x='t*10':y=0:shortest=1";

fn faces_args<'a>(size: &'a str, codec: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["-f", "lavfi", "-i", size];
    a.extend(["-loop", "1", "-i", photo_guard_eval::RUSTFACE_TEST_PNG]);
    a.extend(["-filter_complex", FACES, "-t", "1"]);
    a.extend(codec);
    a
}

const PATTERN_FACES: &str = "testsrc=size=320x240:rate=10:duration=1";
const H264: &[&str] = &[
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
];

/// One second of ffmpeg's test pattern: no face anywhere.
pub fn plain_mp4() -> &'static [u8] {
    static CLIP: OnceLock<Vec<u8>> = OnceLock::new();
    CLIP.get_or_init(|| {
        let mut a = vec![
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x240:rate=10:duration=1",
        ];
        a.extend(H264);
        make("plain.mp4", &a)
    })
}

/// Part of the group photo gliding over the test pattern, MP4.
pub fn faces_mp4() -> &'static [u8] {
    static CLIP: OnceLock<Vec<u8>> = OnceLock::new();
    CLIP.get_or_init(|| make("faces.mp4", &faces_args(PATTERN_FACES, H264)))
}

/// The same clip lasting `seconds` (long enough to kill the bot mid-video).
pub fn faces_mp4_lasting(seconds: u32) -> Vec<u8> {
    let size = format!("testsrc=size=320x240:rate=10:duration={seconds}");
    let seconds = seconds.to_string();
    let mut a = faces_args(&size, H264);
    if let Some(t) = a.iter().position(|v| *v == "-t") {
        a[t + 1] = seconds.as_str();
    }
    make("faces-long.mp4", &a)
}

/// The same in WebM (VP9), as a video sticker is.
pub fn faces_webm() -> &'static [u8] {
    static CLIP: OnceLock<Vec<u8>> = OnceLock::new();
    let vp9 = [
        "-c:v",
        "libvpx-vp9",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
    ];
    CLIP.get_or_init(|| make("faces.webm", &faces_args(PATTERN_FACES, &vp9)))
}

/// The same as a GIF, as an animation may be.
pub fn faces_gif() -> &'static [u8] {
    static CLIP: OnceLock<Vec<u8>> = OnceLock::new();
    CLIP.get_or_init(|| make("faces.gif", &faces_args(PATTERN_FACES, &["-f", "gif"])))
}

/// The group photo as a 512 px WebP, as a static sticker is.
pub fn faces_webp() -> &'static [u8] {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let a = [
            "-i",
            photo_guard_eval::RUSTFACE_TEST_PNG,
            "-vf",
            "scale=512:-2",
            "-c:v",
            "libwebp",
            "-frames:v",
            "1",
        ];
        make("faces.webp", &a)
    })
}

/// A face-free clip of `seconds` seconds, tiny and one frame a second.
pub fn long_mp4(seconds: u32) -> Vec<u8> {
    let src = format!("testsrc=size=64x48:rate=1:duration={seconds}");
    let mut a = vec!["-f", "lavfi", "-i", src.as_str()];
    a.extend(H264);
    make("long.mp4", &a)
}
