//! What `bench` measures besides wall time, from /proc (Linux only;
//! elsewhere zero): the peak memory (PSS) of this process and its children
//! (ffmpeg) together, and CPU seconds used by this
//! process and its waited-for children, which a shared machine's load
//! changes far less than wall time.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub struct PeakRss {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: JoinHandle<()>,
}

/// Proportional set size of `pid` in kB ("Pss": shared library pages
/// split between the processes that map them, so a sum over ffmpeg and
/// this process counts them once), 0 when unreadable.
fn rss_kb(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resident pages of `pid` ("statm"'s second field), 0 when unreadable:
/// O(1) for the kernel, where `smaps_rollup` walks every page table (read
/// every 20 ms it took 17% of a video bench's CPU, perf).
fn resident_pages(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// The pids of this process's direct children, over all its threads.
fn children() -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    let mut pids = Vec::new();
    for task in tasks.flatten() {
        if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
            pids.extend(list.split_whitespace().map(str::to_owned));
        }
    }
    pids
}

impl PeakRss {
    pub fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            // The resident sum is read every 20 ms; the costly PSS only when
            // it reaches a new high (or the set of processes changes), which
            // is where the PSS peak is too.
            let (mut high, mut last) = (0u64, Vec::<String>::new());
            while !s.load(Ordering::Relaxed) {
                let pids = children();
                let resident =
                    resident_pages("self") + pids.iter().map(|c| resident_pages(c)).sum::<u64>();
                if resident > high || pids != last {
                    high = high.max(resident);
                    let total = rss_kb("self") + pids.iter().map(|c| rss_kb(c)).sum::<u64>();
                    p.fetch_max(total, Ordering::Relaxed);
                    last = pids;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Self { stop, peak, thread }
    }

    /// The peak in MB (this process and its children together).
    #[must_use]
    pub fn stop(self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

/// This process's own peak resident set ("VmHWM") in MB.
pub fn own_peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) of this process and its waited-for children.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at state.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .skip(11) // state .. cmajflt; then utime stime cutime cstime
        .take(4)
        .filter_map(|v| v.parse().ok())
        .collect();
    // Linux reports clock ticks of 1/100 s (USER_HZ) on every common build.
    fields.iter().sum::<f64>() / 100.0
}
