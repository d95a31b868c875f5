//! Command messages: parse, check who may run it and where, then hand over
//! to the handler for its group. A refusal changes nothing and says why in
//! one line.

mod admin;
mod breach;
mod coordinator;
mod member;

use photo_guard_core::command::{parse, Command};
use photo_guard_core::texts::{refusal, Msg};
use photo_guard_core::{
    Caller, ChatId as CoreChat, ChatPlatform, Lang, OutgoingFile, Role, UserId as CoreUser,
};
use teloxide::types::Message;

use crate::app::App;

/// Who sent a command, where, and in which language to answer.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub msg: &'a Message,
    pub user: CoreUser,
    pub role: Option<Role>,
    pub lang: Lang,
}

impl Ctx<'_> {
    pub async fn reply(&self, msg: Msg<'_>) {
        self.app
            .say_with(self.msg.chat.id, self.lang, msg, self.msg.thread_id, None)
            .await;
    }

    /// Sends an answer the core already rendered.
    pub async fn say(&self, body: String) {
        let chat = self.msg.chat.id;
        self.app
            .send_text(chat, body, self.msg.thread_id, None)
            .await;
    }

    /// Who asked and where, as the core's services name it.
    pub fn caller(&self) -> Caller {
        Caller {
            user: self.user,
            chat: CoreChat(self.msg.chat.id.0),
        }
    }

    /// Sends a file to the caller privately through the platform port
    /// (Telegram's content protection: it holds client data): the audit
    /// CSV, a client's data. Only private commands send files, so the
    /// caller's private chat is this chat.
    pub async fn send_file(&self, file: OutgoingFile, caption: String) {
        let sent = self.app.platform.send_file(self.user, file, &caption).await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "could not send a file");
        }
    }
}

pub async fn handle(app: &App, msg: &Message) {
    let Some(body) = msg.text() else { return };
    let Some(parsed) = parse(body, &app.username) else {
        return;
    };
    let Some(from) = msg.from.as_ref() else {
        return;
    };
    let private = msg.chat.is_private();
    let lang = if private {
        App::user_lang(Some(from))
    } else {
        app.chat_lang(msg.chat.id).await
    };
    if private {
        // Issue 23: what the bot tells them unasked (the digest) follows.
        let digests = &app.services.digests;
        digests.wrote_in(CoreUser(from.id.0 as i64), lang).await;
    }
    let role = app.role(from.id).await;
    let ctx = Ctx {
        app,
        msg,
        user: CoreUser(from.id.0 as i64),
        role,
        lang,
    };
    let command = match parsed {
        Ok(c) => c,
        Err(e) => {
            return ctx
                .reply(Msg::CommandProblem {
                    problem: e.problem(),
                    command: e.command(),
                })
                .await;
        }
    };
    let roles = &app.services.roles;
    let permit = roles.authorize(ctx.caller(), role, &command, private).await;
    match refusal(permit) {
        None => dispatch(&ctx, command).await,
        Some(refused) => ctx.reply(refused).await,
    }
}

async fn dispatch(ctx: &Ctx<'_>, command: Command) {
    match command {
        Command::Start => member::start(ctx).await,
        Command::Help => member::help(ctx).await,
        Command::Rules => ctx.reply(Msg::Rules).await,
        Command::Report => member::report(ctx).await,
        Command::Consent(args) => coordinator::consent(ctx, args).await,
        Command::Withdraw { code, reason } => coordinator::withdraw(ctx, code, reason).await,
        Command::Client { code } => coordinator::client(ctx, code).await,
        Command::Clients => coordinator::clients(ctx).await,
        Command::Subject { code } => coordinator::subject(ctx, code).await,
        Command::Erase { code } => admin::erase(ctx, code).await,
        Command::Breach(args) => breach::breach(ctx, args).await,
        Command::Review => admin::review(ctx).await,
        Command::Grant { user, role } => admin::grant(ctx, user, role).await,
        Command::Ungrant { user } => admin::ungrant(ctx, user).await,
        Command::Policy(args) => admin::policy(ctx, args).await,
        Command::Audit { days } => admin::audit(ctx, days).await,
        Command::Stats => admin::stats(ctx).await,
        Command::Unknown(_) => {}
    }
}
