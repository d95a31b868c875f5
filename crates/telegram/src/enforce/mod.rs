//! Acting on a verdict in the chat: delete, re-post blurred, hold back.
//!
//! The work is a recorded sequence of steps (`steps`): the original is
//! deleted first and the copy posted only after a successful delete, each
//! step written down once done, so a restart resumes at the next one. What
//! is said and posted along the way is in `notify`.

mod notify;
mod steps;

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::Lang;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, RequestError};

use crate::app::App;
use crate::retry::with_retry;

pub use steps::{decided, resume};

/// Telegram's caption limit, in UTF-16 code units.
const CAPTION_LIMIT: usize = 1024;

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
    let b = |msg: Msg<'_>, action: &str| {
        InlineKeyboardButton::callback(text(lang, &msg), format!("rv:{action}:{item}"))
    };
    InlineKeyboardMarkup::new(vec![
        vec![b(Msg::ButtonView, "v"), b(Msg::ButtonDiscard, "d")],
        vec![
            b(Msg::ButtonReleaseBlurred, "b"),
            b(Msg::ButtonReleaseOriginal, "o"),
        ],
    ])
}

/// Appends the one-line reminder, keeping within Telegram's caption limit,
/// which Telegram counts in UTF-16 code units (an emoji counts two).
pub fn with_reminder(lang: Lang, body: &str) -> String {
    let reminder = text(lang, &Msg::Reminder);
    let room = CAPTION_LIMIT.saturating_sub(reminder.encode_utf16().count() + 2);
    let mut used = 0;
    let body: String = body
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    format!("{body}\n\n{reminder}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 17.18: "é" is one UTF-16 unit, so counting chars could not tell a
    // cut by units from a cut by chars; emoji are two units each.
    #[test]
    fn a_long_caption_is_cut_so_the_reminder_still_fits_telegrams_limit() {
        let long = "😀".repeat(900); // 900 chars, 1800 units
        let caption = with_reminder(Lang::Id, &long);
        let units = caption.encode_utf16().count();
        assert!(units <= CAPTION_LIMIT, "{units} UTF-16 units");
        assert!(caption.ends_with(&text(Lang::Id, &Msg::Reminder)));
        assert!(caption.starts_with("😀"), "the caption itself was dropped");
    }

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
