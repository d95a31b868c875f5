//! The chats the bot is in: remembered when it joins or its standing
//! changes (for the reminders and `doctor`), and moved with their policy
//! when a group becomes a supergroup under a new id (issue 17.5), with the
//! move audited.

use std::sync::Arc;

use super::AuditTrail;
use crate::store::{PolicyStore, StoreResult};
use crate::{AuditAction, ChatId, UserId};

pub struct Chats {
    policies: Arc<dyn PolicyStore>,
    audit: AuditTrail,
}

impl Chats {
    pub fn new(policies: Arc<dyn PolicyStore>, audit: AuditTrail) -> Self {
        Self { policies, audit }
    }

    /// Remembers the chat and its title; a failure is logged (the chat list
    /// only feeds reminders and `doctor`).
    pub async fn seen(&self, chat: ChatId, title: &str) {
        if let Err(e) = self.policies.touch_chat(chat, title).await {
            tracing::error!(chat = chat.0, error = %e, "cannot record a chat");
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::{trail, MemStore};
    use crate::ChatPolicy;

    #[tokio::test]
    async fn a_migrated_group_keeps_its_policy_under_the_new_id_and_the_move_is_audited_once() {
        // Issue 18: the migration is decided and audited in the core.
        let store = Arc::new(MemStore::default());
        let off = ChatPolicy {
            remind_days: None,
            ..ChatPolicy::default()
        };
        store.policies.lock().unwrap().insert(-5, off);
        let chats = Chats::new(store.clone(), trail(&store));
        let (from, to) = (ChatId(-5), ChatId(-1_005));
        assert!(chats.migrated(from, to, Some(UserId(3))).await.unwrap());
        assert_eq!(store.policies.lock().unwrap()[&to.0], off);
        assert!(!chats.migrated(from, to, None).await.unwrap());
        assert_eq!(store.actions(), ["chat.migrated"]);
    }
}
