//! Review by reply commands, since WhatsApp has no buttons: `/review` lists
//! what waits, `/release N blurred`, `/release N original` and `/discard N`
//! act on item N through the core's review desk, which checks the sender's
//! role at that moment exactly as for a Telegram button press, settles and
//! audits it.

use photo_guard_core::services::{Press, ReviewOutcome};
use photo_guard_core::texts::{review_answer, text, with_reminder, Msg};
use photo_guard_core::{
    ChatPlatform, Lang, MediaKind, OutgoingMedia, Place, QuarantineItem, RecordId, ReviewAction,
    UserId,
};

use crate::app::App;

/// A review reply command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Release { item: RecordId, original: bool },
    Discard { item: RecordId },
}

/// `/release N blurred|original` or `/discard N`; `Some(Err(name))` for one
/// of them with wrong arguments, `None` for any other text.
pub fn parse_reply(body: &str) -> Option<Result<Reply, &'static str>> {
    let mut words = body.split_whitespace();
    let name = words.next()?.to_ascii_lowercase();
    let item = |w: Option<&str>| w.and_then(|w| w.parse::<i64>().ok()).filter(|n| *n > 0);
    let reply = match name.as_str() {
        "/release" => {
            let n = item(words.next());
            let original = match words.next().map(str::to_ascii_lowercase).as_deref() {
                Some("blurred") => false,
                Some("original") => true,
                _ => return Some(Err("release")),
            };
            n.map(|n| Reply::Release {
                item: RecordId(n),
                original,
            })
            .ok_or("release")
        }
        "/discard" => item(words.next())
            .map(|n| Reply::Discard { item: RecordId(n) })
            .ok_or("discard"),
        _ => return None,
    };
    match words.next() {
        Some(_) => Some(Err(if name == "/discard" {
            "discard"
        } else {
            "release"
        })),
        None => Some(reply),
    }
}

/// Every blocked photo waiting, each with its reply commands.
pub async fn pending(app: &App, lang: Lang) -> String {
    let items = match app.services.review.pending().await {
        Ok(items) => items,
        Err(e) => {
            tracing::error!(error = %e, "cannot list pending items");
            return text(lang, &Msg::TryAgainLater);
        }
    };
    if items.is_empty() {
        return text(lang, &Msg::ReviewEmpty);
    }
    let actions = [
        photo_guard_core::platform::ReviewAction::ReleaseBlurred,
        photo_guard_core::platform::ReviewAction::ReleaseOriginal,
        photo_guard_core::platform::ReviewAction::Discard,
    ];
    let mut lines = Vec::new();
    for item in &items {
        let chat = app.ids().external(item.chat.0).await.ok().flatten();
        let chat = chat.unwrap_or_else(|| item.chat.0.to_string());
        let pending = Msg::PendingItem {
            item: item.id.0,
            chat: &chat,
            sender: &item.sender_name,
            reason_code: &item.reason_code,
        };
        let hints = Msg::ReplyCommands {
            item: item.id.0,
            actions: &actions,
        };
        lines.push(format!("{}\n{}", text(lang, &pending), text(lang, &hints)));
    }
    lines.join("\n\n")
}

/// A review reply: pressed at the desk, what it hands back posted, recorded.
pub async fn review_reply(app: &App, presser: UserId, reply: Reply) -> String {
    let (action, item) = match reply {
        Reply::Release {
            item,
            original: false,
        } => (ReviewAction::ReleaseBlurred, item),
        Reply::Release {
            item,
            original: true,
        } => (ReviewAction::ReleaseOriginal, item),
        Reply::Discard { item } => (ReviewAction::Discard, item),
    };
    let desk = &app.services.review;
    let outcome = match desk.press(presser, action, item).await {
        Ok(Press::Answer(outcome)) => outcome,
        // Viewing is not offered on WhatsApp: it has no protected media.
        Ok(Press::Show { .. }) => ReviewOutcome::Failed,
        Ok(Press::Post {
            item: it, bytes, ..
        }) => match post_release(app, &it, bytes).await {
            true => ReviewOutcome::Done(action),
            false => ReviewOutcome::Failed,
        },
        Err(e) => {
            tracing::error!(item = item.0, error = %e, "review action failed");
            ReviewOutcome::Failed
        }
    };
    desk.finish(presser, action, item, outcome).await;
    text(Lang::Id, &review_answer(outcome))
}

async fn post_release(app: &App, item: &QuarantineItem, bytes: Vec<u8>) -> bool {
    let lang = app.services.policies.lang(item.chat).await;
    let body = text(
        lang,
        &Msg::ReleasedBy {
            sender: &item.sender_name,
            caption: item.caption.as_deref(),
        },
    );
    let media = OutgoingMedia {
        kind: MediaKind::of(&bytes),
        bytes,
        protect: true,
    };
    let place = Place {
        chat: item.chat,
        thread: None,
    };
    let body = with_reminder(lang, &body);
    match app.platform.post_media(place, media, &body).await {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(item = item.id.0, error = %e, "cannot post a released photo");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_reply_commands_name_their_item_and_action() {
        // Issue 22: the reply commands the alert offers are the ones understood.
        assert_eq!(
            parse_reply("/release 7 blurred"),
            Some(Ok(Reply::Release {
                item: RecordId(7),
                original: false
            }))
        );
        assert_eq!(
            parse_reply("/RELEASE 7 Original"),
            Some(Ok(Reply::Release {
                item: RecordId(7),
                original: true
            }))
        );
        assert_eq!(
            parse_reply("/discard 12"),
            Some(Ok(Reply::Discard { item: RecordId(12) }))
        );
        for wrong in [
            "/release 7",
            "/release x blurred",
            "/discard",
            "/discard -1",
            "/discard 3 4",
        ] {
            assert!(
                matches!(parse_reply(wrong), Some(Err(_))),
                "{wrong} accepted"
            );
        }
        assert_eq!(parse_reply("/review"), None);
        assert_eq!(parse_reply("hello"), None);
    }
}
