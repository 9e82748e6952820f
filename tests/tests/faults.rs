//! Fault injection: every broken server behaviour ends, within the configured timeouts, in a
//! success or a classified error (never a hang or a panic), and the number of attempts the
//! client made equals what `redshift_serverless_retry::classify` says for that failure.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use redshift_serverless_client::config::timeout::TimeoutConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::error::ProvideErrorMetadata;
use redshift_serverless_client::operation::get_identity_center_auth_token::{
    GetIdentityCenterAuthTokenError, GetIdentityCenterAuthTokenOutput,
};
use redshift_serverless_conformance::capture::{Canned, CaptureServer};
use redshift_serverless_conformance::clients::fast_retry;
use redshift_serverless_conformance::report::Report;
use redshift_serverless_emulator::{
    Emulator, EmulatorConfig, ErrorKind, Fault, Faults, RunningEmulator, ScriptedFault,
    DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};
use redshift_serverless_http::DEFAULT_MAX_RESPONSE_SIZE;
use redshift_serverless_retry::{
    classify, classify_body_error, classify_connector_error, AttemptOutcome, ErrorResponse,
    ModeledErrors, RetryPolicy, TransportFailure,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_ATTEMPTS: usize = 3;
const READ_TIMEOUT: Duration = Duration::from_millis(300);
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(700);
/// Upper bound for one scenario: every attempt timing out, plus slack for a loaded machine.
const HANG_LIMIT: Duration = Duration::from_secs(20);

type Result_ = Result<
    GetIdentityCenterAuthTokenOutput,
    SdkError<GetIdentityCenterAuthTokenError, HttpResponse>,
>;

/// Counts attempts as the orchestrator starts them (works even when nothing is listening).
#[derive(Debug, Default, Clone)]
struct AttemptCounter(Arc<AtomicUsize>);

impl Intercept for AttemptCounter {
    fn name(&self) -> &'static str {
        "AttemptCounter"
    }

    fn read_before_attempt(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Calls our client once against `url`; returns the result, the attempts it made and
/// how long it took. Fails the test on a hang.
async fn call(url: &str) -> (Result_, usize, Duration) {
    let counter = AttemptCounter::default();
    let config = redshift_serverless_client::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            DEMO_ACCESS_KEY_ID,
            DEMO_SECRET_ACCESS_KEY,
            None,
            None,
            "faults",
        ))
        .endpoint_url(url)
        .retry_config(fast_retry(MAX_ATTEMPTS as u32))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(500))
                .read_timeout(READ_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
        .interceptor(counter.clone())
        .build();
    let client = redshift_serverless_client::Client::from_conf(config);
    let start = Instant::now();
    let result = tokio::time::timeout(
        HANG_LIMIT,
        client
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send(),
    )
    .await
    .expect("the call must end within the configured timeouts");
    (result, counter.0.load(Ordering::SeqCst), start.elapsed())
}

/// What the retry crate says about the final error, and so how many attempts it implies.
#[derive(Debug, PartialEq, Eq)]
enum Class {
    Success,
    Transport(TransportFailure),
    Response { status: u16, code: Option<String> },
}

fn class_of(result: &Result_) -> Class {
    let err = match result {
        Ok(_) => return Class::Success,
        Err(e) => e,
    };
    match err {
        SdkError::DispatchFailure(d) => Class::Transport(
            d.as_connector_error()
                .map_or(TransportFailure::Unknown, classify_connector_error),
        ),
        SdkError::TimeoutError(_) => Class::Transport(TransportFailure::AttemptTimeout),
        // A body received whole that the client could not read: classified as the error
        // response of its status without a code would be.
        SdkError::ResponseError(r)
            if std::iter::successors(std::error::Error::source(err), |e| e.source())
                .any(|e| e.is::<redshift_serverless_client::error::UnreadableResponse>()) =>
        {
            Class::Response {
                status: r.raw().status().as_u16(),
                code: None,
            }
        }
        // The SdkError's source is the response error's own source.
        SdkError::ResponseError(_) => Class::Transport(
            std::error::Error::source(err)
                .map_or(TransportFailure::ResponseBodyRead, classify_body_error),
        ),
        SdkError::ServiceError(se) => Class::Response {
            status: se.raw().status().as_u16(),
            code: se.err().code().map(str::to_string),
        },
        other => panic!("unexpected error kind: {other:?}"),
    }
}

