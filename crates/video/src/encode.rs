//! Encoding: raw `yuv420p` frames in on a pipe, H.264 (yuv420p) in MP4 out, the
//! kind Telegram plays inline. The audio is taken from the original file and
//! re-encoded to AAC (any source codec then fits MP4). The container's
//! metadata and chapters are dropped (GPS `location`, device, dates), and as
//! the frames are already upright no display matrix is written.

use std::io::Write;
use std::path::Path;
use std::process::ChildStdin;

use thiserror::Error;

use crate::decode::FrameFormat;
use crate::process::{self, Proc, ProcessError};
use crate::yuv::Yuv;

#[derive(Debug, Error)]
pub enum EncodeError {
    #[error(transparent)]
    Tool(#[from] ProcessError),
    #[error("writing frames failed: {0}")]
    Pipe(String),
}

/// How hard x264 works: `veryfast` at CRF 23 keeps a phone clip small
/// enough for Telegram at a fraction of the detector's cost.
#[derive(Debug, Clone)]
pub struct EncodeOptions {
    pub preset: String,
    pub crf: u8,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            preset: "veryfast".into(),
            crf: 23,
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The output half shared with bench's floor: codecs, no metadata, MP4.
pub fn output_args(options: &EncodeOptions, output: &Path) -> Vec<String> {
    let mut a = strings(&["-c:v", "libx264", "-preset"]);
    a.push(options.preset.clone());
    a.extend(strings(&["-crf"]));
    a.push(options.crf.to_string());
    a.extend(strings(&[
        // Two frame threads for two cores (x264's default is 1.5 a core,
        // and each thread holds frames of its own), no separate lookahead
        // thread, and 5 frames of lookahead instead of veryfast's 10: each
        // frame x264 holds is about 3 MB at 1080p. Measured on 03_land
        // scaled to 1080p: 202 MB instead of 255 MB resident, the same CPU
        // and the same file size (bframes=0 or mbtree=0 would save more
        // but double the file).
        "-threads",
        "2",
        "-x264-params",
        "rc-lookahead=5:sync-lookahead=0",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-metadata:s:v:0",
        "rotate=0",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "-y",
    ]));
    a.push(output.display().to_string());
    a
}

/// ffmpeg's arguments: frames on stdin (input 0), audio from `original`.
pub fn args(
    format: &FrameFormat,
    original: &Path,
    options: &EncodeOptions,
    output: &Path,
) -> Vec<String> {
    // Two inputs make ffmpeg queue each on a thread of its own, 8 packets
    // deep by default: 8 raw 1080p frames are 50 MB. Two are enough.
    let mut a = strings(&["-nostdin", "-v", "error", "-thread_queue_size", "2"]);
    a.extend(strings(&["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s"]));
    a.push(format!("{}x{}", format.width, format.height));
    a.push("-r".into());
    a.push(format!("{:.6}", format.fps));
    a.extend(strings(&["-i", "-", "-i"]));
    a.push(original.display().to_string());
    a.extend(strings(&["-map", "0:v:0", "-map", "1:a:0?"]));
    a.extend(output_args(options, output));
    a
}

/// Starts the encoder; frames are written with [`Sink`].
pub fn start(
    format: &FrameFormat,
    original: &Path,
    options: &EncodeOptions,
    output: &Path,
) -> Result<(Proc, Sink), EncodeError> {
    let proc = process::spawn(
        "ffmpeg",
        &args(format, original, options, output),
        true,
        false,
    )?;
    let stdin = proc
        .child
        .lock()
        .ok()
        .and_then(|mut c| c.stdin.take())
        .ok_or_else(|| EncodeError::Pipe("no stdin".into()))?;
    Ok((proc, Sink { stdin }))
}

/// The encoder's input; dropping it ends the clip.
pub struct Sink {
    stdin: ChildStdin,
}

impl Sink {
    pub fn write(&mut self, frame: &Yuv) -> Result<(), EncodeError> {
        self.stdin
            .write_all(frame.as_raw())
            .map_err(|e| EncodeError::Pipe(e.to_string()))
    }
}
