//! In-memory stand-ins for the store traits the services use, for their
//! unit tests: only what the services need, with a switch to make every
//! call fail like a broken database.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use super::AuditTrail;
use crate::store::{
    AuditLog, ConsentStore, PolicyStore, RoleStore, ShareStore, StoreError, StoreResult,
};
use crate::{
    AuditEntry, AuditEvent, ChatId, ChatPolicy, ChatStats, ClientCode, ConsentRecord, FixedClock,
    Moment, NewConsent, NewShare, RecordId, Role, UserId,
};

#[derive(Default)]
pub struct MemStore {
    pub consents: Mutex<Vec<ConsentRecord>>,
    pub audit: Mutex<Vec<AuditEvent>>,
    pub roles: Mutex<BTreeMap<i64, Role>>,
    /// Admins from the configuration: `ungrant` leaves them.
    pub config_admins: Vec<i64>,
    pub policies: Mutex<BTreeMap<i64, ChatPolicy>>,
    pub chats: Mutex<BTreeMap<i64, String>>,
    pub reminders: Mutex<BTreeMap<i64, DateTime<Utc>>>,
    pub stats: Mutex<Vec<ChatStats>>,
    /// Quarantined items with their clear bytes (see `fakes_guard.rs`).
    pub vault: Mutex<BTreeMap<i64, (crate::QuarantineItem, Vec<u8>)>>,
    /// Issue 23's state (see `fakes_time.rs`).
    pub time: super::fakes_time::TimeState,
    /// The intake's records (see `fakes_intake.rs`).
    pub intake: super::fakes_intake::IntakeState,
    /// Every call fails while set.
    pub broken: AtomicBool,
}

impl MemStore {
    pub(crate) fn up(&self) -> StoreResult<()> {
        match self.broken.load(Ordering::SeqCst) {
            true => Err(StoreError::Database("the fake is broken".into())),
            false => Ok(()),
        }
    }

    /// The stored action names, oldest first.
    pub fn actions(&self) -> Vec<String> {
        self.audit
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.action.clone())
            .collect()
    }
}

#[async_trait]
impl ConsentStore for MemStore {
    async fn append_consent(&self, record: NewConsent) -> StoreResult<ConsentRecord> {
        self.up()?;
        let mut all = self.consents.lock().unwrap();
        let saved = ConsentRecord {
            id: RecordId(all.len() as i64 + 1),
            client: record.client,
            event: record.event,
            recorded_by: record.recorded_by,
            recorded_at: record.recorded_at,
        };
        all.push(saved.clone());
        Ok(saved)
    }

    async fn consent_history(&self, client: &ClientCode) -> StoreResult<Vec<ConsentRecord>> {
        self.up()?;
        let all = self.consents.lock().unwrap();
        Ok(all
            .iter()
            .filter(|r| &r.client == client)
            .cloned()
            .collect())
    }

    async fn clients(&self) -> StoreResult<Vec<ClientCode>> {
        self.up()?;
        let all = self.consents.lock().unwrap();
        let codes: BTreeMap<String, ClientCode> = all
            .iter()
            .map(|r| (r.client.to_string(), r.client.clone()))
            .collect();
        Ok(codes.into_values().collect())
    }
}

#[async_trait]
impl AuditLog for MemStore {
    async fn append(&self, event: AuditEvent) -> StoreResult<AuditEntry> {
        self.up()?;
        let mut all = self.audit.lock().unwrap();
        all.push(event);
        Ok(numbered(all.len() - 1, &all[all.len() - 1]))
    }

    async fn entries_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<AuditEntry>> {
        self.up()?;
        let all = self.audit.lock().unwrap();
        let entries = all.iter().enumerate().filter(|(_, e)| e.at >= since);
        Ok(entries.map(|(i, e)| numbered(i, e)).collect())
    }
}

