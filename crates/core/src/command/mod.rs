//! The bot's commands: message text in, a typed [`Command`] out.
//!
//! Pure and platform-independent: the adapter hands over the message text and
//! the bot's username, and gets back `None` (not a command for this bot),
//! `Some(Ok(command))`, or `Some(Err(error))` for a known command whose
//! arguments are wrong; the error names the command, for its usage line, and
//! the problem. Which commands exist, whom they are for and where they run is
//! the one table in [`table`]. Nothing here checks who may run a command or
//! the clock: the services do (see [`Command::required_role`],
//! [`ConsentArgs::until_is_in_past`]).
//!
//! Arguments are split into words by [`lex`]: whitespace (newlines included)
//! separates them, double quotes keep spaces in a value (`purpose="a b"` or
//! `"purpose=a b"`), `\"` is a literal quote. Free-text values are kept
//! verbatim, whatever they look like.

mod admin;
mod coordinator;
mod error;
mod lex;
mod policy;
pub mod table;

#[cfg(test)]
mod fuzz_smoke;
#[cfg(test)]
mod tests;

pub use admin::{BreachArgs, AUDIT_DEFAULT_DAYS, AUDIT_MAX_DAYS};
pub use coordinator::ConsentArgs;
pub use error::{Arg, CommandError, Problem, ECHO_MAX};
pub use policy::{PolicyArgs, REMIND_MAX_DAYS};

use crate::{ClientCode, Role, UserId};

/// The longest evidence, purpose or withdrawal reason, in characters.
pub const FREE_TEXT_MAX: usize = 500;

/// The longest command name Telegram allows.
const NAME_MAX: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Rules,
    /// Meant as a reply to the message being reported; any words after it are
    /// ignored.
    Report,
    Consent(ConsentArgs),
    Withdraw {
        code: ClientCode,
        reason: Option<String>,
    },
    Client {
        code: ClientCode,
    },
    Clients,
    /// Issue 23: everything held about a client, as a file.
    Subject {
        code: ClientCode,
    },
    /// Issue 23: erase what is not needed as proof.
    Erase {
        code: ClientCode,
    },
    Review,
    Grant {
        user: UserId,
        role: Role,
    },
    Ungrant {
        user: UserId,
    },
    Policy(PolicyArgs),
    /// The last `days` days, [`AUDIT_DEFAULT_DAYS`] unless given.
    Audit {
        days: u32,
    },
    Stats,
    /// Issue 23: open a breach incident, or draft its notice.
    Breach(BreachArgs),
    /// A command this bot does not know, its name in lower case, without the
    /// slash.
    Unknown(String),
}

impl Command {
    /// The command's name without the slash, e.g. `"consent"`.
    pub fn name(&self) -> &str {
        match self {
            Self::Start => "start",
            Self::Help => "help",
            Self::Rules => "rules",
            Self::Report => "report",
            Self::Consent(_) => "consent",
            Self::Withdraw { .. } => "withdraw",
            Self::Client { .. } => "client",
            Self::Clients => "clients",
            Self::Subject { .. } => "subject",
            Self::Erase { .. } => "erase",
            Self::Review => "review",
            Self::Grant { .. } => "grant",
            Self::Ungrant { .. } => "ungrant",
            Self::Policy(_) => "policy",
            Self::Audit { .. } => "audit",
            Self::Stats => "stats",
            Self::Breach(_) => "breach",
            Self::Unknown(name) => name,
        }
    }

    /// The role needed to run it (an admin covers a coordinator), `None` when
    /// anyone may; from the [`table`].
    pub fn required_role(&self) -> Option<Role> {
        table::spec(self.name()).and_then(|s| s.role)
    }

    /// Where it may be used, from the [`table`]; an unknown command anywhere
    /// (it does nothing).
    pub fn usable(&self) -> table::Usable {
        table::spec(self.name()).map_or(table::Usable::Anywhere, |s| s.usable)
    }
}

