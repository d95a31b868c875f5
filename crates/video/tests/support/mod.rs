//! Clips for the tests, made with ffmpeg's lavfi sources (no fixture files),
//! and ways to look at the result: its frames, its streams, its tags.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use image::RgbImage;
use photo_guard_vision::{Pipeline, VisionSettings};

/// The tests need the real tools; say so plainly when they are missing.
pub fn need_ffmpeg() {
    for tool in ["ffmpeg", "ffprobe"] {
        let ok = Command::new(tool)
            .arg("-version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            ok,
            "{tool} is needed for the video tests: install Debian's ffmpeg package \
             (apt-get install -y ffmpeg; .ci/run does this)"
        );
    }
}

pub fn pipeline() -> Pipeline {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/centerface.onnx");
    assert!(model.is_file(), "run scripts/fetch-model first");
    Pipeline::new(VisionSettings {
        centerface_model: photo_guard_vision::CenterFaceModel::File(model),
        ..VisionSettings::default()
    })
    .expect("vision pipeline")
}

pub fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub const LOCATION: &str = "+07.5561+110.8317/";

/// A face-free clip: testsrc2 with a 440 Hz tone and a GPS location tag.
pub fn plain_clip(dir: &Path, seconds: u32, size: &str) -> PathBuf {
    let out = dir.join("plain.mp4");
    let video = format!("testsrc2=size={size}:rate=25:duration={seconds}");
    let audio = format!("sine=frequency=440:duration={seconds}");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &video,
        "-f",
        "lavfi",
        "-i",
        &audio,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-metadata",
        &format!("location={LOCATION}"),
        out.to_str().unwrap(),
    ]);
    out
}

/// The rustface group photo (about 30 faces) gliding across a testsrc2
/// background for two seconds, with a tone.
pub fn face_clip(dir: &Path) -> PathBuf {
    let out = dir.join("faces.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=960x540:rate=25:duration=2",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=2",
        "-loop",
        "1",
        "-i",
        photo_guard_eval::RUSTFACE_TEST_PNG,
        "-filter_complex",
        "[2:v]scale=800:-2[f];[0:v][f]overlay=x='10+t*70':y=20:shortest=1[v]",
        "-map",
        "[v]",
        "-map",
        "1:a",
        "-t",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        out.to_str().unwrap(),
    ]);
    out
}

/// The clip's frames as ffmpeg decodes them (rotation applied unless
/// `raw_transpose` asks for the stored frames turned by hand, a quarter
/// turn the way the probed rotation says).
pub fn frames(path: &Path, raw_transpose: bool) -> Vec<RgbImage> {
    let info = photo_guard_video::probe::probe(path, &Default::default()).expect("probe");
    let turn = if info.rotation == 270 {
        "transpose=cclock"
    } else {
        "transpose=clock"
    };
    let (w, h) = if raw_transpose {
        (info.height, info.width)
    } else {
        info.displayed()
    };
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error"]);
    if raw_transpose {
        cmd.args(["-noautorotate"]);
    }
    cmd.args(["-i", path.to_str().unwrap()]);
    if raw_transpose {
        cmd.args(["-vf", turn]);
    }
    let out = cmd
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .expect("ffmpeg decodes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = (w * h * 3) as usize;
    out.stdout
        .chunks_exact(size)
        .map(|c| RgbImage::from_raw(w, h, c.to_vec()).unwrap())
        .collect()
}

/// ffprobe's JSON view of a file (streams and format).
pub fn probe_json(path: &Path) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    serde_json::from_slice(&out.stdout).expect("ffprobe json")
}

/// Mean absolute difference of two same-sized frames (0-255).
pub fn mean_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

/// Variance of the luma inside a box: detail, which hiding removes.
pub fn variance(img: &RgbImage, x: u32, y: u32, w: u32, h: u32) -> f64 {
    let mut v = Vec::new();
    for py in y..(y + h).min(img.height()) {
        for px in x..(x + w).min(img.width()) {
            let p = img.get_pixel(px, py).0;
            v.push(0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]));
        }
    }
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n
}
