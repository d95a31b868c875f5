//! Taking earlier shares down when consent changes (issue 23, UU PDP Art. 40
//! and 43): a withdrawal or a refusal takes down every message that still
//! shows the client; a downgrade from `full` to `blurred` replaces each
//! allowed original by a blurred copy. What is past Telegram's 48 hours is
//! listed for the chat's admins to remove by hand. Every removal is audited
//! with the consent record it followed. The plan is made and recorded here;
//! `takedown_run.rs` carries it out on the platforms.

use std::sync::Arc;

use super::{AuditTrail, Caller};
use crate::exposure::{Shown, ShownKind};
use crate::store::{ConsentStore, ExposureStore, PolicyStore, StoreResult};
use crate::{
    current_consent, AuditAction, ClientCode, ConsentEvent, ConsentLevel, ConsentRecord,
    CurrentConsent, Guard, MessageId, Moment, PlatformRouter, RecordId, Verdict,
};

/// How a new consent record narrows what may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentChange {
    /// Withdrawn, or changed to `refused`: nothing may show the client.
    Stopped,
    /// From `full` to `blurred`: allowed originals must become blurred copies.
    Narrowed,
}

/// What to do about the messages still showing a client.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Plan {
    pub client: ClientCode,
    /// The consent record being followed.
    pub record: RecordId,
    /// To delete.
    pub remove: Vec<Shown>,
    /// Allowed originals to replace by a blurred copy.
    pub reblur: Vec<Shown>,
    /// Past the delete window: for the chat's admins.
    pub too_old: Vec<Shown>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.remove.is_empty() && self.reblur.is_empty() && self.too_old.is_empty()
    }
}

/// How the change brought by record `record` narrows the client's consent,
/// against what was in force without it; `None` when it does not.
pub fn change_of(
    history: &[ConsentRecord],
    record: RecordId,
    now: Moment,
) -> Option<ConsentChange> {
    let new = history.iter().find(|r| r.id == record)?;
    let level = match &new.event {
        ConsentEvent::Withdrawn { .. } => return Some(ConsentChange::Stopped),
        ConsentEvent::Granted(g) => g.level,
    };
    let earlier: Vec<ConsentRecord> = history.iter().filter(|r| r.id != record).cloned().collect();
    let before = match current_consent(&earlier, now) {
        CurrentConsent::InForce { level, .. } => Some(level),
        _ => None,
    };
    match (before, level) {
        (_, ConsentLevel::Refused) => Some(ConsentChange::Stopped),
        (Some(ConsentLevel::Full), ConsentLevel::Blurred) => Some(ConsentChange::Narrowed),
        _ => None,
    }
}

/// Sorts what shows the client into the plan: a narrowing touches only
/// allowed originals with faces (a copy is blurred already).
pub fn plan_for(
    client: &ClientCode,
    record: RecordId,
    change: ConsentChange,
    shown: Vec<Shown>,
    now: Moment,
) -> Plan {
    let mut plan = Plan {
        client: client.clone(),
        record,
        remove: Vec::new(),
        reblur: Vec::new(),
        too_old: Vec::new(),
    };
    for s in shown {
        let concerned = match change {
            ConsentChange::Stopped => true,
            ConsentChange::Narrowed => {
                s.kind == ShownKind::Original && s.verdict == Verdict::Allow && s.faces > 0
            }
        };
        match (concerned, s.too_old(now.now), change) {
            (false, _, _) => {}
            (true, true, _) => plan.too_old.push(s),
            (true, false, ConsentChange::Stopped) => plan.remove.push(s),
            (true, false, ConsentChange::Narrowed) => plan.reblur.push(s),
        }
    }
    plan
}

/// What carrying a plan out needs besides the store: the platforms, the
/// guard for a downgrade's copy (its photo pipeline and video tool, on their
/// permits), the chats' languages for its caption.
pub struct Acting {
    pub platforms: Arc<PlatformRouter>,
    pub guard: Arc<Guard>,
    pub policies: Arc<dyn PolicyStore>,
}

