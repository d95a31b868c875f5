//! The vision pipeline as the core sees it: bytes in, faces and an
//! anonymised JPEG out (core's `Vision` seam). Also what the CLI's `eval`
//! and `bench` drive, so it exposes per-stage timings and what each detector
//! found on its own.

use std::time::{Duration, Instant};

use image::RgbImage;
use photo_guard_core::vision::{Examined, Face, Vision, VisionError};
use thiserror::Error;

use crate::anonymise::anonymise;
use crate::decode::{decode, DecodeLimits};
use crate::detect::centerface::CenterFaceOptions;
use crate::detect::{CenterFace, DetectError, Detection, FaceDetector, Rustface};
use crate::encode::encode_jpeg;
use crate::merge::merge;
use crate::settings::{DetectorKind, Style, VisionSettings};

/// Boxes of different detectors overlapping this much are one face.
const MERGE_IOU: f32 = 0.3;

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Detector(#[from] DetectError),
    #[error("no face detector configured")]
    NoDetector,
}

pub struct Pipeline {
    settings: VisionSettings,
    detectors: Vec<Box<dyn FaceDetector>>,
    degraded: Option<String>,
    /// CenterFace's engine, and why it is not ONNX Runtime when `auto`
    /// wanted it.
    engine: Option<(String, Option<String>)>,
}

/// What one detector found, in upright image pixels, and how long it took.
#[derive(Debug, Clone)]
pub struct DetectorRun {
    pub name: &'static str,
    pub faces: Vec<Face>,
    pub elapsed: Duration,
}

/// A photo examined, with everything eval and bench want to look at.
pub struct Analysis {
    pub image: RgbImage,
    /// The merged faces: what gets hidden.
    pub faces: Vec<Face>,
    pub runs: Vec<DetectorRun>,
    pub decode: Duration,
    pub detect: Duration,
}

impl Pipeline {
    pub fn new(settings: VisionSettings) -> Result<Self, PipelineError> {
        let mut detectors: Vec<Box<dyn FaceDetector>> = Vec::new();
        let mut degraded = None;
        let mut engine = None;
        let mut kinds = settings.detectors.clone();
        if kinds.is_empty() {
            return Err(PipelineError::NoDetector);
        }
        if kinds.contains(&DetectorKind::CenterFace) && !settings.centerface_model.is_available() {
            let why = format!(
                "CenterFace model missing ({}): running on rustface alone, which misses many \
                 small, turned and darker faces (run scripts/fetch-model)",
                settings.centerface_model
            );
            tracing::warn!("DEGRADED face detection: {why}");
            degraded = Some(why);
            kinds.retain(|k| *k != DetectorKind::CenterFace);
            if !kinds.contains(&DetectorKind::Rustface) {
                kinds.push(DetectorKind::Rustface);
            }
        }
        for kind in kinds {
            detectors.push(match kind {
                DetectorKind::CenterFace => {
                    let options = CenterFaceOptions {
                        threshold: settings.threshold,
                        coarse_side: settings.coarse_side,
                        min_side: settings.min_input_side,
                        fine_scale: settings.fine_scale,
                    };
                    let centerface = CenterFace::load_with(
                        &settings.centerface_model,
                        options,
                        &settings.engine,
                    )?;
                    engine = Some((
                        centerface.engine(),
                        centerface.fallback().map(str::to_owned),
                    ));
                    Box::new(centerface)
                }
                DetectorKind::Rustface => Box::new(Rustface::new()?),
            });
        }
        Ok(Self {
            settings,
            detectors,
            degraded,
            engine,
        })
    }

    /// Why detection is weaker than configured, if it is.
    pub fn degraded(&self) -> Option<&str> {
        self.degraded.as_deref()
    }

    /// CenterFace's engine ("onnxruntime (path)" or "tract"), if it runs.
    pub fn engine(&self) -> Option<&str> {
        self.engine.as_ref().map(|(name, _)| name.as_str())
    }

    /// Why CenterFace runs on tract although ONNX Runtime was wanted
    /// (`FACE_ENGINE=auto` and the library did not load).
    pub fn engine_fallback(&self) -> Option<&str> {
        self.engine.as_ref().and_then(|(_, why)| why.as_deref())
    }

    pub fn detector_names(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    /// The detectors in use and where CenterFace's model came from, e.g.
    /// "centerface (model embedded in the binary) on onnxruntime
    /// (models/libonnxruntime.so)", for `doctor`.
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .detectors
            .iter()
            .map(|d| match d.name() {
                "centerface" => format!(
                    "centerface (model {}) on {}",
                    self.settings.centerface_model,
                    self.engine().unwrap_or("?")
                ),
                other => other.to_owned(),
            })
            .collect();
        names.join(" + ")
    }

    pub fn settings(&self) -> &VisionSettings {
        &self.settings
    }

