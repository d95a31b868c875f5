//! A typed client for WAHA's REST API (every call carries `X-Api-Key`):
//! session status, media download from `/api/files/...`, `sendImage`,
//! `sendVideo`, `sendText`, deleting a message for everyone, and a group's
//! participants (`files.rs`: sendFile; `group_names.rs`: a group's subject).
//! Media is only ever fetched from the configured gateway.

use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::wire::{message_id, participant};
use thiserror::Error;
use url::Url;

#[derive(Debug, Error)]
pub enum WahaError {
    /// The gateway could not be reached or did not answer in time.
    #[error("WAHA is unreachable: {0}")]
    Network(String),
    /// The gateway answered with an error status.
    #[error("WAHA answered {status} to {call}")]
    Status { call: &'static str, status: u16 },
    #[error("the media is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// A media address that is not one of the gateway's own files.
    #[error("the media address is not a file of the configured gateway")]
    ForeignMedia,
    #[error("WAHA's answer to {0} could not be read")]
    Answer(&'static str),
}

impl WahaError {
    /// Worth another try later (network, 5xx, rate limit).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// What the gateway says about the session.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionInfo {
    pub status: String,
    #[serde(default)]
    pub me: Option<Me>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    pub id: String,
}

/// Where and how to reach the gateway.
#[derive(Clone)]
pub struct WahaClient {
    http: reqwest::Client,
    base: Url,
    key: Option<String>,
    session: String,
}

impl WahaClient {
    pub fn new(base: Url, key: Option<String>, session: String) -> Result<Self, WahaError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| WahaError::Network(e.to_string()))?;
        Ok(Self {
            http,
            base,
            key,
            session,
        })
    }

    pub fn session(&self) -> &str {
        &self.session
    }

