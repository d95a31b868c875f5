//! The fake server's in-memory world: users, chats, messages, files, the
//! update queue, recorded calls, queued faults.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::files::FileStore;
use super::json;
use super::model::{Call, CallbackAnswer, ChatType, CommandSet, Fault, Role};

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub(crate) struct BotUser {
    pub id: i64,
    pub first_name: String,
    pub username: String,
}

pub(crate) struct UserRecord {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
    /// The user pressed Start in a private chat with the bot.
    pub started_bot: bool,
    pub blocked_bot: bool,
}

pub(crate) struct StoredMessage {
    /// The full `Message` object as the bot sees it.
    pub json: Value,
    pub from_bot: bool,
    pub deleted: bool,
    /// Parameters of the bot's send call (None for users' messages).
    pub sent_params: Option<Value>,
}

pub(crate) struct ChatRecord {
    pub id: i64,
    pub kind: ChatType,
    /// Title of a group; first name of the user of a private chat.
    pub title: String,
    pub username: Option<String>,
    pub members: BTreeMap<i64, Role>,
    pub bot_role: Role,
    pub messages: BTreeMap<i32, StoredMessage>,
    pub next_message_id: i32,
}

impl ChatRecord {
    pub fn role_of(&self, user_id: i64) -> Role {
        match self.kind {
            ChatType::Private if user_id == self.id => Role::Member,
            _ => self.members.get(&user_id).copied().unwrap_or(Role::Left),
        }
    }

    /// A message that exists and was not deleted.
    pub fn live(&self, message_id: i32) -> Option<&StoredMessage> {
        self.messages.get(&message_id).filter(|m| !m.deleted)
    }

    pub fn live_mut(&mut self, message_id: i32) -> Option<&mut StoredMessage> {
        self.messages.get_mut(&message_id).filter(|m| !m.deleted)
    }
}

pub(crate) struct CallbackRecord {
    pub answer: Option<CallbackAnswer>,
}

/// What a new message is made of; `State::new_message` adds id, date, chat.
pub(crate) struct Draft {
    pub from: Value,
    pub from_bot: bool,
    /// Content fields: text/entities, photo/caption, forward_origin, ...
    pub content: Map<String, Value>,
    pub reply_to: Option<i32>,
    pub thread_id: Option<i32>,
    pub sent_params: Option<Value>,
}

pub(crate) struct State {
    pub bot: BotUser,
    pub users: BTreeMap<i64, UserRecord>,
    pub chats: BTreeMap<i64, ChatRecord>,
    pub files: FileStore,
    pub updates: VecDeque<Value>,
    pub next_update_id: u32,
    /// Last `allowed_updates` the bot asked for in getUpdates.
    pub allowed_updates: Option<Vec<String>>,
    pub calls: Vec<Call>,
    pub faults: HashMap<String, VecDeque<Fault>>,
    pub commands: Vec<CommandSet>,
    pub callbacks: BTreeMap<String, CallbackRecord>,
    /// What `setWebhook` set, and every post made to a replica (issue 21).
    pub webhook: Option<super::webhook::WebhookSet>,
    pub webhook_posts: Vec<super::webhook::WebhookPost>,
    next_serial: u64,
}

impl State {
    pub fn new(bot: BotUser) -> Self {
        State {
            bot,
            users: BTreeMap::new(),
            chats: BTreeMap::new(),
            files: FileStore::default(),
            updates: VecDeque::new(),
            next_update_id: 1,
            allowed_updates: None,
            calls: Vec::new(),
            faults: HashMap::new(),
            commands: Vec::new(),
            callbacks: BTreeMap::new(),
            webhook: None,
            webhook_posts: Vec::new(),
            next_serial: 1,
        }
    }

    /// A fresh number for callback query ids, media group ids and the like.
    pub fn serial(&mut self) -> u64 {
        self.next_serial += 1;
        self.next_serial
    }

    /// The user record, created on first use with a generated name, along
    /// with the private chat `chat_id == user_id`.
    pub fn ensure_user(&mut self, id: i64) -> &mut UserRecord {
        self.users.entry(id).or_insert_with(|| UserRecord {
            id,
            first_name: format!("User{id}"),
            last_name: None,
            username: Some(format!("user{id}")),
            language_code: Some("id".to_owned()),
            started_bot: false,
            blocked_bot: false,
        });
        self.sync_private_chat(id);
        self.users.get_mut(&id).expect("inserted above")
    }

