//! Embeds rustface's SeetaFace model in the binary without committing a copy:
//! finds the rustface crate's own `model/seeta_fd_frontal_v1.0.bin` in the
//! Cargo source tree and copies it into OUT_DIR for `include_bytes!`. Also
//! exports the path of the crate's `test.png` (a group photo) for the golden
//! tests. Nothing is downloaded: the crate is already there because we depend
//! on it.
//!
//! When `models/centerface.onnx` (what scripts/fetch-model writes) is there
//! at build time, it is embedded too, so the binary finds its model from any
//! folder it is started in (see src/model.rs).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const CRATE_DIR: &str = "rustface-0.1.7";
const MODEL: &str = "model/seeta_fd_frontal_v1.0.bin";

/// The CenterFace model, relative to this crate's folder.
const CENTERFACE: &str = "../../models/centerface.onnx";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    embed_centerface();
    remember_models_dir();
    let dir = find_rustface().unwrap_or_else(|| {
        panic!(
            "cannot find the rustface crate's sources ({CRATE_DIR}) to embed its model; \
             run `cargo fetch` first"
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

/// The registry source tree first (cheap, and what a normal build uses),
/// then `cargo metadata` for vendored or patched set-ups.
fn find_rustface() -> Option<PathBuf> {
    scan_registry().or_else(ask_cargo)
}

fn scan_registry() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let src = home.join("registry").join("src");
    for index in fs::read_dir(src).ok()?.flatten() {
        let candidate = index.path().join(CRATE_DIR);
        if candidate.join(MODEL).is_file() {
            return Some(candidate);
        }
    }
    None
}

fn ask_cargo() -> Option<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = env::var_os("CARGO_MANIFEST_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(&env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("Cargo.toml")
        });
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
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
