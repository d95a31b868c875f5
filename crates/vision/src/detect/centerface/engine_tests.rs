//! The two engines against each other on real photos, the graph rewrite
//! ONNX Runtime needs, and the fallback when its library is missing. These
//! need `models/centerface.onnx` and `models/libonnxruntime.so`: run
//! scripts/fetch-model first (the README's test command does).

use std::path::{Path, PathBuf};

use image::RgbImage;
use tract_onnx::prelude::Tensor;

use super::engine::{Engine, EngineChoice, EngineSettings, Lane};
use super::graph::{input_count, input_dims, symbolic_dims};
use super::onnxruntime::OnnxRuntime;
use super::{CenterFace, CenterFaceOptions};
use crate::detect::geometry::plausible;
use crate::detect::{Detection, FaceDetector};
use crate::model::CenterFaceModel;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn model_path() -> PathBuf {
    let path = repo("models/centerface.onnx");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-model first",
        path.display()
    );
    path
}

fn onnxruntime_lib() -> PathBuf {
    let path = repo("models/libonnxruntime.so");
    assert!(
        path.is_file(),
        "ONNX Runtime's library is missing at {}: run scripts/fetch-model first \
         (it takes libonnxruntime.so from the pinned onnxruntime wheel)",
        path.display()
    );
    path
}

fn detector(choice: EngineChoice, lib: PathBuf) -> CenterFace {
    let engine = EngineSettings {
        choice,
        onnxruntime_lib: vec![lib],
    };
    let model = CenterFaceModel::File(model_path());
    CenterFace::load_with(&model, CenterFaceOptions::default(), &engine).expect("CenterFace loads")
}

fn zeros(shape: &[usize]) -> Tensor {
    Tensor::zero::<f32>(shape).unwrap()
}

// Issue 20: weights listed as graph inputs kept ONNX Runtime from fusing batch norms (2.5x slower).
#[test]
fn the_graph_rewrite_leaves_the_image_as_the_only_graph_input() {
    let model = std::fs::read(model_path()).unwrap();
    assert!(
        input_count(&model).unwrap() > 1,
        "the model as fetched lists its weights"
    );
    let patched = symbolic_dims(&model).unwrap();
    assert_eq!(input_count(&patched).unwrap(), 1);
    assert_eq!(
        input_dims(&patched).unwrap()[1],
        Ok(3),
        "the one input is the image"
    );
}

// Issue 20: ONNX Runtime refuses the stored 10x3x32x32 input; the rewrite makes batch, height and width symbolic.
#[test]
fn the_graph_rewrite_makes_batch_height_and_width_symbolic_and_onnxruntime_runs_two_sizes() {
    let model = std::fs::read(model_path()).unwrap();
    let before = input_dims(&model).unwrap();
    assert_eq!(
        before,
        [Ok(10), Ok(3), Ok(32), Ok(32)],
        "the model as fetched"
    );
    let patched = symbolic_dims(&model).unwrap();
    let after = input_dims(&patched).unwrap();
    assert!(
        after[0].is_err() && after[2].is_err() && after[3].is_err(),
        "{after:?}"
    );
    assert_eq!(after[1], Ok(3));

    let engine = OnnxRuntime::load(&[onnxruntime_lib()], &model).expect("ONNX Runtime loads");
    for (shape, maps) in [
        ([1, 3, 64, 96], [1, 16, 24]),
        ([3, 3, 128, 160], [3, 32, 40]),
    ] {
        let outputs = engine
            .run(zeros(&shape), Lane::Whole)
            .expect("runs at this size");
        assert_eq!(outputs.len(), 4, "heat map, scale, offset, landmarks");
        let heat = outputs[0].shape();
        assert_eq!([heat[0], heat[2], heat[3]], maps, "input {shape:?}");
    }
}

// Issue 20: without the rewrite ONNX Runtime refuses sizes other than the stored one (why the rewrite exists).
#[test]
fn onnxruntime_refuses_other_sizes_on_the_graph_as_stored() {
    let model = std::fs::read(model_path()).unwrap();
    let env = super::onnxruntime::environment(&onnxruntime_lib()).expect("ONNX Runtime loads");
    let mut raw = super::onnxruntime::session(&env, &model).expect("a session on the raw graph");
    let input =
        ort::value::Tensor::from_array((vec![1i64, 3, 64, 96], vec![0f32; 3 * 64 * 96])).unwrap();
    assert!(raw.run(ort::inputs![input]).is_err());
}

