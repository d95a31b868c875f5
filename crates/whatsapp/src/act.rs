//! Acting on the guard's decision through the platform port only, as
//! recorded steps (`photo_guard_core::enforcement`): decided → original
//! deleted → copy posted or sender told → admins alerted. Each step is
//! written once done, so a replay resumes at the next one and never posts
//! twice; the blurred copy is sealed with the decision before the original
//! goes, so a crash between the two loses nothing.
//!
//! This is the Telegram adapter's `enforce/steps.rs` and `notify.rs` again,
//! minus edits and forum threads, written against `ChatPlatform` so it can
//! move into the core unchanged.

use photo_guard_core::platform::ReviewAction;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{
    ChatId, ChatPlatform, Checked, Enforcement, Lang, MediaKind, MessageId, OutgoingMedia, Place,
    Reason, Removal, Removed, Services, Step, StoreError, UserId, Verdict,
};

/// The work could not be finished; it stays in the inbox for a later run.
#[derive(Debug)]
pub struct Unfinished(pub String);

fn unfinished(e: StoreError) -> Unfinished {
    Unfinished(format!("enforcement record: {e}"))
}

/// Where the photo came from, as the texts need it.
pub struct Origin<'a> {
    pub platform: &'a dyn ChatPlatform,
    pub services: &'a Services,
    pub chat: ChatId,
    pub chat_title: &'a str,
    pub message: MessageId,
    pub sender: UserId,
    pub sender_name: &'a str,
    pub caption: Option<&'a str>,
    /// Who is alerted to a block: the admins reachable on this platform.
    pub admins: Vec<UserId>,
    pub lang: Lang,
}

const ACTIONS: [ReviewAction; 4] = [
    ReviewAction::View,
    ReviewAction::ReleaseBlurred,
    ReviewAction::ReleaseOriginal,
    ReviewAction::Discard,
];

/// Appends the one-line reminder.
pub fn with_reminder(lang: Lang, body: &str) -> String {
    format!("{body}\n\n{}", text(lang, &Msg::Reminder))
}

/// Records a fresh decision and acts on it.
pub async fn decided(o: &Origin<'_>, update: i64, mut checked: Checked) -> Result<(), Unfinished> {
    let d = &checked.decision;
    let rec = Enforcement {
        chat: o.chat,
        message: o.message,
        update,
        verdict: d.verdict,
        enforced: d.enforce,
        reason: d.reason.clone(),
        share: checked.share,
        quarantine: checked.quarantine,
        step: Step::Decided,
        removal: None,
        copy_message: None,
    };
    let copy = checked.anonymised.take();
    let store = o.services.guard.store();
    store
        .record_decision(&rec, copy.as_deref())
        .await
        .map_err(unfinished)?;
    run(o, rec, copy, false).await
}

/// Carries on with a decision recorded before (a redelivery after a crash).
pub async fn resume(o: &Origin<'_>, rec: Enforcement) -> Result<(), Unfinished> {
    run(o, rec, None, true).await
}

async fn run(
    o: &Origin<'_>,
    mut rec: Enforcement,
    mut copy: Option<Vec<u8>>,
    resumed: bool,
) -> Result<(), Unfinished> {
    loop {
        rec.step = match rec.step {
            Step::Done => return Ok(()),
            Step::Decided => remove(o, &mut rec, resumed).await?,
            Step::Deleted => deliver(o, &mut rec, copy.take()).await?,
            Step::Delivered => alert(o, &rec).await,
        };
        let store = o.services.guard.store();
        if !store.record_step(&rec).await.map_err(unfinished)? {
            return Ok(());
        }
    }
}

async fn remove(o: &Origin<'_>, rec: &mut Enforcement, resumed: bool) -> Result<Step, Unfinished> {
    if !rec.enforced || rec.verdict == Verdict::Allow {
        return Ok(Step::Done);
    }
    let removed = o
        .platform
        .remove(o.chat, o.message)
        .await
        .map_err(|e| Unfinished(format!("delete failed: {e}")))?;
    rec.removal = Some(match removed {
        Removed::Yes => Removal::Removed,
        // After a crash a delete that finds nothing most likely found our own.
        Removed::AlreadyGone if resumed => Removal::Removed,
        Removed::AlreadyGone => Removal::AlreadyGone,
        Removed::TooOld | Removed::NoRight => {
            cannot_delete(o).await;
            Removal::NotAllowed
        }
    });
    Ok(Step::Deleted)
}

