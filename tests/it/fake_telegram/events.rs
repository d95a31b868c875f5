//! User actions other than posting: editing a message (caption or media),
//! pressing an inline button, joining or leaving a group, and ageing a
//! message past Telegram's 48-hour delete window.

use std::sync::Arc;

use serde_json::{json, Value};

use super::json::member_json;
use super::model::{ChatType, Role};
use super::state::{now_secs, Draft};
use super::FakeTelegram;

impl FakeTelegram {
    /// Changes a message's caption (None removes it) and queues an
    /// `edited_message` update with `edit_date`. Panics if there is no such message.
    pub fn edit_caption(&self, chat_id: i64, message_id: i32, new_caption: Option<&str>) {
        self.edit(chat_id, message_id, |json| {
            match new_caption.filter(|c| !c.is_empty()) {
                Some(c) => json["caption"] = json!(c),
                None => {
                    if let Some(obj) = json.as_object_mut() {
                        obj.remove("caption");
                    }
                }
            }
            None
        });
    }

    /// Replaces a message's media with a new photo (as a user editing the
    /// media of a photo message) and queues an `edited_message` update.
    pub fn edit_photo(&self, chat_id: i64, message_id: i32, bytes: &[u8]) {
        let bytes = Arc::new(bytes.to_vec());
        self.edit(chat_id, message_id, move |json| {
            if let Some(obj) = json.as_object_mut() {
                obj.remove("document");
            }
            Some(bytes)
        });
    }

    /// Applies `change` to a stored message; a returned byte buffer becomes
    /// the message's new photo. Queues the `edited_message` update.
    fn edit(
        &self,
        chat_id: i64,
        message_id: i32,
        change: impl FnOnce(&mut Value) -> Option<Arc<Vec<u8>>>,
    ) {
        self.shared.mutate(|s| {
            let Some(message) = s
                .chats
                .get_mut(&chat_id)
                .and_then(|c| c.messages.get_mut(&message_id))
            else {
                panic!("fake telegram: no message {message_id} in chat {chat_id}");
            };
            let new_photo = change(&mut message.json);
            message.json["edit_date"] = json!(now_secs());
            if let Some(bytes) = new_photo {
                let sizes = s.files.photo_sizes(bytes);
                let message = s
                    .chats
                    .get_mut(&chat_id)
                    .and_then(|c| c.messages.get_mut(&message_id));
                if let Some(message) = message {
                    message.json["photo"] = sizes;
                }
            }
            let json = s.message_json(chat_id, message_id);
            s.push_update("edited_message", json);
        });
    }

    /// `user_id` presses an inline button of the bot's message: queues a
    /// `callback_query` update carrying `data` (any string: forged data is
    /// fine) and returns the callback query id.
    pub fn press_button(&self, chat_id: i64, user_id: i64, message_id: i32, data: &str) -> String {
        self.shared.mutate(|s| {
            let from = s.user_json(user_id);
            let message = s.message_json(chat_id, message_id);
            assert!(
                !message.is_null(),
                "fake telegram: no message {message_id} in chat {chat_id}"
            );
            let id = format!("{}", 4_000_000_000_000_000u64 + s.serial());
            let query = json!({
                "id": id,
                "from": from,
                "message": message,
                "chat_instance": format!("{}", chat_id.unsigned_abs().wrapping_mul(7919)),
                "data": data,
            });
            s.callbacks
                .insert(id.clone(), super::state::CallbackRecord { answer: None });
            s.push_update("callback_query", query);
            id
        })
    }

    /// `user_id` joins a group: the service message with `new_chat_members`
    /// (returned id) and a `chat_member` update (left -> member) are queued.
    pub fn user_joins(&self, chat_id: i64, user_id: i64) -> i32 {
        self.membership_change(chat_id, user_id, Role::Member, "new_chat_members")
    }

    /// `user_id` leaves a group: a `left_chat_member` message and a
    /// `chat_member` update are queued.
    pub fn user_leaves(&self, chat_id: i64, user_id: i64) -> i32 {
        self.membership_change(chat_id, user_id, Role::Left, "left_chat_member")
    }

    fn membership_change(
        &self,
        chat_id: i64,
        user_id: i64,
        new_role: Role,
        service_key: &str,
    ) -> i32 {
        self.shared.mutate(|s| {
            let user = s.user_json(user_id);
            let Some(chat) = s
                .chats
                .get_mut(&chat_id)
                .filter(|c| c.kind != ChatType::Private)
            else {
                panic!("fake telegram: no group {chat_id}; create it with group() first");
            };
            let old_role = chat.role_of(user_id);
            chat.members.insert(user_id, new_role);
            let chat_json = super::json::chat_json(chat);
            let service = if new_role.is_present() {
                json!([user.clone()])
            } else {
                user.clone()
            };
            let mut content = serde_json::Map::new();
            content.insert(service_key.to_owned(), service);
            let draft = Draft {
                from: user.clone(),
                from_bot: false,
                content,
                reply_to: None,
                thread_id: None,
                sent_params: None,
            };
            let id = s.new_message(chat_id, draft).expect("chat exists");
            s.push_message_update(chat_id, id);
            let change = json!({
                "chat": chat_json,
                "from": user,
                "date": now_secs(),
                "old_chat_member": member_json(user.clone(), old_role),
                "new_chat_member": member_json(user, new_role),
            });
            s.push_update("chat_member", change);
            id
        })
    }

    /// Makes a message `secs` seconds older (e.g. past the 48 h delete window).
    pub fn backdate(&self, chat_id: i64, message_id: i32, secs: i64) {
        self.shared.mutate(|s| {
            if let Some(m) = s
                .chats
                .get_mut(&chat_id)
                .and_then(|c| c.messages.get_mut(&message_id))
            {
                let date = m.json["date"].as_i64().unwrap_or(0);
                m.json["date"] = json!(date - secs);
            }
        });
    }
}
