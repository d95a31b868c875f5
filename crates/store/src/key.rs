//! The quarantine key (`QUARANTINE_KEY`): exactly 32 bytes, given as base64.
//! Never printed (its `Debug` is redacted), zeroised when dropped.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;
use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use hkdf::Hkdf;
use sha2::Sha256;
use thiserror::Error;
use zeroize::Zeroizing;

/// How long the key must be, in bytes.
pub const KEY_LEN: usize = 32;

/// Why a key was refused. The messages never quote the key or a part of it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("not valid base64 (make a key with: openssl rand -base64 32)")]
    NotBase64,
    #[error("decodes to {got} bytes, but the key must be exactly {KEY_LEN} bytes (make one with: openssl rand -base64 32)")]
    WrongLength { got: usize },
}

/// The vault key.
pub struct VaultKey(Zeroizing<[u8; KEY_LEN]>);

impl VaultKey {
    /// Decodes standard (or URL-safe) base64, padded, surrounding spaces ignored.
    pub fn from_base64(raw: &str) -> Result<Self, KeyError> {
        let raw = raw.trim();
        let bytes = Zeroizing::new(
            STANDARD
                .decode(raw)
                .or_else(|_| URL_SAFE.decode(raw))
                .map_err(|_| KeyError::NotBase64)?,
        );
        Self::from_bytes(&bytes)
    }

    /// Takes exactly 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let array: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| KeyError::WrongLength { got: bytes.len() })?;
        Ok(Self(Zeroizing::new(array)))
    }

    /// A fresh random key (for tests and for making one).
    pub fn generate() -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut array = Zeroizing::new([0u8; KEY_LEN]);
        array.copy_from_slice(&key);
        Self(array)
    }

    /// The key in base64, to hand to an operator once (never log it).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.as_slice())
    }

    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_slice().into())
    }

    /// A key for one other `purpose`, derived with HKDF-SHA256, so the
    /// cipher's key is never used raw for anything else and one purpose's key
    /// tells nothing of another's.
    pub(crate) fn derive(&self, purpose: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let hkdf = Hkdf::<Sha256>::new(Some(b"photo-guard"), self.0.as_slice());
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        hkdf.expand(purpose.as_bytes(), out.as_mut_slice())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    }
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_32_byte_base64_key_is_accepted_and_round_trips() {
        let key = VaultKey::generate();
        let again = VaultKey::from_base64(&format!("  {}\n", key.to_base64())).unwrap();
        assert_eq!(key.0.as_slice(), again.0.as_slice());
    }

    #[test]
    fn a_key_of_the_wrong_length_names_its_length() {
        let short = STANDARD.encode([7u8; 16]);
        assert_eq!(
            VaultKey::from_base64(&short).unwrap_err(),
            KeyError::WrongLength { got: 16 }
        );
        let long = STANDARD.encode([7u8; 33]);
        assert_eq!(
            VaultKey::from_base64(&long).unwrap_err(),
            KeyError::WrongLength { got: 33 }
        );
    }

    #[test]
    fn a_key_that_is_not_base64_is_refused_without_quoting_it() {
        let err = VaultKey::from_base64("not*base64*secret").unwrap_err();
        assert_eq!(err, KeyError::NotBase64);
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_from_the_key_itself() {
        let key = VaultKey::generate();
        let chain = key.derive("photo-guard/audit-chain/v1");
        assert_eq!(chain, key.derive("photo-guard/audit-chain/v1"));
        assert_ne!(chain, key.derive("photo-guard/audit-anchor/v1"));
        assert_ne!(chain.as_slice(), key.0.as_slice());
    }

    #[test]
    fn debug_never_prints_the_key() {
        let key = VaultKey::from_bytes(&[0xAB; 32]).unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&key.to_base64()) && !shown.to_lowercase().contains("abab"));
        assert!(shown.contains("redacted"));
    }
}
