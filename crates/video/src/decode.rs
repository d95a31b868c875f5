//! Decoding: `ffmpeg` turns the clip into raw `yuv420p` frames on a pipe
//! (H.264's own format: no colour conversion, half RGB's bytes), one frame
//! read at a time, so memory does not grow with the clip's length.
//! ffmpeg applies the display rotation itself (autorotate, its default), so
//! frames arrive upright; the `scale` filter pins their size to what the
//! caller expects (and scales down frames over the working size).

use std::io::{ErrorKind, Read};
use std::path::Path;
use std::process::ChildStdout;

use thiserror::Error;

use crate::process::{self, Proc, ProcessError};
use crate::yuv::{self, Yuv};

#[derive(Debug, Error)]
pub enum DecodeError {
    #[error(transparent)]
    Tool(#[from] ProcessError),
    #[error("reading frames failed: {0}")]
    Pipe(String),
}

/// The frame size and rate the decoder is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameFormat {
    pub width: u32,
    pub height: u32,
    pub fps: f64,
}

impl FrameFormat {
    pub fn frame_bytes(&self) -> usize {
        yuv::frame_bytes(self.width, self.height)
    }
}

/// The frame size to work at: the displayed size, scaled down (aspect kept)
/// to at most `max_pixels`, both sides even (H.264 in yuv420p needs that).
pub fn working_size(displayed: (u32, u32), max_pixels: u64) -> (u32, u32) {
    let (w, h) = displayed;
    let pixels = u64::from(w) * u64::from(h);
    let scale = if pixels > max_pixels && max_pixels > 0 {
        (max_pixels as f64 / pixels as f64).sqrt()
    } else {
        1.0
    };
    let even = |v: u32| ((f64::from(v) * scale) as u32 / 2 * 2).max(2);
    (even(w), even(h))
}

/// ffmpeg's arguments to decode `input` to `format` on stdout.
pub fn args(input: &Path, format: &FrameFormat) -> Vec<String> {
    // One decoding thread: frame threads each hold frames (more memory at
    // 1080p) and cost more CPU in all; decoding overlaps detection anyway.
    let mut a: Vec<String> = ["-nostdin", "-v", "error", "-threads", "1", "-i"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    a.push(input.display().to_string());
    a.extend([
        "-map".into(),
        "0:v:0".into(),
        "-an".into(),
        "-sn".into(),
        "-dn".into(),
        "-vf".into(),
        format!("scale={}:{}:flags=bilinear", format.width, format.height),
        "-r".into(),
        format!("{:.6}", format.fps),
        "-f".into(),
        "rawvideo".into(),
        "-pix_fmt".into(),
        "yuv420p".into(),
        "-".into(),
    ]);
    a
}

/// Starts the decoder; frames are read with [`Frames`].
pub fn start(input: &Path, format: &FrameFormat) -> Result<(Proc, Frames), DecodeError> {
    let proc = process::spawn("ffmpeg", &args(input, format), false, true)?;
    let stdout = proc
        .child
        .lock()
        .ok()
        .and_then(|mut c| c.stdout.take())
        .ok_or_else(|| DecodeError::Pipe("no stdout".into()))?;
    Ok((
        proc,
        Frames {
            stdout,
            format: *format,
        },
    ))
}

/// The decoder's frames, in order.
pub struct Frames {
    stdout: ChildStdout,
    format: FrameFormat,
}

impl Iterator for Frames {
    type Item = Result<Yuv, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = vec![0u8; self.format.frame_bytes()];
        match self.stdout.read_exact(&mut buf) {
            Ok(()) => {}
            // A partial last frame (a killed or failing decoder) ends the
            // stream; the decoder's exit status tells whether that was an error.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => return None,
            Err(e) => return Some(Err(DecodeError::Pipe(e.to_string()))),
        }
        Yuv::from_raw(self.format.width, self.format.height, buf)
            .map(Ok)
            .or_else(|| Some(Err(DecodeError::Pipe("short frame".into()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cross_both_pipes_as_yuv420p_at_a_byte_and_a_half_a_pixel() {
        // Issue 19: half RGB's pipe traffic, and no colour conversion in ffmpeg.
        let format = FrameFormat {
            width: 1280,
            height: 720,
            fps: 25.0,
        };
        assert_eq!(format.frame_bytes(), 1280 * 720 * 3 / 2);
        let decoder = args(Path::new("in.mp4"), &format);
        let encoder = crate::encode::args(
            &format,
            Path::new("in.mp4"),
            &Default::default(),
            Path::new("out.mp4"),
        );
        for a in [&decoder, &encoder] {
            let at = a.iter().position(|s| s == "-pix_fmt").unwrap();
            assert_eq!(a[at + 1], "yuv420p", "{a:?}");
        }
    }

    #[test]
    fn a_frame_over_the_working_size_is_scaled_down_to_even_sides() {
        assert_eq!(working_size((3840, 2160), 1920 * 1080), (1920, 1080));
        assert_eq!(working_size((1281, 721), 1920 * 1080), (1280, 720));
        let (w, h) = working_size((1080, 1920), 1280 * 720);
        assert!(w % 2 == 0 && h % 2 == 0 && u64::from(w * h) <= 1280 * 720);
    }
}
