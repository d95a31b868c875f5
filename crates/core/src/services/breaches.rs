//! Breach incidents (issue 23): opening one (from `/report` or `/breach`),
//! the reminders that fall due, and the notice's draft, every step
//! audited. The admins are told through the platform port the caller hands
//! in (the platform router: each admin on the platform they are known by,
//! so WhatsApp's admins get the reminders too).

use std::sync::Arc;

use super::{AdminNotices, AuditTrail, Caller};
use crate::breach::{local_time, Draft, Incident, NewIncident};
use crate::caption::hashtags;
use crate::platform::ChatPlatform;
use crate::store::{IncidentStore, StoreResult};
use crate::texts::Msg;
use crate::{AuditAction, ChatId, ClientCode, Clock, MessageId};

/// A reminder to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachReminder {
    pub incident: Incident,
    /// Reminders sent once this one is.
    pub count: u32,
    pub hours_left: i64,
}

pub struct Breaches {
    incidents: Arc<dyn IncidentStore>,
    clock: Arc<dyn Clock>,
    audit: AuditTrail,
    /// One reminder round at a time in this process: each platform's
    /// scheduled loop runs one (other replicas do not: they do not lead).
    round: tokio::sync::Mutex<()>,
}

impl Breaches {
    pub fn new(
        incidents: Arc<dyn IncidentStore>,
        clock: Arc<dyn Clock>,
        audit: AuditTrail,
    ) -> Self {
        Self {
            incidents,
            clock,
            audit,
            round: tokio::sync::Mutex::new(()),
        }
    }

    /// Opens an incident. For a reported message (`at`), the clients are
    /// those its check found tagged; otherwise the `#CODES` in the text.
    pub async fn open(
        &self,
        caller: Caller,
        description: &str,
        at: Option<(ChatId, MessageId)>,
    ) -> StoreResult<Incident> {
        let clients = match at {
            Some((chat, message)) => self.incidents.tags_of(chat, message).await?,
            None => codes_in(description),
        };
        let new = NewIncident {
            opened_at: self.clock.now().now,
            opened_by: caller.user,
            chat: at.map(|(c, _)| c),
            message: at.map(|(_, m)| m),
            description: description.to_owned(),
            clients,
        };
        let incident = self.incidents.open_incident(new).await?;
        let detail = serde_json::json!({
            "incident": incident.id,
            "clients": incident.clients,
            "due": incident.due(),
        });
        self.audit
            .record(
                AuditAction::BreachOpened,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(incident)
    }

    /// The deadline as people read it, in the agency's zone.
    pub fn due_text(&self, incident: &Incident) -> String {
        local_time(incident.due(), self.clock.offset())
    }

    /// Reminders due now, across restarts (the count is stored).
    pub async fn due_reminders(&self) -> StoreResult<Vec<BreachReminder>> {
        let now = self.clock.now().now;
        let mut due = Vec::new();
        for incident in self.incidents.open_incidents().await? {
            if let Some((count, hours_left)) = incident.reminder_due(now) {
                due.push(BreachReminder {
                    incident,
                    count,
                    hours_left,
                });
            }
        }
        Ok(due)
    }

    /// Tells every admin, through `platform`, that `incident` was opened
    /// and when its notice is due; how many were reached.
    pub async fn tell_opened(
        &self,
        notices: &AdminNotices,
        platform: &dyn ChatPlatform,
        incident: &Incident,
    ) -> usize {
        let due = self.due_text(incident);
        let msg = Msg::BreachAdmin {
            id: incident.id,
            due: &due,
            what: &incident.description,
        };
        notices.tell(platform, &msg).await
    }

    /// The round of the 24 h and 60 h reminders: each due one told to
    /// every admin through `platform` and counted as sent once one was
    /// reached (stored: a restart neither loses nor repeats one); none
    /// reached, it stays due. Rounds run one at a time, so two platforms'
    /// loops in one process send a reminder once.
    pub async fn remind_due(
        &self,
        notices: &AdminNotices,
        platform: &dyn ChatPlatform,
    ) -> StoreResult<usize> {
        let _one_round = self.round.lock().await;
        let mut sent = 0;
        for reminder in self.due_reminders().await? {
            let due = self.due_text(&reminder.incident);
            let msg = Msg::BreachReminder {
                id: reminder.incident.id,
                due: &due,
                hours_left: reminder.hours_left,
            };
            if notices.tell(platform, &msg).await > 0 {
                self.reminded(&reminder).await?;
                sent += 1;
            }
        }
        Ok(sent)
    }

    /// The reminder went out.
    pub async fn reminded(&self, reminder: &BreachReminder) -> StoreResult<()> {
        let id = reminder.incident.id;
        self.incidents.set_reminders(id, reminder.count).await?;
        let detail = serde_json::json!({ "incident": id, "hours_left": reminder.hours_left });
        self.audit
            .record(AuditAction::BreachReminded, None, None, detail)
            .await;
        Ok(())
    }

    /// The notice's draft; `None` for an unknown incident.
    pub async fn draft(&self, caller: Caller, id: i64) -> StoreResult<Option<Draft>> {
        let Some(incident) = self.incidents.incident(id).await? else {
            return Ok(None);
        };
        let offset = self.clock.offset();
        let opened = local_time(incident.opened_at, offset);
        let mut done = vec![format!("the admins were alerted ({opened})")];
        if let (Some(chat), Some(message)) = (incident.chat, incident.message) {
            done.push(format!(
                "the reported message (chat {chat}, message {message}) was handed to the admins"
            ));
        }
        done.push("[add what else was done]".into());
        let draft = Draft {
            id,
            what: incident.description.clone(),
            when: opened.clone(),
            opened,
            clients: incident.clients.clone(),
            done,
            due: local_time(incident.due(), offset),
        };
        let detail = serde_json::json!({ "incident": id });
        self.audit
            .record(
                AuditAction::BreachDrafted,
                Some(caller.user),
                Some(caller.chat),
                detail,
            )
            .await;
        Ok(Some(draft))
    }
}

/// The client codes written as hashtags in a text, each once.
fn codes_in(text: &str) -> Vec<ClientCode> {
    let mut codes: Vec<ClientCode> = hashtags(text).into_iter().collect();
    codes.sort();
    codes.dedup();
    codes
}

#[cfg(test)]
#[path = "breaches_tests.rs"]
mod tests;
