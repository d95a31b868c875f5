//! The vision commands on videos, as a user runs them: `blur` writes an MP4
//! with the faces hidden and no location tag, `scan` prints one JSON line,
//! and a video that is not one exits with code 2 and one line on stderr.

use std::path::Path;
use std::process::Command;

use crate::vision::photo_guard;

pub(crate) fn need_ffmpeg() {
    let ok = Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "ffmpeg is needed for the video tests: apt-get install -y ffmpeg"
    );
}

/// The rustface group photo gliding over testsrc2, with a tone and a GPS tag.
fn face_clip(dir: &Path) -> String {
    let out = dir.join("faces.mp4").display().to_string();
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args([
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=640x360:rate=25:duration=1",
        ])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:duration=1"])
        .args(["-loop", "1", "-i", photo_guard_eval::RUSTFACE_TEST_PNG])
        .args([
            "-filter_complex",
            "[2:v]scale=560:-2[f];[0:v][f]overlay=x='t*60':y=10:shortest=1[v]",
        ])
        .args([
            "-map",
            "[v]",
            "-map",
            "1:a",
            "-t",
            "1",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
        ])
        .args([
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-metadata",
            "location=+07.5561+110.8317/",
        ])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    out
}

#[test]
fn blur_on_a_video_writes_an_mp4_without_the_location_and_scan_prints_its_faces() {
    // Issue 19: `blur` and `scan` accept videos (recognised by their bytes).
    need_ffmpeg();
    let dir = tempfile::tempdir().unwrap();
    let input = face_clip(dir.path());
    let output = dir.path().join("out.mp4").display().to_string();
    let blur = photo_guard(&["blur", &input, &output]);
    assert!(
        blur.status.success(),
        "{}",
        String::from_utf8_lossy(&blur.stderr)
    );
    let bytes = std::fs::read(&output).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp");
    assert!(
        !bytes.windows(8).any(|w| w == b"+07.5561"),
        "location tag gone"
    );
    let scan = photo_guard(&["scan", &input]);
    assert!(
        scan.status.success(),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let line: serde_json::Value =
        serde_json::from_slice(scan.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        (line["width"].as_u64(), line["height"].as_u64()),
        (Some(640), Some(360))
    );
    assert_eq!(line["frames"].as_u64(), Some(25));
    assert!(line["faces_max"].as_u64().unwrap() >= 5, "{line}");
    assert_eq!(line["audio"], true);
}

#[test]
fn a_file_that_claims_to_be_a_video_but_is_not_exits_2_with_one_line() {
    // Issue 19: an unreadable video is refused plainly, never a panic.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fake.mp4");
    std::fs::write(&input, b"\0\0\0\x18ftypisom and nothing else").unwrap();
    let output = dir.path().join("out.mp4");
    let out = photo_guard(&["blur", input.to_str().unwrap(), output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("fake.mp4"), "{stderr}");
    assert!(!output.exists());
}
