//! Merging boxes: one box per face.
//!
//! Within one detector, greedy non-maximum suppression removes the duplicate
//! boxes a detector emits around one face. Across detectors, boxes are
//! pooled and clustered by overlap; each cluster becomes the *union* of its
//! boxes, because for a privacy mask a box that is slightly too large is
//! harmless and one that is too small leaves an ear or a chin recognisable.
//! A cluster holds at most one box per detector: a detector's own boxes are
//! already one per face, and joining them would swell neighbours together.

use crate::detect::Detection;

/// Greedy NMS: keeps the best-scoring box of every group overlapping by more
/// than `iou`. Scores are assumed comparable (one detector).
pub fn nms(mut boxes: Vec<Detection>, iou: f32) -> Vec<Detection> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::with_capacity(boxes.len());
    for b in boxes {
        if kept.iter().all(|k| k.iou(&b) <= iou) {
            kept.push(b);
        }
    }
    kept
}

/// Merges the boxes of several detectors: boxes of different detectors
/// overlapping by at least `iou` (or one lying mostly inside the other) are
/// taken as the same face and replaced by their bounding union; the score
/// kept is the best one. Faces come out in the order of their first box in
/// the input, so one detector's boxes come back as they went in.
pub fn merge(per_detector: &[Vec<Detection>], iou: f32) -> Vec<Detection> {
    // (input position, detector, box)
    let mut all: Vec<(usize, usize, Detection)> = per_detector
        .iter()
        .enumerate()
        .flat_map(|(detector, boxes)| boxes.iter().map(move |b| (detector, *b)))
        .enumerate()
        .map(|(first, (detector, b))| (first, detector, b))
        .collect();
    // Larger boxes first so a small box is absorbed into the face it belongs to.
    all.sort_by(|a, b| b.2.area().total_cmp(&a.2.area()));
    let mut faces: Vec<Cluster> = Vec::with_capacity(all.len());
    for (first, detector, b) in all {
        let joins =
            |f: &&mut Cluster| !f.detectors.contains(&detector) && same_face(&f.face, &b, iou);
        match faces.iter_mut().find(joins) {
            Some(f) => {
                f.face = union(&f.face, &b);
                f.detectors.push(detector);
            }
            None => faces.push(Cluster {
                first,
                detectors: vec![detector],
                face: b,
            }),
        }
    }
    faces.sort_by_key(|f| f.first);
    faces.into_iter().map(|f| f.face).collect()
}

/// One face being merged: its box so far, the detectors that found it and
/// the input position of its first box.
struct Cluster {
    first: usize,
    detectors: Vec<usize>,
    face: Detection,
}

fn same_face(a: &Detection, b: &Detection, iou: f32) -> bool {
    if a.iou(b) >= iou {
        return true;
    }
    // Two detectors disagree most on how much forehead and chin a face box
    // holds, so a box mostly inside another is the same face even when the
    // IoU is low. A small face next to a big one rarely lies 70% inside it.
    let smaller = a.area().min(b.area());
    smaller > 0.0 && a.intersection(b) / smaller >= 0.7 && a.area().max(b.area()) <= 4.0 * smaller
}

fn union(a: &Detection, b: &Detection) -> Detection {
    let x = a.x.min(b.x);
    let y = a.y.min(b.y);
    Detection {
        x,
        y,
        w: (a.x + a.w).max(b.x + b.w) - x,
        h: (a.y + a.h).max(b.y + b.h) - y,
        score: a.score.max(b.score),
        landmarks: if a.score >= b.score {
            a.landmarks
        } else {
            b.landmarks
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f32, y: f32, w: f32, h: f32, score: f32) -> Detection {
        Detection::new(x, y, w, h, score)
    }

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let kept = nms(
            vec![b(0.0, 0.0, 10.0, 10.0, 0.5), b(1.0, 1.0, 10.0, 10.0, 0.9)],
            0.3,
        );
        assert_eq!(kept, vec![b(1.0, 1.0, 10.0, 10.0, 0.9)]);
    }

    #[test]
    fn nms_keeps_separate_faces() {
        let kept = nms(
            vec![b(0.0, 0.0, 10.0, 10.0, 0.5), b(50.0, 0.0, 10.0, 10.0, 0.9)],
            0.3,
        );
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn merging_two_detectors_gives_one_box_per_face_covering_both() {
        let a = vec![
            b(10.0, 10.0, 20.0, 20.0, 0.9),
            b(100.0, 100.0, 30.0, 30.0, 0.8),
        ];
        let r = vec![b(12.0, 8.0, 20.0, 24.0, 5.0)];
        let merged = merge(&[a, r], 0.3);
        assert_eq!(merged.len(), 2);
        let face = merged.iter().find(|f| f.x < 50.0).unwrap();
        assert_eq!((face.x, face.y, face.w, face.h), (10.0, 8.0, 22.0, 24.0));
    }

    #[test]
    fn a_face_only_one_detector_found_is_kept() {
        let merged = merge(&[vec![], vec![b(5.0, 5.0, 10.0, 10.0, 1.0)]], 0.3);
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn a_small_box_inside_a_bigger_one_is_the_same_face() {
        let merged = merge(
            &[
                vec![b(0.0, 0.0, 40.0, 40.0, 0.9)],
                vec![b(10.0, 10.0, 22.0, 22.0, 3.0)],
            ],
            0.4,
        );
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn a_tiny_face_beside_a_big_one_is_not_swallowed() {
        let merged = merge(
            &[
                vec![b(0.0, 0.0, 100.0, 100.0, 0.9)],
                vec![b(90.0, 90.0, 12.0, 12.0, 0.5)],
            ],
            0.4,
        );
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn one_detectors_neighbouring_boxes_are_never_joined() {
        // Two faces close enough to pass `same_face`: one detector already
        // told them apart, so they come back as they went in, in order.
        let one = vec![b(0.0, 0.0, 20.0, 20.0, 0.6), b(4.0, 2.0, 30.0, 30.0, 0.9)];
        assert_eq!(merge(std::slice::from_ref(&one), 0.3), one);
    }

    #[test]
    fn a_second_detectors_box_joins_only_one_face() {
        let a = vec![b(0.0, 0.0, 20.0, 20.0, 0.9), b(30.0, 0.0, 20.0, 20.0, 0.8)];
        let r = vec![b(2.0, 0.0, 20.0, 20.0, 5.0)];
        let merged = merge(&[a, r], 0.3);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].x, merged[0].w), (0.0, 22.0));
        assert_eq!((merged[1].x, merged[1].w), (30.0, 20.0));
    }
}
