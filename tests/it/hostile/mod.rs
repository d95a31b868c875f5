//! Issue 6, hostile input: a corpus the tests build themselves (nothing binary
//! is committed), run through the vision pipeline directly and through the
//! real bot against the fake Telegram.
//!
//! - Undecodable, truncated, bombs, 0x0, GIF, animated, too large: the
//!   pipeline refuses them (`Err`), and the bot blocks them: the original is
//!   deleted, the bytes are quarantined and the admins get a review alert.
//! - Valid images without a face (PNG, WebP, a JPEG carrying several 64 KB
//!   EXIF blocks): allowed and left in place.
//! - Bit-flipped files: whatever the pipeline makes of them, the bot does the
//!   same (an `Err` is a block, no face an allow, faces a blur), never a panic.
//! - Captions of 4096 characters and odd Unicode, commands with quotes,
//!   newlines and SQL-looking text, forged callback data: recorded verbatim or
//!   refused with a clear answer; the bot keeps answering `/rules`.

mod captions;
mod chat;
mod corpus;
pub(crate) mod forge;
mod library;

use std::sync::Mutex;

/// The hostile tests measure RSS; they do not run on top of each other.
static SERIAL: Mutex<()> = Mutex::new(());