fn same_faces(what: &str, a: &[Detection], b: &[Detection]) {
    assert_eq!(a.len(), b.len(), "{what}: onnxruntime {a:?}\ntract {b:?}");
    for d in a {
        let best = b
            .iter()
            .max_by(|x, y| x.iou(d).total_cmp(&y.iou(d)))
            .expect("as many boxes");
        assert!(best.iou(d) >= 0.9, "{what}: {d:?} best match {best:?}");
        assert!(
            (best.score - d.score).abs() <= 0.02,
            "{what}: {d:?} against {best:?}"
        );
    }
}

fn photos() -> Vec<(String, RgbImage)> {
    let mut out = vec![(
        "rustface test.png".to_owned(),
        image::open(crate::RUSTFACE_TEST_PNG).unwrap().to_rgb8(),
    )];
    let eval = repo("../shared/eval/faces/images");
    if let Ok(dir) = std::fs::read_dir(&eval) {
        let mut files: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            if let Ok(img) = image::open(&file) {
                out.push((file.display().to_string(), img.to_rgb8()));
            }
        }
    }
    out
}

// Issue 20: ONNX Runtime (batched close looks) and tract (one window per core) find the same boxes.
#[test]
fn onnxruntime_and_tract_find_the_same_faces() {
    let ort = detector(EngineChoice::OnnxRuntime, onnxruntime_lib());
    assert!(ort.engine().starts_with("onnxruntime"), "{}", ort.engine());
    let tract = detector(EngineChoice::Tract, onnxruntime_lib());
    assert_eq!(tract.engine(), "tract");
    let photos = photos();
    for (name, image) in &photos {
        let a = ort.detect(image).unwrap();
        let b = tract.detect(image).unwrap();
        same_faces(name, &a, &b);
    }
    let faces = ort.detect(&photos[0].1).unwrap();
    assert!(
        faces.len() >= 20,
        "the group photo's faces: {}",
        faces.len()
    );
}

// Issue 20: auto without the library runs on tract and says why and how to fetch it; onnxruntime refuses.
#[test]
fn a_missing_onnxruntime_library_falls_back_to_tract_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("libonnxruntime.so");
    let auto = detector(EngineChoice::Auto, missing.clone());
    assert_eq!(auto.engine(), "tract");
    let why = auto.fallback().expect("the fallback is reported");
    assert!(why.contains(&missing.display().to_string()), "{why}");
    assert!(why.contains("scripts/fetch-model"), "{why}");
    let image = image::open(crate::RUSTFACE_TEST_PNG).unwrap().to_rgb8();
    assert!(
        !auto.detect(&image).unwrap().is_empty(),
        "tract still finds faces"
    );

    let engine = EngineSettings {
        choice: EngineChoice::OnnxRuntime,
        onnxruntime_lib: vec![missing],
    };
    let model = CenterFaceModel::File(model_path());
    let refused = CenterFace::load_with(&model, CenterFaceOptions::default(), &engine);
    assert!(
        refused.is_err(),
        "FACE_ENGINE=onnxruntime without the library must not start"
    );
}

// Issue 20: the landmark check must never drop a face the model is sure of.
#[test]
fn every_face_the_model_is_sure_of_on_the_group_photo_has_face_like_landmarks() {
    let cf = detector(EngineChoice::OnnxRuntime, onnxruntime_lib());
    let image = image::open(crate::RUSTFACE_TEST_PNG).unwrap().to_rgb8();
    let (width, height) = image.dimensions();
    let sure = cf
        .run(&image, cf.input_size(width, height), Lane::Whole, 0.5)
        .unwrap();
    assert!(sure.len() >= 20, "only {} sure faces", sure.len());
    assert!(sure.iter().all(|d| d.landmarks.is_some()));
    let odd: Vec<&Detection> = sure.iter().filter(|d| !plausible(d)).collect();
    assert!(odd.is_empty(), "{odd:?}");
}
