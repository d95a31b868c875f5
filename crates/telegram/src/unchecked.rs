//! What the bot cannot download or look at is removed and the admins told
//! (issue 17.2, 17.3), whatever the file's name: a file over the download
//! limit, a download Telegram refuses outright (a 4xx from getFile: "file is
//! too big", "wrong file_id"), and one that failed `DOWNLOAD_MAX_TRIES`
//! times. Tries are counted in the store, so the count survives the restarts
//! and minute-by-minute sweeps that replay the photo from the inbox; below
//! the count a failure stays unfinished and is tried again.

use photo_guard_core::texts::{text, Msg, Unchecked};
use photo_guard_core::{AuditAction, ChatId as CoreChat, MessageId as CoreMessage, Mode};
use teloxide::types::Message;
use teloxide::RequestError;

use crate::app::{display_name, App};
use crate::audit;
use crate::enforce::{delete_original, with_reminder, Deleted, Unfinished};
use crate::photo::FetchError;
use crate::retry::is_transient;

const MB: u64 = 1024 * 1024;

fn ids(msg: &Message) -> (CoreChat, CoreMessage) {
    (CoreChat(msg.chat.id.0), CoreMessage(i64::from(msg.id.0)))
}

/// The media could not be fetched: removed now, or left for another try.
pub async fn fetch_failed(app: &App, msg: &Message, err: FetchError) -> Result<(), Unfinished> {
    let why = match err {
        FetchError::TooLarge { limit } => Unchecked::TooLarge {
            limit_mb: limit / MB,
        },
        FetchError::Telegram(e) if is_permanent(&e) => Unchecked::Refused,
        other => {
            let tries = count_try(app, msg).await;
            if tries < app.settings.download_max_tries {
                return Err(Unfinished(other.to_string()));
            }
            Unchecked::GaveUp { tries }
        }
    };
    remove(app, msg, why).await
}

/// Telegram's final answer: an API error that is not a 429 or a 5xx.
fn is_permanent(err: &RequestError) -> bool {
    matches!(err, RequestError::Api(_)) && !is_transient(err)
}

/// One more failed try, durably. A store that cannot count fails closed: the
/// try is taken as the last one.
async fn count_try(app: &App, msg: &Message) -> u32 {
    let (chat, message) = ids(msg);
    match app.guard.store().failed_download(chat, message).await {
        Ok(tries) => tries,
        Err(e) => {
            tracing::error!(chat = chat.0, message = message.0, error = %e, "cannot count a failed download; removing the photo");
            app.settings.download_max_tries
        }
    }
}

/// The media was fetched: earlier failed tries no longer count.
pub async fn fetched(app: &App, msg: &Message) {
    let (chat, message) = ids(msg);
    if let Err(e) = app.guard.store().forget_downloads(chat, message).await {
        tracing::warn!(chat = chat.0, message = message.0, error = %e, "cannot forget download tries");
    }
}

fn code(why: Unchecked) -> &'static str {
    match why {
        Unchecked::TooLarge { .. } => "too_large",
        Unchecked::Refused => "download_refused",
        Unchecked::GaveUp { .. } => "download_failed",
        Unchecked::NoFile => "no_file",
    }
}

/// Removes a photo that could not be checked and says so in the chat and to
/// the admins; in a chat on trial (`observe`) it is only logged.
pub async fn remove(app: &App, msg: &Message, why: Unchecked) -> Result<(), Unfinished> {
    let (chat, _) = ids(msg);
    // A policy that cannot be read is the default one: enforce.
    let policy = app
        .guard
        .store()
        .chat_policy(chat)
        .await
        .unwrap_or_default();
    tracing::warn!(
        chat = chat.0,
        message = msg.id.0,
        why = code(why),
        "media could not be checked"
    );
    let enforce = policy.mode == Mode::Enforce;
    // In a chat on trial nothing is touched: the entry says what would have gone.
    let deleted = if enforce {
        Some(delete_original(app, msg, policy.lang).await?)
    } else {
        None
    };
    let mut detail = serde_json::json!({
        "message": msg.id.0,
        "why": code(why),
        "removed": deleted == Some(Deleted::Yes),
    });
    if let Unchecked::GaveUp { tries } = why {
        detail["tries"] = tries.into();
    }
    let action = AuditAction::ShareUnchecked { observed: !enforce };
    audit::record(app, msg.chat.id, audit::sender(msg), action, detail).await;
    fetched(app, msg).await;
    if deleted == Some(Deleted::Yes) {
        tell(app, msg, why, policy.lang).await;
    }
    Ok(())
}

async fn tell(app: &App, msg: &Message, why: Unchecked, lang: photo_guard_core::Lang) {
    let sender = display_name(msg.from.as_ref());
    let in_chat = match why {
        Unchecked::TooLarge { limit_mb } => Msg::TooLargeInChat {
            sender: &sender,
            limit_mb,
        },
        _ => Msg::UncheckedInChat { sender: &sender },
    };
    let body = with_reminder(lang, &text(lang, &in_chat));
    app.send_text(msg.chat.id, body, msg.thread_id, None).await;
    let chat = crate::app::chat_title(&msg.chat);
    let reached = app
        .tell_admins(|l| {
            let body = Msg::UncheckedAdmin {
                chat: &chat,
                sender: &sender,
                why,
            };
            (text(l, &body), None)
        })
        .await;
    if reached == 0 {
        tracing::error!(
            chat = msg.chat.id.0,
            "a photo was removed unchecked but no admin could be reached"
        );
    }
}

#[cfg(test)]
mod tests {
    use teloxide::ApiError;

    use super::*;

    #[test]
    fn a_4xx_from_getfile_is_final_and_a_5xx_or_429_is_not() {
        // Issue 17.3: only Telegram's final answers remove a photo at once.
        let bad = RequestError::Api(ApiError::Unknown("Bad Request: file is too big".into()));
        assert!(is_permanent(&bad));
        assert!(is_permanent(&RequestError::Api(ApiError::WrongFileId)));
        let server = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert!(!is_permanent(&server));
        let wait = RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3));
        assert!(!is_permanent(&wait));
    }
}
