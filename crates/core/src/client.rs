//! The client code: the only way the bot knows a client. Parsed and validated
//! at the edge, so the rest of the code can rely on its shape.

use serde::{Deserialize, Serialize};
use thiserror::Error;

const MAX_LEN: usize = 32;

/// Letters, digits and `_`, 2 to 32 characters, stored upper-case so that
/// `#kln0042` and `#KLN0042` name the same client.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClientCode(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClientCodeError {
    #[error("a client code must be 2 to {MAX_LEN} characters long")]
    Length,
    #[error("a client code may hold only letters, digits and _")]
    Characters,
    #[error("a client code must contain at least one letter or digit")]
    NoAlphanumeric,
}

impl ClientCode {
    pub fn parse(raw: &str) -> Result<Self, ClientCodeError> {
        let raw = raw.trim();
        let len = raw.chars().count();
        if !(2..=MAX_LEN).contains(&len) {
            return Err(ClientCodeError::Length);
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(ClientCodeError::Characters);
        }
        if !raw.chars().any(|c| c.is_ascii_alphanumeric()) {
            return Err(ClientCodeError::NoAlphanumeric);
        }
        Ok(Self(raw.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ClientCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(
            ClientCode::parse("kln0042").unwrap(),
            ClientCode::parse("KLN0042").unwrap()
        );
    }

    #[test]
    fn codes_with_spaces_punctuation_or_unicode_are_refused() {
        for bad in [
            "KL N",
            "KLN-1",
            "KLNé",
            "a'; DROP TABLE x;--",
            "K",
            "__",
            &"A".repeat(33),
        ] {
            assert!(ClientCode::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}
