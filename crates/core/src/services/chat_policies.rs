//! Each guarded chat's policy: shown, or changed with `/policy` and its
//! audit entry; and the chat's language for everything said there.

use std::sync::Arc;

use super::{AuditTrail, Caller};
use crate::command::PolicyArgs;
use crate::store::{PolicyStore, StoreResult};
use crate::{AuditAction, ChatId, ChatPolicy, Lang};

/// What `/policy` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum PolicyOutcome {
    /// Nothing asked to change: the policy as it stands.
    Shown(ChatPolicy),
    /// The policy as saved.
    Set(ChatPolicy),
}

pub struct ChatPolicies {
    policies: Arc<dyn PolicyStore>,
    audit: AuditTrail,
}

impl ChatPolicies {
    pub fn new(policies: Arc<dyn PolicyStore>, audit: AuditTrail) -> Self {
        Self { policies, audit }
    }

    /// The chat's language; Indonesian when the store cannot say.
    pub async fn lang(&self, chat: ChatId) -> Lang {
        chat_lang(self.policies.as_ref(), chat).await
    }

    /// Shows the caller's chat's policy, or sets what `args` name. `title`
    /// is the chat's name, remembered with it.
    pub async fn apply(
        &self,
        caller: Caller,
        title: &str,
        args: &PolicyArgs,
    ) -> StoreResult<PolicyOutcome> {
        let current = self.policies.chat_policy(caller.chat).await?;
        if args.is_show() {
            return Ok(PolicyOutcome::Shown(current));
        }
        let updated = args.apply(&current);
        self.policies.set_chat_policy(caller.chat, &updated).await?;
        // The chat list only feeds reminders and `doctor`: the policy stands.
        if let Err(e) = self.policies.touch_chat(caller.chat, title).await {
            tracing::warn!(error = %e, "cannot remember the chat");
        }
        let detail = serde_json::json!({ "policy": updated });
        self.audit
            .record(
                AuditAction::PolicySet,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(PolicyOutcome::Set(updated))
    }
}

/// A chat's language; Indonesian when the store cannot say.
pub(crate) async fn chat_lang(policies: &dyn PolicyStore, chat: ChatId) -> Lang {
    policies
        .chat_policy(chat)
        .await
        .map(|p| p.lang)
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "chat_policies_tests.rs"]
mod tests;
