//! English.

use super::{ClientState, Msg, Unchecked, Undeletable};
use crate::command::{Arg, Problem};
use crate::{ChatPolicy, ConsentLevel, Lang, Reason, Role};

pub fn text(msg: &Msg<'_>) -> String {
    match msg {
        Msg::Start => "Hello! I am photo-guard. I check every photo shared in this team's chats against the clients' recorded consent, blur faces or hold photos back for review when needed. /help lists what you can do, /rules shows the rules.".into(),
        Msg::Help { role, private } => super::help(Lang::En, *role, *private),
        Msg::HelpLine { command } => help_line(command),
        Msg::HelpSection { role } => help_section(*role),
        Msg::MenuEntry { command } => menu_entry(command),
        Msg::Rules => "📋 Client photo rules:\n1. Consent first: share a client's photo only with their recorded consent (a guardian's for a minor).\n2. Tag the clients shown with their code, e.g. #KLN0042. Never write names.\n3. Faces are blurred unless consent allows more; photos of clients who refused are held back.\n4. Keep photos inside this team; never forward them elsewhere.\n5. Saw a breach? Reply to the message with /report.".into(),
        Msg::Reminder => "🔒 Reminder: share client photos only with consent, tag them #CODE, never forward outside the team.".into(),
        Msg::Welcome { name } => format!("Welcome, {name}! This chat is guarded by photo-guard.\n\n{}", text(&Msg::Rules)),
        Msg::BlurredCaption { sender, caption } => match caption {
            Some(c) => format!("📷 From {sender} (faces blurred)\n{c}"),
            None => format!("📷 From {sender} (faces blurred)"),
        },
        Msg::BlockedForSender { reason } => format!("Your photo or video was removed from the chat and is held for an admin's review. Why: {}", reason_text(reason)),
        Msg::BlockedInChat { sender } => format!("🚫 A photo or video from {sender} was held back for review (client consent)."),
        Msg::UncheckedInChat { sender } => format!("🚫 A photo or video from {sender} could not be checked and was removed. Please send it again later."),
        Msg::Reason(reason) => reason_text(reason),
        Msg::AdminAlert { chat, sender, reason, item } => format!("🛡 Photo/video #{item} from {sender} in \"{chat}\" was blocked.\nWhy: {}\nChoose an action:", reason_text(reason)),
        Msg::PendingItem { item, chat, sender, reason_code } => format!("🛡 Photo/video #{item} from {sender} in chat {chat}, held back ({reason_code})."),
        Msg::ReplyCommands { item, actions } => format!("Reply with one of these commands:\n{}", super::reply_commands(*item, actions)),
        Msg::ButtonView => "👁 View".into(),
        Msg::ButtonReleaseBlurred => "Release blurred".into(),
        Msg::ButtonReleaseOriginal => "Release original".into(),
        Msg::ButtonDiscard => "🗑 Discard".into(),
        Msg::ReviewEmpty => "No blocked photos are waiting for review.".into(),
        Msg::ReviewDone { what } => format!("Done: {what}."),
        Msg::ReviewFinished { action } => text(&Msg::ReviewDone {
            what: match action {
                crate::ReviewAction::View => "view",
                crate::ReviewAction::ReleaseBlurred => "released_blurred",
                crate::ReviewAction::ReleaseOriginal => "released_original",
                crate::ReviewAction::Discard => "discarded",
            },
        }),
        Msg::ReviewStale => "This photo has already been handled or no longer exists.".into(),
        Msg::ReviewOriginalNotAllowed => "The original cannot be released: the tagged clients' consent does not allow it now.".into(),
        Msg::ReviewReleaseFailed => "This photo could not be prepared for release, so nothing was posted; it is still waiting for review. Try again, or discard it.".into(),
        Msg::ReleasedBy { sender, caption } => match caption {
            Some(c) => format!("📷 From {sender} (released after review)\n{c}"),
            None => format!("📷 From {sender} (released after review)"),
        },
        Msg::NotAllowed { needed } => format!("Only a photo-guard {} can do that.", role_name(*needed)),
        Msg::PrivateOnly => "Use this command in a private chat with me.".into(),
        Msg::GroupOnly => "Use this command in the group it is about.".into(),
        Msg::NoDeleteRights => "⚠️ I cannot delete messages here, so I cannot protect client photos. A group admin must make me an admin with the right to delete messages.".into(),
        Msg::NoDeleteRightsAdmin { chat } => format!("⚠️ I lack the right to delete messages in \"{chat}\": photos there are NOT being enforced. Make me an admin with \"Delete messages\"."),
        Msg::NowGuarding => "✅ I am now an admin with the right to delete messages: photos in this chat are guarded.".into(),
        Msg::NowGuardingAdmin { chat } => format!("✅ I am now guarding \"{chat}\": I am an admin there with \"Delete messages\"."),
        Msg::TooLargeInChat { sender, limit_mb } => format!("🚫 A file from {sender} was removed: it is over {limit_mb} MB, too large for me to check. Please share a smaller copy."),
        Msg::UncheckedAdmin { chat, sender, why } => format!("⚠️ A file from {sender} in \"{chat}\" could not be checked and was removed: {}. It was not kept; ask the sender to share it again if it is needed.", unchecked_text(*why)),
        Msg::UndeletableAdmin { chat, sender, link, message, why } => format!("⚠️ A photo from {sender} in \"{chat}\" should have been removed but could not be: {}. Please delete it by hand: {}", undeletable_text(*why), link.map(str::to_owned).unwrap_or_else(|| format!("message #{message} (a basic group has no links)"))),
        Msg::DetectorDegraded => "⚠️ The CenterFace model is missing: I am detecting faces with rustface alone, which misses many small and turned faces. Run scripts/fetch-model and restart.".into(),
        Msg::ReportNeedsReply => "Reply to the message you want to report with /report.".into(),
        Msg::ReportThanks => "Thank you. The admins have been told.".into(),
        Msg::ReportAdmin { chat, reporter, link, message } => match link {
            Some(link) => format!("⚠️ {reporter} reported a message in \"{chat}\": {link}"),
            None => format!("⚠️ {reporter} reported a message in \"{chat}\": message {message}"),
        },
        Msg::Unnamed => "?".into(),
        Msg::Usage { command } => usage(command),
        Msg::CommandProblem { problem, command } => format!("Not understood: {}. {}", problem_text(problem), usage(command)),
        Msg::UntilInPast { until } => format!("Not recorded: until={until} is already past."),
        Msg::ConsentRecorded { code, level, until } => format!("Recorded: {code} consent {}{}.", level_name(*level), until.map(|u| format!(" until {u}")).unwrap_or_default()),
        Msg::Withdrawn { code } => format!("Recorded: consent for {code} is withdrawn. Photos tagged {code} will be blocked."),
        Msg::UnknownClient { code } => format!("No client with code {code} is registered."),
        Msg::ClientHistory { code, state, lines } => {
            let mut out = format!("{code}: {}\n", state_name(*state));
            for l in lines.iter() {
                out.push_str(&format!("• {}: {}\n", l.when, l.what));
            }
            out
        }
        Msg::ClientList { rows: [] } => "No clients are registered yet.".into(),
        Msg::ClientList { rows } => rows.iter().map(|(c, s)| format!("{c}: {}", state_name(*s))).collect::<Vec<_>>().join("\n"),
        Msg::Granted { user, role } => format!("User {user} is now a {}.", role_name(*role)),
        Msg::Ungranted { user } => format!("User {user} no longer has a role."),
        Msg::UngrantNothing { user } => format!("User {user} had no role."),
        Msg::UngrantConfigAdmin { user } => format!("User {user} is an admin named in the configuration (ADMIN_USER_IDS) and cannot be removed here."),
        Msg::PolicyShown { policy } => format!("This chat's policy: {}", policy_line(policy)),
        Msg::PolicySet { policy } => format!("Policy saved: {}", policy_line(policy)),
        Msg::AuditCaption { days } => format!("Audit log, last {days} days."),
        Msg::StatsHeader => "chat: checked / allowed / blurred / blocked".into(),
        Msg::Stats { rows } => super::stats_table(crate::Lang::En, rows),
        Msg::StatsEmpty => "No photos checked yet.".into(),
        Msg::TakedownDone { code, removed, replaced, by_hand } => {
            let mut out = format!("Earlier photos of {code}: {removed} removed from the chats, {replaced} replaced by a blurred copy.");
            if !by_hand.is_empty() {
                out.push_str(&format!("\n{} could not be removed by me (older than 48 hours, or refused). Ask the chat's admins to delete them by hand:", by_hand.len()));
                for link in by_hand.iter() {
                    out.push_str(&format!("\n• {link}"));
                }
            }
            out
        }
        Msg::ByHandPlace { chat, at } => format!("the photo of {at} in the group «{chat}»"),
        Msg::Digest { expiring, expired } => {
            let mut out = String::from("📅 Consent digest");
            if expiring.is_empty() {
                out.push_str("\nNo consent ends within 14 days.");
            } else {
                out.push_str("\nEnding within 14 days:");
                super::digest_lines(&mut out, expiring, "renew with");
            }
            if !expired.is_empty() {
                out.push_str("\n\nEnded since the last digest (photos tagged with them are now blocked):");
                super::digest_lines(&mut out, expired, "renew with");
            }
            out
        }
        Msg::StatsChart { chats, from, to } => format!("Per chat and week, {from} to {to} (weeks from Monday, oldest left): green allowed, amber blurred, red blocked. Panels top to bottom: {}.", super::chat_list(chats)),
        Msg::SubjectCaption { code, due } => format!("Everything photo-guard holds about {code}: consent records, every share (chat, time, verdict), quarantined items (without the photos) and the audit entries naming the code. Other clients are left out. The answer to the client is due by {due} (3×24 hours)."),
        Msg::Erased { code, erased } => format!("Erased for {code}: {} quarantined photo(s), {} file reference(s), {} unposted copy(ies). Kept as proof: the consent records, the list of checked shares and the audit log.", erased.quarantined, erased.files, erased.copies),
        Msg::BreachAdmin { id, due, what } => format!("⚠️ Data breach incident #{id}: {what}\nThe notice is due by {due} (3×24 hours). /breach {id} drafts it."),
        Msg::BreachReminder { id, due, hours_left } => format!("⏰ Incident #{id}: {hours_left} hours left to send the breach notice (due {due}). /breach {id} drafts it."),
        Msg::BreachNotice { draft } => format!("NOTICE OF A PERSONAL DATA BREACH (draft, incident #{})\n\nWhat was exposed: {}\nWhen: {} (noticed {})\nClients concerned (by code): {}\nWhat was done: {}\nWhat the client can do: contact the agency to ask what is held about them and to have it corrected or deleted.\n\nComplete, sign and send to the clients concerned (or their guardians) and to the authority by {}.", draft.id, draft.what, draft.when, draft.opened, super::clients_or_none(&draft.clients, "none named yet"), draft.done.join("; "), draft.due),
        Msg::UnknownIncident { id } => format!("There is no incident #{id}."),
        Msg::ReblurredCaption { tags } => format!("📷 Faces blurred after a change of consent {tags}"),
        Msg::TryAgainLater => "Something went wrong on my side; nothing was changed. Please try again later.".into(),
        Msg::UngrantConfigAdminWhatsApp { user } => format!("User {user} is an admin named in the configuration (WHATSAPP_ADMINS) and cannot be removed here."),
        Msg::NotAWhatsAppNumber { given } => format!("\"{given}\" is not a WhatsApp number in international form (country code first, e.g. 6281234567890)."),
        Msg::ViewBlurredOnWhatsApp { item } => format!("👁 Photo/video #{item}, blurred. WhatsApp cannot protect the original from being forwarded or saved, so it was not sent. To see the original WITHOUT protection, send: /view {item} original"),
        Msg::ViewOriginalUnprotected { item } => format!("⚠️ Photo/video #{item}, the original, WITHOUT protection: do not forward or save it. Delete this message once reviewed."),
    }
}

