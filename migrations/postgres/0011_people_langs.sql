-- The twin of ../0011_people_langs.sql (issue 23): the language each person
-- last wrote to the bot in, for the expiry digest.
CREATE TABLE people_langs (
    user_id    BIGINT PRIMARY KEY NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    updated_at TEXT COLLATE "C" NOT NULL
);
