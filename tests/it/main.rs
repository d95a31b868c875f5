mod fake_telegram;
mod fake_telegram_selftest;
