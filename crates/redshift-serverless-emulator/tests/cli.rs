//! The binary prints its address, serves, and exits 0 on Ctrl-C (SIGINT).

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use common::*;

/// Starts the binary with stdout piped and returns it with its first stdout line (the
/// address it listens on).
fn spawn_until_listening(command: &mut Command) -> (Child, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

#[tokio::test]
async fn binary_serves_and_stops_on_sigint() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"));
    command
        .args([
            "--port",
            "0",
            "--access-key",
            "AKIDCLI:cli-secret",
            "--workgroup",
            "cli-wg",
            "--workgroup-without-identity-center",
            "old-wg",
            "--token-lifetime-secs",
            "60",
        ])
        .env("RUST_LOG", "warn")
        .stderr(Stdio::null());
    let (mut child, line) = spawn_until_listening(&mut command);
    let url = line
        .trim()
        .strip_prefix("redshift-serverless-emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr: SocketAddr = url.parse().unwrap();

    let req = Req {
        key_id: "AKIDCLI".into(),
        secret: "cli-secret".into(),
        time: SystemTime::now(),
        body: br#"{"workgroupNames":["cli-wg"]}"#.to_vec(),
        ..Req::default()
    };
    let headers = req.signed_headers(addr);
    let resp = exchange(addr, &raw_request("POST", "/", &headers, &req.body))
        .await
        .unwrap();
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));

    let req = Req {
        body: br#"{"workgroupNames":["old-wg"]}"#.to_vec(),
        ..req
    };
    let headers = req.signed_headers(addr);
    let resp = exchange(addr, &raw_request("POST", "/", &headers, &req.body))
        .await
        .unwrap();
    assert_eq!(resp.error_type(), "AccessDeniedException");

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "did not exit");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn bad_config_path_fails() {
    let out = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"))
        .args(["--config", "/nonexistent/emulator.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

/// A log read by a program (here a pipe) is plain text: no ANSI escape sequences, whatever
/// the log level. (`use_colour` in `main.rs` has the terminal and `NO_COLOR` cases.)
#[test]
fn log_to_a_pipe_has_no_colour() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"));
    command
        .args(["--port", "0"])
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stderr(Stdio::piped());
    let (child, line) = spawn_until_listening(&mut command);
    assert!(line.contains("listening on"), "{line:?}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("emulator started"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "ANSI escapes in a piped log: {log:?}"
    );
}
