//! The Bot API methods the fake implements, dispatched by lowercased name.
//! Any other method is accepted with `result: true` (and recorded by the
//! server), so unexpected calls show up in `calls()` instead of failing.

mod edit;
mod info;
mod params;
mod send;
mod send_video;
mod updates;

use serde_json::{json, Value};

use super::body::Params;
use super::error::ApiError;
use super::state::State;

pub(crate) use params::chat_id;
pub(crate) use updates::{take_batch, take_wanted};

/// Runs one method (other than the long-polling part of getUpdates).
pub(crate) fn dispatch(
    state: &mut State,
    method: &str,
    params: &Params,
) -> Result<Value, ApiError> {
    let p = &params.value;
    match method {
        "getme" => info::get_me(state),
        "getupdates" => Ok(Value::Array(take_batch(state, p))),
        "getwebhookinfo" => info::get_webhook_info(),
        "setwebhook" => super::webhook::set_webhook(state, p),
        "deletewebhook" | "logout" | "close" => Ok(json!(true)),
        "setmycommands" => info::set_my_commands(state, p),
        "deletemycommands" => info::delete_my_commands(state, p),
        "getmycommands" => info::get_my_commands(state, p),
        "sendmessage" => send::send_message(state, p),
        "sendphoto" => send::send_photo(state, params),
        "senddocument" => send::send_document(state, params),
        "sendvideo" => send_video::send_video(state, params),
        "sendanimation" => send_video::send_animation(state, params),
        "sendvideonote" => send_video::send_video_note(state, params),
        "sendmediagroup" => send::send_media_group(state, params),
        "copymessage" => send::copy_message(state, p),
        "forwardmessage" => send::forward_message(state, p),
        "deletemessage" => edit::delete_message(state, p),
        "deletemessages" => edit::delete_messages(state, p),
        "editmessagetext" => edit::edit_message_text(state, p),
        "editmessagecaption" => edit::edit_message_caption(state, p),
        "editmessagereplymarkup" => edit::edit_message_reply_markup(state, p),
        "editmessagemedia" => edit::edit_message_media(state, params),
        "getfile" => info::get_file(state, p),
        "getchat" => info::get_chat(state, p),
        "getchatmember" => info::get_chat_member(state, p),
        "getchatadministrators" => info::get_chat_administrators(state, p),
        "getchatmembercount" => info::get_chat_member_count(state, p),
        "answercallbackquery" => info::answer_callback_query(state, p),
        _ => Ok(json!(true)),
    }
}
