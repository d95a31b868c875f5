//! Catching every photo and video in a guarded chat and running it through
//! the guard: compressed photos, images and videos sent as files, animations,
//! video notes, stickers, paid and quoted media, album items (judged with
//! every caption of their album), forwards, and edits of any of them.
//!
//! Work on one message follows the earlier work of its chat (the job queue), and the enforcement record
//! says whether this state of the message was already decided (a replay:
//! resume, never check again), is out of date, or follows an earlier state.

use std::sync::Arc;

use photo_guard_core::enforcement::{before, Before};
use photo_guard_core::texts::{text, Msg, Unchecked};
use photo_guard_core::{
    ChatId as CoreChat, Enforcement, IncomingPhoto, MessageId as CoreMessage, UserId as CoreUser,
    Visual,
};
use teloxide::types::Message;

use crate::app::{display_name, App};
use crate::candidate::{candidate, Candidate};
use crate::enforce::{decided, delete_original, resume, with_reminder, Deleted, Unfinished};
use crate::photo::{fetch, FetchError};
use crate::unchecked;

/// Whether a message carries something the guard must look at.
pub fn is_guarded_media(msg: &Message) -> bool {
    !msg.chat.is_private() && candidate(msg).is_some()
}

/// Handles the state of a photo or video message carried by update `update`.
pub async fn handle_media(app: Arc<App>, update: i64, msg: Message) -> Result<(), Unfinished> {
    let Some(found) = candidate(&msg) else {
        return Ok(());
    };
    let album = crate::album::other_captions(&app, update, &msg).await?;
    // Videos queue apart: a burst of clips never takes every photo's place.
    let slots = match found.kind {
        Visual::Video => &app.video_slots,
        _ => &app.photo_slots,
    };
    let _slot = slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Unfinished("shutting down".into()))?;
    let _ = app
        .guard
        .store()
        .touch_chat(CoreChat(msg.chat.id.0), msg.chat.title().unwrap_or(""))
        .await;
    // One chat's jobs are claimed one at a time (the queue): an edit's work
    // follows its original's, on whichever replica.
    let earlier = match earlier_state(&app, update, &msg).await? {
        Next::Check(earlier) => earlier,
        Next::Settled => return Ok(()),
    };
    let (bytes, kind) = match fetched(&app, &msg, &found).await? {
        Some(item) => item,
        None => return Ok(()),
    };
    // Issue 23: the file id, sealed, so a downgrade can fetch it again.
    if let Some((file, _)) = &found.file {
        crate::takedown::note_file(&app, &msg, file).await;
    }
    let photo = IncomingPhoto {
        chat: CoreChat(msg.chat.id.0),
        message: CoreMessage(msg.id.0 as i64),
        sender: CoreUser(msg.from.as_ref().map_or(0, |u| u.id.0 as i64)),
        sender_name: display_name(msg.from.as_ref()),
        caption: caption_of(&msg).map(str::to_owned),
        thread: msg.thread_id.map(|t| t.0 .0 as i64),
        kind,
        bytes,
    };
    match app.guard.check_with(photo, &album).await {
        Ok(checked) => {
            tracing::info!(
                chat = msg.chat.id.0,
                message = msg.id.0,
                kind = kind.code(),
                verdict = checked.decision.verdict.as_str(),
                reason = checked.decision.reason.code(),
                enforced = checked.decision.enforce,
                faces = checked.faces,
                "media checked"
            );
            decided(&app, &msg, update, checked, earlier).await
        }
        Err(e) => fail_closed(&app, &msg, &e.to_string()).await,
    }
}

/// The text that goes with the item: its caption, or the text of a message
/// that quotes media from elsewhere.
pub fn caption_of(msg: &Message) -> Option<&str> {
    msg.caption().or_else(|| msg.text())
}

/// The item's bytes and what they turned out to be; `None` when there is
/// nothing to guard after all (a document that shows nothing) or the item
/// was dealt with as unfetchable.
async fn fetched(
    app: &App,
    msg: &Message,
    found: &Candidate,
) -> Result<Option<(Vec<u8>, Visual)>, Unfinished> {
    let Some((file_id, declared_size)) = &found.file else {
        // Whatever it shows, the bot cannot see it: removed, not let through.
        unchecked::remove(app, msg, Unchecked::NoFile).await?;
        return Ok(None);
    };
    // A drawing cannot show anyone: recorded without a download.
    if found.kind == Visual::AnimatedSticker {
        return Ok(Some((Vec::new(), Visual::AnimatedSticker)));
    }
    let limit = app.settings.max_download_bytes;
    // A declared size over the limit is refused without downloading a byte.
    let fetched = match *declared_size > limit {
        true => Err(FetchError::TooLarge { limit }),
        false => fetch(&app.bot, file_id, limit).await,
    };
    let bytes = match fetched {
        Ok(bytes) => bytes,
        // Whatever its name says (a renamed photo is still a photo): what
        // cannot be fetched is removed, or left for another try.
        Err(e) => return unchecked::fetch_failed(app, msg, e).await.map(|()| None),
    };
    unchecked::fetched(app, msg).await;
    Ok(found.settle(&bytes).map(|kind| (bytes, kind)))
}

/// The guard could not record its decision: remove the photo anyway and say
/// so, without showing it.
async fn fail_closed(app: &App, msg: &Message, why: &str) -> Result<(), Unfinished> {
    tracing::error!(
        chat = msg.chat.id.0,
        message = msg.id.0,
        error = why,
        "photo could not be checked; removing it"
    );
    let lang = app.chat_lang(msg.chat.id).await;
    if delete_original(app, msg, lang).await? != Deleted::Yes {
        return Ok(());
    }
    let sender = display_name(msg.from.as_ref());
    let body = with_reminder(lang, &text(lang, &Msg::UncheckedInChat { sender: &sender }));
    app.send_text(msg.chat.id, body, None, None).await;
    Ok(())
}

/// What an update needs, given what was recorded for its message.
enum Next {
    /// Check the photo, after the state judged earlier, if any.
    Check(Option<Enforcement>),
    /// Nothing more: a replay was resumed, or the update is out of date.
    Settled,
}

async fn earlier_state(app: &App, update: i64, msg: &Message) -> Result<Next, Unfinished> {
    let (chat, message) = (CoreChat(msg.chat.id.0), CoreMessage(i64::from(msg.id.0)));
    let recorded = app
        .guard
        .store()
        .enforcement(chat, message)
        .await
        .map_err(|e| Unfinished(format!("enforcement record: {e}")))?;
    let ignored = |why: &str| {
        tracing::info!(
            chat = chat.0,
            message = message.0,
            update,
            why,
            "photo not checked again"
        );
        Ok(Next::Settled)
    };
    match before(recorded.as_ref(), update) {
        Before::Nothing => Ok(Next::Check(None)),
        Before::Earlier(rec) => Ok(Next::Check(Some(rec.clone()))),
        Before::Stale => ignored("a later state of the message was judged"),
        Before::Blocked => ignored("the message was blocked and stays blocked for review"),
        Before::Resume => {
            let rec = recorded.expect("a resumed state was recorded");
            resume(app, msg, rec).await.map(|()| Next::Settled)
        }
    }
}