fn unchecked_text(why: Unchecked) -> String {
    match why {
        Unchecked::TooLarge { limit_mb } => {
            format!("it is over {limit_mb} MB, too large to download")
        }
        Unchecked::Refused => "Telegram refused to hand the file over".into(),
        Unchecked::GaveUp { tries } => format!("the download failed {tries} times"),
        Unchecked::NoFile => {
            "there is no file the bot can fetch (a forwarded story, a paid preview)".into()
        }
    }
}

fn undeletable_text(why: Undeletable) -> &'static str {
    match why {
        Undeletable::TooOld => {
            "it is older than 48 hours, and Telegram lets bots delete only newer messages"
        }
        Undeletable::NoRight => {
            "I lack the right to delete messages there: make me an admin with \"Delete messages\""
        }
        Undeletable::Unknown => "Telegram refused to delete it",
    }
}

fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::ConsentRefused { client, .. } => format!("client {client} refused consent"),
        Reason::ConsentWithdrawn { client, .. } => format!("client {client} withdrew consent"),
        Reason::ConsentExpired { client, .. } => format!("client {client}'s consent has expired"),
        Reason::NoConsent { client } => format!("client {client} has no consent in force"),
        Reason::Unreadable { .. } => {
            "the photo could not be checked (unreadable, too large, or a detector error)".into()
        }
        Reason::UntaggedFaces { faces } => format!("{faces} face(s) and no client tagged"),
        Reason::PublicChat { .. } => "this chat is public-facing".into(),
        Reason::BlurredConsent { client } => {
            format!("client {client} allows sharing only with faces blurred")
        }
        Reason::FullConsent { .. } => "every tagged client has full consent".into(),
        Reason::NoFaces => "no face found".into(),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Coordinator => "coordinator",
    }
}

