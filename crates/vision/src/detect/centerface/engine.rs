//! The engine seam: what runs CenterFace's network on a batch of NCHW
//! tensors and returns its four maps (heat map, scale, offset, landmarks).
//! Two engines: ONNX Runtime (`onnxruntime.rs`, 2-3x faster, any batch in
//! one call) and tract (`tract.rs`, pure Rust, the fallback when ONNX
//! Runtime's library is missing). Which one runs is chosen here, once, at
//! load time.

use std::path::PathBuf;

use tract_onnx::prelude::Tensor;

use super::onnxruntime::OnnxRuntime;
use super::tract::Tract;
use super::NAME;
use crate::detect::DetectError;

/// How an input is meant to be run: one big input on every core, or one
/// of several inputs run side by side, each on its own core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    Whole,
    Side,
}

pub trait Engine: Send + Sync {
    /// "onnxruntime (path)" or "tract", for `doctor` and the logs.
    fn describe(&self) -> String;
    /// Whether a batch of several inputs runs as one call (else callers
    /// run batches of one side by side).
    fn batches(&self) -> bool;
    /// Runs a `[n, 3, h, w]` f32 tensor; returns the heat map, scale,
    /// offset and landmark maps, each with the same `n`.
    fn run(&self, batch: Tensor, lane: Lane) -> Result<Vec<Tensor>, DetectError>;
}

/// Which engine to use (`FACE_ENGINE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// ONNX Runtime when its library loads, else tract with a warning.
    #[default]
    Auto,
    OnnxRuntime,
    Tract,
}

/// What the engine is chosen from.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    pub choice: EngineChoice,
    /// Where ONNX Runtime's shared library may be: an explicit
    /// `ONNXRUNTIME_LIB`, or the usual places; the first file found is used.
    pub onnxruntime_lib: Vec<PathBuf>,
}

impl Default for EngineSettings {
    /// `auto`, the library looked for in `models/` under the working folder
    /// (the binary's config adds the places beside the executable and the
    /// data folder).
    fn default() -> Self {
        Self {
            choice: EngineChoice::Auto,
            onnxruntime_lib: crate::model::onnxruntime_lib_candidates(None, None, None),
        }
    }
}

/// The engine for `model` (its ONNX bytes), and, when `auto` fell back to
/// tract, why (already logged as a warning).
pub fn choose(
    model: &[u8],
    settings: &EngineSettings,
) -> Result<(Box<dyn Engine>, Option<String>), DetectError> {
    if settings.choice == EngineChoice::Tract {
        return Ok((Box::new(Tract::load(model)?), None));
    }
    match OnnxRuntime::load(&settings.onnxruntime_lib, model) {
        Ok(engine) => Ok((Box::new(engine), None)),
        Err(reason) if settings.choice == EngineChoice::Auto => {
            let why = format!(
                "ONNX Runtime not used ({reason}); running CenterFace on tract, about 2x slower \
                 (run scripts/fetch-model to fetch libonnxruntime.so, or set ONNXRUNTIME_LIB)"
            );
            tracing::warn!("SLOWER face detection: {why}");
            Ok((Box::new(Tract::load(model)?), Some(why)))
        }
        Err(reason) => Err(DetectError::Model {
            detector: NAME,
            reason: format!("FACE_ENGINE=onnxruntime: {reason} (run scripts/fetch-model)"),
        }),
    }
}

/// An engine failure as the detector's error.
pub fn run_error(reason: impl std::fmt::Display) -> DetectError {
    DetectError::Run {
        detector: NAME,
        reason: reason.to_string(),
    }
}
