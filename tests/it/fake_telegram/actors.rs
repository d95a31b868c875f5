//! Setting up the world: users, group chats, and who holds which role
//! (the bot included). These change state silently: no updates are queued.

use std::collections::BTreeMap;

use super::model::{ChatType, Role};
use super::state::ChatRecord;
use super::FakeTelegram;

impl FakeTelegram {
    /// Registers (or renames) a user. Users are also created on first use
    /// as "User<id>" / @user<id>. Every user has a private chat with
    /// `chat_id == user_id`, but the bot may write there only after
    /// `user_starts_bot` (or after the user wrote to the bot).
    pub fn user(&self, id: i64, first_name: &str, username: Option<&str>) -> i64 {
        self.shared.mutate(|s| {
            let user = s.ensure_user(id);
            user.first_name = first_name.to_owned();
            user.username = username.map(str::to_owned);
            s.sync_private_chat(id);
        });
        id
    }

    /// Sets the language Telegram reports for a user (default "id").
    pub fn set_user_language(&self, id: i64, language_code: Option<&str>) {
        self.shared
            .mutate(|s| s.ensure_user(id).language_code = language_code.map(str::to_owned));
    }

    /// The user has opened a private chat with the bot (pressed Start).
    pub fn user_starts_bot(&self, id: i64) {
        self.shared.mutate(|s| {
            let user = s.ensure_user(id);
            user.started_bot = true;
            user.blocked_bot = false;
        });
    }

    /// The user blocked the bot: private messages fail with 403.
    pub fn user_blocks_bot(&self, id: i64) {
        self.shared.mutate(|s| s.ensure_user(id).blocked_bot = true);
    }

    /// Creates a supergroup (the usual team chat) with the bot as a plain
    /// member. Calling it again only renames the chat.
    pub fn group(&self, chat_id: i64, title: &str) -> i64 {
        self.create_chat(chat_id, title, ChatType::Supergroup)
    }

    /// Creates a basic (non-super) group with the bot as a plain member.
    pub fn basic_group(&self, chat_id: i64, title: &str) -> i64 {
        self.create_chat(chat_id, title, ChatType::Group)
    }

    fn create_chat(&self, chat_id: i64, title: &str, kind: ChatType) -> i64 {
        self.shared.mutate(|s| {
            let chat = s.chats.entry(chat_id).or_insert_with(|| ChatRecord {
                id: chat_id,
                kind,
                title: String::new(),
                username: None,
                members: BTreeMap::new(),
                bot_role: Role::Member,
                messages: BTreeMap::new(),
                next_message_id: 1,
            });
            chat.title = title.to_owned();
        });
        chat_id
    }

    /// Sets the bot's status in a group. Panics if the chat does not exist.
    pub fn set_bot_role(&self, chat_id: i64, role: Role) {
        self.shared.mutate(|s| match s.chats.get_mut(&chat_id) {
            Some(chat) => chat.bot_role = role,
            None => panic!("fake telegram: no chat {chat_id}; create it with group() first"),
        });
    }

    /// The bot is an administrator, with or without `can_delete_messages`.
    pub fn bot_is_admin(&self, chat_id: i64, can_delete_messages: bool) {
        self.set_bot_role(
            chat_id,
            Role::Admin {
                can_delete_messages,
            },
        );
    }

    /// The bot is a plain member (no rights).
    pub fn bot_is_member(&self, chat_id: i64) {
        self.set_bot_role(chat_id, Role::Member);
    }

    /// Sets a user's status in a group. Panics if the chat does not exist.
    pub fn set_role(&self, chat_id: i64, user_id: i64, role: Role) {
        self.shared.mutate(|s| {
            s.ensure_user(user_id);
            match s.chats.get_mut(&chat_id) {
                Some(chat) => {
                    chat.members.insert(user_id, role);
                }
                None => panic!("fake telegram: no chat {chat_id}; create it with group() first"),
            }
        });
    }

    pub fn make_member(&self, chat_id: i64, user_id: i64) {
        self.set_role(chat_id, user_id, Role::Member);
    }

    /// An administrator with every right.
    pub fn make_admin(&self, chat_id: i64, user_id: i64) {
        self.set_role(
            chat_id,
            user_id,
            Role::Admin {
                can_delete_messages: true,
            },
        );
    }

    pub fn make_owner(&self, chat_id: i64, user_id: i64) {
        self.set_role(chat_id, user_id, Role::Owner);
    }

    /// A user's status in a chat (`Left` when unknown).
    pub fn role(&self, chat_id: i64, user_id: i64) -> Role {
        self.shared.read(|s| {
            s.chats
                .get(&chat_id)
                .map(|c| c.role_of(user_id))
                .unwrap_or(Role::Left)
        })
    }

    /// The bot's status in a chat.
    pub fn bot_role(&self, chat_id: i64) -> Role {
        self.shared.read(|s| {
            s.chats
                .get(&chat_id)
                .map(|c| c.bot_role)
                .unwrap_or(Role::Left)
        })
    }
}
