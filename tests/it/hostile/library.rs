//! The corpus through the vision pipeline directly: refused or examined,
//! never a panic, and memory that does not grow.

use std::path::Path;
use std::sync::OnceLock;

use photo_guard_core::Vision;
use photo_guard_vision::{Pipeline, VisionSettings};

use super::corpus::*;
use super::SERIAL;

pub(super) fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/centerface.onnx");
        assert!(
            model.is_file(),
            "{} is missing: run scripts/fetch-model",
            model.display()
        );
        let settings = VisionSettings {
            centerface_model: photo_guard_vision::CenterFaceModel::File(model),
            ..Default::default()
        };
        let pipeline = Pipeline::new(settings).expect("the pipeline loads");
        assert!(
            pipeline.degraded().is_none(),
            "CenterFace must be loaded for these tests"
        );
        pipeline
    })
}

/// What the guard should do with these bytes, from the pipeline's own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Block,
    Allow,
    Blur,
}

pub(super) fn library_outcome(bytes: &[u8]) -> Outcome {
    match pipeline().examine(bytes) {
        Err(_) => Outcome::Block,
        Ok(e) if e.faces().is_empty() => Outcome::Allow,
        Ok(_) => Outcome::Blur,
    }
}

pub(super) fn expected_outcome(case: &Case) -> Outcome {
    match case.expect {
        Expect::Blocked => Outcome::Block,
        Expect::Allowed => Outcome::Allow,
        Expect::AsDecoded => library_outcome(&case.bytes),
    }
}

pub(super) fn vm_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

// ------------------------------------------------------- library-level tests

#[test]
fn hostile_corpus_at_the_library_level_is_refused_or_examined_without_panic() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut failures = Vec::new();
    let mut cases = corpus();
    cases.push(Case::new(
        "25 MB JPEG-headed file",
        twenty_five_mb(),
        JPG,
        Expect::Blocked,
    ));
    for case in &cases {
        let started = std::time::Instant::now();
        let result = pipeline().examine(&case.bytes);
        let took = started.elapsed();
        let got = match &result {
            Err(e) => format!("Err({e})"),
            Ok(e) => format!(
                "Ok({}x{}, {} faces)",
                e.width(),
                e.height(),
                e.faces().len()
            ),
        };
        eprintln!("hostile corpus: {:<48} {got} in {took:?}", case.name);
        if case.name.starts_with("animated") {
            // Why decode refuses these itself: the image crate hands back the first frame.
            let alone = image::load_from_memory(&case.bytes).map(|i| (i.width(), i.height()));
            eprintln!(
                "hostile corpus: {:<48} the image crate alone: {alone:?}",
                case.name
            );
        }
        let ok = match case.expect {
            Expect::Blocked => result.is_err(),
            Expect::Allowed => result.as_ref().is_ok_and(|e| e.faces().is_empty()),
            Expect::AsDecoded => true,
        };
        if !ok {
            failures.push(format!(
                "{}: expected {:?}, got {got}",
                case.name, case.expect
            ));
        }
        // Not a timing test: a generous bound that only a hang or a bomb breaks.
        if took > std::time::Duration::from_secs(30) {
            failures.push(format!("{}: took {took:?}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "library-level hostile corpus:\n{}",
        failures.join("\n")
    );
}

#[test]
fn refusing_bombs_and_broken_files_fifty_times_does_not_grow_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let bad: Vec<Vec<u8>> = corpus()
        .into_iter()
        .filter(|c| c.expect == Expect::Blocked)
        .map(|c| c.bytes)
        .collect();
    assert!(bad.len() >= 15);
    // Warm up: the model, the allocator's arenas, rayon's threads.
    for bytes in &bad {
        let _ = pipeline().examine(bytes);
    }
    let before = vm_rss_kb();
    for _ in 0..50 {
        for bytes in &bad {
            assert!(pipeline().examine(bytes).is_err());
        }
    }
    let after = vm_rss_kb();
    let grown_mb = after.saturating_sub(before) / 1024;
    eprintln!(
        "RSS before {} MB, after {} MB ({} refusals)",
        before / 1024,
        after / 1024,
        50 * bad.len()
    );
    assert!(
        grown_mb <= 100,
        "RSS grew by {grown_mb} MB over 50 rounds of hostile files"
    );
}
