//! rustface (SeetaFace frontal cascade) with its model embedded at build
//! time. Weak on small, turned and dark faces (see VISION-NOTES.md), so it is
//! the fallback when CenterFace's model is missing, or an extra opinion.

use std::io::Cursor;

use image::{imageops, GrayImage, RgbImage};
use rustface::{ImageData, Model};

use super::{guarded, DetectError, Detection, FaceDetector};

/// Copied from the rustface crate's sources by build.rs; never committed.
static MODEL_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seeta_fd_frontal_v1.0.bin"));

const NAME: &str = "rustface";
/// The cascade's fixed window: it cannot see a face smaller than this (it
/// ignores `min_face_size`, see VISION-NOTES.md).
const WINDOW: u32 = 40;

pub struct Rustface {
    model: Model,
    /// Upscale photos whose upscaled size stays under this many pixels, so
    /// 20-40 px faces reach the 40 px window; larger photos run at 1x because
    /// the cascade's cost grows with the area.
    upscale_max_pixels: u64,
}

impl Rustface {
    pub fn new() -> Result<Self, DetectError> {
        let model =
            rustface::read_model(Cursor::new(MODEL_BYTES)).map_err(|e| DetectError::Model {
                detector: NAME,
                reason: e.to_string(),
            })?;
        Ok(Self {
            model,
            upscale_max_pixels: 6_000_000,
        })
    }

    /// The factor the photo is enlarged by before the cascade runs.
    pub fn upscale_for(&self, width: u32, height: u32) -> u32 {
        if u64::from(width) * u64::from(height) * 4 <= self.upscale_max_pixels {
            2
        } else {
            1
        }
    }
}

impl FaceDetector for Rustface {
    fn name(&self) -> &'static str {
        NAME
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, DetectError> {
        let (w, h) = image.dimensions();
        let factor = self.upscale_for(w, h);
        if w * factor < WINDOW || h * factor < WINDOW {
            return Ok(Vec::new());
        }
        let gray: GrayImage = imageops::grayscale(image);
        let gray = if factor == 1 {
            gray
        } else {
            imageops::resize(
                &gray,
                w * factor,
                h * factor,
                imageops::FilterType::Triangle,
            )
        };
        // The detector is !Send and keeps scratch buffers: one per call, from
        // the cloned model, so the pipeline itself stays Send + Sync.
        let model = self.model.clone();
        guarded(NAME, move || {
            let mut detector = rustface::create_detector_with_model(model);
            detector.set_min_face_size(20);
            detector.set_score_thresh(2.0);
            detector.set_pyramid_scale_factor(0.8);
            detector.set_slide_window_step(4, 4);
            let data = ImageData::new(&gray, gray.width(), gray.height());
            let scale = factor as f32;
            Ok(detector
                .detect(&data)
                .into_iter()
                .map(|f| {
                    let b = f.bbox();
                    Detection {
                        x: b.x() as f32 / scale,
                        y: b.y() as f32 / scale,
                        w: b.width() as f32 / scale,
                        h: b.height() as f32 / scale,
                        // The cascade's raw score is unbounded (about 2-30);
                        // squashed into 0-1 so scores print alike across detectors.
                        score: squash(f.score() as f32),
                        landmarks: None,
                    }
                })
                .collect())
        })
    }
}

/// Maps the cascade's score (threshold 2, typical faces 5-30) into 0-1.
fn squash(score: f32) -> f32 {
    let s = score.max(0.0);
    s / (s + 5.0)
}
