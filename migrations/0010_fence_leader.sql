-- Issue 21: a job's check is recorded once however often its job is claimed.
-- A share row written by a job's work names the job's update (job_update;
-- NULL outside a job, and NULLs never collide), so a claim that resumes a
-- check another claim made (and died after) finds the same row; its audit
-- entry is looked up by chat and action.
ALTER TABLE shares ADD COLUMN job_update INTEGER;
CREATE UNIQUE INDEX shares_job_check ON shares (chat_id, message_id, job_update);
CREATE INDEX audit_log_chat_action ON audit_log (chat, action);
-- Issue 21: the scheduled rounds (rules reminders, digests, breach
-- reminders) run on one replica: the leader, holding a lease by name.
CREATE TABLE leaders (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  TEXT NOT NULL
);
