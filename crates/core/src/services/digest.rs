//! The daily expiry digest (issue 23): each coordinator, once a day at the
//! agency's local hour, is told which consents end within 14 days and which
//! ended since their last digest, each with the `/consent` command to renew
//! it pre-filled, in the language they last wrote to the bot in. The adapter's
//! timer calls `send_due` with its platform; the digest goes out through the
//! port.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use super::AuditTrail;
use crate::platform::ChatPlatform;
use crate::store::{ConsentStore, DigestStore, RoleStore, StoreResult};
use crate::texts::{text, Msg};
use crate::{
    current_consent, AuditAction, ClientCode, Clock, ConsentEvent, ConsentRecord, CurrentConsent,
    Grant, IdSpace, Lang, Moment, Role, UserId,
};

/// A consent this close to its last day is in the digest.
pub const DIGEST_WITHIN_DAYS: i64 = 14;

/// One client in the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestLine {
    pub code: ClientCode,
    /// The last day the consent is (or was) in force.
    pub until: NaiveDate,
    /// `/consent CODE LEVEL until=… by=…` for a year more, to copy.
    pub renew: String,
}

/// What one coordinator is told.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Digest {
    pub expiring: Vec<DigestLine>,
    pub expired: Vec<DigestLine>,
}

impl Digest {
    pub fn is_empty(&self) -> bool {
        self.expiring.is_empty() && self.expired.is_empty()
    }
}

pub struct Digests {
    consents: Arc<dyn ConsentStore>,
    roles: Arc<dyn RoleStore>,
    marks: Arc<dyn DigestStore>,
    clock: Arc<dyn Clock>,
    audit: AuditTrail,
}

impl Digests {
    pub fn new(
        consents: Arc<dyn ConsentStore>,
        roles: Arc<dyn RoleStore>,
        marks: Arc<dyn DigestStore>,
        clock: Arc<dyn Clock>,
        audit: AuditTrail,
    ) -> Self {
        Self {
            consents,
            roles,
            marks,
            clock,
            audit,
        }
    }

    /// Everyone holding a coordinator's or an admin's role whose digest for
    /// today is due (the local `hour` has come and none went out since),
    /// with what it says. An empty digest is still due: marking it sent
    /// moves the "expired since" window on.
    pub async fn due(&self, hour: u32) -> StoreResult<Vec<(UserId, Digest)>> {
        let now = self.clock.now();
        let Some(slot) = slot_of(now, self.clock.offset(), hour) else {
            return Ok(Vec::new());
        };
        let mut people = self.roles.users_with(Role::Coordinator).await?;
        people.extend(self.roles.users_with(Role::Admin).await?);
        people.sort();
        people.dedup();
        let mut due = Vec::new();
        for user in people {
            let last = self.marks.last_digest(user).await?;
            if now.now < slot || last.is_some_and(|l| l >= slot) {
                continue;
            }
            let since = match last {
                Some(l) => l.with_timezone(&self.clock.offset()).date_naive(),
                None => now.today - Duration::days(DIGEST_WITHIN_DAYS),
            };
            due.push((user, self.digest(now, since).await?));
        }
        Ok(due)
    }

    /// Sends the digests due at the local `hour` to the people of `space`
    /// through `platform`, each in their language; one not delivered stays
    /// due for the next round.
    pub async fn send_due(
        &self,
        platform: &dyn ChatPlatform,
        space: IdSpace,
        hour: u32,
    ) -> StoreResult<()> {
        for (user, digest) in self.due(hour).await? {
            if user.space() != space {
                continue;
            }
            if !digest.is_empty() {
                let msg = Msg::Digest {
                    expiring: &digest.expiring,
                    expired: &digest.expired,
                };
                let body = text(self.lang_of(user).await, &msg);
                if let Err(e) = platform.tell_user(user, &body).await {
                    tracing::warn!(error = %e, "the digest was not delivered; it stays due");
                    continue;
                }
            }
            self.sent(user, &digest).await?;
        }
        Ok(())
    }

