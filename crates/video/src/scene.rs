//! A cheap cut detector: every frame is reduced to a 16x9 grid of mean
//! brightness (its Y plane, as decoded), and a frame whose grid differs from the previous one's by
//! more than a threshold (mean absolute difference, 0-255) starts a new
//! scene. Faces are then detected right there instead of interpolated
//! across the cut.

use crate::yuv::Yuv;

const GRID_W: usize = 16;
const GRID_H: usize = 9;
/// Pans, zooms and a light ramp stay well under this; a hard cut does not.
const CUT_THRESHOLD: f32 = 28.0;
/// Every n-th pixel of every n-th row is averaged: plenty for a 16x9 grid.
const STRIDE: usize = 4;
/// Y runs over 16-235 (limited range); the threshold is in full-range steps.
const FULL_RANGE: f32 = 255.0 / 219.0;

/// A frame's brightness grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Thumb(Vec<f32>);

impl Thumb {
    pub fn of(frame: &Yuv) -> Thumb {
        let (w, h) = frame.dimensions();
        let (w, h) = (w as usize, h as usize);
        let luma = frame.luma();
        let mut sum = vec![0u32; GRID_W * GRID_H];
        let mut count = vec![0u32; GRID_W * GRID_H];
        for y in (0..h).step_by(STRIDE) {
            let gy = (y * GRID_H) / h;
            let row = &luma[y * w..(y + 1) * w];
            for x in (0..w).step_by(STRIDE) {
                let cell = gy * GRID_W + (x * GRID_W) / w;
                sum[cell] += u32::from(row[x]);
                count[cell] += 1;
            }
        }
        Thumb(
            sum.iter()
                .zip(&count)
                .map(|(s, c)| {
                    if *c == 0 {
                        0.0
                    } else {
                        *s as f32 / *c as f32 * FULL_RANGE
                    }
                })
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
    use image::{Rgb, RgbImage};

    fn gradient(shift: u32, w: u32) -> Yuv {
        Yuv::from_rgb(&RgbImage::from_fn(w, 90, |x, y| {
            Rgb([((x + shift) % 256) as u8, (y * 2) as u8, 100])
        }))
    }

    #[test]
    fn a_small_pan_is_not_a_cut() {
        let a = Thumb::of(&gradient(0, 256));
        assert!(!Thumb::of(&gradient(6, 256)).is_cut_after(&a));
    }

    #[test]
    fn a_different_picture_is_a_cut() {
        let a = Thumb::of(&gradient(0, 256));
        let b = Thumb::of(&Yuv::from_rgb(&RgbImage::from_pixel(
            256,
            90,
            Rgb([250, 250, 250]),
        )));
        assert!(b.is_cut_after(&a));
    }
}
