//! The verdict table of DESIGN.md, one case per row and per policy option.

use super::*;
use crate::RecordId;

fn client(code: &str, consent: CurrentConsent) -> TaggedClient {
    TaggedClient {
        code: ClientCode::parse(code).unwrap(),
        consent,
    }
}

fn in_force(level: ConsentLevel, id: i64) -> CurrentConsent {
    CurrentConsent::InForce {
        record: RecordId(id),
        level,
    }
}

fn team() -> ChatPolicy {
    ChatPolicy::default()
}

#[test]
fn photo_tagged_with_refused_client_is_blocked() {
    let tagged = [client("KLN1", in_force(ConsentLevel::Refused, 7))];
    let d = decide(Ok(1), &tagged, &team());
    assert_eq!(d.verdict, Verdict::Block);
    assert_eq!(
        d.reason,
        Reason::ConsentRefused {
            client: tagged[0].code.clone(),
            record: RecordId(7)
        }
    );
    assert_eq!(d.relied_on, [RecordId(7)]);
}

#[test]
fn refused_client_blocks_even_a_photo_with_no_face() {
    let tagged = [client("KLN1", in_force(ConsentLevel::Refused, 7))];
    assert_eq!(decide(Ok(0), &tagged, &team()).verdict, Verdict::Block);
}

#[test]
fn withdrawn_expired_or_missing_consent_blocks() {
    let cases = [
        (
            CurrentConsent::Withdrawn {
                record: RecordId(3),
            },
            "consent_withdrawn",
        ),
        (
            CurrentConsent::Expired {
                record: RecordId(4),
            },
            "consent_expired",
        ),
        (CurrentConsent::None, "no_consent"),
    ];
    for (consent, code) in cases {
        let tagged = [
            client("KLN1", in_force(ConsentLevel::Full, 1)),
            client("KLN2", consent),
        ];
        let d = decide(Ok(2), &tagged, &team());
        assert_eq!((d.verdict, d.reason.code()), (Verdict::Block, code));
    }
}

#[test]
fn undecodable_photo_or_detector_failure_is_blocked() {
    let d = decide(Err("cannot decode"), &[], &team());
    assert_eq!(d.verdict, Verdict::Block);
    assert_eq!(
        d.reason,
        Reason::Unreadable {
            detail: "cannot decode".into()
        }
    );
    let full = [client("KLN1", in_force(ConsentLevel::Full, 1))];
    assert_eq!(
        decide(Err("detector failed"), &full, &team()).verdict,
        Verdict::Block
    );
}

#[test]
fn untagged_faces_are_blurred_by_default() {
    let d = decide(Ok(3), &[], &team());
    assert_eq!(
        (d.verdict, d.reason),
        (Verdict::Blur, Reason::UntaggedFaces { faces: 3 })
    );
}

#[test]
fn untagged_faces_are_blocked_when_the_chat_says_block() {
    let policy = ChatPolicy {
        untagged: Untagged::Block,
        ..team()
    };
    assert_eq!(decide(Ok(1), &[], &policy).verdict, Verdict::Block);
}

#[test]
fn full_consent_in_a_team_chat_is_allowed() {
    let tagged = [
        client("KLN1", in_force(ConsentLevel::Full, 1)),
        client("KLN2", in_force(ConsentLevel::Full, 2)),
    ];
    let d = decide(Ok(2), &tagged, &team());
    assert_eq!(
        (d.verdict, d.reason.code()),
        (Verdict::Allow, "full_consent")
    );
    assert_eq!(d.relied_on, [RecordId(1), RecordId(2)]);
}

#[test]
fn any_blurred_consent_blurs_the_photo() {
    let tagged = [
        client("KLN1", in_force(ConsentLevel::Full, 1)),
        client("KLN2", in_force(ConsentLevel::Blurred, 2)),
    ];
    let d = decide(Ok(2), &tagged, &team());
    assert_eq!(d.verdict, Verdict::Blur);
    assert_eq!(
        d.reason,
        Reason::BlurredConsent {
            client: tagged[1].code.clone()
        }
    );
}

#[test]
fn full_consent_in_a_public_chat_is_blurred() {
    let policy = ChatPolicy {
        kind: ChatKind::Public,
        ..team()
    };
    let tagged = [client("KLN1", in_force(ConsentLevel::Full, 1))];
    let d = decide(Ok(1), &tagged, &policy);
    assert_eq!(
        (d.verdict, d.reason),
        (Verdict::Blur, Reason::PublicChat { faces: 1 })
    );
}

#[test]
fn photo_with_no_face_and_no_tag_is_allowed() {
    let d = decide(Ok(0), &[], &team());
    assert_eq!((d.verdict, d.reason), (Verdict::Allow, Reason::NoFaces));
}

#[test]
fn photo_with_no_face_tagging_consenting_clients_is_allowed() {
    let tagged = [client("KLN1", in_force(ConsentLevel::Blurred, 1))];
    assert_eq!(decide(Ok(0), &tagged, &team()).verdict, Verdict::Allow);
}

#[test]
fn public_chat_with_no_face_is_allowed() {
    let policy = ChatPolicy {
        kind: ChatKind::Public,
        ..team()
    };
    assert_eq!(decide(Ok(0), &[], &policy).verdict, Verdict::Allow);
}

#[test]
fn observe_mode_keeps_the_verdict_but_does_not_enforce_it() {
    let policy = ChatPolicy {
        mode: Mode::Observe,
        ..team()
    };
    let d = decide(Ok(1), &[], &policy);
    assert_eq!(d.verdict, Verdict::Blur);
    assert!(!d.enforce);
    assert!(decide(Ok(1), &[], &team()).enforce);
}
