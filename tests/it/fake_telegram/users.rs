//! Acting as users: each action stores the message the way Telegram would
//! and queues the update (message, edited_message, callback_query,
//! chat_member) that the bot will receive through getUpdates.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::model::{ChatType, Role};
use super::state::{now_secs, Draft, State};
use super::FakeTelegram;

/// What a user posts.
#[derive(Clone, Debug)]
pub enum Content {
    Text(String),
    Photo {
        bytes: Vec<u8>,
        caption: Option<String>,
    },
    Document {
        bytes: Vec<u8>,
        file_name: String,
        mime_type: String,
        caption: Option<String>,
    },
    /// A visual other than a photo or document (`videos.rs`): a video,
    /// animation, video note, sticker, paid media, a quote from another
    /// chat, or a forwarded story.
    Visual(super::videos::Visual),
}

/// Optional details of a user's message.
#[derive(Clone, Debug, Default)]
pub struct PostOptions {
    pub reply_to: Option<i32>,
    pub thread_id: Option<i32>,
    /// A `MessageOrigin` object, e.g. `{"type":"user","sender_user":..,"date":..}`.
    pub forward_origin: Option<Value>,
    pub media_group_id: Option<String>,
}

/// `bot_command` entities for every `/word` in a text (offsets in UTF-16).
fn command_entities(text: &str) -> Vec<Value> {
    let mut entities = Vec::new();
    let mut offset = 0usize;
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        if word.len() > 1 && word.starts_with('/') {
            entities.push(json!({ "type": "bot_command", "offset": offset, "length": word.encode_utf16().count() }));
        }
        offset += token.encode_utf16().count();
    }
    entities
}

fn content_fields(state: &mut State, content: Content) -> Map<String, Value> {
    let mut fields = Map::new();
    let put_caption = |fields: &mut Map<String, Value>, caption: Option<String>| {
        if let Some(c) = caption.filter(|c| !c.is_empty()) {
            fields.insert("caption".into(), json!(c));
        }
    };
    match content {
        Content::Text(text) => {
            let entities = command_entities(&text);
            fields.insert("text".into(), json!(text));
            if !entities.is_empty() {
                fields.insert("entities".into(), Value::Array(entities));
            }
        }
        Content::Photo { bytes, caption } => {
            fields.insert("photo".into(), state.files.photo_sizes(Arc::new(bytes)));
            put_caption(&mut fields, caption);
        }
        Content::Document {
            bytes,
            file_name,
            mime_type,
            caption,
        } => {
            let doc = state
                .files
                .document(Arc::new(bytes), Some(&file_name), &mime_type);
            fields.insert("document".into(), doc);
            put_caption(&mut fields, caption);
        }
        Content::Visual(visual) => super::videos::visual_fields(state, visual, &mut fields),
    }
    fields
}

impl FakeTelegram {
    /// Posts `content` as `user_id` in `chat_id` and queues a `message`
    /// update; returns the message id. A private chat is `chat_id == user_id`
    /// (posting there counts as starting the bot). A poster who was not in a
    /// group becomes a member. Panics if the group does not exist.
    pub fn post(&self, chat_id: i64, user_id: i64, content: Content, options: PostOptions) -> i32 {
        self.shared.mutate(|s| {
            let from = s.user_json(user_id);
            let Some(chat) = s.chats.get_mut(&chat_id) else {
                panic!("fake telegram: no chat {chat_id}; create it with group() first")
            };
            if chat.kind != ChatType::Private && !chat.role_of(user_id).is_present() {
                chat.members.insert(user_id, Role::Member);
            }
            if chat.kind == ChatType::Private {
                s.ensure_user(user_id).started_bot = true;
            }
            let mut fields = content_fields(s, content);
            if let Some(origin) = options.forward_origin {
                fields.insert("forward_origin".into(), origin);
            }
            if let Some(group) = options.media_group_id {
                fields.insert("media_group_id".into(), json!(group));
            }
            let draft = Draft {
                from,
                from_bot: false,
                content: fields,
                reply_to: options.reply_to,
                thread_id: options.thread_id,
                sent_params: None,
            };
            let id = s.new_message(chat_id, draft).expect("chat exists");
            s.push_message_update(chat_id, id);
            id
        })
    }

    /// A text message; `/commands` (also `/cmd@bot`) carry bot_command entities.
    pub fn send_text(&self, chat_id: i64, user_id: i64, text: &str) -> i32 {
        self.post(
            chat_id,
            user_id,
            Content::Text(text.to_owned()),
            PostOptions::default(),
        )
    }

    /// A compressed photo: several sizes, the largest last, all serving `bytes`.
    pub fn send_photo(
        &self,
        chat_id: i64,
        user_id: i64,
        bytes: &[u8],
        caption: Option<&str>,
    ) -> i32 {
        let content = Content::Photo {
            bytes: bytes.to_vec(),
            caption: caption.map(str::to_owned),
        };
        self.post(chat_id, user_id, content, PostOptions::default())
    }

    /// A file sent as a document (keeps its bytes, EXIF included).
    pub fn send_document(
        &self,
        chat_id: i64,
        user_id: i64,
        bytes: &[u8],
        file_name: &str,
        mime_type: &str,
        caption: Option<&str>,
    ) -> i32 {
        let content = Content::Document {
            bytes: bytes.to_vec(),
            file_name: file_name.to_owned(),
            mime_type: mime_type.to_owned(),
            caption: caption.map(str::to_owned),
        };
        self.post(chat_id, user_id, content, PostOptions::default())
    }

    /// An album: one message per photo sharing a media_group_id, the caption
    /// on the first only.
    pub fn send_album(
        &self,
        chat_id: i64,
        user_id: i64,
        photos: &[Vec<u8>],
        caption_on_first: Option<&str>,
    ) -> Vec<i32> {
        let group = format!(
            "{}",
            14_000_000_000_000_000u64 + self.shared.mutate(|s| s.serial())
        );
        photos
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                let caption = if i == 0 {
                    caption_on_first.map(str::to_owned)
                } else {
                    None
                };
                let content = Content::Photo {
                    bytes: bytes.clone(),
                    caption,
                };
                let options = PostOptions {
                    media_group_id: Some(group.clone()),
                    ..PostOptions::default()
                };
                self.post(chat_id, user_id, content, options)
            })
            .collect()
    }

    /// A photo forwarded by `user_id`, originally sent by `original_sender`.
    pub fn forward_photo(
        &self,
        chat_id: i64,
        user_id: i64,
        original_sender: i64,
        bytes: &[u8],
        caption: Option<&str>,
    ) -> i32 {
        let sender = self.shared.mutate(|s| s.user_json(original_sender));
        let origin = json!({ "type": "user", "sender_user": sender, "date": now_secs() - 3600 });
        let content = Content::Photo {
            bytes: bytes.to_vec(),
            caption: caption.map(str::to_owned),
        };
        self.post(
            chat_id,
            user_id,
            content,
            PostOptions {
                forward_origin: Some(origin),
                ..PostOptions::default()
            },
        )
    }

    /// A command sent as a reply to another message (e.g. "/report").
    pub fn reply_with_command(
        &self,
        chat_id: i64,
        user_id: i64,
        reply_to: i32,
        command: &str,
    ) -> i32 {
        let options = PostOptions {
            reply_to: Some(reply_to),
            ..PostOptions::default()
        };
        self.post(chat_id, user_id, Content::Text(command.to_owned()), options)
    }
}
