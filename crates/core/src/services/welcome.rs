//! Greeting people who join a guarded chat: the rules, in the chat's
//! language, through the platform port. The adapter says who joined (people
//! only, bots left out) and where.

use std::sync::Arc;

use super::chat_policies::chat_lang;
use crate::platform::{ChatPlatform, Place, PlatformError};
use crate::store::PolicyStore;
use crate::texts::{text, Msg};

pub struct Welcome {
    policies: Arc<dyn PolicyStore>,
}

impl Welcome {
    pub fn new(policies: Arc<dyn PolicyStore>) -> Self {
        Self { policies }
    }

    /// Greets `names` (display names of the people who joined) in `place`;
    /// nobody to greet posts nothing.
    pub async fn greet(
        &self,
        platform: &dyn ChatPlatform,
        place: Place,
        names: &[String],
    ) -> Result<(), PlatformError> {
        if names.is_empty() {
            return Ok(());
        }
        let lang = chat_lang(self.policies.as_ref(), place.chat).await;
        let body = text(
            lang,
            &Msg::Welcome {
                name: &names.join(", "),
            },
        );
        platform.post_text(place, &body).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fake::{Call, FakePlatform};
    use crate::services::fakes::MemStore;
    use crate::{ChatId, ChatPolicy, Lang};

    #[tokio::test]
    async fn people_who_join_are_greeted_together_in_their_thread_and_language() {
        // Issue 18: the welcome is decided in the core and sent through the port.
        let store = Arc::new(MemStore::default());
        let en = ChatPolicy {
            lang: Lang::En,
            ..ChatPolicy::default()
        };
        store.policies.lock().unwrap().insert(-5, en);
        let platform = FakePlatform::default();
        let place = Place {
            chat: ChatId(-5),
            thread: Some(9),
        };
        let names = ["Ana".to_owned(), "Budi (@budi)".to_owned()];
        Welcome::new(store.clone())
            .greet(&platform, place, &names)
            .await
            .unwrap();
        let body = text(
            Lang::En,
            &Msg::Welcome {
                name: "Ana, Budi (@budi)",
            },
        );
        assert_eq!(platform.calls(), [Call::PostText(place, body)]);
    }

    #[tokio::test]
    async fn nobody_to_greet_posts_nothing() {
        // Issue 18: a join of bots only says nothing.
        let store = Arc::new(MemStore::default());
        let platform = FakePlatform::default();
        let place = Place::chat(ChatId(-5));
        Welcome::new(store)
            .greet(&platform, place, &[])
            .await
            .unwrap();
        assert!(platform.calls().is_empty());
    }
}
