//! What a release posts, with a fake examined photo: the clean copy when
//! consent allows the original, and a failure (not a refusal) when the copy
//! cannot be made.

use chrono::Utc;

use super::*;
use crate::{ChatId, ClientCode, ConsentLevel, CurrentConsent, Face, MessageId};

/// One face; its clean copy is `clean` or fails.
struct FakePhoto {
    faces: Vec<Face>,
    clean: Result<Vec<u8>, VisionError>,
}

impl Examined for FakePhoto {
    fn width(&self) -> u32 {
        10
    }
    fn height(&self) -> u32 {
        10
    }
    fn faces(&self) -> &[Face] {
        &self.faces
    }
    fn anonymise(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        Ok(b"blurred".to_vec())
    }
    fn clean_copy(self: Box<Self>) -> Result<Vec<u8>, VisionError> {
        self.clean
    }
}

fn photo(clean: Result<Vec<u8>, VisionError>) -> Box<dyn Examined> {
    let face = Face {
        x: 1,
        y: 1,
        w: 5,
        h: 5,
        score: 0.9,
    };
    Box::new(FakePhoto {
        faces: vec![face],
        clean,
    })
}

fn tagged(level: ConsentLevel) -> Vec<TaggedClient> {
    vec![TaggedClient {
        code: ClientCode::parse("KLN1").unwrap(),
        consent: CurrentConsent::InForce {
            record: RecordId(1),
            level,
        },
    }]
}

fn item() -> QuarantineItem {
    QuarantineItem {
        id: RecordId(7),
        share: RecordId(3),
        chat: ChatId(-100),
        message: MessageId(5),
        sender: UserId(9),
        sender_name: "Alice".into(),
        caption: None,
        thread: None,
        tags: vec![ClientCode::parse("KLN1").unwrap()],
        reason_code: "consent_refused".into(),
        created_at: Utc::now(),
        resolution: Resolution::Pending,
    }
}

// Issue 17.14: with full consent the original goes out as its clean copy.
#[test]
fn the_original_is_released_as_its_clean_copy_once_consent_is_full() {
    let made = release_copy(
        photo(Ok(b"clean".to_vec())),
        true,
        &tagged(ConsentLevel::Full),
        &ChatPolicy::default(),
    );
    assert_eq!(made, Ok(Some(b"clean".to_vec())));
}

#[test]
fn the_original_is_not_released_while_consent_refuses_it() {
    let made = release_copy(
        photo(Ok(b"clean".to_vec())),
        true,
        &tagged(ConsentLevel::Refused),
        &ChatPolicy::default(),
    );
    assert_eq!(made, Ok(None));
}

// Issue 17.14: a copy that cannot be made is reported as a failure, not as
// "consent does not allow it".
#[test]
fn a_release_whose_copy_cannot_be_made_fails_instead_of_being_refused() {
    let broken = VisionError::CleanCopy("encoder broke".into());
    let made = release_copy(
        photo(Err(broken.clone())),
        true,
        &tagged(ConsentLevel::Full),
        &ChatPolicy::default(),
    );
    match outcome(item(), made) {
        Release::Failed(e) => assert_eq!(e, broken),
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn a_blurred_release_posts_the_anonymised_copy() {
    let made = release_copy(
        photo(Err(VisionError::CleanCopy("unused".into()))),
        false,
        &[],
        &ChatPolicy::default(),
    );
    assert!(matches!(
        outcome(item(), made),
        Release::Ready { bytes, .. } if bytes == b"blurred"
    ));
}
