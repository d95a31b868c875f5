//! One message at a time: work on a message (its first state, an edit, a
//! replay) waits its turn, so a later state is judged only once the earlier
//! one's work is done. Keyed by (chat, message) within this process; the
//! enforcement record's update ids keep the order across restarts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

type Key = (i64, i32);

#[derive(Default)]
pub struct Turns {
    slots: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

/// Holding this is having the message's turn.
#[must_use = "the turn ends when this is dropped"]
pub struct Turn<'a> {
    turns: &'a Turns,
    key: Key,
    guard: Option<OwnedMutexGuard<()>>,
}

impl Turns {
    /// Waits until no other work on the message is running.
    pub async fn take(&self, chat: i64, message: i32) -> Turn<'_> {
        let key = (chat, message);
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(key).or_default().clone()
        };
        Turn {
            turns: self,
            key,
            guard: Some(slot.lock_owned().await),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.lock().map(|s| s.len()).unwrap_or(0)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut slots = self.turns.slots.lock().unwrap_or_else(|e| e.into_inner());
        // Only the map holds it: nobody waits, so forget the message.
        if slots
            .get(&self.key)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            slots.remove(&self.key);
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
        let turns = Arc::new(Turns::default());
        let first = turns.take(-1, 7).await;
        let other = tokio::time::timeout(Duration::from_millis(50), turns.take(-1, 8)).await;
        assert!(other.is_ok(), "another message does not wait");
        drop(other);
        let waiting = {
            let turns = turns.clone();
            tokio::spawn(async move {
                let _t = turns.take(-1, 7).await;
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
        assert_eq!(turns.len(), 0, "finished messages are forgotten");
    }
}
