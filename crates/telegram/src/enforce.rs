//! Acting on a verdict in the chat: delete, re-post blurred, hold back.
//!
//! The original is always deleted first and the copy posted only after a
//! successful delete. That order makes a replay after a crash harmless: the
//! second delete finds nothing, so nothing is posted twice.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Checked, Lang, Verdict};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ReplyParameters};
use teloxide::{ApiError, RequestError};

use crate::app::{display_name, App};
use crate::retry::with_retry;

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

pub async fn enforce(
    app: &App,
    msg: &Message,
    checked: &mut Checked,
    caption: Option<&str>,
) -> Result<(), Unfinished> {
    let d = &checked.decision;
    if !d.enforce || d.verdict == Verdict::Allow {
        return Ok(());
    }
    let lang = app.chat_lang(msg.chat.id).await;
    let deleted = delete_original(app, msg, lang).await?;
    match d.verdict {
        Verdict::Blur if deleted == Deleted::Yes => {
            post_blurred(app, msg, checked, caption, lang).await
        }
        Verdict::Block => {
            if deleted == Deleted::Yes {
                tell_sender(app, msg, checked, lang).await;
            }
            if deleted != Deleted::AlreadyGone {
                alert_admins(app, msg, checked).await;
            }
            Ok(())
        }
        _ => Ok(()),
    }
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

async fn post_blurred(
    app: &App,
    msg: &Message,
    checked: &mut Checked,
    caption: Option<&str>,
    lang: Lang,
) -> Result<(), Unfinished> {
    let Some(copy) = checked.anonymised.take() else {
        return Err(Unfinished(
            "a blur verdict without an anonymised copy".into(),
        ));
    };
    let sender = display_name(msg.from.as_ref());
    let body = with_reminder(
        lang,
        &text(
            lang,
            &Msg::BlurredCaption {
                sender: &sender,
                caption,
            },
        ),
    );
    let sent = with_retry("sendPhoto", || {
        let mut req = app
            .bot
            .send_photo(
                msg.chat.id,
                InputFile::memory(copy.clone()).file_name("photo.jpg"),
            )
            .caption(body.clone());
        if let Some(t) = msg.thread_id {
            req = req.message_thread_id(t);
        }
        if let Some(parent) = msg.reply_to_message() {
            req =
                req.reply_parameters(ReplyParameters::new(parent.id).allow_sending_without_reply());
        }
        req.send()
    })
    .await;
    sent.map(|_| ())
        .map_err(|e| Unfinished(format!("sendPhoto failed: {e}")))
}

async fn tell_sender(app: &App, msg: &Message, checked: &Checked, lang: Lang) {
    let reason = &checked.decision.reason;
    if let Some(user) = msg.from.as_ref() {
        let private = App::user_lang(Some(user));
        let body = with_reminder(private, &text(private, &Msg::BlockedForSender { reason }));
        if app.bot.send_message(user.id, body).await.is_ok() {
            return;
        }
    }
    // The sender never opened a private chat with the bot: a notice that shows no photo.
    let sender = display_name(msg.from.as_ref());
    let body = with_reminder(lang, &text(lang, &Msg::BlockedInChat { sender: &sender }));
    app.send_text(msg.chat.id, body, msg.thread_id, None).await;
}

async fn alert_admins(app: &App, msg: &Message, checked: &Checked) {
    let Some(item) = checked.quarantine else {
        return;
    };
    let chat = msg.chat.title().unwrap_or("?").to_owned();
    let sender = display_name(msg.from.as_ref());
    let reason = &checked.decision.reason;
    let reached = app
        .tell_admins(|l| {
            let body = text(
                l,
                &Msg::AdminAlert {
                    chat: &chat,
                    sender: &sender,
                    reason,
                    item: item.0,
                },
            );
            (body, Some(review_buttons(l, item.0)))
        })
        .await;
    if reached == 0 {
        tracing::error!(
            item = item.0,
            "a blocked photo awaits review but no admin could be reached"
        );
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
