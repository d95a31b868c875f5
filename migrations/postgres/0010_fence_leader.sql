-- Issue 21: a job's check is recorded once, and the scheduled rounds' leader
-- (the SQLite twin says how). Times are canonical UTC text compared as bytes.
ALTER TABLE shares ADD COLUMN job_update BIGINT;
CREATE UNIQUE INDEX shares_job_check ON shares (chat_id, message_id, job_update);
CREATE INDEX audit_log_chat_action ON audit_log (chat, action);
CREATE TABLE leaders (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  TEXT COLLATE "C" NOT NULL
);
