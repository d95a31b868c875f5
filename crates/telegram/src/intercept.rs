//! Catching every photo in a guarded chat and running it through the guard:
//! compressed photos, images sent as files, album items (judged with every
//! caption of their album), forwards, and edits of any of them.
//!
//! Work on one message takes its turn (`turns`), and the enforcement record
//! says whether this state of the message was already decided (a replay:
//! resume, never check again), is out of date, or follows an earlier state.

use std::sync::Arc;

use photo_guard_core::enforcement::{before, Before};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ChatId as CoreChat, Enforcement, IncomingPhoto, MessageId as CoreMessage, UserId as CoreUser,
};
use teloxide::types::Message;

use crate::app::{display_name, App};
use crate::enforce::{decided, delete_original, resume, with_reminder, Deleted, Unfinished};
use crate::photo::{candidate, fetch, sniff_image, FetchError};
use crate::unchecked;

/// Whether a message carries something the guard must look at.
pub fn is_guarded_media(msg: &Message) -> bool {
    !msg.chat.is_private() && candidate(msg).is_some()
}

/// Handles the state of a photo message carried by update `update`.
pub async fn handle_media(app: Arc<App>, update: i64, msg: Message) -> Result<(), Unfinished> {
    let Some(found) = candidate(&msg) else {
        return Ok(());
    };
    let album = crate::album::other_captions(&app, update, &msg).await?;
    let _slot = app
        .photo_slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Unfinished("shutting down".into()))?;
    let _ = app
        .store()
        .touch_chat(CoreChat(msg.chat.id.0), msg.chat.title().unwrap_or(""))
        .await;
    let _turn = app.turns.take(msg.chat.id.0, msg.id.0).await;
    let earlier = match earlier_state(&app, update, &msg).await? {
        Next::Check(earlier) => earlier,
        Next::Settled => return Ok(()),
    };
    let limit = app.settings.max_download_bytes;
    // A declared size over the limit is refused without downloading a byte.
    let fetched = match found.declared_size > limit {
        true => Err(FetchError::TooLarge { limit }),
        false => fetch(&app.bot, &found.file_id, limit).await,
    };
    let bytes = match fetched {
        Ok(bytes) => bytes,
        // Whatever its name says (a renamed photo is still a photo): what
        // cannot be fetched is removed, or left for another try.
        Err(e) => return unchecked::fetch_failed(&app, &msg, e).await,
    };
    unchecked::fetched(&app, &msg).await;
    crate::takedown::note_file(&app, &msg, &found.file_id).await;
    if found.is_document && !found.looks_like_image && !sniff_image(&bytes) {
        return Ok(());
    }
    let photo = IncomingPhoto {
        chat: CoreChat(msg.chat.id.0),
        message: CoreMessage(msg.id.0 as i64),
        sender: CoreUser(msg.from.as_ref().map_or(0, |u| u.id.0 as i64)),
        sender_name: display_name(msg.from.as_ref()),
        caption: msg.caption().map(str::to_owned),
        thread: msg.thread_id.map(|t| t.0 .0 as i64),
        bytes,
    };
    match app.guard.check_with(photo, &album).await {
        Ok(checked) => {
            tracing::info!(
                chat = msg.chat.id.0,
                message = msg.id.0,
                verdict = checked.decision.verdict.as_str(),
                reason = checked.decision.reason.code(),
                enforced = checked.decision.enforce,
                faces = checked.faces,
                "photo checked"
            );
            decided(&app, &msg, update, checked, earlier).await
        }
        Err(e) => fail_closed(&app, &msg, &e.to_string()).await,
    }
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
