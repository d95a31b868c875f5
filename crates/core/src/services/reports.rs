//! What admins read about the bot's work: per-chat statistics, their weekly
//! chart (drawn by the configured [`StatsChart`]) and the audit log of the
//! last days as CSV (the one writer `audit verify --csv` checks).

use std::sync::Arc;

use thiserror::Error;

use crate::audit_csv::{self, AuditCsvError};
use crate::chart::{ChartError, Layout, NoChart, StatsChart};
use crate::store::{AuditLog, ShareStore, StoreResult};
use crate::{ChatStats, Clock, PeriodStats, StoreError};

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

/// The Monday starting `day`'s week.
fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[derive(Debug, Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] AuditCsvError),
    #[error(transparent)]
    Chart(#[from] ChartError),
}

/// `/stats`'s picture and what it shows.
#[derive(Debug, Clone)]
#[must_use]
pub struct StatsPicture {
    pub png: Vec<u8>,
    pub layout: Layout,
}

pub struct Reports {
    shares: Arc<dyn ShareStore>,
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
    chart: Arc<dyn StatsChart>,
}

impl Reports {
    /// Without a chart drawer until [`Reports::set_chart`].
    pub fn new(shares: Arc<dyn ShareStore>, log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        let chart = Arc::new(NoChart);
        Self {
            shares,
            log,
            clock,
            chart,
        }
    }

    /// Draws `/stats`'s chart with `chart`.
    pub fn set_chart(&mut self, chart: Arc<dyn StatsChart>) {
        self.chart = chart;
    }

    /// Issue 23: the chart of the last `weeks` weeks; `None` when nothing
    /// was checked in them.
    pub async fn weekly_chart(&self, weeks: u32) -> Result<Option<StatsPicture>, ReportError> {
        let weeks = self.weekly(weeks).await?;
        if weeks.is_empty() {
            return Ok(None);
        }
        let png = self.chart.weekly_png(&weeks)?;
        let layout = Layout::of(&weeks);
        Ok(Some(StatsPicture { png, layout }))
    }

    /// Checked, allowed, blurred and blocked photos, per chat.
    pub async fn stats(&self) -> StoreResult<Vec<ChatStats>> {
        self.shares.stats().await
    }

    /// Issue 23: per chat and week (from its Monday), the last `weeks`
    /// weeks, by verdict, oldest first: `/stats`'s chart.
    pub async fn weekly(&self, weeks: u32) -> StoreResult<Vec<PeriodStats>> {
        let today = self.clock.now().today;
        let this_monday = monday_of(today);
        let first = this_monday - chrono::Duration::weeks(i64::from(weeks.max(1)) - 1);
        let since = first
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        let mut weeks: BTreeMap<(i64, NaiveDate), PeriodStats> = BTreeMap::new();
        for day in self.shares.daily_stats(since).await? {
            let start = monday_of(day.start);
            let week = weeks.entry((day.chat, start)).or_insert(PeriodStats {
                chat: day.chat,
                start,
                allowed: 0,
                blurred: 0,
                blocked: 0,
            });
            week.allowed += day.allowed;
            week.blurred += day.blurred;
            week.blocked += day.blocked;
        }
        Ok(weeks.into_values().collect())
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

    #[tokio::test]
    async fn daily_counts_are_summed_per_chat_and_week_from_its_monday() {
        // Issue 23: the /stats chart is per chat, per week.
        let store = Arc::new(MemStore::default());
        let day = |chat, d: &str, allowed, blocked| PeriodStats {
            chat,
            start: d.parse().unwrap(),
            allowed,
            blurred: 1,
            blocked,
        };
        // moment() is Thursday 2026-11-26; its week starts Monday the 23rd.
        *store.time.days.lock().unwrap() = vec![
            day(-1, "2026-11-23", 2, 0),
            day(-1, "2026-11-26", 3, 1),
            day(-1, "2026-11-20", 1, 0),
            day(-2, "2026-11-24", 5, 0),
            day(-1, "2026-10-01", 9, 9),
        ];
        let reports = Reports::new(store.clone(), store.clone(), Arc::new(FixedClock(moment())));
        let weeks = reports.weekly(2).await.unwrap();
        let monday = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(weeks.len(), 3, "{weeks:?}");
        assert_eq!(
            (weeks[0].chat, weeks[0].start, weeks[0].allowed),
            (-2, monday("2026-11-23"), 5)
        );
        assert_eq!(
            (weeks[1].start, weeks[1].allowed),
            (monday("2026-11-16"), 1)
        );
        assert_eq!(
            (
                weeks[2].start,
                weeks[2].allowed,
                weeks[2].blurred,
                weeks[2].blocked
            ),
            (monday("2026-11-23"), 5, 2, 1)
        );
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
