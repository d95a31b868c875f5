//! Issue 6, hostile input: a corpus the tests build themselves (nothing binary
//! is committed), run through the vision pipeline directly and through the
//! real bot against the fake Telegram.
//!
//! - Undecodable, truncated, bombs, 0x0, GIF, animated, too large: the
//!   pipeline refuses them (`Err`), and the bot blocks them: the original is
//!   deleted, the bytes are quarantined and the admins get a review alert.
//! - Valid images without a face (PNG, WebP, a JPEG carrying several 64 KB
//!   EXIF blocks): allowed and left in place.
//! - Bit-flipped files: whatever the pipeline makes of them, the bot does the
//!   same (an `Err` is a block, no face an allow, faces a blur), never a panic.
//! - Captions of 4096 characters and odd Unicode, commands with quotes,
//!   newlines and SQL-looking text, forged callback data: recorded verbatim or
//!   refused with a clear answer; the bot keeps answering `/rules`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use image::{ExtendedColorType, ImageEncoder, RgbImage};
use photo_guard_core::store::{AuditLog, ConsentStore, Vault};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, ConsentEvent, ConsentLevel, GivenBy, Lang, Resolution, Vision};
use photo_guard_vision::{Pipeline, VisionSettings};

use crate::support::*;

/// The hostile tests measure RSS; they do not run on top of each other.
static SERIAL: Mutex<()> = Mutex::new(());

// ---------------------------------------------------------------- the corpus

/// What the product must do with a corpus item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The pipeline refuses it; the bot deletes it and holds it for review.
    Blocked,
    /// It decodes and shows no face; the bot leaves it in place.
    Allowed,
    /// Whatever the pipeline makes of it (bit flips): the bot must agree.
    AsDecoded,
}

#[derive(Debug, Clone, Copy)]
enum Via {
    Photo,
    Document {
        file_name: &'static str,
        mime: &'static str,
    },
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    via: Via,
    expect: Expect,
}

impl Case {
    fn new(name: impl Into<String>, bytes: Vec<u8>, via: Via, expect: Expect) -> Self {
        Case {
            name: name.into(),
            bytes,
            via,
            expect,
        }
    }
}

fn gradient(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 128])
    })
}

fn encode(img: &RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format)
        .expect("encode a corpus image");
    out.into_inner()
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    encode(img, image::ImageFormat::Jpeg)
}

fn png(img: &RgbImage) -> Vec<u8> {
    encode(img, image::ImageFormat::Png)
}

