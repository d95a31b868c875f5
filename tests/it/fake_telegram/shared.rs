//! `Shared`: the world behind one mutex, plus the change signals that wake
//! `wait_until` callers, long polls and the shutdown path.

use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use super::state::State;

/// The state behind a mutex, plus change signals: `changed` ticks after every
/// mutation (for `wait_until`), `updates` ticks when an update is queued (for
/// long polls).
pub(crate) struct Shared {
    state: Mutex<State>,
    changed: watch::Sender<u64>,
    updates: watch::Sender<u64>,
    pub token: String,
    closed: watch::Sender<bool>,
}

impl Shared {
    pub fn new(state: State, token: String) -> Self {
        Shared {
            state: Mutex::new(state),
            changed: watch::Sender::new(0),
            updates: watch::Sender::new(0),
            token,
            closed: watch::Sender::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the state without signalling a change.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Mutates the state, then wakes waiters (and long polls when an update
    /// was queued).
    pub fn mutate<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let (result, queued) = {
            let mut state = self.lock();
            let before = state.next_update_id;
            let result = f(&mut state);
            (result, state.next_update_id != before)
        };
        if queued {
            self.updates.send_modify(|n| *n += 1);
        }
        self.changed.send_modify(|n| *n += 1);
        result
    }

    pub fn subscribe_changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub fn subscribe_updates(&self) -> watch::Receiver<u64> {
        self.updates.subscribe()
    }

    pub fn subscribe_closed(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }

    /// Marks the server closed: long polls return at once.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    pub fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }
}
