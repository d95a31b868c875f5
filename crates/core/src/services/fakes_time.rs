//! The in-memory stand-in for issue 23's store traits: what shows a client,
//! what was taken down.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::fakes::{numbered, MemStore};
use crate::breach::{Incident, NewIncident};
use crate::exposure::Shown;
use crate::store::{DigestStore, ExposureStore, IncidentStore, StoreResult, SubjectStore};
use crate::subject::{Erasure, SubjectQuarantine, SubjectShare};
use crate::{AuditEntry, ChatId, ClientCode, MessageId, RecordId, UserId};

#[derive(Default)]
pub struct TimeState {
    pub shown: Mutex<Vec<Shown>>,
    pub media: Mutex<BTreeMap<(i64, i64), String>>,
    /// (chat, message) -> the consent record followed.
    pub takedowns: Mutex<BTreeMap<(i64, i64), RecordId>>,
    /// (chat, copy) -> share.
    pub replacements: Mutex<BTreeMap<(i64, i64), RecordId>>,
    pub subject_shares: Mutex<Vec<(ClientCode, SubjectShare)>>,
    /// Codes erased, in order.
    pub erased: Mutex<Vec<ClientCode>>,
    pub incidents: Mutex<Vec<Incident>>,
    /// What `daily_stats` answers.
    pub days: Mutex<Vec<crate::PeriodStats>>,
    /// user -> when the digest last went out.
    pub digests: Mutex<BTreeMap<i64, DateTime<Utc>>>,
    /// user -> the language they last wrote in.
    pub langs: Mutex<BTreeMap<i64, crate::Lang>>,
}

#[async_trait]
impl DigestStore for MemStore {
    async fn last_digest(&self, user: UserId) -> StoreResult<Option<DateTime<Utc>>> {
        self.up()?;
        Ok(self.time.digests.lock().unwrap().get(&user.0).copied())
    }

    async fn set_last_digest(&self, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        self.up()?;
        self.time.digests.lock().unwrap().insert(user.0, at);
        Ok(())
    }

    async fn user_lang(&self, user: UserId) -> StoreResult<Option<crate::Lang>> {
        self.up()?;
        Ok(self.time.langs.lock().unwrap().get(&user.0).copied())
    }

    async fn set_user_lang(&self, user: UserId, lang: crate::Lang) -> StoreResult<()> {
        self.up()?;
        self.time.langs.lock().unwrap().insert(user.0, lang);
        Ok(())
    }
}

#[async_trait]
impl ExposureStore for MemStore {
    async fn note_media(&self, chat: ChatId, message: MessageId, file_id: &str) -> StoreResult<()> {
        self.up()?;
        let mut media = self.time.media.lock().unwrap();
        media.insert((chat.0, message.0), file_id.to_owned());
        Ok(())
    }

    async fn media_file(&self, chat: ChatId, message: MessageId) -> StoreResult<Option<String>> {
        self.up()?;
        Ok(self
            .time
            .media
            .lock()
            .unwrap()
            .get(&(chat.0, message.0))
            .cloned())
    }

    async fn shown_with(&self, client: &ClientCode) -> StoreResult<Vec<Shown>> {
        self.up()?;
        let gone = self.time.takedowns.lock().unwrap();
        let shown = self.time.shown.lock().unwrap();
        Ok(shown
            .iter()
            .filter(|s| s.tags.contains(client) && !gone.contains_key(&(s.chat.0, s.message.0)))
            .cloned()
            .collect())
    }

    async fn record_takedown(
        &self,
        chat: ChatId,
        message: MessageId,
        record: RecordId,
        _at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.up()?;
        let mut gone = self.time.takedowns.lock().unwrap();
        gone.insert((chat.0, message.0), record);
        Ok(())
    }

    async fn record_replacement(
        &self,
        chat: ChatId,
        copy: MessageId,
        share: RecordId,
        _at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.up()?;
        let mut copies = self.time.replacements.lock().unwrap();
        copies.insert((chat.0, copy.0), share);
        Ok(())
    }
}

#[async_trait]
impl SubjectStore for MemStore {
    async fn shares_of(&self, client: &ClientCode) -> StoreResult<Vec<SubjectShare>> {
        self.up()?;
        let shares = self.time.subject_shares.lock().unwrap();
        let mine = shares.iter().filter(|(c, _)| c == client);
        Ok(mine.map(|(_, s)| s.clone()).collect())
    }

    async fn quarantine_of(&self, _client: &ClientCode) -> StoreResult<Vec<SubjectQuarantine>> {
        self.up()?;
        Ok(Vec::new())
    }

    async fn audit_naming(&self, client: &ClientCode) -> StoreResult<Vec<AuditEntry>> {
        self.up()?;
        let needle = format!("\"{client}\"");
        let all = self.audit.lock().unwrap();
        let naming = all
            .iter()
            .enumerate()
            .filter(|(_, e)| e.detail.contains(&needle));
        Ok(naming.map(|(i, e)| numbered(i, e)).collect())
    }

    async fn erase(&self, client: &ClientCode) -> StoreResult<Erasure> {
        self.up()?;
        self.time.erased.lock().unwrap().push(client.clone());
        Ok(Erasure::default())
    }
}

#[async_trait]
impl IncidentStore for MemStore {
    async fn open_incident(&self, new: NewIncident) -> StoreResult<Incident> {
        self.up()?;
        let mut all = self.time.incidents.lock().unwrap();
        let incident = Incident {
            id: all.len() as i64 + 1,
            opened_at: new.opened_at,
            opened_by: new.opened_by,
            chat: new.chat,
            message: new.message,
            description: new.description,
            clients: new.clients,
            reminders: 0,
        };
        all.push(incident.clone());
        Ok(incident)
    }

    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>> {
        self.up()?;
        let all = self.time.incidents.lock().unwrap();
        Ok(all.iter().find(|i| i.id == id).cloned())
    }

    async fn open_incidents(&self) -> StoreResult<Vec<Incident>> {
        self.up()?;
        let all = self.time.incidents.lock().unwrap();
        Ok(all.iter().filter(|i| i.reminders < 2).cloned().collect())
    }

    async fn set_reminders(&self, id: i64, sent: u32) -> StoreResult<()> {
        self.up()?;
        let mut all = self.time.incidents.lock().unwrap();
        all.iter_mut()
            .filter(|i| i.id == id)
            .for_each(|i| i.reminders = sent);
        Ok(())
    }

    async fn tags_of(&self, _chat: ChatId, _message: MessageId) -> StoreResult<Vec<ClientCode>> {
        self.up()?;
        Ok(vec![ClientCode::parse("TAGGED1").unwrap()])
    }
}
