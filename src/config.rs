//! The only place that reads the environment (and `.env`, via dotenvy).
//!
//! Every variable is documented in `.env.example`. A missing or malformed
//! value stops start-up with one line naming the variable; secrets are never
//! echoed back in those messages.

use std::path::PathBuf;

use photo_guard_vision::{DetectorKind, Style, VisionSettings};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{name} is not set: {hint}")]
    Missing { name: &'static str, hint: &'static str },
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Reads `.env` once (a missing file is fine) then the variable.
fn var(name: &'static str) -> Option<String> {
    static LOAD: std::sync::Once = std::sync::Once::new();
    LOAD.call_once(|| {
        let _ = dotenvy::dotenv();
    });
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: format!("{raw:?}: {e}"),
        }),
    }
}

pub fn vision_from_env() -> Result<VisionSettings, ConfigError> {
    let defaults = VisionSettings::default();
    let detectors = match var("FACE_DETECTORS") {
        None => defaults.detectors,
        Some(raw) => parse_detectors(&raw)?,
    };
    let style = match var("BLUR_STYLE").as_deref() {
        None | Some("blur") => Style::Blur,
        Some("pixelate") => Style::Pixelate,
        Some("solid") => Style::Solid,
        Some(other) => {
            return Err(ConfigError::Invalid {
                name: "BLUR_STYLE",
                reason: format!("{other:?}: use blur, pixelate or solid"),
            })
        }
    };
    Ok(VisionSettings {
        detectors,
        centerface_model: var("FACE_MODEL_PATH").map(PathBuf::from).unwrap_or(defaults.centerface_model),
        max_bytes: parsed("MAX_IMAGE_BYTES", defaults.max_bytes)?,
        max_pixels: parsed("MAX_IMAGE_PIXELS", defaults.max_pixels)?,
        mask_margin: parsed("MASK_MARGIN", defaults.mask_margin)?,
        style,
    })
}

fn parse_detectors(raw: &str) -> Result<Vec<DetectorKind>, ConfigError> {
    let mut out = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind = match name.to_ascii_lowercase().as_str() {
            "centerface" => DetectorKind::CenterFace,
            "rustface" => DetectorKind::Rustface,
            other => {
                return Err(ConfigError::Invalid {
                    name: "FACE_DETECTORS",
                    reason: format!("{other:?}: use centerface, rustface or both, comma-separated"),
                })
            }
        };
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    if out.is_empty() {
        return Err(ConfigError::Invalid { name: "FACE_DETECTORS", reason: "no detector named".into() });
    }
    Ok(out)
}
