//! [`WorkState`] in this process: sets in memory, forgotten at exit (the
//! inbox's job queue and the enforcement record carry what must survive a
//! restart or be shared between replicas). A rights warning is given once
//! per chat by each replica.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::work::WorkState;
use crate::ChatId;

#[derive(Default)]
pub struct LocalWork {
    in_hand: Mutex<HashSet<i64>>,
    warned: Mutex<HashSet<i64>>,
}

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

    fn in_hand_count(&self) -> usize {
        self.in_hand.lock().map(|set| set.len()).unwrap_or(0)
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

    #[test]
    fn a_job_is_in_hand_once_and_a_chat_is_warned_once_until_forgotten() {
        // Issue 18: the jobs in hand and the rights warnings have one owner.
        let work = LocalWork::default();
        assert!(work.begin(5) && !work.begin(5));
        assert_eq!(work.in_hand_count(), 1);
        work.end(5);
        assert_eq!(work.in_hand_count(), 0);
        assert!(work.first_warning(ChatId(-1)) && !work.first_warning(ChatId(-1)));
        work.forget_warning(ChatId(-1));
        assert!(work.first_warning(ChatId(-1)));
    }
}
