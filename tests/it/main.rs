//! The one integration-test binary: the fake Telegram, the app spawned
//! against it, and the end-to-end and CLI tests.

mod audit_cli;
mod audit_pg;
mod authz;
mod burst;
mod e2e_albums;
mod e2e_cannot;
mod e2e_cannot_chats;
mod e2e_consent_time;
mod e2e_photos;
mod e2e_promises;
mod e2e_review;
mod e2e_steps;
mod e2e_video;
mod e2e_whatsapp;
mod e2e_whatsapp_admin;
mod e2e_whatsapp_breach;
mod e2e_whatsapp_matrix;
mod e2e_whatsapp_review;
mod fake_telegram;
mod fake_telegram_selftest;
mod fake_waha;
mod faults;
mod guard_service;
mod handback;
pub(crate) mod hostile;
mod leader;
mod replicas;
mod replicas_bench;
mod support;
mod support_replicas;
mod support_whatsapp;
mod support_whatsapp_replicas;
mod video_cli;
mod vision;
mod whatsapp_replicas;
