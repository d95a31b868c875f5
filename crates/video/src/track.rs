//! Masks between samples: faces are detected on sampled frames only, so the
//! boxes of the frames between two samples are derived from the two ends.
//!
//! A box on the first sample matched to a box on the next one (overlapping,
//! or its centre within about a face's size) is interpolated linearly and
//! padded, because motion between samples is not linear. A box with no match
//! (a face entering, leaving, turning away, or missed by the detector on one
//! sample) is held over the whole gap from the sample that saw it and widened
//! the further it is from that sample, so it still covers a face moving away.
//! Held boxes also reach the neighbouring sample frame itself, so one missed
//! detection leaves no frame unmasked. Pure functions, no pixels.

use photo_guard_core::vision::Face;

/// How far boxes are grown for motion they cannot see.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    /// A held box grows by this share of its size, per side, per frame.
    pub growth_per_frame: f32,
    /// ... up to this share of its size per side.
    pub max_growth: f32,
    /// An interpolated box is padded by this share of its size per side ...
    pub pad: f32,
    /// ... plus this share of the distance its centre travels over the gap.
    pub travel_pad: f32,
    /// A face seen on two samples or more is carried on for this many
    /// samples after it was last detected (carry.rs) ...
    pub carry_samples: u32,
    /// ... widened by this share of its size per side per sample missed
    /// (up to `max_growth`).
    pub carry_pad: f32,
}

impl Default for Motion {
    fn default() -> Self {
        Self {
            growth_per_frame: 0.08,
            max_growth: 0.6,
            pad: 0.1,
            travel_pad: 0.25,
            // 2 s at 5 samples a second: a face turned away for that long
            // in a phone clip is still there.
            carry_samples: 10,
            carry_pad: 0.1,
        }
    }
}

/// A box in floating point, for interpolation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn of(f: &Face) -> Rect {
        Rect {
            x: f.x as f32,
            y: f.y as f32,
            w: f.w as f32,
            h: f.h as f32,
        }
    }
    fn centre(&self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    fn size(&self) -> f32 {
        self.w.max(self.h)
    }
    fn lerp(&self, other: &Rect, t: f32) -> Rect {
        let l = |a: f32, b: f32| a + (b - a) * t;
        Rect {
            x: l(self.x, other.x),
            y: l(self.y, other.y),
            w: l(self.w, other.w),
            h: l(self.h, other.h),
        }
    }
    fn grown(&self, by: f32) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            w: self.w + 2.0 * by,
            h: self.h + 2.0 * by,
        }
    }
    /// Whole pixels, rounded outwards and clipped to the frame.
    fn to_face(self, frame: (u32, u32), score: f32) -> Option<Face> {
        let clip = |v: f32, max: u32| v.clamp(0.0, max as f32);
        let x0 = clip(self.x.floor(), frame.0) as u32;
        let y0 = clip(self.y.floor(), frame.1) as u32;
        let x1 = clip((self.x + self.w).ceil(), frame.0) as u32;
        let y1 = clip((self.y + self.h).ceil(), frame.1) as u32;
        (x1 > x0 && y1 > y0).then_some(Face {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
            score,
        })
    }
}

/// Pairs (index in `a`, index in `b`) of boxes taken to be the same face:
/// greedily, nearest centres first (relative to the faces' size).
pub(crate) fn matches(a: &[Face], b: &[Face]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (i, fa) in a.iter().enumerate() {
        for (j, fb) in b.iter().enumerate() {
            let (ra, rb) = (Rect::of(fa), Rect::of(fb));
            let ((ax, ay), (bx, by)) = (ra.centre(), rb.centre());
            let size = ra.size().max(rb.size()).max(1.0);
            let ratio = ra.size().max(1.0) / rb.size().max(1.0);
            let distance = ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt() / size;
            if distance <= 1.0 && (0.5..=2.0).contains(&ratio) {
                pairs.push((distance, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j));
        }
    }
    out
}

fn hold(face: &Face, distance: usize, motion: &Motion) -> Rect {
    let r = Rect::of(face);
    let share = (motion.growth_per_frame * distance as f32).min(motion.max_growth);
    r.grown(share * r.size())
}

/// The boxes of the `gap - 1` frames strictly between a sample with faces
/// `from` and the sample `gap` frames later with faces `to`.
pub fn between(
    from: &[Face],
    to: &[Face],
    gap: usize,
    frame: (u32, u32),
    motion: &Motion,
) -> Vec<Vec<Face>> {
    let pairs = matches(from, to);
    let lone_from: Vec<&Face> = unmatched(from, pairs.iter().map(|p| p.0));
    let lone_to: Vec<&Face> = unmatched(to, pairs.iter().map(|p| p.1));
    (1..gap)
        .map(|k| {
            let t = k as f32 / gap as f32;
            let mut boxes: Vec<Face> = Vec::new();
            for &(i, j) in &pairs {
                let (a, b) = (Rect::of(&from[i]), Rect::of(&to[j]));
                let ((ax, ay), (bx, by)) = (a.centre(), b.centre());
                let travel = ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt();
                let r = a.lerp(&b, t);
                let pad = motion.pad * r.size() + motion.travel_pad * travel;
                let score = from[i].score.max(to[j].score);
                boxes.extend(r.grown(pad).to_face(frame, score));
            }
            for f in &lone_from {
                boxes.extend(hold(f, k, motion).to_face(frame, f.score));
            }
            for f in &lone_to {
                boxes.extend(hold(f, gap - k, motion).to_face(frame, f.score));
            }
            boxes
        })
        .collect()
}

/// The boxes to paint on a sample frame: its own detections plus those of a
/// neighbouring sample `distance` frames away that match none of them, held
/// and widened (a face the detector missed on this one sample).
pub fn on_sample(
    own: &[Face],
    neighbours: &[(&[Face], usize)],
    frame: (u32, u32),
    motion: &Motion,
) -> Vec<Face> {
    let mut boxes = own.to_vec();
    for &(other, distance) in neighbours {
        let pairs = matches(other, own);
        for f in unmatched(other, pairs.iter().map(|p| p.0)) {
            boxes.extend(hold(f, distance, motion).to_face(frame, f.score));
        }
    }
    boxes
}

fn unmatched(faces: &[Face], used: impl Iterator<Item = usize>) -> Vec<&Face> {
    let used: Vec<usize> = used.collect();
    faces
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, f)| f)
        .collect()
}

#[cfg(test)]
#[path = "track_tests.rs"]
mod tests;
