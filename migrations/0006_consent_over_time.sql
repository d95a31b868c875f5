-- Issue 23: consent over time. What the bot needs to take earlier shares down
-- when consent is withdrawn or narrowed, to send the expiry digest once a
-- day, and to follow a breach to its 3x24 hour deadline.

-- The Telegram file of each checked photo, sealed under QUARANTINE_KEY
-- (crates/store/src/sealed_text.rs, bound to chat and message): a downgrade
-- from full to blurred fetches the original by it while the message stands
-- (Telegram serves a file by id; the bot keeps no clear bytes of an allowed
-- photo). Erased with the client (/erase).
CREATE TABLE media_files (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    file_id    TEXT NOT NULL,
    noted_at   TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- Blurred copies the bot posted in place of an allowed original after a
-- downgrade, so a later withdrawal takes them down too.
CREATE TABLE replacement_copies (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    share_id   INTEGER NOT NULL REFERENCES shares(id),
    posted_at  TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- Messages the bot took down because consent changed (record_id is the
-- consent record it followed), so they are not listed again.
CREATE TABLE takedowns (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    record_id  INTEGER NOT NULL,
    removed_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- When each coordinator last got the expiry digest.
CREATE TABLE digests (
    user_id INTEGER PRIMARY KEY NOT NULL,
    sent_at TEXT NOT NULL
);

-- Breaches (UU PDP Art. 46): opened by /report or an admin's /breach. The
-- description is what people wrote, so it is sealed like a caption.
-- `reminders` counts the reminders sent (1: the 24 h one, 2: the 60 h one),
-- so a restart neither loses nor repeats one.
CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opened_at   TEXT NOT NULL,
    opened_by   INTEGER NOT NULL,
    chat_id     INTEGER,
    message_id  INTEGER,
    description TEXT NOT NULL,
    clients     TEXT NOT NULL,
    reminders   INTEGER NOT NULL DEFAULT 0 CHECK (reminders BETWEEN 0 AND 2)
);
