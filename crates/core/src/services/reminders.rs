//! The scheduled reminder of the rules: which guarded chats are due, by each
//! chat's `remind` days since the last one went out, and sending them through
//! the platform port. A chat just taken under guard starts its schedule now
//! rather than being reminded at once; a reminder that cannot be sent stays
//! due for the next round.

use std::sync::Arc;

use crate::platform::{ChatPlatform, Place};
use crate::store::{PolicyStore, StoreResult};
use crate::texts::{text, Msg};
use crate::{ChatId, Clock, IdSpace, Lang};

/// A chat to remind now, in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub chat: ChatId,
    pub lang: Lang,
}

pub struct Reminders {
    policies: Arc<dyn PolicyStore>,
    clock: Arc<dyn Clock>,
}

impl Reminders {
    pub fn new(policies: Arc<dyn PolicyStore>, clock: Arc<dyn Clock>) -> Self {
        Self { policies, clock }
    }

    /// The chats due a reminder now. A chat seen for the first time has its
    /// schedule started; one with reminders off is skipped.
    pub async fn due(&self) -> StoreResult<Vec<Due>> {
        let now = self.clock.now().now;
        let mut due = Vec::new();
        for chat in self.policies.guarded_chats().await? {
            let policy = self.policies.chat_policy(chat).await?;
            let Some(days) = policy.remind_days else {
                continue;
            };
            match self.policies.last_reminder(chat).await? {
                None => self.policies.set_last_reminder(chat, now).await?,
                Some(last) if now - last >= chrono::Duration::days(i64::from(days)) => {
                    due.push(Due {
                        chat,
                        lang: policy.lang,
                    });
                }
                Some(_) => {}
            }
        }
        Ok(due)
    }

    /// One round: the rules posted in every chat of `space` (the platform's
    /// own chats) due them; returns how many went out. One not sent stays due
    /// and goes at the next round.
    pub async fn remind_due(
        &self,
        platform: &dyn ChatPlatform,
        space: IdSpace,
    ) -> StoreResult<usize> {
        let mut sent = 0;
        let due = self.due().await?;
        for due in due.into_iter().filter(|d| d.chat.space() == space) {
            let body = text(due.lang, &Msg::Rules);
            match platform.post_text(Place::chat(due.chat), &body).await {
                Ok(_) => {
                    self.sent(due.chat).await?;
                    sent += 1;
                }
                Err(e) => tracing::warn!(chat = due.chat.0, error = %e, "reminder not sent"),
            }
        }
        Ok(sent)
    }

    /// The reminder went out in `chat`: its next one counts from now.
    pub async fn sent(&self, chat: ChatId) -> StoreResult<()> {
        self.policies
            .set_last_reminder(chat, self.clock.now().now)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::{moment, MemStore};
    use crate::{ChatPolicy, FixedClock};

    fn reminders(store: &Arc<MemStore>) -> Reminders {
        Reminders::new(store.clone(), Arc::new(FixedClock(moment())))
    }

    #[tokio::test]
    async fn a_new_chat_starts_its_schedule_and_is_due_after_its_days() {
        // Issue 18: what is due when, decided in the core.
        let store = Arc::new(MemStore::default());
        store.chats.lock().unwrap().insert(-1, "Tim".into());
        let reminders = reminders(&store);
        assert!(reminders.due().await.unwrap().is_empty());
        assert_eq!(store.reminders.lock().unwrap()[&-1], moment().now);
        let week_ago = moment().now - chrono::Duration::days(7);
        store.reminders.lock().unwrap().insert(-1, week_ago);
        let due = reminders.due().await.unwrap();
        assert_eq!(
            due,
            [Due {
                chat: ChatId(-1),
                lang: Lang::Id
            }]
        );
        reminders.sent(ChatId(-1)).await.unwrap();
        assert!(reminders.due().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_chat_with_reminders_off_is_never_due() {
        // Issue 18: remind=off is honoured.
        let store = Arc::new(MemStore::default());
        store.chats.lock().unwrap().insert(-1, "Tim".into());
        let off = ChatPolicy {
            remind_days: None,
            ..ChatPolicy::default()
        };
        store.policies.lock().unwrap().insert(-1, off);
        let long_ago = moment().now - chrono::Duration::days(365);
        store.reminders.lock().unwrap().insert(-1, long_ago);
        assert!(reminders(&store).due().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_due_reminder_is_posted_in_the_chats_language_and_one_not_sent_stays_due() {
        // Issue 18: the reminders service sends through the platform port.
        use crate::platform::fake::{Call, FakePlatform};
        let store = Arc::new(MemStore::default());
        store.chats.lock().unwrap().insert(-1, "Tim".into());
        let en = ChatPolicy {
            lang: Lang::En,
            ..ChatPolicy::default()
        };
        store.policies.lock().unwrap().insert(-1, en);
        let week_ago = moment().now - chrono::Duration::days(7);
        store.reminders.lock().unwrap().insert(-1, week_ago);
        let reminders = reminders(&store);
        let platform = FakePlatform::default();
        platform
            .down
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            reminders
                .remind_due(&platform, IdSpace::Telegram)
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.reminders.lock().unwrap()[&-1], week_ago);
        platform
            .down
            .store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            reminders
                .remind_due(&platform, IdSpace::Telegram)
                .await
                .unwrap(),
            1
        );
        let rules = text(Lang::En, &Msg::Rules);
        let posted = Call::PostText(Place::chat(ChatId(-1)), rules);
        assert_eq!(platform.calls().last(), Some(&posted));
        assert_eq!(
            reminders
                .remind_due(&platform, IdSpace::Telegram)
                .await
                .unwrap(),
            0
        );
    }

    #[tokio::test]
    async fn each_platform_reminds_only_its_own_chats() {
        // Issue 22: a WhatsApp group (a mapped id) is not reminded through
        // Telegram, and a Telegram group not through WhatsApp.
        use crate::platform::fake::{Call, FakePlatform};
        let store = Arc::new(MemStore::default());
        let whatsapp = crate::PLATFORM_ID_BASE + 7;
        let week_ago = moment().now - chrono::Duration::days(7);
        for chat in [-1, whatsapp] {
            store.chats.lock().unwrap().insert(chat, "Tim".into());
            store.reminders.lock().unwrap().insert(chat, week_ago);
        }
        let reminders = reminders(&store);
        let telegram = FakePlatform::default();
        assert_eq!(
            reminders
                .remind_due(&telegram, IdSpace::Telegram)
                .await
                .unwrap(),
            1
        );
        let mapped = FakePlatform::default();
        assert_eq!(
            reminders
                .remind_due(&mapped, IdSpace::Mapped)
                .await
                .unwrap(),
            1
        );
        let chat_of = |c: &Call| match c {
            Call::PostText(place, _) => Some(place.chat),
            _ => None,
        };
        let told: Vec<_> = telegram.calls().iter().filter_map(chat_of).collect();
        assert_eq!(told, vec![ChatId(-1)]);
        let told: Vec<_> = mapped.calls().iter().filter_map(chat_of).collect();
        assert_eq!(told, vec![ChatId(whatsapp)]);
    }
}
