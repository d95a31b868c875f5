//! The seam between the guard and the vision pipeline.
//!
//! The core never sees pixels or a detector: it hands untrusted bytes to a
//! [`Vision`] and gets back an [`Examined`] photo that knows its faces and can
//! produce its anonymised copy. Keeping the decoded image inside `Examined`
//! means a blur costs no second decode, and the core stays free of `image`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One face, in pixels of the upright image (EXIF orientation applied).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Face {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub score: f32,
}

/// Why a photo could not be examined. Every variant makes the guard block.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VisionError {
    #[error("the image is too large: {0}")]
    TooLarge(String),
    #[error("the image format is not supported: {0}")]
    Unsupported(String),
    #[error("the image cannot be decoded: {0}")]
    Corrupt(String),
    #[error("the face detector failed: {0}")]
    Detector(String),
    #[error("the anonymised copy could not be made: {0}")]
    Anonymise(String),
    #[error("the clean copy could not be made: {0}")]
    CleanCopy(String),
}

/// A decoded photo with its faces found.
pub trait Examined: Send {
    fn width(&self) -> u32;
    fn height(&self) -> u32;
    fn faces(&self) -> &[Face];
    /// The photo re-encoded with every face hidden and no metadata.
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError>;
    /// The photo re-encoded unblurred but with no metadata (EXIF, GPS): what an
    /// admin's "release original" posts, never the bytes as they arrived.
    /// No default: a pipeline that cannot make one must say so itself.
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError>;
}

/// Decode and examine untrusted image bytes. Synchronous and CPU-bound: the
/// guard calls it from a blocking thread.
pub trait Vision: Send + Sync + 'static {
    fn examine(&self, bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError>;
}

/// Examine an untrusted video: its faces over the sampled frames, an
/// anonymised copy (every frame masked, metadata gone) and a clean copy. The
/// returned [`Examined`] is the same seam as a photo's, so the guard and the
/// review decide a video with the photo's table. Synchronous and slow: the
/// guard calls it from a blocking thread, a bounded number at a time.
pub trait VideoVision: Send + Sync + 'static {
    fn examine_video(&self, bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError>;
}

/// No video tool at all (ffmpeg missing, or a store-only command): every
/// video fails to be examined, which the guard turns into a block.
#[derive(Debug, Clone)]
pub struct NoVideo(pub String);

impl VideoVision for NoVideo {
    fn examine_video(&self, _bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        Err(VisionError::Unsupported(self.0.clone()))
    }
}
