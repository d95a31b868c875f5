//! Every user-facing sentence, one file per language (Indonesian default,
//! English). Handlers build a [`Msg`] and ask for it in the chat's language;
//! the exhaustive matches in `id.rs` and `en.rs` make a missing translation a
//! compile error.

mod caption;
mod en;
mod id;

pub use caption::{with_reminder, CAPTION_LIMIT};

use crate::{ChatPolicy, ChatStats, ClientCode, ConsentLevel, Lang, Reason, Role};

/// A consent line for `/client` and `/clients`.
#[derive(Debug, Clone)]
pub struct ConsentLine {
    pub when: String,
    pub what: String,
}

/// The state of a client for `/clients`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientState {
    InForce,
    ExpiringSoon,
    Expired,
    Withdrawn,
    Refused,
    NotYet,
}

/// Why a photo was removed without being checked (issue 17.2, 17.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unchecked {
    /// Over the download limit, in MB.
    TooLarge { limit_mb: u64 },
    /// Telegram refused to hand the file over (a 4xx from getFile).
    Refused,
    /// The download failed this many times.
    GaveUp { tries: u32 },
    /// Something visual with no file the bot can fetch (a forwarded story).
    NoFile,
}

/// Why a photo that should have gone is still in the chat (issue 17.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undeletable {
    /// Older than Telegram's 48 hours for bots.
    TooOld,
    /// The bot is not an admin with "Delete messages".
    NoRight,
    /// Telegram refused and neither of the above explains it.
    Unknown,
}

