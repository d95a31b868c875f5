//! JSON shapes of Telegram objects (User, Chat, ChatFullInfo, ChatMember),
//! built to satisfy teloxide-core 0.13's serde types field by field.

use serde_json::{json, Value};

use super::model::{ChatType, Role};
use super::state::{BotUser, ChatRecord, UserRecord};

pub(crate) fn user_json(u: &UserRecord) -> Value {
    let mut v = json!({ "id": u.id, "is_bot": false, "first_name": u.first_name });
    if let Some(last) = &u.last_name {
        v["last_name"] = json!(last);
    }
    if let Some(username) = &u.username {
        v["username"] = json!(username);
    }
    if let Some(lang) = &u.language_code {
        v["language_code"] = json!(lang);
    }
    v
}

pub(crate) fn bot_user_json(b: &BotUser) -> Value {
    json!({ "id": b.id, "is_bot": true, "first_name": b.first_name, "username": b.username })
}

/// The `Me` object of getMe.
pub(crate) fn me_json(b: &BotUser) -> Value {
    let mut v = bot_user_json(b);
    v["can_join_groups"] = json!(true);
    v["can_read_all_group_messages"] = json!(true);
    v["supports_inline_queries"] = json!(false);
    v["can_connect_to_business"] = json!(false);
    v["has_main_web_app"] = json!(false);
    v
}

/// The short `Chat` object embedded in messages.
pub(crate) fn chat_json(c: &ChatRecord) -> Value {
    match c.kind {
        ChatType::Private => {
            let mut v = json!({ "id": c.id, "type": "private", "first_name": c.title });
            if let Some(username) = &c.username {
                v["username"] = json!(username);
            }
            v
        }
        ChatType::Group | ChatType::Supergroup => {
            json!({ "id": c.id, "type": c.kind.as_str(), "title": c.title })
        }
    }
}

/// The `ChatFullInfo` object of getChat.
pub(crate) fn chat_full_info_json(c: &ChatRecord) -> Value {
    let mut v = chat_json(c);
    v["accepted_gift_types"] = json!({
        "unlimited_gifts": false,
        "limited_gifts": false,
        "unique_gifts": false,
        "premium_subscription": false,
    });
    v["max_reaction_count"] = json!(11);
    v["accent_color_id"] = json!(0);
    v
}

/// A `ChatMember` object. Administrators carry every `can_*` field, as
/// Bot API 7+ (and teloxide's `Administrator`) requires.
pub(crate) fn member_json(user: Value, role: Role) -> Value {
    match role {
        Role::Owner => json!({ "status": "creator", "user": user, "is_anonymous": false }),
        Role::Admin {
            can_delete_messages,
        } => json!({
            "status": "administrator",
            "user": user,
            "is_anonymous": false,
            "can_be_edited": false,
            "can_manage_chat": true,
            "can_change_info": true,
            "can_post_messages": false,
            "can_edit_messages": false,
            "can_delete_messages": can_delete_messages,
            "can_post_stories": false,
            "can_edit_stories": false,
            "can_delete_stories": false,
            "can_manage_video_chats": true,
            "can_invite_users": true,
            "can_restrict_members": true,
            "can_pin_messages": true,
            "can_manage_topics": false,
            "can_promote_members": false,
        }),
        Role::Member => json!({ "status": "member", "user": user }),
        Role::Left => json!({ "status": "left", "user": user }),
        Role::Banned => json!({ "status": "kicked", "user": user, "until_date": 0 }),
    }
}

/// Whether a `reply_markup` is an inline keyboard (the only kind a returned
/// `Message` may carry).
pub(crate) fn is_inline_keyboard(markup: &Value) -> bool {
    markup.get("inline_keyboard").is_some_and(Value::is_array)
}
