//! The admins' commands: review queue, roles, chat policy, audit, statistics.

use photo_guard_core::command::PolicyArgs;
use photo_guard_core::services::{answers, PolicyOutcome, Ungranted};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, OutgoingFile, Role, UserId as CoreUser};

use super::Ctx;

/// The pending items, each sent to the caller with its review buttons.
pub async fn review(ctx: &Ctx<'_>) {
    let desk = &ctx.app.services.review;
    if let Err(e) = desk.list(&ctx.app.platform, ctx.user, ctx.lang).await {
        failed(ctx, e).await;
    }
}

pub async fn grant(ctx: &Ctx<'_>, user: CoreUser, role: Role) {
    if let Err(e) = ctx.app.services.roles.grant(ctx.caller(), user, role).await {
        return failed(ctx, e).await;
    }
    crate::menu::set_for(&ctx.app.bot, user, Some(role)).await;
    ctx.reply(Msg::Granted { user: user.0, role }).await;
}

pub async fn ungrant(ctx: &Ctx<'_>, user: CoreUser) {
    match ctx.app.services.roles.ungrant(ctx.caller(), user).await {
        Ok(Ungranted::Removed) => {
            crate::menu::set_for(&ctx.app.bot, user, None).await;
            ctx.reply(Msg::Ungranted { user: user.0 }).await;
        }
        Ok(Ungranted::ConfigAdmin) => {
            ctx.reply(Msg::UngrantConfigAdmin { user: user.0 }).await;
        }
        Ok(Ungranted::NoRole) => ctx.reply(Msg::UngrantNothing { user: user.0 }).await,
        Err(e) => failed(ctx, e).await,
    }
}

/// In a group: shows the policy, or sets what the arguments name.
pub async fn policy(ctx: &Ctx<'_>, args: PolicyArgs) {
    let title = ctx.msg.chat.title().unwrap_or("");
    let policies = &ctx.app.services.policies;
    match policies.apply(ctx.caller(), title, &args).await {
        Ok(PolicyOutcome::Shown(policy)) => ctx.reply(Msg::PolicyShown { policy: &policy }).await,
        Ok(PolicyOutcome::Set(updated)) => {
            // Answer in the language just chosen.
            let msg = Msg::PolicySet { policy: &updated };
            let (chat, thread) = (ctx.msg.chat.id, ctx.msg.thread_id);
            ctx.app
                .say_with(chat, updated.lang, msg, thread, None)
                .await;
        }
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn audit(ctx: &Ctx<'_>, days: u32) {
    // The one writer `audit export` uses too, so this file verifies with
    // `photo-guard audit verify --csv`.
    let csv = match ctx.app.services.reports.audit_csv(days).await {
        Ok(csv) => csv,
        Err(e) => {
            tracing::error!(error = %e, "cannot write the audit CSV");
            return ctx.reply(Msg::TryAgainLater).await;
        }
    };
    let caption = text(ctx.lang, &Msg::AuditCaption { days });
    ctx.send_file(OutgoingFile::audit_csv(csv), caption).await;
}

/// Issue 23: erases what is not needed as proof.
pub async fn erase(ctx: &Ctx<'_>, code: ClientCode) {
    match ctx.app.services.subjects.erase(ctx.caller(), &code).await {
        Ok(Some(erased)) => {
            ctx.reply(Msg::Erased {
                code: &code,
                erased,
            })
            .await
        }
        Ok(None) => ctx.reply(Msg::UnknownClient { code: &code }).await,
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn stats(ctx: &Ctx<'_>) {
    let services = &ctx.app.services;
    ctx.say(answers::stats(services, ctx.lang).await).await;
    // Issue 23: the trend at a glance, per chat and week (drawn by the core's chart seam).
    match answers::stats_chart(services, ctx.lang).await {
        Ok(Some((png, caption))) => ctx.send_file(png, caption).await,
        Ok(None) => {}
        Err(said) => ctx.say(said).await,
    }
}

async fn failed(ctx: &Ctx<'_>, e: photo_guard_core::StoreError) {
    tracing::error!(error = %e, "an admin command failed");
    ctx.reply(Msg::TryAgainLater).await;
}
