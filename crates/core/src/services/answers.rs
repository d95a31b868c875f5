//! The answers to the consent commands and `/stats`, the same on every
//! platform: the use case is called and its typed outcome rendered in
//! `lang`. An adapter only sends the text back where the command came from.

use super::{Caller, Recorded, Services, Withdrawal};
use crate::command::ConsentArgs;
use crate::texts::{text, Msg};
use crate::{ClientCode, Lang, StoreError};

fn failed(lang: Lang, e: StoreError) -> String {
    tracing::error!(error = %e, "a command failed");
    text(lang, &Msg::TryAgainLater)
}

/// `/consent`: recorded, or refused for an `until` in the past.
pub async fn consent(s: &Services, caller: Caller, args: &ConsentArgs, lang: Lang) -> String {
    let until = args.until.map(|d| d.to_string());
    match s.consent.record(caller, args).await {
        Ok(Recorded::Recorded { .. }) => text(
            lang,
            &Msg::ConsentRecorded {
                code: &args.code,
                level: args.level,
                until: until.as_deref(),
            },
        ),
        Ok(Recorded::UntilInPast) => text(
            lang,
            &Msg::UntilInPast {
                until: until.as_deref().unwrap_or_default(),
            },
        ),
        Err(e) => failed(lang, e),
    }
}

/// `/withdraw`.
pub async fn withdraw(
    s: &Services,
    caller: Caller,
    code: &ClientCode,
    reason: Option<String>,
    lang: Lang,
) -> String {
    match s.consent.withdraw(caller, code, reason).await {
        Ok(Withdrawal::Withdrawn { .. }) => text(lang, &Msg::Withdrawn { code }),
        Ok(Withdrawal::UnknownClient) => text(lang, &Msg::UnknownClient { code }),
        Err(e) => failed(lang, e),
    }
}

/// `/client`: the client's state and history.
pub async fn client(s: &Services, code: &ClientCode, lang: Lang) -> String {
    match s.consent.client(code).await {
        Ok(Some(view)) => text(
            lang,
            &Msg::ClientHistory {
                code,
                state: view.state,
                lines: &view.lines,
            },
        ),
        Ok(None) => text(lang, &Msg::UnknownClient { code }),
        Err(e) => failed(lang, e),
    }
}

/// `/clients`: every client with their state.
pub async fn clients(s: &Services, lang: Lang) -> String {
    match s.consent.clients().await {
        Ok(rows) => text(lang, &Msg::ClientList { rows: &rows }),
        Err(e) => failed(lang, e),
    }
}

/// `/stats`: per chat, checked / allowed / blurred / blocked.
pub async fn stats(s: &Services, lang: Lang) -> String {
    match s.reports.stats().await {
        Ok(rows) => text(lang, &Msg::Stats { rows: &rows }),
        Err(e) => failed(lang, e),
    }
}
