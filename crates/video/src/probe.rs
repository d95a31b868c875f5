//! What a video is, read by `ffprobe` before a single frame is decoded, and
//! the limits a clip must pass to be decoded at all: its file size, its
//! duration and its pixels per frame. A clip whose duration ffprobe cannot
//! tell is refused (fail closed: the decode's frame cap relies on it).

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;

use crate::process::{self, ProcessError};

/// ffprobe reads headers only; this is generous.
const PROBE_DEADLINE: Duration = Duration::from_secs(20);

#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("cannot read the video file: {0}")]
    Read(String),
    #[error("the file is {bytes} bytes, over the {max} byte limit")]
    TooLarge { bytes: u64, max: u64 },
    #[error("not a video ffmpeg can read: {0}")]
    NotVideo(String),
    #[error("the file has no video stream")]
    NoVideoStream,
    #[error("the video's {0} is missing or invalid")]
    Invalid(&'static str),
    #[error("the video lasts {seconds:.1} s, over the {max} s limit")]
    TooLong { seconds: f64, max: u64 },
    #[error("the video has {pixels} pixels per frame, over the {max} limit")]
    TooManyPixels { pixels: u64, max: u64 },
    #[error(transparent)]
    Tool(ProcessError),
}

/// Limits checked before decoding.
#[derive(Debug, Clone, Copy)]
pub struct ProbeLimits {
    pub max_bytes: u64,
    pub max_seconds: u64,
    pub max_pixels: u64,
}

impl Default for ProbeLimits {
    fn default() -> Self {
        Self {
            max_bytes: 200 * 1024 * 1024,
            max_seconds: 180,
            // 4K UHD; larger frames are refused, big ones are scaled down.
            max_pixels: 3840 * 2160,
        }
    }
}

/// A probed clip. `width` and `height` are as stored; `rotation` is the
/// clockwise turn (0, 90, 180, 270) a player applies for display.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoInfo {
    pub width: u32,
    pub height: u32,
    pub rotation: u32,
    /// Frames per second (the stream's average frame rate).
    pub fps: f64,
    pub seconds: f64,
    /// The frame count the container states, if it does.
    pub frames: Option<u64>,
    pub has_audio: bool,
}

impl VideoInfo {
    /// Width and height as displayed (rotation applied).
    pub fn displayed(&self) -> (u32, u32) {
        if self.rotation % 180 == 90 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    streams: Vec<Stream>,
    format: Option<Format>,
}

#[derive(Deserialize)]
struct Format {
    duration: Option<String>,
}

#[derive(Deserialize)]
struct Stream {
    codec_type: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    avg_frame_rate: Option<String>,
    r_frame_rate: Option<String>,
    nb_frames: Option<String>,
    duration: Option<String>,
    #[serde(default)]
    tags: std::collections::HashMap<String, String>,
    #[serde(default)]
    side_data_list: Vec<SideData>,
}

#[derive(Deserialize)]
struct SideData {
    side_data_type: Option<String>,
    rotation: Option<f64>,
}

/// Probes `path` and checks it against `limits`.
pub fn probe(path: &Path, limits: &ProbeLimits) -> Result<VideoInfo, ProbeError> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| ProbeError::Read(e.kind().to_string()))?
        .len();
    if bytes > limits.max_bytes {
        return Err(ProbeError::TooLarge {
            bytes,
            max: limits.max_bytes,
        });
    }
    let args: Vec<String> = [
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_streams",
        "-show_format",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([path.display().to_string()])
    .collect();
    let json = process::output("ffprobe", &args, PROBE_DEADLINE).map_err(|e| match e {
        ProcessError::Failed { stderr, .. } => ProbeError::NotVideo(stderr),
        other => ProbeError::Tool(other),
    })?;
    let info = parse(&json)?;
    check(&info, limits)?;
    Ok(info)
}

/// The limits on an already parsed clip.
pub fn check(info: &VideoInfo, limits: &ProbeLimits) -> Result<(), ProbeError> {
    if info.seconds > limits.max_seconds as f64 {
        return Err(ProbeError::TooLong {
            seconds: info.seconds,
            max: limits.max_seconds,
        });
    }
    let pixels = u64::from(info.width) * u64::from(info.height);
    if pixels > limits.max_pixels {
        return Err(ProbeError::TooManyPixels {
            pixels,
            max: limits.max_pixels,
        });
    }
    Ok(())
}

