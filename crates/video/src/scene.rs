//! A cheap cut detector: every frame is reduced to a 16x9 grid of mean
//! brightness, and a frame whose grid differs from the previous one's by
//! more than a threshold (mean absolute difference, 0-255) starts a new
//! scene. Faces are then detected right there instead of interpolated
//! across the cut.

use image::RgbImage;

const GRID_W: usize = 16;
const GRID_H: usize = 9;
/// Pans, zooms and a light ramp stay well under this; a hard cut does not.
const CUT_THRESHOLD: f32 = 28.0;
/// Every n-th pixel of every n-th row is averaged: plenty for a 16x9 grid.
const STRIDE: u32 = 4;

/// A frame's brightness grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Thumb(Vec<f32>);

impl Thumb {
    pub fn of(frame: &RgbImage) -> Thumb {
        let (w, h) = frame.dimensions();
        let mut sum = vec![0f32; GRID_W * GRID_H];
        let mut count = vec![0u32; GRID_W * GRID_H];
        for y in (0..h).step_by(STRIDE as usize) {
            let gy = (y as usize * GRID_H) / h as usize;
            for x in (0..w).step_by(STRIDE as usize) {
                let gx = (x as usize * GRID_W) / w as usize;
                let p = frame.get_pixel(x, y).0;
                let luma =
                    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]);
                sum[gy * GRID_W + gx] += luma;
                count[gy * GRID_W + gx] += 1;
            }
        }
        Thumb(
            sum.iter()
                .zip(&count)
                .map(|(s, c)| if *c == 0 { 0.0 } else { s / *c as f32 })
                .collect(),
        )
    }

    /// Whether `self` starts a new scene after `previous`.
    pub fn is_cut_after(&self, previous: &Thumb) -> bool {
        let n = self.0.len().min(previous.0.len()).max(1);
        let diff: f32 = self
            .0
            .iter()
            .zip(&previous.0)
            .map(|(a, b)| (a - b).abs())
            .sum();
        diff / n as f32 > CUT_THRESHOLD
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn gradient(shift: u32, w: u32) -> RgbImage {
        RgbImage::from_fn(w, 90, |x, y| {
            Rgb([((x + shift) % 256) as u8, (y * 2) as u8, 100])
        })
    }

    #[test]
    fn a_small_pan_is_not_a_cut() {
        let a = Thumb::of(&gradient(0, 256));
        assert!(!Thumb::of(&gradient(6, 256)).is_cut_after(&a));
    }

    #[test]
    fn a_different_picture_is_a_cut() {
        let a = Thumb::of(&gradient(0, 256));
        let b = Thumb::of(&RgbImage::from_pixel(256, 90, Rgb([250, 250, 250])));
        assert!(b.is_cut_after(&a));
    }
}
