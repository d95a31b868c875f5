//! Issue 23 on WhatsApp: `/breach WHAT HAPPENED` opens an incident and
//! tells every admin its 3x24 h deadline (through the core's router, so
//! Telegram's admins too); `/breach N` sends the caller the notice's draft
//! in Indonesian and English. The same service and texts as Telegram's.

use photo_guard_core::command::BreachArgs;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatPlatform, Lang};

use crate::admin::Asker;

/// `None` once answered (the admins told, or the drafts sent).
pub async fn breach(a: &Asker<'_>, args: BreachArgs) -> Option<String> {
    match args {
        BreachArgs::Open(description) => open(a, &description).await,
        BreachArgs::Draft(id) => draft(a, id).await,
    }
}

async fn open(a: &Asker<'_>, description: &str) -> Option<String> {
    let s = &a.app.services;
    let incident = match s.breaches.open(a.caller, description, None).await {
        Ok(incident) => incident,
        Err(e) => {
            tracing::error!(error = %e, "cannot open a breach incident");
            return Some(text(a.lang, &Msg::TryAgainLater));
        }
    };
    let platforms = s.platforms.as_ref();
    let told = s
        .breaches
        .tell_opened(&s.admins, platforms, &incident)
        .await;
    // The caller is an admin: told with the others, unless no one was.
    match told {
        0 => Some(text(a.lang, &Msg::TryAgainLater)),
        _ => None,
    }
}

async fn draft(a: &Asker<'_>, id: i64) -> Option<String> {
    let drafted = a.app.services.breaches.draft(a.caller, id).await;
    let draft = match drafted {
        Ok(Some(draft)) => draft,
        Ok(None) => return Some(text(a.lang, &Msg::UnknownIncident { id })),
        Err(e) => {
            tracing::error!(error = %e, "cannot draft a breach notice");
            return Some(text(a.lang, &Msg::TryAgainLater));
        }
    };
    for lang in [Lang::Id, Lang::En] {
        let notice = text(lang, &Msg::BreachNotice { draft: &draft });
        let platform = &a.app.platform;
        if let Err(e) = platform.tell_user(a.caller.user, &notice).await {
            tracing::warn!(error = %e, "cannot send a breach notice's draft");
        }
    }
    None
}
