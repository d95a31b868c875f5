//! What every member may do: /start, /help, /report (/rules is one line in mod.rs).
//! A report also opens a breach incident (issue 23, `breach.rs`).

use photo_guard_core::services::Reported;
use photo_guard_core::texts::Msg;
use photo_guard_core::{ChatId as CoreChat, MessageId as CoreMessage};

use super::Ctx;
use crate::app::{chat_title, display_name};

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

/// As a reply in a group (the command table keeps it out of private
/// chats): tells every admin, with a link where Telegram has one.
pub async fn report(ctx: &Ctx<'_>) {
    let Some(target) = ctx.msg.reply_to_message() else {
        return ctx.reply(Msg::ReportNeedsReply).await;
    };
    let chat = chat_title(&ctx.msg.chat);
    let reporter = display_name(ctx.msg.from.as_ref());
    let link = target.url().map(|u| u.to_string());
    let what = Reported {
        chat_title: &chat,
        reporter: &reporter,
        link: link.as_deref(),
        message: i64::from(target.id.0),
    };
    let notices = &ctx.app.services.admins;
    notices.report(&ctx.app.platform, ctx.caller(), what).await;
    // Issue 23: a report opens a breach incident with its 3x24 h deadline.
    let place = link.unwrap_or_else(|| format!("#{}", target.id.0));
    let what = format!("{reporter}, \"{chat}\": {place}");
    let at = (
        CoreChat(ctx.msg.chat.id.0),
        CoreMessage(i64::from(target.id.0)),
    );
    super::breach::open(ctx, &what, Some(at)).await;
    ctx.reply(Msg::ReportThanks).await;
}