fn expected_attempts(class: &Class) -> usize {
    let policy = RetryPolicy::default();
    // The model's facts, as the generated client passes them to its classifier.
    let errors = ModeledErrors::new(
        GetIdentityCenterAuthTokenError::MODELED_ERROR_CODES,
        GetIdentityCenterAuthTokenError::RETRYABLE_ERRORS,
    );
    let verdict = match class {
        Class::Success => return 1,
        Class::Transport(t) => classify(&AttemptOutcome::Transport(*t), &errors, &policy),
        Class::Response { status, code } => {
            let mut r = ErrorResponse::status(*status);
            if let Some(c) = code {
                r = r.with_code(c);
            }
            classify(&AttemptOutcome::Response(r), &errors, &policy)
        }
    };
    if verdict.is_retry() {
        MAX_ATTEMPTS
    } else {
        1
    }
}

/// Runs one scenario and checks the invariants; returns the class for scenario-specific
/// assertions.
async fn scenario(
    name: &'static str,
    url: &str,
    server_count: impl Fn() -> usize,
    report: &mut Report,
) -> Class {
    let (result, attempts, took) = call(url).await;
    let class = class_of(&result);
    let expected = expected_attempts(&class);
    let detail = match &result {
        Ok(_) => "ok".to_string(),
        Err(e) => redshift_serverless_client::error::DisplayErrorContext(e).to_string(),
    };
    println!("{name}: {class:?}, {attempts} attempt(s), {took:?}: {detail}");
    assert_eq!(
        attempts, expected,
        "{name}: attempts vs verdict for {class:?}"
    );
    let seen = server_count();
    // The server may see fewer (refused connections) but never more requests.
    assert!(seen <= attempts, "{name}: server saw {seen} > {attempts}");
    report.agree();
    class
}

async fn emulator(faults: Faults) -> RunningEmulator {
    Emulator::start(EmulatorConfig::default().with_faults(faults))
        .await
        .expect("emulator")
}

fn forever(f: Fault) -> Faults {
    Faults::script([ScriptedFault::times(f, 100)])
}

/// A raw TCP server that reads one request per connection, then runs `respond`.
/// Returns its URL and a count of requests read.
async fn raw_server<F, Fut>(respond: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            let respond = respond.clone();
            tokio::spawn(async move {
                if read_request(&mut stream).await {
                    seen.fetch_add(1, Ordering::SeqCst);
                    respond(stream).await;
                }
            });
        }
    });
    (url, count)
}

/// Reads a request head and its Content-Length body; false if the peer went away.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return false;
        };
        if n == 0 {
            return false;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            return true;
        }
    }
}

const OK_BODY: &str = r#"{"token":"t0k3n","expirationTime":"2026-11-28T05:00:00Z"}"#;

fn ok_head(len: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: raw\r\ncontent-length: {len}\r\n\r\n"
    )
}

/// Sends raw bytes, then closes (with an RST when `reset`).
async fn send_raw(mut stream: TcpStream, bytes: Vec<u8>, reset: bool) {
    let _ = stream.write_all(&bytes).await;
    let _ = stream.flush().await;
    if reset {
        // Linger 0 makes the close an RST; with a zero timeout the drop does not block.
        #[allow(deprecated)]
        let _ = stream.set_linger(Some(Duration::ZERO));
    }
    drop(stream);
}

