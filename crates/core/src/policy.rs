//! The verdict table of DESIGN.md as one pure function.
//!
//! Checks run from the most to the least restrictive, so the first rule that
//! matches is the safest one that applies: a consent problem or an unreadable
//! photo blocks before faces are even considered.

use crate::{
    ChatKind, ChatPolicy, ClientCode, ConsentLevel, CurrentConsent, Decision, Mode, Reason,
    Untagged, Verdict,
};

/// A tagged, registered client and their consent at the time of the check.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedClient {
    pub code: ClientCode,
    pub consent: CurrentConsent,
}

/// What vision found: a face count, or why the photo could not be examined.
pub type Sight<'a> = Result<usize, &'a str>;

/// Decides one photo. `tagged` holds only registered clients.
pub fn decide(sight: Sight<'_>, tagged: &[TaggedClient], policy: &ChatPolicy) -> Decision {
    let relied_on = tagged.iter().filter_map(|t| t.consent.record()).collect();
    let (verdict, reason) = verdict_and_reason(sight, tagged, policy);
    Decision {
        verdict,
        reason,
        relied_on,
        enforce: policy.mode == Mode::Enforce,
    }
}

fn verdict_and_reason(
    sight: Sight<'_>,
    tagged: &[TaggedClient],
    policy: &ChatPolicy,
) -> (Verdict, Reason) {
    if let Some(reason) = tagged.iter().find_map(consent_block) {
        return (Verdict::Block, reason);
    }
    let faces = match sight {
        Err(detail) => {
            return (
                Verdict::Block,
                Reason::Unreadable {
                    detail: detail.to_owned(),
                },
            )
        }
        Ok(0) => return (Verdict::Allow, Reason::NoFaces),
        Ok(n) => n,
    };
    if tagged.is_empty() {
        let verdict = match policy.untagged {
            Untagged::Blur => Verdict::Blur,
            Untagged::Block => Verdict::Block,
        };
        return (verdict, Reason::UntaggedFaces { faces });
    }
    if let Some(t) = tagged
        .iter()
        .find(|t| level(t) == Some(ConsentLevel::Blurred))
    {
        return (
            Verdict::Blur,
            Reason::BlurredConsent {
                client: t.code.clone(),
            },
        );
    }
    if policy.kind == ChatKind::Public {
        return (Verdict::Blur, Reason::PublicChat { faces });
    }
    (Verdict::Allow, Reason::FullConsent { faces })
}

fn level(tagged: &TaggedClient) -> Option<ConsentLevel> {
    match tagged.consent {
        CurrentConsent::InForce { level, .. } => Some(level),
        _ => None,
    }
}

/// The block reason for one tagged client, if their consent forbids sharing.
fn consent_block(tagged: &TaggedClient) -> Option<Reason> {
    let client = tagged.code.clone();
    match tagged.consent {
        CurrentConsent::InForce {
            level: ConsentLevel::Refused,
            record,
        } => Some(Reason::ConsentRefused { client, record }),
        CurrentConsent::InForce { .. } => None,
        CurrentConsent::Withdrawn { record } => Some(Reason::ConsentWithdrawn { client, record }),
        CurrentConsent::Expired { record } => Some(Reason::ConsentExpired { client, record }),
        CurrentConsent::None => Some(Reason::NoConsent { client }),
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