#[derive(Debug, Clone)]
pub enum Msg<'a> {
    Start,
    /// What the caller may use here, one line per command, from the command table.
    Help {
        role: Option<Role>,
        private: bool,
    },
    /// A command's line in `/help`, keyed by its table name.
    HelpLine {
        command: &'a str,
    },
    /// The heading of a role's commands in `/help`.
    HelpSection {
        role: Role,
    },
    /// A command's entry in the platform's commands menu, keyed by its table name.
    MenuEntry {
        command: &'a str,
    },
    Rules,
    Reminder,
    Welcome {
        name: &'a str,
    },
    BlurredCaption {
        sender: &'a str,
        caption: Option<&'a str>,
    },
    BlockedForSender {
        reason: &'a Reason,
    },
    BlockedInChat {
        sender: &'a str,
    },
    UncheckedInChat {
        sender: &'a str,
    },
    Reason(&'a Reason),
    AdminAlert {
        chat: &'a str,
        sender: &'a str,
        reason: &'a Reason,
        item: i64,
    },
    PendingItem {
        item: i64,
        chat: &'a str,
        sender: &'a str,
        reason_code: &'a str,
    },
    /// Where a platform has no buttons (WhatsApp): the review actions as
    /// reply commands for item `item`.
    ReplyCommands {
        item: i64,
        actions: &'a [crate::platform::ReviewAction],
    },
    ButtonView,
    ButtonReleaseBlurred,
    ButtonReleaseOriginal,
    ButtonDiscard,
    ReviewEmpty,
    ReviewDone {
        what: &'a str,
    },
    /// A review press done: `ReviewDone` with the action named in the language.
    ReviewFinished {
        action: crate::ReviewAction,
    },
    ReviewStale,
    ReviewOriginalNotAllowed,
    /// The copy to release could not be made; the item is still pending.
    ReviewReleaseFailed,
    ReleasedBy {
        sender: &'a str,
        caption: Option<&'a str>,
    },
    NotAllowed {
        needed: Role,
    },
    PrivateOnly,
    GroupOnly,
    NoDeleteRights,
    NoDeleteRightsAdmin {
        chat: &'a str,
    },
    /// The bot was made an admin with "Delete messages".
    NowGuarding,
    NowGuardingAdmin {
        chat: &'a str,
    },
    TooLargeInChat {
        sender: &'a str,
        limit_mb: u64,
    },
    UncheckedAdmin {
        chat: &'a str,
        sender: &'a str,
        why: Unchecked,
    },
    /// `link` is None where Telegram has no links (basic groups).
    UndeletableAdmin {
        chat: &'a str,
        sender: &'a str,
        link: Option<&'a str>,
        message: i64,
        why: Undeletable,
    },
    DetectorDegraded,
    ReportNeedsReply,
    ReportThanks,
    /// A reported message, by its link where the platform has one, else its number.
    ReportAdmin {
        chat: &'a str,
        reporter: &'a str,
        link: Option<&'a str>,
        message: i64,
    },
    /// A chat or person the platform gave no name for.
    Unnamed,
    Usage {
        command: &'a str,
    },
    UntilInPast {
        until: &'a str,
    },
    /// A command's arguments were wrong: the problem, then the usage line.
    CommandProblem {
        problem: &'a crate::command::Problem,
        command: &'a str,
    },
    ConsentRecorded {
        code: &'a ClientCode,
        level: ConsentLevel,
        until: Option<&'a str>,
    },
    Withdrawn {
        code: &'a ClientCode,
    },
    UnknownClient {
        code: &'a ClientCode,
    },
    ClientHistory {
        code: &'a ClientCode,
        state: ClientState,
        lines: &'a [ConsentLine],
    },
    ClientList {
        rows: &'a [(ClientCode, ClientState)],
    },
    Granted {
        user: i64,
        role: Role,
    },
    Ungranted {
        user: i64,
    },
    UngrantNothing {
        user: i64,
    },
    UngrantConfigAdmin {
        user: i64,
    },
    PolicyShown {
        policy: &'a ChatPolicy,
    },
    PolicySet {
        policy: &'a ChatPolicy,
    },
    AuditCaption {
        days: u32,
    },
    StatsHeader,
    /// The header, then one line per chat; `StatsEmpty` when there is none.
    Stats {
        rows: &'a [ChatStats],
    },
    StatsEmpty,
    TryAgainLater,
    /// `/ungrant` of a number named in `WHATSAPP_ADMINS`.
    UngrantConfigAdminWhatsApp {
        user: i64,
    },
    /// `/grant`, `/ungrant` on WhatsApp take a phone number in international form.
    NotAWhatsAppNumber {
        given: &'a str,
    },
    /// `/view N` on WhatsApp: the blurred copy, and how to see the original
    /// without protection (WhatsApp has no protected media).
    ViewBlurredOnWhatsApp {
        item: i64,
    },
    /// `/view N original` on WhatsApp: the original, unprotected.
    ViewOriginalUnprotected {
        item: i64,
    },
    /// Issue 23: what a change of consent took down; `by_hand` holds links,
    /// or for a platform without them `ByHandPlace`.
    TakedownDone {
        code: &'a ClientCode,
        removed: usize,
        replaced: usize,
        by_hand: &'a [String],
    },
    /// Issue 23: a message to remove by hand where the platform has no link
    /// (WhatsApp): the chat's name and when the photo was sent.
    ByHandPlace {
        chat: &'a str,
        at: &'a str,
    },
    /// Issue 23: the daily expiry digest.
    Digest {
        expiring: &'a [crate::services::DigestLine],
        expired: &'a [crate::services::DigestLine],
    },
    /// Issue 23: the caption of `/stats`'s chart: its panels, top to bottom,
    /// and the first and last week shown.
    StatsChart {
        chats: &'a [i64],
        from: &'a str,
        to: &'a str,
    },
    /// Issue 23: the caption of `/subject`'s file; `due` is the 3x24 h date.
    SubjectCaption {
        code: &'a ClientCode,
        due: &'a str,
    },
    /// Issue 23: what `/erase` removed.
    Erased {
        code: &'a ClientCode,
        erased: crate::subject::Erasure,
    },
    /// Issue 23: a breach incident opened, to every admin.
    BreachAdmin {
        id: i64,
        due: &'a str,
        what: &'a str,
    },
    /// Issue 23: the 24 h and 60 h reminders.
    BreachReminder {
        id: i64,
        due: &'a str,
        hours_left: i64,
    },
    /// Issue 23: the notice drafted for the agency to send.
    BreachNotice {
        draft: &'a crate::breach::Draft,
    },
    UnknownIncident {
        id: i64,
    },
    /// The caption of a blurred copy posted after a downgrade.
    ReblurredCaption {
        tags: &'a str,
    },
}

