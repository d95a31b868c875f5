//! photo-guard's video anonymiser, platform independent: a clip file in, an
//! H.264/MP4 copy out with every face hidden on every frame, the audio kept
//! and the container's metadata (GPS location, device, dates) gone.
//!
//! probe (ffprobe, limits) -> decode (ffmpeg, raw YUV 4:2:0 on a pipe) ->
//! sampler (detect on sampled frames, in RGB; track.rs fills the frames
//! between) -> mask (vision's look, painted on the planes) -> encode
//! (ffmpeg). ffmpeg always runs as a child
//! process under a deadline: a hostile file can kill it, never the caller.

mod carry;
mod clean;
pub mod decode;
pub mod encode;
pub mod look;
pub mod mask;
pub mod probe;
pub mod process;
mod run;
pub mod sampler;
pub mod scene;
pub mod track;
pub mod yuv;

use std::path::Path;
use std::time::Duration;

use photo_guard_core::vision::Face;
use photo_guard_vision::Pipeline;
use thiserror::Error;

pub use clean::{clean_copy, tools_available};
pub use encode::EncodeOptions;
pub use probe::{ProbeError, ProbeLimits, VideoInfo};
pub use track::Motion;

/// Why a clip was not anonymised. Every variant means: no output, block it.
#[derive(Debug, Error)]
pub enum VideoError {
    #[error(transparent)]
    Probe(#[from] ProbeError),
    #[error("decoding failed: {0}")]
    Decode(#[from] decode::DecodeError),
    #[error("encoding failed: {0}")]
    Encode(#[from] encode::EncodeError),
    #[error("face detection failed: {0}")]
    Detect(String),
    #[error("processing took longer than the {0} s deadline; ffmpeg was killed")]
    Deadline(u64),
    #[error("the video has more than {0} frames, more than its duration allows")]
    TooManyFrames(u64),
    #[error("the video has no frames")]
    NoFrames,
    #[error("a processing stage stopped early")]
    Stopped,
}

#[derive(Debug, Clone)]
pub struct VideoSettings {
    /// Refused before decoding: file size, duration, pixels per frame.
    pub limits: ProbeLimits,
    /// Frames larger than this (as displayed) are scaled down to it.
    pub work_pixels: u64,
    /// Sampled frames larger than this are looked at scaled down to it
    /// (look.rs); the masks are still painted on the full frame.
    pub detect_pixels: u64,
    /// Samples (detector runs) per second of video, at least; every
    /// `ceil(fps / samples_per_second)`-th frame is one.
    pub samples_per_second: f64,
    /// Wall-clock limit for the whole clip; ffmpeg is killed past it.
    pub deadline: Duration,
    pub encode: EncodeOptions,
    pub motion: Motion,
    /// Return every frame's boxes in the report (eval).
    pub keep_masks: bool,
}

impl Default for VideoSettings {
    fn default() -> Self {
        Self {
            limits: ProbeLimits::default(),
            work_pixels: 1920 * 1080,
            detect_pixels: 1280 * 720,
            samples_per_second: 5.0,
            deadline: Duration::from_secs(600),
            encode: EncodeOptions::default(),
            motion: Motion::default(),
            keep_masks: false,
        }
    }
}

/// What was done to a clip, and where the time went. The stages overlap
/// (they run on three threads): `decode` and `encode` are the time their
/// threads spent waiting on ffmpeg, `detect` the main thread's work and
/// `mask` the writer thread's painting.
#[derive(Debug, Clone)]
pub struct VideoReport {
    pub info: VideoInfo,
    /// The output frame size (upright, maybe scaled down).
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    /// (frame index, faces found) of every sampled frame.
    pub samples: Vec<(u64, usize)>,
    /// Faces found over all samples.
    pub faces: usize,
    pub decode: Duration,
    pub detect: Duration,
    pub mask: Duration,
    pub encode: Duration,
    pub total: Duration,
    /// Every output frame's boxes (before the mask margin), if asked for.
    pub masks: Option<Vec<Vec<Face>>>,
}

/// Writes an anonymised copy of the clip `input` to `output` (MP4). The
/// pipeline is the photos' own (same detector, same mask); it is passed in
/// because loading it costs more than a short clip.
pub fn anonymise_video(
    input: &Path,
    output: &Path,
    pipeline: &Pipeline,
    settings: &VideoSettings,
) -> Result<VideoReport, VideoError> {
    run::anonymise(input, output, pipeline, settings)
}

/// Whether these bytes (a file's start) look like a video container: MP4 or
/// QuickTime (`ftyp` at offset 4) or WebM/Matroska (the EBML magic).
pub fn looks_like_video(head: &[u8]) -> bool {
    head.get(4..8) == Some(b"ftyp") || head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3])
}

#[cfg(test)]
mod tests {
    #[test]
    fn mp4_and_webm_are_recognised_by_their_bytes() {
        assert!(super::looks_like_video(b"\0\0\0\x20ftypisom"));
        assert!(super::looks_like_video(&[0x1A, 0x45, 0xDF, 0xA3, 1]));
        assert!(!super::looks_like_video(b"\xFF\xD8\xFF\xE0\0\x10JFIF"));
        assert!(!super::looks_like_video(b"ftyp"));
    }
}
