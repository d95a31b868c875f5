//! The hostile corpus: each file with how it is sent and what must happen.

use super::forge::*;

/// What the product must do with a corpus item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
    /// The pipeline refuses it; the bot deletes it and holds it for review.
    Blocked,
    /// It decodes and shows no face; the bot leaves it in place.
    Allowed,
    /// Whatever the pipeline makes of it (bit flips): the bot must agree.
    AsDecoded,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Via {
    Photo,
    Document {
        file_name: &'static str,
        mime: &'static str,
    },
}

pub(super) struct Case {
    pub name: String,
    pub bytes: Vec<u8>,
    pub via: Via,
    pub expect: Expect,
}

impl Case {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>, via: Via, expect: Expect) -> Self {
        Case {
            name: name.into(),
            bytes,
            via,
            expect,
        }
    }
}

pub(super) const JPG: Via = Via::Document {
    file_name: "foto.jpg",
    mime: "image/jpeg",
};
pub(super) const PNG_DOC: Via = Via::Document {
    file_name: "foto.png",
    mime: "image/png",
};
pub(super) const WEBP_DOC: Via = Via::Document {
    file_name: "foto.webp",
    mime: "image/webp",
};

/// Every image of the corpus but the 25 MB one (built where it is sent).
pub(super) fn corpus() -> Vec<Case> {
    use Expect::*;
    let plain = gradient(320, 240);
    let (j, p, w) = (jpeg(&plain), png(&plain), webp(&plain));
    let faces = faces_image(480);
    let blank = gradient(faces.width(), faces.height());
    let mut cases = vec![
        Case::new("valid PNG, no face", p.clone(), Via::Photo, Allowed),
        Case::new(
            "valid lossless WebP, no face (document)",
            w.clone(),
            WEBP_DOC,
            Allowed,
        ),
        Case::new(
            "JPEG with 6 x 64 KB EXIF blocks (photo)",
            jpeg_with_huge_exif(6),
            Via::Photo,
            Allowed,
        ),
        Case::new(
            "JPEG with 6 x 64 KB EXIF blocks (document)",
            jpeg_with_huge_exif(6),
            JPG,
            Allowed,
        ),
        Case::new(
            "truncated JPEG",
            j[..j.len() / 2].to_vec(),
            Via::Photo,
            Blocked,
        ),
        Case::new("JPEG cut after its header", j[..200].to_vec(), JPG, Blocked),
        Case::new(
            "truncated PNG",
            p[..p.len() / 2].to_vec(),
            Via::Photo,
            Blocked,
        ),
        Case::new("PNG cut inside IHDR", p[..20].to_vec(), PNG_DOC, Blocked),
        Case::new(
            "truncated WebP",
            w[..w.len() / 2].to_vec(),
            WEBP_DOC,
            Blocked,
        ),
        Case::new(
            "WebP cut after RIFF header",
            w[..16].to_vec(),
            Via::Photo,
            Blocked,
        ),
        Case::new(
            "PNG claiming 30000x30000",
            png_claiming(30_000, 30_000),
            Via::Photo,
            Blocked,
        ),
        Case::new(
            "PNG claiming 30000x30000 (document)",
            png_claiming(30_000, 30_000),
            PNG_DOC,
            Blocked,
        ),
        Case::new(
            "JPEG SOF claiming 65000x65000",
            jpeg_claiming(65_000),
            Via::Photo,
            Blocked,
        ),
        Case::new(
            "JPEG SOF claiming 65000x65000 (document)",
            jpeg_claiming(65_000),
            JPG,
            Blocked,
        ),
        Case::new("PNG 0x0", png_claiming(0, 0), Via::Photo, Blocked),
        Case::new("PNG 0x240", png_claiming(0, 240), PNG_DOC, Blocked),
        Case::new("GIF89a renamed .jpg (document)", gif_1x1(), JPG, Blocked),
        Case::new("GIF89a sent as a photo", gif_1x1(), Via::Photo, Blocked),
        Case::new(
            "animated WebP: blank frame, then faces",
            animated_webp(&[blank.clone(), faces.clone()]),
            WEBP_DOC,
            Blocked,
        ),
        Case::new(
            "animated WebP as a photo",
            animated_webp(&[blank.clone(), faces.clone()]),
            Via::Photo,
            Blocked,
        ),
        Case::new(
            "animated PNG: blank frame, then faces",
            animated_png(&[blank, faces]),
            PNG_DOC,
            Blocked,
        ),
        Case::new("empty file named .jpg", Vec::new(), JPG, Blocked),
        Case::new(
            "text named .jpg",
            b"not a photo at all\n".to_vec(),
            JPG,
            Blocked,
        ),
    ];
    for (fmt, bytes, via) in [
        ("JPEG", &j, Via::Photo),
        ("PNG", &p, PNG_DOC),
        ("WebP", &w, WEBP_DOC),
    ] {
        for (seed, flips) in [(1u64, 1usize), (2, 8), (3, 64)] {
            let name = format!("{fmt} with {flips} bits flipped (seed {seed})");
            cases.push(Case::new(
                name,
                bit_flipped(bytes, seed, flips, 16),
                via,
                AsDecoded,
            ));
        }
    }
    cases
}

/// The 25 MB "photo": a JPEG header and padding, past Telegram's 20 MB bot limit.
pub(super) fn twenty_five_mb() -> Vec<u8> {
    let mut bytes = jpeg(&gradient(32, 32));
    bytes.resize(25 * 1024 * 1024, 0);
    bytes
}
