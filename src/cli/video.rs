//! The offline vision tools on videos: `scan`, `blur`, `eval` and `bench`
//! hand a clip here when its bytes say it is one (`ftyp` at offset 4, or
//! the WebM/Matroska magic). Same output conventions as the photo tools:
//! stdout is data, a bad file is one line on stderr and exit code 2.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use photo_guard_video::{anonymise_video, encode, looks_like_video, VideoReport, VideoSettings};
use photo_guard_vision::anonymise::{coverage, masks};
use photo_guard_vision::Pipeline;

use super::usage;

const BAD_INPUT: u8 = 2;

/// Whether the file starts like a video container.
pub fn is_video(path: &Path) -> bool {
    let mut head = [0u8; 12];
    fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map(|n| looks_like_video(&head[..n]))
        .unwrap_or(false)
}

/// A scratch output next to nothing the user owns, removed after use.
fn scratch(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("photo-guard-{tag}-{}.mp4", std::process::id()))
}

fn run(input: &Path, output: &Path, p: &Pipeline, keep_masks: bool) -> Result<VideoReport, String> {
    let settings = VideoSettings {
        keep_masks,
        ..VideoSettings::default()
    };
    anonymise_video(input, output, p, &settings).map_err(|e| e.to_string())
}

#[derive(serde::Serialize)]
struct ScanLine {
    file: String,
    width: u32,
    height: u32,
    frames: u64,
    fps: f64,
    seconds: f64,
    rotation: u32,
    audio: bool,
    sampled_frames: usize,
    frames_with_faces: usize,
    faces_max: usize,
    faces_mean: f64,
}

/// `scan` on one clip: one JSON line; false when the clip was refused.
pub fn scan(file: &Path, p: &Pipeline, out: &mut impl Write) -> anyhow::Result<bool> {
    let tmp = scratch("scan");
    let result = run(file, &tmp, p, false);
    let _ = fs::remove_file(&tmp);
    let r = match result {
        Ok(r) => r,
        Err(reason) => {
            eprintln!("photo-guard: {}: {reason}", file.display());
            return Ok(false);
        }
    };
    let counts: Vec<usize> = r.samples.iter().map(|s| s.1).collect();
    let line = ScanLine {
        file: file.display().to_string(),
        width: r.width,
        height: r.height,
        frames: r.frames,
        fps: r.info.fps,
        seconds: r.info.seconds,
        rotation: r.info.rotation,
        audio: r.info.has_audio,
        sampled_frames: counts.len(),
        frames_with_faces: counts.iter().filter(|c| **c > 0).count(),
        faces_max: counts.iter().copied().max().unwrap_or(0),
        faces_mean: counts.iter().sum::<usize>() as f64 / counts.len().max(1) as f64,
    };
    writeln!(out, "{}", serde_json::to_string(&line)?)?;
    Ok(true)
}

