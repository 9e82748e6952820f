//! The emulator program with a SQL front: a million-row result streams through in bounded
//! memory, each session is logged without the token, and SIGTERM stops it.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use common::sql::{self, Msg};
use common::*;
use redshift_serverless_testkit::{Postgres, SUPERUSER_PASSWORD};

/// The program, started; its HTTP address and the SQL endpoint of workgroup `default`.
struct Program {
    child: Child,
    http: SocketAddr,
    sql: SocketAddr,
    ca_pem: String,
    _dir: PathGuard,
}

struct PathGuard(std::path::PathBuf);

impl Drop for PathGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(pg: &Postgres) -> Program {
    let dir = std::env::temp_dir().join(format!("emu-sql-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"))
        .args([
            "--workgroup",
            "default",
            "--postgres",
            &pg.url(),
            "--sql-ca-out",
        ])
        .arg(&ca)
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut http = None;
    let mut sql = None;
    while http.is_none() || sql.is_none() {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the program ended early"
        );
        if let Some(url) = line
            .trim()
            .strip_prefix("redshift-serverless-emulator listening on http://")
        {
            http = Some(url.parse().unwrap());
        } else if let Some(addr) = line
            .trim()
            .strip_prefix("SQL endpoint of workgroup default: ")
        {
            sql = Some(addr.parse().unwrap());
        }
    }
    let ca_pem = std::fs::read_to_string(&ca).unwrap();
    Program {
        child,
        http: http.unwrap(),
        sql: sql.unwrap(),
        ca_pem,
        _dir: PathGuard(dir),
    }
}

/// Peak resident memory of a process, from /proc, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_million_rows_stream_through_in_bounded_memory_and_the_log_keeps_no_secret() {
    let Some(pg) = Postgres::shared() else { return };
    let mut program = start(pg);
    let req = Req {
        time: SystemTime::now(),
        ..Req::default()
    };
    let resp = exchange(
        program.http,
        &raw_request("POST", "/", &req.signed_headers(program.http), &req.body),
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 200);
    let token = resp.json()["token"].as_str().unwrap().to_owned();

    let mut conn = sql::connect(program.sql, Some(&program.ca_pem)).await;
    assert!(matches!(
        conn.sign_in("dev", &token).await.last(),
        Some(Msg::Ready(_))
    ));
    let before = peak_rss(program.child.id());
    // About 210 MB of rows.
    conn.query("select i, repeat('x', 200) from generate_series(1, 1000000) as t(i)")
        .await;
    let mut rows = 0u64;
    let mut last = None;
    loop {
        match conn.next().await.expect("the session stays open") {
            Msg::DataRow(r) => {
                rows += 1;
                last = r.into_iter().next().flatten();
            }
            Msg::Ready(_) => break,
            Msg::Error { message, .. } => panic!("{message}"),
            _ => {}
        }
    }
    assert_eq!(rows, 1_000_000);
    assert_eq!(last.as_deref(), Some("1000000"));
    let after = peak_rss(program.child.id());
    eprintln!(
        "emulator peak RSS: {} MiB before the query, {} MiB after",
        before >> 20,
        after >> 20
    );
    // Relayed, not buffered: the peak moved by far less than the 210 MB that went through.
    assert!(
        after < before + (32 << 20),
        "peak RSS grew from {before} to {after} bytes for one result"
    );
    drop(conn);

    // SIGTERM: the program stops; its log names the session and never a secret.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = Command::new("kill")
        .args(["-TERM", &program.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking({
        let mut stderr = program.child.stderr.take().unwrap();
        move || {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log);
            log
        }
    })
    .await
    .unwrap();
    let code = program.child.wait().unwrap();
    assert!(code.success(), "{code:?}");
    let log = exit;
    let ended: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("session ended"))
        .collect();
    assert_eq!(ended.len(), 1, "{log}");
    assert!(ended[0].contains("workgroup=\"default\""), "{}", ended[0]);
    assert!(
        ended[0].contains("identity=alice@example.com"),
        "{}",
        ended[0]
    );
    assert!(ended[0].contains("duration_ms="), "{}", ended[0]);
    let to_client: u64 = ended[0]
        .split("bytes_to_client=")
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{}", ended[0]));
    assert!(to_client > 200_000_000, "{}", ended[0]);
    for secret in [token.as_str(), SUPERUSER_PASSWORD, "emulator-secret-key"] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
}
