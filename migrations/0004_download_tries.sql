-- Issue 17.3: failed downloads of a message's media, counted across restarts,
-- so a photo that can never be fetched is removed (and the admins told) after
-- DOWNLOAD_MAX_TRIES instead of being retried every minute forever. A row is
-- forgotten once the media is fetched or the message removed.
CREATE TABLE download_tries (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    tries      INTEGER NOT NULL CHECK (tries >= 1),
    last_try   TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;
