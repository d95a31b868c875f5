//! The answers to the consent commands and `/stats`, the same on every
//! platform: the use case is called and its typed outcome rendered in
//! `lang`. An adapter only sends the text back where the command came from.
//! A consent that narrows what may be shown is followed by its takedown on
//! every platform (issue 23), its report after the answer.

use super::{ByHand, Caller, Recorded, Services, TakedownReport, Withdrawal};
use crate::command::ConsentArgs;
use crate::texts::{text, Msg};
use crate::{ClientCode, Lang, OutgoingFile, RecordId, StoreError};

/// How many weeks `/stats`'s chart shows.
const CHART_WEEKS: u32 = 8;

fn failed(lang: Lang, e: StoreError) -> String {
    tracing::error!(error = %e, "a command failed");
    text(lang, &Msg::TryAgainLater)
}

/// `/consent`: recorded, or refused for an `until` in the past.
pub async fn consent(s: &Services, caller: Caller, args: &ConsentArgs, lang: Lang) -> String {
    let until = args.until.map(|d| d.to_string());
    match s.consent.record(caller, args).await {
        Ok(Recorded::Recorded { record }) => {
            let said = text(
                lang,
                &Msg::ConsentRecorded {
                    code: &args.code,
                    level: args.level,
                    until: until.as_deref(),
                },
            );
            and_takedown(s, caller, &args.code, record, lang, said).await
        }
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
        Ok(Withdrawal::Withdrawn { record }) => {
            let said = text(lang, &Msg::Withdrawn { code });
            and_takedown(s, caller, code, record, lang, said).await
        }
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

/// `/stats`'s picture after its counts: the PNG and its caption (the
/// panels' chats, the weeks shown); `Ok(None)` when nothing was checked in
/// those weeks or it could not be drawn (logged: the counts went already);
/// `Err` the answer to give when the store failed.
pub async fn stats_chart(
    s: &Services,
    lang: Lang,
) -> Result<Option<(OutgoingFile, String)>, String> {
    let picture = match s.reports.weekly_chart(CHART_WEEKS).await {
        Ok(Some(picture)) => picture,
        Ok(None) => return Ok(None),
        Err(super::ReportError::Store(e)) => return Err(failed(lang, e)),
        Err(e) => {
            tracing::error!(error = %e, "cannot draw the stats chart");
            return Ok(None);
        }
    };
    let weeks = &picture.layout.weeks;
    let (Some(from), Some(to)) = (weeks.first(), weeks.last()) else {
        return Ok(None);
    };
    let (from, to) = (from.to_string(), to.to_string());
    let chats = &picture.layout.chats;
    let caption = text(
        lang,
        &Msg::StatsChart {
            chats,
            from: &from,
            to: &to,
        },
    );
    Ok(Some((OutgoingFile::stats_png(picture.png), caption)))
}

async fn and_takedown(
    s: &Services,
    caller: Caller,
    code: &ClientCode,
    record: RecordId,
    lang: Lang,
    said: String,
) -> String {
    match takedown(s, caller, code, record, lang).await {
        Some(report) => format!("{said}\n\n{report}"),
        None => said,
    }
}

/// Issue 23: takes down what consent record `record` of `code` concerns,
/// on every platform; what it came to, or `None` when nothing showed the client.
pub async fn takedown(
    s: &Services,
    caller: Caller,
    code: &ClientCode,
    record: RecordId,
    lang: Lang,
) -> Option<String> {
    match s.takedowns.follow(caller, code, record).await {
        Ok(Some(report)) => Some(takedown_text(code, &report, lang)),
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "cannot plan the takedown");
            Some(text(lang, &Msg::TryAgainLater))
        }
    }
}

/// The coordinator's report of a takedown.
pub fn takedown_text(code: &ClientCode, report: &TakedownReport, lang: Lang) -> String {
    let by_hand: Vec<String> = report
        .by_hand
        .iter()
        .map(|b| match b {
            ByHand::Link(link) => link.clone(),
            ByHand::Place { chat, at } => text(lang, &Msg::ByHandPlace { chat, at }),
        })
        .collect();
    let done = Msg::TakedownDone {
        code,
        removed: report.removed,
        replaced: report.replaced,
        by_hand: &by_hand,
    };
    text(lang, &done)
}
