//! The review buttons on a blocked photo: the button data parsed, the press
//! handed to the core's review desk (which checks the presser's role at the
//! time of the press, settles and logs it), and what it hands back sent. A
//! forged or stale press is answered and changes nothing.

use photo_guard_core::services::{Press, ReviewOutcome};
use photo_guard_core::texts::{review_answer, text, Msg};
use photo_guard_core::{Lang, RecordId, ReviewAction, UserId as CoreUser};
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
    let desk = &app.services.review;
    let outcome = match desk.press(presser, action, item).await {
        Ok(press) => act(app, &q, action, press).await,
        Err(e) => {
            tracing::error!(item = item.0, error = %e, "review action failed");
            ReviewOutcome::Failed
        }
    };
    desk.finish(presser, action, item, outcome).await;
    answer(app, &q, lang, review_answer(outcome)).await;
}

/// Sends what the desk handed back; a send that fails is a failed press.
async fn act(app: &App, q: &CallbackQuery, action: ReviewAction, press: Press) -> ReviewOutcome {
    let sent = match press {
        Press::Answer(outcome) => return outcome,
        Press::Show { bytes } => show(app, q, bytes).await,
        Press::Post { item, bytes, .. } => post_release(app, &item, bytes).await,
    };
    match sent {
        Ok(()) => ReviewOutcome::Done(action),
        Err(e) => {
            tracing::error!(error = %e, "review action failed");
            ReviewOutcome::Failed
        }
    }
}

/// protect_content: the admin can look, not forward or save.
async fn show(app: &App, q: &CallbackQuery, bytes: Vec<u8>) -> Result<(), teloxide::RequestError> {
    with_retry("sendPhoto", || {
        app.bot
            .send_photo(
                q.from.id,
                InputFile::memory(bytes.clone()).file_name("review.jpg"),
            )
            .protect_content(true)
            .send()
    })
    .await
    .map(|_| ())
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