fn webp(img: &RgbImage) -> Vec<u8> {
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
fn faces_image(max_side: u32) -> RgbImage {
    let img = image::load_from_memory(faces_jpeg()).expect("the faces fixture decodes");
    img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
        .to_rgb8()
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

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// The chunks of a PNG: (type, data).
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
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
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
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
fn jpeg_claiming(side: u16) -> Vec<u8> {
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
fn jpeg_with_huge_exif(n: usize) -> Vec<u8> {
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
fn gif_1x1() -> Vec<u8> {
    vec![
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]
}

fn u24(v: u32) -> [u8; 3] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2]]
}

fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// An animated WebP (VP8X with the animation flag, ANIM, one ANMF per frame,
/// each frame a lossless VP8L bitstream). All frames have the first's size.
fn animated_webp(frames: &[RgbImage]) -> Vec<u8> {
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
fn animated_png(frames: &[RgbImage]) -> Vec<u8> {
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
fn bit_flipped(bytes: &[u8], seed: u64, flips: usize, skip: usize) -> Vec<u8> {
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

const JPG: Via = Via::Document {
    file_name: "foto.jpg",
    mime: "image/jpeg",
};
const PNG_DOC: Via = Via::Document {
    file_name: "foto.png",
    mime: "image/png",
};
const WEBP_DOC: Via = Via::Document {
    file_name: "foto.webp",
    mime: "image/webp",
};

/// Every image of the corpus but the 25 MB one (built where it is sent).
fn corpus() -> Vec<Case> {
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
fn twenty_five_mb() -> Vec<u8> {
    let mut bytes = jpeg(&gradient(32, 32));
    bytes.resize(25 * 1024 * 1024, 0);
    bytes
}

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/centerface.onnx");
        assert!(
            model.is_file(),
            "{} is missing: run scripts/fetch-model",
            model.display()
        );
        let settings = VisionSettings {
            centerface_model: model,
            ..Default::default()
        };
        let pipeline = Pipeline::new(settings).expect("the pipeline loads");
        assert!(
            pipeline.degraded().is_none(),
            "CenterFace must be loaded for these tests"
        );
        pipeline
    })
}

/// What the guard should do with these bytes, from the pipeline's own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Block,
    Allow,
    Blur,
}

fn library_outcome(bytes: &[u8]) -> Outcome {
    match pipeline().examine(bytes) {
        Err(_) => Outcome::Block,
        Ok(e) if e.faces().is_empty() => Outcome::Allow,
        Ok(_) => Outcome::Blur,
    }
}

fn expected_outcome(case: &Case) -> Outcome {
    match case.expect {
        Expect::Blocked => Outcome::Block,
        Expect::Allowed => Outcome::Allow,
        Expect::AsDecoded => library_outcome(&case.bytes),
    }
}

fn vm_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

// ------------------------------------------------------- library-level tests

#[test]
fn hostile_corpus_at_the_library_level_is_refused_or_examined_without_panic() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut failures = Vec::new();
    let mut cases = corpus();
    cases.push(Case::new(
        "25 MB JPEG-headed file",
        twenty_five_mb(),
        JPG,
        Expect::Blocked,
    ));
    for case in &cases {
        let started = std::time::Instant::now();
        let result = pipeline().examine(&case.bytes);
        let took = started.elapsed();
        let got = match &result {
            Err(e) => format!("Err({e})"),
            Ok(e) => format!(
                "Ok({}x{}, {} faces)",
                e.width(),
                e.height(),
                e.faces().len()
            ),
        };
        eprintln!("hostile corpus: {:<48} {got} in {took:?}", case.name);
        if case.name.starts_with("animated") {
            // Why decode refuses these itself: the image crate hands back the first frame.
            let alone = image::load_from_memory(&case.bytes).map(|i| (i.width(), i.height()));
            eprintln!(
                "hostile corpus: {:<48} the image crate alone: {alone:?}",
                case.name
            );
        }
        let ok = match case.expect {
            Expect::Blocked => result.is_err(),
            Expect::Allowed => result.as_ref().is_ok_and(|e| e.faces().is_empty()),
            Expect::AsDecoded => true,
        };
        if !ok {
            failures.push(format!(
                "{}: expected {:?}, got {got}",
                case.name, case.expect
            ));
        }
        // Not a timing test: a generous bound that only a hang or a bomb breaks.
        if took > std::time::Duration::from_secs(30) {
            failures.push(format!("{}: took {took:?}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "library-level hostile corpus:\n{}",
        failures.join("\n")
    );
}

#[test]
fn refusing_bombs_and_broken_files_fifty_times_does_not_grow_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let bad: Vec<Vec<u8>> = corpus()
        .into_iter()
        .filter(|c| c.expect == Expect::Blocked)
        .map(|c| c.bytes)
        .collect();
    assert!(bad.len() >= 15);
    // Warm up: the model, the allocator's arenas, rayon's threads.
    for bytes in &bad {
        let _ = pipeline().examine(bytes);
    }
    let before = vm_rss_kb();
    for _ in 0..50 {
        for bytes in &bad {
            assert!(pipeline().examine(bytes).is_err());
        }
    }
    let after = vm_rss_kb();
    let grown_mb = after.saturating_sub(before) / 1024;
    eprintln!(
        "RSS before {} MB, after {} MB ({} refusals)",
        before / 1024,
        after / 1024,
        50 * bad.len()
    );
    assert!(
        grown_mb <= 100,
        "RSS grew by {grown_mb} MB over 50 rounds of hostile files"
    );
}

// ---------------------------------------------------------- through the bot

/// The verdict the guard logged for each message of `chat`, from the audit log.
async fn verdicts(app: &TestApp) -> BTreeMap<i64, (String, String)> {
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    let entries = app
        .store()
        .await
        .entries_since(since)
        .await
        .expect("the audit log reads");
    let mut out = BTreeMap::new();
    for e in entries {
        let Some(verdict) = e.event.action.strip_prefix("share.") else {
            continue;
        };
        let detail: serde_json::Value = serde_json::from_str(&e.event.detail).unwrap_or_default();
        let message = detail["message"].as_i64().unwrap_or(-1);
        let reason = detail["reason"]
            .as_object()
            .and_then(|r| r.keys().next().cloned())
            .unwrap_or_else(|| detail["reason"].to_string());
        out.insert(message, (verdict.to_owned(), reason));
    }
    out
}

fn send(app: &TestApp, case: &Case, caption: Option<&str>) -> i32 {
    match case.via {
        Via::Photo => app.fake.send_photo(GROUP, ALICE, &case.bytes, caption),
        Via::Document { file_name, mime } => {
            app.fake
                .send_document(GROUP, ALICE, &case.bytes, file_name, mime, caption)
        }
    }
}

/// Whether the admin got a review alert with buttons for quarantine `item`.
fn alerted(app: &TestApp, item: i64) -> bool {
    let data = format!("rv:v:{item}");
    app.fake.messages_to(ADMIN).iter().any(|m| {
        m.reply_markup
            .as_ref()
            .is_some_and(|k| k.to_string().contains(&data))
    })
}

/// The bot still runs and answers a command in the group.
async fn still_answers_rules(app: &mut TestApp, when: &str) {
    assert!(app.still_running(), "the bot process died ({when})");
    let rules = text(Lang::Id, &Msg::Rules);
    let before = app
        .fake
        .sent_messages(GROUP)
        .iter()
        .filter(|m| m.text == rules)
        .count();
    app.fake.send_text(GROUP, ALICE, "/rules");
    let answered = app
        .fake
        .wait_until(WAIT, |f| {
            f.sent_messages(GROUP)
                .iter()
                .filter(|m| m.text == rules)
                .count()
                > before
        })
        .await;
    assert!(answered, "the bot stopped answering /rules ({when})");
}

#[tokio::test(flavor = "multi_thread")]
#[allow(clippy::await_holding_lock)]
async fn hostile_images_sent_to_the_group_are_blocked_or_allowed_and_the_bot_survives() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut cases = corpus();
    cases.push(Case::new(
        "25 MB JPEG document (over the 20 MB bot limit)",
        twenty_five_mb(),
        JPG,
        Expect::Blocked,
    ));
    let expected: Vec<Outcome> = cases.iter().map(expected_outcome).collect();
    let mut app = TestApp::spawn().await;

    let sent: Vec<i32> = cases
        .iter()
        .map(|c| send(&app, c, Some("kegiatan hari ini")))
        .collect();
    assert!(
        app.wait_checked(cases.len() as u64).await,
        "not every hostile image was checked"
    );
    let removed: Vec<i32> = sent
        .iter()
        .zip(&expected)
        .filter(|(_, e)| **e != Outcome::Allow)
        .map(|(m, _)| *m)
        .collect();
    let all_removed = app
        .fake
        .wait_until(WAIT, |f| removed.iter().all(|m| f.is_deleted(GROUP, *m)))
        .await;
    let blocked = expected.iter().filter(|e| **e == Outcome::Block).count();
    let alerts_in = app
        .fake
        .wait_until(WAIT, |f| {
            f.messages_to(ADMIN)
                .iter()
                .filter(|m| m.reply_markup.is_some())
                .count()
                >= blocked
        })
        .await;

    let verdicts = verdicts(&app).await;
    let pending = app.store().await.pending().await.expect("the vault reads");
    let mut failures = Vec::new();
    for ((case, msg), want) in cases.iter().zip(&sent).zip(&expected) {
        let mut problems = Vec::new();
        let (verdict, reason) = verdicts.get(&i64::from(*msg)).cloned().unwrap_or_default();
        let deleted = app.fake.is_deleted(GROUP, *msg);
        let want_verdict = match want {
            Outcome::Block => "block",
            Outcome::Allow => "allow",
            Outcome::Blur => "blur",
        };
        if verdict != want_verdict {
            problems.push(format!(
                "verdict {verdict:?} ({reason}), want {want_verdict:?}"
            ));
        }
        if deleted != (*want != Outcome::Allow) {
            problems.push(format!("deleted={deleted}"));
        }
        if *want == Outcome::Block {
            if case.expect == Expect::Blocked && reason != "Unreadable" {
                problems.push(format!("blocked for {reason}, want Unreadable"));
            }
            match pending.iter().find(|i| i.message.0 == i64::from(*msg)) {
                None => problems.push("not held in quarantine".into()),
                Some(item) if !alerted(&app, item.id.0) => {
                    problems.push(format!("no admin alert for item {}", item.id.0))
                }
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} (message {msg}): {}",
                case.name,
                problems.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "hostile images through the bot:\n{}",
        failures.join("\n")
    );
    assert!(all_removed && alerts_in);
    // A blocked photo is never re-posted; only blurred copies of AsDecoded cases may appear.
    let blurred = expected.iter().filter(|e| **e == Outcome::Blur).count();
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        blurred,
        "only blur verdicts post a copy"
    );
    // Nothing hostile left half done in the inbox.
    let unfinished = photo_guard_core::store::Inbox::unfinished(&app.store().await)
        .await
        .unwrap();
    assert!(
        unfinished.is_empty(),
        "{} updates left unfinished",
        unfinished.len()
    );
    still_answers_rules(&mut app, "after the image corpus").await;
}

/// 4096 characters: odd Unicode up front, the tag, then filler with emoji.
fn long_caption(tag: &str) -> String {
    let mut caption = String::from(
        "\u{200F}\u{202E}مرحبا \u{200D}👨\u{200D}👩\u{200D}👧 \u{0000}nul \u{FEFF}\u{200B}",
    );
    caption.push_str(tag);
    caption.push_str("\u{200D} ");
    let filler = ['a', 'ü', '🙂', '\u{200F}', ' ', '#', '界', '\u{0301}'];
    let mut i = 0;
    while caption.chars().count() < 4096 {
        caption.push(filler[i % filler.len()]);
        i += 1;
    }
    caption
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[tokio::test(flavor = "multi_thread")]
#[allow(clippy::await_holding_lock)]
async fn hostile_captions_commands_and_callbacks_are_handled_verbatim_or_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut app = TestApp::spawn().await;
    let store = app.store().await;
    let username = app.fake.bot_username();

    // --- captions -----------------------------------------------------------
    let answer = app
        .private_command(ADMIN, "/consent HOSTILE1 refused")
        .await;
    assert!(answer.contains("HOSTILE1"), "{answer}");
    let tagged = long_caption("#HOSTILE1");
    assert_eq!(tagged.chars().count(), 4096);
    let blocked_msg = app
        .fake
        .send_photo(GROUP, ALICE, plain_jpeg(), Some(&tagged));
    let untagged = long_caption("#BUKANKLIEN");
    let blurred_msg = app
        .fake
        .send_photo(GROUP, ALICE, faces_jpeg(), Some(&untagged));
    assert!(
        app.wait_checked(2).await,
        "the captioned photos were not checked"
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| f.is_deleted(GROUP, blocked_msg))
            .await,
        "the tagged photo stayed"
    );
    assert!(
        app.fake
            .wait_until(WAIT, |f| !f.sent_photos(GROUP).is_empty())
            .await,
        "no blurred copy was posted"
    );
    assert!(app.fake.is_deleted(GROUP, blurred_msg));
    let item = store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.message.0 == i64::from(blocked_msg));
    let item = item.expect("the tagged photo is held for review");
    assert_eq!(
        item.caption.as_deref(),
        Some(tagged.as_str()),
        "the caption was not kept verbatim (NUL, RTL, ZWJ)"
    );
    assert_eq!(item.tags, vec![ClientCode::parse("HOSTILE1").unwrap()]);
    let copy = &app.fake.sent_photos(GROUP)[0];
    let caption = copy.caption.clone().unwrap_or_default();
    // Telegram counts a caption's 1024 characters in UTF-16 code units.
    assert!(
        utf16_len(&caption) <= 1024,
        "blurred copy's caption is {} UTF-16 units",
        utf16_len(&caption)
    );
    assert!(caption.starts_with("📷 Dari Alice"), "{caption:.80}");
    assert!(
        caption.ends_with(&text(Lang::Id, &Msg::Reminder)),
        "the reminder was cut off"
    );

    // --- commands with quotes, newlines and SQL-looking text ----------------
    let sql = "'; DROP TABLE consent_records;--";
    let answer = app
        .private_command(ADMIN, &format!("/consent KLN1 full purpose=\"{sql}\""))
        .await;
    let code = |c: &str| ClientCode::parse(c).unwrap();
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::ConsentRecorded {
                code: &code("KLN1"),
                level: ConsentLevel::Full,
                until: None
            }
        )
    );
    let grant_of = |history: &[photo_guard_core::ConsentRecord]| match &history
        .last()
        .expect("a record")
        .event
    {
        ConsentEvent::Granted(g) => g.clone(),
        other => panic!("expected a grant, got {other:?}"),
    };
    let g = grant_of(&store.consent_history(&code("KLN1")).await.unwrap());
    assert_eq!(
        g.purpose.as_deref(),
        Some(sql),
        "purpose not recorded verbatim"
    );

    let answer = app
        .private_command(ADMIN, "/consent KLN2 blurred evidence=\"F-12\nbaris dua\" purpose=\"kata \\\"kutip\\\" dan 'tunggal'; --\"")
        .await;
    assert!(answer.contains("KLN2"), "{answer}");
    let g = grant_of(&store.consent_history(&code("KLN2")).await.unwrap());
    assert_eq!(g.evidence.as_deref(), Some("F-12\nbaris dua"));
    assert_eq!(
        g.purpose.as_deref(),
        Some("kata \"kutip\" dan 'tunggal'; --")
    );

    let answer = app
        .private_command(ADMIN, "/consent\nKLN3\nfull\nby=guardian")
        .await;
    assert!(answer.contains("KLN3"), "{answer}");
    let g = grant_of(&store.consent_history(&code("KLN3")).await.unwrap());
    assert_eq!(
        (g.level, g.given_by),
        (ConsentLevel::Full, GivenBy::Guardian)
    );

    let reason = "Robert'); DROP TABLE students;-- \"x\"\nbaris 2";
    let answer = app
        .private_command(ADMIN, &format!("/withdraw KLN1 {reason}"))
        .await;
    assert_eq!(
        answer,
        text(
            Lang::Id,
            &Msg::Withdrawn {
                code: &code("KLN1")
            }
        )
    );
    let history = store.consent_history(&code("KLN1")).await.unwrap();
    assert!(
        matches!(&history.last().unwrap().event, ConsentEvent::Withdrawn { reason: Some(r) } if r == reason),
        "withdrawal reason not verbatim: {:?}",
        history.last().unwrap().event
    );

    // Refused with a clear one-line error and nothing recorded.
    let long_purpose = format!("/consent KLN7 full purpose=\"{}\"", "x".repeat(4000));
    let long_code = format!("/consent {} full", "A".repeat(4080));
    let refused = [
        "/consent KLN4 full purpose=\"a b",
        "/consent KLN5 full evidence=\"x\u{0}y\"",
        "/consent KLN6 full purpose=\"\u{202E}kiri\"",
        long_purpose.as_str(),
        long_code.as_str(),
        "/consent KLN8 full; DROP TABLE consent_records",
        "/client KLN1' OR '1'='1",
        "/grant 1004 admin; DROP TABLE roles",
        "/grant 1004; admin",
        "/ungrant -1",
        "/audit 99999999999999999999",
        "/policy mode=observe\u{0}",
    ];
    for command in refused {
        let expected = match photo_guard_core::command::parse(command, &username) {
            Some(Err(e)) => text(
                Lang::Id,
                &Msg::CommandProblem {
                    problem: e.problem(),
                    command: e.command(),
                },
            ),
            other => panic!("{command:.60?} should not parse, got {other:?}"),
        };
        let answer = app.private_command(ADMIN, command).await;
        assert_eq!(answer, expected, "answer to {command:.60?}");
        assert!(
            answer.chars().count() < 400,
            "a clear, short error for {command:.60?}"
        );
    }
    let clients: Vec<String> = store
        .clients()
        .await
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        clients,
        ["HOSTILE1", "KLN1", "KLN2", "KLN3"],
        "only the accepted commands registered clients"
    );
    assert_eq!(
        photo_guard_core::store::RoleStore::role(&store, photo_guard_core::UserId(MALLORY))
            .await
            .unwrap(),
        None
    );
    // The database still answers through the bot.
    let answer = app.private_command(ADMIN, "/client KLN1").await;
    assert!(
        answer.starts_with("KLN1: ") && answer.contains(sql),
        "{answer}"
    );
    let answer = app.private_command(ADMIN, "/clients").await;
    assert!(
        answer.contains("KLN2") && answer.contains("KLN3"),
        "{answer}"
    );

    // --- forged callback data -------------------------------------------------
    let alert = app
        .fake
        .messages_to(ADMIN)
        .into_iter()
        .find(|m| {
            m.reply_markup
                .as_ref()
                .is_some_and(|k| k.to_string().contains(&format!("rv:v:{}", item.id.0)))
        })
        .expect("the admin alert for the captioned photo");
    let id = item.id.0;
    let forged = [
        "rv:v:-1".to_owned(),
        "rv:x:1".to_owned(),
        format!("rv:x:{id}"),
        "rv:v:99999999999999999999".to_owned(),
        "rv:d:0".to_owned(),
        format!("rv:d:{id}:extra"),
        format!("rv:d: {id}"),
        format!("RV:D:{id}"),
        format!(" rv:d:{id}"),
        format!("rv:d:{id}\u{0}"),
        format!("\u{FFFD}\u{0}\u{1}rv:d:{id}\u{FFFF}"),
        "rv:d:１".to_owned(),
        format!("rv:d:{}", "9".repeat(10_000)),
        "x".repeat(10 * 1024),
        String::new(),
        "rv".to_owned(),
        "rv::".to_owned(),
    ];
    let stale = text(Lang::Id, &Msg::ReviewStale);
    for data in &forged {
        let press = app.fake.press_button(ADMIN, ADMIN, alert.message_id, data);
        assert!(
            app.fake
                .wait_until(WAIT, |f| f.callback_answer(&press).is_some())
                .await,
            "no answer to {data:.40?}"
        );
        let answer = app
            .fake
            .callback_answer(&press)
            .unwrap()
            .text
            .unwrap_or_default();
        assert_eq!(answer, stale, "answer to forged data {data:.40?}");
    }
    let still = store.item(item.id).await.unwrap();
    assert_eq!(
        still.resolution,
        Resolution::Pending,
        "a forged press changed the item"
    );
    assert!(
        app.fake.sent_photos(ADMIN).is_empty(),
        "a forged press showed the photo"
    );
    assert_eq!(
        app.fake.sent_photos(GROUP).len(),
        1,
        "a forged press released something"
    );

    still_answers_rules(&mut app, "after hostile captions, commands and callbacks").await;
}
