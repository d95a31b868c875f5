//! Issue 22: string ids of other platforms (WhatsApp) mapped to core ids.
//! The contract is written over `S: PlatformIds` so another store can run it.

use photo_guard_core::store::PlatformIds;
use photo_guard_core::PLATFORM_ID_BASE;

use super::{on_both, Fixture};

const GROUP: &str = "120363012345678901@g.us";
const ALICE: &str = "6281234567890@c.us";

pub(crate) async fn an_external_id_gets_one_core_id_that_maps_back<S: PlatformIds>(store: &S) {
    let group = store.core_id("whatsapp", GROUP).await.unwrap();
    let alice = store.core_id("whatsapp", ALICE).await.unwrap();
    assert_eq!(
        store.core_id("whatsapp", GROUP).await.unwrap(),
        group,
        "asking again gives the same core id"
    );
    assert_ne!(group, alice, "two external ids never share a core id");
    assert!(
        group >= PLATFORM_ID_BASE && alice >= PLATFORM_ID_BASE,
        "core ids sit above every Telegram id"
    );
    assert_eq!(
        store
            .external_id("whatsapp", alice)
            .await
            .unwrap()
            .as_deref(),
        Some(ALICE)
    );
}

pub(crate) async fn ids_of_one_platform_are_not_another_platforms<S: PlatformIds>(store: &S) {
    let wa = store.core_id("whatsapp", ALICE).await.unwrap();
    let other = store.core_id("signal", ALICE).await.unwrap();
    assert_ne!(wa, other, "the same string on two platforms is two people");
    assert_eq!(store.external_id("signal", wa).await.unwrap(), None);
    assert_eq!(
        store.external_id("whatsapp", 1003).await.unwrap(),
        None,
        "a Telegram id maps to no WhatsApp id"
    );
    assert!(
        store.core_id("whatsapp", "").await.is_err(),
        "an empty id is refused"
    );
}

async fn an_external_id_gets_one_core_id_that_maps_back_on_either_backend(fx: Fixture) {
    // Issue 22: a WhatsApp id must always come back as the same core id, and back again.
    an_external_id_gets_one_core_id_that_maps_back(&fx.store).await;
}

async fn ids_of_one_platform_are_not_another_platforms_on_either_backend(fx: Fixture) {
    // Issue 22: roles are per platform user; ids of two platforms never meet.
    ids_of_one_platform_are_not_another_platforms(&fx.store).await;
}

async fn core_ids_survive_a_reopen(fx: Fixture) {
    // Issue 22: a WhatsApp user's role and consent records hang on this id across restarts.
    let alice = fx.store.core_id("whatsapp", ALICE).await.unwrap();
    fx.store.close().await;
    let again = fx.reopen_with(&fx.key).await;
    assert_eq!(again.core_id("whatsapp", ALICE).await.unwrap(), alice);
}

on_both!(
    an_external_id_gets_one_core_id_that_maps_back_on_either_backend,
    ids_of_one_platform_are_not_another_platforms_on_either_backend,
    core_ids_survive_a_reopen,
);
