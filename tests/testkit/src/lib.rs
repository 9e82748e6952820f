//! What the SQL tests need from outside Rust, found or started here, so that
//! `cargo test --workspace` needs no set-up:
//!
//! - [`Postgres`]: a private PostgreSQL cluster, `initdb` and `postgres` from the machine's
//!   PostgreSQL in a temporary directory, on a free port of 127.0.0.1. Its superuser
//!   `postgres` signs in with SCRAM-SHA-256 over TCP; a database `dev` (Redshift's default)
//!   exists. PostgreSQL refuses to run as root, so as root the programs run as the
//!   `postgres` user (`runuser`). The server lives as long as the test process: a shell
//!   watches the test process's end of a pipe and, when it closes (however the process
//!   ended), stops the server and deletes the directory.
//! - [`python_with_redshift_connector`] and [`program`]: AWS's Python driver and PostgreSQL
//!   clients such as psql.
//!
//! Each is optional on a developer's machine: missing, the test prints how to provide it
//! and returns early. Under `CI=true` a missing one fails the test, so CI cannot pass
//! without running them.

#![forbid(unsafe_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The environment variable naming a PostgreSQL `bin` directory, when it is not one of
/// `/usr/lib/postgresql/*/bin` or on `PATH` (`pg_config --bindir`).
pub const PG_BIN_ENV: &str = "REDSHIFT_SERVERLESS_PG_BIN";
/// The environment variable naming a Python interpreter with the Python clients the tests
/// drive: `redshift_connector` (AWS's driver) and `psycopg`. `.ci/run` sets it to a venv.
pub const PYTHON_ENV: &str = "REDSHIFT_SERVERLESS_PYTHON";
/// The superuser's password in every cluster started here (the cluster is private: bound
/// to 127.0.0.1, in a directory only its owner reads).
pub const SUPERUSER_PASSWORD: &str = "testkit-superuser";

/// Whether a missing tool fails the test (`CI=true`) rather than skipping it.
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Reports a missing tool: a failure under `CI=true`, else a note on how to provide it, and
/// `None` so the test can return.
pub fn missing<T>(what: &str, how: &str) -> Option<T> {
    if required() {
        panic!("{what} is required under CI=true: {how}");
    }
    eprintln!("skipped: {what} is not available here. {how}");
    None
}

/// A running private PostgreSQL cluster.
#[derive(Debug)]
pub struct Postgres {
    port: u16,
    dir: PathBuf,
    bin: PathBuf,
    version: String,
    /// The watcher's stdin: closing it (dropping, or the process ending) stops the server.
    _lifeline: ChildStdin,
    _watcher: Child,
}

