//! Issue 23: after a withdrawal, a refusal or a downgrade, the messages that
//! still show the client come down (or, for a downgrade, are replaced by a
//! blurred copy). The core's takedown service plans and records; this does
//! the Bot API calls and tells the coordinator, listing with links what
//! Telegram no longer lets the bot remove.
//!
//! A downgrade needs the original's bytes: the bot keeps none of an allowed
//! photo, so it fetches the file again by the file id noted at intake (sealed
//! in the store) while the message stands, blurs it, deletes the original,
//! then posts the copy. If the file cannot be fetched or blurred, the
//! original is only deleted: fail closed.

use photo_guard_core::exposure::Shown;
use photo_guard_core::services::Plan;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatId as CoreChat, ClientCode, MessageId as CoreMessage, RecordId};
use teloxide::prelude::*;
use teloxide::types::{FileId, InputFile, MessageId};
use teloxide::{ApiError, RequestError};

use crate::app::App;
use crate::commands::Ctx;
use crate::enforce::with_reminder;
use crate::retry::with_retry;

/// Remembers the file of a photo being checked, for a later downgrade. A
/// failure is logged: only a downgrade's copy depends on it.
pub async fn note_file(app: &App, msg: &Message, file: &FileId) {
    let (chat, message) = (CoreChat(msg.chat.id.0), CoreMessage(i64::from(msg.id.0)));
    let exposure = &app.services.takedowns;
    if let Err(e) = exposure.note_file(chat, message, &file.0).await {
        tracing::warn!(error = %e, "cannot note the photo's file id");
    }
}

/// What became of one message.
enum Done {
    Removed,
    Replaced,
    Left(&'static str),
}

/// Follows consent record `record` of `code`: takes down what it concerns
/// and tells the caller. Nothing is said when nothing shows the client.
pub async fn follow(ctx: &Ctx<'_>, code: &ClientCode, record: RecordId) {
    let service = &ctx.app.services.takedowns;
    let plan = match service.plan(code, record).await {
        Ok(Some(plan)) if !plan.is_empty() => plan,
        Ok(_) => return,
        Err(e) => {
            tracing::error!(error = %e, "cannot plan the takedown");
            return ctx.reply(Msg::TryAgainLater).await;
        }
    };
    let (mut removed, mut replaced, mut by_hand) = (0, 0, Vec::new());
    let work = plan.remove.iter().map(|s| (s, false));
    let work = work.chain(plan.reblur.iter().map(|s| (s, true)));
    for (shown, reblur) in work {
        match take_down(ctx, &plan, shown, reblur).await {
            Done::Removed => removed += 1,
            Done::Replaced => replaced += 1,
            Done::Left(why) => {
                service.left(ctx.caller(), &plan, shown, why).await;
                by_hand.push(link(shown));
            }
        }
    }
    for shown in &plan.too_old {
        service.left(ctx.caller(), &plan, shown, "too_old").await;
        by_hand.push(link(shown));
    }
    ctx.reply(Msg::TakedownDone {
        code,
        removed,
        replaced,
        by_hand: &by_hand,
    })
    .await;
}

async fn take_down(ctx: &Ctx<'_>, plan: &Plan, shown: &Shown, reblur: bool) -> Done {
    let service = &ctx.app.services.takedowns;
    let copy = match reblur {
        true => blurred_copy(ctx.app, shown).await,
        false => None,
    };
    if let Some(why) = delete(ctx.app, shown).await {
        return Done::Left(why);
    }
    let posted = match copy {
        Some(bytes) => post_copy(ctx.app, shown, bytes).await,
        None => None,
    };
    let recorded = match posted {
        Some(copy) => service.replaced(ctx.caller(), plan, shown, copy).await,
        None => service.removed(ctx.caller(), plan, shown).await,
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, "a takedown was done but not recorded");
    }
    match posted {
        Some(_) => Done::Replaced,
        None => Done::Removed,
    }
}

/// `None` when gone; else why it is still there.
async fn delete(app: &App, shown: &Shown) -> Option<&'static str> {
    let (chat, message) = (ChatId(shown.chat.0), MessageId(shown.message.0 as i32));
    let res = with_retry("deleteMessage", || {
        app.bot.delete_message(chat, message).send()
    })
    .await;
    match res {
        Ok(_) | Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => None,
        Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => Some("refused"),
        Err(e) => {
            tracing::warn!(error = %e, "a takedown's delete failed");
            Some("error")
        }
    }
}

/// The original fetched again and blurred; `None` if that cannot be done.
async fn blurred_copy(app: &App, shown: &Shown) -> Option<Vec<u8>> {
    let file = match app.services.takedowns.media_file(shown).await {
        Ok(Some(file)) => FileId(file),
        _ => return None,
    };
    let limit = app.settings.max_download_bytes;
    let bytes = crate::photo::fetch(&app.bot, &file, limit).await.ok()?;
    let vision = app.guard.vision().clone();
    let made = tokio::task::spawn_blocking(move || vision.examine(&bytes)?.anonymise()).await;
    match made {
        Ok(Ok(copy)) => Some(copy),
        _ => None,
    }
}

async fn post_copy(app: &App, shown: &Shown, copy: Vec<u8>) -> Option<CoreMessage> {
    let chat = ChatId(shown.chat.0);
    let lang = app.chat_lang(chat).await;
    let tags: Vec<String> = shown.tags.iter().map(|t| format!("#{t}")).collect();
    let caption = text(
        lang,
        &Msg::ReblurredCaption {
            tags: &tags.join(" "),
        },
    );
    let body = with_reminder(lang, &caption);
    let sent = with_retry("sendPhoto", || {
        let photo = InputFile::memory(copy.clone()).file_name("photo.jpg");
        app.bot.send_photo(chat, photo).caption(body.clone()).send()
    })
    .await;
    sent.ok().map(|m| CoreMessage(i64::from(m.id.0)))
}

/// A link for the chat's admins; a basic group has none, so the message id.
fn link(shown: &Shown) -> String {
    let chat = ChatId(shown.chat.0);
    let supergroup = chat.0.to_string().starts_with("-100");
    crate::rights::link(chat, None, supergroup, shown.message.0 as i32)
        .unwrap_or_else(|| format!("chat {} message #{}", shown.chat, shown.message))
}