/// `/stats`'s table under its header: the numbers read the same in every language.
fn stats_table(lang: Lang, rows: &[ChatStats]) -> String {
    if rows.is_empty() {
        return text(lang, &Msg::StatsEmpty);
    }
    let mut body = text(lang, &Msg::StatsHeader);
    for r in rows {
        body.push_str(&format!(
            "\n{}: {} / {} / {} / {}",
            r.chat, r.checked, r.allowed, r.blurred, r.blocked
        ));
    }
    body
}

/// The digest's lines: `• CODE until DAY`, then the command to copy.
fn digest_lines(out: &mut String, lines: &[crate::services::DigestLine], renew: &str) {
    for l in lines {
        out.push_str(&format!(
            "\n• {} ({}), {renew}:\n{}",
            l.code, l.until, l.renew
        ));
    }
}

/// Client codes joined, or `none` when there is none.
fn clients_or_none(clients: &[ClientCode], none: &str) -> String {
    match clients {
        [] => none.to_owned(),
        _ => clients
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Chat ids joined, for the chart's caption.
fn chat_list(chats: &[i64]) -> String {
    chats
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/help`: the member commands, then a heading and the lines of each role's
/// commands the caller may use here, in the table's order.
fn help(lang: Lang, role: Option<Role>, private: bool) -> String {
    let mut lines = Vec::new();
    let mut section = None;
    for spec in crate::command::table::shown(role, private) {
        if let Some(needed) = spec.role.filter(|r| section != Some(*r)) {
            lines.push(String::new());
            lines.push(text(lang, &Msg::HelpSection { role: needed }));
            section = Some(needed);
        }
        lines.push(text(lang, &Msg::HelpLine { command: spec.name }));
    }
    lines.join("\n")
}

/// A command's menu entry, Indonesian then English: a menu shows one text
/// to everyone in the chat.
pub fn menu_entry(command: &str) -> String {
    let entry = |lang| text(lang, &Msg::MenuEntry { command });
    format!("{} / {}", entry(Lang::Id), entry(Lang::En))
}

/// One reply command per review action, one per line: the commands are the
/// same in every language.
fn reply_commands(item: i64, actions: &[crate::platform::ReviewAction]) -> String {
    use crate::platform::ReviewAction as A;
    actions
        .iter()
        .map(|a| match a {
            A::View => format!("/view {item}"),
            A::Discard => format!("/discard {item}"),
            A::ReleaseBlurred => format!("/release {item} blurred"),
            A::ReleaseOriginal => format!("/release {item} original"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a command the role check did not let run is answered with; `None` to run it.
pub fn refusal(permit: crate::services::Permit) -> Option<Msg<'static>> {
    use crate::services::Permit as P;
    match permit {
        P::Run => None,
        P::Denied { needed } => Some(Msg::NotAllowed { needed }),
        P::GroupOnly => Some(Msg::GroupOnly),
        P::PrivateOnly => Some(Msg::PrivateOnly),
    }
}

/// What a review press (a Telegram button, a WhatsApp reply command) is answered with.
pub fn review_answer(outcome: crate::services::ReviewOutcome) -> Msg<'static> {
    use crate::services::ReviewOutcome as O;
    match outcome {
        O::Denied => Msg::NotAllowed {
            needed: Role::Admin,
        },
        O::Done(action) => Msg::ReviewFinished { action },
        O::Stale => Msg::ReviewStale,
        O::OriginalNotAllowed => Msg::ReviewOriginalNotAllowed,
        O::ReleaseFailed => Msg::ReviewReleaseFailed,
        O::Failed => Msg::TryAgainLater,
    }
}

/// The sentence for `msg` in `lang`.
pub fn text(lang: Lang, msg: &Msg<'_>) -> String {
    match lang {
        Lang::Id => id::text(msg),
        Lang::En => en::text(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_a_link_names_the_message_in_the_admins_language() {
        // Issue 18: the /report fallback was an English "message N" built in the adapter.
        let report = |lang| {
            let body = Msg::ReportAdmin {
                chat: "Tim",
                reporter: "Ana",
                link: None,
                message: 42,
            };
            text(lang, &body)
        };
        assert!(
            report(Lang::Id).ends_with(": pesan 42"),
            "{}",
            report(Lang::Id)
        );
        assert!(
            report(Lang::En).ends_with(": message 42"),
            "{}",
            report(Lang::En)
        );
    }
}
