//! Hostile and odd input to the HTTP API: stalled bodies, too many connections, duplicated
//! signed headers, faults that could not be sent, and rates that are not numbers.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use redshift_serverless_emulator::{EmulatorConfig, Fault, Faults, ScriptedFault};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Headers of a signed request that declares 1,000 bytes of body, and the first byte of it.
async fn stalled_request(emu: &redshift_serverless_emulator::RunningEmulator) -> TcpStream {
    let req = Req::body(vec![b' '; 1000]);
    let headers = req.signed_headers(emu.addr());
    let mut raw = raw_request("POST", "/", &headers, &req.body);
    raw.truncate(raw.len() - 999);
    let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
    stream.write_all(&raw).await.unwrap();
    stream
}

/// Reads until the server closes the connection or `limit` passes; how long it took, or
/// `None` if it stayed open.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
    .map(|()| started.elapsed())
}

#[tokio::test]
async fn a_stalled_request_body_is_cut_at_the_body_timeout() {
    let config = EmulatorConfig {
        body_timeout: Duration::from_millis(300),
        ..EmulatorConfig::default()
    };
    let emu = start(config).await;
    let mut stream = stalled_request(&emu).await;
    let took = closed_within(&mut stream, Duration::from_secs(10))
        .await
        .expect("the connection was still open after 10 s");
    assert!(took >= Duration::from_millis(250), "closed after {took:?}");
    // Nothing was processed: the request never arrived whole.
    assert_eq!(emu.request_count(), 0);
}

#[tokio::test]
async fn connections_past_the_limit_wait_until_one_closes() {
    let config = EmulatorConfig {
        max_connections: 2,
        ..EmulatorConfig::default()
    };
    let emu = start(config).await;
    let first = stalled_request(&emu).await;
    let _second = stalled_request(&emu).await;
    // A third connection is not served while two are open...
    let third = exchange_with_timeout(
        emu.addr(),
        &raw_request(
            "POST",
            "/",
            &Req::default().signed_headers(emu.addr()),
            &Req::default().body,
        ),
        Duration::from_millis(500),
    )
    .await;
    assert!(matches!(third, Err(RawError::Timeout)), "{third:?}");
    // ...and is once one closes.
    drop(first);
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
}

#[tokio::test]
async fn a_duplicated_signed_header_is_refused() {
    let emu = start(EmulatorConfig::default()).await;
    let req = Req::default();
    let mut headers = req.signed_headers(emu.addr());
    let resp = exchange(emu.addr(), &raw_request("POST", "/", &headers, &req.body))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    headers.push(("x-amz-date".into(), "20261128T050000Z".into()));
    let resp = exchange(emu.addr(), &raw_request("POST", "/", &headers, &req.body))
        .await
        .unwrap();
    assert_eq!(resp.status, 403);
    assert_eq!(resp.error_type(), "InvalidSignatureException");
    assert!(
        resp.message()
            .starts_with("Header 'x-amz-date' appears more than once"),
        "{}",
        resp.message()
    );
}

#[tokio::test]
async fn a_custom_fault_with_a_wrong_content_length_is_refused_when_loaded() {
    let emu = start(EmulatorConfig::default()).await;
    let bad = Fault::Custom {
        status: 200,
        headers: [("content-length".to_owned(), "1000".to_owned())].into(),
        body: "{}".into(),
    };
    let e = emu
        .push_fault(ScriptedFault::once(bad.clone()))
        .unwrap_err();
    assert!(
        e.to_string().contains("disagrees with the body's 2 bytes"),
        "{e}"
    );
    assert!(emu
        .set_faults(Faults::script([ScriptedFault::once(bad)]))
        .is_err());
    // Through the admin endpoint: 400 and the reason; nothing was loaded.
    let body = br#"{"kind":"custom","status":200,"headers":{"Content-Length":"1000"},"body":"{}"}"#;
    let resp = exchange(
        emu.addr(),
        &raw_request("POST", "/__admin/faults/push", &[], body),
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 400);
    assert!(
        resp.message().contains("content-length"),
        "{}",
        resp.message()
    );
    assert_eq!(emu.faults(), Faults::none());
    // A request is answered normally, with no hyper panic behind it.
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
    // A config file with such a fault does not start.
    let config = EmulatorConfig::default().with_faults(Faults::script([ScriptedFault::once(
        Fault::Custom {
            status: 503,
            headers: [("Transfer-Encoding".to_owned(), "chunked".to_owned())].into(),
            body: String::new(),
        },
    )]));
    let e = redshift_serverless_emulator::Emulator::start(config)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("transfer-encoding"), "{e}");
}

#[test]
fn a_throttle_rate_that_is_not_a_number_is_refused_at_start() {
    for rate in ["inf", "NaN", "-1", "fast"] {
        let out = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"))
            .arg(format!("--throttle-rps={rate}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--throttle-rps {rate}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--throttle-rps"), "{err}");
        assert!(err.contains("requests per second"), "{err}");
    }
    // The same values in a config file.
    let dir = std::env::temp_dir().join(format!("emu-rps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("emulator.json");
    std::fs::write(&path, r#"{"throttle_rps": -2.5}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_redshift-serverless-emulator"))
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("throttle_rps must be a finite number"),
        "{err}"
    );
    assert!(err.contains("not -2.5"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Out of file descriptors (`prlimit --nofile=40`), with more stalled connections than it
/// can hold: the emulator logs the failed accepts once, not once per attempt, and serves
/// again once the stalled connections are cut.
#[tokio::test]
async fn failed_accepts_back_off_and_are_logged_once() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let Ok(status) = Command::new("prlimit").arg("--version").output() else {
        eprintln!("prlimit (util-linux) is not installed; skipping");
        return;
    };
    assert!(status.status.success());
    let mut child = Command::new("prlimit")
        .args(["--nofile=40:40", "--"])
        .arg(env!("CARGO_BIN_EXE_redshift-serverless-emulator"))
        .env("RUST_LOG", "warn,redshift_serverless_emulator=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("redshift-serverless-emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    // Each holds a descriptor in the emulator until its body stalls out (30 s).
    let mut stalled = Vec::new();
    for _ in 0..60 {
        if let Ok(mut s) = TcpStream::connect(addr).await {
            let _ = s
                .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{")
                .await;
            stalled.push(s);
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(stalled);
    // Served again once descriptors are free.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let resp = exchange_with_timeout(
            addr,
            &raw_request("GET", "/__admin/health", &[], b""),
            Duration::from_secs(2),
        )
        .await;
        if matches!(&resp, Ok(r) if r.status == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "not serving again: {resp:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    // One warning per run of failures, each run closed by a line that counts its failures.
    let warnings = log.matches("accept failed").count();
    let recoveries: Vec<u64> = log
        .lines()
        .filter(|l| l.contains("accepting connections again"))
        .filter_map(|l| {
            l.split("failures=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(warnings >= 1, "no accept failed at all: {log}");
    assert!(
        recoveries.len() == warnings || recoveries.len() + 1 == warnings,
        "{log}"
    );
    assert!(
        recoveries.iter().sum::<u64>() > recoveries.len() as u64,
        "every run had one failure, so nothing shows the back-off: {log}"
    );
}
