//! photo-guard's core: the domain types, the policy and the guard service.
//!
//! Nothing here knows Telegram, SQL or a face detector: adapters, the store
//! and the vision pipeline plug in through the traits in [`vision`] and
//! [`store`].

pub mod vision;
