//! Exports the path of the rustface crate's `test.png` (a group photo, the
//! golden and bench fixture) as `RUSTFACE_TEST_PNG`. The folder comes from
//! the vision crate's build script, which asks `cargo metadata` where
//! rustface is and passes it on through `links` (`DEP_PHOTO_GUARD_VISION_RUSTFACE_DIR`).

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=DEP_PHOTO_GUARD_VISION_RUSTFACE_DIR");
    let dir = env::var_os("DEP_PHOTO_GUARD_VISION_RUSTFACE_DIR")
        .map(PathBuf::from)
        .expect("photo-guard-vision's build script names rustface's folder");
    println!(
        "cargo:rustc-env=RUSTFACE_TEST_PNG={}",
        dir.join("test.png").display()
    );
}
