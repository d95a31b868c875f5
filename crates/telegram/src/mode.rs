//! How updates reach this replica (issue 21): long polling (the default, one
//! process) or Telegram's webhook, posted to `listen` with the secret token
//! Telegram was given by `photo-guard webhook set`.

use std::net::SocketAddr;

use thiserror::Error;

#[derive(Clone, Debug, Default)]
pub enum Mode {
    #[default]
    Polling,
    Webhook(WebhookSettings),
}

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Where the webhook route listens (behind the reverse proxy).
    pub listen: SocketAddr,
    /// What Telegram sends in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: WebhookSecret,
}

/// Telegram's webhook secret token: 1 to 256 characters of `A-Z a-z 0-9 _ -`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

#[derive(Debug, Error)]
#[error("a webhook secret is 1 to 256 characters of A-Z a-z 0-9 _ - (value not shown)")]
pub struct WebhookSecretError;

impl WebhookSecret {
    pub fn parse(raw: &str) -> Result<Self, WebhookSecretError> {
        let ok = (1..=256).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        match ok {
            true => Ok(Self(raw.to_owned())),
            false => Err(WebhookSecretError),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is the secret, compared in constant time.
    pub fn matches(&self, given: Option<&str>) -> bool {
        let Some(given) = given else {
            return false;
        };
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for WebhookSecret {
    // The secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_secret_is_matched_exactly_and_never_printed() {
        // Issue 21: only the secret Telegram was given opens the webhook.
        let secret = WebhookSecret::parse("s3cret_-X").unwrap();
        assert!(secret.matches(Some("s3cret_-X")));
        assert!(!secret.matches(Some("s3cret_-Y")) && !secret.matches(Some("s3cret")));
        assert!(!secret.matches(None));
        assert!(WebhookSecret::parse("has space").is_err() && WebhookSecret::parse("").is_err());
        assert!(!format!("{secret:?}").contains("s3cret"));
    }
}