fn level_name(level: ConsentLevel) -> &'static str {
    match level {
        ConsentLevel::Full => "full",
        ConsentLevel::Blurred => "blurred (faces hidden)",
        ConsentLevel::Refused => "refused",
    }
}

fn state_name(state: ClientState) -> &'static str {
    match state {
        ClientState::InForce => "in force",
        ClientState::ExpiringSoon => "in force, expiring within 30 days",
        ClientState::Expired => "expired",
        ClientState::Withdrawn => "withdrawn",
        ClientState::Refused => "refused",
        ClientState::NotYet => "no consent in force yet",
    }
}

fn policy_line(p: &ChatPolicy) -> String {
    let remind = p
        .remind_days
        .map(|d| format!("{d}d"))
        .unwrap_or_else(|| "off".into());
    format!(
        "mode={} untagged={} kind={} lang={} remind={remind}",
        p.mode.as_str(),
        p.untagged.as_str(),
        p.kind.as_str(),
        p.lang.as_str()
    )
}

fn usage(command: &str) -> String {
    match command {
        "consent" => "Usage: /consent CODE full|blurred|refused [until=YYYY-MM-DD] [by=client|guardian] [evidence=TEXT] [purpose=TEXT]".into(),
        "withdraw" => "Usage: /withdraw CODE [reason]".into(),
        "client" => "Usage: /client CODE".into(),
        "subject" => "Usage: /subject CODE".into(),
        "erase" => "Usage: /erase CODE".into(),
        "breach" => "Usage: /breach WHAT HAPPENED (opens an incident) or /breach N (drafts its notice)".into(),
        "grant" => "Usage: /grant USER_ID coordinator|admin".into(),
        "ungrant" => "Usage: /ungrant USER_ID".into(),
        "policy" => "Usage: /policy [mode=enforce|observe] [untagged=blur|block] [kind=team|public] [lang=id|en] [remind=Nd|off]".into(),
        "audit" => "Usage: /audit [days]".into(),
        "view" => "Usage: /view N [original]".into(),
        other => format!("Usage: /{other}"),
    }
}

