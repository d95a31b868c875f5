//! The review buttons on a blocked photo. Every press is checked against the
//! presser's role at the time of the press and logged; a forged or stale
//! press is answered and changes nothing.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    Lang, RecordId, Release, Resolution, ReviewAction, Role, UserId as CoreUser,
};
use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, ChatId, InputFile, ThreadId};

use crate::app::App;
use crate::enforce::with_reminder;
use crate::retry::with_retry;

/// `rv:<action>:<item>` as written by [`crate::enforce::review_buttons`].
pub fn parse_data(data: &str) -> Option<(ReviewAction, RecordId)> {
    let mut parts = data.splitn(3, ':');
    if parts.next()? != "rv" {
        return None;
    }
    let action = match parts.next()? {
        "v" => ReviewAction::View,
        "b" => ReviewAction::ReleaseBlurred,
        "o" => ReviewAction::ReleaseOriginal,
        "d" => ReviewAction::Discard,
        _ => return None,
    };
    let id: i64 = parts.next()?.parse().ok().filter(|id| *id > 0)?;
    Some((action, RecordId(id)))
}

pub async fn handle(app: &App, q: CallbackQuery) {
    let lang = App::user_lang(Some(&q.from));
    let presser = CoreUser(q.from.id.0 as i64);
    let Some((action, item)) = q.data.as_deref().and_then(parse_data) else {
        tracing::warn!(user = presser.0, "a button press with unknown data");
        return answer(app, &q, lang, Msg::ReviewStale).await;
    };
    let allowed = app.guard.may_review(presser).await.unwrap_or(false);
    if !allowed {
        let _ = app
            .guard
            .audit_review(presser, item, action, "denied")
            .await;
        return answer(
            app,
            &q,
            lang,
            Msg::NotAllowed {
                needed: Role::Admin,
            },
        )
        .await;
    }
    let outcome = match act(app, &q, action, item, lang).await {
        Ok(msg) => msg,
        Err(e) => {
            tracing::error!(item = item.0, error = %e, "review action failed");
            Msg::TryAgainLater
        }
    };
    let code = match outcome {
        Msg::ReviewDone { .. } => "done",
        Msg::ReviewStale => "stale",
        Msg::ReviewOriginalNotAllowed => "not_allowed",
        Msg::ReviewReleaseFailed => "release_failed",
        _ => "failed",
    };
    let _ = app.guard.audit_review(presser, item, action, code).await;
    answer(app, &q, lang, outcome).await;
}

async fn act(
    app: &App,
    q: &CallbackQuery,
    action: ReviewAction,
    item: RecordId,
    lang: Lang,
) -> Result<Msg<'static>, ReviewError> {
    let presser = CoreUser(q.from.id.0 as i64);
    match action {
        ReviewAction::View => {
            let Some(bytes) = app.guard.view(item).await? else {
                return Ok(Msg::ReviewStale);
            };
            // protect_content: the admin can look, not forward or save.
            with_retry("sendPhoto", || {
                app.bot
                    .send_photo(
                        q.from.id,
                        InputFile::memory(bytes.clone()).file_name("review.jpg"),
                    )
                    .protect_content(true)
                    .send()
            })
            .await?;
            Ok(Msg::ReviewDone { what: "view" })
        }
        ReviewAction::Discard => match app
            .guard
            .settle(item, Resolution::Discarded, presser)
            .await?
        {
            true => Ok(Msg::ReviewDone {
                what: if lang == Lang::En {
                    "discarded"
                } else {
                    "dibuang"
                },
            }),
            false => Ok(Msg::ReviewStale),
        },
        ReviewAction::ReleaseBlurred | ReviewAction::ReleaseOriginal => {
            let original = action == ReviewAction::ReleaseOriginal;
            let (item_data, bytes) = match app.guard.prepare_release(item, original).await? {
                Release::Ready { item, bytes } => (item, bytes),
                Release::Stale => return Ok(Msg::ReviewStale),
                Release::NotAllowed => return Ok(Msg::ReviewOriginalNotAllowed),
                // Logged by the core; the item stays pending for another try.
                Release::Failed(_) => return Ok(Msg::ReviewReleaseFailed),
            };
            let resolution = if original {
                Resolution::ReleasedOriginal
            } else {
                Resolution::ReleasedBlurred
            };
            // Settle first, so two admins pressing at once cannot post twice.
            if !app.guard.settle(item, resolution, presser).await? {
                return Ok(Msg::ReviewStale);
            }
            post_release(app, &item_data, bytes).await?;
            Ok(Msg::ReviewDone {
                what: resolution.as_str(),
            })
        }
    }
}

async fn post_release(
    app: &App,
    item: &photo_guard_core::QuarantineItem,
    bytes: Vec<u8>,
) -> Result<(), teloxide::RequestError> {
    let chat = ChatId(item.chat.0);
    let lang = app.chat_lang(chat).await;
    let body = text(
        lang,
        &Msg::ReleasedBy {
            sender: &item.sender_name,
            caption: item.caption.as_deref(),
        },
    );
    let body = with_reminder(lang, &body);
    with_retry("sendPhoto", || {
        let mut req = app
            .bot
            .send_photo(
                chat,
                InputFile::memory(bytes.clone()).file_name("photo.jpg"),
            )
            .caption(body.clone());
        if let Some(t) = item.thread {
            req = req.message_thread_id(ThreadId(teloxide::types::MessageId(t as i32)));
        }
        req.send()
    })
    .await
    .map(|_| ())
}

async fn answer(app: &App, q: &CallbackQuery, lang: Lang, msg: Msg<'_>) {
    let body = text(lang, &msg);
    let _ = with_retry("answerCallbackQuery", || {
        app.bot
            .answer_callback_query(q.id.clone())
            .text(body.clone())
            .send()
    })
    .await;
}

/// The errors a review action can meet.
#[derive(Debug, thiserror::Error)]
enum ReviewError {
    #[error(transparent)]
    Guard(#[from] photo_guard_core::GuardError),
    #[error(transparent)]
    Telegram(#[from] teloxide::RequestError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_data_round_trips_every_action() {
        assert_eq!(
            parse_data("rv:v:7"),
            Some((ReviewAction::View, RecordId(7)))
        );
        assert_eq!(
            parse_data("rv:b:7"),
            Some((ReviewAction::ReleaseBlurred, RecordId(7)))
        );
        assert_eq!(
            parse_data("rv:o:7"),
            Some((ReviewAction::ReleaseOriginal, RecordId(7)))
        );
        assert_eq!(
            parse_data("rv:d:7"),
            Some((ReviewAction::Discard, RecordId(7)))
        );
    }

    #[test]
    fn forged_button_data_is_refused() {
        for forged in [
            "",
            "rv",
            "rv:v",
            "rv:x:1",
            "rv:v:-1",
            "rv:v:0",
            "rv:v:1:2",
            "xx:v:1",
            "rv:v:99999999999999999999",
            "rv:v: 1",
        ] {
            assert_eq!(parse_data(forged), None, "{forged:?} was accepted");
        }
    }
}
