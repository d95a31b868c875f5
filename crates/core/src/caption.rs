//! Finding client codes in a caption.
//!
//! A tag is `#` followed by code characters, wherever it stands in the text
//! and whatever punctuation surrounds it. Which tags name registered clients
//! is for the guard to ask the store; here we only read the text.

use crate::ClientCode;

/// Every distinct well-formed code tagged in `caption`, in order of first use.
pub fn hashtags(caption: &str) -> Vec<ClientCode> {
    let mut found: Vec<ClientCode> = Vec::new();
    let mut rest = caption;
    while let Some(pos) = rest.find('#') {
        let after = &rest[pos + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        // A tag glued to more word characters (`#KLN1é`) is not a code.
        let glued = after[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if !glued {
            if let Ok(code) = ClientCode::parse(&after[..end]) {
                if !found.contains(&code) {
                    found.push(code);
                }
            }
        }
        rest = &after[end..];
    }
    found
}

/// The text whose tags are judged: the photo's own caption and every caption
/// of its context, one per line (`hashtags` reads each tag once).
pub fn judged_text(own: Option<&str>, context: &[String]) -> String {
    let mut all: Vec<&str> = own.into_iter().collect();
    all.extend(context.iter().map(String::as_str));
    all.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(caption: &str) -> Vec<String> {
        hashtags(caption)
            .into_iter()
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn tags_inside_text_and_with_punctuation_are_found() {
        assert_eq!(
            codes("Kunjungan (#KLN0042), lalu #kln0007."),
            ["KLN0042", "KLN0007"]
        );
        assert_eq!(codes("#KLN0042,#KLN0043!"), ["KLN0042", "KLN0043"]);
    }

    #[test]
    fn repeated_tags_in_any_case_count_once() {
        assert_eq!(codes("#abc1 #ABC1 #Abc1"), ["ABC1"]);
    }

    #[test]
    fn a_lone_hash_and_malformed_tags_are_ignored() {
        assert!(codes("# #- ## #a #é #KLNé").is_empty());
    }

    #[test]
    fn no_caption_text_means_no_tags() {
        assert!(codes("").is_empty());
        assert!(codes("no tags at all").is_empty());
    }

    #[test]
    fn the_tags_of_the_own_caption_and_of_the_album_are_judged_together() {
        // Issue 17.1: a refused tag on another album item is judged with this one.
        let text = judged_text(Some("#KLN2 selesai"), &["#KLN1".into(), "#kln2".into()]);
        assert_eq!(codes(&text), ["KLN2", "KLN1"]);
        assert_eq!(judged_text(None, &[]), "");
    }
}
