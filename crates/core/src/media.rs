//! What kind of visual item the guard is handed, and how each kind is looked
//! at. The adapter says what arrived (a platform knows a sticker from a
//! video); the guard decides every kind with the same verdict table.

/// An incoming visual item, by what it can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visual {
    /// A photo or an image sent as a file.
    #[default]
    Photo,
    /// A video, an animation (GIF), a round video note or a video sticker.
    Video,
    /// A static (WebP) sticker: examined as an image, its copy a photo.
    ImageSticker,
    /// A vector (TGS) sticker: drawn, it cannot show a photo of anyone.
    AnimatedSticker,
    /// Something visual with no file the bot can fetch (a forwarded story).
    Unfetchable,
}

/// How the guard looks at a kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Image,
    Video,
    /// Nothing to look at: no face can be in it.
    Nothing,
    /// Nothing can be looked at: fail closed.
    Refuse,
}

impl Visual {
    pub fn look(self) -> Look {
        match self {
            Self::Photo | Self::ImageSticker => Look::Image,
            Self::Video => Look::Video,
            Self::AnimatedSticker => Look::Nothing,
            Self::Unfetchable => Look::Refuse,
        }
    }

    /// Whether its anonymised copy is a video (else an image, posted as a photo).
    pub fn copy_is_video(self) -> bool {
        self == Self::Video
    }

    /// A short stable code for logs and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Video => "video",
            Self::ImageSticker => "sticker",
            Self::AnimatedSticker => "animated_sticker",
            Self::Unfetchable => "unfetchable",
        }
    }
}

/// ISO-BMFF brands of still images (HEIF, AVIF): `ftyp` alone is not a video.
const IMAGE_BRANDS: [&[u8; 4]; 11] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis",
    b"jpeg",
];

/// Whether bytes start like a video container: MP4 or QuickTime (`ftyp`
/// with a brand that is not a still image's) or WebM/Matroska (EBML magic).
pub fn looks_like_video(head: &[u8]) -> bool {
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return true;
    }
    if head.get(4..8) != Some(b"ftyp") {
        return false;
    }
    match head.get(8..12) {
        Some(brand) => !IMAGE_BRANDS.iter().any(|b| b.as_slice() == brand),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp4_quicktime_and_webm_are_videos_but_heic_and_avif_are_not() {
        // Issue 19: a video sent as a file is found by its bytes, a HEIC photo is not taken for one.
        assert!(looks_like_video(b"\0\0\0\x20ftypisom\0\0\x02\0"));
        assert!(looks_like_video(b"\0\0\0\x14ftypqt  \0\0\0\0"));
        assert!(looks_like_video(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]));
        assert!(!looks_like_video(b"\0\0\0\x18ftypheic\0\0\0\0"));
        assert!(!looks_like_video(b"\0\0\0\x18ftypavif\0\0\0\0"));
        assert!(!looks_like_video(b"\xFF\xD8\xFF\xE0\0\x10JFIF"));
        assert!(!looks_like_video(b"\0\0\0\x20ftyp"));
    }

    #[test]
    fn stickers_and_stories_are_looked_at_as_what_they_can_show() {
        // Issue 19: a static sticker is an image, a TGS sticker shows nothing, a story cannot be fetched.
        assert_eq!(Visual::ImageSticker.look(), Look::Image);
        assert_eq!(Visual::Video.look(), Look::Video);
        assert_eq!(Visual::AnimatedSticker.look(), Look::Nothing);
        assert_eq!(Visual::Unfetchable.look(), Look::Refuse);
        assert!(Visual::Video.copy_is_video() && !Visual::ImageSticker.copy_is_video());
    }
}
