//! The commands that name a person or send a file, on WhatsApp, through the
//! core's services as on Telegram (the role and place were checked before,
//! against the command table, in `commands.rs`): `/grant` and `/ungrant`
//! take the person's phone number in international form (their WhatsApp id
//! without `@c.us`), `/audit` and `/subject` send their file as a document
//! to the caller's own chat, `/stats` its counts and then its chart as a
//! picture (the core's, as on Telegram), `/erase` answers in words.

use photo_guard_core::services::{answers, Caller, Ungranted};
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::{ChatPlatform, ClientCode, Lang, OutgoingFile, Role, UserId};

use crate::app::App;

/// Who asked, and the language to answer in.
pub struct Asker<'a> {
    pub app: &'a App,
    pub caller: Caller,
    pub lang: Lang,
}

/// The WhatsApp id of the number typed as `/grant`'s or `/ungrant`'s first
/// argument: 8 to 15 digits, the country code first (a local `08...` would
/// name someone else's number once its zero is dropped).
fn person(body: &str) -> Result<String, Msg<'_>> {
    let given = body.split_whitespace().nth(1).unwrap_or("");
    let plausible = (8..=15).contains(&given.len())
        && given.bytes().all(|b| b.is_ascii_digit())
        && !given.starts_with('0');
    match plausible {
        true => Ok(format!("{given}@c.us")),
        false => Err(Msg::NotAWhatsAppNumber { given }),
    }
}

pub async fn grant(a: &Asker<'_>, body: &str, number: UserId, role: Role) -> String {
    let external = match person(body) {
        Ok(external) => external,
        Err(msg) => return text(a.lang, &msg),
    };
    let Ok(user) = a.app.ids().user(&external).await else {
        return text(a.lang, &Msg::TryAgainLater);
    };
    match a.app.services.roles.grant(a.caller, user, role).await {
        Ok(()) => text(
            a.lang,
            &Msg::Granted {
                user: number.0,
                role,
            },
        ),
        Err(e) => failed(a, e),
    }
}

pub async fn ungrant(a: &Asker<'_>, body: &str, number: UserId) -> String {
    let external = match person(body) {
        Ok(external) => external,
        Err(msg) => return text(a.lang, &msg),
    };
    let n = number.0;
    // Granted again at every start: removing it here would not last.
    if a.app.settings.admins.contains(&external) {
        return text(a.lang, &Msg::UngrantConfigAdminWhatsApp { user: n });
    }
    let Ok(user) = a.app.ids().user(&external).await else {
        return text(a.lang, &Msg::TryAgainLater);
    };
    let msg = match a.app.services.roles.ungrant(a.caller, user).await {
        Ok(Ungranted::Removed) => Msg::Ungranted { user: n },
        Ok(Ungranted::ConfigAdmin) => Msg::UngrantConfigAdmin { user: n },
        Ok(Ungranted::NoRole) => Msg::UngrantNothing { user: n },
        Err(e) => return failed(a, e),
    };
    text(a.lang, &msg)
}

/// The audit CSV as a document; `None` once sent (its caption says what it is).
pub async fn audit(a: &Asker<'_>, days: u32) -> Option<String> {
    // The one writer `audit export` uses too, so it verifies with `audit verify --csv`.
    let csv = match a.app.services.reports.audit_csv(days).await {
        Ok(csv) => csv,
        Err(e) => {
            tracing::error!(error = %e, "cannot write the audit CSV");
            return Some(text(a.lang, &Msg::TryAgainLater));
        }
    };
    let caption = text(a.lang, &Msg::AuditCaption { days });
    send(a, OutgoingFile::audit_csv(csv), &caption).await
}

/// Everything held about a client, as a document; `None` once sent.
pub async fn subject(a: &Asker<'_>, code: &ClientCode) -> Option<String> {
    let file = match a.app.services.subjects.export(a.caller, code).await {
        Ok(Some(file)) => file,
        Ok(None) => return Some(text(a.lang, &Msg::UnknownClient { code })),
        Err(e) => return Some(failed(a, e)),
    };
    let due = file.answer_due_by.format("%Y-%m-%d %H:%M UTC").to_string();
    let caption = text(a.lang, &Msg::SubjectCaption { code, due: &due });
    let json = OutgoingFile::subject_json(file.to_json().into_bytes());
    send(a, json, &caption).await
}

/// The counts, then their weekly chart as a picture in the caller's own
/// chat (`/stats` is private only); `None` once sent.
pub async fn stats(a: &Asker<'_>) -> Option<String> {
    let services = &a.app.services;
    let counts = answers::stats(services, a.lang).await;
    let chart = match answers::stats_chart(services, a.lang).await {
        Ok(Some(chart)) => chart,
        Ok(None) => return Some(counts),
        Err(said) => return Some(format!("{counts}\n\n{said}")),
    };
    if let Err(e) = a.app.platform.tell_user(a.caller.user, &counts).await {
        tracing::warn!(error = %e, "cannot send /stats's counts on WhatsApp");
    }
    let (png, caption) = chart;
    send(a, png, &caption).await
}

pub async fn erase(a: &Asker<'_>, code: &ClientCode) -> String {
    match a.app.services.subjects.erase(a.caller, code).await {
        Ok(Some(erased)) => text(a.lang, &Msg::Erased { code, erased }),
        Ok(None) => text(a.lang, &Msg::UnknownClient { code }),
        Err(e) => failed(a, e),
    }
}

async fn send(a: &Asker<'_>, file: OutgoingFile, caption: &str) -> Option<String> {
    let platform = &a.app.platform;
    match platform.send_file(a.caller.user, file, caption).await {
        Ok(()) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot send a file on WhatsApp");
            Some(text(a.lang, &Msg::TryAgainLater))
        }
    }
}

fn failed(a: &Asker<'_>, e: photo_guard_core::StoreError) -> String {
    tracing::error!(error = %e, "a WhatsApp admin command failed");
    text(a.lang, &Msg::TryAgainLater)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_takes_a_number_in_international_form_only() {
        // Issue 22: a local 08... number loses its zero in the parser and would name a stranger.
        assert_eq!(
            person("/grant 6281100000004 coordinator").unwrap(),
            "6281100000004@c.us"
        );
        for wrong in ["/grant 081100000004 admin", "/ungrant 12345", "/ungrant"] {
            assert!(person(wrong).is_err(), "{wrong} accepted");
        }
    }
}
