//! The scheduled reminder of the rules: which guarded chats are due, by each
//! chat's `remind` days since the last one went out. A chat just taken under
//! guard starts its schedule now rather than being reminded at once.

use std::sync::Arc;

use crate::store::{PolicyStore, StoreResult};
use crate::{ChatId, Clock, Lang};

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
}
