//! `/policy [mode=enforce|observe] [untagged=blur|block] [kind=team|public] [lang=id|en] [remind=Nd|off]`.

use super::error::{echo, Problem};
use super::{option_or_positional, words, Command, Item, Seen};
use crate::{ChatKind, ChatPolicy, Lang, Mode, Untagged};

/// The longest reminder interval, in days.
pub const REMIND_MAX_DAYS: u32 = 365;

/// The changes `/policy` asks for; `None` leaves a setting as it is, and no
/// change at all means "show the policy".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyArgs {
    pub mode: Option<Mode>,
    pub untagged: Option<Untagged>,
    pub kind: Option<ChatKind>,
    pub lang: Option<Lang>,
    /// `Some(Some(days))` for `remind=Nd`, `Some(None)` for `remind=off`.
    pub remind: Option<Option<u32>>,
}

impl PolicyArgs {
    /// Whether nothing is to change: `/policy` alone shows the policy.
    pub fn is_show(&self) -> bool {
        *self == Self::default()
    }

    /// `base` with the asked-for changes.
    pub fn apply(&self, base: &ChatPolicy) -> ChatPolicy {
        ChatPolicy {
            mode: self.mode.unwrap_or(base.mode),
            untagged: self.untagged.unwrap_or(base.untagged),
            kind: self.kind.unwrap_or(base.kind),
            lang: self.lang.unwrap_or(base.lang),
            remind_days: self.remind.unwrap_or(base.remind_days),
        }
    }
}

fn choice<T>(
    key: &'static str,
    expected: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> impl Fn(&str) -> Result<T, Problem> {
    move |raw| {
        parse(&raw.to_ascii_lowercase()).ok_or_else(|| Problem::BadValue {
            key,
            value: echo(raw),
            expected,
        })
    }
}

/// `7d` (or `7`) is every 7 days, `off` is never.
fn remind(raw: &str) -> Result<Option<u32>, Problem> {
    let bad = || Problem::BadValue {
        key: "remind",
        value: echo(raw),
        expected: "1d..365d|off",
    };
    let lower = raw.to_ascii_lowercase();
    if lower == "off" {
        return Ok(None);
    }
    let digits = lower.strip_suffix('d').unwrap_or(&lower);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match digits.parse::<u32>() {
        Ok(days) if (1..=REMIND_MAX_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(bad()),
    }
}

pub(crate) fn policy(args: &str) -> Result<Command, Problem> {
    let mut mode = Seen::default();
    let mut untagged = Seen::default();
    let mut kind = Seen::default();
    let mut lang = Seen::default();
    let mut remind_days = Seen::default();
    for word in words(args)? {
        match option_or_positional(&word.text) {
            Item::Positional(raw) => return Err(Problem::TooManyArguments { extra: echo(raw) }),
            Item::Option { key, value } => match key.as_str() {
                "mode" => mode.set(
                    "mode",
                    value,
                    choice("mode", "enforce|observe", Mode::parse),
                )?,
                "untagged" => untagged.set(
                    "untagged",
                    value,
                    choice("untagged", "blur|block", Untagged::parse),
                )?,
                "kind" => kind.set(
                    "kind",
                    value,
                    choice("kind", "team|public", ChatKind::parse),
                )?,
                "lang" => lang.set("lang", value, choice("lang", "id|en", Lang::parse))?,
                "remind" => remind_days.set("remind", value, remind)?,
                _ => return Err(Problem::UnknownOption { key: echo(&key) }),
            },
        }
    }
    Ok(Command::Policy(PolicyArgs {
        mode: mode.0,
        untagged: untagged.0,
        kind: kind.0,
        lang: lang.0,
        remind: remind_days.0,
    }))
}
