//! What the bot posts and says while acting on a verdict: the blurred copy
//! in place of the original, the sender's notice of a block, the admins'
//! alert with the review buttons, and taking back a copy a later block
//! overruled.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, MediaKind, OutgoingMedia, Reason, RecordId};
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::{review_buttons, with_reminder, Unfinished};
use crate::app::{display_name, App};
use crate::intercept::caption_of;
use crate::post::{post_media, Place};
use crate::retry::with_retry;

/// Posts the blurred copy credited to the sender, as a photo or a video by
/// what the copy is; the copy's message id.
pub async fn post_blurred(
    app: &App,
    msg: &Message,
    copy: Vec<u8>,
    lang: Lang,
) -> Result<MessageId, Unfinished> {
    let sender = display_name(msg.from.as_ref());
    let caption = caption_of(msg);
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
    let to = Place {
        chat: msg.chat.id,
        thread: msg.thread_id,
        reply_to: msg.reply_to_message().map(|parent| parent.id),
    };
    let kind = MediaKind::of(&copy);
    let copy = OutgoingMedia {
        kind,
        bytes: copy,
        protect: false,
    };
    post_media(app, to, copy, Some(body))
        .await
        .map(|m| m.id)
        .map_err(|e| Unfinished(format!("posting the blurred {kind:?} failed: {e}")))
}

/// Deletes the bot's own blurred copy; one already gone is fine.
pub async fn remove_copy(app: &App, msg: &Message, copy: MessageId) -> Result<(), Unfinished> {
    let res = with_retry("deleteMessage", || {
        app.bot.delete_message(msg.chat.id, copy).send()
    })
    .await;
    match res {
        Ok(_) | Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => Ok(()),
        Err(e) => Err(Unfinished(format!("deleting the blurred copy failed: {e}"))),
    }
}

pub async fn tell_sender(app: &App, msg: &Message, reason: &Reason, lang: Lang) {
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

pub async fn alert_admins(app: &App, msg: &Message, reason: &Reason, item: RecordId) {
    let chat = crate::app::chat_title(&msg.chat);
    let sender = display_name(msg.from.as_ref());
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
