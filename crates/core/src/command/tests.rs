//! The command parser against DESIGN.md's "The bot's commands".

use chrono::NaiveDate;

use super::*;
use crate::{ChatKind, ChatPolicy, ClientCodeError, ConsentLevel, GivenBy, Lang, Mode, Untagged};

const BOT: &str = "photo_guard_bot";

fn ok(text: &str) -> Command {
    match parse(text, BOT) {
        Some(Ok(command)) => command,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn err(text: &str) -> CommandError {
    match parse(text, BOT) {
        Some(Err(error)) => error,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn problem(text: &str) -> Problem {
    err(text).problem().clone()
}

fn consent_args(text: &str) -> ConsentArgs {
    match ok(text) {
        Command::Consent(args) => args,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn policy_args(text: &str) -> PolicyArgs {
    match ok(text) {
        Command::Policy(args) => args,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn code(raw: &str) -> ClientCode {
    ClientCode::parse(raw).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// --- what is a command for us ---

#[test]
fn text_not_starting_with_a_slash_is_not_a_command() {
    for text in ["hello", " /start", "", "#KLN0042 at the office", "start"] {
        assert_eq!(parse(text, BOT), None, "{text:?}");
    }
}

#[test]
fn a_slash_without_a_proper_name_is_not_a_command() {
    for text in [
        "/",
        "/ start",
        "/etc/passwd",
        "/é",
        "/start\0",
        &format!("/{}", "a".repeat(33)),
    ] {
        assert_eq!(parse(text, BOT), None, "{text:?}");
    }
}

#[test]
fn a_command_addressed_to_another_bot_is_not_ours() {
    assert_eq!(parse("/help@OtherBot", BOT), None);
    assert_eq!(parse("/consent@other_bot KLN1 full", BOT), None);
    assert_eq!(parse("/help@", BOT), None);
}

#[test]
fn a_command_addressed_to_us_is_ours_whatever_the_case() {
    assert_eq!(ok("/help@Photo_Guard_Bot"), Command::Help);
    assert_eq!(ok("/help@photo_guard_bot"), Command::Help);
    assert_eq!(
        parse("/client@PHOTO_GUARD_BOT kln1", "@photo_guard_bot"),
        Some(Ok(Command::Client { code: code("KLN1") }))
    );
}

#[test]
fn command_names_are_case_insensitive() {
    assert_eq!(ok("/HELP"), Command::Help);
    assert_eq!(ok("/Rules"), Command::Rules);
    assert_eq!(consent_args("/CoNsEnT kln1 FULL").level, ConsentLevel::Full);
    assert_eq!(err("/GRANT").command(), "grant");
}

#[test]
fn an_unknown_command_is_reported_as_unknown_in_lower_case() {
    assert_eq!(ok("/Frobnicate now"), Command::Unknown("frobnicate".into()));
    assert_eq!(ok("/x@photo_guard_bot"), Command::Unknown("x".into()));
}

// --- everyone's commands ---

#[test]
fn everyones_commands_parse_and_ignore_trailing_words() {
    assert_eq!(ok("/start"), Command::Start);
    assert_eq!(ok("/start deep_link_payload"), Command::Start);
    assert_eq!(ok("/help"), Command::Help);
    assert_eq!(ok("/rules"), Command::Rules);
    assert_eq!(ok("/report"), Command::Report);
    assert_eq!(
        ok("/report this shows a child's face \"unclosed"),
        Command::Report
    );
}

// --- /consent ---

#[test]
fn consent_with_code_and_level_only_takes_defaults() {
    let args = consent_args("/consent KLN0042 blurred");
    assert_eq!(
        args,
        ConsentArgs {
            code: code("KLN0042"),
            level: ConsentLevel::Blurred,
            until: None,
            given_by: GivenBy::Client,
            evidence: None,
            purpose: None,
        }
    );
}

#[test]
fn consent_with_every_option_fills_every_field() {
    let args = consent_args(
        "/consent kln0042 full until=2026-12-31 by=guardian evidence=F-17 purpose=\"progress report for donor\"",
    );
    assert_eq!(
        args,
        ConsentArgs {
            code: code("KLN0042"),
            level: ConsentLevel::Full,
            until: Some(day(2026, 12, 31)),
            given_by: GivenBy::Guardian,
            evidence: Some("F-17".into()),
            purpose: Some("progress report for donor".into()),
        }
    );
}

#[test]
fn consent_levels_are_full_blurred_and_refused() {
    assert_eq!(consent_args("/consent KLN1 full").level, ConsentLevel::Full);
    assert_eq!(
        consent_args("/consent KLN1 blurred").level,
        ConsentLevel::Blurred
    );
    assert_eq!(
        consent_args("/consent KLN1 Refused").level,
        ConsentLevel::Refused
    );
}

#[test]
fn options_may_come_before_the_code_and_keys_ignore_case() {
    let args = consent_args("/consent BY=Guardian KLN1 until=2027-01-01 refused");
    assert_eq!(
        (args.given_by, args.until, args.level),
        (
            GivenBy::Guardian,
            Some(day(2027, 1, 1)),
            ConsentLevel::Refused
        )
    );
}

#[test]
fn a_code_copied_as_a_hashtag_is_accepted() {
    assert_eq!(consent_args("/consent #kln1 full").code, code("KLN1"));
    assert_eq!(ok("/client #KLN1"), Command::Client { code: code("KLN1") });
}

#[test]
fn a_whole_option_in_quotes_is_the_same_as_a_quoted_value() {
    let a = consent_args("/consent KLN1 full \"purpose=progress report for donor\"");
    let b = consent_args("/consent KLN1 full purpose=\"progress report for donor\"");
    assert_eq!(a.purpose.as_deref(), Some("progress report for donor"));
    assert_eq!(a, b);
}

#[test]
fn escaped_quotes_are_kept_inside_a_value() {
    let args =
        consent_args(r#"/consent KLN1 full purpose="the \"Harapan\" report" evidence=form\"7"#);
    assert_eq!(args.purpose.as_deref(), Some("the \"Harapan\" report"));
    assert_eq!(args.evidence.as_deref(), Some("form\"7"));
}

#[test]
fn a_backslash_before_anything_but_a_quote_is_kept() {
    let args = consent_args(r#"/consent KLN1 full evidence="C:\forms\12" purpose="a \\ b""#);
    assert_eq!(args.evidence.as_deref(), Some(r"C:\forms\12"));
    assert_eq!(args.purpose.as_deref(), Some(r"a \ b"));
}

#[test]
fn newlines_separate_words_and_are_kept_inside_quotes() {
    let args =
        consent_args("/consent\nKLN1\n\tfull\npurpose=\"line one\nline two\"\r\nby=guardian");
    assert_eq!(args.purpose.as_deref(), Some("line one\nline two"));
    assert_eq!(args.given_by, GivenBy::Guardian);
}

#[test]
fn curly_quotes_from_phone_keyboards_work_like_straight_ones() {
    let args = consent_args("/consent KLN1 full purpose=“progress report”");
    assert_eq!(args.purpose.as_deref(), Some("progress report"));
}

#[test]
fn sql_looking_text_is_kept_verbatim_as_a_purpose() {
    let args = consent_args(r#"/consent KLN1 full purpose="'; DROP TABLE consent;--""#);
    assert_eq!(args.purpose.as_deref(), Some("'; DROP TABLE consent;--"));
}

#[test]
fn unicode_values_are_kept_verbatim() {
    let args = consent_args("/consent KLN1 full purpose=\"laporan untuk donatur — café 📷\"");
    assert_eq!(
        args.purpose.as_deref(),
        Some("laporan untuk donatur — café 📷")
    );
}

#[test]
fn consent_without_a_code_or_level_names_what_is_missing() {
    let e = err("/consent");
    assert_eq!(
        (e.command(), e.problem()),
        ("consent", &Problem::MissingArgument { what: Arg::Code })
    );
    assert_eq!(
        problem("/consent KLN1"),
        Problem::MissingArgument { what: Arg::Level }
    );
    assert_eq!(
        problem("/consent until=2026-01-01"),
        Problem::MissingArgument { what: Arg::Code }
    );
}

#[test]
fn a_bad_client_code_is_refused_with_its_reason() {
    assert_eq!(
        problem("/consent KLN-1 full"),
        Problem::BadCode(ClientCodeError::Characters)
    );
    assert_eq!(
        problem("/consent K full"),
        Problem::BadCode(ClientCodeError::Length)
    );
    assert_eq!(
        problem("/consent \"KLN 1\" full"),
        Problem::BadCode(ClientCodeError::Characters)
    );
}

#[test]
fn a_bad_level_is_refused() {
    assert_eq!(
        problem("/consent KLN1 partial"),
        Problem::BadLevel("partial".into())
    );
}

#[test]
fn a_date_that_does_not_exist_or_is_badly_written_is_refused() {
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "2026-2-3",
        "31-12-2026",
        "2026/12/31",
        "tomorrow",
        "+2026-01-01",
        "２０２６-01-01",
    ] {
        assert_eq!(
            problem(&format!("/consent KLN1 full until={bad}")),
            Problem::BadDate(bad.into()),
            "{bad}"
        );
    }
    assert_eq!(
        consent_args("/consent KLN1 full until=2028-02-29").until,
        Some(day(2028, 2, 29))
    );
}

#[test]
fn an_unknown_option_is_named() {
    assert_eq!(
        problem("/consent KLN1 full expires=2026-01-01"),
        Problem::UnknownOption {
            key: "expires".into()
        }
    );
}

#[test]
fn a_repeated_option_is_refused() {
    assert_eq!(
        problem("/consent KLN1 full by=client By=guardian"),
        Problem::RepeatedOption { key: "by" }
    );
}

#[test]
fn an_option_without_a_value_is_refused() {
    assert_eq!(
        problem("/consent KLN1 full until="),
        Problem::MissingValue { key: "until" }
    );
    assert_eq!(
        problem("/consent KLN1 full purpose=\"  \""),
        Problem::MissingValue { key: "purpose" }
    );
}

#[test]
fn a_bad_given_by_is_refused() {
    assert_eq!(
        problem("/consent KLN1 full by=mother"),
        Problem::BadValue {
            key: "by",
            value: "mother".into(),
            expected: "client|guardian"
        }
    );
}

#[test]
fn an_extra_word_is_refused() {
    assert_eq!(
        problem("/consent KLN1 full now"),
        Problem::TooManyArguments {
            extra: "now".into()
        }
    );
}

#[test]
fn an_unquoted_value_with_spaces_is_explained() {
    assert_eq!(
        problem("/consent KLN1 full purpose=progress report"),
        Problem::UnquotedValue { key: "purpose" }
    );
    assert_eq!(
        problem("/consent KLN1 full evidence=form 12"),
        Problem::UnquotedValue { key: "evidence" }
    );
}

#[test]
fn an_unterminated_quote_is_refused() {
    assert_eq!(
        problem("/consent KLN1 full purpose=\"progress report"),
        Problem::UnterminatedQuote
    );
    assert_eq!(
        problem("/consent KLN1 full purpose=\"ends with escaped quote\\\""),
        Problem::UnterminatedQuote
    );
}

#[test]
fn a_free_text_value_over_the_limit_is_refused() {
    let at_limit = "a".repeat(FREE_TEXT_MAX);
    assert_eq!(
        consent_args(&format!("/consent KLN1 full evidence={at_limit}")).evidence,
        Some(at_limit)
    );
    let over = "é".repeat(FREE_TEXT_MAX + 1);
    assert_eq!(
        problem(&format!("/consent KLN1 full purpose=\"{over}\"")),
        Problem::TooLong {
            key: "purpose",
            max: FREE_TEXT_MAX
        }
    );
}

#[test]
fn control_characters_are_refused_but_tabs_and_newlines_are_not() {
    assert_eq!(
        problem("/consent KLN1 full purpose=\"a\0b\""),
        Problem::ControlCharacter(0)
    );
    assert_eq!(
        problem("/consent KLN1 full evidence=x\u{7}"),
        Problem::ControlCharacter(7)
    );
    assert_eq!(
        problem("/withdraw KLN1 evil \u{202E}txet"),
        Problem::ControlCharacter(0x202E)
    );
    assert_eq!(consent_args("/consent\tKLN1\tfull").code, code("KLN1"));
}

#[test]
fn until_in_the_past_is_left_to_the_handler_with_a_helper() {
    let args = consent_args("/consent KLN1 full until=2020-01-01");
    assert!(args.until_is_in_past(day(2020, 1, 2)));
    assert!(!args.until_is_in_past(day(2020, 1, 1)));
    assert!(!consent_args("/consent KLN1 full").until_is_in_past(day(2099, 1, 1)));
}

#[test]
fn consent_args_become_a_grant_valid_from_the_given_day() {
    let grant = consent_args("/consent KLN1 blurred until=2027-01-01 by=guardian purpose=donor")
        .grant(day(2026, 1, 1));
    assert_eq!(
        (
            grant.level,
            grant.given_by,
            grant.valid_from,
            grant.valid_until
        ),
        (
            ConsentLevel::Blurred,
            GivenBy::Guardian,
            day(2026, 1, 1),
            Some(day(2027, 1, 1))
        )
    );
    assert_eq!(grant.purpose.as_deref(), Some("donor"));
}

// --- /withdraw, /client, /clients ---

#[test]
fn withdraw_takes_the_rest_of_the_text_as_its_reason() {
    assert_eq!(
        ok("/withdraw kln1"),
        Command::Withdraw {
            code: code("KLN1"),
            reason: None
        }
    );
    assert_eq!(
        ok("/withdraw KLN1   moved to another city  "),
        Command::Withdraw {
            code: code("KLN1"),
            reason: Some("moved to another city".into())
        }
    );
    assert_eq!(
        ok("/withdraw KLN1 \"moved away\""),
        Command::Withdraw {
            code: code("KLN1"),
            reason: Some("moved away".into())
        }
    );
    assert_eq!(
        ok("/withdraw KLN1 she said \"no more photos\"\nsigned form 9"),
        Command::Withdraw {
            code: code("KLN1"),
            reason: Some("she said \"no more photos\"\nsigned form 9".into())
        }
    );
    assert_eq!(
        ok("/withdraw KLN1 '; DROP TABLE consent;--"),
        Command::Withdraw {
            code: code("KLN1"),
            reason: Some("'; DROP TABLE consent;--".into())
        }
    );
}

#[test]
fn withdraw_errors_name_the_command() {
    let e = err("/withdraw");
    assert_eq!(
        (e.command(), e.problem()),
        ("withdraw", &Problem::MissingArgument { what: Arg::Code })
    );
    assert_eq!(
        problem("/withdraw KLN1 \"moved away"),
        Problem::UnterminatedQuote
    );
    assert_eq!(
        problem("/withdraw K-1 moved"),
        Problem::BadCode(ClientCodeError::Characters)
    );
    let long = "x".repeat(FREE_TEXT_MAX + 1);
    assert_eq!(
        problem(&format!("/withdraw KLN1 {long}")),
        Problem::TooLong {
            key: "reason",
            max: FREE_TEXT_MAX
        }
    );
}

#[test]
fn client_takes_exactly_one_code() {
    assert_eq!(
        ok("/client kln0042"),
        Command::Client {
            code: code("KLN0042")
        }
    );
    assert_eq!(
        problem("/client"),
        Problem::MissingArgument { what: Arg::Code }
    );
    assert_eq!(
        problem("/client KLN1 KLN2"),
        Problem::TooManyArguments {
            extra: "KLN2".into()
        }
    );
}

#[test]
fn clients_takes_nothing() {
    assert_eq!(ok("/clients"), Command::Clients);
    assert_eq!(
        problem("/clients KLN1"),
        Problem::TooManyArguments {
            extra: "KLN1".into()
        }
    );
}

// --- admins ---

#[test]
fn review_and_stats_take_nothing() {
    assert_eq!(ok("/review"), Command::Review);
    assert_eq!(ok("/stats\n"), Command::Stats);
    assert_eq!(err("/review all").command(), "review");
    assert_eq!(err("/stats now").command(), "stats");
}

#[test]
fn grant_takes_a_user_id_and_a_role() {
    assert_eq!(
        ok("/grant 123456789 coordinator"),
        Command::Grant {
            user: UserId(123456789),
            role: Role::Coordinator
        }
    );
    assert_eq!(
        ok("/grant 42 ADMIN"),
        Command::Grant {
            user: UserId(42),
            role: Role::Admin
        }
    );
}

#[test]
fn grant_errors_name_what_was_wrong() {
    assert_eq!(
        problem("/grant"),
        Problem::MissingArgument { what: Arg::UserId }
    );
    assert_eq!(
        problem("/grant 42"),
        Problem::MissingArgument { what: Arg::Role }
    );
    assert_eq!(problem("/grant 42 boss"), Problem::BadRole("boss".into()));
    assert_eq!(
        problem("/grant 42 admin now"),
        Problem::TooManyArguments {
            extra: "now".into()
        }
    );
    for bad in [
        "@alice",
        "-5",
        "0",
        "+7",
        "1.5",
        "99999999999999999999",
        "１２",
    ] {
        assert_eq!(
            problem(&format!("/grant {bad} admin")),
            Problem::BadUserId(bad.into()),
            "{bad}"
        );
    }
}

#[test]
fn ungrant_takes_a_user_id() {
    assert_eq!(
        ok("/ungrant 9223372036854775807"),
        Command::Ungrant {
            user: UserId(i64::MAX)
        }
    );
    assert_eq!(
        problem("/ungrant"),
        Problem::MissingArgument { what: Arg::UserId }
    );
    assert_eq!(problem("/ungrant bob"), Problem::BadUserId("bob".into()));
    assert_eq!(
        problem("/ungrant 1 2"),
        Problem::TooManyArguments { extra: "2".into() }
    );
}

#[test]
fn policy_alone_shows_the_policy() {
    let args = policy_args("/policy");
    assert!(args.is_show());
    assert_eq!(args.apply(&ChatPolicy::default()), ChatPolicy::default());
}

#[test]
fn policy_sets_every_option_given() {
    let args = policy_args("/policy mode=observe untagged=BLOCK kind=public lang=en remind=14d");
    assert!(!args.is_show());
    assert_eq!(
        args.apply(&ChatPolicy::default()),
        ChatPolicy {
            mode: Mode::Observe,
            untagged: Untagged::Block,
            kind: ChatKind::Public,
            lang: Lang::En,
            remind_days: Some(14)
        }
    );
}

#[test]
fn policy_changes_only_what_is_given() {
    let base = ChatPolicy {
        mode: Mode::Observe,
        lang: Lang::En,
        ..ChatPolicy::default()
    };
    let applied = policy_args("/policy remind=off").apply(&base);
    assert_eq!(
        applied,
        ChatPolicy {
            remind_days: None,
            ..base
        }
    );
    let applied = policy_args("/policy mode=enforce").apply(&base);
    assert_eq!(
        applied,
        ChatPolicy {
            mode: Mode::Enforce,
            ..base
        }
    );
}

#[test]
fn policy_remind_takes_days_or_off() {
    assert_eq!(policy_args("/policy remind=7d").remind, Some(Some(7)));
    assert_eq!(policy_args("/policy remind=365").remind, Some(Some(365)));
    assert_eq!(policy_args("/policy remind=OFF").remind, Some(None));
    for bad in ["0d", "366d", "d", "-1d", "7w", "4294967296d", "never"] {
        assert_eq!(
            problem(&format!("/policy remind={bad}")),
            Problem::BadValue {
                key: "remind",
                value: bad.into(),
                expected: "1d..365d|off"
            },
            "{bad}"
        );
    }
}

#[test]
fn policy_errors_name_what_was_wrong() {
    assert_eq!(
        problem("/policy mode=strict"),
        Problem::BadValue {
            key: "mode",
            value: "strict".into(),
            expected: "enforce|observe"
        }
    );
    assert_eq!(
        problem("/policy colour=red"),
        Problem::UnknownOption {
            key: "colour".into()
        }
    );
    assert_eq!(
        problem("/policy lang=en lang=id"),
        Problem::RepeatedOption { key: "lang" }
    );
    assert_eq!(
        problem("/policy kind="),
        Problem::MissingValue { key: "kind" }
    );
    assert_eq!(
        problem("/policy enforce"),
        Problem::TooManyArguments {
            extra: "enforce".into()
        }
    );
    assert_eq!(err("/policy untagged=maybe").command(), "policy");
}

#[test]
fn audit_defaults_to_thirty_days() {
    assert_eq!(
        ok("/audit"),
        Command::Audit {
            days: AUDIT_DEFAULT_DAYS
        }
    );
    assert_eq!(AUDIT_DEFAULT_DAYS, 30);
    assert_eq!(ok("/audit 7"), Command::Audit { days: 7 });
    assert_eq!(ok("/audit 90d"), Command::Audit { days: 90 });
    assert_eq!(ok("/audit 3650"), Command::Audit { days: 3650 });
}

#[test]
fn audit_days_out_of_range_are_refused() {
    for bad in ["0", "3651", "-3", "week", "99999999999"] {
        assert_eq!(
            problem(&format!("/audit {bad}")),
            Problem::BadValue {
                key: "days",
                value: bad.into(),
                expected: "1..3650"
            },
            "{bad}"
        );
    }
    assert_eq!(
        problem("/audit 7 8"),
        Problem::TooManyArguments { extra: "8".into() }
    );
}

// --- errors and helpers ---

#[test]
fn errors_display_as_one_short_plain_line() {
    let long = "z".repeat(5000);
    let cases = [
        (
            "/consent KLN1 maybe",
            "\"maybe\" is not a consent level (full, blurred or refused)",
        ),
        (
            "/consent KLN1 full until=2026-02-30",
            "\"2026-02-30\" is not a real date written YYYY-MM-DD",
        ),
        ("/consent KLN1 full size=3", "unknown option \"size\""),
        ("/consent", "missing the client code"),
        (
            "/grant x admin",
            "\"x\" is not a user id (a positive number)",
        ),
        ("/policy lang=fr", "\"fr\" is not a valid lang (id|en)"),
        (
            "/consent KLN1 full purpose=\"a",
            "a double quote is not closed",
        ),
        (
            "/consent KLN1 full purpose=\"a\u{1b}\"",
            "the text holds an invisible control character (U+001B)",
        ),
    ];
    for (text, shown) in cases {
        assert_eq!(err(text).to_string(), shown, "{text}");
    }
    let shown = err(&format!("/consent KLN1 {long}")).to_string();
    assert!(
        shown.chars().count() < 120 && shown.contains('…'),
        "{shown}"
    );
    let shown = err("/consent KLN1 \"two\nlines\"").to_string();
    assert!(!shown.contains('\n'), "{shown}");
}

#[test]
fn missing_arguments_have_usage_placeholders() {
    let placeholders = [Arg::Code, Arg::Level, Arg::UserId, Arg::Role].map(Arg::placeholder);
    assert_eq!(placeholders, ["CODE", "LEVEL", "USER_ID", "ROLE"]);
}

#[test]
fn every_command_knows_its_name_and_the_role_it_needs() {
    let cases = [
        ("/start", "start", None),
        ("/report", "report", None),
        ("/consent KLN1 full", "consent", Some(Role::Coordinator)),
        ("/withdraw KLN1", "withdraw", Some(Role::Coordinator)),
        ("/clients", "clients", Some(Role::Coordinator)),
        ("/grant 1 admin", "grant", Some(Role::Admin)),
        ("/policy", "policy", Some(Role::Admin)),
        ("/audit", "audit", Some(Role::Admin)),
        ("/nope", "nope", None),
    ];
    for (text, name, role) in cases {
        let command = ok(text);
        assert_eq!(
            (command.name(), command.required_role()),
            (name, role),
            "{text}"
        );
    }
}

// --- robustness ---

#[test]
fn a_5000_character_message_does_not_panic() {
    let filler = "é \"x\" \\ = ".repeat(500);
    for text in [
        format!("/consent KLN1 full purpose=\"{filler}\""),
        format!("/consent {filler}"),
        format!("/withdraw KLN1 {filler}"),
        format!("/policy {filler}"),
        format!("/grant {filler}"),
        format!("/{}", "a".repeat(5000)),
        "/".repeat(5000),
        "\"".repeat(5000),
    ] {
        assert!(text.len() >= 4096);
        let _ = parse(&text, BOT);
    }
}

#[test]
fn many_odd_combinations_of_fragments_never_panic() {
    const PREFIXES: [&str; 6] = [
        "",
        "/consent ",
        "/withdraw ",
        "/policy ",
        "/grant@photo_guard_bot ",
        "/audit\n",
    ];
    const FRAGMENTS: [&str; 18] = [
        " ",
        "\"",
        "\\",
        "=",
        "é",
        "\n",
        "\0",
        "until=",
        "2026-02-30",
        "purpose=",
        "KLN1",
        "full",
        "“",
        "remind=",
        "99999999999999999999",
        "\u{202E}",
        "/consent",
        "@x",
    ];
    let n = FRAGMENTS.len();
    let (mut texts, mut commands) = (0, 0);
    // After each prefix, every sequence of one to three fragments.
    for prefix in PREFIXES {
        for len in 1..=3u32 {
            for mut index in 0..n.pow(len) {
                let mut text = prefix.to_owned();
                for _ in 0..len {
                    text.push_str(FRAGMENTS[index % n]);
                    index /= n;
                }
                texts += 1;
                if let Some(result) = parse(&text, BOT) {
                    commands += 1;
                    if let Err(error) = result {
                        assert!(!error.to_string().is_empty());
                        assert!(!error.command().is_empty());
                    }
                }
            }
        }
    }
    // Every text with a command prefix is a command for us.
    let per_prefix = texts / PREFIXES.len();
    assert!(
        commands >= per_prefix * (PREFIXES.len() - 1),
        "{commands} of {texts}"
    );
}
