//! What the adapter's work on an update shares with the polling loop: work
//! that could not be finished is left in the inbox for a later run. Acting
//! on a verdict (delete, re-post blurred, hold back, as recorded steps) is
//! the core's intake (`photo_guard_core::services::intake`).

/// The work could not be finished; leave it in the inbox for a later run.
#[derive(Debug)]
pub struct Unfinished(pub String);
