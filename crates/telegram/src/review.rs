//! The review buttons on a blocked photo: the button data written and
//! parsed, the press handed to the core's review desk (which checks the
//! presser's role at the time of the press, settles, posts through the
//! platform port and logs it), and the presser answered with its outcome. A
//! forged or stale press is answered and changes nothing.

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{Lang, RecordId, ReviewAction, UserId as CoreUser};
use teloxide::prelude::*;
use teloxide::types::CallbackQuery;

use crate::app::App;
use crate::retry::with_retry;

/// A button's data: `rv:<action>:<item>`.
pub fn button_data(action: ReviewAction, item: i64) -> String {
    let code = match action {
        ReviewAction::View => "v",
        ReviewAction::ReleaseBlurred => "b",
        ReviewAction::ReleaseOriginal => "o",
        ReviewAction::Discard => "d",
    };
    format!("rv:{code}:{item}")
}

/// `rv:<action>:<item>` as written by [`button_data`].
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
    let outcome = desk.handle(&app.platform, presser, action, item).await;
    answer(app, &q, lang, outcome.msg()).await;
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
    fn written_button_data_reads_back_as_the_same_action_and_item() {
        // Issue 18: button_data and parse_data are one format.
        for action in ReviewAction::ALL {
            let data = button_data(action, 42);
            assert_eq!(parse_data(&data), Some((action, RecordId(42))));
        }
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
