//! How many rows the bot skips because it cannot read them (sealed under
//! another `QUARANTINE_KEY`, or damaged): unfinished updates the replay
//! leaves alone and pending photos `/review` does not list. `photo-guard
//! doctor` reports them; nothing else about them is shown.

use photo_guard_core::StoreResult;

use crate::SqlStore;

/// Counts of unreadable rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// Unfinished updates in the inbox.
    pub updates: u64,
    /// Pending quarantined photos.
    pub photos: u64,
}

impl Unreadable {
    pub fn is_none(&self) -> bool {
        self.updates == 0 && self.photos == 0
    }
}

impl SqlStore {
    /// Reads every unfinished update and pending photo's row and counts the
    /// ones that fail.
    pub async fn unreadable(&self) -> StoreResult<Unreadable> {
        let (_, updates) = self.read_unfinished().await?;
        let (_, photos) = self.read_pending().await?;
        Ok(Unreadable {
            updates: updates.len() as u64,
            photos: photos.len() as u64,
        })
    }
}