    /// Creates or renames the private chat of a user after its record changed.
    pub fn sync_private_chat(&mut self, user_id: i64) {
        let Some(user) = self.users.get(&user_id) else {
            return;
        };
        let (title, username) = (user.first_name.clone(), user.username.clone());
        let chat = self.chats.entry(user_id).or_insert_with(|| ChatRecord {
            id: user_id,
            kind: ChatType::Private,
            title: String::new(),
            username: None,
            members: BTreeMap::new(),
            bot_role: Role::Member,
            messages: BTreeMap::new(),
            next_message_id: 1,
        });
        chat.title = title;
        chat.username = username;
    }

    pub fn user_json(&mut self, id: i64) -> Value {
        json::user_json(self.ensure_user(id))
    }

    pub fn bot_json(&self) -> Value {
        json::bot_user_json(&self.bot)
    }

    pub fn chat(&self, chat_id: i64) -> Result<&ChatRecord, ApiError> {
        self.chats
            .get(&chat_id)
            .ok_or_else(ApiError::chat_not_found)
    }

    pub fn chat_mut(&mut self, chat_id: i64) -> Result<&mut ChatRecord, ApiError> {
        self.chats
            .get_mut(&chat_id)
            .ok_or_else(ApiError::chat_not_found)
    }

    /// Checks that the bot may post in a chat, as Telegram would.
    pub fn check_bot_can_send(&self, chat_id: i64) -> Result<(), ApiError> {
        let chat = self.chat(chat_id)?;
        match chat.kind {
            ChatType::Private => {
                let user = self
                    .users
                    .get(&chat_id)
                    .ok_or_else(ApiError::chat_not_found)?;
                if user.blocked_bot {
                    Err(ApiError::forbidden("bot was blocked by the user"))
                } else if !user.started_bot {
                    Err(ApiError::forbidden(
                        "bot can't initiate conversation with a user",
                    ))
                } else {
                    Ok(())
                }
            }
            kind => match chat.bot_role {
                Role::Banned => Err(ApiError::forbidden(format!(
                    "bot was kicked from the {} chat",
                    kind.as_str()
                ))),
                Role::Left => Err(ApiError::forbidden(format!(
                    "bot is not a member of the {} chat",
                    kind.as_str()
                ))),
                _ => Ok(()),
            },
        }
    }

    /// Stores a new message in a chat and returns its id. A reply target that
    /// does not exist is left out (callers check it first when it matters).
    pub fn new_message(&mut self, chat_id: i64, draft: Draft) -> Result<i32, ApiError> {
        let chat = self
            .chats
            .get_mut(&chat_id)
            .ok_or_else(ApiError::chat_not_found)?;
        let message_id = chat.next_message_id;
        chat.next_message_id += 1;
        let mut msg = Map::new();
        msg.insert("message_id".into(), json!(message_id));
        msg.insert("date".into(), json!(now_secs()));
        msg.insert("chat".into(), json::chat_json(chat));
        msg.insert("from".into(), draft.from);
        if let Some(thread) = draft.thread_id {
            msg.insert("message_thread_id".into(), json!(thread));
        }
        if let Some(target) = draft.reply_to.and_then(|id| chat.messages.get(&id)) {
            let mut quoted = target.json.clone();
            if let Some(obj) = quoted.as_object_mut() {
                obj.remove("reply_to_message");
            }
            msg.insert("reply_to_message".into(), quoted);
        }
        msg.extend(draft.content);
        chat.messages.insert(
            message_id,
            StoredMessage {
                json: Value::Object(msg),
                from_bot: draft.from_bot,
                deleted: false,
                sent_params: draft.sent_params,
            },
        );
        Ok(message_id)
    }

    pub fn message_json(&self, chat_id: i64, message_id: i32) -> Value {
        self.chats
            .get(&chat_id)
            .and_then(|c| c.messages.get(&message_id))
            .map(|m| m.json.clone())
            .unwrap_or(Value::Null)
    }

    /// Queues an update such as `("message", {...})`; returns its update_id.
    pub fn push_update(&mut self, kind: &str, payload: Value) -> u32 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = Map::new();
        update.insert("update_id".into(), json!(id));
        update.insert(kind.to_owned(), payload);
        self.updates.push_back(Value::Object(update));
        id
    }

    /// Queues a `message` update for a stored message.
    pub fn push_message_update(&mut self, chat_id: i64, message_id: i32) -> u32 {
        let message = self.message_json(chat_id, message_id);
        self.push_update("message", message)
    }
}
