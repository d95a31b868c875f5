//! The offline vision tools: `scan`, `blur`, `eval`, `bench`.
//!
//! Bad input never panics: each unreadable file gives exit code 2 and one
//! line on stderr naming the file and the reason. Anything printed on stdout
//! is data (JSON lines, per-image lines, a fixed-format last line) so scripts
//! and CI can read it.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use photo_guard_eval::{Dataset, Tally};
use photo_guard_vision::anonymise::masks;
use photo_guard_vision::encode::encode_jpeg;
use photo_guard_vision::{Pipeline, Style, VisionSettings};

const BAD_INPUT: u8 = 2;

#[derive(clap::Args)]
pub struct ScanArgs {
    /// Images to examine (JPEG, PNG or WebP) or videos (MP4, MOV, WebM).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub struct BlurArgs {
    /// The photo or video to anonymise.
    input: PathBuf,
    /// Where to write the copy (JPEG for a photo, MP4 for a video; no metadata).
    output: PathBuf,
    /// How faces are hidden (default: BLUR_STYLE, else blur).
    #[arg(long, value_enum)]
    style: Option<StyleArg>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StyleArg {
    Blur,
    Pixelate,
    Solid,
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// A folder with labels.csv, images/ and optionally skin.csv, or a video
    /// set (videos/, videos.csv, labels.csv).
    dir: PathBuf,
}

#[derive(clap::Args)]
pub struct BenchArgs {
    /// A video clip, or a folder of photos (or with an images/ folder); default
    /// ../shared/eval/faces-hard, else the rustface crate's group photo.
    dir: Option<PathBuf>,
    /// Timed rounds per photo (after one untimed warm-up).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

fn pipeline(settings: &VisionSettings) -> anyhow::Result<Pipeline> {
    Pipeline::new(settings.clone()).context("cannot start the vision pipeline")
}

/// Says once, on stderr, that detection is weaker than configured. Printed
/// only when a photo was actually examined, so a refused file still gives
/// exactly one line.
fn warn_degraded(p: &Pipeline, warned: &mut bool) {
    if let (Some(why), false) = (p.degraded(), *warned) {
        eprintln!("photo-guard: WARNING: degraded face detection: {why}");
        *warned = true;
    }
}

fn bad(file: &Path, reason: impl std::fmt::Display) {
    eprintln!("photo-guard: {}: {reason}", file.display());
}

fn read(file: &Path) -> Result<Vec<u8>, String> {
    fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })
}

/// One line of `scan`, fields in the documented order.
#[derive(serde::Serialize)]
struct ScanLine<'a> {
    file: String,
    width: u32,
    height: u32,
    faces: &'a [photo_guard_core::vision::Face],
}

