//! [`WorkState`] in this process: sets and per-message locks in memory,
//! forgotten at exit (the inbox and the enforcement record carry what must
//! survive a restart).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::OwnedMutexGuard;

use crate::work::{Turn, WorkState};
use crate::{ChatId, MessageId};

type Key = (i64, i64);
type Slots = Arc<Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>>;

#[derive(Default)]
pub struct LocalWork {
    in_hand: Mutex<HashSet<i64>>,
    warned: Mutex<HashSet<i64>>,
    slots: Slots,
}

/// A message's turn in this process.
struct LocalTurn {
    slots: Slots,
    key: Key,
    guard: Option<OwnedMutexGuard<()>>,
}

impl Drop for LocalTurn {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        // Only the map holds it: nobody waits, so forget the message.
        if slots
            .get(&self.key)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            slots.remove(&self.key);
        }
    }
}

impl LocalWork {
    #[cfg(test)]
    fn turns_held(&self) -> usize {
        self.slots.lock().map(|s| s.len()).unwrap_or(0)
    }
}

#[async_trait]
impl WorkState for LocalWork {
    fn begin(&self, update: i64) -> bool {
        self.in_hand
            .lock()
            .map(|mut set| set.insert(update))
            .unwrap_or(false)
    }

    fn end(&self, update: i64) {
        if let Ok(mut set) = self.in_hand.lock() {
            set.remove(&update);
        }
    }

    fn in_hand(&self, update: i64) -> bool {
        self.in_hand
            .lock()
            .map(|set| set.contains(&update))
            .unwrap_or(true)
    }

    fn in_hand_count(&self) -> usize {
        self.in_hand.lock().map(|set| set.len()).unwrap_or(0)
    }

    async fn take_turn(&self, chat: ChatId, message: MessageId) -> Turn {
        let key = (chat.0, message.0);
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(key).or_default().clone()
        };
        let guard = Some(slot.lock_owned().await);
        let slots = self.slots.clone();
        Turn::new(LocalTurn { slots, key, guard })
    }

    fn first_warning(&self, chat: ChatId) -> bool {
        self.warned
            .lock()
            .map(|mut w| w.insert(chat.0))
            .unwrap_or(true)
    }

    fn forget_warning(&self, chat: ChatId) {
        if let Ok(mut w) = self.warned.lock() {
            w.remove(&chat.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn work_on_one_message_waits_for_the_earlier_work_and_others_do_not() {
        // Issue 17.7: an edit waits for the original's work to finish.
        let work = Arc::new(LocalWork::default());
        let first = work.take_turn(ChatId(-1), MessageId(7)).await;
        let other = work.take_turn(ChatId(-1), MessageId(8));
        let other = tokio::time::timeout(Duration::from_millis(50), other).await;
        assert!(other.is_ok(), "another message does not wait");
        drop(other);
        let waiting = {
            let work = work.clone();
            tokio::spawn(async move {
                let _t = work.take_turn(ChatId(-1), MessageId(7)).await;
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !waiting.is_finished(),
            "the second turn waits for the first"
        );
        drop(first);
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("the second turn follows")
            .unwrap();
        assert_eq!(work.turns_held(), 0, "finished messages are forgotten");
    }

    #[test]
    fn an_update_is_in_hand_once_and_a_chat_is_warned_once_until_forgotten() {
        // Issue 18: the in-flight set and the rights warnings have one owner.
        let work = LocalWork::default();
        assert!(work.begin(5) && !work.begin(5));
        assert!(work.in_hand(5) && work.in_hand_count() == 1);
        work.end(5);
        assert!(!work.in_hand(5) && work.in_hand_count() == 0);
        assert!(work.first_warning(ChatId(-1)) && !work.first_warning(ChatId(-1)));
        work.forget_warning(ChatId(-1));
        assert!(work.first_warning(ChatId(-1)));
    }
}
