-- Issue 21: the inbox is the job queue (the SQLite twin says how). Times are
-- canonical UTC text compared as bytes, as everywhere in this schema.
ALTER TABLE inbox ADD COLUMN chat BIGINT;
ALTER TABLE inbox ADD COLUMN leased_by TEXT;
ALTER TABLE inbox ADD COLUMN lease_until TEXT COLLATE "C";
ALTER TABLE inbox ADD COLUMN not_before TEXT COLLATE "C";
ALTER TABLE inbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
CREATE INDEX inbox_chat_line ON inbox (chat, finished_at);
