//! The coordinators' consent commands, in a private chat with the bot: the
//! core's answers (`services::answers`) call the consent book and render its
//! outcome; this only sends the text back.

use photo_guard_core::command::ConsentArgs;
use photo_guard_core::services::{answers, Recorded, Withdrawal};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ClientCode, OutgoingFile};

use super::Ctx;

pub async fn consent(ctx: &Ctx<'_>, args: ConsentArgs) {
    match ctx.app.services.consent.record(ctx.caller(), &args).await {
        Ok(Recorded::Recorded { record }) => {
            let until = args.until.map(|d| d.to_string());
            ctx.reply(Msg::ConsentRecorded {
                code: &args.code,
                level: args.level,
                until: until.as_deref(),
            })
            .await;
            follow(ctx, &args.code, record).await;
        }
        Ok(Recorded::UntilInPast) => {
            let until = args.until.map(|d| d.to_string()).unwrap_or_default();
            ctx.reply(Msg::UntilInPast { until: &until }).await;
        }
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn withdraw(ctx: &Ctx<'_>, code: ClientCode, reason: Option<String>) {
    let book = &ctx.app.services.consent;
    match book.withdraw(ctx.caller(), &code, reason).await {
        Ok(Withdrawal::Withdrawn { record }) => {
            ctx.reply(Msg::Withdrawn { code: &code }).await;
            follow(ctx, &code, record).await;
        }
        Ok(Withdrawal::UnknownClient) => ctx.reply(Msg::UnknownClient { code: &code }).await,
        Err(e) => failed(ctx, e).await,
    }
}

/// Issue 23: the takedown the consent change brings, on every platform, and
/// its report; nothing is said when nothing showed the client.
async fn follow(ctx: &Ctx<'_>, code: &ClientCode, record: photo_guard_core::RecordId) {
    let s = &ctx.app.services;
    if let Some(report) = answers::takedown(s, ctx.caller(), code, record, ctx.lang).await {
        ctx.say(report).await;
    }
}

pub async fn client(ctx: &Ctx<'_>, code: ClientCode) {
    ctx.say(answers::client(&ctx.app.services, &code, ctx.lang).await)
        .await;
}

/// Issue 23: everything held about the client, as a JSON file.
pub async fn subject(ctx: &Ctx<'_>, code: ClientCode) {
    match ctx.app.services.subjects.export(ctx.caller(), &code).await {
        Ok(Some(file)) => {
            let due = file.answer_due_by.format("%Y-%m-%d %H:%M UTC").to_string();
            let caption = text(
                ctx.lang,
                &Msg::SubjectCaption {
                    code: &code,
                    due: &due,
                },
            );
            let json = file.to_json().into_bytes();
            ctx.send_file(OutgoingFile::subject_json(json), caption)
                .await;
        }
        Ok(None) => ctx.reply(Msg::UnknownClient { code: &code }).await,
        Err(e) => failed(ctx, e).await,
    }
}

pub async fn clients(ctx: &Ctx<'_>) {
    ctx.say(answers::clients(&ctx.app.services, ctx.lang).await)
        .await;
}

async fn failed(ctx: &Ctx<'_>, e: photo_guard_core::StoreError) {
    tracing::error!(error = %e, "a consent command failed");
    ctx.reply(Msg::TryAgainLater).await;
}
