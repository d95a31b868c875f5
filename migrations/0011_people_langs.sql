-- Issue 23: the language each person last wrote to the bot in, privately
-- (Telegram's language_code), so what the bot tells them unasked (the
-- daily expiry digest) is in their language, not only Indonesian.
CREATE TABLE people_langs (
    user_id    INTEGER PRIMARY KEY NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    updated_at TEXT NOT NULL
);
