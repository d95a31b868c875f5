//! The chats the bot is in: remembered when it joins or its standing
//! changes (for the reminders and `doctor`); a change of standing audited
//! and told (the chat warned when the bot cannot delete there, at most once
//! per chat until it guards again; the admins every time); and a group that
//! became a supergroup under a new id moved with its policy (issue 17.5).

use std::sync::Arc;

use super::chat_policies::chat_lang;
use super::{AdminNotices, AuditTrail};
use crate::platform::{ChatPlatform, Place};
use crate::store::{PolicyStore, RoleStore, StoreResult};
use crate::texts::{text, Msg};
use crate::{AuditAction, ChatId, Standing, UserId, WorkState};

/// The bot's standing in a chat changed, as the platform reports it.
#[derive(Debug, Clone, Copy)]
pub struct StandingChange<'a> {
    pub chat: ChatId,
    pub title: &'a str,
    /// Who changed it (the platform's actor), if known.
    pub by: Option<UserId>,
    pub old: Standing,
    pub new: Standing,
}

pub struct Chats {
    policies: Arc<dyn PolicyStore>,
    audit: AuditTrail,
    admins: AdminNotices,
    work: Arc<dyn WorkState>,
}

impl Chats {
    pub fn new(
        policies: Arc<dyn PolicyStore>,
        roles: Arc<dyn RoleStore>,
        audit: AuditTrail,
        work: Arc<dyn WorkState>,
    ) -> Self {
        let admins = AdminNotices::new(roles, audit.clone());
        Self {
            policies,
            audit,
            admins,
            work,
        }
    }

    /// Remembers the chat and its title; a failure is logged (the chat list
    /// only feeds reminders and `doctor`).
    pub async fn seen(&self, chat: ChatId, title: &str) {
        if let Err(e) = self.policies.touch_chat(chat, title).await {
            tracing::error!(chat = chat.0, error = %e, "cannot record a chat");
        }
    }

    /// Acts on a change of the bot's standing; no change does nothing.
    pub async fn standing_changed(&self, platform: &dyn ChatPlatform, change: StandingChange<'_>) {
        let StandingChange { chat, title, .. } = change;
        if change.old == change.new {
            return;
        }
        if change.new != Standing::Absent {
            self.seen(chat, title).await;
        }
        let detail = serde_json::json!({ "from": change.old.code(), "to": change.new.code() });
        let action = AuditAction::ChatBotStatus;
        self.audit
            .record(action, change.by, Some(chat), detail)
            .await;
        match change.new {
            // Added without the right, or demoted: said every time it happens.
            Standing::Unguarded => {
                self.work.first_warning(chat);
                self.warn_unguarded(platform, Place::chat(chat)).await;
                let told = Msg::NoDeleteRightsAdmin { chat: title };
                self.admins.tell(platform, &told).await;
            }
            Standing::Guarding => {
                self.work.forget_warning(chat);
                let lang = chat_lang(self.policies.as_ref(), chat).await;
                let body = text(lang, &Msg::NowGuarding);
                let said = platform.post_text(Place::chat(chat), &body).await;
                log_failure(said.map(drop), chat);
                let told = Msg::NowGuardingAdmin { chat: title };
                self.admins.tell(platform, &told).await;
            }
            Standing::Absent => {}
        }
    }

    /// Says in the chat that photos there are not enforced, and what right
    /// is missing.
    pub async fn warn_unguarded(&self, platform: &dyn ChatPlatform, place: Place) {
        tracing::warn!(
            chat = place.chat.0,
            "no right to delete messages: photos are NOT enforced here"
        );
        let lang = chat_lang(self.policies.as_ref(), place.chat).await;
        let body = text(lang, &Msg::NoDeleteRights);
        let said = platform.post_text(place, &body).await;
        log_failure(said.map(drop), place.chat);
    }

    /// Moves the chat's policy and row from `from` to `to`; false when
    /// nothing was left to move (the second of Telegram's two notices).
    pub async fn migrated(
        &self,
        from: ChatId,
        to: ChatId,
        actor: Option<UserId>,
    ) -> StoreResult<bool> {
        if !self.policies.migrate_chat(from, to).await? {
            return Ok(false);
        }
        let detail = serde_json::json!({ "from": from.0, "to": to.0 });
        let action = AuditAction::ChatMigrated;
        self.audit.record(action, actor, Some(to), detail).await;
        Ok(true)
    }
}

fn log_failure(said: Result<(), crate::PlatformError>, chat: ChatId) {
    if let Err(e) = said {
        tracing::warn!(chat = chat.0, error = %e, "could not send a message");
    }
}

#[cfg(test)]
#[path = "chats_tests.rs"]
mod tests;
