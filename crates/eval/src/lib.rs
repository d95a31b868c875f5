//! photo-guard's measurements of the vision pipeline, for the CLI's `eval`
//! and `bench` only: a labelled folder read and scored (`eval.rs`), and the
//! rustface crate's group photo as the fallback fixture. Kept out of the
//! vision crate so the bot carries neither this code nor its `csv` reader.

pub mod eval;

pub use eval::{Dataset, EvalError, Tally};

/// Path of the rustface crate's group photo (1666x1136, about 30 faces, with
/// red boxes drawn on it), found through cargo's metadata (build.rs): the
/// golden test and bench fixture.
pub const RUSTFACE_TEST_PNG: &str = env!("RUSTFACE_TEST_PNG");
