//! photo-guard's vision: untrusted image bytes in, faces and an anonymised
//! copy out. Pure and synchronous; the guard runs it on blocking threads.
//!
//! decode -> detect (CenterFace, rustface) -> merge -> anonymise -> encode,
//! tied together by [`pipeline::Pipeline`], which implements core's `Vision`.

pub mod anonymise;
pub mod decode;
pub mod detect;
pub mod encode;
pub mod merge;
pub mod model;
pub mod pipeline;
pub mod settings;

pub use detect::centerface::{EngineChoice, EngineSettings};
pub use model::{onnxruntime_lib_candidates, CenterFaceModel};
pub use pipeline::{Analysis, DetectorRun, Pipeline, PipelineError};
pub use settings::{DetectorKind, Style, VisionSettings};

/// Path of the rustface crate's group photo, for this crate's own tests
/// (the CLI and other crates take `photo_guard_eval::RUSTFACE_TEST_PNG`).
#[cfg(test)]
pub(crate) const RUSTFACE_TEST_PNG: &str = env!("RUSTFACE_TEST_PNG");
