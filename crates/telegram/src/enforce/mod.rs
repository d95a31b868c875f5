//! Acting on a verdict in the chat: delete, re-post blurred, hold back.
//!
//! The work is a recorded sequence of steps (`steps`): the original is
//! deleted first and the copy posted only after a successful delete, each
//! step written down once done, so a restart resumes at the next one. What
//! is said and posted along the way is in `notify`.

mod notify;
mod steps;

use photo_guard_core::Lang;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use teloxide::{ApiError, RequestError};

use crate::app::App;
use crate::retry::with_retry;

pub use steps::{decided, resume};

/// The work could not be finished; leave it in the inbox for a later run.
#[derive(Debug)]
pub struct Unfinished(pub String);

/// What deleting the original came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    Yes,
    /// Already gone: someone else deleted it, or this is a replay.
    AlreadyGone,
    /// Telegram would not delete it (no right, or too old); the admins
    /// have been told, with a link.
    NoRights,
}

pub async fn delete_original(app: &App, msg: &Message, lang: Lang) -> Result<Deleted, Unfinished> {
    let res = with_retry("deleteMessage", || {
        app.bot.delete_message(msg.chat.id, msg.id).send()
    })
    .await;
    match res {
        Ok(_) => Ok(Deleted::Yes),
        Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => {
            tracing::info!(
                chat = msg.chat.id.0,
                message = msg.id.0,
                "the original was already deleted"
            );
            Ok(Deleted::AlreadyGone)
        }
        Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => {
            crate::rights::cannot_delete(app, msg, lang).await;
            Ok(Deleted::NoRights)
        }
        Err(e) => Err(Unfinished(format!("deleteMessage failed: {e}"))),
    }
}

/// The four review buttons; the data names the action and the item.
pub fn review_buttons(lang: Lang, item: i64) -> InlineKeyboardMarkup {
    let all = photo_guard_core::ReviewAction::ALL;
    crate::platform::review_buttons(lang, item, &all)
}

/// The caption with the one-line reminder (the core's, within the caption limit).
pub use photo_guard_core::texts::with_reminder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_buttons_carry_the_item_in_every_action() {
        let markup = review_buttons(Lang::En, 42);
        let data: Vec<String> = markup
            .inline_keyboard
            .iter()
            .flatten()
            .filter_map(|b| match &b.kind {
                teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(data.len(), 4);
        assert!(data
            .iter()
            .all(|d| crate::review::parse_data(d).map(|(_, id)| id.0) == Some(42)));
    }
}
