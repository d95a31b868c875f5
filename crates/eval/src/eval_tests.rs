//! Tests of eval's matching and counting, on fixtures written to a tempdir.

use super::*;
use photo_guard_vision::anonymise::masks;

fn face(x: u32, y: u32, w: u32, h: u32) -> Face {
    Face {
        x,
        y,
        w,
        h,
        score: 1.0,
    }
}

fn label(x: u32, y: u32, w: u32, h: u32) -> Label {
    Label {
        x,
        y,
        w,
        h,
        ignore: false,
    }
}

#[test]
fn iou_of_a_label_and_its_own_box_is_one() {
    assert!((iou(&label(10, 10, 20, 20), &face(10, 10, 20, 20)) - 1.0).abs() < 1e-6);
}

#[test]
fn a_detection_shifted_by_a_third_does_not_count_as_found() {
    // IoU of two 30 px boxes shifted by 10 px = 20*30 / (2*900 - 600) = 0.5;
    // by 15 px = 15*30 / (1800 - 450) = 0.333.
    let (found, _) = match_faces(&[label(0, 0, 30, 30)], &[face(10, 0, 30, 30)]);
    assert_eq!(found, vec![true]);
    let (found, used) = match_faces(&[label(0, 0, 30, 30)], &[face(15, 0, 30, 30)]);
    assert_eq!((found, used), (vec![false], vec![false]));
}

#[test]
fn one_detection_finds_one_label_only() {
    let labels = [label(0, 0, 30, 30), label(2, 0, 30, 30)];
    let (found, _) = match_faces(&labels, &[face(1, 0, 30, 30)]);
    assert_eq!(found.iter().filter(|f| **f).count(), 1);
}

#[test]
fn detections_on_ignored_faces_are_not_false_positives() {
    let labels = [
        label(0, 0, 30, 30),
        Label {
            ignore: true,
            ..label(100, 100, 12, 12)
        },
    ];
    let (found, fp) = score(
        &labels,
        &[
            face(0, 0, 30, 30),
            face(99, 99, 14, 14),
            face(300, 300, 20, 20),
        ],
    );
    assert_eq!(found, vec![true], "the ignored label is not a face to find");
    assert_eq!(fp, 1, "only the detection on nothing is false");
}

#[test]
fn size_buckets_use_the_longer_side() {
    assert_eq!(size_bucket(&label(0, 0, 10, 20)), "16-23px");
    assert_eq!(size_bucket(&label(0, 0, 24, 10)), "24-47px");
    assert_eq!(size_bucket(&label(0, 0, 47, 48)), "48px+");
}

#[test]
fn skin_types_fall_into_four_groups() {
    assert_eq!(skin_group("II"), Some("I-II"));
    assert_eq!(skin_group("iv"), Some("IV"));
    assert_eq!(skin_group("VI"), Some("V-VI"));
    assert_eq!(skin_group("VII"), None);
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("images")).unwrap();
    for name in ["a.jpg", "b.jpg", "empty.jpg"] {
        fs::write(
            dir.path().join("images").join(name),
            b"not read by the tally",
        )
        .unwrap();
    }
    fs::write(
        dir.path().join("labels.csv"),
        "image,x,y,w,h,ignore\n\
         a.jpg,10,10,20,20,0\n\
         a.jpg,100,10,40,40,0\n\
         a.jpg,200,10,60,60,0\n\
         a.jpg,300,10,10,10,1\n\
         b.jpg,10,10,30,30,0\n\
         b.jpg,100,100,50,50,0\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("skin.csv"),
        "image,x,y,w,h,skin\n\
         a.jpg,10,10,20,20,II\n\
         a.jpg,100,10,40,40,VI\n\
         a.jpg,200,10,60,60,V\n\
         b.jpg,10,10,30,30,III\n\
         b.jpg,100,100,50,50,V\n",
    )
    .unwrap();
    dir
}

#[test]
fn eval_on_a_tiny_fixture_counts_found_faces_per_skin_group() {
    let dir = fixture();
    let data = Dataset::open(dir.path()).unwrap();
    assert_eq!(data.images.len(), 3);
    assert!(data.has_skin());
    let mut tally = Tally::default();
    // a.jpg: the II face and one V-VI face found, the other V-VI face missed,
    // plus a hit on the ignored face (not a false positive).
    let a = [
        face(10, 10, 20, 20),
        face(200, 10, 60, 60),
        face(300, 10, 10, 10),
    ];
    tally.add(&data, "a.jpg", &a, &masks(&a, 1.3), &[("det", &a[..])]);
    // b.jpg: only the V face found; one false positive.
    let b = [face(100, 100, 50, 50), face(400, 400, 30, 30)];
    tally.add(&data, "b.jpg", &b, &masks(&b, 1.3), &[("det", &b[..])]);
    // empty.jpg: no labels, one detection: a false positive.
    let e = [face(5, 5, 20, 20)];
    tally.add(&data, "empty.jpg", &e, &masks(&e, 1.3), &[("det", &e[..])]);

    let lines = tally.group_lines(true);
    assert!(
        lines.contains(&"skin I-II: 1/1 recall=1.000".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"skin III: 0/1 recall=0.000".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"skin IV: 0/0 recall=n/a".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"skin V-VI: 2/3 recall=0.667".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"size 16-23px: 1/1 recall=1.000".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"size 24-47px: 0/2 recall=0.000".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"size 48px+: 2/2 recall=1.000".to_string()),
        "{lines:#?}"
    );
    assert_eq!(
        tally.final_line(12.0),
        "faces=5 found=3 recall=0.600 hidden=3 hidden_rate=0.600 false_positives=2 images=3 fp_per_image=0.667 images_with_boxes=3 images_with_fp=2 median_ms=12"
    );
}

// Issue 20: on a face-free set, how many photos got any box is the figure.
#[test]
fn eval_counts_the_photos_that_got_any_box() {
    let dir = fixture();
    let data = Dataset::open(dir.path()).unwrap();
    let mut tally = Tally::default();
    let e = [face(5, 5, 20, 20), face(50, 5, 20, 20)];
    tally.add(&data, "empty.jpg", &e, &masks(&e, 1.3), &[]);
    tally.add(&data, "b.jpg", &[], &[], &[]);
    assert_eq!((tally.images_with_boxes, tally.images_with_fp), (1, 1));
    assert!(
        tally
            .final_line(1.0)
            .contains("fp_per_image=1.000 images_with_boxes=1 images_with_fp=1 "),
        "{}",
        tally.final_line(1.0)
    );
}

#[test]
fn a_labelled_image_that_is_missing_is_an_error() {
    let dir = fixture();
    fs::remove_file(dir.path().join("images/b.jpg")).unwrap();
    assert!(matches!(
        Dataset::open(dir.path()),
        Err(EvalError::Read { .. })
    ));
}

#[test]
fn a_missing_folder_is_named() {
    let err = Dataset::open(Path::new("/no/such/eval/dir")).unwrap_err();
    assert!(err.to_string().contains("/no/such/eval/dir"));
}

#[test]
fn a_bad_row_names_its_line() {
    let dir = fixture();
    fs::write(
        dir.path().join("labels.csv"),
        "image,x,y,w,h,ignore\na.jpg,1,2,x,4,0\n",
    )
    .unwrap();
    let err = Dataset::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("labels.csv:2"), "{err}");
}
