//! Measuring detection against a labelled folder (`labels.csv`, `images/`,
//! optional `skin.csv`; format in ../shared/eval/README.md).
//!
//! A label is *found* when a detection overlaps it with IoU >= 0.4 (one
//! detection per label, best pairs first) and *hidden* when at least 90% of
//! its box lies under the masks the pipeline paints: the mask, not the box,
//! is what protects a person. `ignore=1` labels need not be found and a
//! detection on one is not a false positive. Recall is also counted per face
//! size and, with `skin.csv`, per skin group, because a detector that misses
//! darker or smaller faces fails the people this product exists for.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use photo_guard_core::vision::Face;
use thiserror::Error;

use photo_guard_vision::anonymise::{coverage, Ellipse};

pub const MATCH_IOU: f32 = 0.4;
pub const HIDDEN_SHARE: f32 = 0.9;

#[derive(Debug, Error)]
pub enum EvalError {
    #[error("{0}: no such folder")]
    NoDir(PathBuf),
    #[error("{path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{path}:{line}: {reason}")]
    Row {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

/// One row of labels.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub ignore: bool,
}

type SkinKey = (String, u32, u32, u32, u32);

/// A labelled folder, read and checked before any image is examined.
#[derive(Debug)]
pub struct Dataset {
    pub images: Vec<PathBuf>,
    labels: HashMap<String, Vec<Label>>,
    /// (image, x, y, w, h) -> skin type as written (I..VI).
    skin: Option<HashMap<SkinKey, String>>,
}

impl Dataset {
    pub fn open(dir: &Path) -> Result<Self, EvalError> {
        if !dir.is_dir() {
            return Err(EvalError::NoDir(dir.to_path_buf()));
        }
        let images_dir = dir.join("images");
        let read_err = |path: &Path, e: &dyn std::fmt::Display| EvalError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let mut images: Vec<PathBuf> = fs::read_dir(&images_dir)
            .map_err(|e| read_err(&images_dir, &e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        images.sort();
        let mut labels: HashMap<String, Vec<Label>> = HashMap::new();
        for (line, row) in rows(
            &dir.join("labels.csv"),
            &["image", "x", "y", "w", "h", "ignore"],
        )? {
            let [image, x, y, w, h, ignore] = row;
            let parse = |v: &str| v.parse::<u32>().map_err(|e| (line, format!("{v:?}: {e}")));
            let label = (|| {
                Ok::<_, (usize, String)>(Label {
                    x: parse(&x)?,
                    y: parse(&y)?,
                    w: parse(&w)?,
                    h: parse(&h)?,
                    ignore: parse(&ignore)? != 0,
                })
            })()
            .map_err(|(line, reason)| EvalError::Row {
                path: dir.join("labels.csv"),
                line,
                reason,
            })?;
            labels.entry(image).or_default().push(label);
        }
        for name in labels.keys() {
            if !images_dir.join(name).is_file() {
                return Err(read_err(&images_dir.join(name), &"labelled but missing"));
            }
        }
        let skin_path = dir.join("skin.csv");
        let skin = if skin_path.is_file() {
            let mut map = HashMap::new();
            for (line, [image, x, y, w, h, skin]) in
                rows(&skin_path, &["image", "x", "y", "w", "h", "skin"])?
            {
                let n = |v: &str| {
                    v.parse::<u32>().map_err(|e| EvalError::Row {
                        path: skin_path.clone(),
                        line,
                        reason: format!("{v:?}: {e}"),
                    })
                };
                if skin_group(&skin).is_none() {
                    return Err(EvalError::Row {
                        path: skin_path.clone(),
                        line,
                        reason: format!("{skin:?} is not a skin type I-VI"),
                    });
                }
                map.insert((image, n(&x)?, n(&y)?, n(&w)?, n(&h)?), skin);
            }
            Some(map)
        } else {
            None
        };
        Ok(Self {
            images,
            labels,
            skin,
        })
    }

    pub fn labels(&self, image: &str) -> &[Label] {
        self.labels.get(image).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn has_skin(&self) -> bool {
        self.skin.is_some()
    }

    fn skin_of(&self, image: &str, l: &Label) -> Option<&'static str> {
        let skin = self
            .skin
            .as_ref()?
            .get(&(image.to_string(), l.x, l.y, l.w, l.h))?;
        skin_group(skin)
    }
}

/// Reads a CSV with exactly these columns, returning (line number, fields).
fn rows<const N: usize>(
    path: &Path,
    header: &[&str; N],
) -> Result<Vec<(usize, [String; N])>, EvalError> {
    let err = |line: usize, reason: String| EvalError::Row {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| EvalError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    let found: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if found != header.iter().map(|s| s.to_string()).collect::<Vec<_>>() {
        return Err(err(1, format!("expected columns {}", header.join(","))));
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| err(line, e.to_string()))?;
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        let fields: [String; N] = fields
            .try_into()
            .map_err(|_| err(line, format!("expected {N} fields")))?;
        out.push((line, fields));
    }
    Ok(out)
}

/// The four groups the product must serve equally.
pub const SKIN_GROUPS: [&str; 4] = ["I-II", "III", "IV", "V-VI"];

pub fn skin_group(skin: &str) -> Option<&'static str> {
    match skin.trim().to_ascii_uppercase().as_str() {
        "I" | "II" => Some("I-II"),
        "III" => Some("III"),
        "IV" => Some("IV"),
        "V" | "VI" => Some("V-VI"),
        _ => None,
    }
}

/// Size bucket of a labelled face, by the longer side of its box.
pub fn size_bucket(l: &Label) -> &'static str {
    match l.w.max(l.h) {
        0..=15 => "0-15px",
        16..=23 => "16-23px",
        24..=47 => "24-47px",
        _ => "48px+",
    }
}

pub fn iou(l: &Label, f: &Face) -> f32 {
    let ix = (l.x + l.w).min(f.x + f.w).saturating_sub(l.x.max(f.x)) as f32;
    let iy = (l.y + l.h).min(f.y + f.h).saturating_sub(l.y.max(f.y)) as f32;
    let inter = ix * iy;
    let union = (l.w * l.h + f.w * f.h) as f32 - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// Labels found (index list) and detections left unmatched, by greedy
/// one-to-one matching on IoU, best pairs first.
pub fn match_faces(labels: &[Label], faces: &[Face]) -> (Vec<bool>, Vec<bool>) {
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (li, l) in labels.iter().enumerate() {
        for (fi, f) in faces.iter().enumerate() {
            let v = iou(l, f);
            if v >= MATCH_IOU {
                pairs.push((v, li, fi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut found = vec![false; labels.len()];
    let mut used = vec![false; faces.len()];
    for (_, li, fi) in pairs {
        if !found[li] && !used[fi] {
            found[li] = true;
            used[fi] = true;
        }
    }
    (found, used)
}

/// A detection on an ignored face (matched to it, or centred inside it) is
/// neither a hit nor a false positive.
fn on_ignored(f: &Face, ignored: &[&Label]) -> bool {
    let (cx, cy) = (f.x + f.w / 2, f.y + f.h / 2);
    ignored.iter().any(|l| {
        iou(l, f) >= MATCH_IOU || (cx >= l.x && cx < l.x + l.w && cy >= l.y && cy < l.y + l.h)
    })
}

/// What happened to one image's faces.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub faces: usize,
    pub found: usize,
    pub hidden: usize,
    pub false_positives: usize,
}

/// Found and false-positive counts for one set of detections on one image.
pub fn score(labels: &[Label], faces: &[Face]) -> (Vec<bool>, usize) {
    let wanted: Vec<Label> = labels.iter().filter(|l| !l.ignore).copied().collect();
    let ignored: Vec<&Label> = labels.iter().filter(|l| l.ignore).collect();
    let (found, used) = match_faces(&wanted, faces);
    let fp = faces
        .iter()
        .zip(&used)
        .filter(|(f, used)| !**used && !on_ignored(f, &ignored))
        .count();
    (found, fp)
}

/// Running totals over a folder.
#[derive(Debug, Default)]
pub struct Tally {
    pub total: Outcome,
    pub images: usize,
    /// Photos with any detection (on a face-free set: any false face), and
    /// photos with at least one false positive.
    pub images_with_boxes: usize,
    pub images_with_fp: usize,
    /// bucket -> (found, faces)
    pub sizes: BTreeMap<&'static str, (usize, usize)>,
    pub skins: BTreeMap<&'static str, (usize, usize)>,
    /// detector -> (found, faces, false positives)
    pub detectors: BTreeMap<&'static str, (usize, usize, usize)>,
}

impl Tally {
    /// Scores one image: `faces` are the merged detections, `masks` what the
    /// pipeline would paint, `runs` each detector's own boxes.
    pub fn add(
        &mut self,
        data: &Dataset,
        image: &str,
        faces: &[Face],
        masks: &[Ellipse],
        runs: &[(&'static str, &[Face])],
    ) -> Outcome {
        let labels = data.labels(image);
        let wanted: Vec<&Label> = labels.iter().filter(|l| !l.ignore).collect();
        let (found, fp) = score(labels, faces);
        let mut out = Outcome {
            faces: wanted.len(),
            false_positives: fp,
            ..Outcome::default()
        };
        for (l, &hit) in wanted.iter().zip(&found) {
            let hidden = coverage(l.x, l.y, l.w, l.h, masks) >= HIDDEN_SHARE;
            out.found += usize::from(hit);
            out.hidden += usize::from(hidden);
            let s = self.sizes.entry(size_bucket(l)).or_default();
            *s = (s.0 + usize::from(hit), s.1 + 1);
            if let Some(group) = data.skin_of(image, l) {
                let g = self.skins.entry(group).or_default();
                *g = (g.0 + usize::from(hit), g.1 + 1);
            }
        }
        for (name, own) in runs {
            let (found, fp) = score(labels, own);
            let d = self.detectors.entry(name).or_default();
            *d = (
                d.0 + found.iter().filter(|f| **f).count(),
                d.1 + wanted.len(),
                d.2 + fp,
            );
        }
        self.images += 1;
        self.images_with_boxes += usize::from(!faces.is_empty());
        self.images_with_fp += usize::from(fp > 0);
        self.total.faces += out.faces;
        self.total.found += out.found;
        self.total.hidden += out.hidden;
        self.total.false_positives += out.false_positives;
        out
    }

    /// The per-size, per-skin-group and per-detector lines.
    pub fn group_lines(&self, with_skin: bool) -> Vec<String> {
        let mut lines: Vec<String> = ["0-15px", "16-23px", "24-47px", "48px+"]
            .iter()
            .filter_map(|b| {
                self.sizes
                    .get(b)
                    .map(|(f, n)| format!("size {b}: {f}/{n} recall={}", ratio(*f, *n)))
            })
            .collect();
        if with_skin {
            for g in SKIN_GROUPS {
                let (f, n) = self.skins.get(g).copied().unwrap_or_default();
                lines.push(format!("skin {g}: {f}/{n} recall={}", ratio(f, n)));
            }
        }
        for (name, (f, n, fp)) in &self.detectors {
            lines.push(format!(
                "detector {name}: found={f}/{n} recall={} false_positives={fp} fp_per_image={}",
                ratio(*f, *n),
                ratio(*fp, self.images)
            ));
        }
        lines
    }

    /// The last line of `eval`, in the fixed format CI and notes rely on.
    pub fn final_line(&self, median_ms: f64) -> String {
        let t = &self.total;
        format!(
            "faces={} found={} recall={} hidden={} hidden_rate={} false_positives={} images={} fp_per_image={} images_with_boxes={} images_with_fp={} median_ms={:.0}",
            t.faces, t.found, ratio(t.found, t.faces), t.hidden, ratio(t.hidden, t.faces),
            t.false_positives, self.images, ratio(t.false_positives, self.images),
            self.images_with_boxes, self.images_with_fp, median_ms
        )
    }
}

pub fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "n/a".into()
    } else {
        format!("{:.3}", a as f64 / b as f64)
    }
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
