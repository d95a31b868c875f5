//! What a WhatsApp group is called in alerts and notices: its subject, from
//! WAHA's `GET /api/{session}/groups/{id}`, kept for [`KEEP`] so a burst of
//! alerts asks the gateway once; the raw id when the gateway cannot say
//! (that is not kept, so the next alert asks again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::client::{WahaClient, WahaError};
use crate::wire::group_subject;

/// How long a subject is trusted before it is asked again (groups are
/// renamed rarely; a rename shows within this).
pub const KEEP: Duration = Duration::from_secs(60 * 60);

#[derive(Default)]
pub struct GroupNames {
    known: Mutex<HashMap<String, (String, Instant)>>,
}

impl GroupNames {
    /// The subject of `group` (`...@g.us`), else `group` itself.
    pub async fn of(&self, client: &WahaClient, group: &str) -> String {
        if !group.ends_with("@g.us") {
            return group.to_owned();
        }
        if let Some(name) = self.kept(group) {
            return name;
        }
        match client.group_subject(group).await {
            Ok(Some(name)) => {
                if let Ok(mut known) = self.known.lock() {
                    known.insert(group.to_owned(), (name.clone(), Instant::now()));
                }
                name
            }
            Ok(None) => group.to_owned(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot ask WAHA for a group's subject");
                group.to_owned()
            }
        }
    }

    fn kept(&self, group: &str) -> Option<String> {
        let known = self.known.lock().ok()?;
        let (name, at) = known.get(group)?;
        (at.elapsed() < KEEP).then(|| name.clone())
    }
}

impl WahaClient {
    /// `GET /api/{session}/groups/{id}`: the group's subject, if it has one.
    pub async fn group_subject(&self, group: &str) -> Result<Option<String>, WahaError> {
        let url = self.url(&["api", self.session(), "groups", group]);
        let req = self.request(reqwest::Method::GET, url);
        let resp = self.send("group", req).await?;
        Ok(group_subject(&self.json("group", resp).await?))
    }
}
