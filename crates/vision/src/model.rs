//! Where CenterFace's weights come from. A binary started by systemd, or as
//! `photo-guard check ~/foto.jpg` from a home folder, must not depend on the
//! folder it runs in: the model is compiled in when `models/centerface.onnx`
//! was there at build time (build.rs), else looked for in a few folders the
//! caller names (beside the executable, the data folder). An explicit path
//! (`FACE_MODEL_PATH`) always wins.

use std::fmt;
use std::path::{Path, PathBuf};

/// The model's file name wherever it is looked for.
pub const FILE_NAME: &str = "centerface.onnx";

/// The CenterFace model to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CenterFaceModel {
    /// Compiled into this binary.
    Embedded,
    /// A file on disk (it may be missing: the pipeline then says so).
    File(PathBuf),
    /// Not embedded and in none of these places.
    NotFound(Vec<PathBuf>),
}

/// The model compiled in by build.rs, if it found one.
pub fn embedded() -> Option<&'static [u8]> {
    #[cfg(photo_guard_centerface)]
    {
        Some(include_bytes!(env!("PHOTO_GUARD_CENTERFACE")))
    }
    #[cfg(not(photo_guard_centerface))]
    {
        None
    }
}

impl CenterFaceModel {
    /// `explicit` if given; else the embedded model; else the first of
    /// `candidates` that is a file.
    pub fn locate(explicit: Option<PathBuf>, candidates: &[PathBuf]) -> Self {
        if let Some(path) = explicit {
            return Self::File(path);
        }
        if embedded().is_some() {
            return Self::Embedded;
        }
        match candidates.iter().find(|p| p.is_file()) {
            Some(found) => Self::File(found.clone()),
            None => Self::NotFound(candidates.to_vec()),
        }
    }

    /// The usual places, in order: beside the executable (and its `models/`),
    /// the data folder, then `models/` under the working folder (a checkout).
    pub fn candidates(exe_dir: Option<&Path>, data_dir: Option<&Path>) -> Vec<PathBuf> {
        candidates_named(FILE_NAME, exe_dir, data_dir)
    }

    /// Whether there is something to load.
    pub fn is_available(&self) -> bool {
        match self {
            Self::Embedded => embedded().is_some(),
            Self::File(path) => path.is_file(),
            Self::NotFound(_) => false,
        }
    }
}

/// Where ONNX Runtime's library is looked for: the model's places
/// (`libonnxruntime.so` beside the executable, in its `models/`, the data
/// folder, `models/` under the working folder), then the `models/` folder of
/// the checkout that built this binary; or `explicit` alone.
pub fn onnxruntime_lib_candidates(
    explicit: Option<PathBuf>,
    exe_dir: Option<&Path>,
    data_dir: Option<&Path>,
) -> Vec<PathBuf> {
    let file = crate::detect::centerface::ONNXRUNTIME_LIB_FILE_NAME;
    match explicit {
        Some(path) => vec![path],
        None => {
            let mut out = candidates_named(file, exe_dir, data_dir);
            out.push(Path::new(env!("PHOTO_GUARD_BUILD_MODELS")).join(file));
            out
        }
    }
}

fn candidates_named(file: &str, exe_dir: Option<&Path>, data_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = exe_dir {
        out.push(dir.join(file));
        out.push(dir.join("models").join(file));
    }
    if let Some(dir) = data_dir {
        out.push(dir.join(file));
    }
    out.push(Path::new("models").join(file));
    out
}

impl Default for CenterFaceModel {
    fn default() -> Self {
        Self::locate(None, &Self::candidates(None, None))
    }
}

impl fmt::Display for CenterFaceModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Embedded => f.write_str("embedded in the binary"),
            Self::File(path) => write!(f, "{}", path.display()),
            Self::NotFound(places) => {
                let places: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
                write!(f, "not embedded, not found in {}", places.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_path_wins_even_when_missing() {
        let path = PathBuf::from("/no/such/centerface.onnx");
        let found = CenterFaceModel::locate(Some(path.clone()), &[]);
        assert_eq!(found, CenterFaceModel::File(path));
        assert!(!found.is_available());
    }

    #[test]
    fn without_an_embedded_model_the_first_existing_candidate_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let (missing, present) = (dir.path().join("a.onnx"), dir.path().join("b.onnx"));
        std::fs::write(&present, b"model").unwrap();
        let found = CenterFaceModel::locate(None, &[missing.clone(), present.clone()]);
        match embedded() {
            Some(_) => assert_eq!(found, CenterFaceModel::Embedded),
            None => assert_eq!(found, CenterFaceModel::File(present)),
        }
        if embedded().is_none() {
            let none = CenterFaceModel::locate(None, std::slice::from_ref(&missing));
            assert_eq!(none, CenterFaceModel::NotFound(vec![missing]));
        }
    }

    #[test]
    fn candidates_look_beside_the_executable_then_in_the_data_folder() {
        let places =
            CenterFaceModel::candidates(Some(Path::new("/opt/pg")), Some(Path::new("/var/lib/pg")));
        assert_eq!(
            places,
            [
                PathBuf::from("/opt/pg/centerface.onnx"),
                PathBuf::from("/opt/pg/models/centerface.onnx"),
                PathBuf::from("/var/lib/pg/centerface.onnx"),
                PathBuf::from("models/centerface.onnx"),
            ]
        );
    }

    // A release binary started from another folder ran on tract: the library
    // fetch-model wrote into the building checkout was not among the places.
    #[test]
    fn onnxruntime_is_looked_for_last_in_the_building_checkouts_models_folder() {
        let places = onnxruntime_lib_candidates(None, Some(Path::new("/opt/pg")), None);
        let last = places.last().expect("some places");
        assert!(last.ends_with("models/libonnxruntime.so"), "{last:?}");
        assert!(last.is_absolute(), "{last:?}");
        assert_eq!(places[0], PathBuf::from("/opt/pg/libonnxruntime.so"));
        let explicit = PathBuf::from("/x/libonnxruntime.so");
        assert_eq!(
            onnxruntime_lib_candidates(Some(explicit.clone()), None, None),
            [explicit]
        );
    }
}
