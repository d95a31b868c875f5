//! Issue 6, the authorization matrix: every command × every role (none,
//! member, coordinator, admin) × chat type (group, private), and the review
//! buttons × roles, against the real bot. Only what DESIGN.md allows has an
//! effect; everything else is answered with NotAllowed / PrivateOnly /
//! GroupOnly and changes nothing in the store.
//!
//! DESIGN.md, "The bot's commands":
//! - everyone: /start, /help, /rules anywhere; /report in a group, as a reply;
//! - coordinators (and admins, who cover them), in a private chat: /consent,
//!   /withdraw, /client, /clients;
//! - admins, in a private chat: /review, /grant, /ungrant, /audit, /stats;
//!   /policy in a group.
//!
//! "none" is a user who is not in the group (in the group cells Telegram
//! would have made them a member by the time they can post, as the fake does);
//! "member" is in the group with no photo-guard role; the coordinator is
//! named with `/grant ID coordinator` by the admin; the admin comes from
//! ADMIN_USER_IDS. One bot process runs the whole matrix, a cell at a time.

mod buttons;
mod cast;
mod matrix;
mod setup;
mod world;
