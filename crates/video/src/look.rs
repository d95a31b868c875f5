//! The frame the detector looks at: a sampled frame over `detect_pixels` is
//! averaged down to that size first and the faces found are scaled back to
//! the full frame, which is what gets masked.
//!
//! The photo detector sizes its coarse look from the picture it is given
//! (never below half its resolution, so a 1080p frame is looked at as
//! 960x540): at 720p it costs less than half, and its close looks still
//! run at 1.5x the 720p frame (as sharp as the 1080p original). Faces stay
//! found down to about 11 px in 720p, 16 px in 1080p.

use image::{imageops, RgbImage};
use photo_guard_core::vision::Face;

/// The size (even sides, aspect kept) a `width` x `height` frame is looked
/// at, and the factor from it back to the frame; unchanged when it fits.
pub fn look_size(width: u32, height: u32, max_pixels: u64) -> (u32, u32, f32) {
    let pixels = u64::from(width) * u64::from(height);
    if max_pixels == 0 || pixels <= max_pixels {
        return (width, height, 1.0);
    }
    let scale = (max_pixels as f64 / pixels as f64).sqrt();
    let w = ((f64::from(width) * scale) as u32).max(2);
    let h = ((f64::from(height) * scale) as u32).max(2);
    (w, h, width as f32 / w as f32)
}

/// Faces on `frame`, found by `detect` on a copy of at most `max_pixels`.
pub fn detect_scaled<E>(
    frame: &RgbImage,
    max_pixels: u64,
    detect: impl FnOnce(&RgbImage) -> Result<Vec<Face>, E>,
) -> Result<Vec<Face>, E> {
    let (width, height) = frame.dimensions();
    let (w, h, back) = look_size(width, height, max_pixels);
    if back == 1.0 {
        return detect(frame);
    }
    // thumbnail() averages areas: cheap and alias-free when shrinking.
    let small = imageops::thumbnail(frame, w, h);
    let faces = detect(&small)?;
    Ok(faces
        .iter()
        .filter_map(|f| scale_up(f, back, (width, height)))
        .collect())
}

/// A box found on the small copy, in full-frame pixels (rounded outwards).
fn scale_up(f: &Face, by: f32, (width, height): (u32, u32)) -> Option<Face> {
    let x0 = ((f.x as f32 * by).floor() as u32).min(width);
    let y0 = ((f.y as f32 * by).floor() as u32).min(height);
    let x1 = (((f.x + f.w) as f32 * by).ceil() as u32).min(width);
    let y1 = (((f.y + f.h) as f32 * by).ceil() as u32).min(height);
    (x1 > x0 && y1 > y0).then_some(Face {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
        score: f.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1080p_frame_is_looked_at_as_720p_and_its_faces_scaled_back() {
        // Issue 19: detection cost and memory must not grow with the resolution.
        assert_eq!(look_size(1280, 720, 1280 * 720), (1280, 720, 1.0));
        let (w, h, back) = look_size(1920, 1080, 1280 * 720);
        assert_eq!((w, h), (1280, 720));
        assert!((back - 1.5).abs() < 1e-6);
        let frame = RgbImage::new(1920, 1080);
        let faces = detect_scaled(&frame, 1280 * 720, |small| {
            assert_eq!(small.dimensions(), (1280, 720));
            Ok::<_, ()>(vec![Face {
                x: 100,
                y: 200,
                w: 40,
                h: 50,
                score: 0.9,
            }])
        })
        .unwrap();
        assert_eq!(
            (faces[0].x, faces[0].y, faces[0].w, faces[0].h),
            (150, 300, 60, 75)
        );
    }

    #[test]
    fn a_frame_within_the_size_is_looked_at_as_it_is() {
        let frame = RgbImage::new(640, 360);
        let faces = detect_scaled(&frame, 1280 * 720, |f| {
            assert_eq!(f.dimensions(), (640, 360));
            Ok::<_, ()>(Vec::new())
        });
        assert_eq!(faces, Ok(Vec::new()));
    }
}
