//! CenterFace on ONNX Runtime, loaded at run time from the
//! `libonnxruntime.so` that scripts/fetch-model takes from the onnxruntime
//! wheel (the `ort` crate without its download feature: nothing is fetched
//! at build or run time). The graph's fixed input dims are made symbolic
//! first (`graph.rs`), so one session runs every input size and any batch.
//!
//! Threads: one session whose intra-op pool has a thread per core and never
//! spins (a spinning pool burns the core the next photo's decode needs), no
//! inter-op pool. Inputs run one at a time on it (the session's lock): a
//! batch of windows is one call on both cores instead of two calls side by
//! side competing for them.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use tract_onnx::prelude::Tensor;

use super::engine::{run_error, Engine, Lane};
use super::graph::symbolic_dims;
use crate::detect::{guarded, DetectError};

/// ONNX Runtime's library file name where it is looked for.
pub const LIB_FILE_NAME: &str = "libonnxruntime.so";

pub struct OnnxRuntime {
    session: Mutex<Session>,
    lib: PathBuf,
}

/// ONNX Runtime allows one environment per process, ever: made once, by
/// the first library that loads.
static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

impl OnnxRuntime {
    /// Loads the first library of `places` that is a file and makes a
    /// session for `model`; the error says what is missing.
    pub fn load(places: &[PathBuf], model: &[u8]) -> Result<Self, String> {
        let lib = places.iter().find(|p| p.is_file()).ok_or_else(|| {
            let tried: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
            format!("{LIB_FILE_NAME} not found in {}", tried.join(", "))
        })?;
        let environment = environment(lib)?;
        let graph = symbolic_dims(model).map_err(|e| e.to_string())?;
        let session =
            session(&environment, &graph).map_err(|e| format!("{}: {e}", lib.display()))?;
        Ok(Self {
            session: Mutex::new(session),
            lib: lib.clone(),
        })
    }
}

pub(super) fn environment(lib: &Path) -> Result<Environment, String> {
    ENVIRONMENT
        .get_or_init(|| {
            guarded(super::NAME, || {
                let failed =
                    |e: &dyn std::fmt::Display| run_error(format!("{}: {e}", lib.display()));
                let builder = ort::init_from(lib).map_err(|e| failed(&e))?;
                builder
                    .with_name("photo-guard")
                    .build()
                    .map_err(|e| failed(&e))
            })
            .map_err(|e| e.to_string())
        })
        .clone()
}

pub(super) fn session(environment: &Environment, graph: &[u8]) -> ort::Result<Session> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    Session::builder(environment)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads)?
        .with_inter_threads(1)?
        .with_parallel_execution(false)?
        .with_intra_op_spinning(false)?
        .with_inter_op_spinning(false)?
        // Input sizes vary photo to photo: a memory plan for one size is
        // wasted on the next.
        .with_memory_pattern(false)?
        .commit_from_memory(graph)
}

impl Engine for OnnxRuntime {
    fn describe(&self) -> String {
        format!("onnxruntime ({})", self.lib.display())
    }

    fn batches(&self) -> bool {
        true
    }

    fn run(&self, batch: Tensor, _lane: Lane) -> Result<Vec<Tensor>, DetectError> {
        let shape: Vec<i64> = batch.shape().iter().map(|&d| d as i64).collect();
        let (data, _) = batch
            .into_plain_array::<f32>()
            .map_err(run_error)?
            .into_raw_vec_and_offset();
        let input = ort::value::Tensor::from_array((shape, data)).map_err(run_error)?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = session.run(ort::inputs![input]).map_err(run_error)?;
        let mut maps = Vec::with_capacity(outputs.len());
        for (_, value) in outputs.iter() {
            let (shape, data) = value.try_extract_tensor::<f32>().map_err(run_error)?;
            let dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
            maps.push(Tensor::from_shape(&dims, data).map_err(run_error)?);
        }
        Ok(maps)
    }
}
