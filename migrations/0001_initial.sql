-- photo-guard's schema (SQLite). Times are UTC text in one fixed-width form,
-- 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ', so text order is time order; calendar
-- days are 'YYYY-MM-DD'. Lists are JSON arrays.
--
-- Append-only tables (clients, consent_records, shares, audit_log) refuse
-- UPDATE and DELETE through triggers, so the database itself enforces it. The
-- only deletes the store makes are the retention purge of quarantine and of
-- finished inbox entries, and role removal.

CREATE TABLE clients (
    code          TEXT PRIMARY KEY NOT NULL,
    registered_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE consent_records (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client      TEXT NOT NULL REFERENCES clients(code),
    kind        TEXT NOT NULL CHECK (kind IN ('grant', 'withdraw')),
    level       TEXT CHECK (level IN ('refused', 'blurred', 'full')),
    purpose     TEXT,
    given_by    TEXT CHECK (given_by IN ('client', 'guardian')),
    evidence    TEXT,
    valid_from  TEXT,
    valid_until TEXT,
    reason      TEXT,
    recorded_by INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK (kind = 'withdraw' OR (level IS NOT NULL AND given_by IS NOT NULL AND valid_from IS NOT NULL)),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX consent_records_by_client ON consent_records (client, recorded_at, id);

CREATE TABLE roles (
    user_id    INTEGER PRIMARY KEY NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'admin')),
    granted_by INTEGER NOT NULL,
    granted_at TEXT NOT NULL
);

CREATE TABLE chats (
    chat_id       INTEGER PRIMARY KEY NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    last_reminder TEXT
);

CREATE TABLE chat_policies (
    chat_id     INTEGER PRIMARY KEY NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('enforce', 'observe')),
    untagged    TEXT NOT NULL CHECK (untagged IN ('blur', 'block')),
    kind        TEXT NOT NULL CHECK (kind IN ('team', 'public')),
    lang        TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    remind_days INTEGER CHECK (remind_days IS NULL OR remind_days >= 0),
    updated_at  TEXT NOT NULL
);

CREATE TABLE shares (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id       INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    sender        INTEGER NOT NULL,
    tags          TEXT NOT NULL,
    verdict       TEXT NOT NULL CHECK (verdict IN ('allow', 'blur', 'block')),
    enforced      INTEGER NOT NULL CHECK (enforced IN (0, 1)),
    relied_on     TEXT NOT NULL,
    reason_code   TEXT NOT NULL,
    reason_detail TEXT NOT NULL,
    faces         INTEGER NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX shares_by_chat ON shares (chat_id, at);

-- Blocked photos. `sealed` is XChaCha20-Poly1305 ciphertext under
-- QUARANTINE_KEY with a fresh 24-byte `nonce`; its associated data binds it to
-- this row (id, share, chat, message). A discarded photo's bytes are wiped
-- (nonce and sealed set to NULL) at once; every row goes at retention.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    share_id    INTEGER NOT NULL REFERENCES shares(id),
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    sender      INTEGER NOT NULL,
    sender_name TEXT NOT NULL,
    caption     TEXT,
    thread      INTEGER,
    tags        TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolution  TEXT NOT NULL DEFAULT 'pending'
        CHECK (resolution IN ('pending', 'released_blurred', 'released_original', 'discarded')),
    resolved_by INTEGER,
    resolved_at TEXT,
    nonce       BLOB,
    sealed      BLOB
);
CREATE INDEX quarantine_by_created ON quarantine (created_at);
CREATE INDEX quarantine_pending ON quarantine (resolution, created_at);

-- Hash-chained: hash = sha256(prev_hash || canonical entry), see
-- crates/store/src/audit.rs. AUTOINCREMENT keeps a high-water mark in
-- sqlite_sequence, so a removed tail is noticed too.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     INTEGER,
    chat      INTEGER,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL UNIQUE,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- Updates recorded before they are acted on (crash safety).
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY NOT NULL,
    payload     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX inbox_unfinished ON inbox (finished_at, received_at);

CREATE TRIGGER clients_no_update BEFORE UPDATE ON clients
BEGIN SELECT RAISE(ABORT, 'clients are append-only'); END;
CREATE TRIGGER clients_no_delete BEFORE DELETE ON clients
BEGIN SELECT RAISE(ABORT, 'clients are append-only'); END;

CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;

CREATE TRIGGER shares_no_update BEFORE UPDATE ON shares
BEGIN SELECT RAISE(ABORT, 'shares are append-only'); END;
CREATE TRIGGER shares_no_delete BEFORE DELETE ON shares
BEGIN SELECT RAISE(ABORT, 'shares are append-only'); END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Once sealed, a quarantined photo's row keeps its identity and ciphertext;
-- only its resolution moves (and a discard may wipe the bytes).
CREATE TRIGGER quarantine_sealed_is_fixed BEFORE UPDATE ON quarantine
WHEN OLD.sealed IS NOT NULL AND (
       NEW.share_id IS NOT OLD.share_id OR NEW.chat_id IS NOT OLD.chat_id
    OR NEW.message_id IS NOT OLD.message_id OR NEW.created_at IS NOT OLD.created_at
    OR (NEW.sealed IS NOT NULL AND (NEW.sealed IS NOT OLD.sealed OR NEW.nonce IS NOT OLD.nonce)))
BEGIN SELECT RAISE(ABORT, 'a sealed quarantine row cannot be rewritten'); END;
