//! Assertions: what the bot called, sent, deleted and answered, and
//! `wait_until`, which wakes on every state change instead of sleeping blindly.

use std::time::Duration;

use serde_json::Value;

use super::model::{Call, CallbackAnswer, CommandSet, MediaKind, SentMedia, SentMessage};
use super::state::{State, StoredMessage};
use super::FakeTelegram;

fn int32(v: &Value) -> Option<i32> {
    v.as_i64().and_then(|n| i32::try_from(n).ok())
}

fn sent_message(chat_id: i64, message_id: i32, m: &StoredMessage) -> Option<SentMessage> {
    let text = m.json.get("text")?.as_str()?.to_owned();
    let params = m.sent_params.clone().unwrap_or(Value::Null);
    Some(SentMessage {
        chat_id,
        message_id,
        text,
        parse_mode: params
            .get("parse_mode")
            .and_then(Value::as_str)
            .map(str::to_owned),
        reply_markup: params.get("reply_markup").cloned(),
        protect_content: params
            .get("protect_content")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        reply_to: m
            .json
            .get("reply_to_message")
            .and_then(|r| int32(&r["message_id"])),
        thread_id: m.json.get("message_thread_id").and_then(int32),
        deleted: m.deleted,
    })
}

fn sent_media(
    state: &State,
    chat_id: i64,
    message_id: i32,
    m: &StoredMessage,
) -> Option<SentMedia> {
    let moving = [
        ("video", MediaKind::Video),
        ("animation", MediaKind::Animation),
        ("video_note", MediaKind::VideoNote),
    ];
    let (kind, file) = if let Some(photo) = m.json.get("photo").and_then(Value::as_array) {
        (MediaKind::Photo, photo.last()?.clone())
    } else if let Some((key, kind)) = moving.iter().find(|(k, _)| m.json.get(*k).is_some()) {
        (*kind, m.json.get(*key)?.clone())
    } else {
        (MediaKind::Document, m.json.get("document")?.clone())
    };
    let file_id = file.get("file_id")?.as_str()?.to_owned();
    let bytes = state.files.get(&file_id)?.bytes.clone();
    let params = m.sent_params.clone().unwrap_or(Value::Null);
    let text_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(SentMedia {
        chat_id,
        message_id,
        kind,
        bytes,
        file_id,
        file_name: text_of(&file, "file_name"),
        mime_type: text_of(&file, "mime_type"),
        caption: text_of(&m.json, "caption"),
        reply_markup: params.get("reply_markup").cloned(),
        protect_content: params
            .get("protect_content")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        reply_to: m
            .json
            .get("reply_to_message")
            .and_then(|r| int32(&r["message_id"])),
        thread_id: m.json.get("message_thread_id").and_then(int32),
        media_group_id: text_of(&m.json, "media_group_id"),
        deleted: m.deleted,
    })
}

impl FakeTelegram {
    /// Every call so far, in order (getUpdates and file downloads included;
    /// downloads appear as method "download").
    pub fn calls(&self) -> Vec<Call> {
        self.shared.read(|s| s.calls.clone())
    }

    /// Calls of one method, any case ("sendMessage" == "sendmessage").
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.shared.read(|s| {
            s.calls
                .iter()
                .filter(|c| c.method == method)
                .cloned()
                .collect()
        })
    }

    /// Lowercased names of the methods called, in order, without getUpdates.
    pub fn methods_called(&self) -> Vec<String> {
        self.shared.read(|s| {
            s.calls
                .iter()
                .filter(|c| c.method != "getupdates")
                .map(|c| c.method.clone())
                .collect()
        })
    }

    /// Text messages the bot posted in a chat (edits applied, deleted ones flagged).
    pub fn sent_messages(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared.read(|s| {
            let Some(chat) = s.chats.get(&chat_id) else {
                return Vec::new();
            };
            chat.messages
                .iter()
                .filter(|(_, m)| m.from_bot)
                .filter_map(|(id, m)| sent_message(chat_id, *id, m))
                .collect()
        })
    }

    /// Text messages the bot sent to a user privately.
    pub fn messages_to(&self, user_id: i64) -> Vec<SentMessage> {
        self.sent_messages(user_id)
    }

    fn sent_media_of(&self, chat_id: i64, kind: MediaKind) -> Vec<SentMedia> {
        self.shared.read(|s| {
            let Some(chat) = s.chats.get(&chat_id) else {
                return Vec::new();
            };
            chat.messages
                .iter()
                .filter(|(_, m)| m.from_bot)
                .filter_map(|(id, m)| sent_media(s, chat_id, *id, m))
                .filter(|media| media.kind == kind)
                .collect()
        })
    }

    /// Photos the bot posted in a chat, with the bytes it uploaded.
    pub fn sent_photos(&self, chat_id: i64) -> Vec<SentMedia> {
        self.sent_media_of(chat_id, MediaKind::Photo)
    }

    /// Videos the bot posted in a chat (sendVideo), with the bytes it uploaded.
    pub fn sent_videos(&self, chat_id: i64) -> Vec<SentMedia> {
        self.sent_media_of(chat_id, MediaKind::Video)
    }

    /// Documents the bot posted in a chat, with the bytes it uploaded.
    pub fn sent_documents(&self, chat_id: i64) -> Vec<SentMedia> {
        self.sent_media_of(chat_id, MediaKind::Document)
    }

    /// Whether a message exists and was deleted.
    pub fn is_deleted(&self, chat_id: i64, message_id: i32) -> bool {
        self.shared.read(|s| {
            s.chats
                .get(&chat_id)
                .and_then(|c| c.messages.get(&message_id))
                .is_some_and(|m| m.deleted)
        })
    }

    /// The stored `Message` JSON (also for deleted messages).
    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<Value> {
        self.shared.read(|s| {
            s.chats
                .get(&chat_id)?
                .messages
                .get(&message_id)
                .map(|m| m.json.clone())
        })
    }

    /// The bot's answer to a callback query, once given.
    pub fn callback_answer(&self, callback_query_id: &str) -> Option<CallbackAnswer> {
        self.shared
            .read(|s| s.callbacks.get(callback_query_id)?.answer.clone())
    }

    /// Command lists set with setMyCommands, one per scope + language.
    pub fn commands(&self) -> Vec<CommandSet> {
        self.shared.read(|s| s.commands.clone())
    }

    /// Updates queued and not yet confirmed by the bot.
    pub fn pending_updates(&self) -> usize {
        self.shared.read(|s| s.updates.len())
    }

    /// Bytes stored behind a file_id.
    pub fn file_bytes(&self, file_id: &str) -> Option<Vec<u8>> {
        self.shared
            .read(|s| s.files.get(file_id).map(|f| f.bytes.to_vec()))
    }

    /// Waits until `predicate(self)` holds, re-checking after every change
    /// to the fake's state; returns false if `timeout` passes first.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        mut predicate: impl FnMut(&FakeTelegram) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.shared.subscribe_changes();
        loop {
            changes.borrow_and_update();
            if predicate(self) {
                return true;
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return predicate(self),
            }
        }
    }

    /// Waits until the bot has called `method` at least `count` times.
    pub async fn wait_for_calls(&self, method: &str, count: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |f| f.calls_of(method).len() >= count)
            .await
    }
}
