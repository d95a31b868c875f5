//! A client's data on request and its erasure (issue 23): `/subject CODE`
//! gathers what is held about the code into one file with the date the
//! 3x24 h answer is due; `/erase CODE` deletes what is not needed as proof.
//! Both are audited.

use std::sync::Arc;

use chrono::Duration;

use super::{AuditTrail, Caller};
use crate::store::{ConsentStore, StoreResult, SubjectStore};
use crate::subject::{audit_line, Erasure, SubjectFile, ANSWER_WITHIN_HOURS};
use crate::{AuditAction, ClientCode};

pub struct Subjects {
    consents: Arc<dyn ConsentStore>,
    data: Arc<dyn SubjectStore>,
    audit: AuditTrail,
}

impl Subjects {
    pub fn new(
        consents: Arc<dyn ConsentStore>,
        data: Arc<dyn SubjectStore>,
        audit: AuditTrail,
    ) -> Self {
        Self {
            consents,
            data,
            audit,
        }
    }

    /// Everything held about `client`; `None` for a code never registered
    /// nor tagged.
    pub async fn export(
        &self,
        caller: Caller,
        client: &ClientCode,
    ) -> StoreResult<Option<SubjectFile>> {
        let now = self.audit.now().now;
        let consent_records = self.consents.consent_history(client).await?;
        let shares = self.data.shares_of(client).await?;
        if consent_records.is_empty() && shares.is_empty() {
            return Ok(None);
        }
        let quarantined = self.data.quarantine_of(client).await?;
        let entries = self.data.audit_naming(client).await?;
        let file = SubjectFile {
            client: client.clone(),
            requested_at: now,
            answer_due_by: now + Duration::hours(ANSWER_WITHIN_HOURS),
            consent_records,
            shares,
            quarantined,
            audit: entries.iter().map(|e| audit_line(e, client)).collect(),
        };
        let detail = serde_json::json!({ "client": client, "due_by": file.answer_due_by });
        self.audit
            .record(
                AuditAction::SubjectExported,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(Some(file))
    }

    /// Erases what is not proof; `None` for an unknown code.
    pub async fn erase(&self, caller: Caller, client: &ClientCode) -> StoreResult<Option<Erasure>> {
        let known = !self.consents.consent_history(client).await?.is_empty()
            || !self.data.shares_of(client).await?.is_empty();
        if !known {
            return Ok(None);
        }
        let erased = self.data.erase(client).await?;
        let detail = serde_json::json!({ "client": client, "erased": erased });
        self.audit
            .record(
                AuditAction::SubjectErased,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(Some(erased))
    }
}

#[cfg(test)]
#[path = "subjects_tests.rs"]
mod tests;