impl Postgres {
    /// The cluster of this test process, started on first use; `None` (after saying why)
    /// where PostgreSQL is not installed, except under `CI=true`, where that panics.
    pub fn shared() -> Option<&'static Postgres> {
        static SHARED: OnceLock<Result<Postgres, String>> = OnceLock::new();
        match SHARED.get_or_init(Postgres::start) {
            Ok(pg) => Some(pg),
            Err(e) if e.starts_with(NOT_INSTALLED) => missing(
                "PostgreSQL",
                "install it (Debian: `apt-get install postgresql`) or set REDSHIFT_SERVERLESS_PG_BIN to its bin directory",
            ),
            Err(e) => panic!("cannot start a private PostgreSQL cluster: {e}"),
        }
    }

    /// Starts a new private cluster.
    pub fn start() -> Result<Postgres, String> {
        let bin = find_bin().ok_or_else(|| format!("{NOT_INSTALLED}: no initdb found"))?;
        let version = output(Command::new(bin.join("postgres")).arg("--version"))?
            .trim()
            .to_owned();
        let dir = temp_dir()?;
        let as_postgres = running_as_root();
        if as_postgres {
            // The cluster's owner must own the directory.
            run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
        }
        let pwfile = dir.join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD)
            .map_err(|e| format!("cannot write {}: {e}", pwfile.display()))?;
        if as_postgres {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&pwfile))?;
        }
        let data = dir.join("data");
        let mut initdb = user_command(as_postgres, &bin.join("initdb"));
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", pwfile.display()));
        run(&mut initdb)?;
        let port = free_port()?;
        // The server in the background; the shell waits on its stdin (the test process's
        // end of the pipe), then stops the server and removes the directory.
        let script = format!(
            "'{postgres}' -D '{data}' -p {port} -c listen_addresses=127.0.0.1 \
             -c unix_socket_directories='{dir}' -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB \
             -c log_min_messages=warning >'{dir}/server.log' 2>&1 & pid=$!; \
             read _; kill -INT $pid; wait $pid; rm -rf '{dir}'",
            postgres = bin.join("postgres").display(),
            data = data.display(),
            dir = dir.display(),
        );
        let mut watcher = user_command(as_postgres, Path::new("/bin/sh"))
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start postgres: {e}"))?;
        let lifeline = watcher
            .stdin
            .take()
            .ok_or("no stdin for the postgres watcher")?;
        let pg = Postgres {
            port,
            dir,
            bin,
            version,
            _lifeline: lifeline,
            _watcher: watcher,
        };
        pg.wait_ready()?;
        pg.psql_as_superuser("create database dev")?;
        Ok(pg)
    }

    fn wait_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                return Err(format!("postgres did not start within 60 s: {log}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres --version`, e.g. `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The PostgreSQL `bin` directory in use.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// The superuser's connection string over TCP, database `postgres`.
    pub fn url(&self) -> String {
        format!(
            "postgresql://postgres:{SUPERUSER_PASSWORD}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    /// Runs SQL as the superuser with psql over the Unix socket; its output.
    pub fn psql_as_superuser(&self, sql: &str) -> Result<String, String> {
        let mut psql = user_command(running_as_root(), &self.bin.join("psql"));
        psql.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-U",
            "postgres",
        ])
        .arg("-h")
        .arg(&self.dir)
        .args(["-p", &self.port.to_string(), "-d", "postgres", "-c", sql]);
        output(&mut psql)
    }
}

const NOT_INSTALLED: &str = "PostgreSQL is not installed";

fn find_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(PG_BIN_ENV) {
        return Some(PathBuf::from(dir)).filter(|d| d.join("initdb").exists());
    }
    // Debian keeps each major version apart; take the newest.
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let bin = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    bin.join("initdb").exists().then_some(bin)
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program` as the `postgres` user when `as_postgres`, else as ourselves.
fn user_command(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn temp_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for _ in 0..100 {
        let mut tag = [0u8; 8];
        for b in &mut tag {
            *b = b"abcdefghijklmnopqrstuvwxyz0123456789"[random_below(36)];
        }
        let dir = base.join(format!("rs-testkit-pg-{}", String::from_utf8_lossy(&tag)));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err("cannot create a temporary directory".into())
}

/// A number below `n` from the clock and process id: good enough for directory names.
fn random_below(n: usize) -> usize {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() % n as u64) as usize
}

/// A port that was free a moment ago.
pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn run(command: &mut Command) -> Result<(), String> {
    output(command).map(|_| ())
}

fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{command:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A Python interpreter that imports `redshift_connector`: the one
/// `REDSHIFT_SERVERLESS_PYTHON` names (`.ci/run` sets it to a venv with redshift-connector
/// 2.2.0). `None`, after saying how to provide it, when there is none.
pub fn python_with_redshift_connector() -> Option<PathBuf> {
    python_with("redshift_connector", "redshift-connector==2.2.0")
}

/// A Python interpreter that imports `psycopg` (3), as [`python_with_redshift_connector`].
pub fn python_with_psycopg() -> Option<PathBuf> {
    python_with("psycopg", "psycopg[binary]")
}

fn python_with(module: &str, requirement: &str) -> Option<PathBuf> {
    let how = format!(
        "python3 -m venv target/py-venv && target/py-venv/bin/pip install '{requirement}', then set {PYTHON_ENV}=target/py-venv/bin/python"
    );
    let Some(python) = std::env::var_os(PYTHON_ENV) else {
        return missing(module, &how);
    };
    let python = PathBuf::from(python);
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(python)
    } else {
        missing(
            module,
            &format!("{} cannot import {module}: {how}", python.display()),
        )
    }
}

/// A PostgreSQL client program (psql, pgbench, ...) from the cluster's `bin` directory or
/// `PATH`.
pub fn program(name: &str) -> Option<PathBuf> {
    if let Some(bin) = find_bin() {
        let p = bin.join(name);
        if p.exists() {
            return Some(p);
        }
    }
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    match found {
        Some(p) => Some(p),
        None => missing(
            name,
            "install PostgreSQL's client programs (Debian: `apt-get install postgresql-client`)",
        ),
    }
}

/// Writes `text` to a new file in a fresh directory under the temporary directory, readable
/// by anyone (a CA for a program that runs as another user); the path.
pub fn temp_file(name: &str, text: &str) -> Result<PathBuf, String> {
    let dir = temp_dir()?;
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_answers_and_has_dev() {
        let Some(pg) = Postgres::shared() else { return };
        assert!(pg.version().contains("PostgreSQL"), "{}", pg.version());
        let out = pg
            .psql_as_superuser("select datname from pg_database where datname = 'dev'")
            .unwrap();
        assert_eq!(out.trim(), "dev");
        assert!(pg.url().contains(&format!(":{}/", pg.port())));
    }
}
