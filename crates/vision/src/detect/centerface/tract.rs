//! CenterFace on tract-onnx, pure Rust: the fallback engine when ONNX
//! Runtime's library is missing (same boxes, about 2x slower).
//!
//! tract only optimises well with concrete shapes, so each input shape gets
//! its own optimised plan, built once (about 100 ms) and cached. Inputs run
//! as batches of one: tract's kernels scale poorly on small inputs, so
//! close-look windows run side by side, each on one core (`Lane::Side`),
//! and the coarse look runs its kernels on both (`Lane::Whole`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::ThreadPool;
use tract_linalg::multithread::Executor;
use tract_onnx::prelude::*;

use super::engine::{run_error, Engine, Lane};
use super::{pool, NAME};
use crate::detect::{guarded, DetectError};

/// Plans kept at most; a chat sees a handful of photo shapes.
const MAX_PLANS: usize = 24;

type Plan = Arc<TypedRunnableModel>;
/// One slot per input shape and lane, filled once (a failed build is
/// remembered too).
type PlanSlot = Arc<OnceLock<Result<Plan, String>>>;

pub struct Tract {
    /// The parsed graph with symbolic input; cloned and specialised per shape.
    template: InferenceModel,
    plans: Mutex<HashMap<(usize, usize, Lane), PlanSlot>>,
    /// A private pool, so tract never waits behind other work on rayon's
    /// global pool. None on a single core.
    pool: Option<Arc<ThreadPool>>,
}

impl Tract {
    pub fn load(model: &[u8]) -> Result<Self, DetectError> {
        let template = guarded(NAME, || {
            tract_onnx::onnx()
                .model_for_read(&mut std::io::Cursor::new(model))
                .map_err(|e| DetectError::Model {
                    detector: NAME,
                    reason: e.to_string(),
                })
        })?;
        if template.output_outlets().map(|o| o.len()).unwrap_or(0) < 3 {
            return Err(DetectError::Model {
                detector: NAME,
                reason: "expected heatmap, scale and offset outputs".into(),
            });
        }
        Ok(Self {
            template,
            plans: Mutex::new(HashMap::new()),
            pool: pool(),
        })
    }

    fn plan(&self, w: usize, h: usize, lane: Lane) -> Result<Plan, DetectError> {
        let cell = {
            let mut plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
            if plans.len() >= MAX_PLANS && !plans.contains_key(&(w, h, lane)) {
                plans.clear();
            }
            plans.entry((w, h, lane)).or_default().clone()
        };
        // Built outside the map's lock: another shape need not wait 100 ms.
        cell.get_or_init(|| self.build(w, h, lane).map_err(|e| e.to_string()))
            .clone()
            .map_err(run_error)
    }

    fn build(&self, w: usize, h: usize, lane: Lane) -> TractResult<Plan> {
        let executor = match (&self.pool, lane) {
            (Some(pool), Lane::Whole) => Executor::MultiThread(pool.clone()),
            _ => Executor::SingleThread,
        };
        let options = RunOptions {
            executor: Some(executor),
            ..Default::default()
        };
        self.template
            .clone()
            .with_input_fact(0, f32::fact([1, 3, h, w]).into())?
            .into_optimized()?
            .into_runnable_with_options(&options)
    }
}

impl Engine for Tract {
    fn describe(&self) -> String {
        "tract".into()
    }

    fn batches(&self) -> bool {
        false
    }

    fn run(&self, batch: Tensor, lane: Lane) -> Result<Vec<Tensor>, DetectError> {
        let shape = batch.shape().to_vec();
        let [1, 3, h, w] = shape[..] else {
            return Err(run_error(format!(
                "tract runs batches of one, got {shape:?}"
            )));
        };
        let outputs = self
            .plan(w, h, lane)?
            .run(tvec!(batch.into()))
            .map_err(run_error)?;
        Ok(outputs.into_iter().map(|v| v.into_tensor()).collect())
    }
}
