//! photo-guard's vision: untrusted image bytes in, faces and an anonymised
//! copy out. Pure and synchronous; the guard runs it on blocking threads.

pub mod decode;
pub mod detect;
pub mod merge;
pub mod settings;

pub use settings::{DetectorKind, Style, VisionSettings};
