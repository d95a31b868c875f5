//! The bot's own membership as Telegram reports it: `my_chat_member`
//! updates when someone adds the bot to a group or changes its rights, and
//! the two service messages of a group upgraded to a supergroup.

use serde_json::{json, Map, Value};

use super::json::{chat_json, member_json};
use super::model::{ChatType, Role};
use super::state::{now_secs, ChatRecord, Draft, State};
use super::FakeTelegram;

impl FakeTelegram {
    /// `by` sets the bot's status in a group (adds it, promotes, demotes or
    /// removes it): the role changes and a `my_chat_member` update is queued,
    /// delivered only if the bot asked for `my_chat_member`. Returns the
    /// update id. Panics if the group does not exist.
    pub fn change_bot_role(&self, chat_id: i64, by: i64, role: Role) -> u32 {
        self.shared.mutate(|s| {
            let from = s.user_json(by);
            let bot = s.bot_json();
            let Some(chat) = s.chats.get_mut(&chat_id) else {
                panic!("fake telegram: no chat {chat_id}; create it with group() first");
            };
            let old = chat.bot_role;
            chat.bot_role = role;
            let change = json!({
                "chat": chat_json(chat),
                "from": from,
                "date": now_secs(),
                "old_chat_member": member_json(bot.clone(), old),
                "new_chat_member": member_json(bot, role),
            });
            s.push_update("my_chat_member", change)
        })
    }

    /// `by` upgrades the basic group `old_id` to a supergroup `new_id` with
    /// the same title, members and bot role: a `migrate_to_chat_id` message in
    /// the old chat, then a `migrate_from_chat_id` one in the new chat, are
    /// queued (Telegram sends both). Returns their message ids.
    pub fn upgrade_to_supergroup(&self, old_id: i64, new_id: i64, by: i64) -> (i32, i32) {
        self.shared.mutate(|s| {
            let Some(old) = s.chats.get(&old_id) else {
                panic!("fake telegram: no chat {old_id}; create it with basic_group() first");
            };
            let new = ChatRecord {
                id: new_id,
                kind: ChatType::Supergroup,
                title: old.title.clone(),
                username: None,
                members: old.members.clone(),
                bot_role: old.bot_role,
                messages: Default::default(),
                next_message_id: 1,
            };
            s.chats.insert(new_id, new);
            let to = service(s, old_id, by, "migrate_to_chat_id", new_id);
            let from = service(s, new_id, by, "migrate_from_chat_id", old_id);
            (to, from)
        })
    }
}

/// Stores a service message `{key: value}` from `by` in `chat_id` and queues it.
fn service(state: &mut State, chat_id: i64, by: i64, key: &str, value: i64) -> i32 {
    let mut content = Map::new();
    content.insert(key.to_owned(), Value::from(value));
    let draft = Draft {
        from: state.user_json(by),
        from_bot: false,
        content,
        reply_to: None,
        thread_id: None,
        sent_params: None,
    };
    let id = state.new_message(chat_id, draft).expect("chat exists");
    state.push_message_update(chat_id, id);
    id
}
