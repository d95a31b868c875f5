//! Running ffmpeg and ffprobe as child processes: a hostile file can crash or
//! hang the child, never the caller. Each child's stderr is read on its own
//! thread into a short, truncated buffer (it names the failure; it is only
//! ever returned inside an error, never logged with media content), and a
//! watchdog kills every child of a run when the wall-clock deadline passes.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;

/// How much of a child's stderr is kept for the error message.
const STDERR_KEEP: usize = 600;

#[derive(Debug, Error)]
pub enum ProcessError {
    #[error("{tool} is not installed (install Debian's ffmpeg package)")]
    Missing { tool: &'static str },
    #[error("cannot start {tool}: {reason}")]
    Spawn { tool: &'static str, reason: String },
    #[error("{tool} failed ({status}): {stderr}")]
    Failed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    #[error("{tool} took longer than the {seconds} s deadline and was killed")]
    Deadline { tool: &'static str, seconds: u64 },
}

/// A running child with its stderr being collected.
pub struct Proc {
    pub tool: &'static str,
    pub child: Arc<Mutex<Child>>,
    stderr: Option<JoinHandle<String>>,
}

/// Starts `tool` with `args`; stdin/stdout are piped when asked for.
pub fn spawn(
    tool: &'static str,
    args: &[String],
    stdin: bool,
    stdout: bool,
) -> Result<Proc, ProcessError> {
    let pipe = |on: bool| if on { Stdio::piped() } else { Stdio::null() };
    let mut child = Command::new(tool)
        .args(args)
        .stdin(pipe(stdin))
        .stdout(pipe(stdout))
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ProcessError::Missing { tool },
            _ => ProcessError::Spawn {
                tool,
                reason: e.to_string(),
            },
        })?;
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut buf = [0u8; 4096];
            // Read to the end (so the child never blocks on a full pipe),
            // keeping only the first bytes.
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = STDERR_KEEP.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            // One line, so an error stays one line wherever it is printed.
            let text = String::from_utf8_lossy(&kept);
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            lines.join("; ")
        })
    });
    Ok(Proc {
        tool,
        child: Arc::new(Mutex::new(child)),
        stderr,
    })
}

impl Proc {
    /// Kills the child (if it still runs); errors are moot at that point.
    pub fn kill(&self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
        }
    }

    /// Waits for the child (killing it at `until`) and turns a failure into
    /// an error with its stderr.
    pub fn finish(mut self, until: Instant) -> Result<(), ProcessError> {
        let status = self.wait(until);
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        match status {
            Some(s) if s.success() => Ok(()),
            other => Err(ProcessError::Failed {
                tool: self.tool,
                status: other.map_or("not waited".into(), |s| s.to_string()),
                stderr,
            }),
        }
    }

    /// Polls rather than blocks, so the lock is never held while the child
    /// runs (the watchdog needs it to kill).
    fn wait(&self, until: Instant) -> Option<ExitStatus> {
        loop {
            let mut c = self.child.lock().ok()?;
            match c.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() >= until => {
                    let _ = c.kill();
                    return c.wait().ok();
                }
                Ok(None) => {}
                Err(_) => return None,
            }
            drop(c);
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Runs `tool` to completion with its stdout captured, under a deadline.
pub fn output(
    tool: &'static str,
    args: &[String],
    deadline: Duration,
) -> Result<Vec<u8>, ProcessError> {
    let proc = spawn(tool, args, false, true)?;
    let mut stdout = proc
        .child
        .lock()
        .ok()
        .and_then(|mut c| c.stdout.take())
        .ok_or(ProcessError::Spawn {
            tool,
            reason: "no stdout".into(),
        })?;
    let until = Instant::now() + deadline;
    let watchdog = Watchdog::start(deadline, vec![proc.child.clone()]);
    let mut out = Vec::new();
    let _ = stdout.read_to_end(&mut out);
    let expired = watchdog.stop();
    let result = proc.finish(until);
    if expired {
        return Err(ProcessError::Deadline {
            tool,
            seconds: deadline.as_secs(),
        });
    }
    result.map(|()| out)
}

/// Kills the given children when the deadline passes before `stop`.
pub struct Watchdog {
    done: mpsc::Sender<()>,
    expired: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Watchdog {
    pub fn start(deadline: Duration, children: Vec<Arc<Mutex<Child>>>) -> Self {
        let (done, rx) = mpsc::channel::<()>();
        let expired = Arc::new(AtomicBool::new(false));
        let flag = expired.clone();
        let thread = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(deadline) {
                flag.store(true, Ordering::SeqCst);
                for c in &children {
                    if let Ok(mut c) = c.lock() {
                        let _ = c.kill();
                    }
                }
            }
        });
        Self {
            done,
            expired,
            thread,
        }
    }

    /// Whether the deadline had passed (and the children were killed).
    #[must_use]
    pub fn stop(self) -> bool {
        let _ = self.done.send(());
        let _ = self.thread.join();
        self.expired.load(Ordering::SeqCst)
    }
}
