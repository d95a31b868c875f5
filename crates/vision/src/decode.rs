//! Untrusted bytes to an upright RGB image, refusing anything too big or
//! malformed *before* the pixel buffer is allocated.
//!
//! Order of checks, cheapest first: byte count, format sniffed from the
//! content (JPEG, PNG, WebP only), dimensions read from the header, then the
//! decode itself under `image::Limits`. A 30000x30000 PNG of a few KB is
//! refused at the header. The EXIF orientation is applied so every box the
//! pipeline reports is in the image as a person would look at it.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use photo_guard_core::vision::VisionError;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("{size} bytes is more than the limit of {max}")]
    TooManyBytes { size: u64, max: u64 },
    #[error("{width}x{height} is more than the limit of {max} pixels")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("not a JPEG, PNG or WebP image{0}")]
    Unsupported(String),
    /// Only the first frame would be examined; a later one may show a face.
    #[error("an animated {0}: only still images can be checked")]
    Animated(&'static str),
    #[error("{0}")]
    Corrupt(String),
}

impl From<DecodeError> for VisionError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::TooManyBytes { .. } | DecodeError::TooManyPixels { .. } => {
                VisionError::TooLarge(e.to_string())
            }
            DecodeError::Unsupported(_) | DecodeError::Animated(_) => {
                VisionError::Unsupported(e.to_string())
            }
            DecodeError::Empty | DecodeError::Corrupt(_) => VisionError::Corrupt(e.to_string()),
        }
    }
}

/// What decoding refuses.
#[derive(Debug, Clone, Copy)]
pub struct DecodeLimits {
    pub max_bytes: u64,
    pub max_pixels: u64,
}

/// Decodes `bytes` into an upright RGB image. Transparent pixels are laid on
/// white, as a viewer shows them, so nothing hidden under an alpha channel
/// reappears in the JPEG we write.
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<RgbImage, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(DecodeError::TooManyBytes {
            size,
            max: limits.max_bytes,
        });
    }
    let format = sniff(bytes)?;
    if is_animated(format, bytes) {
        return Err(DecodeError::Animated(if format == ImageFormat::Png {
            "PNG"
        } else {
            "WebP"
        }));
    }
    if format == ImageFormat::Jpeg && !jpeg_has_end(bytes) {
        // zune-jpeg fills a truncated scan with grey instead of failing; a
        // half photo is still a photo we could not read properly.
        return Err(DecodeError::Corrupt(
            "truncated JPEG (no end-of-image marker)".into(),
        ));
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits(limits.max_pixels));
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(DecodeError::Corrupt(format!(
            "{width}x{height} has no pixels"
        )));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(DecodeError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    // A broken EXIF block must not stop us: the photo is still examined, as
    // stored, rather than refused for its metadata.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    Ok(flatten(image))
}

/// Reads the format from the first bytes, never from a file name.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, DecodeError> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(f),
        Ok(other) => Err(DecodeError::Unsupported(format!(" ({other:?})"))),
        Err(_) => Err(DecodeError::Unsupported(String::new())),
    }
}

/// Whether the file holds more than one frame: a WebP whose VP8X header has
/// the animation flag, or a PNG with an acTL chunk (APNG) before its pixels.
/// The decoder would hand us the first frame only.
fn is_animated(format: ImageFormat, bytes: &[u8]) -> bool {
    match format {
        ImageFormat::WebP => {
            bytes.len() >= 21 && &bytes[12..16] == b"VP8X" && bytes[20] & 0x02 != 0
        }
        ImageFormat::Png => {
            let mut at = 8;
            while at + 8 <= bytes.len() {
                let len =
                    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                        as usize;
                match &bytes[at + 4..at + 8] {
                    b"acTL" => return true,
                    b"IDAT" | b"IEND" => return false,
                    _ => at = at.saturating_add(12).saturating_add(len),
                }
            }
            false
        }
        _ => false,
    }
}

/// A JPEG ends with FF D9. Phones sometimes append data after it (and MPF
/// pictures carry a second JPEG), so we accept the marker anywhere after the
/// first start-of-scan rather than only as the last two bytes.
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

fn decoder_limits(max_pixels: u64) -> Limits {
    let mut limits = Limits::default();
    let side = u32::try_from(max_pixels).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    // Up to 8 bytes a pixel (16-bit RGBA) plus working room for the decoder.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    limits
}

fn describe(e: image::ImageError) -> DecodeError {
    match e {
        image::ImageError::Limits(l) => {
            DecodeError::Corrupt(format!("over the decoding limits: {l}"))
        }
        image::ImageError::Unsupported(u) => DecodeError::Unsupported(format!(" ({u})")),
        other => DecodeError::Corrupt(other.to_string()),
    }
}

fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    RgbImage::from_fn(w, h, |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([over(p[0]), over(p[1]), over(p[2])])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: DecodeLimits = DecodeLimits {
        max_bytes: 1 << 20,
        max_pixels: 4_000_000,
    };

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        RgbImage::new(w, h)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn empty_bytes_are_refused() {
        assert_eq!(decode(&[], LIMITS), Err(DecodeError::Empty));
    }

    #[test]
    fn text_is_not_an_image() {
        assert!(matches!(
            decode(b"hello, world\n", LIMITS),
            Err(DecodeError::Unsupported(_))
        ));
    }

    #[test]
    fn too_many_bytes_are_refused_before_sniffing() {
        let limits = DecodeLimits {
            max_bytes: 10,
            ..LIMITS
        };
        assert!(matches!(
            decode(&png(4, 4), limits),
            Err(DecodeError::TooManyBytes { .. })
        ));
    }

    #[test]
    fn too_many_pixels_are_refused_from_the_header() {
        let limits = DecodeLimits {
            max_pixels: 99,
            ..LIMITS
        };
        assert!(matches!(
            decode(&png(10, 10), limits),
            Err(DecodeError::TooManyPixels { .. })
        ));
    }

    #[test]
    fn a_small_png_decodes() {
        let img = decode(&png(7, 5), LIMITS).unwrap();
        assert_eq!(img.dimensions(), (7, 5));
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let mut out = Vec::new();
        image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        let img = decode(&out, LIMITS).unwrap();
        assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255]);
    }
}
