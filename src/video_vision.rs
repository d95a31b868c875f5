//! The core's `VideoVision` on crates/video: the clip is written to a
//! private scratch folder (RAM-backed by default, removed when done) for
//! ffmpeg, anonymised in one pass with the photos' own pipeline, and its
//! faces, anonymised copy and clean copy handed to the guard. Without ffmpeg
//! every video fails to be examined, so the guard blocks it.
//!
//! A scratch folder is named after the process that made it; one left by a
//! process that is gone (the bot killed mid-video: the clip would stay in
//! clear in RAM until reboot) is removed when the next examiner starts. Its
//! video is examined again from the inbox, so nothing is lost.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use photo_guard_core::{Examined, Face, VideoVision, VisionError};
use photo_guard_video::{
    anonymise_video, clean_copy, ProbeError, VideoError, VideoReport, VideoSettings,
};
use photo_guard_vision::Pipeline;
use tempfile::TempDir;

/// Scratch folders are `photo-guard-video-<pid>-<random>`.
const PREFIX: &str = "photo-guard-video-";

/// Removes the scratch folders in `work_dir` whose process is not running.
/// Without /proc (not Linux) nothing can be told dead and nothing is removed.
fn sweep_left_over(work_dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(work_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if !alive || pid == std::process::id() {
            let removed = std::fs::remove_dir_all(entry.path());
            tracing::info!(removed = removed.is_ok(), "left-over video scratch folder");
        }
    }
}

pub struct VideoExaminer {
    pipeline: Arc<Pipeline>,
    settings: VideoSettings,
    work_dir: PathBuf,
    /// Why videos cannot be examined here (ffmpeg missing), if so.
    missing: Option<String>,
}

impl VideoExaminer {
    pub fn new(
        pipeline: Arc<Pipeline>,
        settings: VideoSettings,
        work_dir: PathBuf,
        missing: Option<String>,
    ) -> Self {
        sweep_left_over(&work_dir);
        let settings = VideoSettings {
            keep_masks: true,
            ..settings
        };
        Self {
            pipeline,
            settings,
            work_dir,
            missing,
        }
    }
}

impl VideoVision for VideoExaminer {
    fn examine_video(&self, bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        if let Some(why) = &self.missing {
            return Err(VisionError::Unsupported(why.clone()));
        }
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&self.work_dir)
            .map_err(|e| VisionError::Unsupported(format!("no scratch folder: {}", e.kind())))?;
        let input = dir.path().join("clip");
        std::fs::write(&input, bytes).map_err(|e| {
            VisionError::Unsupported(format!("cannot hand the clip over: {}", e.kind()))
        })?;
        let output = dir.path().join("anonymised.mp4");
        let report = anonymise_video(&input, &output, &self.pipeline, &self.settings)
            .map_err(vision_error)?;
        let copy = std::fs::read(&output)
            .map_err(|e| VisionError::Anonymise(format!("the copy is unreadable: {}", e.kind())))?;
        let _ = std::fs::remove_file(&output);
        Ok(Box::new(ExaminedClip {
            faces: busiest_frame(&report),
            width: report.width,
            height: report.height,
            copy,
            input,
            settings: self.settings.clone(),
            _dir: dir,
        }))
    }
}

/// The faces of the frame that shows the most: the count the guard decides
/// on (any face on any frame makes it more than none).
fn busiest_frame(report: &VideoReport) -> Vec<Face> {
    let busiest = report
        .masks
        .as_ref()
        .and_then(|m| m.iter().max_by_key(|faces| faces.len()).cloned())
        .unwrap_or_default();
    match (busiest.is_empty(), report.faces) {
        // Faces were seen on a sample but no mask survived: still faces.
        (true, n) if n > 0 => vec![
            Face {
                x: 0,
                y: 0,
                w: report.width,
                h: report.height,
                score: 0.0,
            };
            1
        ],
        _ => busiest,
    }
}

fn vision_error(e: VideoError) -> VisionError {
    let detail = e.to_string();
    match e {
        VideoError::Probe(
            ProbeError::TooLarge { .. }
            | ProbeError::TooLong { .. }
            | ProbeError::TooManyPixels { .. },
        )
        | VideoError::Deadline(_)
        | VideoError::TooManyFrames(_) => VisionError::TooLarge(detail),
        VideoError::Probe(ProbeError::Tool(_)) => VisionError::Unsupported(detail),
        VideoError::Detect(_) => VisionError::Detector(detail),
        VideoError::Encode(_) | VideoError::Stopped => VisionError::Anonymise(detail),
        _ => VisionError::Corrupt(detail),
    }
}

/// An examined clip: the anonymised copy is made already (one pass finds
/// and hides the faces); the original waits in the scratch folder for a
/// clean copy, removed with it.
struct ExaminedClip {
    faces: Vec<Face>,
    width: u32,
    height: u32,
    copy: Vec<u8>,
    input: PathBuf,
    settings: VideoSettings,
    _dir: TempDir,
}

impl Examined for ExaminedClip {
    fn width(&self) -> u32 {
        self.width
    }
    fn height(&self) -> u32 {
        self.height
    }
    fn faces(&self) -> &[Face] {
        &self.faces
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(self.copy)
    }
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        let output = self.input.with_file_name("clean.mp4");
        clean_copy(&self.input, &output, &self.settings)
            .map_err(|e| VisionError::CleanCopy(e.to_string()))?;
        read_and_remove(&output)
    }
}

fn read_and_remove(path: &Path) -> Result<Vec<u8>, VisionError> {
    let bytes = std::fs::read(path)
        .map_err(|e| VisionError::CleanCopy(format!("the copy is unreadable: {}", e.kind())));
    let _ = std::fs::remove_file(path);
    bytes
}