/// A command's line in `/help` (see `command/table.rs`).
fn help_line(command: &str) -> String {
    let line = match command {
        "rules" => "/rules: the photo rules",
        "report" => "/report (as a reply, in a group): report a message to the admins",
        "help" => "/help: what you can do here",
        "start" => "/start: about me",
        "consent" => "/consent CODE LEVEL [until=…] [by=…] [evidence=…] [purpose=…]",
        "withdraw" => "/withdraw CODE [reason]",
        "client" => "/client CODE: a client's history",
        "clients" => "/clients: all clients",
        "review" => "/review: blocked photos",
        "grant" => "/grant USER_ID coordinator|admin",
        "ungrant" => "/ungrant USER_ID",
        "policy" => "/policy [mode=…] [untagged=…] [kind=…] [lang=…] [remind=…] (in a group)",
        "audit" => "/audit [days]: the audit log (CSV)",
        "stats" => "/stats: statistics",
        "subject" => "/subject CODE: everything held about a client, as a file",
        "erase" => "/erase CODE: erase a client's photos, keep the proof",
        "breach" => "/breach WHAT HAPPENED: open a breach incident; /breach N: draft its notice",
        other => return format!("/{other}"),
    };
    line.into()
}

/// A command's entry in the commands menu (see `command/table.rs`).
fn menu_entry(command: &str) -> String {
    let entry = match command {
        "rules" => "photo rules",
        "report" => "report a message (reply)",
        "help" => "help",
        "start" => "about",
        "consent" => "record consent",
        "withdraw" => "withdraw consent",
        "client" => "client history",
        "clients" => "all clients",
        "review" => "blocked photos",
        "grant" => "grant a role",
        "ungrant" => "remove a role",
        "policy" => "chat policy",
        "audit" => "audit log (CSV)",
        "stats" => "statistics",
        "subject" => "a client's data (file)",
        "erase" => "erase a client's data",
        "breach" => "data breach",
        other => return format!("/{other}"),
    };
    entry.into()
}

