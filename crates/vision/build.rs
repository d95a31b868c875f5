//! Embeds rustface's SeetaFace model in the binary without committing a copy:
//! asks `cargo metadata` (offline) where the rustface crate this build uses
//! lives, whatever its version or source (registry, vendored, patched), and
//! copies its `model/seeta_fd_frontal_v1.0.bin` into OUT_DIR for
//! `include_bytes!`. The folder also goes to this crate's tests
//! (`RUSTFACE_TEST_PNG`, its `test.png` group photo) and, through `links`,
//! to the crates that depend on this one (`DEP_PHOTO_GUARD_VISION_RUSTFACE_DIR`,
//! read by crates/eval). Nothing is downloaded: the crate is already there
//! because we depend on it.
//!
//! When `models/centerface.onnx` (what scripts/fetch-model writes) is there
//! at build time, it is embedded too, so the binary finds its model from any
//! folder it is started in (see src/model.rs).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const MODEL: &str = "model/seeta_fd_frontal_v1.0.bin";

/// The CenterFace model, relative to this crate's folder.
const CENTERFACE: &str = "../../models/centerface.onnx";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    embed_centerface();
    remember_models_dir();
    let dir = find_rustface().unwrap_or_else(|| {
        panic!(
            "cannot find the rustface crate's sources through `cargo metadata` to embed \
             its model; run `cargo fetch` first"
        )
    });
    let model = dir.join(MODEL);
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(&model, out.join("seeta_fd_frontal_v1.0.bin"))
        .unwrap_or_else(|e| panic!("cannot copy {}: {e}", model.display()));
    println!("cargo:rerun-if-changed={}", model.display());
    println!(
        "cargo:rustc-env=RUSTFACE_TEST_PNG={}",
        dir.join("test.png").display()
    );
    println!("cargo:rustface_dir={}", dir.display());
}

/// Sets `photo_guard_centerface` and the model's path for `include_bytes!`
/// when the model exists. Watches the file when it is there, else its folder
/// (fetch-model adding the file changes the folder), so a build after
/// fetch-model embeds it.
fn embed_centerface() {
    println!("cargo::rustc-check-cfg=cfg(photo_guard_centerface)");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let model = manifest.join(CENTERFACE);
    if model.is_file() {
        println!("cargo:rerun-if-changed={}", model.display());
        println!("cargo:rustc-cfg=photo_guard_centerface");
        println!("cargo:rustc-env=PHOTO_GUARD_CENTERFACE={}", model.display());
    } else if let Some(dir) = model.parent().filter(|d| d.is_dir()) {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
}

/// The folder scripts/fetch-model writes to on the machine that built the
/// binary: the last place `libonnxruntime.so` is looked for (a shared library
/// cannot be embedded like the model), so a binary started from any folder of
/// the build machine still finds ONNX Runtime.
fn remember_models_dir() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let models = manifest.join("../../models");
    let models = models.canonicalize().unwrap_or(models);
    println!(
        "cargo:rustc-env=PHOTO_GUARD_BUILD_MODELS={}",
        models.display()
    );
}

/// The rustface package of this build, from `cargo metadata`.
fn find_rustface() -> Option<PathBuf> {
    ask_cargo()
}

fn ask_cargo() -> Option<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = env::var_os("CARGO_MANIFEST_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(&env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("Cargo.toml")
        });
    // Only this target's packages: the others' sources may never have been
    // fetched, and offline metadata would fail on them.
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &target, "--manifest-path"])
        .arg(manifest)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    meta["packages"].as_array()?.iter().find_map(|p| {
        if p["name"] == "rustface" {
            let manifest = PathBuf::from(p["manifest_path"].as_str()?);
            let dir = manifest.parent()?.to_path_buf();
            dir.join(MODEL).is_file().then_some(dir)
        } else {
            None
        }
    })
}
