//! Config values parsed at the edge into types that cannot hold a bad value:
//! an admin's user id, the Bot API address, the data folder. `config.rs`
//! reads the variables and hands the raw text here.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use photo_guard_core::UserId;

/// A Telegram user id as `/grant` takes it: digits only, above zero. Zero,
/// negative numbers and group or channel ids (`-100…`) are not people and
/// would make nobody an admin while looking as if they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminUserId(UserId);

impl AdminUserId {
    pub fn user(self) -> UserId {
        self.0
    }
}

impl FromStr for AdminUserId {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let why = if raw.starts_with('-') {
            "a negative id is a group or channel, not a person"
        } else if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            "not a numeric Telegram user id"
        } else {
            match raw.parse::<i64>() {
                Ok(id) if id > 0 => return Ok(Self(UserId(id))),
                Ok(_) => "0 is not a Telegram user id",
                Err(_) => "too large for a Telegram user id",
            }
        };
        Err(format!(
            "{raw:?}: {why}; user ids are positive numbers (ask @userinfobot for yours)"
        ))
    }
}

/// Why a Bot API address is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiUrlProblem {
    Unparsable(String),
    Scheme,
    /// Plain http to another machine: the bot token is part of every path.
    PlainHttpOffLoopback,
}

impl std::fmt::Display for ApiUrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unparsable(e) => write!(f, "not a URL ({e})"),
            Self::Scheme => f.write_str("must start with http:// or https://"),
            Self::PlainHttpOffLoopback => f.write_str(
                "plain http sends the bot token unencrypted; use https, or http only to \
                 this machine (127.0.0.1, ::1, localhost)",
            ),
        }
    }
}

/// `TELEGRAM_API_URL`: https anywhere, plain http only to a loopback
/// address (a local Bot API server, the tests' fake Telegram).
pub fn check_api_url(raw: &str) -> Result<(), ApiUrlProblem> {
    let url = url::Url::parse(raw.trim()).map_err(|e| ApiUrlProblem::Unparsable(e.to_string()))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(ApiUrlProblem::PlainHttpOffLoopback),
        _ => Err(ApiUrlProblem::Scheme),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A WhatsApp user as `WHATSAPP_ADMINS` names them: a phone number in
/// international form (`6281234567890`, `+62 812-3456-7890`) or WAHA's id
/// (`6281234567890@c.us`), kept as the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatsAppUser(String);

impl WhatsAppUser {
    pub fn id(self) -> String {
        self.0
    }
}

impl FromStr for WhatsAppUser {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let number = raw.trim().strip_suffix("@c.us").unwrap_or(raw.trim());
        let digits: String = number
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '+' | '(' | ')'))
            .collect();
        let plausible = (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        match plausible {
            true => Ok(Self(format!("{digits}@c.us"))),
            false => Err(format!(
                "{raw:?}: not a phone number in international form (country code first, e.g. 6281234567890)"
            )),
        }
    }
}

/// `WHATSAPP_API_URL`: https anywhere; plain http to this machine or to a
/// bare host name (a container beside the bot, e.g. `http://waha:3000`),
/// since the API key goes with every request.
pub fn check_gateway_url(raw: &str) -> Result<url::Url, ApiUrlProblem> {
    let url = url::Url::parse(raw.trim()).map_err(|e| ApiUrlProblem::Unparsable(e.to_string()))?;
    let bare_name = matches!(url.host(), Some(url::Host::Domain(name)) if !name.contains('.'));
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) || bare_name => Ok(url),
        "http" => Err(ApiUrlProblem::PlainHttpOffLoopback),
        _ => Err(ApiUrlProblem::Scheme),
    }
}

/// The file of a `sqlite:` database URL; `None` for an in-memory one.
pub fn database_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// The data folder: where the database file lives.
pub fn data_dir(url: &str) -> Option<PathBuf> {
    database_file(url)?.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 17.17: 0, negative and group ids used to be taken as admins.
    #[test]
    fn admin_ids_must_be_positive_user_ids() {
        assert_eq!("42".parse::<AdminUserId>().unwrap().user(), UserId(42));
        assert_eq!(" 7 ".parse::<AdminUserId>().unwrap().user(), UserId(7));
        for bad in [
            "0",
            "-5",
            "-1001234567890",
            "+5",
            "1e3",
            "abc",
            "",
            "99999999999999999999",
        ] {
            let err = bad.parse::<AdminUserId>().unwrap_err();
            assert!(err.contains("positive"), "{bad:?}: {err}");
        }
        assert!("-100123"
            .parse::<AdminUserId>()
            .unwrap_err()
            .contains("group"));
    }

    // Issue 22: WHATSAPP_ADMINS takes numbers as people write them, and nothing else.
    #[test]
    fn whatsapp_admins_are_phone_numbers_in_international_form() {
        for (raw, id) in [
            ("6281234567890", "6281234567890@c.us"),
            ("+62 812-3456-7890", "6281234567890@c.us"),
            ("6281234567890@c.us", "6281234567890@c.us"),
        ] {
            assert_eq!(raw.parse::<WhatsAppUser>().unwrap().id(), id);
        }
        for bad in [
            "",
            "081234567890",
            "12345",
            "62812x4567890",
            "120363000000000001@g.us",
        ] {
            assert!(bad.parse::<WhatsAppUser>().is_err(), "{bad:?} accepted");
        }
    }

    // Issue 22: the API key must not cross a network in clear, but a container beside us may.
    #[test]
    fn the_gateway_is_reached_over_https_or_plain_http_nearby_only() {
        for ok in [
            "https://waha.example.org",
            "http://127.0.0.1:3000",
            "http://waha:3000",
        ] {
            assert!(check_gateway_url(ok).is_ok(), "{ok} refused");
        }
        for bad in ["http://waha.example.org", "ftp://waha", "waha:3000"] {
            assert!(check_gateway_url(bad).is_err(), "{bad} accepted");
        }
    }

    // Issue 17.17: plain http is for this machine only.
    #[test]
    fn plain_http_is_accepted_only_to_a_loopback_address() {
        for ok in [
            "https://api.telegram.org",
            "http://127.0.0.1:8081",
            "http://127.5.6.7",
            "http://[::1]:8081/",
            "http://localhost:8081",
            "http://LOCALHOST",
        ] {
            assert_eq!(check_api_url(ok), Ok(()), "{ok}");
        }
        for off in [
            "http://api.telegram.org",
            "http://10.0.0.5:8081",
            "http://0.0.0.0:8081",
            "http://localhost.example.org",
            "http://127.0.0.1.nip.io",
        ] {
            assert_eq!(
                check_api_url(off),
                Err(ApiUrlProblem::PlainHttpOffLoopback),
                "{off}"
            );
        }
        assert_eq!(check_api_url("ftp://127.0.0.1"), Err(ApiUrlProblem::Scheme));
        assert!(matches!(
            check_api_url("api.telegram.org"),
            Err(ApiUrlProblem::Unparsable(_))
        ));
    }

    #[test]
    fn the_data_folder_is_the_database_files_folder() {
        assert_eq!(
            data_dir("sqlite:///var/lib/pg/guard.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/pg"))
        );
        assert_eq!(data_dir("sqlite:guard.db"), Some(PathBuf::from("")));
        assert_eq!(data_dir("sqlite::memory:"), None);
        assert_eq!(data_dir("postgres://x"), None);
    }
}
