//! Builds the hostile corpus's files in memory: plain encodes, forged
//! headers (size claims, EXIF floods), animations, bit flips.

use std::io::Cursor;

use image::{ExtendedColorType, ImageEncoder, RgbImage};

use crate::support::*;

pub(super) fn gradient(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 128])
    })
}

pub(super) fn encode(img: &RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format)
        .expect("encode a corpus image");
    out.into_inner()
}

pub(super) fn jpeg(img: &RgbImage) -> Vec<u8> {
    encode(img, image::ImageFormat::Jpeg)
}

pub(super) fn png(img: &RgbImage) -> Vec<u8> {
    encode(img, image::ImageFormat::Png)
}

pub(super) fn webp(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("encode a lossless WebP");
    out
}

/// The rustface group photo, scaled down: many faces.
pub(super) fn faces_image(max_side: u32) -> RgbImage {
    let img = image::load_from_memory(faces_jpeg()).expect("the faces fixture decodes");
    img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
        .to_rgb8()
}

pub(super) fn crc32(data: &[u8]) -> u32 {
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

pub(super) fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// The chunks of a PNG: (type, data).
pub(super) fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
        chunks.push((kind, png[at + 8..at + 8 + len].to_vec()));
        at += 12 + len;
    }
    chunks
}

/// An RGB PNG whose header claims `width`x`height`, with a tiny IDAT.
pub(crate) fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &ihdr);
    // zlib: one stored block of 256 zero bytes.
    let zeros = [0u8; 256];
    let mut idat = vec![0x78, 0x01, 0x01];
    idat.extend_from_slice(&(zeros.len() as u16).to_le_bytes());
    idat.extend_from_slice(&(!(zeros.len() as u16)).to_le_bytes());
    idat.extend_from_slice(&zeros);
    png_chunk(&mut out, b"IDAT", &idat);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A real JPEG whose SOF0 header is patched to claim `side`x`side`.
pub(super) fn jpeg_claiming(side: u16) -> Vec<u8> {
    let mut bytes = jpeg(&gradient(64, 48));
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline JPEG has SOF0");
    bytes[sof + 5..sof + 7].copy_from_slice(&side.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&side.to_be_bytes());
    bytes
}

/// A valid JPEG carrying `n` APP1 Exif segments of the largest size a JPEG
/// segment can have (65535 bytes with its length), each an IFD claiming
/// 65535 entries that run off its end.
pub(super) fn jpeg_with_huge_exif(n: usize) -> Vec<u8> {
    let plain = jpeg(&gradient(320, 240));
    let mut out = plain[..2].to_vec(); // SOI
    for k in 0..n {
        let mut payload = b"Exif\0\0II*\0".to_vec();
        payload.extend_from_slice(&8u32.to_le_bytes());
        payload.extend_from_slice(&0xFFFFu16.to_le_bytes());
        // Orientation = 1 (as stored), then entries of noise with far offsets.
        payload.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
        while payload.len() < 65533 {
            payload.push(((payload.len() * 31 + k) % 251) as u8);
        }
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&payload);
    }
    out.extend_from_slice(&plain[2..]);
    out
}

/// The classic 43-byte 1x1 GIF89a.
pub(super) fn gif_1x1() -> Vec<u8> {
    vec![
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]
}

pub(super) fn u24(v: u32) -> [u8; 3] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2]]
}

pub(super) fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// An animated WebP (VP8X with the animation flag, ANIM, one ANMF per frame,
/// each frame a lossless VP8L bitstream). All frames have the first's size.
pub(super) fn animated_webp(frames: &[RgbImage]) -> Vec<u8> {
    let (w, h) = frames[0].dimensions();
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x02, 0, 0, 0]; // flags: animation
    vp8x.extend_from_slice(&u24(w - 1));
    vp8x.extend_from_slice(&u24(h - 1));
    riff_chunk(&mut body, b"VP8X", &vp8x);
    riff_chunk(&mut body, b"ANIM", &[255, 255, 255, 255, 0, 0]);
    for frame in frames {
        assert_eq!(frame.dimensions(), (w, h));
        let still = webp(frame);
        assert_eq!(
            &still[12..16],
            b"VP8L",
            "the lossless encoder writes a simple VP8L file"
        );
        let mut anmf = Vec::new();
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(w - 1));
        anmf.extend_from_slice(&u24(h - 1));
        anmf.extend_from_slice(&u24(500)); // ms
        anmf.push(0b10); // do not blend, do not dispose
        anmf.extend_from_slice(&still[12..]); // the VP8L chunk, padded
        riff_chunk(&mut body, b"ANMF", &anmf);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// An animated PNG (acTL, fcTL + IDAT, fcTL + fdAT): the default image is the
/// first frame, the second frame is another picture.
pub(super) fn animated_png(frames: &[RgbImage]) -> Vec<u8> {
    let (w, h) = frames[0].dimensions();
    let parts: Vec<_> = frames.iter().map(|f| png_chunks(&png(f))).collect();
    let ihdr = parts[0]
        .iter()
        .find(|(k, _)| k == b"IHDR")
        .unwrap()
        .1
        .clone();
    let idat = |chunks: &[([u8; 4], Vec<u8>)]| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(k, _)| k == b"IDAT")
            .flat_map(|(_, d)| d.clone())
            .collect()
    };
    let fctl = |seq: u32| {
        let mut d = Vec::new();
        for v in [seq, w, h, 0, 0] {
            d.extend_from_slice(&v.to_be_bytes());
        }
        d.extend_from_slice(&[0, 1, 0, 1, 0, 0]); // delay 1/1 s, no dispose, source
        d
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &ihdr);
    let mut actl = (frames.len() as u32).to_be_bytes().to_vec();
    actl.extend_from_slice(&0u32.to_be_bytes());
    png_chunk(&mut out, b"acTL", &actl);
    let mut seq = 0;
    for (i, chunks) in parts.iter().enumerate() {
        assert_eq!(frames[i].dimensions(), (w, h));
        png_chunk(&mut out, b"fcTL", &fctl(seq));
        seq += 1;
        if i == 0 {
            png_chunk(&mut out, b"IDAT", &idat(chunks));
        } else {
            let mut fdat = seq.to_be_bytes().to_vec();
            fdat.extend_from_slice(&idat(chunks));
            png_chunk(&mut out, b"fdAT", &fdat);
            seq += 1;
        }
    }
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// `bytes` with `flips` pseudo-random bits flipped after the first `skip`
/// bytes (the magic stays, so the format's own decoder meets the damage).
pub(super) fn bit_flipped(bytes: &[u8], seed: u64, flips: usize, skip: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..flips {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = skip + (state as usize) % (out.len() - skip);
        out[at] ^= 1 << ((state >> 32) % 8);
    }
    out
}
