//! The clean copy an admin's "release original" posts: the photo's pixels,
//! upright, with none of the original's metadata.

use std::io::Cursor;

use image::{ImageFormat, RgbImage};

use super::*;
use crate::encode::{mean_difference, metadata_markers};

const LIMITS: DecodeLimits = DecodeLimits {
    max_bytes: 1 << 20,
    max_pixels: 1 << 20,
};

/// A 64x32 gradient: wide, so a rotation shows in the dimensions.
fn gradient() -> RgbImage {
    RgbImage::from_fn(64, 32, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 8) as u8, 100])
    })
}

/// Little-endian EXIF: Orientation 6 (turn 90° clockwise to view) and a GPS
/// IFD holding GPSLatitudeRef "S".
fn exif_app1() -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes()); // IFD0: two entries
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    tiff.extend_from_slice(&1u16.to_le_bytes()); // GPS IFD at 38: one entry
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'S', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    app1.extend_from_slice(&payload);
    app1
}

/// The gradient as a camera would store it: a JPEG with EXIF after its SOI.
fn jpeg_with_exif() -> Vec<u8> {
    let mut plain = Vec::new();
    gradient()
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&exif_app1());
    out.extend_from_slice(&plain[2..]);
    out
}

// Issue 17.14: "release original" needs a clean copy; there was none.
#[test]
fn a_clean_copy_keeps_the_pixels_upright_and_drops_exif_and_gps() {
    let original = jpeg_with_exif();
    assert!(
        original.windows(6).any(|w| w == b"Exif\0\0"),
        "fixture has EXIF"
    );
    let image = decode(&original, LIMITS).unwrap();
    assert_eq!(
        image.dimensions(),
        (32, 64),
        "orientation applied on decode"
    );
    let photo = Box::new(Photo {
        image: image.clone(),
        faces: Vec::new(),
        margin: 1.6,
        style: Style::Blur,
    });

    let clean = photo.clean_copy().unwrap();

    assert_eq!(&clean[..2], &[0xFF, 0xD8], "a JPEG");
    assert!(metadata_markers(&clean).is_empty(), "no APPn/COM segment");
    assert!(!clean.windows(4).any(|w| w == b"Exif"), "no EXIF anywhere");
    let back = image::load_from_memory(&clean).unwrap().to_rgb8();
    assert_eq!(back.dimensions(), (32, 64), "stored upright");
    let upright = image::imageops::rotate90(&gradient());
    let diff = mean_difference(&back, &upright);
    assert!(diff < 4.0, "pixels moved by {diff:.1} on average");
}
