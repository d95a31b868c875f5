//! Painting a frame's boxes with the photos' own anonymiser (vision's
//! `anonymise`, at the pipeline's style and margin), so a face in a video is
//! hidden exactly as it would be in a photo. It runs on the writer thread,
//! beside detection on the other core.

use image::RgbImage;
use photo_guard_core::vision::Face;
use photo_guard_vision::anonymise::anonymise;
use photo_guard_vision::Style;

/// How the photos are painted, copied from the pipeline's settings.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub margin: f32,
    pub style: Style,
}

/// The frame with every box hidden; a frame without boxes is passed on
/// untouched (no copy), so a face-free clip is only re-encoded.
pub fn paint(frame: RgbImage, boxes: &[Face], how: Paint) -> RgbImage {
    if boxes.is_empty() {
        return frame;
    }
    anonymise(&frame, boxes, how.margin, how.style)
}