fn help_section(role: Role) -> String {
    match role {
        Role::Coordinator => "Coordinator (private chat):".into(),
        Role::Admin => "Admin:".into(),
    }
}

fn problem_text(p: &Problem) -> String {
    match p {
        Problem::BadCode(_) => "a client code is 2 to 32 letters, digits or _".into(),
        Problem::BadLevel(v) => {
            format!("\"{v}\" is not a consent level (full, blurred or refused)")
        }
        Problem::BadDate(v) => format!("\"{v}\" is not a real date written YYYY-MM-DD"),
        Problem::BadUserId(v) => format!("\"{v}\" is not a user id (a positive number)"),
        Problem::BadRole(v) => format!("\"{v}\" is not a role (coordinator or admin)"),
        Problem::BadValue {
            key,
            value,
            expected,
        } => format!("\"{value}\" is not a valid {key} ({expected})"),
        Problem::UnknownOption { key } => format!("unknown option \"{key}\""),
        Problem::RepeatedOption { key } => format!("{key}= is given more than once"),
        Problem::MissingValue { key } => format!("{key}= has no value"),
        Problem::MissingArgument { what } => format!("missing {}", arg_name(*what)),
        Problem::TooManyArguments { extra } => format!("unexpected \"{extra}\""),
        Problem::UnquotedValue { key } => format!("the {key} has spaces: put it in double quotes"),
        Problem::TooLong { key, max } => format!("the {key} is longer than {max} characters"),
        Problem::UnterminatedQuote => "a double quote is not closed".into(),
        Problem::ControlCharacter(c) => {
            format!("the text holds an invisible control character (U+{c:04X})")
        }
    }
}

fn arg_name(arg: Arg) -> &'static str {
    match arg {
        Arg::Code => "the client code",
        Arg::Level => "the consent level",
        Arg::UserId => "the user id",
        Arg::Role => "the role",
        Arg::Description => "what happened",
    }
}
