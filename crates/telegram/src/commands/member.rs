//! What every member may do: /start, /help, /report (/rules is one line in mod.rs).
//! A report also opens a breach incident (issue 23, `breach.rs`).

use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{AuditAction, ChatId as CoreChat, MessageId as CoreMessage};

use super::Ctx;
use crate::app::display_name;

pub async fn start(ctx: &Ctx<'_>) {
    ctx.reply(Msg::Start).await;
    if ctx.role == Some(photo_guard_core::Role::Admin) && ctx.app.settings.detector_degraded {
        ctx.reply(Msg::DetectorDegraded).await;
    }
}

/// Lists only what the caller may use, where they are.
pub async fn help(ctx: &Ctx<'_>) {
    ctx.reply(Msg::Help {
        role: ctx.role,
        private: ctx.msg.chat.is_private(),
    })
    .await;
}

/// As a reply in a group: tells every admin, with a link where Telegram has one.
pub async fn report(ctx: &Ctx<'_>) {
    if ctx.msg.chat.is_private() {
        return ctx.reply(Msg::GroupOnly).await;
    }
    let Some(target) = ctx.msg.reply_to_message() else {
        return ctx.reply(Msg::ReportNeedsReply).await;
    };
    let chat = ctx.msg.chat.title().unwrap_or("?").to_owned();
    let reporter = display_name(ctx.msg.from.as_ref());
    let link = target
        .url()
        .map(|u| u.to_string())
        .unwrap_or_else(|| format!("message {}", target.id.0));
    ctx.app
        .tell_admins(|l| {
            (
                text(
                    l,
                    &Msg::ReportAdmin {
                        chat: &chat,
                        reporter: &reporter,
                        link: &link,
                    },
                ),
                None,
            )
        })
        .await;
    ctx.audit(
        AuditAction::ReportMade,
        serde_json::json!({ "message": target.id.0 }),
    )
    .await;
    // Issue 23: a report opens a breach incident with its 3x24 h deadline.
    let what = format!("{reporter}, \"{chat}\": {link}");
    let at = (
        CoreChat(ctx.msg.chat.id.0),
        CoreMessage(i64::from(target.id.0)),
    );
    super::breach::open(ctx, &what, Some(at)).await;
    ctx.reply(Msg::ReportThanks).await;
}
