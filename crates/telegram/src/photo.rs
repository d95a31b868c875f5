//! Finding the image in a message and fetching its bytes.
//!
//! Compressed photos come as sizes (we take the largest); images sent as
//! files come as documents, which we take by MIME type and by content, since
//! a renamed file is still a photo of a client.

use futures::StreamExt;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;
use thiserror::Error;

use crate::retry::with_retry;

/// The file in a message that may be a photo.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub file_id: FileId,
    pub declared_size: u64,
    /// A document whose MIME type or name says image.
    pub looks_like_image: bool,
    pub is_document: bool,
}

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("the file is larger than the {limit} byte limit")]
    TooLarge { limit: u64 },
    #[error("Telegram refused the download: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("the download failed: {0}")]
    Download(String),
}

/// The photo or document in `msg`, if any.
pub fn candidate(msg: &Message) -> Option<Candidate> {
    if let Some(sizes) = msg.photo() {
        let largest = sizes
            .iter()
            .max_by_key(|s| (s.width as u64) * (s.height as u64))?;
        return Some(Candidate {
            file_id: largest.file.id.clone(),
            declared_size: largest.file.size as u64,
            looks_like_image: true,
            is_document: false,
        });
    }
    let doc = msg.document()?;
    let mime_image = doc.mime_type.as_ref().is_some_and(|m| m.type_() == "image");
    let name_image = doc.file_name.as_deref().is_some_and(has_image_extension);
    Some(Candidate {
        file_id: doc.file.id.clone(),
        declared_size: doc.file.size as u64,
        looks_like_image: mime_image || name_image,
        is_document: true,
    })
}

fn has_image_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".bmp", ".tif", ".tiff",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// Whether the bytes start like an image we or Telegram clients can show.
pub fn sniff_image(bytes: &[u8]) -> bool {
    const MAGIC: [&[u8]; 6] = [
        b"\xFF\xD8\xFF",
        b"\x89PNG",
        b"GIF8",
        b"BM",
        b"II*\0",
        b"MM\0*",
    ];
    let riff_webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    let heif = bytes.len() >= 12 && &bytes[4..8] == b"ftyp";
    riff_webp || heif || MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// Downloads through getFile, refusing anything over `limit` bytes even when
/// the declared size lied.
pub async fn fetch(bot: &Bot, file_id: &FileId, limit: u64) -> Result<Vec<u8>, FetchError> {
    let file = with_retry("getFile", || bot.get_file(file_id.clone()).send()).await?;
    if file.size as u64 > limit {
        return Err(FetchError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(file.size as usize);
    let mut stream = bot.download_file_stream(&file.path);
    while let Some(chunk) = stream.next().await {
        // teloxide strips the token from the URL in these errors.
        let chunk = chunk.map_err(|e| FetchError::Download(e.to_string()))?;
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(FetchError::TooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_first_bytes_not_their_name() {
        assert!(sniff_image(b"\xFF\xD8\xFF\xE0rest"));
        assert!(sniff_image(b"\x89PNG\r\n\x1a\n"));
        assert!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(sniff_image(b"GIF89a"));
        assert!(!sniff_image(b"%PDF-1.7"));
        assert!(!sniff_image(b"hello"));
        assert!(!sniff_image(b""));
    }

    #[test]
    fn image_extensions_are_matched_case_insensitively() {
        assert!(has_image_extension("IMG_0001.JPG"));
        assert!(has_image_extension("a.webp"));
        assert!(!has_image_extension("report.pdf"));
    }
}
