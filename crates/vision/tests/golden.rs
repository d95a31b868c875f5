//! Golden tests on the rustface crate's group photo (1666x1136, about 30
//! faces, with red boxes drawn on it), found by build.rs. They need the
//! CenterFace model: `scripts/fetch-model` (the README's test command runs
//! it first). Without it they fail and say so, rather than pass on a weaker
//! detector.

use std::io::Cursor;
use std::path::PathBuf;

use image::{ImageFormat, RgbImage};
use photo_guard_core::vision::{Face, Vision};
use photo_guard_vision::anonymise::masks;
use photo_guard_vision::encode::metadata_markers;
use photo_guard_vision::{CenterFaceModel, DetectorKind, Pipeline, VisionSettings};

/// The rustface crate's group photo (vision's build.rs, from cargo metadata).
const RUSTFACE_TEST_PNG: &str = env!("RUSTFACE_TEST_PNG");

fn model() -> PathBuf {
    let path = std::env::var_os("FACE_MODEL_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../models/centerface.onnx"
            ))
        });
    assert!(
        path.is_file(),
        "the CenterFace model is missing at {}: run scripts/fetch-model before the tests",
        path.display()
    );
    path
}

fn pipeline(detectors: Vec<DetectorKind>) -> Pipeline {
    let settings = VisionSettings {
        detectors,
        centerface_model: CenterFaceModel::File(model()),
        ..VisionSettings::default()
    };
    let p = Pipeline::new(settings).expect("pipeline starts");
    assert!(p.degraded().is_none(), "{:?}", p.degraded());
    p
}

fn group_photo() -> Vec<u8> {
    std::fs::read(RUSTFACE_TEST_PNG).expect("the rustface crate's test.png")
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg)
        .expect("our own output decodes")
        .to_rgb8()
}

#[test]
fn the_group_photo_has_its_faces_found() {
    let a = pipeline(VisionSettings::default().detectors)
        .analyse(&group_photo())
        .unwrap();
    assert_eq!(a.image.dimensions(), (1666, 1136));
    assert!(a.faces.len() >= 27, "found {} faces", a.faces.len());
    assert!(
        a.faces.len() <= 40,
        "found {} faces: too many false ones",
        a.faces.len()
    );
    // Merging keeps one box per face: no two boxes overlap much.
    for (i, f) in a.faces.iter().enumerate() {
        for g in &a.faces[i + 1..] {
            assert!(overlap(f, g) < 0.5, "{f:?} and {g:?} overlap");
        }
    }
}

#[test]
fn rustface_alone_still_finds_most_faces_of_the_group_photo() {
    let p = Pipeline::new(VisionSettings {
        detectors: vec![DetectorKind::Rustface],
        ..VisionSettings::default()
    })
    .unwrap();
    let a = p.analyse(&group_photo()).unwrap();
    assert!(a.faces.len() >= 20, "found {}", a.faces.len());
}

#[test]
fn anonymised_copy_changes_the_faces_keeps_the_rest_and_has_no_metadata() {
    let p = pipeline(VisionSettings::default().detectors);
    let bytes = group_photo();
    let original = p.decode(&bytes).unwrap();
    let examined = p.examine(&bytes).unwrap();
    let faces = examined.faces().to_vec();
    assert!(faces.len() >= 20);
    let jpeg = examined.anonymise().unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    assert!(
        metadata_markers(&jpeg).is_empty(),
        "no EXIF, XMP or comment segment"
    );
    let out = decode(&jpeg);
    assert_eq!(out.dimensions(), original.dimensions());

    let ellipses = masks(&faces, p.settings().mask_margin);
    let (mut inside, mut inside_diff) = (0u64, 0u64);
    let (mut far, mut far_diff) = (0u64, 0u64);
    for (x, y, px) in out.enumerate_pixels() {
        let d = diff(px.0, original.get_pixel(x, y).0);
        if ellipses.iter().any(|m| m.contains(x, y)) {
            inside += 1;
            inside_diff += d;
        } else if ellipses.iter().all(|m| {
            let (dx, dy) = (x as f32 - m.cx, y as f32 - m.cy);
            dx * dx + dy * dy > (m.rx.max(m.ry) + 24.0).powi(2)
        }) {
            far += 1;
            far_diff += d;
        }
    }
    let (inside_mean, far_mean) = (
        inside_diff as f64 / inside as f64,
        far_diff as f64 / far as f64,
    );
    // JPEG re-encoding moves every pixel a little; hiding moves face pixels a lot.
    assert!(
        inside_mean > 15.0,
        "inside the masks pixels changed by {inside_mean:.1} on average"
    );
    assert!(
        far_mean < 4.0,
        "far outside the masks pixels changed by {far_mean:.1} on average"
    );

    // Before encoding, pixels outside every mask are exactly the original.
    let painted = p.paint(&original, &faces, None);
    for (x, y, px) in painted.enumerate_pixels() {
        if !ellipses.iter().any(|m| m.contains(x, y)) {
            assert_eq!(
                px,
                original.get_pixel(x, y),
                "({x},{y}) outside the masks changed"
            );
        }
    }
}

