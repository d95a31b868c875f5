//! One clip through the whole chain, concurrently: a reader thread takes
//! frames from the decoder, this thread detects and masks, a writer thread
//! feeds the encoder. Channels of two frames tie them, so at most a handful
//! of frames (plus the sampler's gap) are in memory whatever the clip's
//! length. A watchdog kills both ffmpeg children at the deadline; on any
//! failure both are killed and the partial output is removed.

use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use photo_guard_core::vision::Face;
use photo_guard_vision::Pipeline;

use crate::decode::{self, DecodeError, FrameFormat, Frames};
use crate::encode::{self, EncodeError, Sink};
use crate::look::detect_scaled;
use crate::mask::{paint, Paint};
use crate::probe::{probe, VideoInfo};
use crate::process::{ProcessError, Watchdog};
use crate::sampler::Sampler;
use crate::yuv::Yuv;
use crate::{VideoError, VideoReport, VideoSettings};

/// Frames in flight between two stages.
const CHANNEL: usize = 2;

/// The reader thread: frames in order, then how long it waited on ffmpeg.
fn reader(frames: Frames, tx: SyncSender<Yuv>) -> JoinHandle<(Duration, Option<DecodeError>)> {
    std::thread::spawn(move || {
        let mut busy = Duration::ZERO;
        let mut frames = frames;
        loop {
            let start = Instant::now();
            let next = frames.next();
            busy += start.elapsed();
            match next {
                None => return (busy, None),
                Some(Err(e)) => return (busy, Some(e)),
                Some(Ok(f)) => {
                    if tx.send(f).is_err() {
                        return (busy, None); // the main thread stopped
                    }
                }
            }
        }
    })
}

/// What the writer thread reports: time painting, time writing, an error.
type Written = (Duration, Duration, Option<EncodeError>);

/// The writer thread: paints each frame's boxes (on the second core, while
/// this thread detects) and writes it, until the channel closes.
fn writer(mut sink: Sink, rx: Receiver<(Yuv, Vec<Face>)>, how: Paint) -> JoinHandle<Written> {
    std::thread::spawn(move || {
        let (mut painting, mut busy) = (Duration::ZERO, Duration::ZERO);
        for (frame, boxes) in rx {
            let start = Instant::now();
            let painted = paint(frame, &boxes, how);
            painting += start.elapsed();
            let start = Instant::now();
            let written = sink.write(&painted);
            busy += start.elapsed();
            if let Err(e) = written {
                return (painting, busy, Some(e));
            }
        }
        (painting, busy, None) // dropping the sink closes the encoder's input
    })
}

/// Probes, then runs the chain; see [`crate::anonymise_video`].
pub fn anonymise(
    input: &Path,
    output: &Path,
    pipeline: &Pipeline,
    settings: &VideoSettings,
) -> Result<VideoReport, VideoError> {
    let started = Instant::now();
    let info = probe(input, &settings.limits)?;
    let (width, height) = decode::working_size(info.displayed(), settings.work_pixels);
    let format = FrameFormat {
        width,
        height,
        fps: info.fps,
    };
    let result = chain(input, output, pipeline, settings, &info, &format, started);
    if result.is_err() {
        let _ = std::fs::remove_file(output);
    }
    result
}

fn chain(
    input: &Path,
    output: &Path,
    pipeline: &Pipeline,
    settings: &VideoSettings,
    info: &VideoInfo,
    format: &FrameFormat,
    started: Instant,
) -> Result<VideoReport, VideoError> {
    let until = started + settings.deadline;
    let (dec, frames) = decode::start(input, format)?;
    let (enc, sink) = match encode::start(format, input, &settings.encode, output) {
        Ok(e) => e,
        Err(e) => {
            dec.kill();
            return Err(e.into());
        }
    };
    let watchdog = Watchdog::start(
        until.saturating_duration_since(Instant::now()),
        vec![dec.child.clone(), enc.child.clone()],
    );
    let (frames_tx, frames_rx) = sync_channel(CHANNEL);
    let (out_tx, out_rx) = sync_channel(CHANNEL);
    let read = reader(frames, frames_tx);
    let how = Paint {
        margin: pipeline.settings().mask_margin,
        style: pipeline.settings().style,
    };
    let write = writer(sink, out_rx, how);

    // Frames beyond what the probed duration allows mean a lying header.
    let max_frames = (info.seconds * info.fps * 1.2 + 2.0 * info.fps).ceil() as u64;
    let step = (info.fps / settings.samples_per_second).ceil().max(1.0) as u64;
    let mut detect_time = Duration::ZERO;
    let mut masks: Vec<Vec<Face>> = Vec::new();
    let mut frames = 0u64;
    let main = {
        let detect = |f: &Yuv| -> Result<Vec<Face>, VideoError> {
            let t = Instant::now();
            // Only the sampled frames are seen in RGB.
            let found = detect_scaled(&f.to_rgb(), settings.detect_pixels, |small| {
                pipeline.detect(small).map(|(faces, _)| faces)
            });
            detect_time += t.elapsed();
            found.map_err(|e| VideoError::Detect(e.to_string()))
        };
        let emit = |f: Yuv, boxes: Vec<Face>| -> Result<(), VideoError> {
            if settings.keep_masks {
                masks.push(boxes.clone());
            }
            out_tx.send((f, boxes)).map_err(|_| VideoError::Stopped)
        };
        let mut sampler = Sampler::new(
            step,
            (format.width, format.height),
            settings.motion,
            detect,
            emit,
        );
        let mut pushed = Ok(());
        for frame in frames_rx.iter() {
            frames += 1;
            if frames > max_frames {
                pushed = Err(VideoError::TooManyFrames(max_frames));
                break;
            }
            pushed = sampler.push(frame);
            if pushed.is_err() {
                break;
            }
        }
        drop(frames_rx);
        pushed.and_then(|()| sampler.finish())
    };
    drop(out_tx);
    if main.is_err() {
        dec.kill();
        enc.kill();
    }
    let (decode_time, read_err) = read.join().map_err(|_| VideoError::Stopped)?;
    let (mask_time, encode_time, write_err) = write.join().map_err(|_| VideoError::Stopped)?;
    let encode_start = Instant::now();
    let expired = watchdog.stop();
    let dec_done = dec.finish(until);
    let enc_done = enc.finish(until);
    let encode_time = encode_time + encode_start.elapsed();
    if expired {
        return Err(VideoError::Deadline(settings.deadline.as_secs()));
    }
    // The first cause wins: a broken input explains a stopped encoder.
    if let Some(e) = read_err {
        return Err(e.into());
    }
    dec_done.map_err(DecodeError::from)?;
    let samples = main?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    enc_done.map_err(|e: ProcessError| EncodeError::from(e))?;
    if frames == 0 {
        return Err(VideoError::NoFrames);
    }
    Ok(VideoReport {
        info: info.clone(),
        width: format.width,
        height: format.height,
        frames,
        faces: samples.iter().map(|s| s.1).sum(),
        samples,
        decode: decode_time,
        detect: detect_time,
        mask: mask_time,
        encode: encode_time,
        total: started.elapsed(),
        masks: settings.keep_masks.then_some(masks),
    })
}
