//! Splitting a command's argument text into words.
//!
//! - Words are separated by any whitespace, newlines included.
//! - A double quote opens a quoted run in which whitespace is kept; quotes may
//!   start mid-word, so `key="a b"` and `"key=a b"` both give the word `key=a b`.
//!   Curly quotes (`“` `”`), which phone keyboards type for `"`, count as quotes.
//! - A backslash before a quote or another backslash makes it literal
//!   (`\"`, `\\`); any other backslash is kept as it is.
//! - A quote left open is an error; `""` is an (empty) word.

/// One word, with the byte range of its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UnterminatedQuote;

pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Reads words one at a time, so a caller can stop after the first few and
/// take the rest of the text verbatim.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Self {
        Self { input, pos: 0 }
    }

    /// The text not read yet.
    pub fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    pub fn next_word(&mut self) -> Option<Result<Word, UnterminatedQuote>> {
        let rest = &self.input[self.pos..];
        let skipped = rest.len() - rest.trim_start().len();
        self.pos += skipped;
        if self.pos >= self.input.len() {
            return None;
        }
        let start = self.pos;
        let mut text = String::new();
        let mut quoted = false;
        let mut chars = self.input[start..].char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            if c == '\\' {
                match chars.peek() {
                    Some(&(_, next)) if is_quote(next) || next == '\\' => {
                        text.push(next);
                        chars.next();
                    }
                    _ => text.push('\\'),
                }
            } else if is_quote(c) {
                quoted = !quoted;
            } else if c.is_whitespace() && !quoted {
                self.pos = start + offset;
                return Some(Ok(Word {
                    text,
                    start,
                    end: self.pos,
                }));
            } else {
                text.push(c);
            }
        }
        self.pos = self.input.len();
        if quoted {
            return Some(Err(UnterminatedQuote));
        }
        Some(Ok(Word {
            text,
            start,
            end: self.pos,
        }))
    }
}

/// Every word of `input`.
pub(crate) fn split(input: &str) -> Result<Vec<Word>, UnterminatedQuote> {
    let mut lexer = Lexer::new(input);
    let mut words = Vec::new();
    while let Some(word) = lexer.next_word() {
        words.push(word?);
    }
    Ok(words)
}

/// The first character that has no business in a command: control characters
/// other than newline, carriage return and tab, and the bidirectional
/// overrides that can make text display differently from what it says.
pub(crate) fn forbidden_char(input: &str) -> Option<char> {
    input.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}
