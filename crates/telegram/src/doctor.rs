//! What `photo-guard doctor` asks Telegram: is the token good, and in each
//! guarded chat can the bot see photos and delete them.

use teloxide::prelude::*;
use teloxide::types::{ChatId, ChatMemberKind};

use crate::{bot, TelegramSettings};

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub ok: bool,
    pub what: String,
}

impl Finding {
    fn ok(what: impl Into<String>) -> Self {
        Self {
            ok: true,
            what: what.into(),
        }
    }
    fn fix(what: impl Into<String>) -> Self {
        Self {
            ok: false,
            what: what.into(),
        }
    }
}

pub async fn diagnose(settings: &TelegramSettings, chats: &[(i64, String)]) -> Vec<Finding> {
    let bot = match bot(settings) {
        Ok(b) => b,
        Err(e) => return vec![Finding::fix(e.to_string())],
    };
    let me = match bot.get_me().await {
        Ok(me) => me,
        Err(e) => {
            return vec![Finding::fix(format!(
                "token: getMe failed ({e}); check TELEGRAM_BOT_TOKEN with @BotFather"
            ))]
        }
    };
    let mut out = vec![Finding::ok(format!("token: the bot is @{}", me.username()))];
    let privacy_off = me.can_read_all_group_messages;
    for (chat, title) in chats {
        out.push(check_chat(&bot, me.id, ChatId(*chat), title, privacy_off).await);
    }
    if chats.is_empty() {
        out.push(Finding::ok(
            "chats: none guarded yet (add the bot to a group and make it an admin)",
        ));
    }
    out
}

async fn check_chat(
    bot: &Bot,
    me: teloxide::types::UserId,
    chat: ChatId,
    title: &str,
    privacy_off: bool,
) -> Finding {
    let name = format!("chat \"{title}\" ({})", chat.0);
    let member = match bot.get_chat_member(chat, me).await {
        Ok(m) => m,
        Err(e) => {
            return Finding::fix(format!(
                "{name}: cannot ask Telegram about it ({e}); is the bot still in it?"
            ))
        }
    };
    match member.kind {
        ChatMemberKind::Owner(_) => Finding::ok(format!("{name}: the bot is the owner")),
        ChatMemberKind::Administrator(a) if a.can_delete_messages => Finding::ok(format!("{name}: admin, can delete messages")),
        ChatMemberKind::Administrator(_) => Finding::fix(format!("{name}: admin WITHOUT \"Delete messages\": give it that right")),
        _ if privacy_off => Finding::fix(format!("{name}: not an admin: it sees photos but cannot delete them; make it an admin with \"Delete messages\"")),
        _ => Finding::fix(format!("{name}: not an admin and privacy mode is on: it sees no photos; make it an admin with \"Delete messages\"")),
    }
}
