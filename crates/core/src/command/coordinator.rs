//! The coordinators' commands: `/consent`, `/withdraw`, `/client`, `/clients`,
//! and a client's data: `/subject`, `/erase`.

use chrono::NaiveDate;

use super::error::{echo, Arg, Problem};
use super::lex::{self, is_quote, Lexer};
use super::{free_text, no_arguments, option_or_positional, words, Command, Item, Seen};
use crate::{ClientCode, ConsentLevel, GivenBy, Grant};

/// `/consent CODE LEVEL [until=YYYY-MM-DD] [by=client|guardian] [evidence=TEXT] [purpose=TEXT]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentArgs {
    pub code: ClientCode,
    pub level: ConsentLevel,
    /// Inclusive last day. Not checked against today: see
    /// [`ConsentArgs::until_is_in_past`].
    pub until: Option<NaiveDate>,
    /// `Client` unless `by=guardian`.
    pub given_by: GivenBy,
    pub evidence: Option<String>,
    pub purpose: Option<String>,
}

impl ConsentArgs {
    /// Whether `until` is a day before `today` (consent that would be expired
    /// the moment it is recorded). A consent valid until today is not past.
    pub fn until_is_in_past(&self, today: NaiveDate) -> bool {
        self.until.is_some_and(|until| until < today)
    }

    /// The grant to record, valid from `valid_from`.
    pub fn grant(&self, valid_from: NaiveDate) -> Grant {
        Grant {
            level: self.level,
            purpose: self.purpose.clone(),
            given_by: self.given_by,
            evidence: self.evidence.clone(),
            valid_from,
            valid_until: self.until,
        }
    }
}

/// A client code as typed; a leading `#` (copied from a caption's hashtag) is
/// allowed.
pub(crate) fn code(raw: &str) -> Result<ClientCode, Problem> {
    let raw = raw.strip_prefix('#').unwrap_or(raw);
    ClientCode::parse(raw).map_err(Problem::BadCode)
}

/// A real date written `YYYY-MM-DD` with exactly those digits.
fn date(raw: &str) -> Result<NaiveDate, Problem> {
    let b = raw.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(Problem::BadDate(echo(raw)));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Problem::BadDate(echo(raw)))
}

pub(crate) fn consent(args: &str) -> Result<Command, Problem> {
    let words = words(args)?;
    let mut code_arg = None;
    let mut level = None;
    let mut until = Seen::default();
    let mut by = Seen::default();
    let mut evidence = Seen::default();
    let mut purpose = Seen::default();
    // The free-text option just before this word, to explain a stray word.
    let mut after_free_text: Option<&'static str> = None;
    for word in &words {
        let previous = after_free_text.take();
        match option_or_positional(&word.text) {
            Item::Positional(raw) => {
                if code_arg.is_none() {
                    code_arg = Some(code(raw)?);
                } else if level.is_none() {
                    level =
                        Some(ConsentLevel::parse(raw).ok_or_else(|| Problem::BadLevel(echo(raw)))?);
                } else if let Some(key) = previous {
                    return Err(Problem::UnquotedValue { key });
                } else {
                    return Err(Problem::TooManyArguments { extra: echo(raw) });
                }
            }
            Item::Option { key, value } => match key.as_str() {
                "until" => until.set("until", value, date)?,
                "by" => by.set("by", value, |v| {
                    GivenBy::parse(v).ok_or_else(|| Problem::BadValue {
                        key: "by",
                        value: echo(v),
                        expected: "client|guardian",
                    })
                })?,
                "evidence" => {
                    evidence.set("evidence", value, |v| free_text("evidence", v))?;
                    after_free_text = Some("evidence");
                }
                "purpose" => {
                    purpose.set("purpose", value, |v| free_text("purpose", v))?;
                    after_free_text = Some("purpose");
                }
                _ => return Err(Problem::UnknownOption { key: echo(&key) }),
            },
        }
    }
    let code = code_arg.ok_or(Problem::MissingArgument { what: Arg::Code })?;
    let level = level.ok_or(Problem::MissingArgument { what: Arg::Level })?;
    Ok(Command::Consent(ConsentArgs {
        code,
        level,
        until: until.0,
        given_by: by.0.unwrap_or(GivenBy::Client),
        evidence: evidence.0,
        purpose: purpose.0,
    }))
}

/// `/withdraw CODE [reason]`: the reason is the rest of the text, verbatim,
/// unless it is one quoted string, whose quotes are then removed.
pub(crate) fn withdraw(args: &str) -> Result<Command, Problem> {
    let mut lexer = Lexer::new(args);
    let first = match lexer.next_word() {
        None => return Err(Problem::MissingArgument { what: Arg::Code }),
        Some(word) => word.map_err(|_| Problem::UnterminatedQuote)?,
    };
    let code = code(&first.text)?;
    let rest = lexer.rest().trim();
    let reason = if rest.starts_with(is_quote) {
        match lex::split(rest) {
            Err(_) => return Err(Problem::UnterminatedQuote),
            Ok(words) if words.len() == 1 => words[0].text.clone(),
            Ok(_) => rest.to_owned(),
        }
    } else {
        rest.to_owned()
    };
    let reason = reason.trim();
    let reason = if reason.is_empty() {
        None
    } else {
        Some(free_text("reason", reason)?)
    };
    Ok(Command::Withdraw { code, reason })
}

/// `/client CODE`.
pub(crate) fn client(args: &str) -> Result<Command, Problem> {
    one_code(args).map(|code| Command::Client { code })
}

/// `/subject CODE` (issue 23).
pub(crate) fn subject(args: &str) -> Result<Command, Problem> {
    one_code(args).map(|code| Command::Subject { code })
}

/// `/erase CODE` (issue 23).
pub(crate) fn erase(args: &str) -> Result<Command, Problem> {
    one_code(args).map(|code| Command::Erase { code })
}

/// Exactly one client code.
fn one_code(args: &str) -> Result<ClientCode, Problem> {
    let words = words(args)?;
    let mut words = words.iter();
    let code = match words.next() {
        None => return Err(Problem::MissingArgument { what: Arg::Code }),
        Some(word) => code(&word.text)?,
    };
    if let Some(extra) = words.next() {
        return Err(Problem::TooManyArguments {
            extra: echo(&extra.text),
        });
    }
    Ok(code)
}

/// `/clients`.
pub(crate) fn clients(args: &str) -> Result<Command, Problem> {
    no_arguments(args)?;
    Ok(Command::Clients)
}