/// A 200 whose chunked body never ends: 16 KiB chunks as fast as the client reads, or one
/// byte per `pause`.
async fn endless_body(mut stream: TcpStream, pause: Option<Duration>) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let len = if pause.is_some() { 1 } else { 16 * 1024 };
    let mut chunk = format!("{len:x}\r\n").into_bytes();
    chunk.resize(chunk.len() + len, b' ');
    chunk.extend_from_slice(b"\r\n");
    loop {
        if stream.write_all(&chunk).await.is_err() {
            return;
        }
        if let Some(pause) = pause {
            let _ = stream.flush().await;
            tokio::time::sleep(pause).await;
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn transport_faults_end_classified_with_the_verdicts_attempt_count() {
    runtime().block_on(async {
        let mut report = Report::new("faults", "transport");
        use TransportFailure as T;

        // Connection refused: a port nobody listens on any more.
        let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", dead.local_addr().expect("addr"));
        drop(dead);
        let c = scenario("connection refused", &url, || 0, &mut report).await;
        assert_eq!(c, Class::Transport(T::ConnectionRefused));

        // Reset before any response byte (emulator closes the connection).
        let emu = emulator(forever(Fault::ConnectionReset)).await;
        let c = scenario(
            "reset before headers",
            &emu.url(),
            || emu.request_count() as usize,
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::IncompleteMessage));
        emu.shutdown().await;

        // Reset after the headers, mid-body.
        let (url, n) = raw_server(|s| async move {
            let mut bytes = ok_head(100).into_bytes();
            bytes.extend_from_slice(b"{\"tok");
            tokio::time::sleep(Duration::from_millis(20)).await;
            send_raw(s, bytes, true).await;
        })
        .await;
        let c = scenario(
            "reset after headers",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::ResponseBodyRead));

        // Truncated body: Content-Length promises more than is sent.
        let emu = emulator(forever(Fault::TruncatedBody)).await;
        let c = scenario(
            "truncated body",
            &emu.url(),
            || emu.request_count() as usize,
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::ResponseBodyRead));
        emu.shutdown().await;

        // Body stalls far past the attempt timeout.
        let emu = emulator(forever(Fault::StalledBody { stall_ms: 5_000 })).await;
        let c = scenario(
            "stalled body",
            &emu.url(),
            || emu.request_count() as usize,
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::AttemptTimeout));
        emu.shutdown().await;

        // A chunked body that never ends: cut off at the size limit, and not retried.
        let (url, n) = raw_server(|s| async move { endless_body(s, None).await }).await;
        let c = scenario(
            "endless body",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::ResponseTooLarge));

        // A body that drips forever: the attempt timeout (700 ms) comes before the HTTP
        // client's body deadline (30 s; the HTTP crate's `tests/connector.rs` tests that).
        let (url, n) =
            raw_server(|s| async move { endless_body(s, Some(Duration::from_millis(20))).await })
                .await;
        let c = scenario(
            "dripping body",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::AttemptTimeout));

        // Headers never come: the read timeout fires.
        let (url, n) = raw_server(|s| async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(s);
        })
        .await;
        let c = scenario(
            "no response",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::ReadTimeout));

        // Slow trickle that still fits in the timeouts: success, one attempt.
        let (url, n) = raw_server(|mut s| async move {
            let mut bytes = ok_head(OK_BODY.len()).into_bytes();
            bytes.extend_from_slice(OK_BODY.as_bytes());
            for chunk in bytes.chunks(12) {
                if s.write_all(chunk).await.is_err() {
                    return;
                }
                let _ = s.flush().await;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        let c = scenario(
            "slow trickle",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Success);

        // Not HTTP at all.
        let (url, n) = raw_server(|s| async move {
            send_raw(
                s,
                b"\x16\x03\x01\x00garbage\xff\xfe\r\n\r\nmore".to_vec(),
                false,
            )
            .await;
        })
        .await;
        let c = scenario(
            "garbage bytes",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        // hyper's parse errors reach the retry crate as `Other(None)` with no I/O error in
        // the chain: "unrecognised", so forbidden (1 attempt) and logged at WARN.
        assert_eq!(c, Class::Transport(T::Unknown));

        // A status line hyper cannot parse.
        let (url, n) = raw_server(|s| async move {
            send_raw(
                s,
                b"HTTP/1.1 2x0 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
                false,
            )
            .await;
        })
        .await;
        let c = scenario(
            "bad status line",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::Unknown));

        // Two different Content-Length headers (a request-smuggling shape).
        let (url, n) = raw_server(|s| async move {
            let mut bytes =
                b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 59\r\n\r\n".to_vec();
            bytes.extend_from_slice(OK_BODY.as_bytes());
            send_raw(s, bytes, false).await;
        })
        .await;
        let c = scenario(
            "duplicate content-length",
            &url,
            || n.load(Ordering::SeqCst),
            &mut report,
        )
        .await;
        assert_eq!(c, Class::Transport(T::Unknown));

        report.write();
    });
}