/// Parses a message's text.
///
/// `None` when it is not a command for this bot: it does not start with `/`,
/// the name after the slash is not 1 to 32 letters, digits or `_`, or it is
/// addressed to another bot (`/help@OtherBot`). `bot_username` may carry its
/// `@`; names and the username compare case-insensitively. A command this bot
/// does not know is `Some(Ok(Command::Unknown(name)))`.
///
/// `/start`, `/help`, `/rules` and `/report` ignore any words after them
/// (deep-link payloads, a note with a report); the other commands check them.
pub fn parse(text: &str, bot_username: &str) -> Option<Result<Command, CommandError>> {
    let (name, args) = head(text, bot_username)?;
    let Some(spec) = table::spec(&name) else {
        return Some(Ok(Command::Unknown(name)));
    };
    let parsed = match lex::forbidden_char(args) {
        Some(c) if !spec.ignores_words => Err(Problem::ControlCharacter(c as u32)),
        _ => (spec.parse)(args),
    };
    Some(parsed.map_err(|problem| CommandError::new(spec.name, problem)))
}

/// The command's name in lower case and its argument text, if `text` is a
/// command for this bot.
fn head<'a>(text: &'a str, bot_username: &str) -> Option<(String, &'a str)> {
    let rest = text.strip_prefix('/')?;
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (token, args) = rest.split_at(end);
    let (name, mention) = match token.split_once('@') {
        Some((name, mention)) => (name, Some(mention)),
        None => (token, None),
    };
    let well_formed = !name.is_empty()
        && name.len() <= NAME_MAX
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !well_formed {
        return None;
    }
    if let Some(mention) = mention {
        let ours = bot_username.trim();
        let ours = ours.strip_prefix('@').unwrap_or(ours);
        if mention.is_empty() || !mention.eq_ignore_ascii_case(ours) {
            return None;
        }
    }
    Some((name.to_ascii_lowercase(), args))
}

/// The words of `args`.
pub(crate) fn words(args: &str) -> Result<Vec<lex::Word>, Problem> {
    lex::split(args).map_err(|_| Problem::UnterminatedQuote)
}

/// For commands that take nothing.
pub(crate) fn no_arguments(args: &str) -> Result<(), Problem> {
    match words(args)?.first() {
        Some(extra) => Err(Problem::TooManyArguments {
            extra: error::echo(&extra.text),
        }),
        None => Ok(()),
    }
}

/// A word of a command that takes `key=value` options.
pub(crate) enum Item<'w> {
    /// The key in lower case; the value as typed.
    Option {
        key: String,
        value: &'w str,
    },
    Positional(&'w str),
}

/// A word holding `=` is an option, split at its first `=`.
pub(crate) fn option_or_positional(word: &str) -> Item<'_> {
    match word.split_once('=') {
        Some((key, value)) => Item::Option {
            key: key.trim().to_ascii_lowercase(),
            value,
        },
        None => Item::Positional(word),
    }
}

/// An option's value once given.
pub(crate) struct Seen<T>(pub Option<T>);

impl<T> Default for Seen<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> Seen<T> {
    /// Records `key`'s value, parsed from `raw` trimmed; refuses it given twice
    /// or empty.
    pub fn set(
        &mut self,
        key: &'static str,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Result<(), Problem> {
        if self.0.is_some() {
            return Err(Problem::RepeatedOption { key });
        }
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::MissingValue { key });
        }
        self.0 = Some(parse(raw)?);
        Ok(())
    }
}

/// A free-text value, trimmed, at most [`FREE_TEXT_MAX`] characters.
pub(crate) fn free_text(key: &'static str, raw: &str) -> Result<String, Problem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Problem::MissingValue { key });
    }
    if text.chars().count() > FREE_TEXT_MAX {
        return Err(Problem::TooLong {
            key,
            max: FREE_TEXT_MAX,
        });
    }
    Ok(text.to_owned())
}
