-- Issue 21: the inbox is the job queue. A job (an inbox row) is claimed by
-- one replica under a lease (leased_by, lease_until); one chat's jobs are
-- claimed one at a time in the order they were recorded (chat NULL: in no
-- line); work left unfinished waits for not_before; attempts counts claims.
ALTER TABLE inbox ADD COLUMN chat INTEGER;
ALTER TABLE inbox ADD COLUMN leased_by TEXT;
ALTER TABLE inbox ADD COLUMN lease_until TEXT;
ALTER TABLE inbox ADD COLUMN not_before TEXT;
ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbox_chat_line ON inbox (chat, finished_at);
