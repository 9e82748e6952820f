//! The SQL front, in front of a real PostgreSQL (a private cluster the test starts), signed
//! in to by AWS's own driver, redshift_connector 2.2.0, and by a bare client for what no
//! driver sends.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::sql::{self, Msg};
use common::*;
use redshift_serverless_emulator::{
    AccessKey, Clock, Emulator, EmulatorConfig, RunningEmulator, SqlConfig,
};
use redshift_serverless_testkit::{python_with_redshift_connector, temp_file, Postgres};
use serde_json::{json, Value};

/// Temporary credentials, as the driver's identity-enhanced flow needs, for bob.
const BOB_KEY: &str = "ASIABOBEXAMPLE";
const BOB_SECRET: &str = "bob-secret";
const BOB_SESSION: &str = "bob-session-token";

fn config(postgres: String) -> EmulatorConfig {
    EmulatorConfig::default()
        .with_access_keys([
            AccessKey::demo(),
            AccessKey::new(BOB_KEY, BOB_SECRET)
                .with_session_token(BOB_SESSION)
                .with_identity_user("bob@example.com"),
        ])
        .with_workgroup("legacy", false)
        .with_sql(SqlConfig::new(postgres))
}

struct Front {
    emu: RunningEmulator,
    ca_file: PathBuf,
}

impl Front {
    async fn start(config: EmulatorConfig) -> Front {
        let emu = Emulator::start(config).await.expect("the emulator starts");
        let ca_file = temp_file("ca.pem", emu.sql_ca_pem().expect("a SQL front")).unwrap();
        Front { emu, ca_file }
    }

    fn sql(&self, workgroup: &str) -> SocketAddr {
        self.emu
            .sql_addr(workgroup)
            .expect("the workgroup has a SQL endpoint")
    }

    fn ca(&self) -> Option<&str> {
        self.emu.sql_ca_pem()
    }

    /// A token for `workgroups` from the HTTP API, signed now with the demo key.
    async fn token(&self, workgroups: &[&str]) -> String {
        let body = json!({ "workgroupNames": workgroups }).to_string();
        let resp = call(
            &self.emu,
            &Req {
                body: body.into_bytes(),
                time: SystemTime::now(),
                ..Req::default()
            },
        )
        .await;
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        resp.json()["token"].as_str().unwrap().to_owned()
    }

    /// Runs redshift_connector against `workgroup`'s endpoint (off the runtime's threads:
    /// the emulator serves it meanwhile).
    async fn driver(
        &self,
        python: &std::path::Path,
        workgroup: &str,
        connect: Value,
        sql: &[&str],
    ) -> Value {
        let spec = json!({
            "host": "127.0.0.1",
            "port": self.sql(workgroup).port(),
            "database": "dev",
            "ca_file": self.ca_file,
            "connect": connect,
            "sql": sql,
        });
        let python = python.to_path_buf();
        tokio::task::spawn_blocking(move || run_driver(&python, &spec))
            .await
            .unwrap()
    }
}

