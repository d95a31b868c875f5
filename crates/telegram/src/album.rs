//! Album items: each item is its own message sharing a media_group_id, and
//! any of them may carry a caption. Every item is judged on its own caption
//! and on every other caption of its album together, so a refused client
//! tagged on one item blocks them all.
//!
//! Each item writes its caption down (durably, sealed: a replay after a
//! restart sees the same captions), waits `ALBUM_WAIT_MS` for the rest of the
//! album to arrive, and only then reads every caption. A caption edited in
//! later re-judges the edited item with the album's captions; the album's
//! other, already judged items are not re-judged.

use photo_guard_core::{ChatId as CoreChat, MessageId as CoreMessage};
use teloxide::types::Message;

use crate::app::App;
use crate::enforce::Unfinished;

/// The captions of `msg`'s album other than its own; empty for a lone photo.
pub async fn other_captions(
    app: &App,
    update: i64,
    msg: &Message,
) -> Result<Vec<String>, Unfinished> {
    let Some(album) = msg.media_group_id() else {
        return Ok(Vec::new());
    };
    let chat = CoreChat(msg.chat.id.0);
    let own = CoreMessage(i64::from(msg.id.0));
    let unfinished = |e: photo_guard_core::StoreError| Unfinished(format!("album captions: {e}"));
    app.guard
        .store()
        .note_album_caption(chat, &album.0, own, update, msg.caption())
        .await
        .map_err(unfinished)?;
    tokio::time::sleep(app.settings.album_wait).await;
    let all = app
        .guard
        .store()
        .album_captions(chat, &album.0)
        .await
        .map_err(unfinished)?;
    Ok(all
        .into_iter()
        .filter(|(item, _)| *item != own)
        .map(|(_, caption)| caption)
        .collect())
}

/// Notes an album item's caption as it is recorded (issue 21: its chat's
/// items are then judged one after another, and the first must already see
/// the others'); `None` when the store refused it.
pub async fn note_arrival(app: &App, update: i64, msg: &Message) -> Option<()> {
    let Some(album) = msg.media_group_id() else {
        return Some(());
    };
    let (chat, own) = (CoreChat(msg.chat.id.0), CoreMessage(i64::from(msg.id.0)));
    let noted = app
        .guard
        .store()
        .note_album_caption(chat, &album.0, own, update, msg.caption())
        .await;
    noted
        .map_err(|e| tracing::error!(error = %e, "cannot note an album caption"))
        .ok()
}
