//! Benchmark, not a timed test: 100 photos from 10 chats at once, with
//! /rules probes during the burst. Run it with
//!
//! ```text
//! cargo test --release --test it burst -- --ignored --nocapture
//! ```
//!
//! and read the last line. "Action" is the delete of the original for a blur
//! or a block, and the share recorded (its audit entry) for an allow; each is
//! observed by polling every few milliseconds, so figures carry ~10 ms of
//! observation slack.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use photo_guard_core::store::AuditLog;
use photo_guard_core::texts::{text, Msg};
use photo_guard_core::Lang;

use crate::support::*;

const CHATS: usize = 10;
const PHOTOS: usize = 100;
const CLIENT: &str = "KLNX";
/// A /rules probe goes out this often while photos are still waiting.
const PROBE_EVERY: Duration = Duration::from_millis(1000);
/// The bench gives up (and fails) after this long.
const LIMIT: Duration = Duration::from_secs(150);
const TICK: Duration = Duration::from_millis(10);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Blur,
    Allow,
    Block,
}

struct Sent {
    chat: i64,
    message: i32,
    expect: Expect,
    at: Instant,
    acted: Option<Instant>,
}

struct Probe {
    chat: i64,
    /// This probe is answered once the chat holds this many /rules answers.
    nth: usize,
    at: Instant,
    answered: Option<Instant>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Median time to decode the faces fixture, in this process and build.
fn decode_baseline_ms() -> (f64, (u32, u32)) {
    let bytes = faces_jpeg();
    let mut runs: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            let img = image::load_from_memory(bytes).expect("the fixture decodes");
            std::hint::black_box(&img);
            ms(start.elapsed())
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    let dims = image::load_from_memory(bytes)
        .map(|i| (i.width(), i.height()))
        .unwrap_or_default();
    (runs[runs.len() / 2], dims)
}

fn peak_rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: cargo test --release --test it burst -- --ignored --nocapture"]
async fn burst_of_100_photos_from_10_chats() {
    let (decode_ms, dims) = decode_baseline_ms();
    let app = TestApp::spawn().await;
    let answer = app
        .private_command(ADMIN, &format!("/consent {CLIENT} refused"))
        .await;
    assert!(
        answer.contains(CLIENT),
        "unexpected answer to /consent: {answer}"
    );

    let chats: Vec<i64> = (0..CHATS as i64).map(|i| -100_700 - i).collect();
    for (i, &chat) in chats.iter().enumerate() {
        app.fake.group(chat, &format!("Tim {i}"));
        app.fake.bot_is_admin(chat, true);
        app.fake.make_member(chat, ALICE);
        app.fake.make_member(chat, MALLORY);
    }
    let idle_rss = peak_rss_mb(app.pid().expect("the bot is running"));
    let rules = text(Lang::Id, &Msg::Rules);
    let rules_in = |chat: i64| {
        app.fake
            .sent_messages(chat)
            .iter()
            .filter(|m| m.text == rules)
            .count()
    };
    let store = app.store().await;
    let since = chrono::Utc::now() - chrono::Duration::minutes(1);

    // The burst: every photo queued at once, round-robin over the chats.
    let mut sent: Vec<Sent> = Vec::with_capacity(PHOTOS);
    let first_send = Instant::now();
    for i in 0..PHOTOS {
        let chat = chats[i % CHATS];
        let sender = if i % 2 == 0 { ALICE } else { MALLORY };
        let expect = match i % 3 {
            0 => Expect::Blur,
            1 => Expect::Allow,
            _ => Expect::Block,
        };
        let message = match expect {
            Expect::Blur => {
                app.fake
                    .send_photo(chat, sender, faces_jpeg(), Some("kunjungan rumah"))
            }
            Expect::Allow => {
                app.fake
                    .send_photo(chat, sender, plain_jpeg(), Some("kegiatan hari ini"))
            }
            Expect::Block => app.fake.send_photo(
                chat,
                sender,
                plain_jpeg(),
                Some(&format!("kunjungan #{CLIENT}")),
            ),
        };
        sent.push(Sent {
            chat,
            message,
            expect,
            at: Instant::now(),
            acted: None,
        });
    }

    let mut probes: Vec<Probe> = Vec::new();
    let mut sent_to: HashMap<i64, usize> = HashMap::new();
    let mut next_probe = Instant::now();
    let mut last_store_poll = Instant::now() - Duration::from_secs(1);
    loop {
        let now = Instant::now();
        let waiting = sent.iter().filter(|s| s.acted.is_none()).count();
        // Probe while photo work is still queued.
        if waiting > 0 && now >= next_probe {
            let chat = chats[(probes.len() * 3 + 1) % CHATS];
            let nth = sent_to.entry(chat).or_default();
            *nth += 1;
            let nth = *nth;
            app.fake.send_text(chat, ADMIN, "/rules");
            probes.push(Probe {
                chat,
                nth,
                at: Instant::now(),
                answered: None,
            });
            next_probe = now + PROBE_EVERY;
        }
        for s in sent
            .iter_mut()
            .filter(|s| s.acted.is_none() && s.expect != Expect::Allow)
        {
            if app.fake.is_deleted(s.chat, s.message) {
                s.acted = Some(now);
            }
        }
        for p in probes.iter_mut().filter(|p| p.answered.is_none()) {
            if rules_in(p.chat) >= p.nth {
                p.answered = Some(now);
            }
        }
        if now.duration_since(last_store_poll) >= TICK {
            last_store_poll = now;
            let entries = store
                .entries_since(since)
                .await
                .expect("the bench reads the audit log");
            for e in entries.iter().filter(|e| e.event.action == "share.allow") {
                let detail: serde_json::Value =
                    serde_json::from_str(&e.event.detail).unwrap_or_default();
                let message = detail["message"].as_i64();
                let chat = e.event.chat.map(|c| c.0);
                if let Some(s) = sent.iter_mut().find(|s| {
                    s.acted.is_none() && Some(s.chat) == chat && Some(s.message as i64) == message
                }) {
                    s.acted = Some(now);
                }
            }
        }
        let all_acted = sent.iter().all(|s| s.acted.is_some());
        let all_answered = probes.iter().all(|p| p.answered.is_some());
        if all_acted && all_answered {
            break;
        }
        if first_send.elapsed() > LIMIT {
            let missing: Vec<_> = sent
                .iter()
                .filter(|s| s.acted.is_none())
                .map(|s| (s.chat, s.message, s.expect))
                .collect();
            let unanswered = probes.iter().filter(|p| p.answered.is_none()).count();
            panic!("not done after {LIMIT:?}: {} photos not acted on {missing:?}, {unanswered} /rules unanswered", missing.len());
        }
        tokio::time::sleep(TICK).await;
    }
    let last_action = sent
        .iter()
        .filter_map(|s| s.acted)
        .max()
        .expect("photos were acted on");
    let wall = last_action.duration_since(first_send);
    let pid = app.pid().expect("the bot is running");

    // Sanity: the burst was handled as it should be, not just quickly.
    let blurs = sent.iter().filter(|s| s.expect == Expect::Blur).count();
    let copied = app
        .fake
        .wait_until(WAIT, |f| {
            chats.iter().map(|c| f.sent_photos(*c).len()).sum::<usize>() == blurs
        })
        .await;
    let rss = peak_rss_mb(pid);
    let stats = photo_guard_core::store::ShareStore::stats(&store)
        .await
        .expect("stats");
    let sum = |f: fn(&photo_guard_core::ChatStats) -> u64| stats.iter().map(f).sum::<u64>();
    eprintln!(
        "peak RSS before the burst: {idle_rss:.0} MB; verdicts: checked={} blurred={} allowed={} blocked={}; blurred copies posted: {}",
        sum(|s| s.checked),
        sum(|s| s.blurred),
        sum(|s| s.allowed),
        sum(|s| s.blocked),
        chats.iter().map(|c| app.fake.sent_photos(*c).len()).sum::<usize>()
    );
    assert!(copied, "not every blurred copy was posted");
    assert_eq!(sum(|s| s.blurred) as usize, blurs);
    assert_eq!(
        sum(|s| s.blocked) as usize,
        sent.iter().filter(|s| s.expect == Expect::Block).count()
    );

    let mut latencies: Vec<f64> = sent
        .iter()
        .map(|s| ms(s.acted.unwrap().duration_since(s.at)))
        .collect();
    latencies.sort_by(f64::total_cmp);
    let mut rules_ms: Vec<f64> = probes
        .iter()
        .map(|p| ms(p.answered.unwrap().duration_since(p.at)))
        .collect();
    rules_ms.sort_by(f64::total_cmp);
    let per_kind = |k: Expect| {
        let mut v: Vec<f64> = sent
            .iter()
            .filter(|s| s.expect == k)
            .map(|s| ms(s.acted.unwrap().duration_since(s.at)))
            .collect();
        v.sort_by(f64::total_cmp);
        format!(
            "{k:?} n={} p50={:.0} p99={:.0}",
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99)
        )
    };
    let photos_per_s = PHOTOS as f64 / wall.as_secs_f64();
    let (p50, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));
    let rules_p50 = percentile(&rules_ms, 0.5);
    let rules_p99 = percentile(&rules_ms, 0.99);
    eprintln!(
        "by verdict (ms from update to action): {}; {}; {}",
        per_kind(Expect::Blur),
        per_kind(Expect::Allow),
        per_kind(Expect::Block)
    );
    eprintln!(
        "/rules probes: n={} p50_ms={rules_p50:.0} max_ms={:.0}",
        rules_ms.len(),
        rules_ms.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "baseline: decode of the {}x{} faces fixture ({} bytes) = {decode_ms:.2} ms; ratios to it: per_photo_wall={:.1}x p50={:.1}x p99={:.1}x rules_p99={:.1}x",
        dims.0,
        dims.1,
        faces_jpeg().len(),
        1000.0 / photos_per_s / decode_ms,
        p50 / decode_ms,
        p99 / decode_ms,
        rules_p99 / decode_ms,
    );
    println!(
        "photos={PHOTOS} chats={CHATS} photos_per_s={photos_per_s:.1} update_to_action_p50_ms={p50:.0} update_to_action_p99_ms={p99:.0} rules_p99_ms={rules_p99:.0} peak_rss_mb={rss:.0}"
    );
}