pub fn blur(input: &Path, output: &Path, p: &Pipeline) -> anyhow::Result<ExitCode> {
    match run(input, output, p, false) {
        Err(reason) => {
            eprintln!("photo-guard: {}: {reason}", input.display());
            Ok(ExitCode::from(BAD_INPUT))
        }
        Ok(r) => {
            println!(
                "{}: {} frame(s), {} sampled, {} face(s) found on samples, hidden -> {}",
                input.display(),
                r.frames,
                r.samples.len(),
                r.faces,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn bench(input: &Path, p: &Pipeline) -> anyhow::Result<ExitCode> {
    let tmp = scratch("bench");
    let (cpu, memory) = (usage::cpu_seconds(), usage::PeakRss::start());
    let result = run(input, &tmp, p, false);
    let (cpu, peak_mb) = (usage::cpu_seconds() - cpu, memory.stop());
    let r = match result {
        Ok(r) => r,
        Err(reason) => {
            eprintln!("photo-guard: {}: {reason}", input.display());
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let (floor, floor_cpu, floor_ok) = floor(input, &tmp);
    let _ = fs::remove_file(&tmp);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let total = r.total.as_secs_f64();
    println!(
        "{}: {}x{} {} frames {:.1} s, {} sampled; decode_wait={:.0} ms detect={:.0} ms mask={:.0} ms encode_wait={:.0} ms",
        input.display(), r.width, r.height, r.frames, r.info.seconds, r.samples.len(),
        ms(r.decode), ms(r.detect), ms(r.mask), ms(r.encode)
    );
    if !floor_ok {
        eprintln!("photo-guard: bench: the ffmpeg floor run failed");
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    println!(
        "total_s={total:.2} clip_s={:.2} over_duration={:.2} floor_s={floor:.2} over_floor={:.2} cpu_s={cpu:.2} floor_cpu_s={floor_cpu:.2} cpu_over_floor={:.2} peak_mb={peak_mb:.0} own_peak_mb={:.0} cores={}",
        r.info.seconds,
        ratio(total, r.info.seconds),
        ratio(total, floor),
        ratio(cpu, floor_cpu),
        usage::own_peak_mb(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    Ok(ExitCode::SUCCESS)
}

/// The floor: ffmpeg decoding and re-encoding the clip with the same codecs
/// and settings, no change. Wall seconds, CPU seconds, and whether it ran.
fn floor(input: &Path, out: &Path) -> (f64, f64, bool) {
    let (start, cpu) = (Instant::now(), usage::cpu_seconds());
    let mut args: Vec<String> = ["-nostdin", "-v", "error", "-i"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(input.display().to_string());
    args.extend(encode::output_args(&encode::EncodeOptions::default(), out));
    let ok = Command::new("ffmpeg")
        .args(&args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    (
        start.elapsed().as_secs_f64(),
        usage::cpu_seconds() - cpu,
        ok,
    )
}

#[derive(serde::Deserialize)]
struct Label {
    video: String,
    frame: u64,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    ignore: u8,
}

#[derive(serde::Deserialize)]
struct Clip {
    video: String,
    faces: u64,
}

/// Frame numbers as ranges, e.g. "3-7,12" (each frame once); "-" if none.
fn ranges(frames: &mut Vec<u64>) -> String {
    frames.sort_unstable();
    frames.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < frames.len() {
        let start = frames[i];
        while i + 1 < frames.len() && frames[i + 1] == frames[i] + 1 {
            i += 1;
        }
        out.push(if frames[i] == start {
            start.to_string()
        } else {
            format!("{start}-{}", frames[i])
        });
        i += 1;
    }
    if out.is_empty() {
        "-".into()
    } else {
        out.join(",")
    }
}

/// `eval DIR` on a video set (videos/, labels.csv, videos.csv).
pub fn eval(dir: &Path, p: &Pipeline, margin: f32) -> anyhow::Result<ExitCode> {
    let clips: Vec<Clip> = csv::Reader::from_path(dir.join("videos.csv"))?
        .deserialize()
        .collect::<Result<_, _>>()?;
    let labels: Vec<Label> = csv::Reader::from_path(dir.join("labels.csv"))?
        .deserialize()
        .collect::<Result<_, _>>()?;
    let (mut faces, mut hidden, mut free_frames, mut free_changed) = (0u64, 0u64, 0u64, 0u64);
    let (mut audio_kept, mut location_left, mut failed) = (0usize, 0usize, 0usize);
    let tmp = scratch("eval");
    for clip in &clips {
        let input = dir.join("videos").join(&clip.video);
        let start = Instant::now();
        let r = match run(&input, &tmp, p, true) {
            Ok(r) => r,
            Err(reason) => {
                eprintln!("photo-guard: {}: {reason}", input.display());
                failed += 1;
                continue;
            }
        };
        let secs = start.elapsed().as_secs_f64();
        let frame_masks = r.masks.clone().unwrap_or_default();
        let (mut f, mut h) = (0u64, 0u64);
        let mut missed: Vec<u64> = Vec::new();
        for l in labels
            .iter()
            .filter(|l| l.video == clip.video && l.ignore == 0)
        {
            f += 1;
            let boxes = frame_masks.get(l.frame as usize).map_or(&[][..], |b| b);
            if coverage(l.x, l.y, l.w, l.h, &masks(boxes, margin)) >= 0.9 {
                h += 1;
            } else {
                missed.push(l.frame);
            }
        }
        let changed = frame_masks.iter().filter(|b| !b.is_empty()).count() as u64;
        let out = photo_guard_video::probe::probe(&tmp, &Default::default());
        let audio = out.as_ref().is_ok_and(|i| i.has_audio);
        let bytes = fs::read(&tmp).unwrap_or_default();
        let location = bytes.windows(8).any(|w| w == b"+07.5561");
        audio_kept += usize::from(audio);
        location_left += usize::from(location);
        if clip.faces == 0 {
            free_frames += r.frames;
            free_changed += changed;
        }
        faces += f;
        hidden += h;
        println!(
            "{}: frames={} sampled={} faces={f} hidden={h} frames_masked={changed} audio={audio} location_left={location} s={secs:.1} missed_frames={}",
            clip.video, r.frames, r.samples.len(), ranges(&mut missed)
        );
    }
    let _ = fs::remove_file(&tmp);
    println!(
        "videos={} failed={failed} faces={faces} hidden={hidden} hidden_rate={:.4} noface_frames={free_frames} noface_changed={free_changed} audio_kept={audio_kept} location_left={location_left}",
        clips.len(),
        if faces > 0 { hidden as f64 / faces as f64 } else { 0.0 }
    );
    Ok(if failed > 0 {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}
