//! A frame as it travels through the pipes: planar YUV 4:2:0 (ffmpeg's
//! `yuv420p`, BT.601 limited range), 1.5 bytes a pixel instead of RGB's 3.
//! H.264 is decoded to it and encoded from it, so neither ffmpeg converts
//! colours and the pipes carry half the bytes. Only the sampled frames are
//! turned into RGB, for the detector (`to_rgb`).

use image::RgbImage;

/// One frame: the Y plane (`width` x `height`), then U and V (each
/// `width / 2` x `height / 2`). Both sides are even (`working_size`).
#[derive(Debug, Clone, PartialEq)]
pub struct Yuv {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

/// One plane of a frame, mutable, with its size.
pub struct PlaneMut<'a> {
    pub data: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

/// The bytes of a `width` x `height` frame (both even).
pub fn frame_bytes(width: u32, height: u32) -> usize {
    let luma = width as usize * height as usize;
    luma + luma / 2
}

impl Yuv {
    /// The frame from its raw bytes; None unless they are exactly one frame.
    pub fn from_raw(width: u32, height: u32, data: Vec<u8>) -> Option<Yuv> {
        let even = width.is_multiple_of(2) && height.is_multiple_of(2);
        (even && data.len() == frame_bytes(width, height)).then_some(Yuv {
            width,
            height,
            data,
        })
    }

    pub fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The raw bytes, as ffmpeg's `rawvideo` `yuv420p` reads them.
    pub fn as_raw(&self) -> &[u8] {
        &self.data
    }

    fn luma_len(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The Y plane, `width` bytes a row.
    pub fn luma(&self) -> &[u8] {
        &self.data[..self.luma_len()]
    }

    /// The three planes, each with its own size, to paint on.
    pub fn planes_mut(&mut self) -> [PlaneMut<'_>; 3] {
        let (w, h) = (self.width, self.height);
        let luma = self.luma_len();
        let (y, chroma) = self.data.split_at_mut(luma);
        let (u, v) = chroma.split_at_mut(luma / 4);
        let plane = |data, width, height| PlaneMut {
            data,
            width,
            height,
        };
        [
            plane(y, w, h),
            plane(u, w / 2, h / 2),
            plane(v, w / 2, h / 2),
        ]
    }

    /// The frame in RGB, for the detector (BT.601 limited range, integer
    /// arithmetic, each chroma sample shared by its 2x2 pixels).
    pub fn to_rgb(&self) -> RgbImage {
        let (w, h) = (self.width as usize, self.height as usize);
        let luma = self.luma_len();
        let (y_plane, chroma) = self.data.split_at(luma);
        let (u_plane, v_plane) = chroma.split_at(luma / 4);
        let mut out = vec![0u8; luma * 3];
        for (row, line) in out.chunks_exact_mut(w * 3).enumerate() {
            let ys = &y_plane[row * w..(row + 1) * w];
            let c = (row / 2) * (w / 2);
            let (us, vs) = (&u_plane[c..c + w / 2], &v_plane[c..c + w / 2]);
            let (pixels, _) = line.as_chunks_mut::<3>();
            for (x, px) in pixels.iter_mut().enumerate() {
                *px = rgb_of(ys[x], us[x / 2], vs[x / 2]);
            }
        }
        RgbImage::from_raw(w as u32, h as u32, out).expect("one RGB frame")
    }

    /// An RGB image in YUV 4:2:0 (each chroma sample the mean of its 2x2
    /// pixels); the inverse of `to_rgb` up to rounding and chroma detail.
    pub fn from_rgb(image: &RgbImage) -> Yuv {
        let (w, h) = (image.width() / 2 * 2, image.height() / 2 * 2);
        let mut data = vec![0u8; frame_bytes(w, h)];
        let luma = (w * h) as usize;
        let (y_plane, chroma) = data.split_at_mut(luma);
        let (u_plane, v_plane) = chroma.split_at_mut(luma / 4);
        for y in 0..h {
            for x in 0..w {
                y_plane[(y * w + x) as usize] = luma_of(image.get_pixel(x, y).0);
            }
        }
        for cy in 0..h / 2 {
            for cx in 0..w / 2 {
                let mut sum = [0i32; 3];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = image.get_pixel(cx * 2 + dx, cy * 2 + dy).0;
                    for k in 0..3 {
                        sum[k] += i32::from(p[k]);
                    }
                }
                let [r, g, b] = sum.map(|s| (s + 2) / 4);
                let i = (cy * (w / 2) + cx) as usize;
                u_plane[i] = clamp(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
                v_plane[i] = clamp(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
            }
        }
        Yuv {
            width: w,
            height: h,
            data,
        }
    }
}

fn clamp(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

fn luma_of([r, g, b]: [u8; 3]) -> u8 {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    clamp(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16)
}

fn rgb_of(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 298 * (i32::from(y) - 16);
    let (d, e) = (i32::from(u) - 128, i32::from(v) - 128);
    [
        clamp((c + 409 * e + 128) >> 8),
        clamp((c - 100 * d - 208 * e + 128) >> 8),
        clamp((c + 516 * d + 128) >> 8),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn a_frame_goes_to_rgb_and_back_within_rounding() {
        // Issue 19: the detector must see the colours ffmpeg decoded.
        let img = RgbImage::from_fn(8, 4, |x, y| {
            let v = (x * 30 + y * 10) as u8;
            Rgb([v, 255 - v, 128])
        });
        // Flat 2x2 blocks, so chroma subsampling loses nothing.
        let flat = RgbImage::from_fn(8, 4, |x, y| *img.get_pixel(x / 2 * 2, y / 2 * 2));
        let back = Yuv::from_rgb(&flat).to_rgb();
        for (a, b) in flat.pixels().zip(back.pixels()) {
            for k in 0..3 {
                assert!(a.0[k].abs_diff(b.0[k]) <= 3, "{a:?} -> {b:?}");
            }
        }
    }

    #[test]
    fn only_whole_frames_of_even_size_are_accepted() {
        assert!(Yuv::from_raw(4, 2, vec![0; 12]).is_some());
        assert!(Yuv::from_raw(4, 2, vec![0; 11]).is_none());
        assert!(Yuv::from_raw(3, 2, vec![0; 9]).is_none());
    }
}
