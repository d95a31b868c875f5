//! Faces the detector loses for a while. A face turned away or half hidden
//! is often missed on several samples in a row although it never left; a
//! face seen on at least two samples is therefore carried on for up to
//! `Motion::carry_samples` samples after its last detection, moved with the
//! camera (the mean shift of the faces still found; a pan moves them all)
//! and widened the longer it is carried. A box seen only once is not
//! carried: that is where false detections are (the holds of track.rs
//! still cover its neighbouring frames). Pure functions, no pixels.

use photo_guard_core::vision::Face;

use crate::track::{matches, Motion};

/// One face across samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    /// Where it is (or, when missed, where it is taken to be).
    pub face: Face,
    /// Samples it was detected on.
    pub seen: u32,
    /// Samples since it was last detected (0: found on this one).
    pub missed: u32,
}

fn centre(f: &Face) -> (f32, f32) {
    (f.x as f32 + f.w as f32 / 2.0, f.y as f32 + f.h as f32 / 2.0)
}

/// The tracks after a sample that found `found`, from those before it.
pub fn update(
    previous: &[Tracked],
    found: &[Face],
    frame: (u32, u32),
    motion: &Motion,
) -> Vec<Tracked> {
    let faces: Vec<Face> = previous.iter().map(|t| t.face).collect();
    let pairs = matches(&faces, found);
    let mut out: Vec<Tracked> = Vec::with_capacity(found.len() + previous.len());
    let mut seen = vec![0u32; found.len()];
    for &(i, j) in &pairs {
        seen[j] = previous[i].seen;
    }
    for (j, f) in found.iter().enumerate() {
        out.push(Tracked {
            face: *f,
            seen: seen[j] + 1,
            missed: 0,
        });
    }
    let shift = camera_shift(&faces, found, &pairs);
    for (i, t) in previous.iter().enumerate() {
        let lost = !pairs.iter().any(|p| p.0 == i);
        if lost && t.seen >= 2 && t.missed < motion.carry_samples {
            if let Some(face) = shifted(&t.face, shift, frame) {
                out.push(Tracked {
                    face,
                    seen: t.seen,
                    missed: t.missed + 1,
                });
            }
        }
    }
    out
}

/// The mean move of the faces found on both samples (0 if none was).
fn camera_shift(before: &[Face], after: &[Face], pairs: &[(usize, usize)]) -> (f32, f32) {
    if pairs.is_empty() {
        return (0.0, 0.0);
    }
    let (mut dx, mut dy) = (0.0, 0.0);
    for &(i, j) in pairs {
        let ((ax, ay), (bx, by)) = (centre(&before[i]), centre(&after[j]));
        dx += bx - ax;
        dy += by - ay;
    }
    let n = pairs.len() as f32;
    (dx / n, dy / n)
}

/// `f` moved by `shift`, clipped to the frame; None once it has left it.
fn shifted(f: &Face, (dx, dy): (f32, f32), frame: (u32, u32)) -> Option<Face> {
    let x0 = f.x as f32 + dx;
    let y0 = f.y as f32 + dy;
    let (x1, y1) = (x0 + f.w as f32, y0 + f.h as f32);
    let clip = |v: f32, max: u32| v.round().clamp(0.0, max as f32) as u32;
    let (cx0, cy0, cx1, cy1) = (
        clip(x0, frame.0),
        clip(y0, frame.1),
        clip(x1, frame.0),
        clip(y1, frame.1),
    );
    (cx1 > cx0 && cy1 > cy0).then_some(Face {
        x: cx0,
        y: cy0,
        w: cx1 - cx0,
        h: cy1 - cy0,
        score: f.score,
    })
}

/// The boxes a sample stands for: every track, a carried one widened by
/// `carry_pad` of its size per side for each sample it was missed.
pub fn boxes(tracks: &[Tracked], frame: (u32, u32), motion: &Motion) -> Vec<Face> {
    tracks
        .iter()
        .filter_map(|t| {
            if t.missed == 0 {
                return Some(t.face);
            }
            let share = (motion.carry_pad * t.missed as f32).min(motion.max_growth);
            let by = share * t.face.w.max(t.face.h) as f32;
            let grown = Face {
                x: (t.face.x as f32 - by).max(0.0) as u32,
                y: (t.face.y as f32 - by).max(0.0) as u32,
                w: (t.face.w as f32 + 2.0 * by) as u32,
                h: (t.face.h as f32 + 2.0 * by) as u32,
                score: t.face.score,
            };
            shifted(&grown, (0.0, 0.0), frame)
        })
        .collect()
}

#[cfg(test)]
#[path = "carry_tests.rs"]
mod tests;
