use super::*;
use image::{Rgb, RgbImage};
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

/// Whether pixel (x, y) is inside a mask or within 2 px of one (where the
/// half-resolution chroma of a masked pixel may reach).
fn near(masks: &[Ellipse], x: u32, y: u32) -> bool {
    masks.iter().any(|m| {
        let grown = Ellipse {
            rx: m.rx + 2.0,
            ry: m.ry + 2.0,
            ..*m
        };
        grown.contains(x, y)
    })
}

/// Mean absolute difference per channel over the pixels inside `masks`,
/// and whether any pixel away from them differs.
fn compare(a: &RgbImage, b: &RgbImage, masks: &[Ellipse]) -> (f64, bool) {
    let (mut sum, mut n, mut outside) = (0u64, 0u64, false);
    for (x, y, p) in a.enumerate_pixels() {
        let q = b.get_pixel(x, y);
        if masks.iter().any(|m| m.contains(x, y)) {
            for k in 0..3 {
                sum += u64::from(p.0[k].abs_diff(q.0[k]));
            }
            n += 3;
        } else if !near(masks, x, y) {
            outside |= p != q;
        }
    }
    (sum as f64 / n.max(1) as f64, outside)
}

/// Whether the Y planes differ at any pixel outside every mask.
fn luma_outside_differs(a: &Yuv, b: &Yuv, masks: &[Ellipse]) -> bool {
    let width = a.dimensions().0 as usize;
    a.luma()
        .iter()
        .zip(b.luma())
        .enumerate()
        .any(|(i, (p, q))| {
            let (x, y) = ((i % width) as u32, (i / width) as u32);
            p != q && !masks.iter().any(|m| m.contains(x, y))
        })
}

#[test]
fn a_frame_is_painted_as_the_photo_anonymiser_paints_it() {
    // Issue 19: painting the YUV planes must hide a face as photos hide it.
    let frame = Yuv::from_rgb(&noise(640, 360));
    let decoded = frame.to_rgb();
    let faces = [
        face(100, 80, 60, 70),
        face(400, 200, 120, 110),
        face(600, 0, 50, 50),
    ];
    let ellipses = masks(&faces, 1.6);
    for style in [Style::Blur, Style::Pixelate, Style::Solid] {
        let how = Paint { margin: 1.6, style };
        let painted = paint(frame.clone(), &faces, how);
        assert!(!luma_outside_differs(&painted, &frame, &ellipses));
        let ours = painted.to_rgb();
        let photos = anonymise(&decoded, &faces, 1.6, style);
        let (diff, outside) = compare(&ours, &photos, &ellipses);
        assert!(!outside, "{style:?}: a pixel away from the masks differs");
        assert!(diff < 4.0, "{style:?}: mean difference {diff}");
        let (changed, _) = compare(&ours, &decoded, &ellipses);
        assert!(
            changed > 20.0,
            "{style:?}: the face is not hidden ({changed})"
        );
    }
}

#[test]
fn pixels_outside_every_ellipse_are_left_as_they_were() {
    // Issue 19: painting only the masks' pixels must not spill past them.
    let frame = Yuv::from_rgb(&noise(200, 120));
    let faces = [face(150, 80, 60, 60)];
    let how = Paint {
        margin: 1.6,
        style: Style::Blur,
    };
    let out = paint(frame.clone(), &faces, how);
    assert!(!luma_outside_differs(&out, &frame, &masks(&faces, 1.6)));
    let (_, outside) = compare(&out.to_rgb(), &frame.to_rgb(), &masks(&faces, 1.6));
    assert!(!outside);
    let last = out.luma().len() - 1;
    assert_ne!(out.luma()[last], frame.luma()[last], "the corner is masked");
}

#[test]
fn a_frame_without_boxes_is_unchanged() {
    let frame = Yuv::from_rgb(&noise(64, 36));
    let how = Paint {
        margin: 1.6,
        style: Style::Blur,
    };
    assert_eq!(paint(frame.clone(), &[], how), frame);
}
