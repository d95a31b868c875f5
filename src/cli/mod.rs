//! One module per group of subcommands.

pub mod check;
pub mod doctor;
pub mod run;
pub mod store;
mod usage;
pub mod video;
pub mod vision;
pub mod webhook;
