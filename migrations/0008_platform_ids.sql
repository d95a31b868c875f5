-- Issue 22: core ids for platforms whose own ids are strings (WhatsApp's
-- 6281...@c.us users, 1203...@g.us groups, message ids). The core speaks i64;
-- each (platform, external id) gets one row, and its core id is
-- 2^60 + id (PLATFORM_ID_BASE), far above anything Telegram hands out
-- (52-bit ids), so a WhatsApp user can never be taken for a Telegram one.
CREATE TABLE platform_ids (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    platform    TEXT NOT NULL CHECK (platform <> ''),
    external_id TEXT NOT NULL CHECK (external_id <> ''),
    created_at  TEXT NOT NULL,
    UNIQUE (platform, external_id)
);
