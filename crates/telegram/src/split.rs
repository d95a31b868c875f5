//! Cutting a reply longer than Telegram's message limit into parts that each
//! fit. Telegram counts a text in UTF-16 code units (an emoji is two), and
//! refuses a longer one outright, so `/clients`, `/client` and `/stats` went
//! unanswered once they grew. Parts break at line boundaries; only a single
//! line longer than the limit is cut inside, at a character boundary.

/// Telegram's limit for a message's text, in UTF-16 code units.
pub const MESSAGE_LIMIT: usize = 4096;

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The parts of `text`, in order, each at most `limit` UTF-16 code units.
/// A text that fits comes back whole; where two parts meet at a line break,
/// that newline is dropped (each message ends its own line), and so are blank
/// lines at the end of a part. Parts that would hold only whitespace are left
/// out: Telegram refuses an empty message.
#[must_use]
pub fn split_message(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(2); // room for any one character
    if units(text) <= limit {
        return vec![text.to_owned()];
    }
    let mut parts = Vec::new();
    let mut open = String::new();
    let mut used = 0;
    for (i, line) in text.split('\n').enumerate() {
        let len = units(line);
        if i > 0 && used + 1 + len <= limit {
            open.push('\n');
            open.push_str(line);
            used += 1 + len;
            continue;
        }
        if i > 0 {
            parts.push(std::mem::take(&mut open));
        }
        let mut pieces = cut_line(line, limit);
        open = pieces.pop().unwrap_or_default();
        used = units(&open);
        parts.extend(pieces);
    }
    parts.push(open);
    parts
        .into_iter()
        .map(|p| p.trim_end_matches('\n').to_owned())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// One line in pieces of at most `limit` units, never splitting a character
/// (so never a surrogate pair). Always at least one piece.
fn cut_line(line: &str, limit: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf16() > limit {
            pieces.push(String::new());
            used = 0;
        }
        used += c.len_utf16();
        pieces.last_mut().expect("never empty").push(c);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_fit(parts: &[String], limit: usize) {
        for p in parts {
            assert!(units(p) <= limit, "{} units in {p:?}", units(p));
        }
    }

    #[test]
    fn a_text_that_fits_comes_back_whole() {
        assert_eq!(split_message("a\nb", 10), ["a\nb"]);
        assert_eq!(split_message("", 10), [""]);
    }

    #[test]
    fn a_text_of_exactly_the_limit_is_one_part_and_one_more_unit_is_two() {
        let exact = format!("{}\n{}", "a".repeat(5), "b".repeat(4));
        assert_eq!(split_message(&exact, 10), std::slice::from_ref(&exact));
        let over = format!("{}\n{}", "a".repeat(5), "b".repeat(5));
        assert_eq!(split_message(&over, 10), ["aaaaa", "bbbbb"]);
    }

    #[test]
    fn lines_are_packed_greedily_and_never_cut_when_they_fit() {
        let text = "one\ntwo\nthree\nfour";
        let parts = split_message(text, 9);
        assert_eq!(parts, ["one\ntwo", "three", "four"]);
        assert_eq!(parts.join("\n"), text);
    }

    // Issue 17.16: Telegram counts UTF-16 units: this text is under the limit
    // in chars and over it in units.
    #[test]
    fn emoji_count_two_units_each_toward_the_limit() {
        let line = "😀😀😀 KLN1"; // 8 chars, 11 units
        let text = vec![line; 400].join("\n");
        assert!(text.chars().count() <= MESSAGE_LIMIT);
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert!(parts.len() >= 2, "{} part(s)", parts.len());
        all_fit(&parts, MESSAGE_LIMIT);
        assert_eq!(parts.join("\n"), text, "nothing lost, nothing cut mid-line");
    }

    #[test]
    fn a_line_longer_than_the_limit_is_cut_between_characters() {
        let line = "😀".repeat(7); // 14 units
        let parts = split_message(&line, 4);
        assert_eq!(parts, ["😀😀", "😀😀", "😀😀", "😀"]);
        let odd = format!("a{}", "😀".repeat(3)); // a surrogate pair may not straddle
        let parts = split_message(&odd, 4);
        assert_eq!(parts, ["a😀", "😀😀"]);
        all_fit(&parts, 4);
    }

    #[test]
    fn a_long_line_between_short_ones_keeps_the_order() {
        let text = format!("head\n{}\ntail", "x".repeat(25));
        let parts = split_message(&text, 10);
        assert_eq!(parts, ["head", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx\ntail"]);
    }

    #[test]
    fn blank_parts_are_left_out() {
        let text = format!("{}\n\n\n\n\n\n\n\n\n\n\n\n{}", "a".repeat(8), "b".repeat(8));
        let parts = split_message(&text, 10);
        assert_eq!(parts.first().map(String::as_str), Some("aaaaaaaa"));
        assert_eq!(parts.last().map(String::as_str), Some("bbbbbbbb"));
        assert!(parts.iter().all(|p| !p.trim().is_empty()), "{parts:?}");
    }
}