    /// Decode only (bench's floor).
    pub fn decode(&self, bytes: &[u8]) -> Result<RgbImage, VisionError> {
        let limits = DecodeLimits {
            max_bytes: self.settings.max_bytes,
            max_pixels: self.settings.max_pixels,
        };
        Ok(decode(bytes, limits)?)
    }

    /// Runs every detector (in parallel when there are several) and merges.
    pub fn detect(&self, image: &RgbImage) -> Result<(Vec<Face>, Vec<DetectorRun>), VisionError> {
        let run = |d: &dyn FaceDetector| -> Result<(Vec<Detection>, Duration), DetectError> {
            let start = Instant::now();
            let found = d.detect(image)?;
            Ok((found, start.elapsed()))
        };
        let results: Vec<Result<(Vec<Detection>, Duration), DetectError>> =
            if self.detectors.len() == 1 {
                vec![run(self.detectors[0].as_ref())]
            } else {
                std::thread::scope(|s| {
                    let handles: Vec<_> = self
                        .detectors
                        .iter()
                        .map(|d| s.spawn(move || run(d.as_ref())))
                        .collect();
                    handles
                        .into_iter()
                        .zip(&self.detectors)
                        .map(|(h, d)| {
                            h.join().unwrap_or_else(|_| {
                                Err(DetectError::Run {
                                    detector: d.name(),
                                    reason: "panicked".into(),
                                })
                            })
                        })
                        .collect()
                })
            };
        let (width, height) = image.dimensions();
        let mut boxes = Vec::with_capacity(results.len());
        let mut runs = Vec::with_capacity(results.len());
        for (result, detector) in results.into_iter().zip(&self.detectors) {
            // Any detector failing fails the photo: the guard then blocks it.
            let (found, elapsed) = result.map_err(|e| VisionError::Detector(e.to_string()))?;
            let faces = to_faces(&found, width, height);
            runs.push(DetectorRun {
                name: detector.name(),
                faces,
                elapsed,
            });
            boxes.push(found);
        }
        Ok((to_faces(&merge(&boxes, MERGE_IOU), width, height), runs))
    }

    pub fn analyse(&self, bytes: &[u8]) -> Result<Analysis, VisionError> {
        let start = Instant::now();
        let image = self.decode(bytes)?;
        let decode = start.elapsed();
        let start = Instant::now();
        let (faces, runs) = self.detect(&image)?;
        Ok(Analysis {
            image,
            faces,
            runs,
            decode,
            detect: start.elapsed(),
        })
    }

    /// The anonymised pixels of an analysed photo, in the configured style.
    pub fn paint(&self, image: &RgbImage, faces: &[Face], style: Option<Style>) -> RgbImage {
        anonymise(
            image,
            faces,
            self.settings.mask_margin,
            style.unwrap_or(self.settings.style),
        )
    }
}

/// Detector boxes to whole pixels, rounded outwards and clipped to the image.
fn to_faces(found: &[Detection], width: u32, height: u32) -> Vec<Face> {
    found
        .iter()
        .filter_map(|d| {
            let x0 = d.x.floor().clamp(0.0, width as f32) as u32;
            let y0 = d.y.floor().clamp(0.0, height as f32) as u32;
            let x1 = (d.x + d.w).ceil().clamp(0.0, width as f32) as u32;
            let y1 = (d.y + d.h).ceil().clamp(0.0, height as f32) as u32;
            (x1 > x0 && y1 > y0).then_some(Face {
                x: x0,
                y: y0,
                w: x1 - x0,
                h: y1 - y0,
                score: d.score,
            })
        })
        .collect()
}

/// A photo examined for the guard: it keeps the decoded pixels so the blur
/// costs no second decode.
struct Photo {
    image: RgbImage,
    faces: Vec<Face>,
    margin: f32,
    style: Style,
}

impl Examined for Photo {
    fn width(&self) -> u32 {
        self.image.width()
    }
    fn height(&self) -> u32 {
        self.image.height()
    }
    fn faces(&self) -> &[Face] {
        &self.faces
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        let painted = anonymise(&self.image, &self.faces, self.margin, self.style);
        encode_jpeg(&painted).map_err(|e| VisionError::Anonymise(e.to_string()))
    }
    /// The upright pixels as they were decoded, re-encoded: no EXIF, GPS or
    /// other segment of the original survives (see encode.rs).
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        encode_jpeg(&self.image).map_err(|e| VisionError::CleanCopy(e.to_string()))
    }
}

impl Vision for Pipeline {
    fn examine(&self, bytes: &[u8]) -> Result<Box<dyn Examined>, VisionError> {
        let image = self.decode(bytes)?;
        let (faces, _) = self.detect(&image)?;
        Ok(Box::new(Photo {
            image,
            faces,
            margin: self.settings.mask_margin,
            style: self.settings.style,
        }))
    }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
