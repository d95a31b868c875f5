//! Fetching a visual item's bytes within the download limit, what a failed
//! download means to the core's intake (issue 17.3: only Telegram's final
//! answers remove a photo at once), and telling an image by its first bytes
//! (what the item is: `candidate.rs`).

use futures::StreamExt;
use photo_guard_core::services::FetchFailure;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;
use teloxide::RequestError;
use thiserror::Error;

use crate::retry::{is_transient, with_retry};

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("the file is larger than the {limit} byte limit")]
    TooLarge { limit: u64 },
    #[error("Telegram refused the download: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("the download failed: {0}")]
    Download(String),
}

/// What the intake makes of a failed download: over the limit and a 4xx
/// from getFile ("file is too big", "wrong file_id") are final; anything
/// else is worth another try.
pub fn failure(err: FetchError) -> FetchFailure {
    match err {
        FetchError::TooLarge { limit } => FetchFailure::TooLarge { limit },
        FetchError::Telegram(e) if is_permanent(&e) => FetchFailure::Refused,
        other => FetchFailure::Failed(other.to_string()),
    }
}

/// Telegram's final answer: an API error that is not a 429 or a 5xx.
fn is_permanent(err: &RequestError) -> bool {
    matches!(err, RequestError::Api(_)) && !is_transient(err)
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
    use teloxide::ApiError;

    use super::*;

    #[test]
    fn a_4xx_from_getfile_is_final_and_a_5xx_or_429_is_not() {
        // Issue 17.3: only Telegram's final answers remove a photo at once.
        let bad = RequestError::Api(ApiError::Unknown("Bad Request: file is too big".into()));
        assert!(is_permanent(&bad));
        assert!(is_permanent(&RequestError::Api(ApiError::WrongFileId)));
        let server = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert!(!is_permanent(&server));
        let wait = RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3));
        assert!(!is_permanent(&wait));
    }

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
}
