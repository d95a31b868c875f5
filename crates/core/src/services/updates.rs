//! The updates a platform delivers, through the durable inbox: each
//! recorded before the platform is told it arrived, finished once its work
//! is done, replayed after a crash. Which are in hand right now is the
//! per-process [`crate::WorkState`].

use std::sync::Arc;

use crate::store::{Inbox, StoreResult};

/// The durable inbox of updates as the adapter's polling loop uses it:
/// recorded before they are confirmed, finished once their work is done.
pub struct Updates {
    inbox: Arc<dyn Inbox>,
}

impl Updates {
    pub fn new(inbox: Arc<dyn Inbox>) -> Self {
        Self { inbox }
    }

    /// Records an update; false if it was already recorded (a redelivery).
    pub async fn receive(&self, update: i64, payload: &str) -> StoreResult<bool> {
        self.inbox.receive(update, payload).await
    }

    /// Recorded and not finished, oldest first.
    pub async fn unfinished(&self) -> StoreResult<Vec<(i64, String)>> {
        self.inbox.unfinished().await
    }

    /// Marks the update's work done; a failure is logged (it is replayed).
    pub async fn finish(&self, update: i64) {
        if let Err(e) = self.inbox.finish(update).await {
            tracing::error!(update, error = %e, "cannot mark an update finished");
        }
    }
}
