use super::*;

const FRAME: (u32, u32) = (720, 1280);

fn face(x: u32, y: u32) -> Face {
    Face {
        x,
        y,
        w: 50,
        h: 50,
        score: 0.9,
    }
}

/// Runs `samples` (the faces found on each) through `update`; the boxes of each.
fn run(samples: &[Vec<Face>]) -> Vec<Vec<Face>> {
    let motion = Motion::default();
    let mut tracks = Vec::new();
    samples
        .iter()
        .map(|found| {
            tracks = update(&tracks, found, FRAME, &motion);
            boxes(&tracks, FRAME, &motion)
        })
        .collect()
}

fn covers(boxes: &[Face], truth: &Face) -> bool {
    let m = photo_guard_vision::anonymise::masks(boxes, 1.6);
    photo_guard_vision::anonymise::coverage(truth.x, truth.y, truth.w, truth.h, &m) >= 0.9
}

#[test]
fn a_face_lost_for_several_samples_is_carried_with_the_camera() {
    // Issue 19: a face the detector misses for a while (turned away) stays masked
    // while the camera pans, following the faces still found.
    let pan = |k: u32| 20 * k; // the camera pans 20 px a sample
    let mut samples = Vec::new();
    for k in 0..8u32 {
        let mut found = vec![face(400 - pan(k), 600)];
        if k < 2 {
            found.push(face(300 - pan(k), 100)); // seen twice, then lost
        }
        samples.push(found);
    }
    let out = run(&samples);
    for (k, boxes) in out.iter().enumerate() {
        let truth = face(300 - pan(k as u32), 100);
        assert!(covers(boxes, &truth), "sample {k}: {boxes:?}");
    }
}

#[test]
fn a_box_seen_on_one_sample_only_is_not_carried() {
    // Issue 19: a lone detection (where false positives are) does not spread over a face-free clip.
    let out = run(&[vec![face(100, 100)], vec![], vec![]]);
    assert_eq!(out[0].len(), 1);
    assert!(out[1].is_empty() && out[2].is_empty(), "{out:?}");
}

#[test]
fn a_lost_face_is_dropped_after_the_carry_limit() {
    let mut samples = vec![vec![face(100, 100)], vec![face(100, 100)]];
    let limit = Motion::default().carry_samples as usize;
    samples.extend(std::iter::repeat_n(Vec::new(), limit + 1));
    let out = run(&samples);
    assert!(!out[1 + limit].is_empty(), "carried up to the limit");
    assert!(out[2 + limit].is_empty(), "dropped after it");
}
