//! Who an audit entry the adapter asks for names: the sender of a message
//! as the core names users. The entries themselves are the core services'.

use photo_guard_core::UserId as CoreUser;

/// The sender of a message as the core names users (0 when unknown).
pub fn sender(msg: &teloxide::types::Message) -> Option<CoreUser> {
    msg.from.as_ref().map(|u| CoreUser(u.id.0 as i64))
}
