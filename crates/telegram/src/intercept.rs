//! Catching every photo in a guarded chat and running it through the guard:
//! compressed photos, images sent as files, album items (the first item's
//! caption applies to all), forwards, and edits of any of them.

use std::sync::Arc;

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ChatId as CoreChat, IncomingPhoto, MessageId as CoreMessage, UserId as CoreUser,
};
use teloxide::types::Message;

use crate::app::{display_name, App};
use crate::enforce::{delete_original, enforce, with_reminder, Deleted, Unfinished};
use crate::photo::{candidate, fetch, sniff_image, FetchError};
use crate::unchecked;

/// Whether a message carries something the guard must look at.
pub fn is_guarded_media(msg: &Message) -> bool {
    !msg.chat.is_private() && candidate(msg).is_some()
}

pub async fn handle_media(app: Arc<App>, msg: Message) -> Result<(), Unfinished> {
    let Some(found) = candidate(&msg) else {
        return Ok(());
    };
    let caption = album_caption(&app, &msg).await;
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
    if found.is_document && !found.looks_like_image && !sniff_image(&bytes) {
        return Ok(());
    }
    let photo = IncomingPhoto {
        chat: CoreChat(msg.chat.id.0),
        message: CoreMessage(msg.id.0 as i64),
        sender: CoreUser(msg.from.as_ref().map_or(0, |u| u.id.0 as i64)),
        sender_name: display_name(msg.from.as_ref()),
        caption: caption.clone(),
        thread: msg.thread_id.map(|t| t.0 .0 as i64),
        bytes,
    };
    match app.guard.check(photo).await {
        Ok(mut checked) => {
            tracing::info!(
                chat = msg.chat.id.0,
                message = msg.id.0,
                verdict = checked.decision.verdict.as_str(),
                reason = checked.decision.reason.code(),
                enforced = checked.decision.enforce,
                faces = checked.faces,
                "photo checked"
            );
            enforce(&app, &msg, &mut checked, caption.as_deref()).await
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

/// The caption that applies to `msg`: its own, or for an album item the
/// caption of the album's first item, waiting a moment for it to arrive.
async fn album_caption(app: &App, msg: &Message) -> Option<String> {
    let own = msg.caption().map(str::to_owned);
    let Some(group) = msg.media_group_id() else {
        return own;
    };
    let key = group.0.clone();
    if own.is_some() {
        if let Ok(mut albums) = app.albums.lock() {
            // Albums arrive within seconds; forget old ones so the map stays small.
            albums.retain(|_, (_, seen)| seen.elapsed() < std::time::Duration::from_secs(600));
            albums.insert(key.clone(), (own.clone(), std::time::Instant::now()));
        }
    }
    tokio::time::sleep(app.settings.album_wait).await;
    let albums = app.albums.lock().ok()?;
    albums.get(&key).and_then(|(c, _)| c.clone()).or(own)
}
