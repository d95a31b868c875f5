//! Free text sealed at rest: what people typed (captions, sender names, whole
//! Telegram updates) is stored as `sealed:v1:` followed by base64 of a fresh
//! 24-byte nonce and its XChaCha20-Poly1305 ciphertext under the vault key,
//! with associated data naming what it is and the row it belongs to. Text
//! moved to another row or field, or read with a wrong key, fails to open.
//!
//! Text without the prefix was written by a version that stored it in clear;
//! it is read as it is, so an upgrade loses nothing, and goes at retention.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use thiserror::Error;

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SealedTextError {
    #[error("could not seal the {0}")]
    Seal(&'static str),
    /// Wrong key, altered text, or text that belongs to another row.
    #[error("the stored {0} failed authentication: wrong QUARANTINE_KEY or the row was altered")]
    Integrity(&'static str),
}

/// Where a sealed text belongs: the field (`what`, also named in errors)
/// and the row, e.g. `update=17`.
pub(crate) struct Place<'a> {
    pub what: &'static str,
    pub row: &'a str,
}

impl Place<'_> {
    fn associated_data(&self) -> Vec<u8> {
        format!("photo-guard/{}/v1|{}", self.what, self.row).into_bytes()
    }
}

/// `seal` or `open`, for callers that wrap either in the same way.
pub(crate) type Op = fn(&XChaCha20Poly1305, &Place<'_>, &str) -> Result<String, SealedTextError>;

pub(crate) fn seal(
    cipher: &XChaCha20Poly1305,
    place: &Place<'_>,
    clear: &str,
) -> Result<String, SealedTextError> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = place.associated_data();
    let payload = Payload {
        msg: clear.as_bytes(),
        aad: &aad,
    };
    let sealed = cipher
        .encrypt(&nonce, payload)
        .map_err(|_| SealedTextError::Seal(place.what))?;
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
}

pub(crate) fn open(
    cipher: &XChaCha20Poly1305,
    place: &Place<'_>,
    stored: &str,
) -> Result<String, SealedTextError> {
    let Some(encoded) = stored.strip_prefix(PREFIX) else {
        return Ok(stored.to_owned());
    };
    let integrity = || SealedTextError::Integrity(place.what);
    let bytes = STANDARD.decode(encoded).map_err(|_| integrity())?;
    if bytes.len() < NONCE_LEN {
        return Err(integrity());
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let aad = place.associated_data();
    let payload = Payload {
        msg: sealed,
        aad: &aad,
    };
    let clear = cipher
        .decrypt(XNonce::from_slice(nonce), payload)
        .map_err(|_| integrity())?;
    String::from_utf8(clear).map_err(|_| integrity())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VaultKey;

    fn place(row: &str) -> Place<'_> {
        Place {
            what: "caption",
            row,
        }
    }

    #[test]
    fn sealed_text_opens_to_itself_and_shows_nothing_of_it() {
        let cipher = VaultKey::generate().cipher();
        let stored = seal(&cipher, &place("id=1"), "home visit #KLN0042").unwrap();
        assert!(stored.starts_with(PREFIX));
        assert!(!stored.contains("KLN0042") && !stored.contains("home"));
        assert_eq!(
            open(&cipher, &place("id=1"), &stored).unwrap(),
            "home visit #KLN0042"
        );
    }

    #[test]
    fn the_same_text_sealed_twice_differs() {
        let cipher = VaultKey::generate().cipher();
        let a = seal(&cipher, &place("id=1"), "Sari").unwrap();
        let b = seal(&cipher, &place("id=1"), "Sari").unwrap();
        assert_ne!(a, b, "fresh nonces");
    }

    #[test]
    fn text_moved_to_another_row_or_field_or_key_fails_to_open() {
        let cipher = VaultKey::generate().cipher();
        let stored = seal(&cipher, &place("id=1"), "Sari").unwrap();
        let integrity = Err(SealedTextError::Integrity("caption"));
        assert_eq!(open(&cipher, &place("id=2"), &stored), integrity);
        let other_field = Place {
            what: "sender name",
            row: "id=1",
        };
        assert_eq!(
            open(&cipher, &other_field, &stored),
            Err(SealedTextError::Integrity("sender name"))
        );
        let wrong = VaultKey::generate().cipher();
        assert_eq!(open(&wrong, &place("id=1"), &stored), integrity);
    }

    #[test]
    fn altered_or_cut_text_fails_to_open() {
        let cipher = VaultKey::generate().cipher();
        let stored = seal(&cipher, &place("id=1"), "Sari").unwrap();
        let mut altered = stored.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        let integrity = Err(SealedTextError::Integrity("caption"));
        assert_eq!(open(&cipher, &place("id=1"), &altered), integrity);
        assert_eq!(open(&cipher, &place("id=1"), "sealed:v1:AAAA"), integrity);
        assert_eq!(open(&cipher, &place("id=1"), "sealed:v1:!!"), integrity);
    }

    #[test]
    fn text_written_in_clear_by_an_older_version_reads_as_it_is() {
        let cipher = VaultKey::generate().cipher();
        assert_eq!(
            open(&cipher, &place("id=1"), "{\"update_id\":1}").unwrap(),
            "{\"update_id\":1}"
        );
    }
}
