-- The twin of ../0004_download_tries.sql (issue 17.3): failed downloads of a
-- message's media, counted across restarts.
CREATE TABLE download_tries (
    chat_id    BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    tries      BIGINT NOT NULL CHECK (tries >= 1),
    last_try   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
