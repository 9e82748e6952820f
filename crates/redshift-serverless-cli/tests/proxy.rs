//! `redshift-serverless proxy` as a program: its ready line, psql through it (TCP and a Unix
//! socket), SIGTERM with an open session, its log without secrets, and its refusals.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use redshift_serverless_emulator::{EmulatorConfig, SqlConfig, DEMO_SECRET_ACCESS_KEY};
use redshift_serverless_testkit::{program, Postgres};

/// A front before the shared private PostgreSQL, and its CA in the harness's home.
fn harness(pg: &Postgres) -> (Harness, std::path::PathBuf) {
    let h = Harness::with_config(EmulatorConfig::default().with_sql(SqlConfig::new(pg.url())));
    let ca = h.home_path().join("emulator-ca.pem");
    std::fs::write(&ca, h.emulator.sql_ca_pem().expect("a SQL front")).unwrap();
    (h, ca)
}

/// The proxy, started; its ready line.
struct Running {
    child: Child,
    ready: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(h: &Harness, ca: &std::path::Path, extra: &[&str]) -> Running {
        let mut cmd = h.cli();
        cmd.args([
            "proxy",
            "--workgroup",
            "default",
            "--port",
            "0",
            "--grace-period",
            "3",
        ])
        .args(["--endpoint-url", &h.url(), "--ca-bundle"])
        .arg(ca)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        Running { child, ready }
    }

    fn port(&self) -> u16 {
        self.ready
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {:?}", self.ready))
    }

    /// Sends SIGTERM and waits (at most `limit`) for the exit; its code and standard error.
    fn terminate(mut self, limit: Duration) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "the proxy did not stop within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status.code(), stderr)
    }
}

fn psql(args: &[&str]) -> Option<std::process::Output> {
    let psql = program("psql")?;
    Some(
        Command::new(psql)
            .args(["-X", "-A", "-t"])
            .args(args)
            .env_remove("PGPASSWORD")
            .output()
            .unwrap(),
    )
}

#[test]
fn psql_through_the_proxy_is_the_identity_center_user_and_sigterm_drains_sessions() {
    let Some(pg) = Postgres::shared() else { return };
    let (h, ca) = harness(pg);
    let socket_dir = tempfile::tempdir().unwrap();
    let proxy = Running::start(
        &h,
        &ca,
        &["--unix-socket", &socket_dir.path().display().to_string()],
    );
    let port = proxy.port();
    let sql = h.emulator.sql_addr("default").unwrap();
    assert_eq!(
        proxy.ready,
        format!(
            "redshift-serverless proxy listening on 127.0.0.1:{port} and {}/.s.PGSQL.{port} for workgroup default (upstream {sql})\n",
            socket_dir.path().display()
        )
    );

    let Some(out) = psql(&[
        "-h",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "-d",
        "dev",
        "-c",
        "select current_user",
    ]) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "awsidc:alice@example.com"
    );
    // The Unix socket.
    let out = psql(&[
        "-h",
        &socket_dir.path().display().to_string(),
        "-p",
        &port.to_string(),
        "-d",
        "dev",
        "-c",
        "select current_user",
    ])
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "awsidc:alice@example.com"
    );

    // A session that is still running when SIGTERM comes is given the grace period (3 s)
    // and then closed; the proxy exits 0 and says so.
    let psql_bin = program("psql").unwrap();
    let mut open = Command::new(psql_bin)
        .args([
            "-X",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-d",
            "dev",
            "-c",
            "select pg_sleep(60)",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let (code, log) = proxy.terminate(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "did not wait for the session"
    );
    assert!(
        log.contains("redshift-serverless proxy stopped: 3 sessions signed in, 0 refused, 1 closed at the end of the grace period"),
        "{log}"
    );
    let _ = open.wait();
    // Each session was logged, without the token or the secret key.
    assert_eq!(
        log.matches("session signed in upstream").count(),
        3,
        "{log}"
    );
    assert!(!log.contains(DEMO_SECRET_ACCESS_KEY));
    let token_like = log
        .split(|c: char| !c.is_ascii_hexdigit())
        .any(|w| w.len() >= 96);
    assert!(!token_like, "something token-shaped reached the log: {log}");
    // The socket is gone.
    assert!(!socket_dir.path().join(format!(".s.PGSQL.{port}")).exists());
}

#[test]
fn refusals_exit_as_the_other_commands_do() {
    let Some(pg) = Postgres::shared() else { return };
    let (h, ca) = harness(pg);
    // A non-loopback address without --allow-remote: the command line alone, 252.
    let r = run(h.cli().args([
        "proxy",
        "--workgroup",
        "default",
        "--address",
        "0.0.0.0",
        "--endpoint-url",
        &h.url(),
    ]));
    assert_eq!(r.code, Some(252), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--address 0.0.0.0 is not a loopback address"),
        "{}",
        r.stderr
    );
    assert_eq!(h.emulator.request_count(), 0);

    // No credentials: 253.
    let r = run(h.bare_cli().args([
        "proxy",
        "--workgroup",
        "default",
        "--region",
        "us-east-1",
        "--endpoint-url",
        &h.url(),
    ]));
    assert_eq!(r.code, Some(253), "{}", r.stderr);

    // An unknown workgroup: GetWorkgroup's error line, 254.
    let r = run(h
        .cli()
        .args([
            "proxy",
            "--workgroup",
            "nope-wg",
            "--port",
            "0",
            "--endpoint-url",
            &h.url(),
        ])
        .arg("--ca-bundle")
        .arg(&ca));
    assert_eq!(r.code, Some(254), "{}", r.stderr);
    assert!(
        r.stderr.contains("An error occurred (ResourceNotFoundException) when calling the GetWorkgroup operation: Workgroup nope-wg was not found."),
        "{}",
        r.stderr
    );

    // --allow-remote: it listens, and warns.
    let proxy = Running::start(&h, &ca, &["--address", "0.0.0.0", "--allow-remote"]);
    assert!(
        proxy
            .ready
            .starts_with("redshift-serverless proxy listening on 0.0.0.0:"),
        "{}",
        proxy.ready
    );
    let (code, log) = proxy.terminate(Duration::from_secs(10));
    assert_eq!(code, Some(0));
    assert!(
        log.contains("Warning: the proxy listens on 0.0.0.0, not on loopback"),
        "{log}"
    );
}
