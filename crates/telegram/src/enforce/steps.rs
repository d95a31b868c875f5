//! Acting on a decision as recorded steps (see `photo_guard_core::enforcement`):
//! decided → original deleted → copy posted or sender told → admins alerted.
//! Each step is written to the store once done; a replay resumes at the next
//! one without checking the photo again, and a step a later state of the
//! message replaced is not written over it.

use photo_guard_core::enforcement::{after, After};
use photo_guard_core::{
    ChatId as CoreChat, Checked, Enforcement, Lang, MessageId as CoreMessage, Removal, Step,
    StoreError, Verdict,
};
use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::notify::{alert_admins, post_blurred, remove_copy, tell_sender};
use super::{delete_original, Deleted, Unfinished};
use crate::app::App;

fn unfinished(e: StoreError) -> Unfinished {
    Unfinished(format!("enforcement record: {e}"))
}

/// Records a fresh decision about `msg` (carried by `update`) and acts on it,
/// after `earlier`, the state of the message judged before, if any.
pub async fn decided(
    app: &App,
    msg: &Message,
    update: i64,
    mut checked: Checked,
    earlier: Option<Enforcement>,
) -> Result<(), Unfinished> {
    let d = &checked.decision;
    let mut rec = Enforcement {
        chat: CoreChat(msg.chat.id.0),
        message: CoreMessage(i64::from(msg.id.0)),
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
    if let Some(earlier) = earlier {
        match after(&earlier, rec.verdict, rec.enforced) {
            After::Replace => {}
            // The original is already gone; a copy it left is taken back.
            After::Escalate => {
                rec.removal = earlier.removal;
                rec.copy_message = earlier.copy_message;
            }
            After::Adopt => return adopt(app, msg, earlier, update).await,
        }
    }
    let copy = checked.anonymised.take();
    app.guard
        .store()
        .record_decision(&rec, copy.as_deref())
        .await
        .map_err(unfinished)?;
    run(app, msg, rec, copy, false).await
}

/// Carries on with a decision recorded before (a replay after a restart).
pub async fn resume(app: &App, msg: &Message, rec: Enforcement) -> Result<(), Unfinished> {
    if rec.step != Step::Done {
        tracing::info!(
            chat = msg.chat.id.0,
            message = msg.id.0,
            step = rec.step.as_str(),
            "resuming the work on a photo decided before"
        );
    }
    run(app, msg, rec, None, true).await
}

/// A later state that asks no more than what was done: the earlier work
/// stands, finished under the later update.
async fn adopt(
    app: &App,
    msg: &Message,
    mut earlier: Enforcement,
    update: i64,
) -> Result<(), Unfinished> {
    let (chat, message) = (earlier.chat, earlier.message);
    let moved = app
        .guard
        .store()
        .adopt(chat, message, earlier.update, update)
        .await
        .map_err(unfinished)?;
    if !moved {
        return Ok(());
    }
    earlier.update = update;
    run(app, msg, earlier, None, true).await
}

async fn run(
    app: &App,
    msg: &Message,
    mut rec: Enforcement,
    mut copy: Option<Vec<u8>>,
    resumed: bool,
) -> Result<(), Unfinished> {
    let lang = app.chat_lang(msg.chat.id).await;
    loop {
        rec.step = match rec.step {
            Step::Done => return Ok(()),
            Step::Decided => remove(app, msg, &mut rec, lang, resumed).await?,
            Step::Deleted => deliver(app, msg, &mut rec, copy.take(), lang).await?,
            Step::Delivered => alert(app, msg, &rec).await,
        };
        let written = app
            .guard
            .store()
            .record_step(&rec)
            .await
            .map_err(unfinished)?;
        if !written {
            tracing::info!(
                chat = msg.chat.id.0,
                message = msg.id.0,
                "a later state of the message took over its work"
            );
            return Ok(());
        }
    }
}

/// Deletes the original (unless an earlier state already did) and, for a
/// block, the blurred copy an earlier state posted.
async fn remove(
    app: &App,
    msg: &Message,
    rec: &mut Enforcement,
    lang: Lang,
    resumed: bool,
) -> Result<Step, Unfinished> {
    if !rec.enforced || rec.verdict == Verdict::Allow {
        return Ok(Step::Done);
    }
    let removal = match rec.removal {
        Some(carried) => carried,
        None => match delete_original(app, msg, lang).await? {
            Deleted::Yes => Removal::Removed,
            // After a crash a delete that finds nothing most likely found our
            // own: the photo must not be lost, and the copy is blurred.
            Deleted::AlreadyGone if resumed => Removal::Removed,
            Deleted::AlreadyGone => Removal::AlreadyGone,
            Deleted::NoRights => Removal::NotAllowed,
        },
    };
    if rec.verdict == Verdict::Block {
        if let Some(copy) = rec.copy_message.take() {
            remove_copy(app, msg, MessageId(copy.0 as i32)).await?;
        }
    }
    rec.removal = Some(removal);
    Ok(Step::Deleted)
}

/// Posts the blurred copy, or tells the sender of the block.
async fn deliver(
    app: &App,
    msg: &Message,
    rec: &mut Enforcement,
    copy: Option<Vec<u8>>,
    lang: Lang,
) -> Result<Step, Unfinished> {
    let removed = rec.removal == Some(Removal::Removed);
    match rec.verdict {
        Verdict::Blur if removed => {
            let copy = match copy {
                Some(copy) => copy,
                None => app
                    .guard
                    .store()
                    .enforcement_copy(rec.chat, rec.message)
                    .await
                    .map_err(unfinished)?
                    .ok_or_else(|| Unfinished("a blur verdict without its copy".into()))?,
            };
            let posted = post_blurred(app, msg, copy, lang).await?;
            rec.copy_message = Some(CoreMessage(i64::from(posted.0)));
            Ok(Step::Done)
        }
        Verdict::Block => {
            if removed {
                tell_sender(app, msg, &rec.reason, lang).await;
            }
            Ok(Step::Delivered)
        }
        _ => Ok(Step::Done),
    }
}

/// Alerts the admins to a block that awaits review.
async fn alert(app: &App, msg: &Message, rec: &Enforcement) -> Step {
    let gone_before = rec.removal == Some(Removal::AlreadyGone);
    if let (Some(item), false) = (rec.quarantine, gone_before) {
        alert_admins(app, msg, &rec.reason, item).await;
    }
    Step::Done
}
