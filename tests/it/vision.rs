//! The vision commands as a user runs them: the built `photo-guard` binary on
//! bad and good files. Bad input must give exit code 2 and exactly one line
//! on stderr naming the file, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::hostile::forge::png_claiming;

pub(crate) fn photo_guard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_photo-guard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn group_photo() -> PathBuf {
    PathBuf::from(photo_guard_eval::RUSTFACE_TEST_PNG)
}

fn model_present() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/centerface.onnx");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-model before the tests",
        path.display()
    );
}

/// Runs `scan FILE` and checks the bad-input contract.
fn assert_refused(file: &Path, reason: &str) {
    let out = photo_guard(&["scan", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code for {reason}; stderr: {stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one stderr line for {reason}: {stderr:?}"
    );
    assert!(
        stderr.contains(&file.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(reason), "says why ({reason}): {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "prints no result");
}

#[test]
fn a_missing_file_is_refused_with_exit_code_2() {
    assert_refused(Path::new("/no/such/photo.jpg"), "no such file");
}

#[test]
fn an_empty_file_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.jpg");
    std::fs::write(&file, b"").unwrap();
    assert_refused(&file, "empty");
}

#[test]
fn a_truncated_jpeg_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut jpeg = Vec::new();
    image::open(group_photo())
        .unwrap()
        .to_rgb8()
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let file = dir.path().join("cut.jpg");
    std::fs::write(&file, &jpeg[..jpeg.len() / 2]).unwrap();
    assert_refused(&file, "truncated");
}

#[test]
fn a_text_file_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.jpg");
    std::fs::write(&file, "this is not a photo\n").unwrap();
    assert_refused(&file, "not a JPEG, PNG or WebP");
}

#[test]
fn png_bomb_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.png");
    std::fs::write(&file, png_claiming(30000, 30000)).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() < 4096, "a few KB");
    let start = std::time::Instant::now();
    assert_refused(&file, "30000x30000");
    assert!(start.elapsed().as_secs() < 5, "refused at the header");
}

#[test]
fn one_bad_file_among_good_ones_still_fails_the_run_but_scans_the_others() {
    model_present();
    let photo = group_photo();
    let out = photo_guard(&["scan", photo.to_str().unwrap(), "/no/such/photo.jpg"]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn scan_prints_one_json_object_per_file_with_the_faces() {
    model_present();
    let photo = group_photo();
    let out = photo_guard(&["scan", photo.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(line["file"], photo.to_str().unwrap());
    assert_eq!(
        (line["width"].as_u64(), line["height"].as_u64()),
        (Some(1666), Some(1136))
    );
    let faces = line["faces"].as_array().unwrap();
    assert!(faces.len() >= 27, "{} faces", faces.len());
    for key in ["x", "y", "w", "h", "score"] {
        assert!(faces[0].get(key).is_some(), "face has {key}");
    }
}

#[test]
fn blur_writes_a_jpeg_without_metadata_in_each_style() {
    model_present();
    let dir = tempfile::tempdir().unwrap();
    for style in ["blur", "pixelate", "solid"] {
        let out_file = dir.path().join(format!("{style}.jpg"));
        let out = photo_guard(&[
            "blur",
            group_photo().to_str().unwrap(),
            out_file.to_str().unwrap(),
            "--style",
            style,
        ]);
        assert!(
            out.status.success(),
            "{style}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let jpeg = std::fs::read(&out_file).unwrap();
        assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF]);
        assert!(photo_guard_vision::encode::metadata_markers(&jpeg).is_empty());
    }
}

#[test]
fn eval_on_a_missing_folder_says_so_with_exit_code_2() {
    let out = photo_guard(&["eval", "/no/such/eval/folder"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/no/such/eval/folder"), "{stderr}");
}

#[test]
fn eval_on_a_tiny_fixture_with_skin_types_reports_found_per_group() {
    model_present();
    // The group photo, labelled with the faces scan finds (so they are all
    // found), plus one made-up face on the wall that nothing can find.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::copy(group_photo(), dir.path().join("images/group.png")).unwrap();
    let scan = photo_guard(&["scan", group_photo().to_str().unwrap()]);
    let line: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let faces = line["faces"].as_array().unwrap();
    assert!(faces.len() >= 6);
    let mut labels = String::from("image,x,y,w,h,ignore\n");
    let mut skin = String::from("image,x,y,w,h,skin\n");
    for (i, f) in faces.iter().take(6).enumerate() {
        let row = format!("group.png,{},{},{},{}", f["x"], f["y"], f["w"], f["h"]);
        labels.push_str(&format!("{row},0\n"));
        skin.push_str(&format!(
            "{row},{}\n",
            ["II", "I", "III", "V", "VI", "V"][i]
        ));
    }
    labels.push_str("group.png,1600,10,40,40,0\n");
    skin.push_str("group.png,1600,10,40,40,IV\n");
    std::fs::write(dir.path().join("labels.csv"), labels).unwrap();
    std::fs::write(dir.path().join("skin.csv"), skin).unwrap();

    let out = photo_guard(&["eval", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "skin I-II: 2/2 ",
        "skin III: 1/1 ",
        "skin IV: 0/1 ",
        "skin V-VI: 3/3 ",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(expected)),
            "{expected:?} in:\n{stdout}"
        );
    }
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("faces=7 found=6 recall=0.857 hidden="),
        "{last}"
    );
    assert!(last.contains(" images=1 "), "{last}");
}
