//! Review by reply commands, since WhatsApp has no buttons: `/review` lists
//! what waits, `/view N`, `/release N blurred`, `/release N original` and
//! `/discard N` act on item N through the core's review desk, which checks
//! the sender's role at that moment exactly as for a Telegram button press,
//! settles and audits it.
//!
//! Viewing: WhatsApp has no protected media (nothing stops a forward or a
//! save, and WAHA sends no view-once media), so `/view N` sends the blurred
//! copy and says how to see the original unprotected; only the explicit
//! `/view N original` sends the original, to the admin's own chat, audited
//! as shown without protection.

use photo_guard_core::services::{Press, ReviewOutcome, Shown};
use photo_guard_core::texts::{review_answer, text, with_reminder, Msg};
use photo_guard_core::{
    ChatPlatform, Lang, MediaKind, OutgoingMedia, Place, QuarantineItem, RecordId, ReviewAction,
    UserId,
};

use crate::app::App;

/// A review reply command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    View { item: RecordId, shown: Shown },
    Release { item: RecordId, original: bool },
    Discard { item: RecordId },
}

/// `/view N [original]`, `/release N blurred|original` or `/discard N`;
/// `Some(Err(name))` for one of them with wrong arguments, `None` for any
/// other text.
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
        "/view" => {
            let n = item(words.next());
            let shown = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None => Shown::Blurred,
                Some("original") => Shown::Original,
                Some(_) => return Some(Err("view")),
            };
            n.map(|n| Reply::View {
                item: RecordId(n),
                shown,
            })
            .ok_or("view")
        }
        _ => return None,
    };
    match words.next() {
        Some(_) => Some(Err(match name.as_str() {
            "/discard" => "discard",
            "/view" => "view",
            _ => "release",
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
        ReviewAction::View,
        ReviewAction::ReleaseBlurred,
        ReviewAction::ReleaseOriginal,
        ReviewAction::Discard,
    ];
    let mut lines = Vec::new();
    for item in &items {
        let chat = app.platform.name_of_chat(item.chat).await;
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

/// A review reply: pressed at the desk, what it hands back posted, recorded;
/// `None` when what was asked for was sent (a view).
pub async fn review_reply(app: &App, presser: UserId, reply: Reply) -> Option<String> {
    let (action, item) = match reply {
        Reply::View { item, shown } => return view(app, presser, item, shown).await,
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
        // Not pressed here: `/view` goes through `view` (no protected media).
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
    Some(text(Lang::Id, &review_answer(outcome)))
}

/// `/view N [original]`: the copy sent to the presser's own chat, recorded
/// as shown without protection.
async fn view(app: &App, presser: UserId, item: RecordId, shown: Shown) -> Option<String> {
    let desk = &app.services.review;
    let outcome = match desk.view_unprotected(presser, item, shown).await {
        Ok(Press::Show { bytes }) => match show(app, presser, item, shown, bytes).await {
            true => ReviewOutcome::Done(ReviewAction::View),
            false => ReviewOutcome::Failed,
        },
        Ok(Press::Answer(outcome)) => outcome,
        Ok(Press::Post { .. }) => ReviewOutcome::Failed,
        Err(e) => {
            tracing::error!(item = item.0, error = %e, "a view failed");
            ReviewOutcome::Failed
        }
    };
    desk.finish_unprotected_view(presser, item, shown, outcome)
        .await;
    match outcome {
        ReviewOutcome::Done(_) => None,
        other => Some(text(Lang::Id, &review_answer(other))),
    }
}

async fn show(app: &App, presser: UserId, item: RecordId, shown: Shown, bytes: Vec<u8>) -> bool {
    let caption = match shown {
        Shown::Blurred => Msg::ViewBlurredOnWhatsApp { item: item.0 },
        Shown::Original => Msg::ViewOriginalUnprotected { item: item.0 },
    };
    let media = OutgoingMedia {
        kind: MediaKind::of(&bytes),
        bytes,
        protect: true,
    };
    let to = Place::private(presser);
    match app
        .platform
        .post_media(to, media, &text(Lang::Id, &caption))
        .await
    {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(item = item.0, error = %e, "cannot show a blocked photo");
            false
        }
    }
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
        assert_eq!(
            parse_reply("/view 3"),
            Some(Ok(Reply::View {
                item: RecordId(3),
                shown: Shown::Blurred
            }))
        );
        assert_eq!(
            parse_reply("/view 3 ORIGINAL"),
            Some(Ok(Reply::View {
                item: RecordId(3),
                shown: Shown::Original
            }))
        );
        for wrong in ["/view", "/view 3 blurred", "/view 3 original now"] {
            assert_eq!(parse_reply(wrong), Some(Err("view")), "{wrong}");
        }
        assert_eq!(parse_reply("/review"), None);
        assert_eq!(parse_reply("hello"), None);
    }
}
