//! What admins read about the bot's work: per-chat statistics and the audit
//! log of the last days as CSV (the one writer `audit verify --csv` checks).

use std::sync::Arc;

use thiserror::Error;

use crate::audit_csv::{self, AuditCsvError};
use crate::store::{AuditLog, ShareStore, StoreResult};
use crate::{ChatStats, Clock, StoreError};

#[derive(Debug, Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] AuditCsvError),
}

pub struct Reports {
    shares: Arc<dyn ShareStore>,
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl Reports {
    pub fn new(shares: Arc<dyn ShareStore>, log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        Self { shares, log, clock }
    }

    /// Checked, allowed, blurred and blocked photos, per chat.
    pub async fn stats(&self) -> StoreResult<Vec<ChatStats>> {
        self.shares.stats().await
    }

    /// The audit entries of the last `days` days as CSV.
    pub async fn audit_csv(&self, days: u32) -> Result<Vec<u8>, ReportError> {
        let since = self.clock.now().now - chrono::Duration::days(i64::from(days));
        let entries = self.log.entries_since(since).await?;
        Ok(audit_csv::to_bytes(&entries)?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::services::fakes::{moment, trail, MemStore};
    use crate::{AuditAction, FixedClock};

    #[tokio::test]
    async fn the_audit_csv_holds_only_the_days_asked_for() {
        // Issue 18: /audit's window is counted by the core's clock.
        let store = Arc::new(MemStore::default());
        let trail = trail(&store);
        trail
            .record(AuditAction::PolicySet, None, None, serde_json::json!({}))
            .await;
        let mut old = store.audit.lock().unwrap()[0].clone();
        old.at -= chrono::Duration::days(8);
        old.action = AuditAction::RoleGranted.as_str().into();
        store.audit.lock().unwrap().push(old);
        let reports = Reports::new(store.clone(), store.clone(), Arc::new(FixedClock(moment())));
        let csv = String::from_utf8(reports.audit_csv(7).await.unwrap()).unwrap();
        assert!(csv.contains("policy.set"), "{csv}");
        assert!(!csv.contains("role.granted"), "{csv}");
    }

    #[test]
    fn the_stats_table_is_the_header_then_a_line_per_chat() {
        // Issue 18: /stats is rendered by texts/, not assembled in the adapter.
        use crate::texts::{text, Msg};
        use crate::Lang;
        let row = ChatStats {
            chat: -100,
            checked: 5,
            allowed: 2,
            blurred: 2,
            blocked: 1,
        };
        let body = text(Lang::En, &Msg::Stats { rows: &[row] });
        assert_eq!(
            body,
            "chat: checked / allowed / blurred / blocked\n-100: 5 / 2 / 2 / 1"
        );
        let empty = text(Lang::Id, &Msg::Stats { rows: &[] });
        assert_eq!(empty, text(Lang::Id, &Msg::StatsEmpty));
    }
}