#[test]
fn response_faults_end_classified_with_the_verdicts_attempt_count() {
    runtime().block_on(async {
        let mut report = Report::new("faults", "responses");
        let cases: Vec<(&'static str, Fault, usize)> = vec![
            (
                "ThrottlingException",
                Fault::error(ErrorKind::ThrottlingException),
                3,
            ),
            (
                "InternalServerException",
                Fault::error(ErrorKind::InternalServerException),
                3,
            ),
            (
                "AccessDeniedException",
                Fault::error(ErrorKind::AccessDeniedException),
                1,
            ),
            (
                "ValidationException",
                Fault::error(ErrorKind::ValidationException),
                1,
            ),
            (
                "ConflictException",
                Fault::error(ErrorKind::ConflictException),
                1,
            ),
            (
                "bare 503",
                Fault::Custom {
                    status: 503,
                    headers: Default::default(),
                    body: String::new(),
                },
                3,
            ),
            (
                "bare 429",
                Fault::Custom {
                    status: 429,
                    headers: Default::default(),
                    body: String::new(),
                },
                3,
            ),
            ("garbage 200 body", Fault::GarbageBody, 1),
        ];
        for (name, fault, expected) in cases {
            let emu = emulator(forever(fault)).await;
            let (result, attempts, _) = call(&emu.url()).await;
            let class = class_of(&result);
            println!("{name}: {class:?}, {attempts} attempt(s)");
            assert_eq!(attempts, expected_attempts(&class), "{name}");
            assert_eq!(attempts, expected, "{name}");
            assert_eq!(emu.request_count() as usize, attempts, "{name}");
            report.agree();
            emu.shutdown().await;
        }
        // A scripted recovery: two throttles, then success on the third attempt.
        let emu = emulator(Faults::throttle_next(2)).await;
        let (result, attempts, _) = call(&emu.url()).await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!((attempts, emu.request_count()), (3, 3));
        report.agree();
        emu.shutdown().await;
        report.write();
    });
}

/// A success body of exactly `len` bytes: an unknown member padded to size, then the real
/// ones.
fn padded_success(len: usize) -> Vec<u8> {
    let tail = r#"","token":"big","expirationTime":"2026-11-28T05:00:00Z"}"#;
    let head = r#"{"junk":""#;
    let mut body = head.as_bytes().to_vec();
    body.resize(len - tail.len(), b'x');
    body.extend_from_slice(tail.as_bytes());
    body
}

#[test]
fn bodies_up_to_the_size_limit_are_read_and_larger_ones_refused() {
    runtime().block_on(async {
        let mut report = Report::new("faults", "oversized");
        let server = CaptureServer::start().await.expect("capture");
        let limit = DEFAULT_MAX_RESPONSE_SIZE as usize;

        // The largest success body the limit allows.
        let mut canned = Canned::ok();
        canned.body = padded_success(limit);
        server.respond_with(canned.clone());
        let (result, attempts, took) = call(&server.url()).await;
        let out = result.expect("a success body at the limit is still a success");
        assert_eq!(out.token(), Some("big"));
        assert_eq!(attempts, 1);
        println!("{limit}-byte success body read in {took:?}");
        report.agree();

        // The same junk in an error body: still a modeled error, not retried.
        canned.status = 400;
        let junk = "x".repeat(limit / 2);
        canned.body =
            format!(r#"{{"junk":["{junk}"],"__type":"ValidationException","message":"m"}}"#)
                .into_bytes();
        server.respond_with(canned.clone());
        let (result, attempts, _) = call(&server.url()).await;
        let err = result.expect_err("error");
        assert!(
            err.as_service_error()
                .is_some_and(|e| e.is_validation_exception()),
            "{err:?}"
        );
        assert_eq!(attempts, 1);
        report.agree();

        // One byte over, and 10 MiB over: a response error naming the limit, not retried.
        for len in [limit + 1, 10 * 1024 * 1024] {
            canned.status = 200;
            canned.body = padded_success(len);
            server.respond_with(canned.clone());
            let (result, attempts, _) = call(&server.url()).await;
            let class = class_of(&result);
            let err = result.expect_err("over the limit");
            let text = redshift_serverless_client::error::DisplayErrorContext(&err).to_string();
            assert!(
                text.contains(&format!(
                    "HTTP response body exceeds the max_response_size limit of {limit} bytes: its Content-Length is {len}"
                )),
                "{text}"
            );
            assert_eq!(class, Class::Transport(TransportFailure::ResponseTooLarge));
            assert_eq!(attempts, 1, "{len} bytes");
            report.agree();
        }
        report.write();
    });
}
