//! A caption for media the bot posts: the body, then the one-line reminder,
//! kept within the platforms' caption limit (Telegram's 1024 UTF-16 code
//! units, an emoji counting two; WhatsApp's is not smaller).

use super::{text, Msg};
use crate::Lang;

/// The longest caption, in UTF-16 code units.
pub const CAPTION_LIMIT: usize = 1024;

/// Appends the reminder, cutting the body so both fit [`CAPTION_LIMIT`].
pub fn with_reminder(lang: Lang, body: &str) -> String {
    let reminder = text(lang, &Msg::Reminder);
    let room = CAPTION_LIMIT.saturating_sub(reminder.encode_utf16().count() + 2);
    let mut used = 0;
    let body: String = body
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    format!("{body}\n\n{reminder}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 17.18: "é" is one UTF-16 unit, so counting chars could not tell a
    // cut by units from a cut by chars; emoji are two units each.
    #[test]
    fn a_long_caption_is_cut_so_the_reminder_still_fits_telegrams_limit() {
        let long = "😀".repeat(900); // 900 chars, 1800 units
        let caption = with_reminder(Lang::Id, &long);
        let units = caption.encode_utf16().count();
        assert!(units <= CAPTION_LIMIT, "{units} UTF-16 units");
        assert!(caption.ends_with(&text(Lang::Id, &Msg::Reminder)));
        assert!(caption.starts_with("😀"), "the caption itself was dropped");
    }
}
