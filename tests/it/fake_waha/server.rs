//! The fake's HTTP side: WAHA's routes; every call is recorded and must
//! carry `X-Api-Key: API_KEY` (WAHA's `WHATSAPP_API_KEY`).

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{Call, Sent, World, API_KEY, BOT};

type Shared = Arc<Mutex<World>>;

pub(crate) fn router(world: Shared) -> Router {
    Router::new()
        .route("/api/sessions/{session}", get(session))
        .route("/api/files/{*name}", get(file))
        .route("/api/sendImage", post(send))
        .route("/api/sendVideo", post(send))
        .route("/api/sendText", post(send))
        .route("/api/sendFile", post(send))
        .route(
            "/api/{session}/chats/{chat}/messages/{message}",
            delete(delete_message).get(get_message),
        )
        .route("/api/{session}/groups/{group}", get(group_info))
        .route(
            "/api/{session}/groups/{group}/participants",
            get(participants),
        )
        .layer(axum::middleware::from_fn_with_state(world.clone(), keyed))
        .with_state(world)
}

/// Every call is recorded; one without `X-Api-Key: API_KEY` is answered 401.
async fn keyed(State(w): State<Shared>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if !record(&w, &parts.method, &parts.uri, &parts.headers, &bytes) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if failing(&w, parts.uri.path()) {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let slow = w.lock().unwrap().slow.get(parts.uri.path()).copied();
    if let Some(by) = slow {
        tokio::time::sleep(by).await;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether this call is one of the failures `fail_next` asked for.
fn failing(w: &Shared, path: &str) -> bool {
    let mut world = w.lock().unwrap();
    match world.failing.get_mut(path) {
        Some(left) if *left > 0 => {
            *left -= 1;
            true
        }
        _ => false,
    }
}

/// Records the call; false (answer 401) when the key is missing or wrong.
fn record(world: &Shared, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> bool {
    let mut w = world.lock().unwrap();
    let keyed = headers.get("x-api-key").and_then(|v| v.to_str().ok()) == Some(API_KEY);
    if !keyed {
        w.unauthorized += 1;
    }
    w.calls.push(Call {
        method: method.to_string(),
        path: uri.path().to_owned(),
        body: serde_json::from_slice(body).unwrap_or(Value::Null),
    });
    keyed
}

async fn session(Path(name): Path<String>) -> Response {
    Json(json!({
        "name": name, "status": "WORKING",
        "me": {"id": BOT, "pushName": "Photo Guard"},
        "engine": {"engine": "WEBJS"}
    }))
    .into_response()
}

async fn file(State(w): State<Shared>, Path(name): Path<String>) -> Response {
    let bytes = w.lock().unwrap().files.get(&name).cloned();
    match bytes {
        Some(bytes) => ([("content-type", "image/jpeg")], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A message the bot posted, now in the chat; its new id.
fn posted(w: &Shared, endpoint: &str, chat: &str, text: &str, bytes: Vec<u8>) -> String {
    posted_file(w, endpoint, chat, text, bytes, &Value::Null)
}

/// [`posted`], with the `file` object it came with (`filename`, `mimetype`).
fn posted_file(
    w: &Shared,
    endpoint: &str,
    chat: &str,
    text: &str,
    bytes: Vec<u8>,
    file: &Value,
) -> String {
    let mut world = w.lock().unwrap();
    world.next += 1;
    let id = format!("true_{chat}_3EB0FAKE{:06}", world.next);
    world.messages.insert(id.clone(), chat.to_owned());
    world.sent.push(Sent {
        id: id.clone(),
        endpoint: endpoint.to_owned(),
        chat: chat.to_owned(),
        text: text.to_owned(),
        bytes,
        filename: file["filename"].as_str().unwrap_or("").to_owned(),
        mimetype: file["mimetype"].as_str().unwrap_or("").to_owned(),
    });
    id
}

/// `sendImage`, `sendVideo`, `sendFile` (the file as base64) and `sendText`.
async fn send(State(w): State<Shared>, uri: Uri, body: Bytes) -> Response {
    let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let chat = req["chatId"].as_str().unwrap_or("").to_owned();
    let endpoint = uri.path().trim_start_matches("/api/");
    if endpoint == "sendText" {
        let text = req["text"].as_str().unwrap_or("");
        let id = posted(&w, endpoint, &chat, text, Vec::new());
        // WAHA's own WAMessage: the id is a string.
        let answer = json!({"id": id, "from": BOT, "to": chat, "fromMe": true});
        return (StatusCode::CREATED, Json(answer)).into_response();
    }
    let data = req["file"]["data"].as_str().unwrap_or("");
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let caption = req["caption"].as_str().unwrap_or("");
    let id = posted_file(&w, endpoint, &chat, caption, bytes, &req["file"]);
    // WEBJS hands back the engine's message: its id is an object.
    let answer = json!({"id": {"fromMe": true, "remote": chat, "_serialized": id}});
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn delete_message(
    State(w): State<Shared>,
    Path((_, chat, message)): Path<(String, String, String)>,
) -> Response {
    let mut world = w.lock().unwrap();
    let bot_admin = world
        .groups
        .get(&chat)
        .is_some_and(|p| p.iter().any(|(id, admin)| id == BOT && *admin));
    if chat.ends_with("@g.us") && !bot_admin {
        // WAHA turns the engine's refusal into a 500.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if world.messages.remove(&message).is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    world.deleted.push((chat, message));
    StatusCode::OK.into_response()
}

/// WEBJS's answer to "get the group": the group's chat, named by its subject.
async fn group_info(State(w): State<Shared>, Path((_, group)): Path<(String, String)>) -> Response {
    let world = w.lock().unwrap();
    if !world.groups.contains_key(&group) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let subject = world.subjects.get(&group).cloned().unwrap_or_default();
    let participants = world.groups[&group].len();
    Json(json!({
        "id": {"server": "g.us", "_serialized": group},
        "name": subject, "isGroup": true, "isReadOnly": false, "unreadCount": 0,
        "groupMetadata": {"subject": subject, "size": participants}
    }))
    .into_response()
}

async fn participants(
    State(w): State<Shared>,
    Path((_, group)): Path<(String, String)>,
) -> Response {
    let people = w.lock().unwrap().groups.get(&group).cloned();
    let Some(people) = people else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // WEBJS's GroupParticipant.
    let list: Vec<Value> = people
        .iter()
        .map(|(id, admin)| json!({"id": {"_serialized": id}, "isAdmin": admin, "isSuperAdmin": false}))
        .collect();
    Json(list).into_response()
}

/// WAHA's "get message by id": the message, its media downloaded again
/// (a fresh file under `/api/files/`) when `downloadMedia=true`.
async fn get_message(
    State(w): State<Shared>,
    Path((_, chat, message)): Path<(String, String, String)>,
    Query(query): Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let mut world = w.lock().unwrap();
    if world.messages.get(&message) != Some(&chat) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut answer = json!({"id": message, "from": chat, "hasMedia": false});
    let prefix = format!("{message}.");
    let file = world
        .files
        .iter()
        .find(|(name, _)| name.starts_with(&prefix));
    let file = file.map(|(name, bytes)| (name.clone(), bytes.clone()));
    if let (Some((name, bytes)), Some("true")) =
        (file, query.get("downloadMedia").map(String::as_str))
    {
        let fresh = format!("again_{name}");
        world.files.insert(fresh.clone(), bytes);
        answer["hasMedia"] = json!(true);
        answer["media"] = json!({"url": format!("http://localhost:3000/api/files/{fresh}"),
                                 "mimetype": "image/jpeg", "filename": null});
    }
    Json(answer).into_response()
}