    /// The gateway's address with `segments` appended, each escaped.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http(s) base URL")
            .pop_if_empty()
            .extend(segments);
        url
    }

    pub(crate) fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        let req = self.http.request(method, url);
        match &self.key {
            Some(key) => req.header("X-Api-Key", key),
            None => req,
        }
    }

    pub(crate) async fn send(
        &self,
        call: &'static str,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, WahaError> {
        // reqwest's error text names the URL, never headers (the key) or bodies.
        let resp = req
            .send()
            .await
            .map_err(|e| WahaError::Network(e.without_url().to_string()))?;
        let status = resp.status();
        match status.is_success() {
            true => Ok(resp),
            false => Err(WahaError::Status {
                call,
                status: status.as_u16(),
            }),
        }
    }

    pub(crate) async fn json(
        &self,
        call: &'static str,
        resp: reqwest::Response,
    ) -> Result<Value, WahaError> {
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| WahaError::Network(e.without_url().to_string()))?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|_| WahaError::Answer(call))
    }

    /// `GET /api/sessions/{session}`.
    pub async fn session_info(&self) -> Result<SessionInfo, WahaError> {
        let url = self.url(&["api", "sessions", &self.session]);
        let resp = self
            .send("session", self.request(reqwest::Method::GET, url))
            .await?;
        let value = self.json("session", resp).await?;
        serde_json::from_value(value).map_err(|_| WahaError::Answer("session"))
    }

    /// Fetches a message's media (`media.url`, one of the gateway's
    /// `/api/files/...`), at most `limit` bytes: a declared or actual size
    /// over it stops the download.
    pub async fn download(&self, media_url: &str, limit: u64) -> Result<Vec<u8>, WahaError> {
        let url = self.file_url(media_url)?;
        let mut resp = self
            .send("files", self.request(reqwest::Method::GET, url))
            .await?;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(WahaError::TooLarge { limit });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| WahaError::Network(e.without_url().to_string()))?
        {
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(WahaError::TooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// The file's path under `/api/files/`, on the configured gateway: WAHA
    /// writes its own idea of its address into `media.url` (often
    /// `localhost`), and nothing else may be fetched with our key.
    fn file_url(&self, media_url: &str) -> Result<Url, WahaError> {
        let given = Url::parse(media_url)
            .or_else(|_| self.base.join(media_url))
            .map_err(|_| WahaError::ForeignMedia)?;
        let name = given
            .path()
            .strip_prefix("/api/files/")
            .ok_or(WahaError::ForeignMedia)?;
        let decoded: Vec<String> = name.split('/').map(percent_decode).collect();
        let unsafe_part = |s: &String| s.is_empty() || s == "." || s == ".." || s.contains('/');
        if decoded.iter().any(unsafe_part) {
            return Err(WahaError::ForeignMedia);
        }
        let mut segments = vec!["api", "files"];
        segments.extend(decoded.iter().map(String::as_str));
        Ok(self.url(&segments))
    }

    /// `POST /api/sendImage` or `/api/sendVideo` with the bytes as base64;
    /// the new message's id.
    pub async fn send_media(
        &self,
        video: bool,
        chat: &str,
        bytes: &[u8],
        caption: &str,
    ) -> Result<Option<String>, WahaError> {
        let (call, mimetype, filename) = match video {
            true => ("sendVideo", "video/mp4", "video.mp4"),
            false => ("sendImage", "image/jpeg", "photo.jpg"),
        };
        let body = json!({
            "session": self.session,
            "chatId": chat,
            "caption": caption,
            "file": {
                "mimetype": mimetype,
                "filename": filename,
                "data": base64::engine::general_purpose::STANDARD.encode(bytes),
            },
        });
        let url = self.url(&["api", call]);
        let resp = self
            .send(call, self.request(reqwest::Method::POST, url).json(&body))
            .await?;
        Ok(message_id(&self.json(call, resp).await?))
    }

    /// `POST /api/sendText`; the new message's id.
    pub async fn send_text(&self, chat: &str, text: &str) -> Result<Option<String>, WahaError> {
        let body = json!({ "session": self.session, "chatId": chat, "text": text });
        let url = self.url(&["api", "sendText"]);
        let resp = self
            .send(
                "sendText",
                self.request(reqwest::Method::POST, url).json(&body),
            )
            .await?;
        Ok(message_id(&self.json("sendText", resp).await?))
    }

    /// `DELETE /api/{session}/chats/{chatId}/messages/{messageId}`: deletes
    /// for everyone (the bot's number must be a group admin for others' messages).
    pub async fn delete_message(&self, chat: &str, message: &str) -> Result<(), WahaError> {
        let url = self.url(&["api", &self.session, "chats", chat, "messages", message]);
        self.send("deleteMessage", self.request(reqwest::Method::DELETE, url))
            .await
            .map(|_| ())
    }

    /// `GET /api/{session}/groups/{id}/participants`.
    pub async fn participants(
        &self,
        group: &str,
    ) -> Result<Vec<crate::wire::Participant>, WahaError> {
        let url = self.url(&["api", &self.session, "groups", group, "participants"]);
        let resp = self
            .send("participants", self.request(reqwest::Method::GET, url))
            .await?;
        let value = self.json("participants", resp).await?;
        let list = value.as_array().ok_or(WahaError::Answer("participants"))?;
        Ok(list.iter().filter_map(participant).collect())
    }
}

impl WahaClient {
    /// `GET /api/{session}/chats/{chatId}/messages/{messageId}?downloadMedia=true`:
    /// the message with its media downloaded again, the file's address (WAHA
    /// removes a webhook's file after `WHATSAPP_FILES_LIFETIME`, so a later
    /// downgrade asks anew by the message's id).
    pub async fn media_url(&self, chat: &str, message: &str) -> Result<String, WahaError> {
        let mut url = self.url(&["api", &self.session, "chats", chat, "messages", message]);
        url.query_pairs_mut().append_pair("downloadMedia", "true");
        let resp = self
            .send("getMessage", self.request(reqwest::Method::GET, url))
            .await?;
        let value = self.json("getMessage", resp).await?;
        let media = value.get("media").and_then(|m| m.get("url"));
        media
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(WahaError::Answer("getMessage"))
    }
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> WahaClient {
        let base = Url::parse("http://127.0.0.1:3000/").unwrap();
        WahaClient::new(base, None, "default".into()).unwrap()
    }

    #[test]
    fn media_is_fetched_only_from_the_configured_gateway() {
        // Issue 22: `media.url` names WAHA's own address; the key goes nowhere else.
        let c = client();
        let url = c
            .file_url("http://localhost:3000/api/files/false_1%40g.us_AB.jpeg")
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:3000/api/files/false_1@g.us_AB.jpeg"
        );
        for bad in [
            "http://evil.example/steal",
            "http://localhost:3000/api/sessions/default",
            "http://localhost:3000/api/files/../sessions",
            "http://localhost:3000/api/files/",
        ] {
            assert!(c.file_url(bad).is_err(), "{bad} must be refused");
        }
    }
}
