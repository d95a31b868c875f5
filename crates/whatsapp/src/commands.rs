//! Commands sent to the bot's number, in a person's own chat or in a group,
//! through the core's parser and role check, answered where they came from
//! with the core's texts. Review is by reply commands (`review`); the
//! commands naming a person or sending a file are in `admin`, `/breach` in
//! `breach`. Every command the table offers is answered.

use photo_guard_core::command::{parse, Command, PolicyArgs};
use photo_guard_core::services::{answers, Caller, PolicyOutcome};
use photo_guard_core::texts::{refusal, text, Msg};
use photo_guard_core::{AuditAction, ChatPlatform, Lang, Place};

use crate::admin::{self, Asker};
use crate::app::App;
use crate::event::WaMessage;
use crate::review::{parse_reply, pending, review_reply};

/// Where a command came from, and the language to answer in.
struct Asked<'a> {
    app: &'a App,
    msg: &'a WaMessage,
    caller: Caller,
    private: bool,
    lang: Lang,
}

pub async fn handle(app: &App, msg: &WaMessage) {
    let Some(asked) = asked(app, msg).await else {
        return;
    };
    let body = msg.body.as_deref().unwrap_or("").trim();
    let lang = asked.lang;
    let answer = match (parse_reply(body), asked.private) {
        (Some(Ok(reply)), true) => review_reply(app, asked.caller.user, reply).await,
        (Some(Err(command)), true) => Some(text(lang, &Msg::Usage { command })),
        (Some(_), false) => Some(text(lang, &Msg::PrivateOnly)),
        (None, _) => other(&asked, body).await,
    };
    // `None`: the answer went already (a file, a photo shown).
    if let Some(answer) = answer {
        answer_with(&asked, &answer).await;
    }
}

async fn asked<'a>(app: &'a App, msg: &'a WaMessage) -> Option<Asked<'a>> {
    let user = app.ids().user(msg.sender()).await.ok()?;
    let private = !msg.in_group();
    // A person's own chat has their id.
    let chat = match private {
        true => photo_guard_core::ChatId(user.0),
        false => app.ids().chat(&msg.from).await.ok()?,
    };
    let lang = match private {
        true => Lang::Id,
        false => app.services.policies.lang(chat).await,
    };
    let caller = Caller { user, chat };
    Some(Asked {
        app,
        msg,
        caller,
        private,
        lang,
    })
}

async fn answer_with(asked: &Asked<'_>, answer: &str) {
    let platform = &asked.app.platform;
    let sent = match asked.private {
        true => platform.tell_user(asked.caller.user, answer).await,
        false => {
            let place = Place {
                chat: asked.caller.chat,
                thread: None,
            };
            platform.post_text(place, answer).await.map(|_| ())
        }
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "cannot answer a WhatsApp command");
    }
}

/// The answer to a table command; `None` when it was a file, sent already.
async fn other(asked: &Asked<'_>, body: &str) -> Option<String> {
    let (s, lang, caller) = (&asked.app.services, asked.lang, asked.caller);
    let role = s.roles.role_of(caller.user).await;
    let help = Msg::Help {
        role,
        private: asked.private,
    };
    let command = match parse(body, "") {
        Some(Ok(command)) => command,
        Some(Err(e)) => {
            let problem = Msg::CommandProblem {
                problem: e.problem(),
                command: e.command(),
            };
            return Some(text(lang, &problem));
        }
        None => return Some(text(lang, &help)),
    };
    let permit = s
        .roles
        .authorize(caller, role, &command, asked.private)
        .await;
    if let Some(refused) = refusal(permit) {
        return Some(text(lang, &refused));
    }
    let a = Asker {
        app: asked.app,
        caller,
        lang,
    };
    Some(match command {
        Command::Consent(args) => answers::consent(s, caller, &args, lang).await,
        Command::Withdraw { code, reason } => {
            answers::withdraw(s, caller, &code, reason, lang).await
        }
        Command::Client { code } => answers::client(s, &code, lang).await,
        Command::Clients => answers::clients(s, lang).await,
        Command::Stats => return admin::stats(&a).await,
        Command::Review => pending(asked.app, lang).await,
        Command::Policy(args) => policy(asked, &args).await,
        Command::Report => report(asked).await,
        Command::Rules => text(lang, &Msg::Rules),
        Command::Start => text(lang, &Msg::Start),
        Command::Grant { user, role } => admin::grant(&a, body, user, role).await,
        Command::Ungrant { user } => admin::ungrant(&a, body, user).await,
        Command::Audit { days } => return admin::audit(&a, days).await,
        Command::Subject { code } => return admin::subject(&a, &code).await,
        Command::Erase { code } => admin::erase(&a, &code).await,
        Command::Breach(args) => return crate::breach::breach(&a, args).await,
        Command::Help | Command::Unknown(_) => text(lang, &help),
    })
}

/// In a group: shows its policy, or sets what the arguments name (answered
/// in the language just chosen).
async fn policy(asked: &Asked<'_>, args: &PolicyArgs) -> String {
    let policies = &asked.app.services.policies;
    let title = asked.app.platform.group_name(&asked.msg.from).await;
    match policies.apply(asked.caller, &title, args).await {
        Ok(PolicyOutcome::Shown(policy)) => text(asked.lang, &Msg::PolicyShown { policy: &policy }),
        Ok(PolicyOutcome::Set(p)) => text(p.lang, &Msg::PolicySet { policy: &p }),
        Err(e) => {
            tracing::error!(error = %e, "a policy command failed");
            text(asked.lang, &Msg::TryAgainLater)
        }
    }
}

/// As a reply in a group: tells the admins which message, and audits it.
async fn report(asked: &Asked<'_>) -> String {
    let lang = asked.lang;
    if asked.private {
        return text(lang, &Msg::GroupOnly);
    }
    let Some(target) = asked.msg.reply_to.as_ref() else {
        return text(lang, &Msg::ReportNeedsReply);
    };
    let app = asked.app;
    let reporter = asked.msg.sender_name();
    // WhatsApp has no message links: the admins get WhatsApp's own id of
    // the message, which they can find it by.
    let message = app.ids().message(&target.id).await.map(|m| m.0).ok();
    let chat = app.platform.group_name(&asked.msg.from).await;
    let body = Msg::ReportAdmin {
        chat: &chat,
        reporter: &reporter,
        link: Some(&target.id),
        message: message.unwrap_or_default(),
    };
    for admin in app.admins().await {
        let _ = app.platform.tell_user(admin, &text(lang, &body)).await;
    }
    let detail = serde_json::json!({ "message": message });
    let trail = &app.services.audit;
    let (user, chat) = (asked.caller.user, asked.caller.chat);
    trail
        .record(AuditAction::ReportMade, Some(user), Some(chat), detail)
        .await;
    text(lang, &Msg::ReportThanks)
}
