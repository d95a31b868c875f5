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
}
