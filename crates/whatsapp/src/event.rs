//! WAHA's webhook payloads, as far as the guard reads them: the envelope
//! (`event`, `session`, `payload`), a `message` (group id `...@g.us` in
//! `from`, the sender in `participant`, the caption in `body`, `hasMedia`
//! with `media.url` and `mimetype`), and `group.join` (`chatId`,
//! `recipientIds`). Unknown fields are ignored: engines add their own.

use serde::Deserialize;

/// One webhook call's body.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub event: String,
    pub session: String,
    #[serde(default)]
    pub payload: serde_json::Value,
}

/// The payload of a `message` event.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaMessage {
    pub id: String,
    /// The chat: a group (`...@g.us`) or the sender's own chat (`...@c.us`).
    pub from: String,
    #[serde(default)]
    pub from_me: bool,
    /// In a group, who sent it.
    #[serde(default)]
    pub participant: Option<String>,
    /// The text, or a media message's caption.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub has_media: bool,
    #[serde(default)]
    pub media: Option<Media>,
    /// The message this one answers (WhatsApp's "reply"), for `/report`.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// The engine's raw message: only the sender's display name is read.
    #[serde(default, rename = "_data")]
    pub data: Option<serde_json::Value>,
}

/// `replyTo` of a message: the id of the message it answers.
#[derive(Debug, Clone, Deserialize)]
pub struct ReplyTo {
    pub id: String,
}

/// `media` of a message WAHA downloaded.
#[derive(Debug, Clone, Deserialize)]
pub struct Media {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub mimetype: Option<String>,
}

/// The payload of a `group.join` event (WEBJS's group notification).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupJoin {
    pub chat_id: String,
    #[serde(default)]
    pub recipient_ids: Vec<String>,
    /// WEBJS's notification id (`{"_serialized": ...}`), or a plain string.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub timestamp: Option<i64>,
}

impl GroupJoin {
    /// The event's stable key, the same in every redelivery (issue 22): its
    /// notification id, else the group, the time and who joined. Prefixed,
    /// so it never names a message.
    pub fn key(&self) -> String {
        let id = self.id.as_ref().and_then(|id| match id {
            serde_json::Value::String(s) => Some(s.as_str()),
            other => other.get("_serialized").and_then(|s| s.as_str()),
        });
        match id {
            Some(id) => format!("group.join {id}"),
            None => format!(
                "group.join {} {} {}",
                self.chat_id,
                self.timestamp.unwrap_or_default(),
                self.recipient_ids.join(",")
            ),
        }
    }
}

/// What kind of media a message carries, from its mimetype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    Image,
    Video,
    /// Audio and documents that are neither images nor videos: not guarded.
    Other,
}

impl WaMessage {
    pub fn in_group(&self) -> bool {
        self.from.ends_with("@g.us")
    }

    /// The sender: `participant` in a group, `from` in a private chat.
    pub fn sender(&self) -> &str {
        match (&self.participant, self.in_group()) {
            (Some(p), true) => p,
            _ => &self.from,
        }
    }

    /// A name to credit the sender with: their WhatsApp push name, else their number.
    pub fn sender_name(&self) -> String {
        let raw = self.data.as_ref();
        let named = ["notifyName", "pushName"]
            .iter()
            .find_map(|k| raw?.get(k)?.as_str().filter(|s| !s.trim().is_empty()));
        match named {
            Some(name) => name.trim().to_owned(),
            None => self.sender().split('@').next().unwrap_or("?").to_owned(),
        }
    }

    pub fn caption(&self) -> Option<&str> {
        self.body.as_deref().filter(|b| !b.trim().is_empty())
    }

    pub fn carried(&self) -> Option<Carried> {
        if !self.has_media {
            return None;
        }
        let given = self.media.as_ref().and_then(|m| m.mimetype.as_deref());
        let raw = self.data.as_ref();
        let raw_mime = raw.and_then(|d| d.get("mimetype")?.as_str());
        if let Some(mime) = given.or(raw_mime) {
            return Some(match mime {
                // A WebP sticker can be cut from a client's photo: it is
                // looked at as an image, like Telegram's static stickers.
                m if m.starts_with("image/") => Carried::Image,
                m if m.starts_with("video/") => Carried::Video,
                _ => Carried::Other,
            });
        }
        // WAHA leaves `media` out for what it did not download: the engine's
        // raw message still says what it is (WEBJS `type`, NOWEB's message kind).
        let kind = raw.and_then(|d| d.get("type")?.as_str());
        let noweb = |k: &str| raw.and_then(|d| d.get("message")?.get(k)).is_some();
        Some(match kind {
            Some("image" | "sticker") => Carried::Image,
            Some("video" | "gif") => Carried::Video,
            Some(_) => Carried::Other,
            None if noweb("videoMessage") => Carried::Video,
            None if noweb("imageMessage") => Carried::Image,
            None if raw.and_then(|d| d.get("message")).is_some() => Carried::Other,
            // Nothing says what it is: looked at as a photo (fail closed).
            None => Carried::Image,
        })
    }
}