/// Parses ffprobe's JSON (`-show_streams -show_format`).
pub fn parse(json: &[u8]) -> Result<VideoInfo, ProbeError> {
    let probe: Probe =
        serde_json::from_slice(json).map_err(|e| ProbeError::NotVideo(e.to_string()))?;
    let kind = |s: &Stream, k: &str| s.codec_type.as_deref() == Some(k);
    let video = probe
        .streams
        .iter()
        .find(|s| kind(s, "video") && s.width.is_some())
        .ok_or(ProbeError::NoVideoStream)?;
    let width = video
        .width
        .filter(|w| *w > 0)
        .ok_or(ProbeError::Invalid("width"))?;
    let height = video
        .height
        .filter(|h| *h > 0)
        .ok_or(ProbeError::Invalid("height"))?;
    let fps = rate(video.avg_frame_rate.as_deref())
        .or_else(|| rate(video.r_frame_rate.as_deref()))
        .filter(|f| *f > 0.0 && *f <= 240.0)
        .ok_or(ProbeError::Invalid("frame rate"))?;
    let seconds = probe
        .format
        .as_ref()
        .and_then(|f| number(f.duration.as_deref()))
        .or_else(|| number(video.duration.as_deref()))
        .filter(|s| s.is_finite() && *s > 0.0)
        .ok_or(ProbeError::Invalid("duration"))?;
    Ok(VideoInfo {
        width,
        height,
        rotation: rotation(video),
        fps,
        seconds,
        frames: video.nb_frames.as_deref().and_then(|n| n.parse().ok()),
        has_audio: probe.streams.iter().any(|s| kind(s, "audio")),
    })
}

fn number(s: Option<&str>) -> Option<f64> {
    s?.trim().parse().ok()
}

/// "30000/1001" -> 29.97; "0/0" -> None.
fn rate(s: Option<&str>) -> Option<f64> {
    let (n, d) = s?.split_once('/')?;
    let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
    (d > 0.0 && n > 0.0).then_some(n / d)
}

/// The clockwise display turn, from the display matrix (counter-clockwise
/// degrees in ffprobe's output) or the legacy `rotate` tag, to the nearest
/// quarter turn.
fn rotation(video: &Stream) -> u32 {
    let matrix = video
        .side_data_list
        .iter()
        .find(|d| d.side_data_type.as_deref() == Some("Display Matrix"))
        .and_then(|d| d.rotation)
        .map(|r| -r);
    let tag = video.tags.get("rotate").and_then(|r| r.trim().parse().ok());
    let degrees: f64 = matrix.or(tag).unwrap_or(0.0);
    let quarter = (degrees / 90.0).round() as i64;
    (quarter.rem_euclid(4) * 90) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: &str = r#"{"streams":[{"codec_type":"video","width":1280,"height":720,
        "avg_frame_rate":"30000/1001","r_frame_rate":"30/1","nb_frames":"150",
        "side_data_list":[{"side_data_type":"Display Matrix","rotation":-90}]},
        {"codec_type":"audio"}],"format":{"duration":"5.005"}}"#;

    #[test]
    fn a_phone_clip_is_read_with_its_rotation_rate_and_audio() {
        let info = parse(PHONE.as_bytes()).unwrap();
        assert_eq!((info.width, info.height, info.rotation), (1280, 720, 90));
        assert_eq!(info.displayed(), (720, 1280));
        assert!((info.fps - 29.97).abs() < 0.01);
        assert_eq!(info.frames, Some(150));
        assert!(info.has_audio);
    }

    #[test]
    fn the_legacy_rotate_tag_is_honoured() {
        let json = r#"{"streams":[{"codec_type":"video","width":64,"height":32,
            "avg_frame_rate":"25/1","tags":{"rotate":"270"}}],"format":{"duration":"1"}}"#;
        let info = parse(json.as_bytes()).unwrap();
        assert_eq!(info.rotation, 270);
        assert!(!info.has_audio);
    }

    #[test]
    fn a_clip_without_a_duration_is_refused() {
        let json = r#"{"streams":[{"codec_type":"video","width":64,"height":32,
            "avg_frame_rate":"25/1"}],"format":{}}"#;
        assert!(matches!(
            parse(json.as_bytes()),
            Err(ProbeError::Invalid("duration"))
        ));
    }

    #[test]
    fn limits_refuse_long_and_huge_clips() {
        let mut info = parse(PHONE.as_bytes()).unwrap();
        let limits = ProbeLimits {
            max_seconds: 4,
            ..ProbeLimits::default()
        };
        assert!(matches!(
            check(&info, &limits),
            Err(ProbeError::TooLong { .. })
        ));
        info.width = 10_000;
        info.height = 10_000;
        assert!(matches!(
            check(&info, &ProbeLimits::default()),
            Err(ProbeError::TooManyPixels { .. })
        ));
    }
}
