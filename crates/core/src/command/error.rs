//! What can be wrong with a known command's arguments.

use thiserror::Error;

use crate::ClientCodeError;

/// A known command with arguments it cannot accept: which command (so the
/// answer can show its usage line) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{problem}")]
pub struct CommandError {
    command: &'static str,
    problem: Problem,
}

impl CommandError {
    pub(crate) fn new(command: &'static str, problem: Problem) -> Self {
        Self { command, problem }
    }

    /// The command's name without the slash, e.g. `"consent"`.
    pub fn command(&self) -> &'static str {
        self.command
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// A positional argument a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Code,
    Level,
    UserId,
    Role,
    /// What happened, for `/breach`.
    Description,
}

impl Arg {
    /// Its placeholder in the usage line.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Code => "CODE",
            Self::Level => "LEVEL",
            Self::UserId => "USER_ID",
            Self::Role => "ROLE",
            Self::Description => "WHAT HAPPENED",
        }
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Code => "the client code",
            Self::Level => "the consent level",
            Self::UserId => "the user id",
            Self::Role => "the role",
            Self::Description => "what happened",
        })
    }
}

/// What was wrong. Strings taken from the message are cut to
/// [`ECHO_MAX`] characters, with line breaks and tabs shown as spaces, so an
/// answer quoting them stays one short line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("{0}")]
    BadCode(ClientCodeError),
    #[error("\"{0}\" is not a consent level (full, blurred or refused)")]
    BadLevel(String),
    #[error("\"{0}\" is not a real date written YYYY-MM-DD")]
    BadDate(String),
    #[error("\"{0}\" is not a user id (a positive number)")]
    BadUserId(String),
    #[error("\"{0}\" is not a role (coordinator or admin)")]
    BadRole(String),
    /// `expected` lists the accepted values, e.g. `enforce|observe`, `1..3650`.
    #[error("\"{value}\" is not a valid {key} ({expected})")]
    BadValue {
        key: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("unknown option \"{key}\"")]
    UnknownOption { key: String },
    #[error("{key}= is given more than once")]
    RepeatedOption { key: &'static str },
    #[error("{key}= has no value")]
    MissingValue { key: &'static str },
    #[error("missing {what}")]
    MissingArgument { what: Arg },
    #[error("unexpected \"{extra}\"")]
    TooManyArguments { extra: String },
    /// A free-text option followed by more words: its value had spaces but
    /// no quotes, as in `purpose=progress report`.
    #[error("the {key} has spaces: put it in double quotes")]
    UnquotedValue { key: &'static str },
    #[error("the {key} is longer than {max} characters")]
    TooLong { key: &'static str, max: usize },
    #[error("a double quote is not closed")]
    UnterminatedQuote,
    /// The code point of a control character (other than newline, carriage
    /// return, tab) or of a bidirectional override.
    #[error("the text holds an invisible control character (U+{0:04X})")]
    ControlCharacter(u32),
}

/// How many characters of the user's text an error quotes.
pub const ECHO_MAX: usize = 40;

/// `raw` as an error quotes it: on one line and at most [`ECHO_MAX`]
/// characters, cut ones replaced by `…`.
pub(crate) fn echo(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .take(ECHO_MAX)
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    if raw.chars().nth(ECHO_MAX).is_some() {
        out.push('…');
    }
    out
}
