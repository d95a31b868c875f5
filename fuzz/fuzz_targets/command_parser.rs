//! Any bytes, read as text, through the command parser: it must never panic,
//! and what it returns must be printable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(Err(error)) = photo_guard_core::command::parse(&text, "photo_guard_bot") {
        let _ = (error.to_string(), error.command());
    }
});
