use super::*;

fn d(x: f32, y: f32, side: f32, score: f32) -> Detection {
    Detection::new(x, y, side, side, score)
}

#[test]
fn a_1280_px_photo_is_looked_at_whole_near_640_px() {
    let o = SearchOptions::default();
    assert!((o.coarse_scale(1280, 960) - 0.5).abs() < 1e-6);
    assert!((o.coarse_scale(1024, 768) - 0.625).abs() < 1e-6);
}

#[test]
fn a_small_photo_is_never_shrunk_for_the_coarse_look() {
    assert_eq!(SearchOptions::default().coarse_scale(350, 262), 1.0);
}

#[test]
fn a_huge_photo_keeps_half_of_its_capped_resolution() {
    // 4096 px counts as 2048; the coarse look is half that: 1024 px.
    let s = SearchOptions::default().coarse_scale(4096, 3072);
    assert!((s - 0.25).abs() < 1e-6, "{s}");
}

#[test]
fn min_side_enlarges_a_small_photo() {
    let o = SearchOptions {
        min_side: 700,
        ..SearchOptions::default()
    };
    assert!((o.coarse_scale(350, 262) - 2.0).abs() < 1e-6);
}

#[test]
fn only_sure_boxes_are_faces_unseen_and_weak_ones_however_big_get_a_close_look() {
    // Issue 20: a big coarse box at 0.16 used to count as a face unseen.
    let coarse = vec![
        d(0.0, 0.0, 20.0, 0.6),    // sure
        d(100.0, 0.0, 80.0, 0.16), // big (40 network px at scale 0.5) but weak: unsure
        d(200.0, 0.0, 20.0, 0.3),  // small, unsure
        d(300.0, 0.0, 20.0, 0.05), // below the candidate floor
    ];
    let (sure, unsure) = split(coarse);
    assert_eq!(sure.len(), 1);
    let xs: Vec<f32> = unsure.iter().map(|u| u.x).collect();
    assert_eq!(xs, [100.0, 200.0]);
}

#[test]
fn nearby_unsure_boxes_share_one_window() {
    let o = SearchOptions::default();
    let unsure = [d(100.0, 100.0, 16.0, 0.3), d(120.0, 110.0, 16.0, 0.2)];
    let w = windows(&unsure, 1000, 800, &o);
    assert_eq!(w.len(), 1);
    assert!((w[0].scale - 1.5).abs() < 1e-6);
    assert!((w[0].side * w[0].scale - WINDOW as f32).abs() < 1e-3);
}

#[test]
fn distant_unsure_boxes_get_their_own_windows_inside_the_photo() {
    let o = SearchOptions::default();
    let unsure = [d(5.0, 5.0, 16.0, 0.3), d(900.0, 700.0, 16.0, 0.2)];
    let w = windows(&unsure, 1000, 800, &o);
    assert_eq!(w.len(), 2);
    for win in &w {
        assert!(win.x >= 0.0 && win.y >= 0.0);
        assert!(win.x + win.side <= 1000.0 + 1e-3 && win.y + win.side <= 800.0 + 1e-3);
    }
}

#[test]
fn a_large_unsure_face_is_looked_at_small_enough_to_fit() {
    let o = SearchOptions::default();
    let w = windows(&[d(100.0, 100.0, 192.0, 0.2)], 1000, 800, &o);
    assert!((w[0].scale - 0.5).abs() < 1e-6, "{:?}", w[0]);
}

#[test]
fn an_unsure_box_counts_only_when_a_window_confirms_it() {
    let unsure = [d(100.0, 0.0, 20.0, 0.16), d(200.0, 0.0, 20.0, 0.16)];
    let fine = [d(101.0, 0.0, 20.0, 0.19)];
    let kept = combine(Vec::new(), &unsure, &fine, 0.2, 1.0);
    assert!(kept.iter().all(|k| k.x < 150.0), "{kept:?}");
    assert_eq!(kept.len(), 0, "0.19 confirms nothing below CONFIRM");
    let fine = [d(101.0, 0.0, 20.0, 0.21)];
    let kept = combine(Vec::new(), &unsure, &fine, 0.2, 1.0);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].x < 150.0);
}

// Issue 20: a close look alone made a dog on a porch (80 px, 0.42) a face.
#[test]
fn a_big_window_box_the_coarse_look_left_no_mark_on_is_no_face() {
    // 80 px at coarse scale 0.5 is 40 network px: big enough to be marked.
    let fine = [d(300.0, 100.0, 80.0, 0.42)];
    assert!(combine(Vec::new(), &[], &fine, 0.25, 0.5).is_empty());
    let marked = [d(305.0, 104.0, 76.0, 0.1)];
    assert_eq!(combine(Vec::new(), &marked, &fine, 0.25, 0.5).len(), 1);
}

// Issue 20: small faces the coarse look cannot see still count on a window's word.
#[test]
fn a_small_window_box_needs_no_coarse_mark() {
    // 24 px at coarse scale 0.625 is 15 network px.
    let fine = [d(300.0, 100.0, 24.0, 0.29)];
    assert_eq!(combine(Vec::new(), &[], &fine, 0.25, 0.625).len(), 1);
}

// Issue 20: a faint coarse mark beside a window's face is that face again.
#[test]
fn a_faint_coarse_mark_is_not_confirmed_into_a_second_face() {
    let unsure = [d(100.0, 0.0, 20.0, 0.09)];
    let fine = [d(104.0, 0.0, 20.0, 0.22)];
    assert!(combine(Vec::new(), &unsure, &fine, 0.25, 1.0).is_empty());
    let unsure = [d(100.0, 0.0, 20.0, 0.16)];
    assert_eq!(combine(Vec::new(), &unsure, &fine, 0.25, 1.0).len(), 1);
}

#[test]
fn specks_are_not_faces() {
    let kept = combine(
        vec![d(0.0, 0.0, 8.0, 0.9)],
        &[],
        &[d(50.0, 0.0, 11.0, 0.9)],
        0.2,
        1.0,
    );
    assert!(kept.is_empty());
}

#[test]
fn two_small_offset_boxes_on_one_face_count_once() {
    // Seen in eval/faces 2008_002079: a diner by the window, found twice
    // at IoU 0.24 (too little for nms).
    let sure = vec![
        Detection {
            x: 418.0,
            y: 85.0,
            w: 10.0,
            h: 13.0,
            score: 0.49,
            landmarks: None,
        },
        Detection {
            x: 414.0,
            y: 88.0,
            w: 9.0,
            h: 14.0,
            score: 0.29,
            landmarks: None,
        },
    ];
    let kept = combine(sure, &[], &[], 0.2, 1.0);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].score, 0.49);
}

#[test]
fn neighbouring_faces_a_face_apart_both_count() {
    let sure = vec![d(100.0, 100.0, 20.0, 0.9), d(118.0, 104.0, 20.0, 0.8)];
    assert_eq!(combine(sure, &[], &[], 0.2, 1.0).len(), 2);
}

#[test]
fn offset_boxes_of_a_larger_face_are_left_to_nms() {
    // At 30 px two boxes this far apart are two faces often enough that
    // eval/people lost labelled faces when they were merged.
    let sure = vec![d(100.0, 100.0, 30.0, 0.9), d(112.0, 108.0, 30.0, 0.4)];
    assert_eq!(combine(sure, &[], &[], 0.2, 1.0).len(), 2);
}
