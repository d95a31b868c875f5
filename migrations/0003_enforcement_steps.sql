-- Issue 17.1: every caption of an album, so each item is judged with all of
-- them, also after a restart. The caption is sealed under QUARANTINE_KEY
-- (crates/store/src/sealed_text.rs), bound to its row; NULL once an edit
-- removed it. `update_id` orders an item's states: an older update (a replay)
-- never overwrites a newer caption. Rows go after two days.
CREATE TABLE album_captions (
    chat_id        INTEGER NOT NULL,
    media_group_id TEXT NOT NULL,
    message_id     INTEGER NOT NULL,
    update_id      INTEGER NOT NULL,
    caption        TEXT,
    seen_at        TEXT NOT NULL,
    PRIMARY KEY (chat_id, media_group_id, message_id)
) WITHOUT ROWID;
CREATE INDEX album_captions_by_time ON album_captions (seen_at);

-- Issue 17.8: how far acting on each message's verdict got, so a restart
-- resumes at the next step and never checks the photo again. `update_id` is
-- the update that carried the state judged (a later edit replaces the row).
-- The anonymised copy is sealed (XChaCha20-Poly1305 under QUARANTINE_KEY,
-- bound to chat, message and update) before the original is deleted, and
-- wiped once posted. quarantine_id has no foreign key: retention purges
-- quarantine rows.
CREATE TABLE enforcement (
    chat_id         INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    update_id       INTEGER NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('allow', 'blur', 'block')),
    enforced        INTEGER NOT NULL CHECK (enforced IN (0, 1)),
    reason          TEXT NOT NULL,
    share_id        INTEGER NOT NULL REFERENCES shares(id),
    quarantine_id   INTEGER,
    step            TEXT NOT NULL CHECK (step IN ('decided', 'deleted', 'delivered', 'done')),
    removal         TEXT CHECK (removal IN ('removed', 'already_gone', 'not_allowed')),
    copy_message_id INTEGER,
    copy_nonce      BLOB,
    copy_sealed     BLOB,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
