//! File storage of the fake server: bytes behind every file_id, the
//! `file_path` getFile hands out, and the JSON for photo sizes and documents.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use serde_json::{json, Value};

/// Bots may download at most this much through getFile.
pub(crate) const DOWNLOAD_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct StoredFile {
    pub file_id: String,
    pub unique_id: String,
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

impl StoredFile {
    /// The `File` object returned by getFile.
    pub fn file_json(&self) -> Value {
        json!({
            "file_id": self.file_id,
            "file_unique_id": self.unique_id,
            "file_size": self.bytes.len(),
            "file_path": self.path,
        })
    }
}

#[derive(Default)]
pub(crate) struct FileStore {
    by_id: HashMap<String, StoredFile>,
    id_by_path: HashMap<String, String>,
    next: u64,
}

impl FileStore {
    /// Stores `bytes` under a fresh file_id; `folder` is e.g. "photos".
    pub fn add(&mut self, bytes: Arc<Vec<u8>>, folder: &str, ext: &str) -> StoredFile {
        self.next += 1;
        let n = self.next;
        let file = StoredFile {
            file_id: format!("FAKE-{folder}-{n:06}-AgACAgIAAxkBAAI"),
            unique_id: format!("AQAD{n:06}"),
            path: format!("{folder}/file_{n}.{ext}"),
            bytes,
        };
        self.id_by_path
            .insert(file.path.clone(), file.file_id.clone());
        self.by_id.insert(file.file_id.clone(), file.clone());
        file
    }

    pub fn get(&self, file_id: &str) -> Option<&StoredFile> {
        self.by_id.get(file_id)
    }

    pub fn by_path(&self, path: &str) -> Option<&StoredFile> {
        self.id_by_path.get(path).and_then(|id| self.by_id.get(id))
    }

    /// Telegram's photo array for one image: up to two downscaled sizes and the
    /// full size last. Every size serves the same bytes; the last one is "the"
    /// photo. `dims` falls back to 1280x960 for bytes that do not decode.
    pub fn photo_sizes(&mut self, bytes: Arc<Vec<u8>>) -> Value {
        let (w, h) = image_dimensions(&bytes).unwrap_or((1280, 960));
        let longest = w.max(h).max(1);
        let mut sizes = Vec::new();
        for target in [90u32, 320] {
            if target < longest {
                let sw = (u64::from(w) * u64::from(target) / u64::from(longest)).max(1);
                let sh = (u64::from(h) * u64::from(target) / u64::from(longest)).max(1);
                sizes.push((sw, sh));
            }
        }
        sizes.push((u64::from(w), u64::from(h)));
        let entries: Vec<Value> = sizes
            .into_iter()
            .map(|(sw, sh)| {
                let f = self.add(bytes.clone(), "photos", "jpg");
                json!({
                    "file_id": f.file_id,
                    "file_unique_id": f.unique_id,
                    "file_size": bytes.len(),
                    "width": sw,
                    "height": sh,
                })
            })
            .collect();
        Value::Array(entries)
    }

    /// A `Document` object for `bytes`.
    pub fn document(&mut self, bytes: Arc<Vec<u8>>, file_name: Option<&str>, mime: &str) -> Value {
        let ext = extension(file_name, mime);
        let f = self.add(bytes.clone(), "documents", &ext);
        let mut doc = json!({
            "file_id": f.file_id,
            "file_unique_id": f.unique_id,
            "file_size": bytes.len(),
            "mime_type": mime,
        });
        if let Some(name) = file_name {
            doc["file_name"] = json!(name);
        }
        doc
    }
}

/// Width and height of an image, read from its header only.
pub(crate) fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// MIME type from the file name's extension, else from magic bytes.
pub(crate) fn guess_mime(file_name: Option<&str>, bytes: &[u8]) -> String {
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    let by_ext = match ext.as_deref() {
        Some("jpg" | "jpeg") => Some("image/jpeg"),
        Some("png") => Some("image/png"),
        Some("webp") => Some("image/webp"),
        Some("gif") => Some("image/gif"),
        Some("pdf") => Some("application/pdf"),
        Some("txt") => Some("text/plain"),
        _ => None,
    };
    let by_magic = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"GIF8") {
        "image/gif"
    } else if bytes.starts_with(b"%PDF") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    by_ext.unwrap_or(by_magic).to_owned()
}

fn extension(file_name: Option<&str>, mime: &str) -> String {
    let from_name = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    from_name.unwrap_or_else(|| {
        match mime {
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/webp" => "webp",
            "image/gif" => "gif",
            "application/pdf" => "pdf",
            _ => "bin",
        }
        .to_owned()
    })
}

/// Percent-decodes a URL path or query component (`+` is kept as is).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
