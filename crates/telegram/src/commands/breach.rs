//! Issue 23: breaches. `/breach WHAT HAPPENED` (and `/report`, see
//! `member.rs`) opens an incident and tells every admin its 3x24 h
//! deadline; `/breach N` drafts the notice in Indonesian and English.

use photo_guard_core::command::BreachArgs;
use photo_guard_core::texts::Msg;
use photo_guard_core::{ChatId as CoreChat, Lang, MessageId as CoreMessage};

use super::Ctx;

pub async fn breach(ctx: &Ctx<'_>, args: BreachArgs) {
    match args {
        BreachArgs::Open(description) => open(ctx, &description, None).await,
        BreachArgs::Draft(id) => draft(ctx, id).await,
    }
}

/// Opens an incident and tells the admins; `at` is a reported message.
pub async fn open(ctx: &Ctx<'_>, description: &str, at: Option<(CoreChat, CoreMessage)>) {
    let breaches = &ctx.app.services.breaches;
    let incident = match breaches.open(ctx.caller(), description, at).await {
        Ok(incident) => incident,
        Err(e) => {
            tracing::error!(error = %e, "cannot open a breach incident");
            return ctx.reply(Msg::TryAgainLater).await;
        }
    };
    // Every admin, on the platform they are known by (WhatsApp's too).
    let (notices, platforms) = (&ctx.app.services.admins, &ctx.app.services.platforms);
    breaches
        .tell_opened(notices, platforms.as_ref(), &incident)
        .await;
}

/// The notice, once in each language, for the agency to complete and send.
async fn draft(ctx: &Ctx<'_>, id: i64) {
    let drafted = ctx.app.services.breaches.draft(ctx.caller(), id).await;
    let draft = match drafted {
        Ok(Some(draft)) => draft,
        Ok(None) => return ctx.reply(Msg::UnknownIncident { id }).await,
        Err(e) => {
            tracing::error!(error = %e, "cannot draft a breach notice");
            return ctx.reply(Msg::TryAgainLater).await;
        }
    };
    for lang in [Lang::Id, Lang::En] {
        let (chat, thread) = (ctx.msg.chat.id, ctx.msg.thread_id);
        let msg = Msg::BreachNotice { draft: &draft };
        ctx.app.say_with(chat, lang, msg, thread, None).await;
    }
}
