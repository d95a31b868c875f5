//! Writing the anonymised copy: a fresh JPEG from pixels only. The
//! encoder (jpeg-encoder: several times faster than image's own) writes no
//! EXIF, XMP, ICC or comment segment unless asked, so nothing of the
//! original's metadata (GPS, camera, time) survives.

use image::RgbImage;
use jpeg_encoder::{ColorType, Encoder};
use thiserror::Error;

/// High enough that a chat shows no artefacts, low enough to stay small.
pub const QUALITY: u8 = 88;

#[derive(Debug, Error)]
#[error("JPEG encoding failed: {0}")]
pub struct EncodeError(String);

pub fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, EncodeError> {
    let too_big = || {
        EncodeError(format!(
            "{}x{} exceeds JPEG's 65535 px",
            image.width(),
            image.height()
        ))
    };
    let width = u16::try_from(image.width()).map_err(|_| too_big())?;
    let height = u16::try_from(image.height()).map_err(|_| too_big())?;
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    Encoder::new(&mut out, QUALITY)
        .encode(image.as_raw(), width, height, ColorType::Rgb)
        .map_err(|e| EncodeError(e.to_string()))?;
    Ok(out)
}

/// The JPEG segments (APPn, COM) that could carry metadata, by marker byte.
/// Used by tests to prove the output has none beyond JFIF's APP0.
pub fn metadata_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut found = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        if marker == 0xDA {
            break; // start of scan: no more header segments
        }
        if (0xE1..=0xEF).contains(&marker) || marker == 0xFE {
            found.push(marker);
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        i += 2 + len;
    }
    found
}

/// The mean absolute difference per channel between two images of the same
/// size: what JPEG re-encoding moves a little (under ~4) and hiding a face
/// moves a lot. Used by tests to tell a clean copy from a blurred one.
pub fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_is_a_jpeg_with_no_metadata_segment() {
        let jpeg = encode_jpeg(&RgbImage::new(16, 8)).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        assert!(metadata_markers(&jpeg).is_empty());
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (16, 8));
    }
}
