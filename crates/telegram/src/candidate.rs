//! Finding the visual item in a message: a photo (the largest size), a
//! video, an animation (GIF or MP4), a round video note, a sticker, paid
//! media, a document (by MIME type, name, and once fetched by its bytes,
//! since a renamed file still shows a client), and media quoted from
//! another chat. A visual with no file the bot can fetch (a forwarded story,
//! a paid-media preview) is a candidate too: it is removed, not let through.

use photo_guard_core::{looks_like_video, Visual};
use teloxide::types::{
    Document, ExternalReplyInfoKind, FileMeta, Message, MessageKind, PaidMedia, PaidMediaInfo,
    PhotoSize, Sticker,
};

use crate::photo::sniff_image;

/// The item in a message the guard must look at.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The file and its declared size; `None`: nothing the bot can fetch.
    pub file: Option<(teloxide::types::FileId, u64)>,
    /// What the message says it is (a document's bytes may still correct it).
    pub kind: Visual,
    /// A document: its bytes decide whether it is an image or a video.
    pub is_document: bool,
    /// A document whose MIME type or name says image or video.
    pub declared_visual: bool,
}

impl Candidate {
    fn of(file: &FileMeta, kind: Visual) -> Self {
        Self {
            file: Some((file.id.clone(), u64::from(file.size))),
            kind,
            is_document: false,
            declared_visual: true,
        }
    }

    fn unfetchable() -> Self {
        Self {
            file: None,
            kind: Visual::Unfetchable,
            is_document: false,
            declared_visual: true,
        }
    }

    /// What the fetched bytes are: a document's content outranks its name;
    /// `None` for a document that shows nothing (a PDF, a text file).
    pub fn settle(&self, bytes: &[u8]) -> Option<Visual> {
        if !self.is_document {
            return Some(self.kind);
        }
        if looks_like_video(bytes) {
            return Some(Visual::Video);
        }
        if sniff_image(bytes) {
            return Some(Visual::Photo);
        }
        self.declared_visual.then_some(self.kind)
    }
}

/// The visual item in `msg`, its own or the one it quotes from elsewhere.
pub fn candidate(msg: &Message) -> Option<Candidate> {
    own(msg).or_else(|| quoted(msg))
}

fn own(msg: &Message) -> Option<Candidate> {
    if let Some(sizes) = msg.photo() {
        return largest(sizes);
    }
    let video = msg
        .video()
        .map(|v| &v.file)
        .or_else(|| msg.animation().map(|a| &a.file))
        .or_else(|| msg.video_note().map(|n| &n.file));
    if let Some(file) = video {
        return Some(Candidate::of(file, Visual::Video));
    }
    if let Some(sticker) = msg.sticker() {
        return Some(sticker_candidate(sticker));
    }
    if let Some(paid) = msg.paid_media() {
        return Some(paid_candidate(paid));
    }
    if let Some(doc) = msg.document() {
        return Some(document(doc));
    }
    msg.story().map(|_| Candidate::unfetchable())
}

/// Media quoted from another chat (`external_reply`) shows in this one.
fn quoted(msg: &Message) -> Option<Candidate> {
    let MessageKind::Common(common) = &msg.kind else {
        return None;
    };
    match &common.external_reply.as_ref()?.kind {
        ExternalReplyInfoKind::Photo(sizes) => largest(sizes),
        ExternalReplyInfoKind::Video(v) => Some(Candidate::of(&v.file, Visual::Video)),
        ExternalReplyInfoKind::Animation(a) => Some(Candidate::of(&a.file, Visual::Video)),
        ExternalReplyInfoKind::VideoNote(n) => Some(Candidate::of(&n.file, Visual::Video)),
        ExternalReplyInfoKind::Sticker(s) => Some(sticker_candidate(s)),
        ExternalReplyInfoKind::PaidMedia(p) => Some(paid_candidate(p)),
        ExternalReplyInfoKind::Document(d) => Some(document(d)),
        ExternalReplyInfoKind::Story(_) => Some(Candidate::unfetchable()),
        _ => None,
    }
}

fn largest(sizes: &[PhotoSize]) -> Option<Candidate> {
    let largest = sizes
        .iter()
        .max_by_key(|s| u64::from(s.width) * u64::from(s.height))?;
    Some(Candidate::of(&largest.file, Visual::Photo))
}

fn sticker_candidate(sticker: &Sticker) -> Candidate {
    let kind = if sticker.is_video() {
        Visual::Video
    } else if sticker.is_animated() {
        Visual::AnimatedSticker
    } else {
        Visual::ImageSticker
    };
    Candidate::of(&sticker.file, kind)
}

/// One photo or video with its file is examined; several items, or a
/// preview the bot cannot open, cannot all be: fail closed.
fn paid_candidate(paid: &PaidMediaInfo) -> Candidate {
    match paid.paid_media.as_slice() {
        [PaidMedia::Photo(p)] => Candidate::of(&p.photo.file, Visual::Photo),
        [PaidMedia::Video(v)] => Candidate::of(&v.video.file, Visual::Video),
        _ => Candidate::unfetchable(),
    }
}

fn document(doc: &Document) -> Candidate {
    let mime = doc
        .mime_type
        .as_ref()
        .map(|m| m.type_().as_str().to_owned());
    let name = doc.file_name.as_deref().unwrap_or("");
    let video = mime.as_deref() == Some("video") || has_extension(name, VIDEO_EXTENSIONS);
    let image = mime.as_deref() == Some("image") || has_extension(name, IMAGE_EXTENSIONS);
    Candidate {
        file: Some((doc.file.id.clone(), u64::from(doc.file.size))),
        kind: if video { Visual::Video } else { Visual::Photo },
        is_document: true,
        declared_visual: video || image,
    }
}

const IMAGE_EXTENSIONS: &[&str] = &[
    ".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".bmp", ".tif", ".tiff",
];
const VIDEO_EXTENSIONS: &[&str] = &[
    ".mp4", ".mov", ".m4v", ".webm", ".mkv", ".3gp", ".avi", ".mpg", ".mpeg",
];

fn has_extension(name: &str, extensions: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    extensions.iter().any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
#[path = "candidate_tests.rs"]
mod tests;