pub fn scan(args: &ScanArgs, settings: &VisionSettings) -> anyhow::Result<ExitCode> {
    let p = pipeline(settings)?;
    let (mut failed, mut warned) = (false, false);
    let mut out = std::io::stdout().lock();
    for file in &args.files {
        if super::video::is_video(file) {
            failed |= !super::video::scan(file, &p, &mut out)?;
            continue;
        }
        match read(file).and_then(|b| p.analyse(&b).map_err(|e| e.to_string())) {
            Err(reason) => {
                bad(file, reason);
                failed = true;
            }
            Ok(a) => {
                warn_degraded(&p, &mut warned);
                let line = ScanLine {
                    file: file.display().to_string(),
                    width: a.image.width(),
                    height: a.image.height(),
                    faces: &a.faces,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn blur(args: &BlurArgs, settings: &VisionSettings) -> anyhow::Result<ExitCode> {
    let p = pipeline(settings)?;
    if super::video::is_video(&args.input) {
        return super::video::blur(&args.input, &args.output, &p);
    }
    let a = match read(&args.input).and_then(|b| p.analyse(&b).map_err(|e| e.to_string())) {
        Ok(a) => a,
        Err(reason) => {
            bad(&args.input, reason);
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    warn_degraded(&p, &mut false);
    let style = args.style.map(|s| match s {
        StyleArg::Blur => Style::Blur,
        StyleArg::Pixelate => Style::Pixelate,
        StyleArg::Solid => Style::Solid,
    });
    let jpeg = encode_jpeg(&p.paint(&a.image, &a.faces, style))?;
    fs::write(&args.output, jpeg)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    println!(
        "{}: {} face(s) hidden -> {}",
        args.input.display(),
        a.faces.len(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Progress for long runs: a rewritten line on a terminal, else a line
/// every tenth photo so logs stay short.
fn progress(what: &str, done: usize, total: usize) {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r{what}: {done}/{total}");
        if done == total {
            let _ = writeln!(err);
        }
    } else if done.is_multiple_of(10) || done == total {
        let _ = writeln!(err, "{what}: {done}/{total}");
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn eval(args: &EvalArgs, settings: &VisionSettings) -> anyhow::Result<ExitCode> {
    if args.dir.join("videos.csv").is_file() {
        return super::video::eval(&args.dir, &pipeline(settings)?, settings.mask_margin);
    }
    let data = match Dataset::open(&args.dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("photo-guard: eval: {e}");
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let p = pipeline(settings)?;
    let mut warned = false;
    warn_degraded(&p, &mut warned);
    eprintln!(
        "eval: {} photo(s) in {}, detectors {}",
        data.images.len(),
        args.dir.display(),
        p.detector_names().join("+")
    );
    let mut tally = Tally::default();
    let mut times = Vec::new();
    for (i, path) in data.images.iter().enumerate() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let start = Instant::now();
        let analysed = read(path).and_then(|b| p.analyse(&b).map_err(|e| e.to_string()));
        times.push(ms(start.elapsed()));
        let (faces, runs) = match analysed {
            Ok(a) => (a.faces, a.runs),
            Err(reason) => {
                // Counted as finding nothing: a photo we cannot read protects no one.
                bad(path, &reason);
                (Vec::new(), Vec::new())
            }
        };
        let own: Vec<(&'static str, &[_])> =
            runs.iter().map(|r| (r.name, r.faces.as_slice())).collect();
        let o = tally.add(
            &data,
            &name,
            &faces,
            &masks(&faces, settings.mask_margin),
            &own,
        );
        let per: Vec<String> = runs
            .iter()
            .map(|r| format!("{}={}", r.name, r.faces.len()))
            .collect();
        println!(
            "{name}: faces={} found={} hidden={} false_positives={} detections={} [{}] ms={:.0}",
            o.faces,
            o.found,
            o.hidden,
            o.false_positives,
            faces.len(),
            per.join(" "),
            times[i]
        );
        progress("eval", i + 1, data.images.len());
    }
    for line in tally.group_lines(data.has_skin()) {
        println!("{line}");
    }
    println!("{}", tally.final_line(median(times)));
    Ok(ExitCode::SUCCESS)
}

/// The photos a bench folder holds: DIR/images/* if there is one, else DIR/*.
fn bench_photos(args: &BenchArgs) -> Result<Vec<PathBuf>, String> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            let d = PathBuf::from("../shared/eval/faces-hard");
            if !d.is_dir() {
                eprintln!(
                    "bench: {} is missing; timing the rustface crate's group photo instead",
                    d.display()
                );
                return Ok(vec![PathBuf::from(photo_guard_eval::RUSTFACE_TEST_PNG)]);
            }
            d
        }
    };
    if !dir.is_dir() {
        return Err(format!("{}: no such folder", dir.display()));
    }
    let inner = dir.join("images");
    let dir = if inner.is_dir() { inner } else { dir };
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no photos", dir.display()));
    }
    Ok(files)
}

pub fn bench(args: &BenchArgs, settings: &VisionSettings) -> anyhow::Result<ExitCode> {
    if let Some(clip) = args.dir.as_deref().filter(|d| super::video::is_video(d)) {
        return super::video::bench(clip, &pipeline(settings)?);
    }
    let files = match bench_photos(args) {
        Ok(f) => f,
        Err(reason) => {
            eprintln!("photo-guard: bench: {reason}");
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let p = pipeline(settings)?;
    warn_degraded(&p, &mut false);
    let rounds = args.rounds.max(1);
    eprintln!(
        "bench: {} photo(s), {rounds} round(s) each after a warm-up, detectors {}, {} core(s)",
        files.len(),
        p.detector_names().join("+"),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let mut stage: [Vec<f64>; 5] = Default::default();
    let mut per_detector: std::collections::BTreeMap<&'static str, Vec<f64>> = Default::default();
    let mut failed = false;
    for (i, file) in files.iter().enumerate() {
        let bytes =
            match read(file).and_then(|b| p.decode(&b).map(|_| b).map_err(|e| e.to_string())) {
                Ok(b) => b,
                Err(reason) => {
                    bad(file, reason);
                    failed = true;
                    continue;
                }
            };
        let mut runs: [Vec<f64>; 5] = Default::default();
        let mut det: std::collections::BTreeMap<&'static str, Vec<f64>> = Default::default();
        for round in 0..=rounds {
            let t = Instant::now();
            let image = p.decode(&bytes)?;
            let decode = t.elapsed();
            let t = Instant::now();
            let (faces, detector_runs) = p.detect(&image)?;
            let detect = t.elapsed();
            // As the guard does: a photo with no face is allowed as it is,
            // nothing painted or encoded.
            let (mut anonymise, mut encode) = (Duration::ZERO, Duration::ZERO);
            if !faces.is_empty() {
                let t = Instant::now();
                let painted = p.paint(&image, &faces, None);
                anonymise = t.elapsed();
                let t = Instant::now();
                std::hint::black_box(encode_jpeg(&painted)?);
                encode = t.elapsed();
            }
            if round == 0 {
                continue; // warm-up: builds CenterFace's plan for this shape
            }
            for (v, d) in runs.iter_mut().zip([
                decode,
                detect,
                anonymise,
                encode,
                decode + detect + anonymise + encode,
            ]) {
                v.push(ms(d));
            }
            for r in detector_runs {
                det.entry(r.name).or_default().push(ms(r.elapsed));
            }
        }
        let m: Vec<f64> = runs.into_iter().map(median).collect();
        let dims = image::ImageReader::open(file)
            .ok()
            .and_then(|r| r.into_dimensions().ok())
            .unwrap_or((0, 0));
        let dets: Vec<String> = det
            .iter()
            .map(|(n, v)| format!("{n}={:.1}", median(v.clone())))
            .collect();
        println!(
            "{}: {}x{} decode={:.1} detect={:.1} [{}] anonymize={:.1} encode={:.1} total={:.1} ms",
            file.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            dims.0,
            dims.1,
            m[0],
            m[1],
            dets.join(" "),
            m[2],
            m[3],
            m[4]
        );
        for (all, v) in stage.iter_mut().zip(m) {
            all.push(v);
        }
        for (n, v) in det {
            per_detector.entry(n).or_default().push(median(v));
        }
        progress("bench", i + 1, files.len());
    }
    let m: Vec<f64> = stage.iter().map(|v| median(v.clone())).collect();
    let share = |v: f64| if m[4] > 0.0 { 100.0 * v / m[4] } else { 0.0 };
    println!(
        "where the time goes (median per photo): decode {:.1} ms ({:.0}%), detect {:.1} ms ({:.0}%), anonymize {:.1} ms ({:.0}%), encode {:.1} ms ({:.0}%)",
        m[0], share(m[0]), m[1], share(m[1]), m[2], share(m[2]), m[3], share(m[3])
    );
    for (n, v) in &per_detector {
        println!(
            "detector {n}: median {:.1} ms per photo (detectors run in parallel)",
            median(v.clone())
        );
    }
    println!(
        "images={} decode_ms={:.1} detect_ms={:.1} anonymize_ms={:.1} encode_ms={:.1} total_ms={:.1} total_over_decode={:.1}",
        stage[0].len(), m[0], m[1], m[2], m[3], m[4], if m[0] > 0.0 { m[4] / m[0] } else { 0.0 }
    );
    Ok(if failed {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}
