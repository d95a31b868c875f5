//! Writing the audit log from a use case: the entry is stamped with the
//! clock and the typed action; a failure to write is logged, not raised,
//! because what it records has already happened.

use std::sync::Arc;

use crate::store::AuditLog;
use crate::{AuditAction, AuditEvent, ChatId, Clock, Moment, UserId};

#[derive(Clone)]
pub struct AuditTrail {
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl AuditTrail {
    pub fn new(log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        Self { log, clock }
    }

    /// The time as the services see it.
    pub fn now(&self) -> Moment {
        self.clock.now()
    }

    /// The agency's offset from UTC, for a time said to people.
    pub fn offset(&self) -> chrono::FixedOffset {
        self.clock.offset()
    }

    /// Appends one entry; a failure is logged.
    pub async fn record(
        &self,
        action: AuditAction,
        actor: Option<UserId>,
        chat: Option<ChatId>,
        detail: serde_json::Value,
    ) {
        let event = AuditEvent::new(self.clock.now().now, action, actor, chat, detail);
        if let Err(e) = self.log.append(event).await {
            tracing::error!(action = action.as_str(), error = %e, "cannot write the audit log");
        }
    }
}