    /// The language `user` is told in: the one they last wrote to the bot
    /// in; Indonesian when unknown.
    pub async fn lang_of(&self, user: UserId) -> Lang {
        match self.marks.user_lang(user).await {
            Ok(Some(lang)) => lang,
            Ok(None) => Lang::Id,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a person's language");
                Lang::Id
            }
        }
    }

    /// `user` wrote to the bot privately in `lang` (a failure is logged:
    /// only the language of later digests depends on it).
    pub async fn wrote_in(&self, user: UserId, lang: Lang) {
        if matches!(self.marks.user_lang(user).await, Ok(Some(known)) if known == lang) {
            return;
        }
        if let Err(e) = self.marks.set_user_lang(user, lang).await {
            tracing::warn!(error = %e, "cannot note a person's language");
        }
    }

    /// The digest went out to `user` (or there was nothing to say).
    pub async fn sent(&self, user: UserId, digest: &Digest) -> StoreResult<()> {
        self.marks
            .set_last_digest(user, self.clock.now().now)
            .await?;
        if !digest.is_empty() {
            let detail = serde_json::json!({
                "user": user.0,
                "expiring": digest.expiring.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
                "expired": digest.expired.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
            });
            self.audit
                .record(AuditAction::DigestSent, None, None, detail)
                .await;
        }
        Ok(())
    }

    async fn digest(&self, now: Moment, since: NaiveDate) -> StoreResult<Digest> {
        let mut digest = Digest::default();
        for code in self.consents.clients().await? {
            let history = self.consents.consent_history(&code).await?;
            match place(&history, now, since) {
                Some((true, line)) => digest.expiring.push(line),
                Some((false, line)) => digest.expired.push(line),
                None => {}
            }
        }
        Ok(digest)
    }
}

/// Today's digest time at the local `hour`, as an instant.
fn slot_of(now: Moment, offset: FixedOffset, hour: u32) -> Option<DateTime<Utc>> {
    let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0)?;
    let local = offset
        .from_local_datetime(&now.today.and_time(time))
        .single()?;
    Some(local.with_timezone(&Utc))
}

/// `Some((true, line))` when the consent in force ends within 14 days,
/// `Some((false, line))` when it ended on a day after `since`.
fn place(history: &[ConsentRecord], now: Moment, since: NaiveDate) -> Option<(bool, DigestLine)> {
    let (expiring, record) = match current_consent(history, now) {
        CurrentConsent::InForce { record, level } if level != crate::ConsentLevel::Refused => {
            (true, record)
        }
        CurrentConsent::Expired { record } => (false, record),
        _ => return None,
    };
    let grant = grant_of(history, record)?;
    let until = grant.valid_until?;
    let keep = match expiring {
        true => (until - now.today).num_days() <= DIGEST_WITHIN_DAYS,
        false => until + Duration::days(1) > since,
    };
    keep.then(|| (expiring, line(&history[0].client, grant, until)))
}

fn grant_of(history: &[ConsentRecord], record: crate::RecordId) -> Option<&Grant> {
    history
        .iter()
        .find(|r| r.id == record)
        .and_then(|r| match &r.event {
            ConsentEvent::Granted(g) => Some(g),
            ConsentEvent::Withdrawn { .. } => None,
        })
}

fn line(code: &ClientCode, grant: &Grant, until: NaiveDate) -> DigestLine {
    let next = until + Duration::days(365);
    let mut renew = format!(
        "/consent {code} {} until={next} by={}",
        grant.level.as_str(),
        grant.given_by.as_str()
    );
    if let Some(purpose) = &grant.purpose {
        renew.push_str(&format!(" purpose=\"{}\"", purpose.replace('"', "'")));
    }
    DigestLine {
        code: code.clone(),
        until,
        renew,
    }
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
