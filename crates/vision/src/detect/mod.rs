//! The face-detector seam: anything that turns an upright RGB image into
//! scored boxes in that image's pixels. Two implementations, CenterFace
//! (primary) and rustface (embedded fallback); the pipeline merges them.

use std::panic::{catch_unwind, AssertUnwindSafe};

use image::RgbImage;
use thiserror::Error;

pub mod centerface;
pub mod geometry;
pub mod rustface;

pub use self::centerface::CenterFace;
pub use self::rustface::Rustface;

/// A face box in pixels of the image given to the detector. Floating point
/// so merging and scaling lose nothing before the final rounding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// Detector-specific confidence; only compared within one detector.
    pub score: f32,
    /// Where the detector puts the eyes, nose and mouth corners, if it
    /// says (CenterFace does; rustface does not).
    pub landmarks: Option<Landmarks>,
}

/// Five facial points in the same pixels as their box: left eye, right
/// eye, nose tip, left and right mouth corner (as the image shows them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Landmarks(pub [[f32; 2]; 5]);

impl Landmarks {
    /// The points in pixels `scale` times smaller, as boxes are scaled.
    pub fn unscaled(&self, scale: f32) -> Self {
        Self(self.0.map(|[x, y]| [x / scale, y / scale]))
    }

    /// The points moved by (`dx`, `dy`).
    pub fn shifted(&self, dx: f32, dy: f32) -> Self {
        Self(self.0.map(|[x, y]| [x + dx, y + dy]))
    }
}

impl Detection {
    /// A box without landmarks.
    pub fn new(x: f32, y: f32, w: f32, h: f32, score: f32) -> Self {
        Self {
            x,
            y,
            w,
            h,
            score,
            landmarks: None,
        }
    }

    pub fn area(&self) -> f32 {
        self.w.max(0.0) * self.h.max(0.0)
    }

    /// The box's centre (x, y).
    pub fn centre(&self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Area shared with `other`.
    pub fn intersection(&self, other: &Detection) -> f32 {
        let ix = (self.x + self.w).min(other.x + other.w) - self.x.max(other.x);
        let iy = (self.y + self.h).min(other.y + other.h) - self.y.max(other.y);
        if ix <= 0.0 || iy <= 0.0 {
            0.0
        } else {
            ix * iy
        }
    }

    pub fn iou(&self, other: &Detection) -> f32 {
        let inter = self.intersection(other);
        if inter <= 0.0 {
            return 0.0;
        }
        let union = self.area() + other.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }
}

#[derive(Debug, Error)]
pub enum DetectError {
    #[error("{detector} could not load its model: {reason}")]
    Model {
        detector: &'static str,
        reason: String,
    },
    #[error("{detector} failed: {reason}")]
    Run {
        detector: &'static str,
        reason: String,
    },
}

pub trait FaceDetector: Send + Sync {
    fn name(&self) -> &'static str;
    fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, DetectError>;
}

/// Belt and braces around third-party inference code: a panic inside it
/// becomes an error (and so a block), never a crashed bot.
pub(crate) fn guarded<T>(
    detector: &'static str,
    run: impl FnOnce() -> Result<T, DetectError>,
) -> Result<T, DetectError> {
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panicked".into());
            Err(DetectError::Run {
                detector,
                reason: format!("panicked: {reason}"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f32, y: f32, w: f32, h: f32) -> Detection {
        Detection::new(x, y, w, h, 1.0)
    }

    #[test]
    fn iou_of_a_box_with_itself_is_one() {
        assert!((b(1.0, 2.0, 10.0, 10.0).iou(&b(1.0, 2.0, 10.0, 10.0)) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn iou_of_half_overlapping_boxes_is_a_third() {
        assert!((b(0.0, 0.0, 10.0, 10.0).iou(&b(5.0, 0.0, 10.0, 10.0)) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn iou_of_disjoint_boxes_is_zero() {
        assert_eq!(b(0.0, 0.0, 10.0, 10.0).iou(&b(20.0, 0.0, 10.0, 10.0)), 0.0);
    }

    #[test]
    fn a_panicking_detector_becomes_an_error() {
        let r: Result<(), _> = guarded("test", || panic!("boom"));
        assert!(matches!(r, Err(DetectError::Run { .. })));
    }
}
