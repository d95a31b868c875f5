//! Faces in a crowd (issue 20): in a photo where the search already found
//! many faces, a weaker candidate the size of the confirmed faces around it
//! is one more face of that crowd, not texture.
//!
//! Why: crowd photos hold dozens of small faces, many turned away or half
//! covered, that CenterFace marks but scores under its threshold. Alone,
//! such a mark is as likely a sleeve or a flag; among many faces of its own
//! size, it is almost always another head. Measured on the candidates the
//! search kept for ../shared/eval (simulated on `crowd` and `people`): with
//! this rule the crowd set hides 136 of 139 labelled faces instead of 131,
//! while no people photo (at most 25 faces found) gains a box. The rule
//! adds nothing to a photo with fewer faces, so photos with no or a few
//! people (the face-free set, a family photo) are judged as before.

use super::search::{CONTAINED, MIN_FACE};
use crate::detect::geometry::plausible;
use crate::detect::Detection;

/// Faces the search must have found before a photo counts as a crowd.
const CROWD: usize = 30;
/// A coarse candidate needs this score; a close look's box `WINDOW_FLOOR`.
const COARSE_FLOOR: f32 = 0.12;
const WINDOW_FLOOR: f32 = 0.2;
/// Its neighbours: faces within this many face sizes of it ...
const REACH: f32 = 3.0;
/// ... whose size is within this ratio of its own ...
const SIZE_RATIO: f32 = 2.0;
/// ... at least this many of them.
const NEIGHBOURS: usize = 2;

/// The candidates that are more faces of the crowd `faces` found; none when
/// `faces` is no crowd. `coarse` and `window` are the search's candidates.
#[must_use]
pub fn companions(
    faces: &[Detection],
    coarse: &[Detection],
    window: &[Detection],
) -> Vec<Detection> {
    if faces.len() < CROWD {
        return Vec::new();
    }
    let candidates = coarse
        .iter()
        .filter(|d| d.score >= COARSE_FLOOR)
        .chain(window.iter().filter(|d| d.score >= WINDOW_FLOOR));
    let mut out: Vec<Detection> = Vec::new();
    for c in candidates {
        if c.w.max(c.h) < MIN_FACE || !plausible(c) {
            continue;
        }
        if faces.iter().chain(&out).any(|f| overlaps(f, c)) {
            continue;
        }
        if neighbours(faces, c) >= NEIGHBOURS {
            out.push(*c);
        }
    }
    out
}

/// Whether `c` is a face already counted: overlapping it as `nms` would, or
/// mostly inside it (or it mostly inside `c`), as `search::same_face` says.
fn overlaps(f: &Detection, c: &Detection) -> bool {
    let shared = f.intersection(c);
    f.iou(c) >= 0.3 || shared >= CONTAINED * c.area() || shared >= CONTAINED * f.area()
}

/// Faces near `c` and of about its size.
fn neighbours(faces: &[Detection], c: &Detection) -> usize {
    let size = c.w.max(c.h);
    let (cx, cy) = c.centre();
    faces
        .iter()
        .filter(|f| {
            let fs = f.w.max(f.h);
            let ratio = size / fs;
            let (fx, fy) = f.centre();
            (1.0 / SIZE_RATIO..=SIZE_RATIO).contains(&ratio)
                && (fx - cx).hypot(fy - cy) <= REACH * size.max(fs)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f32, y: f32, side: f32, score: f32) -> Detection {
        Detection::new(x, y, side, side, score)
    }

    /// A row of `n` confirmed 20 px faces, 30 px apart.
    fn row(n: usize) -> Vec<Detection> {
        (0..n).map(|i| d(i as f32 * 30.0, 0.0, 20.0, 0.9)).collect()
    }

    #[test]
    fn a_weak_mark_among_a_crowds_faces_of_its_size_is_a_face() {
        let faces = row(CROWD);
        let weak = d(15.0, 30.0, 20.0, 0.14);
        assert_eq!(companions(&faces, &[weak], &[]), vec![weak]);
    }

    #[test]
    fn a_weak_mark_beside_a_few_faces_is_not_a_face() {
        let faces = row(CROWD - 1);
        assert!(companions(&faces, &[d(15.0, 30.0, 20.0, 0.14)], &[]).is_empty());
    }

    #[test]
    fn a_crowd_gains_no_mark_far_away_of_another_size_or_already_counted() {
        let faces = row(CROWD);
        let far = d(0.0, 500.0, 20.0, 0.3);
        let huge = d(15.0, 30.0, 90.0, 0.3);
        let same = d(31.0, 1.0, 20.0, 0.3);
        let faint = d(15.0, 30.0, 20.0, 0.1);
        assert!(companions(&faces, &[far, huge, same, faint], &[]).is_empty());
    }

    #[test]
    fn a_close_looks_box_needs_its_own_higher_floor() {
        let faces = row(CROWD);
        assert!(companions(&faces, &[], &[d(15.0, 30.0, 20.0, 0.15)]).is_empty());
        assert_eq!(
            companions(&faces, &[], &[d(15.0, 30.0, 20.0, 0.22)]).len(),
            1
        );
    }
}
