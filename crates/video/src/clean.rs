//! A clip re-encoded with no change but its metadata: what an admin's
//! "release original" posts (never the bytes as they arrived, which may
//! carry a GPS location). And whether ffmpeg is here at all.

use std::path::Path;

use crate::encode::output_args;
use crate::process::{self, ProcessError};
use crate::{probe, VideoError, VideoSettings};

/// Writes `input` re-encoded (H.264/AAC in MP4, upright, no metadata) to
/// `output`, under the settings' limits and deadline.
pub fn clean_copy(input: &Path, output: &Path, settings: &VideoSettings) -> Result<(), VideoError> {
    probe::probe(input, &settings.limits)?;
    let mut args: Vec<String> = ["-nostdin", "-v", "error", "-i"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(input.display().to_string());
    args.extend(output_args(&settings.encode, output));
    match process::output("ffmpeg", &args, settings.deadline) {
        Ok(_) => Ok(()),
        Err(ProcessError::Deadline { seconds, .. }) => Err(VideoError::Deadline(seconds)),
        Err(e) => Err(VideoError::Encode(e.into())),
    }
}

/// ffmpeg's version line when both ffmpeg and ffprobe run; why not otherwise.
pub fn tools_available() -> Result<String, String> {
    let version = |tool: &'static str| {
        let out = process::output(
            tool,
            &["-version".to_string()],
            std::time::Duration::from_secs(10),
        )
        .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out);
        Ok::<String, String>(text.lines().next().unwrap_or(tool).to_owned())
    };
    version("ffprobe")?;
    version("ffmpeg")
}
