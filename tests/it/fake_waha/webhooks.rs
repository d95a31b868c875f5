//! The webhooks the fake sends the bot, built as WAHA documents them
//! (`event`, `session`, `engine`, `payload`) and signed as WAHA signs them.

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha512;

use super::FakeWaha;

/// A photo someone sends in a group.
pub struct Photo<'a> {
    pub group: &'a str,
    pub sender: &'a str,
    pub sender_name: &'a str,
    pub caption: Option<&'a str>,
    pub jpeg: &'a [u8],
}

/// The hex HMAC-SHA512 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl FakeWaha {
    fn envelope(event: &str, payload: Value) -> Vec<u8> {
        let body = json!({
            "event": event, "session": "default", "engine": "WEBJS",
            "me": {"id": super::BOT, "pushName": "Photo Guard"},
            "environment": {"tier": "CORE", "version": "2024.10.8"},
            "payload": payload,
        });
        serde_json::to_vec(&body).unwrap()
    }

    /// Stores the photo as a file and builds its `message` webhook; the
    /// message id and the body to post.
    pub fn photo_message(&self, p: &Photo<'_>) -> (String, Vec<u8>) {
        self.media_message(p, "image/jpeg", "jpeg", "image")
    }

    /// As [`photo_message`](Self::photo_message), for a clip: `p.jpeg`
    /// holds the MP4's bytes.
    pub fn video_message(&self, p: &Photo<'_>) -> (String, Vec<u8>) {
        self.media_message(p, "video/mp4", "mp4", "video")
    }

    fn media_message(&self, p: &Photo<'_>, mime: &str, ext: &str, kind: &str) -> (String, Vec<u8>) {
        let mut w = self.world();
        w.next += 1;
        let key = format!("3EB0{:016X}", w.next);
        let id = format!("false_{}_{key}_{}", p.group, p.sender);
        let file = format!("{id}.{ext}");
        w.files.insert(file.clone(), p.jpeg.to_vec());
        w.messages.insert(id.clone(), p.group.to_owned());
        drop(w);
        let payload = json!({
            "id": id, "timestamp": 1_767_000_000, "from": p.group, "fromMe": false,
            "to": super::BOT, "participant": p.sender, "body": p.caption.unwrap_or(""),
            "hasMedia": true,
            // WAHA writes its own idea of its address: not the one the bot uses.
            "media": {"url": format!("http://localhost:3000/api/files/{file}"),
                      "mimetype": mime, "filename": null},
            "ack": 1, "ackName": "SERVER",
            "_data": {"notifyName": p.sender_name, "type": kind}
        });
        (id, Self::envelope("message", payload))
    }

    /// A text someone sends the bot's number in their own chat.
    pub fn private_text(&self, from: &str, text: &str) -> (String, Vec<u8>) {
        let mut w = self.world();
        w.next += 1;
        let id = format!("false_{from}_3EB0{:016X}", w.next);
        drop(w);
        let payload = json!({
            "id": id, "timestamp": 1_767_000_000, "from": from, "fromMe": false,
            "to": super::BOT, "body": text, "hasMedia": false,
            "_data": {"notifyName": "Admin"}
        });
        (id, Self::envelope("message", payload))
    }

    /// WAHA's `group.join` (WEBJS's group notification): `who` joined `group`.
    pub fn group_join(&self, group: &str, who: &str) -> Vec<u8> {
        let payload = json!({
            "id": {"_serialized": format!("false_{group}_JOIN_{who}")},
            "type": "add", "timestamp": 1_767_000_000, "chatId": group,
            "author": who, "body": "", "recipientIds": [who]
        });
        Self::envelope("group.join", payload)
    }

    /// A text someone writes in a group, answering `reply_to` if given.
    pub fn group_text(
        &self,
        group: &str,
        from: &str,
        text: &str,
        reply_to: Option<&str>,
    ) -> Vec<u8> {
        let mut w = self.world();
        w.next += 1;
        let id = format!("false_{group}_3EB0{:016X}_{from}", w.next);
        drop(w);
        let mut payload = json!({
            "id": id, "timestamp": 1_767_000_000, "from": group, "fromMe": false,
            "participant": from, "to": super::BOT, "body": text, "hasMedia": false,
            "_data": {"notifyName": "Admin"}
        });
        if let Some(target) = reply_to {
            payload["replyTo"] = json!({"id": target, "participant": from, "body": ""});
        }
        Self::envelope("message", payload)
    }

    /// Posts `body` to the bot signed with `secret` (`None`: unsigned); the status.
    pub async fn post_webhook(&self, body: &[u8], secret: Option<&str>) -> u16 {
        let (url, _) = self.hook.lock().unwrap().clone().expect("hook_to first");
        Self::post_to(&url, body, secret).await
    }

    /// Posts `body` signed with the bot's secret to `url` (one of several
    /// replicas' receivers); the status.
    pub async fn deliver_at(&self, url: &str, body: &[u8]) -> u16 {
        let (_, secret) = self.hook.lock().unwrap().clone().expect("hook_to first");
        Self::post_to(url, body, Some(&secret)).await
    }

    async fn post_to(url: &str, body: &[u8], secret: Option<&str>) -> u16 {
        let mut req = reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(secret) = secret {
            req = req
                .header("X-Webhook-Hmac", sign(secret, body))
                .header("X-Webhook-Hmac-Algorithm", "sha512");
        }
        req.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
    }

    /// Posts `body` signed with the bot's secret, as WAHA would.
    pub async fn deliver(&self, body: &[u8]) -> u16 {
        let (_, secret) = self.hook.lock().unwrap().clone().expect("hook_to first");
        self.post_webhook(body, Some(&secret)).await
    }
}