#[test]
fn a_sideways_phone_photo_is_examined_and_returned_upright() {
    let p = pipeline(VisionSettings::default().detectors);
    // An upright crop of the group photo with several faces.
    let full = p.decode(&group_photo()).unwrap();
    let upright = image::imageops::crop_imm(&full, 200, 150, 900, 600).to_image();
    // Faces cut by the crop's edge, and faint ones the search confirms from
    // a close look, come and go with a few pixels of context; compare the
    // whole, sure ones.
    let whole =
        |f: &&Face| f.x > 4 && f.y > 4 && f.x + f.w < 896 && f.y + f.h < 596 && f.score >= 0.5;
    let upright_faces: Vec<_> = p
        .detect(&upright)
        .unwrap()
        .0
        .iter()
        .filter(whole)
        .copied()
        .collect();
    assert!(upright_faces.len() >= 5, "{}", upright_faces.len());

    // Stored as a phone held sideways does it: pixels rotated 90 degrees
    // counter-clockwise, EXIF Orientation 6 telling viewers to turn them back.
    let stored = image::imageops::rotate270(&upright);
    let jpeg = with_exif_orientation(&jpeg_of(&stored), 6);
    let examined = p.examine(&jpeg).unwrap();
    assert_eq!(
        (examined.width(), examined.height()),
        (900, 600),
        "dimensions of the upright photo"
    );
    for f in &upright_faces {
        assert!(
            examined.faces().iter().any(|g| overlap(f, g) > 0.5),
            "face {f:?} of the upright photo not found in upright coordinates: {:?}",
            examined.faces()
        );
    }
    let out = decode(&examined.anonymise().unwrap());
    assert_eq!(out.dimensions(), (900, 600), "the copy is upright");
}

#[test]
fn png_bomb_is_refused_before_decoding() {
    let p = Pipeline::new(VisionSettings {
        detectors: vec![DetectorKind::Rustface],
        ..VisionSettings::default()
    })
    .unwrap();
    let start = std::time::Instant::now();
    let err = p.examine(&png_bomb()).err().expect("refused");
    assert!(err.to_string().contains("30000x30000"), "{err}");
    assert!(
        start.elapsed().as_millis() < 500,
        "refused from the header, not after decoding"
    );
}

fn overlap(a: &Face, b: &Face) -> f32 {
    let ix = (a.x + a.w).min(b.x + b.w).saturating_sub(a.x.max(b.x)) as f32;
    let iy = (a.y + a.h).min(b.y + b.h).saturating_sub(a.y.max(b.y)) as f32;
    let inter = ix * iy;
    inter / ((a.w * a.h + b.w * b.h) as f32 - inter)
}

fn diff(a: [u8; 3], b: [u8; 3]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u64::from(x.abs_diff(y)))
        .sum::<u64>()
        / 3
}

fn jpeg_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// Inserts an APP1 Exif segment holding only an Orientation tag right after
/// the JPEG's SOI marker (big-endian TIFF, one IFD entry).
pub fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut payload = b"Exif\x00\x00".to_vec();
    payload.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A few hundred bytes claiming to be a 30000x30000 RGB PNG.
pub fn png_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    // A zlib stream of one stored block of zeros: the start of a huge image.
    let zeros = [0u8; 256];
    let mut idat = vec![0x78, 0x01, 0x01];
    idat.extend_from_slice(&(zeros.len() as u16).to_le_bytes());
    idat.extend_from_slice(&(!(zeros.len() as u16)).to_le_bytes());
    idat.extend_from_slice(&zeros);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
