//! Whether a box's five landmarks are laid out like a face: the check that
//! keeps CenterFace off dogs' faces, which it scores like a turned human face
//! (0.17-0.24) but whose points it puts upside down or in a heap.
//!
//! Measured on ../shared/eval (issue 20): on every one of the 345 faces it
//! found in faces, faces-hard, people and crowd, the mouth corners' midpoint
//! lies below the eyes' midpoint by 0.28-0.46 of the box's height (turned
//! faces too: in profile the eyes close up, this span does not). On the dog
//! faces (dogs.jpg and its four faces-hard variants) the span is -0.28 to
//! 0.14: the mouth sits above the eyes or on them. Only the span and its
//! direction are used, with wide margins; the eye distance is not (from
//! 0.03 in profile to 0.66 of the box's width).

use super::{Detection, Landmarks};

/// The eyes-to-mouth span, as a share of the box's height, that a face has.
const SPAN: std::ops::RangeInclusive<f32> = 0.2..=0.6;
/// How far the span may turn from straight down (a tilted head): cos 60°.
const MIN_DOWNWARD: f32 = 0.5;

/// Whether `d` may be a face by its landmarks; a box without landmarks
/// (rustface's) is not judged here.
#[must_use]
pub fn plausible(d: &Detection) -> bool {
    match &d.landmarks {
        None => true,
        Some(points) => face_like(points, d.h),
    }
}

fn face_like(Landmarks(p): &Landmarks, height: f32) -> bool {
    if height.is_nan() || height <= 0.0 || p.iter().flatten().any(|v| !v.is_finite()) {
        return false;
    }
    let mid = |a: [f32; 2], b: [f32; 2]| [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    let (eyes, mouth) = (mid(p[0], p[1]), mid(p[3], p[4]));
    let (dx, dy) = ((mouth[0] - eyes[0]) / height, (mouth[1] - eyes[1]) / height);
    let span = dx.hypot(dy);
    SPAN.contains(&span) && dy >= MIN_DOWNWARD * span
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 100x120 box at (10, 20) with points given in box shares.
    fn face(points: [[f32; 2]; 5]) -> Detection {
        Detection {
            landmarks: Some(Landmarks(
                points.map(|[u, v]| [10.0 + u * 100.0, 20.0 + v * 120.0]),
            )),
            ..Detection::new(10.0, 20.0, 100.0, 120.0, 0.3)
        }
    }

    const FRONTAL: [[f32; 2]; 5] = [
        [0.3, 0.38],
        [0.7, 0.38],
        [0.5, 0.58],
        [0.35, 0.75],
        [0.65, 0.75],
    ];

    // Issue 20: the geometry check keeps real faces.
    #[test]
    fn landmarks_of_a_frontal_face_pass_the_geometry_check() {
        assert!(plausible(&face(FRONTAL)));
    }

    // Issue 20: a profile's eyes close up; the face must still pass.
    #[test]
    fn landmarks_of_a_face_in_profile_pass_the_geometry_check() {
        let profile = [
            [0.78, 0.4],
            [0.8, 0.4],
            [0.95, 0.6],
            [0.75, 0.77],
            [0.78, 0.77],
        ];
        assert!(plausible(&face(profile)));
    }

    // Issue 20: a head tilted by 15 degrees still passes.
    #[test]
    fn landmarks_of_a_tilted_face_pass_the_geometry_check() {
        let (s, c) = 15f32.to_radians().sin_cos();
        let tilted = FRONTAL.map(|[u, v]| {
            let (x, y) = (u - 0.5, v - 0.55);
            [0.5 + x * c - y * s, 0.55 + x * s + y * c]
        });
        assert!(plausible(&face(tilted)));
    }

    // Issue 20: points heaped on one spot (a texture, a dog's nose) are no face.
    #[test]
    fn a_box_whose_landmarks_are_collapsed_is_not_a_face() {
        assert!(!plausible(&face([[0.5, 0.5]; 5])));
    }

    // Issue 20: the layout CenterFace gives a dog's face: mouth above the eyes.
    #[test]
    fn a_box_whose_mouth_lies_above_its_eyes_is_not_a_face() {
        let upside_down = [
            [0.48, 0.56],
            [0.52, 0.56],
            [0.55, 0.41],
            [0.54, 0.28],
            [0.56, 0.28],
        ];
        assert!(!plausible(&face(upside_down)));
    }

    #[test]
    fn a_box_without_landmarks_is_left_to_its_detector() {
        assert!(plausible(&Detection::new(0.0, 0.0, 10.0, 10.0, 0.9)));
    }

    #[test]
    fn landmarks_that_are_not_numbers_are_no_face() {
        let mut points = FRONTAL;
        points[3] = [f32::NAN, 0.75];
        assert!(!plausible(&face(points)));
    }
}
