//! The consent book: coordinators record and withdraw consent, and read a
//! client's state and history or every client's state. The "expiring within
//! 30 days" rule and the history lines live here, so every chat platform
//! shows the same.

use std::sync::Arc;

use super::{AuditTrail, Caller};
use crate::command::ConsentArgs;
use crate::store::{ConsentStore, StoreResult};
use crate::texts::{ClientState, ConsentLine};
use crate::{
    current_consent, AuditAction, ClientCode, ConsentEvent, ConsentLevel, ConsentRecord,
    CurrentConsent, Moment, NewConsent, RecordId,
};

/// A consent this close to its last day is "expiring soon".
const EXPIRING_WITHIN_DAYS: i64 = 30;

/// What `/consent` did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Recorded {
    Recorded {
        record: RecordId,
    },
    /// `until` is before today: nothing was recorded.
    UntilInPast,
}

/// What `/withdraw` did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Withdrawal {
    Withdrawn { record: RecordId },
    UnknownClient,
}

/// A client's consent now and every record, newest first.
#[derive(Debug, Clone)]
pub struct ClientView {
    pub state: ClientState,
    pub lines: Vec<ConsentLine>,
}

pub struct ConsentBook {
    consents: Arc<dyn ConsentStore>,
    audit: AuditTrail,
}

impl ConsentBook {
    pub fn new(consents: Arc<dyn ConsentStore>, audit: AuditTrail) -> Self {
        Self { consents, audit }
    }

    /// Records a grant (or a refusal) and its audit entry.
    pub async fn record(&self, caller: Caller, args: &ConsentArgs) -> StoreResult<Recorded> {
        let now = self.audit.now();
        if args.until_is_in_past(now.today) {
            return Ok(Recorded::UntilInPast);
        }
        let record = NewConsent {
            client: args.code.clone(),
            event: ConsentEvent::Granted(args.grant(now.today)),
            recorded_by: caller.user,
            recorded_at: now.now,
        };
        let saved = self.consents.append_consent(record).await?;
        let detail = serde_json::json!({ "client": args.code, "record": saved.id.0, "level": args.level.as_str() });
        self.audit
            .record(
                AuditAction::ConsentRecorded,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(Recorded::Recorded { record: saved.id })
    }

    /// Withdraws a registered client's consent, with its audit entry.
    pub async fn withdraw(
        &self,
        caller: Caller,
        code: &ClientCode,
        reason: Option<String>,
    ) -> StoreResult<Withdrawal> {
        if self.consents.consent_history(code).await?.is_empty() {
            return Ok(Withdrawal::UnknownClient);
        }
        let record = NewConsent {
            client: code.clone(),
            event: ConsentEvent::Withdrawn { reason },
            recorded_by: caller.user,
            recorded_at: self.audit.now().now,
        };
        let saved = self.consents.append_consent(record).await?;
        let detail = serde_json::json!({ "client": code, "record": saved.id.0 });
        self.audit
            .record(
                AuditAction::ConsentWithdrawn,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(Withdrawal::Withdrawn { record: saved.id })
    }

    /// The client's state and history; `None` for an unregistered code.
    pub async fn client(&self, code: &ClientCode) -> StoreResult<Option<ClientView>> {
        let history = self.consents.consent_history(code).await?;
        if history.is_empty() {
            return Ok(None);
        }
        Ok(Some(ClientView {
            state: state_of(&history, self.audit.now()),
            lines: history.iter().rev().map(line).collect(),
        }))
    }

    /// Every registered client with its state, sorted by code.
    pub async fn clients(&self) -> StoreResult<Vec<(ClientCode, ClientState)>> {
        let now = self.audit.now();
        let mut rows = Vec::new();
        for code in self.consents.clients().await? {
            let history = self.consents.consent_history(&code).await?;
            rows.push((code, state_of(&history, now)));
        }
        Ok(rows)
    }
}

/// In force, expiring within 30 days, expired, withdrawn, refused.
pub fn state_of(history: &[ConsentRecord], now: Moment) -> ClientState {
    match current_consent(history, now) {
        CurrentConsent::InForce {
            level: ConsentLevel::Refused,
            ..
        } => ClientState::Refused,
        CurrentConsent::InForce { record, .. } => {
            let until = history
                .iter()
                .find(|r| r.id == record)
                .and_then(|r| match &r.event {
                    ConsentEvent::Granted(g) => g.valid_until,
                    ConsentEvent::Withdrawn { .. } => None,
                });
            match until {
                Some(u) if (u - now.today).num_days() <= EXPIRING_WITHIN_DAYS => {
                    ClientState::ExpiringSoon
                }
                _ => ClientState::InForce,
            }
        }
        CurrentConsent::Expired { .. } => ClientState::Expired,
        CurrentConsent::Withdrawn { .. } => ClientState::Withdrawn,
        CurrentConsent::None => ClientState::NotYet,
    }
}

/// One history line: who recorded what, when (the same in every language:
/// the options as typed).
fn line(r: &ConsentRecord) -> ConsentLine {
    ConsentLine {
        when: format!(
            "#{} {} (user {})",
            r.id,
            r.recorded_at.format("%Y-%m-%d %H:%M UTC"),
            r.recorded_by
        ),
        what: what(&r.event),
    }
}

fn what(event: &ConsentEvent) -> String {
    let opt =
        |key: &str, value: Option<String>| value.map(|v| format!(" {key}={v}")).unwrap_or_default();
    match event {
        ConsentEvent::Granted(g) => format!(
            "{} by={} from={}{}{}{}",
            g.level.as_str(),
            g.given_by.as_str(),
            g.valid_from,
            opt("until", g.valid_until.map(|u| u.to_string())),
            opt("evidence", g.evidence.clone()),
            opt("purpose", g.purpose.clone()),
        ),
        ConsentEvent::Withdrawn { reason } => format!(
            "withdrawn{}",
            reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    }
}

#[cfg(test)]
#[path = "consent_book_tests.rs"]
mod tests;
