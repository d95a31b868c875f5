use super::*;
use photo_guard_vision::anonymise::anonymise;

fn face(x: u32, y: u32, w: u32, h: u32) -> Face {
    Face {
        x,
        y,
        w,
        h,
        score: 0.9,
    }
}

fn noise(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let v = (x.wrapping_mul(7919) ^ y.wrapping_mul(104729)).wrapping_mul(2654435761) >> 24;
        Rgb([v as u8, (v >> 1) as u8, 255 - v as u8])
    })
}

/// Mean absolute difference per channel over the pixels inside `masks`,
/// and whether any pixel outside them differs.
fn compare(a: &RgbImage, b: &RgbImage, masks: &[Ellipse]) -> (f64, bool) {
    let (mut sum, mut n, mut outside) = (0u64, 0u64, false);
    for (x, y, p) in a.enumerate_pixels() {
        let q = b.get_pixel(x, y);
        if masks.iter().any(|m| m.contains(x, y)) {
            for k in 0..3 {
                sum += u64::from(p.0[k].abs_diff(q.0[k]));
            }
            n += 3;
        } else {
            outside |= p != q;
        }
    }
    (sum as f64 / n.max(1) as f64, outside)
}

#[test]
fn a_frame_is_painted_as_the_photo_anonymiser_paints_it() {
    // Issue 19: the fast in-place painter must hide a face as photos hide it.
    let img = noise(640, 360);
    let faces = [
        face(100, 80, 60, 70),
        face(400, 200, 120, 110),
        face(600, 0, 50, 50),
    ];
    for style in [Style::Blur, Style::Pixelate, Style::Solid] {
        let how = Paint { margin: 1.6, style };
        let ours = paint(img.clone(), &faces, how);
        let photos = anonymise(&img, &faces, 1.6, style);
        let (diff, outside) = compare(&ours, &photos, &masks(&faces, 1.6));
        assert!(!outside, "{style:?}: a pixel outside the masks differs");
        assert!(diff < 4.0, "{style:?}: mean difference {diff}");
        let (changed, _) = compare(&ours, &img, &masks(&faces, 1.6));
        assert!(
            changed > 20.0,
            "{style:?}: the face is not hidden ({changed})"
        );
    }
}

#[test]
fn pixels_outside_every_ellipse_are_left_as_they_were() {
    // Issue 19: painting only the masks' pixels must not spill past them.
    let img = noise(200, 120);
    let faces = [face(150, 80, 60, 60)];
    let out = paint(
        img.clone(),
        &faces,
        Paint {
            margin: 1.6,
            style: Style::Blur,
        },
    );
    let (_, outside) = compare(&out, &img, &masks(&faces, 1.6));
    assert!(!outside);
    assert_ne!(out.get_pixel(199, 119), img.get_pixel(199, 119));
}

#[test]
fn a_frame_without_boxes_is_unchanged() {
    let img = noise(64, 36);
    let out = paint(
        img.clone(),
        &[],
        Paint {
            margin: 1.6,
            style: Style::Blur,
        },
    );
    assert_eq!(out, img);
}