impl std::fmt::Debug for WaMessage {
    // Captions and media addresses never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaMessage")
            .field("id", &self.id)
            .field("from", &self.from)
            .field("has_media", &self.has_media)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(raw: serde_json::Value) -> WaMessage {
        serde_json::from_value(raw).expect("a WAHA message")
    }

    #[test]
    fn a_group_photo_names_its_group_sender_caption_and_media() {
        // Issue 22: the fields WAHA documents for a group message are the ones read.
        let m = message(serde_json::json!({
            "id": "false_120363000000000001@g.us_3EB0AAAA_6281111111111@c.us",
            "timestamp": 1_700_000_000,
            "from": "120363000000000001@g.us",
            "fromMe": false,
            "participant": "6281111111111@c.us",
            "body": "#KLN0001 kunjungan",
            "hasMedia": true,
            "media": {"url": "http://waha:3000/api/files/x.jpeg", "mimetype": "image/jpeg"},
            "_data": {"notifyName": "Alice"}
        }));
        assert!(m.in_group());
        assert_eq!(m.sender(), "6281111111111@c.us");
        assert_eq!(m.sender_name(), "Alice");
        assert_eq!(m.caption(), Some("#KLN0001 kunjungan"));
        assert_eq!(m.carried(), Some(Carried::Image));
    }

    #[test]
    fn a_sticker_is_looked_at_as_an_image() {
        // Issue 19/22: a sticker made from a client's photo shows the face; it
        // was passed unexamined (image/webp was left out).
        let downloaded = message(serde_json::json!({
            "id": "a", "from": "1@g.us", "hasMedia": true,
            "media": {"url": "u", "mimetype": "image/webp"}
        }));
        assert_eq!(downloaded.carried(), Some(Carried::Image));
        let skipped = message(serde_json::json!({
            "id": "a", "from": "1@g.us", "hasMedia": true, "_data": {"type": "sticker"}
        }));
        assert_eq!(skipped.carried(), Some(Carried::Image));
    }

    #[test]
    fn a_private_text_is_from_its_chat_and_carries_nothing() {
        // Issue 22: commands come in the sender's own chat, without `participant`.
        let m = message(serde_json::json!({
            "id": "false_6281111111111@c.us_3EB0BBBB",
            "from": "6281111111111@c.us",
            "body": "/review",
            "hasMedia": false
        }));
        assert!(!m.in_group());
        assert_eq!(m.sender(), "6281111111111@c.us");
        assert_eq!(m.sender_name(), "6281111111111");
        assert_eq!(m.carried(), None);
        let audio = message(serde_json::json!({
            "id": "a", "from": "1@g.us", "hasMedia": true,
            "media": {"url": "u", "mimetype": "audio/ogg"}
        }));
        assert_eq!(audio.carried(), Some(Carried::Other));
    }

    #[test]
    fn media_waha_did_not_download_is_told_apart_by_the_engines_raw_message() {
        // Issue 22: a voice note or video WAHA skipped must not be removed as an unreadable photo.
        let kind = |data: serde_json::Value| {
            message(
                serde_json::json!({"id": "a", "from": "1@g.us", "hasMedia": true, "_data": data}),
            )
            .carried()
        };
        assert_eq!(
            kind(serde_json::json!({"type": "ptt"})),
            Some(Carried::Other)
        );
        assert_eq!(
            kind(serde_json::json!({"type": "video"})),
            Some(Carried::Video)
        );
        assert_eq!(
            kind(serde_json::json!({"type": "image"})),
            Some(Carried::Image)
        );
        assert_eq!(
            kind(serde_json::json!({"message": {"documentMessage": {}}})),
            Some(Carried::Other)
        );
        assert_eq!(
            kind(serde_json::json!({"message": {"imageMessage": {}}})),
            Some(Carried::Image)
        );
        assert_eq!(
            kind(serde_json::json!({})),
            Some(Carried::Image),
            "unknown: fail closed"
        );
    }
}