pub struct Takedowns {
    consents: Arc<dyn ConsentStore>,
    exposure: Arc<dyn ExposureStore>,
    pub(super) audit: AuditTrail,
    pub(super) platforms: Arc<PlatformRouter>,
    pub(super) guard: Arc<Guard>,
    pub(super) policies: Arc<dyn PolicyStore>,
}

impl Takedowns {
    pub fn new(
        consents: Arc<dyn ConsentStore>,
        exposure: Arc<dyn ExposureStore>,
        audit: AuditTrail,
        acting: Acting,
    ) -> Self {
        Self {
            consents,
            exposure,
            audit,
            platforms: acting.platforms,
            guard: acting.guard,
            policies: acting.policies,
        }
    }

    /// The plan for the client after record `record`; `None` when the record
    /// narrows nothing.
    pub async fn plan(&self, client: &ClientCode, record: RecordId) -> StoreResult<Option<Plan>> {
        let now = self.audit.now();
        let history = self.consents.consent_history(client).await?;
        let Some(change) = change_of(&history, record, now) else {
            return Ok(None);
        };
        let shown = self.exposure.shown_with(client).await?;
        Ok(Some(plan_for(client, record, change, shown, now)))
    }

    /// Remembers the platform's file of a photo being checked.
    pub async fn note_file(
        &self,
        chat: crate::ChatId,
        message: MessageId,
        file: &str,
    ) -> StoreResult<()> {
        self.exposure.note_media(chat, message, file).await
    }

    /// The platform's file of an original, to blur it again.
    pub async fn media_file(&self, shown: &Shown) -> StoreResult<Option<String>> {
        self.exposure.media_file(shown.chat, shown.message).await
    }

    /// `shown` was deleted (or was already gone) following the plan.
    pub async fn removed(&self, caller: Caller, plan: &Plan, shown: &Shown) -> StoreResult<()> {
        let at = self.audit.now().now;
        self.exposure
            .record_takedown(shown.chat, shown.message, plan.record, at)
            .await?;
        self.audited(AuditAction::ConsentTakedown, caller, plan, shown, None)
            .await;
        Ok(())
    }

    /// `shown` was replaced by the blurred copy `copy`.
    pub async fn replaced(
        &self,
        caller: Caller,
        plan: &Plan,
        shown: &Shown,
        copy: MessageId,
    ) -> StoreResult<()> {
        let at = self.audit.now().now;
        self.exposure
            .record_replacement(shown.chat, copy, shown.share, at)
            .await?;
        self.exposure
            .record_takedown(shown.chat, shown.message, plan.record, at)
            .await?;
        let extra = Some(serde_json::json!(copy.0));
        self.audited(AuditAction::ConsentReblurred, caller, plan, shown, extra)
            .await;
        Ok(())
    }

    /// `shown` could not be taken down: left for the chat's admins.
    pub async fn left(&self, caller: Caller, plan: &Plan, shown: &Shown, why: &str) {
        let extra = Some(serde_json::json!(why));
        self.audited(AuditAction::ConsentTakedownLeft, caller, plan, shown, extra)
            .await;
    }

    async fn audited(
        &self,
        action: AuditAction,
        caller: Caller,
        plan: &Plan,
        shown: &Shown,
        extra: Option<serde_json::Value>,
    ) {
        let mut detail = serde_json::json!({
            "client": plan.client,
            "record": plan.record.0,
            "chat": shown.chat.0,
            "message": shown.message.0,
            "kind": shown.kind.as_str(),
            "share": shown.share.0,
        });
        if let Some(extra) = extra {
            let key = match action {
                AuditAction::ConsentReblurred => "copy",
                _ => "why",
            };
            detail[key] = extra;
        }
        self.audit
            .record(action, Some(caller.user), Some(shown.chat), detail)
            .await;
    }
}

#[cfg(test)]
#[path = "takedowns_tests.rs"]
mod tests;