/// The fake log's `i`-th event as an entry (seq from 1; the fake keeps no chain).
pub(super) fn numbered(i: usize, event: &AuditEvent) -> AuditEntry {
    AuditEntry {
        seq: i as i64 + 1,
        event: event.clone(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

#[async_trait]
impl RoleStore for MemStore {
    async fn role(&self, user: UserId) -> StoreResult<Option<Role>> {
        self.up()?;
        Ok(self.roles.lock().unwrap().get(&user.0).copied())
    }

    async fn grant(&self, user: UserId, role: Role, _by: UserId) -> StoreResult<()> {
        self.up()?;
        self.roles.lock().unwrap().insert(user.0, role);
        Ok(())
    }

    async fn ungrant(&self, user: UserId, _by: UserId) -> StoreResult<bool> {
        self.up()?;
        if self.config_admins.contains(&user.0) {
            return Ok(false);
        }
        Ok(self.roles.lock().unwrap().remove(&user.0).is_some())
    }

    async fn users_with(&self, role: Role) -> StoreResult<Vec<UserId>> {
        self.up()?;
        let roles = self.roles.lock().unwrap();
        let held = roles.iter().filter(|(_, r)| **r == role);
        Ok(held.map(|(u, _)| UserId(*u)).collect())
    }
}

#[async_trait]
impl PolicyStore for MemStore {
    async fn chat_policy(&self, chat: ChatId) -> StoreResult<ChatPolicy> {
        self.up()?;
        let policies = self.policies.lock().unwrap();
        Ok(policies.get(&chat.0).copied().unwrap_or_default())
    }

    async fn set_chat_policy(&self, chat: ChatId, policy: &ChatPolicy) -> StoreResult<()> {
        self.up()?;
        self.policies.lock().unwrap().insert(chat.0, *policy);
        Ok(())
    }

    async fn guarded_chats(&self) -> StoreResult<Vec<ChatId>> {
        self.up()?;
        Ok(self
            .chats
            .lock()
            .unwrap()
            .keys()
            .map(|c| ChatId(*c))
            .collect())
    }

    async fn touch_chat(&self, chat: ChatId, title: &str) -> StoreResult<()> {
        self.up()?;
        self.chats.lock().unwrap().insert(chat.0, title.to_owned());
        Ok(())
    }

    async fn last_reminder(&self, chat: ChatId) -> StoreResult<Option<DateTime<Utc>>> {
        self.up()?;
        Ok(self.reminders.lock().unwrap().get(&chat.0).copied())
    }

    async fn set_last_reminder(&self, chat: ChatId, at: DateTime<Utc>) -> StoreResult<()> {
        self.up()?;
        self.reminders.lock().unwrap().insert(chat.0, at);
        Ok(())
    }

    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> StoreResult<bool> {
        self.up()?;
        let moved = self.policies.lock().unwrap().remove(&from.0);
        let title = self.chats.lock().unwrap().remove(&from.0);
        if let Some(policy) = moved {
            self.policies.lock().unwrap().insert(to.0, policy);
        }
        if let Some(title) = &title {
            self.chats.lock().unwrap().insert(to.0, title.clone());
        }
        Ok(moved.is_some() || title.is_some())
    }
}

#[async_trait]
impl ShareStore for MemStore {
    async fn record_share(&self, _share: NewShare) -> StoreResult<RecordId> {
        self.up()?;
        let mut shares = self.intake.shares.lock().unwrap();
        *shares += 1;
        Ok(RecordId(*shares))
    }

    async fn stats(&self) -> StoreResult<Vec<ChatStats>> {
        self.up()?;
        Ok(self.stats.lock().unwrap().clone())
    }

    async fn daily_stats(&self, since: DateTime<Utc>) -> StoreResult<Vec<crate::PeriodStats>> {
        self.up()?;
        let days = self.time.days.lock().unwrap();
        let from = since.date_naive();
        Ok(days.iter().filter(|d| d.start >= from).cloned().collect())
    }
}

/// 2026-11-26 05:00 UTC, the day the tests live on.
pub fn moment() -> Moment {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 5, 0, 0).unwrap();
    Moment {
        now,
        today: now.date_naive(),
    }
}

/// An audit trail on `store` at [`moment`].
pub fn trail(store: &Arc<MemStore>) -> AuditTrail {
    AuditTrail::new(store.clone(), Arc::new(FixedClock(moment())))
}

/// A coordinator in their private chat.
pub fn caller() -> super::Caller {
    super::Caller {
        user: UserId(7),
        chat: ChatId(7),
    }
}
