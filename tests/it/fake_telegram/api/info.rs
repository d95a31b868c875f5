//! Read-mostly methods: getMe, webhook info, bot commands, getFile, getChat,
//! getChatMember(s), answerCallbackQuery.

use serde_json::{json, Value};

use super::params::{flag, int, require_chat_id, text};
use crate::fake_telegram::error::ApiError;
use crate::fake_telegram::files::DOWNLOAD_LIMIT;
use crate::fake_telegram::json::{chat_full_info_json, me_json, member_json};
use crate::fake_telegram::model::{CallbackAnswer, ChatType, CommandSet, Role};
use crate::fake_telegram::state::State;

pub(crate) fn get_me(state: &State) -> Result<Value, ApiError> {
    Ok(me_json(&state.bot))
}

pub(crate) fn get_webhook_info() -> Result<Value, ApiError> {
    Ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 }))
}

fn scope_of(p: &Value) -> Value {
    p.get("scope")
        .filter(|s| s.is_object())
        .cloned()
        .unwrap_or_else(|| json!({ "type": "default" }))
}

fn same_target(set: &CommandSet, scope: &Value, lang: &Option<String>) -> bool {
    &set.scope == scope && &set.language_code == lang
}

pub(crate) fn set_my_commands(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let Some(commands) = p.get("commands").filter(|c| c.is_array()).cloned() else {
        return Err(ApiError::bad_request("can't parse commands JSON object"));
    };
    let (scope, lang) = (
        scope_of(p),
        text(p, "language_code").filter(|l| !l.is_empty()),
    );
    state
        .commands
        .retain(|set| !same_target(set, &scope, &lang));
    state.commands.push(CommandSet {
        scope,
        language_code: lang,
        commands,
    });
    Ok(json!(true))
}

pub(crate) fn delete_my_commands(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let (scope, lang) = (
        scope_of(p),
        text(p, "language_code").filter(|l| !l.is_empty()),
    );
    state
        .commands
        .retain(|set| !same_target(set, &scope, &lang));
    Ok(json!(true))
}

pub(crate) fn get_my_commands(state: &State, p: &Value) -> Result<Value, ApiError> {
    let (scope, lang) = (
        scope_of(p),
        text(p, "language_code").filter(|l| !l.is_empty()),
    );
    let found = state
        .commands
        .iter()
        .find(|set| same_target(set, &scope, &lang));
    Ok(found
        .map(|set| set.commands.clone())
        .unwrap_or_else(|| json!([])))
}

pub(crate) fn get_file(state: &State, p: &Value) -> Result<Value, ApiError> {
    let file_id = text(p, "file_id").unwrap_or_default();
    let file = state
        .files
        .get(&file_id)
        .ok_or_else(|| ApiError::bad_request("invalid file_id"))?;
    if file.bytes.len() > DOWNLOAD_LIMIT {
        return Err(ApiError::bad_request("file is too big"));
    }
    Ok(file.file_json())
}

pub(crate) fn get_chat(state: &State, p: &Value) -> Result<Value, ApiError> {
    let chat = state.chat(require_chat_id(p)?)?;
    Ok(chat_full_info_json(chat))
}

pub(crate) fn get_chat_member(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let chat_id = require_chat_id(p)?;
    let user_id = int(p, "user_id").ok_or_else(|| ApiError::bad_request("user_id is empty"))?;
    let chat = state.chat(chat_id)?;
    if user_id == state.bot.id {
        let role = if chat.kind == ChatType::Private {
            Role::Member
        } else {
            chat.bot_role
        };
        return Ok(member_json(state.bot_json(), role));
    }
    let role = chat.role_of(user_id);
    if !state.users.contains_key(&user_id) {
        return Err(ApiError::bad_request("user not found"));
    }
    Ok(member_json(state.user_json(user_id), role))
}

pub(crate) fn get_chat_administrators(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let chat = state.chat(require_chat_id(p)?)?;
    if chat.kind == ChatType::Private {
        return Err(ApiError::bad_request(
            "there are no administrators in the private chat",
        ));
    }
    let bot_role = chat.bot_role;
    let admins: Vec<(i64, Role)> = chat
        .members
        .iter()
        .filter(|(_, r)| r.is_privileged())
        .map(|(id, r)| (*id, *r))
        .collect();
    let mut list: Vec<Value> = admins
        .into_iter()
        .map(|(id, role)| member_json(state.user_json(id), role))
        .collect();
    if bot_role.is_privileged() {
        list.push(member_json(state.bot_json(), bot_role));
    }
    Ok(Value::Array(list))
}

pub(crate) fn get_chat_member_count(state: &State, p: &Value) -> Result<Value, ApiError> {
    let chat = state.chat(require_chat_id(p)?)?;
    let users = chat.members.values().filter(|r| r.is_present()).count();
    let bot = usize::from(chat.bot_role.is_present());
    Ok(json!(users + bot))
}

pub(crate) fn answer_callback_query(state: &mut State, p: &Value) -> Result<Value, ApiError> {
    let id = text(p, "callback_query_id").unwrap_or_default();
    let record = state.callbacks.get_mut(&id).ok_or_else(|| {
        ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        )
    })?;
    if record.answer.is_some() {
        return Err(ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        ));
    }
    record.answer = Some(CallbackAnswer {
        callback_query_id: id,
        text: text(p, "text"),
        show_alert: flag(p, "show_alert"),
    });
    Ok(json!(true))
}
