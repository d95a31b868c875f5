//! A real PostgreSQL for the tests: the server `TEST_DATABASE_URL` names, or
//! else a throwaway cluster started once per test process from Debian's
//! binaries (`/usr/lib/postgresql/*/bin/initdb` and `pg_ctl`) in a temp
//! folder, on a free port on 127.0.0.1 with its unix socket in that folder.
//! initdb refuses to run as root, so as root the cluster is made and started
//! as an unprivileged user (`postgres` if the package made it, else `nobody`)
//! through `runuser`. A watchdog (its own session, so Ctrl-C on the tests
//! does not kill it first) stops the server and removes the folder once the
//! test process is gone, however it ended. Each test gets a fresh database.
//! Without a server the tests fail, saying how to get one: never skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use sqlx::{Connection, Executor, PgConnection};

const HOW: &str = "the PostgreSQL store tests need a server: set TEST_DATABASE_URL=postgres://user@host/db \
     (a role that may CREATE DATABASE), or install Debian's PostgreSQL (apt-get install -y postgresql) \
     so /usr/lib/postgresql/*/bin/initdb and pg_ctl exist";

/// Where the databases are made: an admin URL and how to name a database.
struct Server {
    /// Connects to the maintenance database.
    admin_url: String,
    /// `admin_url` with `{db}` where the database name goes.
    url_template: String,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The URL of a new, empty database on the test server.
pub(crate) async fn fresh_database() -> String {
    let server = match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(why) => panic!("{HOW}: {why}"),
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "photo_guard_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&server.admin_url)
        .await
        .unwrap_or_else(|e| panic!("{HOW}: cannot connect to {}: {e}", server.admin_url));
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("{HOW}: cannot create a test database: {e}"));
    admin.close().await.ok();
    server.url_template.replace("{db}", &name)
}

fn start() -> Result<Server, String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Ok(given(url.trim())),
        _ => throwaway(),
    }
}

/// `TEST_DATABASE_URL`: its database is the maintenance one; tests get
/// their own beside it.
fn given(url: &str) -> Server {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Server {
        admin_url: url.to_owned(),
        url_template: format!("{root}/{{db}}{query}"),
    }
}

fn throwaway() -> Result<Server, String> {
    let bin = debian_bin_dir().ok_or("no /usr/lib/postgresql/*/bin/initdb on this machine")?;
    let dir = tempfile::Builder::new()
        .prefix("photo-guard-pg-")
        .tempdir()
        .map_err(|e| format!("cannot make a temp folder: {e}"))?
        .keep();
    let runner = Runner::for_this_user()?;
    runner.give(&dir)?;
    let data = dir.join("data");
    runner.run(
        &bin.join("initdb"),
        &[
            "-D",
            path_str(&data)?,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
    )?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
        path_str(&dir)?
    );
    let log = dir.join("server.log");
    runner.run(
        &bin.join("pg_ctl"),
        &[
            "-D",
            path_str(&data)?,
            "-l",
            path_str(&log)?,
            "-o",
            &options,
            "-w",
            "start",
        ],
    )?;
    watch(&dir, &data)?;
    let socket = path_str(&dir)?;
    Ok(Server {
        admin_url: format!("postgres://postgres@localhost:{port}/postgres?host={socket}"),
        url_template: format!("postgres://postgres@localhost:{port}/{{db}}?host={socket}"),
    })
}

/// The newest `/usr/lib/postgresql/N/bin` that has `initdb`.
fn debian_bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Runs the cluster's commands: as this user, or as root through `runuser`
/// as an unprivileged one.
struct Runner {
    user: Option<&'static str>,
}

impl Runner {
    fn for_this_user() -> Result<Self, String> {
        let uid = output("id", &["-u"])?;
        if uid.trim() != "0" {
            return Ok(Self { user: None });
        }
        let user = if output("id", &["-u", "postgres"]).is_ok() {
            "postgres"
        } else {
            "nobody"
        };
        Ok(Self { user: Some(user) })
    }

    /// Makes `dir` the cluster user's.
    fn give(&self, dir: &Path) -> Result<(), String> {
        let Some(user) = self.user else {
            return Ok(());
        };
        output("chown", &["-R", user, path_str(dir)?]).map(drop)
    }

    fn run(&self, program: &Path, args: &[&str]) -> Result<(), String> {
        let program = path_str(program)?;
        match self.user {
            None => output(program, args),
            Some(user) => {
                let mut all = vec!["-u", user, "--", program];
                all.extend_from_slice(args);
                output("runuser", &all)
            }
        }
        .map(drop)
    }
}

fn output(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .current_dir("/")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Once this process is gone: stop the server (an immediate shutdown, the
/// data is thrown away) and remove the folder.
fn watch(dir: &Path, data: &Path) -> Result<(), String> {
    let script = r#"
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        pid=$(head -n 1 "$3/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ]; then
            kill -QUIT "$pid" 2>/dev/null
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        fi
        rm -rf "$2"
    "#;
    Command::new("setsid")
        .args(["sh", "-c", script, "watchdog"])
        .arg(std::process::id().to_string())
        .arg(dir)
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))
}
