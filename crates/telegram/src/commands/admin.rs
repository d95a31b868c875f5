//! The admins' commands: review queue, roles, chat policy, audit, statistics.

use photo_guard_core::audit_csv;
use photo_guard_core::command::PolicyArgs;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{AuditAction, ChatId as CoreChat, Role, UserId as CoreUser};
use teloxide::prelude::*;
use teloxide::types::InputFile;

use super::Ctx;
use crate::enforce::review_buttons;
use crate::retry::with_retry;

pub async fn review(ctx: &Ctx<'_>) {
    let items = match ctx.app.store().pending().await {
        Ok(items) => items,
        Err(e) => return failed(ctx, e).await,
    };
    if items.is_empty() {
        return ctx.reply(Msg::ReviewEmpty).await;
    }
    for item in items {
        let chat = item.chat.0.to_string();
        let body = text(
            ctx.lang,
            &Msg::PendingItem {
                item: item.id.0,
                chat: &chat,
                sender: &item.sender_name,
                reason_code: &item.reason_code,
            },
        );
        let buttons = Some(review_buttons(ctx.lang, item.id.0));
        ctx.app
            .send_text(ctx.msg.chat.id, body, None, buttons)
            .await;
    }
}

pub async fn grant(ctx: &Ctx<'_>, user: CoreUser, role: Role) {
    if let Err(e) = ctx.app.store().grant(user, role, ctx.user).await {
        return failed(ctx, e).await;
    }
    ctx.audit(
        AuditAction::RoleGranted,
        serde_json::json!({ "user": user.0, "role": role.as_str() }),
    )
    .await;
    crate::menu::set_for(&ctx.app.bot, user, Some(role)).await;
    ctx.reply(Msg::Granted { user: user.0, role }).await;
}

pub async fn ungrant(ctx: &Ctx<'_>, user: CoreUser) {
    match ctx.app.store().ungrant(user, ctx.user).await {
        Ok(true) => {
            ctx.audit(
                AuditAction::RoleUngranted,
                serde_json::json!({ "user": user.0 }),
            )
            .await;
            crate::menu::set_for(&ctx.app.bot, user, None).await;
            ctx.reply(Msg::Ungranted { user: user.0 }).await;
        }
        Ok(false) if ctx.app.store().role(user).await.ok().flatten().is_some() => {
            ctx.reply(Msg::UngrantConfigAdmin { user: user.0 }).await;
        }
        Ok(false) => ctx.reply(Msg::UngrantNothing { user: user.0 }).await,
        Err(e) => failed(ctx, e).await,
    }
}

/// In a group: shows the policy, or sets what the arguments name.
pub async fn policy(ctx: &Ctx<'_>, args: PolicyArgs) {
    let chat = CoreChat(ctx.msg.chat.id.0);
    let current = match ctx.app.store().chat_policy(chat).await {
        Ok(p) => p,
        Err(e) => return failed(ctx, e).await,
    };
    if args.is_show() {
        return ctx.reply(Msg::PolicyShown { policy: &current }).await;
    }
    let updated = args.apply(&current);
    if let Err(e) = ctx.app.store().set_chat_policy(chat, &updated).await {
        return failed(ctx, e).await;
    }
    let _ = ctx
        .app
        .store()
        .touch_chat(chat, ctx.msg.chat.title().unwrap_or(""))
        .await;
    ctx.audit(
        AuditAction::PolicySet,
        serde_json::json!({ "policy": updated }),
    )
    .await;
    // Answer in the language just chosen.
    ctx.app
        .say_with(
            ctx.msg.chat.id,
            updated.lang,
            Msg::PolicySet { policy: &updated },
            ctx.msg.thread_id,
            None,
        )
        .await;
}

pub async fn audit(ctx: &Ctx<'_>, days: u32) {
    let since = ctx.app.guard.now().now - chrono::Duration::days(days as i64);
    let entries = match ctx.app.store().entries_since(since).await {
        Ok(e) => e,
        Err(e) => return failed(ctx, e).await,
    };
    // The one writer `audit export` uses too, so this file verifies with
    // `photo-guard audit verify --csv`.
    let csv = match audit_csv::to_bytes(&entries) {
        Ok(csv) => csv,
        Err(e) => {
            tracing::error!(error = %e, "cannot write the audit CSV");
            return ctx.reply(Msg::TryAgainLater).await;
        }
    };
    let caption = text(ctx.lang, &Msg::AuditCaption { days });
    let _ = with_retry("sendDocument", || {
        ctx.app
            .bot
            .send_document(
                ctx.msg.chat.id,
                InputFile::memory(csv.clone()).file_name("photo-guard-audit.csv"),
            )
            .caption(caption.clone())
            .protect_content(true)
            .send()
    })
    .await;
}

pub async fn stats(ctx: &Ctx<'_>) {
    let rows = match ctx.app.store().stats().await {
        Ok(r) => r,
        Err(e) => return failed(ctx, e).await,
    };
    if rows.is_empty() {
        return ctx.reply(Msg::StatsEmpty).await;
    }
    let mut body = text(ctx.lang, &Msg::StatsHeader);
    for r in rows {
        body.push_str(&format!(
            "\n{}: {} / {} / {} / {}",
            r.chat, r.checked, r.allowed, r.blurred, r.blocked
        ));
    }
    ctx.reply_text(body).await;
}

async fn failed(ctx: &Ctx<'_>, e: photo_guard_core::StoreError) {
    tracing::error!(error = %e, "an admin command failed");
    ctx.reply(Msg::TryAgainLater).await;
}
