//! The face-detector seam: anything that turns an upright RGB image into
//! scored boxes in that image's pixels. Two implementations, CenterFace
//! (primary) and rustface (embedded fallback); the pipeline merges them.

use std::panic::{catch_unwind, AssertUnwindSafe};

use image::RgbImage;
use thiserror::Error;

pub mod centerface;
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
}

impl Detection {
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
        Detection {
            x,
            y,
            w,
            h,
            score: 1.0,
        }
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