fn run_driver(python: &PathBuf, spec: &Value) -> Value {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/redshift_connector_session.py"
    );
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "the driver script printed no JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The driver's error as (class, SQLSTATE, message).
fn driver_error(result: &Value) -> (String, String, String) {
    let e = &result["error"];
    assert!(e.is_object(), "expected an error, got {result}");
    (
        e["class"].as_str().unwrap_or_default().to_owned(),
        e["fields"]["C"].as_str().unwrap_or_default().to_owned(),
        e["fields"]["M"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_driver_signs_in_with_a_token_and_queries_as_the_identity_center_user() {
    let Some(pg) = Postgres::shared() else { return };
    let Some(python) = python_with_redshift_connector() else {
        return;
    };
    let front = Front::start(config(pg.url())).await;
    let token = front.token(&["default"]).await;
    let result = front
        .driver(
            &python,
            "default",
            json!({ "token": token, "token_type": "SUBJECT_TOKEN" }),
            &[
                "select current_user",
                "select count(*), sum(i) from generate_series(1, 1000) as t(i)",
                "select version() like 'PostgreSQL%'",
            ],
        )
        .await;
    assert_eq!(
        result["rows"],
        json!([
            [["awsidc:alice@example.com"]],
            [["1000", "500500"]],
            [["True"]]
        ]),
        "{result}"
    );
    assert_eq!(front.emu.sql_sessions_signed_in(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drivers_identity_enhanced_flow_fetches_the_token_itself() {
    let Some(pg) = Postgres::shared() else { return };
    let Some(python) = python_with_redshift_connector() else {
        return;
    };
    let front = Front::start(config(pg.url())).await;
    let connect = |namespace: Option<&str>| {
        let mut c = json!({
            "access_key_id": BOB_KEY,
            "secret_access_key": BOB_SECRET,
            "session_token": BOB_SESSION,
            "is_serverless": true,
            "serverless_work_group": "analytics",
            "region": "us-east-1",
            "endpoint_url": front.emu.url(),
        });
        if let Some(n) = namespace {
            c["identity_namespace"] = json!(n);
        }
        c
    };
    let result = front
        .driver(
            &python,
            "analytics",
            connect(None),
            &["select current_user"],
        )
        .await;
    assert_eq!(
        result["rows"],
        json!([[["awsidc:bob@example.com"]]]),
        "{result}"
    );
    // The driver's GetIdentityCenterAuthToken reached the API, signed with bob's keys.
    let requests = front.emu.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, Some(200));
    assert!(requests[0]
        .header("authorization")
        .is_some_and(|a| a.contains(&format!("Credential={BOB_KEY}/"))));
    // identity_namespace names the role's namespace.
    let result = front
        .driver(
            &python,
            "analytics",
            connect(Some("sales_ns")),
            &["select current_user"],
        )
        .await;
    assert_eq!(
        result["rows"],
        json!([[["sales_ns:bob@example.com"]]]),
        "{result}"
    );
}

/// A PostgreSQL stand-in that only counts connections: a refused sign-in must never
/// reach the backend.
async fn counting_backend() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (
        format!("postgresql://postgres@127.0.0.1:{port}/postgres"),
        count,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_driver_sees_each_token_refusal_and_the_backend_sees_nothing() {
    let Some(python) = python_with_redshift_connector() else {
        return;
    };
    let (backend, connections) = counting_backend().await;
    let front = Front::start(config(backend)).await;
    let token = front.token(&["analytics"]).await;
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "default",
            json!({ "token": "not-a-token-this-emulator-issued", "token_type": "SUBJECT_TOKEN" }),
            "Identity Center sign-in failed: the token is unknown: it was not issued by this workgroup's GetIdentityCenterAuthToken",
        ),
        (
            "default",
            json!({ "token": token, "token_type": "ACCESS_TOKEN" }),
            "Identity Center sign-in failed: token_type \"ACCESS_TOKEN\" is not supported by this emulator; use SUBJECT_TOKEN for a token from GetIdentityCenterAuthToken",
        ),
        (
            "default",
            json!({ "token": token, "token_type": "SUBJECT_TOKEN" }),
            "Identity Center sign-in failed: the token was issued for workgroup analytics, not for workgroup default",
        ),
        (
            "analytics",
            json!({ "token": token, "token_type": "SUBJECT_TOKEN", "identity_namespace": "no-dashes" }),
            "Identity Center sign-in failed: identity_namespace \"no-dashes\" must be 1 to 32 letters, digits or underscores",
        ),
    ];
    for (workgroup, connect, message) in cases {
        let result = front
            .driver(&python, workgroup, connect.clone(), &["select 1"])
            .await;
        assert_eq!(
            driver_error(&result),
            ("InterfaceError".into(), "28000".into(), message.into()),
            "{connect}"
        );
    }
    // Expired: the emulator's clock moves past the token's lifetime (15 minutes).
    let later = SystemTime::now() + Duration::from_secs(3600);
    front.emu.set_clock(Clock::fixed(later));
    let result = front
        .driver(
            &python,
            "analytics",
            json!({ "token": token, "token_type": "SUBJECT_TOKEN" }),
            &["select 1"],
        )
        .await;
    let (class, code, message) = driver_error(&result);
    assert_eq!((class.as_str(), code.as_str()), ("InterfaceError", "28000"));
    assert!(
        message.starts_with("Identity Center sign-in failed: the token expired at ")
            && message.ends_with("; get a new one with GetIdentityCenterAuthToken"),
        "{message}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused sign-in reached the backend"
    );
    assert_eq!(front.emu.sql_sign_ins_refused(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_no_driver_sends_is_refused_too_and_never_reaches_the_backend() {
    let (backend, connections) = counting_backend().await;
    let front = Front::start(config(backend)).await;
    let addr = front.sql("default");
    let params_without = |name: &str| {
        let mut p = sql::driver_params("dev");
        p.retain(|(k, _)| k != name);
        p
    };

    // Plain TCP, no SSLRequest.
    let mut conn = sql::connect(addr, None).await;
    conn.startup(&sql::driver_params("dev")).await;
    let (code, message) = sql::refusal(&mut conn).await;
    assert_eq!(code, "28000");
    assert!(
        message.starts_with("the workgroup accepts only TLS connections"),
        "{message}"
    );

    for (missing, says) in [
        ("idp_type", "the startup message has no idp_type"),
        ("token_type", "the startup message has no token_type"),
    ] {
        let mut conn = sql::connect(addr, front.ca()).await;
        conn.startup(&params_without(missing)).await;
        let (code, message) = sql::refusal(&mut conn).await;
        assert_eq!(code, "28000");
        assert!(message.contains(says), "{message}");
    }

    // Asked for the token, the client sends an empty one, or a password instead.
    for answer in [
        &b"i\x00\x00\x00\x04"[..],
        &b"p\x00\x00\x00\x09hunter\x00"[..],
    ] {
        let mut conn = sql::connect(addr, front.ca()).await;
        conn.startup(&sql::driver_params("dev")).await;
        assert!(matches!(conn.next().await, Some(Msg::AuthRequest(14))));
        conn.send(answer).await;
        let (code, message) = sql::refusal(&mut conn).await;
        assert_eq!(code, "28000");
        assert_eq!(
            message,
            "Identity Center sign-in failed: no token was sent in answer to the token request"
        );
    }

    // Nonsense and oversized packets are protocol violations, answered and closed.
    let mut conn = sql::connect(addr, front.ca()).await;
    conn.send(&[0, 0, 0x7f, 0xff, 0, 3, 0, 0]).await;
    let (code, message) = sql::refusal(&mut conn).await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("08P01", "invalid length of startup packet: 32767")
    );
    let mut conn = sql::connect(addr, front.ca()).await;
    conn.startup(&sql::driver_params("dev")).await;
    assert!(matches!(conn.next().await, Some(Msg::AuthRequest(14))));
    conn.send(b"i\x7f\xff\xff\xff").await;
    let (code, message) = sql::refusal(&mut conn).await;
    assert_eq!(code, "08P01");
    assert!(
        message.contains("at most 65536 are accepted here"),
        "{message}"
    );

    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused sign-in reached the backend"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_looks_like_redshift_and_its_cancel_key_cancels_the_right_query() {
    let Some(pg) = Postgres::shared() else { return };
    let front = Front::start(config(pg.url())).await;
    let token = front.token(&["default"]).await;
    let addr = front.sql("default");

    let mut conn = sql::connect(addr, front.ca()).await;
    let startup = conn.sign_in("dev", &token).await;
    let versions: Vec<&str> = startup
        .iter()
        .filter_map(|m| match m {
            Msg::ParameterStatus(k, v) if k == "server_version" => Some(v.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(versions, ["8.0.2"], "{startup:?}");
    assert!(
        !startup
            .iter()
            .any(|m| matches!(m, Msg::ParameterStatus(k, _) if k == "server_protocol_version")),
        "the driver would switch to Redshift's own row formats"
    );
    let keys: Vec<(i32, i32)> = startup
        .iter()
        .filter_map(|m| match m {
            Msg::BackendKeyData(p, s) => Some((*p, *s)),
            _ => None,
        })
        .collect();
    assert_eq!(keys.len(), 1, "{startup:?}");
    let (pid, secret) = keys[0];
    // The key is the front's, not PostgreSQL's.
    let backend_pid = conn.rows("select pg_backend_pid()").await.unwrap()[0][0]
        .clone()
        .unwrap();
    assert_ne!(backend_pid, pid.to_string());

    // Another session, to show the cancel reaches only the right one.
    let mut other = sql::connect(addr, front.ca()).await;
    other.sign_in("dev", &token).await;
    other.query("select pg_sleep(3)").await;

    conn.query("select pg_sleep(30)").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut cancel = sql::connect(addr, front.ca()).await;
    let mut buf = bytes::BytesMut::new();
    postgres_protocol::message::frontend::cancel_request(pid, secret, &mut buf);
    cancel.send(&buf).await;
    let started = std::time::Instant::now();
    let mut cancelled = None;
    while let Some(m) = conn.next().await {
        match m {
            Msg::Error { code, message, .. } => cancelled = Some((code, message)),
            Msg::Ready(_) => break,
            _ => {}
        }
    }
    assert_eq!(
        cancelled,
        Some((
            "57014".to_owned(),
            "canceling statement due to user request".to_owned()
        ))
    );
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the query ran to its end"
    );
    // The other session's query was not cancelled.
    let mut other_error = None;
    while let Some(m) = other.next().await {
        match m {
            Msg::Error { code, .. } => other_error = Some(code),
            Msg::Ready(_) => break,
            _ => {}
        }
    }
    assert_eq!(other_error, None);
    // A wrong key cancels nothing (and says nothing).
    let mut cancel = sql::connect(addr, None).await;
    let mut buf = bytes::BytesMut::new();
    postgres_protocol::message::frontend::cancel_request(pid, secret.wrapping_add(1), &mut buf);
    cancel.send(&buf).await;
    assert!(cancel.next().await.is_none());
    assert_eq!(
        conn.rows("select 1").await.unwrap(),
        [[Some("1".to_owned())]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_past_the_limit_are_refused_with_too_many_connections() {
    let Some(pg) = Postgres::shared() else { return };
    let mut sql_config = SqlConfig::new(pg.url());
    sql_config.max_connections = 1;
    let mut cfg = config(pg.url());
    cfg.sql = Some(sql_config);
    let front = Front::start(cfg).await;
    let token = front.token(&["default"]).await;
    let addr = front.sql("default");
    let mut first = sql::connect(addr, front.ca()).await;
    first.sign_in("dev", &token).await;
    let mut second = sql::connect(addr, front.ca()).await;
    second.startup(&sql::driver_params("dev")).await;
    assert!(matches!(second.next().await, Some(Msg::AuthRequest(14))));
    second.send_token(token.as_bytes()).await;
    let (code, message) = sql::refusal(&mut second).await;
    assert_eq!(code, "53300");
    assert_eq!(
        message,
        "sorry, too many clients already: the SQL front serves at most 1 sessions"
    );
    drop(first);
    // The slot frees when the first session ends.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut third = sql::connect(addr, front.ca()).await;
        let messages = third.sign_in("dev", &token).await;
        if matches!(messages.last(), Some(Msg::Ready(_))) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{messages:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `--sql-password-sign-in`: psql, which cannot do the token sign-in, signs in with the token
/// as its password over verified TLS; without the option it is refused for want of idp_type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stock_client_signs_in_with_the_token_as_password_only_where_allowed() {
    let Some(pg) = Postgres::shared() else { return };
    let Some(psql) = redshift_serverless_testkit::program("psql") else {
        return;
    };
    for allowed in [true, false] {
        let mut cfg = config(pg.url());
        if let Some(sql) = cfg.sql.as_mut() {
            sql.password_sign_in = allowed;
        }
        let front = Front::start(cfg).await;
        let token = front.token(&["default"]).await;
        let conninfo = format!(
            "host=127.0.0.1 port={} dbname=dev user=alice sslmode=verify-full sslrootcert={}",
            front.sql("default").port(),
            front.ca_file.display()
        );
        let psql = psql.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(psql)
                .args([
                    "-X",
                    "-A",
                    "-t",
                    "-d",
                    &conninfo,
                    "-c",
                    "select current_user",
                ])
                .env("PGPASSWORD", &token)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if allowed {
            assert!(out.status.success(), "{stderr}");
            assert_eq!(stdout.trim(), "awsidc:alice@example.com");
        } else {
            assert!(!out.status.success());
            assert!(
                stderr.contains("the startup message has no idp_type"),
                "{stderr}"
            );
        }
    }
}
