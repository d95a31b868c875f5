-- The twin of ../0003_enforcement_steps.sql (issue 17.1 and 17.8): every
-- caption of an album, sealed, and how far acting on each message's verdict
-- got, with the anonymised copy sealed until posted. See the SQLite file for
-- what each column means.
CREATE TABLE album_captions (
    chat_id        BIGINT NOT NULL,
    media_group_id TEXT NOT NULL,
    message_id     BIGINT NOT NULL,
    update_id      BIGINT NOT NULL,
    caption        TEXT,
    seen_at        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (chat_id, media_group_id, message_id)
);
CREATE INDEX album_captions_by_time ON album_captions (seen_at);

CREATE TABLE enforcement (
    chat_id         BIGINT NOT NULL,
    message_id      BIGINT NOT NULL,
    update_id       BIGINT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('allow', 'blur', 'block')),
    enforced        BOOLEAN NOT NULL,
    reason          TEXT NOT NULL,
    share_id        BIGINT NOT NULL REFERENCES shares(id),
    quarantine_id   BIGINT,
    step            TEXT NOT NULL CHECK (step IN ('decided', 'deleted', 'delivered', 'done')),
    removal         TEXT CHECK (removal IN ('removed', 'already_gone', 'not_allowed')),
    copy_message_id BIGINT,
    copy_nonce      BYTEA,
    copy_sealed     BYTEA,
    updated_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
