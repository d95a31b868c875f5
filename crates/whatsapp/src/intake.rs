//! A photo sent in a guarded WhatsApp group: fetched from the gateway within
//! the size limit, checked by the guard, and acted on (`act`). What cannot be
//! fetched (refused, too large, or failing `DOWNLOAD_MAX_TRIES` times) or
//! checked is removed (fail closed).
//!
//! This repeats what the Telegram adapter's `intercept.rs` and `unchecked.rs`
//! do (minus albums and edits), until the intake moves into
//! the core.

use photo_guard_core::texts::{text, Msg, Unchecked};
use photo_guard_core::{IncomingPhoto, MessageId, Step, Visual};

use crate::act::{self, say_in_chat, with_reminder, Origin, Unfinished};
use crate::app::App;
use crate::client::WahaError;
use crate::event::{Carried, WaMessage};

/// Handles the photo in `msg`, whose core message id is `message`.
pub async fn handle_photo(
    app: &App,
    message: MessageId,
    msg: &WaMessage,
) -> Result<(), Unfinished> {
    let ids = app.ids();
    let store_err = |e: photo_guard_core::StoreError| Unfinished(format!("id table: {e}"));
    let chat = ids.chat(&msg.from).await.map_err(store_err)?;
    let sender = ids.user(msg.sender()).await.map_err(store_err)?;
    let _ = app.store().touch_chat(chat, &msg.from).await;
    let name = msg.sender_name();
    let o = Origin {
        platform: &app.platform,
        services: &app.services,
        chat,
        chat_title: &msg.from,
        message,
        sender,
        sender_name: &name,
        caption: msg.caption(),
        admins: app.admins().await,
        lang: app.services.policies.lang(chat).await,
    };
    let recorded = app.store().enforcement(chat, message).await;
    match recorded.map_err(|e| Unfinished(format!("enforcement record: {e}")))? {
        // A redelivery after a crash: resume, never check again.
        Some(rec) if rec.step != Step::Done => return act::resume(&o, rec).await,
        Some(_) => return Ok(()),
        None => {}
    }
    let url = msg.media.as_ref().and_then(|m| m.url.as_deref());
    let Some(url) = url else {
        // WAHA did not download it (WHATSAPP_DOWNLOAD_MEDIA off?): nothing to check.
        return unchecked(&o, None).await;
    };
    let bytes = match fetch(app, &o, url).await? {
        Some(bytes) => bytes,
        None => return Ok(()),
    };
    crate::takedown::note_file(app, chat, message, &msg.id).await;
    let photo = IncomingPhoto {
        chat,
        message,
        sender,
        sender_name: name.clone(),
        caption: msg.caption().map(str::to_owned),
        thread: None,
        // A video goes to the guard's video examination (issue 19).
        kind: match msg.carried() {
            Some(Carried::Video) => Visual::Video,
            _ => Visual::Photo,
        },
        bytes,
    };
    match app.services.guard.check_with(photo, &[]).await {
        Ok(checked) => {
            tracing::info!(
                chat = chat.0,
                message = message.0,
                verdict = checked.decision.verdict.as_str(),
                reason = checked.decision.reason.code(),
                enforced = checked.decision.enforce,
                faces = checked.faces,
                "WhatsApp photo checked"
            );
            act::decided(&o, message.0, checked).await
        }
        Err(e) => {
            tracing::error!(chat = chat.0, message = message.0, error = %e, "photo could not be checked; removing it");
            unchecked(&o, None).await
        }
    }
}

/// The photo's bytes; `None` once it was removed unchecked (refused, too
/// large, or failing `DOWNLOAD_MAX_TRIES` times, counted across restarts).
async fn fetch(app: &App, o: &Origin<'_>, url: &str) -> Result<Option<Vec<u8>>, Unfinished> {
    let store = app.store();
    let limit = app.settings.max_download_bytes;
    let e = match app.platform.client().download(url, limit).await {
        Ok(bytes) => {
            let _ = store.forget_downloads(o.chat, o.message).await;
            return Ok(Some(bytes));
        }
        Err(e) => e,
    };
    if !e.is_transient() {
        unchecked(o, Some(e)).await?;
        return Ok(None);
    }
    let tries = store.failed_download(o.chat, o.message).await;
    let tries = tries.map_err(|e| Unfinished(format!("download tries: {e}")))?;
    if tries < app.settings.download_max_tries {
        // Left in the inbox: the retry sweep tries again.
        return Err(Unfinished(format!("download: {e}")));
    }
    unchecked(o, Some(e)).await?;
    let _ = store.forget_downloads(o.chat, o.message).await;
    let why = Unchecked::GaveUp { tries };
    let body = Msg::UncheckedAdmin {
        chat: o.chat_title,
        sender: o.sender_name,
        why,
    };
    for admin in &o.admins {
        let _ = o.platform.tell_user(*admin, &text(o.lang, &body)).await;
    }
    Ok(None)
}

/// Removes a photo that could not be checked and says so without showing it.
async fn unchecked(o: &Origin<'_>, why: Option<WahaError>) -> Result<(), Unfinished> {
    if let Some(e) = &why {
        tracing::warn!(chat = o.chat.0, message = o.message.0, error = %e, "photo not fetched; removing it");
    }
    let removed = o
        .platform
        .remove(o.chat, o.message)
        .await
        .map_err(|e| Unfinished(format!("delete failed: {e}")))?;
    let body = match (removed, why) {
        (photo_guard_core::Removed::Yes, Some(WahaError::TooLarge { limit })) => text(
            o.lang,
            &Msg::TooLargeInChat {
                sender: o.sender_name,
                limit_mb: limit / (1024 * 1024),
            },
        ),
        (photo_guard_core::Removed::Yes, _) => text(
            o.lang,
            &Msg::UncheckedInChat {
                sender: o.sender_name,
            },
        ),
        (photo_guard_core::Removed::AlreadyGone, _) => return Ok(()),
        _ => {
            act::cannot_delete(o).await;
            return Ok(());
        }
    };
    say_in_chat(o, &with_reminder(o.lang, &body)).await;
    Ok(())
}
