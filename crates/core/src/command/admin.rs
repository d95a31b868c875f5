//! The admins' commands other than `/policy`: `/grant`, `/ungrant`, `/audit`,
//! `/review`, `/stats`, `/breach`.

use super::error::{echo, Arg, Problem};
use super::{no_arguments, words, Command};
use crate::{Role, UserId};

/// `/audit` with no number covers this many days.
pub const AUDIT_DEFAULT_DAYS: u32 = 30;
/// The most days `/audit` covers (ten years).
pub const AUDIT_MAX_DAYS: u32 = 3650;

/// A positive numeric user id, digits only.
fn user_id(raw: &str) -> Result<UserId, Problem> {
    let bad = || Problem::BadUserId(echo(raw));
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(UserId(id)),
        _ => Err(bad()),
    }
}

/// `/grant USER_ID coordinator|admin`.
pub(crate) fn grant(args: &str) -> Result<Command, Problem> {
    let words = words(args)?;
    let mut words = words.iter();
    let user = user_id(
        &words
            .next()
            .ok_or(Problem::MissingArgument { what: Arg::UserId })?
            .text,
    )?;
    let raw = &words
        .next()
        .ok_or(Problem::MissingArgument { what: Arg::Role })?
        .text;
    let role = Role::parse(raw).ok_or_else(|| Problem::BadRole(echo(raw)))?;
    if let Some(extra) = words.next() {
        return Err(Problem::TooManyArguments {
            extra: echo(&extra.text),
        });
    }
    Ok(Command::Grant { user, role })
}

/// `/ungrant USER_ID`.
pub(crate) fn ungrant(args: &str) -> Result<Command, Problem> {
    let words = words(args)?;
    let mut words = words.iter();
    let user = user_id(
        &words
            .next()
            .ok_or(Problem::MissingArgument { what: Arg::UserId })?
            .text,
    )?;
    if let Some(extra) = words.next() {
        return Err(Problem::TooManyArguments {
            extra: echo(&extra.text),
        });
    }
    Ok(Command::Ungrant { user })
}

/// `/audit [days]`: `30` or `30d`, 1 to [`AUDIT_MAX_DAYS`].
pub(crate) fn audit(args: &str) -> Result<Command, Problem> {
    let words = words(args)?;
    let mut words = words.iter();
    let days = match words.next() {
        None => AUDIT_DEFAULT_DAYS,
        Some(word) => {
            let raw = word.text.as_str();
            let bad = || Problem::BadValue {
                key: "days",
                value: echo(raw),
                expected: "1..3650",
            };
            let digits = raw.strip_suffix(['d', 'D']).unwrap_or(raw);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            match digits.parse::<u32>() {
                Ok(days) if (1..=AUDIT_MAX_DAYS).contains(&days) => days,
                _ => return Err(bad()),
            }
        }
    };
    if let Some(extra) = words.next() {
        return Err(Problem::TooManyArguments {
            extra: echo(&extra.text),
        });
    }
    Ok(Command::Audit { days })
}

/// `/review`.
pub(crate) fn review(args: &str) -> Result<Command, Problem> {
    no_arguments(args)?;
    Ok(Command::Review)
}

/// `/stats`.
pub(crate) fn stats(args: &str) -> Result<Command, Problem> {
    no_arguments(args)?;
    Ok(Command::Stats)
}

/// `/breach WHAT HAPPENED` opens an incident; `/breach N` drafts its notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreachArgs {
    Open(String),
    Draft(i64),
}

/// `/breach TEXT` or `/breach N` (issue 23).
pub(crate) fn breach(args: &str) -> Result<Command, Problem> {
    let rest = args.trim();
    if rest.is_empty() {
        return Err(Problem::MissingArgument {
            what: Arg::Description,
        });
    }
    let number = rest.strip_prefix('#').unwrap_or(rest);
    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
        return match number.parse::<i64>() {
            Ok(id) => Ok(Command::Breach(BreachArgs::Draft(id))),
            Err(_) => Err(Problem::BadValue {
                key: "incident",
                value: echo(rest),
                expected: "an incident number",
            }),
        };
    }
    Ok(Command::Breach(BreachArgs::Open(super::free_text(
        "description",
        rest,
    )?)))
}
