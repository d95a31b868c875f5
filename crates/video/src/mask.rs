//! Painting a frame's boxes with the photos' own anonymiser (vision's
//! `Pipeline::paint`, the configured style and margin), so a face in a video
//! is hidden exactly as it would be in a photo.

use image::RgbImage;
use photo_guard_core::vision::Face;
use photo_guard_vision::Pipeline;

/// The frame with every box hidden; a frame without boxes is passed on
/// untouched (no copy), so a face-free clip is only re-encoded.
pub fn paint(pipeline: &Pipeline, frame: RgbImage, boxes: &[Face]) -> RgbImage {
    if boxes.is_empty() {
        return frame;
    }
    pipeline.paint(&frame, boxes, None)
}