async fn deliver(
    o: &Origin<'_>,
    rec: &mut Enforcement,
    copy: Option<Vec<u8>>,
) -> Result<Step, Unfinished> {
    let removed = rec.removal == Some(Removal::Removed);
    match rec.verdict {
        Verdict::Blur if removed => {
            let copy = match copy {
                Some(copy) => copy,
                None => o
                    .services
                    .guard
                    .store()
                    .enforcement_copy(rec.chat, rec.message)
                    .await
                    .map_err(unfinished)?
                    .ok_or_else(|| Unfinished("a blur verdict without its copy".into()))?,
            };
            rec.copy_message = Some(post_blurred(o, copy).await?);
            Ok(Step::Done)
        }
        Verdict::Block => {
            if removed {
                tell_sender(o, &rec.reason).await;
            }
            Ok(Step::Delivered)
        }
        _ => Ok(Step::Done),
    }
}

async fn alert(o: &Origin<'_>, rec: &Enforcement) -> Step {
    let gone_before = rec.removal == Some(Removal::AlreadyGone);
    if let (Some(item), false) = (rec.quarantine, gone_before) {
        alert_admins(o, &rec.reason, item.0).await;
    }
    Step::Done
}

async fn post_blurred(o: &Origin<'_>, copy: Vec<u8>) -> Result<MessageId, Unfinished> {
    let caption = Msg::BlurredCaption {
        sender: o.sender_name,
        caption: o.caption,
    };
    let body = with_reminder(o.lang, &text(o.lang, &caption));
    let media = OutgoingMedia {
        kind: MediaKind::of(&copy),
        bytes: copy,
        protect: true,
    };
    let place = Place {
        chat: o.chat,
        thread: None,
    };
    o.platform
        .post_media(place, media, &body)
        .await
        .map_err(|e| Unfinished(format!("posting the blurred copy failed: {e}")))
}

/// The sender privately; where that fails, a notice in the chat that shows no photo.
async fn tell_sender(o: &Origin<'_>, reason: &Reason) {
    let body = with_reminder(o.lang, &text(o.lang, &Msg::BlockedForSender { reason }));
    if o.platform.tell_user(o.sender, &body).await.is_ok() {
        return;
    }
    let notice = Msg::BlockedInChat {
        sender: o.sender_name,
    };
    say_in_chat(o, &with_reminder(o.lang, &text(o.lang, &notice))).await;
}

async fn alert_admins(o: &Origin<'_>, reason: &Reason, item: i64) {
    let mut reached = 0;
    for admin in &o.admins {
        let body = text(
            o.lang,
            &Msg::AdminAlert {
                chat: o.chat_title,
                sender: o.sender_name,
                reason,
                item,
            },
        );
        let sent = o
            .platform
            .alert_admin(*admin, o.lang, &body, item, &ACTIONS);
        match sent.await {
            Ok(()) => reached += 1,
            Err(e) => tracing::warn!(admin = admin.0, error = %e, "cannot reach an admin"),
        }
    }
    if reached == 0 {
        tracing::error!(
            item,
            "a blocked photo awaits review but no admin could be reached"
        );
    }
}

/// The bot may not delete here: the chat and the admins are told.
pub async fn cannot_delete(o: &Origin<'_>) {
    say_in_chat(o, &text(o.lang, &Msg::NoDeleteRights)).await;
    let body = text(o.lang, &Msg::NoDeleteRightsAdmin { chat: o.chat_title });
    for admin in &o.admins {
        let _ = o.platform.tell_user(*admin, &body).await;
    }
}

pub async fn say_in_chat(o: &Origin<'_>, body: &str) {
    let place = Place {
        chat: o.chat,
        thread: None,
    };
    if let Err(e) = o.platform.post_text(place, body).await {
        tracing::warn!(chat = o.chat.0, error = %e, "cannot post in the chat");
    }
}
