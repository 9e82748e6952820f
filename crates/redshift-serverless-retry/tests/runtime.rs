//! End-to-end: a real `Operation` from aws-smithy-runtime, the real hyper-1 HTTP client, our
//! classifier, and a local fault-injecting TCP server. Sleeps are recorded, never slept.

use aws_smithy_async::test_util::{instant_time_and_sleep, InstantSleep, ManualTimeSource};
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime::client::retries::{ClientRateLimiter, RetryPartition, TokenBucket};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::Layer;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use redshift_serverless_retry::{
    classify_connector_error, retry_config, ClockSkewInterceptor, ModeledErrors,
    RedshiftRetryClassifier, RetryPolicy, TransportFailure,
};
use redshift_serverless_types::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError as OpError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug)]
struct TestError(ErrorMetadata);
impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "service error {:?}", self.0.code())
    }
}
impl std::error::Error for TestError {}
impl ProvideErrorMetadata for TestError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
enum Fault {
    /// Full response: status, optional `X-Amzn-Errortype`, extra headers.
    Reply(u16, Option<&'static str>, Vec<(&'static str, String)>),
    /// Read the request, then reset the socket (RST via zero linger).
    Reset,
    /// Headers promise 100 bytes, 5 are sent, then the socket closes.
    Truncated,
}

fn ok() -> Fault {
    Fault::Reply(200, None, vec![])
}
fn err(status: u16, code: &'static str) -> Fault {
    Fault::Reply(status, Some(code), vec![])
}

struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
}

/// Serves `script[i]` to the i-th request; the last entry repeats.
async fn server(script: Vec<Fault>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let script = Arc::new(script);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (counter, script) = (counter.clone(), script.clone());
            tokio::spawn(async move { serve(stream, counter, script).await });
        }
    });
    Server { url, hits }
}

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
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
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

async fn serve(mut stream: TcpStream, counter: Arc<AtomicUsize>, script: Arc<Vec<Fault>>) {
    if !read_request(&mut stream).await {
        return;
    }
    let i = counter.fetch_add(1, Ordering::SeqCst);
    let fault = script.get(i).or(script.last()).cloned().unwrap_or_else(ok);
    match fault {
        Fault::Reply(status, code, headers) => {
            let body = if status == 200 {
                "{\"token\":\"t\"}".to_string()
            } else {
                "{}".to_string()
            };
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(code) = code {
                head.push_str(&format!("X-Amzn-Errortype: {code}\r\n"));
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Fault::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Fault::Truncated => {
            let _ = stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"to",
                )
                .await;
            let _ = stream.flush().await;
            drop(stream);
        }
    }
}

struct Harness {
    op: Operation<String, String, TestError>,
    sleep: InstantSleep,
}

fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn build(
    url: &str,
    cfg: &RetryConfig,
    partition: RetryPartition,
    policy: RetryPolicy,
    time: (ManualTimeSource, InstantSleep),
) -> Harness {
    let (time_source, sleep) = time;
    let mut layer = Layer::new("test-partition");
    layer.store_put(partition);
    let op = Operation::builder()
        .service_name("redshiftserverless")
        .operation_name("GetIdentityCenterAuthToken")
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .endpoint_url(url)
        .no_auth()
        // InstantSleep would fire the default 3.1 s connect timeout at once.
        .timeout_config(aws_smithy_types::timeout::TimeoutConfig::disabled())
        .standard_retry(cfg)
        .retry_classifier(RedshiftRetryClassifier::<TestError>::new(
            ModeledErrors::new(OpError::MODELED_ERROR_CODES, OpError::RETRYABLE_ERRORS),
            policy,
        ))
        .interceptor(ClockSkewInterceptor::new())
        .runtime_plugin(StaticRuntimePlugin::new().with_config(layer.freeze()))
        .sleep_impl(sleep.clone())
        .time_source(time_source)
        .serializer(|body: String| {
            let req = http::Request::builder()
                .method("POST")
                .uri("/")
                .header("content-type", "application/x-amz-json-1.1")
                .body(SdkBody::from(body))
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(HttpRequest::try_from(req)?)
        })
        .deserializer(|resp: &HttpResponse| {
            if resp.status().is_success() {
                let body = resp.body().bytes().unwrap_or_default();
                Ok(String::from_utf8_lossy(body).into_owned())
            } else {
                let mut meta = ErrorMetadata::builder();
                if let Some(code) = resp.headers().get("x-amzn-errortype") {
                    meta = meta.code(code);
                }
                Err(OrchestratorError::operation(TestError(meta.build())))
            }
        })
        .build();
    Harness { op, sleep }
}

fn partition(name: &str) -> RetryPartition {
    RetryPartition::custom(name.to_string()).build()
}

fn harness(url: &str, cfg: &RetryConfig, name: &str) -> Harness {
    build(
        url,
        cfg,
        partition(name),
        RetryPolicy::default(),
        instant_time_and_sleep(start()),
    )
}

fn code_of(e: &SdkError<TestError, HttpResponse>) -> Option<String> {
    e.as_service_error()
        .and_then(|s| s.code())
        .map(str::to_string)
}

#[tokio::test]
async fn default_is_three_attempts() {
    let s = server(vec![Fault::Reply(503, None, vec![])]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "three");
    let e = h.op.invoke("{}".into()).await.expect_err("503 forever");
    assert!(
        e.raw_response().is_some_and(|r| r.status().as_u16() == 503),
        "{e:?}"
    );
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
    assert_eq!(h.sleep.logs().len(), 2);
    // Transient under 2.1: base 50 ms, so t_1 <= 50 ms and t_2 <= 100 ms.
    let logs = h.sleep.logs();
    assert!(
        logs[0] <= Duration::from_millis(50) && logs[1] <= Duration::from_millis(100),
        "{logs:?}"
    );
}

#[tokio::test]
async fn max_attempts_is_honoured() {
    let s = server(vec![err(500, "InternalServerException")]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 5), "five");
    let e = h.op.invoke("{}".into()).await.expect_err("500 forever");
    assert_eq!(code_of(&e).as_deref(), Some("InternalServerException"));
    assert_eq!(s.hits.load(Ordering::SeqCst), 5);

    let s = server(vec![err(500, "InternalServerException")]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 1), "one");
    h.op.invoke("{}".into()).await.expect_err("no retry");
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
}

/// The retry configuration with jitter off (`use_static_exponential_base`): each delay is
/// exactly `base * 2^(attempt - 1)`, so the kind the classifier chose is visible in the delay
/// (throttling base 1 s, every other kind 50 ms).
fn without_jitter(mode: RetryMode, max_attempts: u32) -> RetryConfig {
    retry_config(mode, max_attempts).with_use_static_exponential_base(true)
}

#[tokio::test]
async fn throttling_twice_then_success_uses_throttling_backoff() {
    let s = server(vec![
        err(429, "ThrottlingException"),
        err(400, "ThrottlingException"),
        ok(),
    ])
    .await;
    let h = harness(&s.url, &without_jitter(RetryMode::Standard, 3), "throttle");
    let out =
        h.op.invoke("{}".into())
            .await
            .expect("third attempt succeeds");
    assert!(out.contains("token"));
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
    // Throttling backoff: 1 s, then 2 s. Were ThrottlingException classified as a client
    // error there would be no retry; as transient or server error, 50 ms then 100 ms.
    assert_eq!(
        h.sleep.logs(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn a_server_error_backs_off_from_fifty_milliseconds() {
    // The counterpart of the test above: the same script with a non-throttling retryable
    // error gives the 50 ms base, so the two tests together pin the kind.
    let s = server(vec![
        err(500, "InternalServerException"),
        err(503, "ServiceUnavailable"),
        ok(),
    ])
    .await;
    let h = harness(&s.url, &without_jitter(RetryMode::Standard, 3), "server");
    h.op.invoke("{}".into())
        .await
        .expect("third attempt succeeds");
    assert_eq!(
        h.sleep.logs(),
        [Duration::from_millis(50), Duration::from_millis(100)]
    );
}

#[tokio::test]
async fn retry_after_on_throttling_is_kept_and_clamped() {
    // Second retry: t_2 = 2 s (no jitter); a header of 4500 ms lies in [t_2, t_2 + 5 s] and
    // is used as is; on the first retry a header of 100 ms is raised to t_1 = 1 s.
    let s = server(vec![
        Fault::Reply(
            429,
            Some("ThrottlingException"),
            vec![("x-amz-retry-after", "100".into())],
        ),
        Fault::Reply(
            400,
            Some("ThrottlingException"),
            vec![("x-amz-retry-after", "4500".into())],
        ),
        ok(),
    ])
    .await;
    let h = harness(&s.url, &without_jitter(RetryMode::Standard, 3), "after");
    h.op.invoke("{}".into())
        .await
        .expect("third attempt succeeds");
    assert_eq!(
        h.sleep.logs(),
        [Duration::from_secs(1), Duration::from_millis(4500)]
    );
}

#[tokio::test]
async fn non_retryable_error_is_one_attempt() {
    for code in [
        "ValidationException",
        "ResourceNotFoundException",
        "ConflictException",
        "DryRunException",
        "AccessDeniedException",
    ] {
        let s = server(vec![err(400, code), ok()]).await;
        let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), code);
        let e = h.op.invoke("{}".into()).await.expect_err("forbidden");
        assert_eq!(code_of(&e).as_deref(), Some(code));
        assert_eq!(s.hits.load(Ordering::SeqCst), 1, "{code}");
        assert!(h.sleep.logs().is_empty());
    }
}

#[tokio::test]
async fn bare_429_is_retried_unlike_the_official_sdk() {
    let s = server(vec![Fault::Reply(429, None, vec![]), ok()]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "bare429");
    h.op.invoke("{}".into()).await.expect("retried");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn connection_reset_is_retried() {
    let s = server(vec![Fault::Reset, ok()]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "reset");
    h.op.invoke("{}".into()).await.expect("retried after reset");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn connection_reset_is_not_retried_when_not_idempotent() {
    let s = server(vec![Fault::Reset, ok()]).await;
    let h = build(
        &s.url,
        &retry_config(RetryMode::Standard, 3),
        partition("reset-ni"),
        RetryPolicy::non_idempotent(),
        instant_time_and_sleep(start()),
    );
    let e =
        h.op.invoke("{}".into())
            .await
            .expect_err("ambiguous failure, not idempotent");
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
    let connector = match &e {
        SdkError::DispatchFailure(d) => d.as_connector_error(),
        _ => None,
    };
    let class = connector.map(classify_connector_error);
    assert!(
        matches!(
            class,
            Some(TransportFailure::ConnectionReset | TransportFailure::IncompleteMessage)
        ),
        "{class:?} {e:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_even_when_not_idempotent() {
    // Bind then drop: nothing listens on the port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let h = build(
        &format!("http://127.0.0.1:{port}"),
        &retry_config(RetryMode::Standard, 3),
        partition("refused"),
        RetryPolicy::non_idempotent(),
        instant_time_and_sleep(start()),
    );
    let e = h.op.invoke("{}".into()).await.expect_err("nothing listens");
    let class = match &e {
        SdkError::DispatchFailure(d) => d.as_connector_error().map(classify_connector_error),
        _ => None,
    };
    assert_eq!(class, Some(TransportFailure::ConnectionRefused), "{e:?}");
    assert_eq!(h.sleep.logs().len(), 2, "two retries were scheduled");
}

#[tokio::test]
async fn truncated_body_is_retried() {
    let s = server(vec![Fault::Truncated, ok()]).await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "truncated");
    h.op.invoke("{}".into())
        .await
        .expect("retried after short body");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn empty_token_bucket_stops_retries() {
    let s = server(vec![Fault::Reply(503, None, vec![])]).await;
    // Capacity 7: one transient retry under the bucket's default (2.0) cost of 10 is refused.
    let bucket = TokenBucket::builder().capacity(7).build();
    let part = RetryPartition::custom("empty-bucket")
        .token_bucket(bucket)
        .build();
    let h = build(
        &s.url,
        &retry_config(RetryMode::Standard, 3),
        part,
        RetryPolicy::default(),
        instant_time_and_sleep(start()),
    );
    h.op.invoke("{}".into()).await.expect_err("no quota");
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);

    // A throttling retry costs 5: the same bucket size allows exactly one.
    let s = server(vec![err(429, "ThrottlingException")]).await;
    let bucket = TokenBucket::builder().capacity(7).build();
    let part = RetryPartition::custom("small-bucket")
        .token_bucket(bucket)
        .build();
    let h = build(
        &s.url,
        &retry_config(RetryMode::Standard, 3),
        part,
        RetryPolicy::default(),
        instant_time_and_sleep(start()),
    );
    h.op.invoke("{}".into())
        .await
        .expect_err("quota for one retry");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn adaptive_mode_slows_down_after_throttling() {
    let limiter = ClientRateLimiter::new(
        start()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0),
    );
    let part = || {
        RetryPartition::custom("adaptive")
            .client_rate_limiter(limiter.clone())
            .build()
    };
    let time = instant_time_and_sleep(start());

    // Throttled until attempts run out, several times over.
    let s = server(vec![err(429, "ThrottlingException")]).await;
    let h = build(
        &s.url,
        &retry_config(RetryMode::Adaptive, 3),
        part(),
        RetryPolicy::default(),
        time.clone(),
    );
    for _ in 0..3 {
        h.op.invoke("{}".into()).await.expect_err("throttled");
    }
    let before = h.sleep.logs().len();

    // A healthy server now: the limiter still delays the initial send.
    let healthy = server(vec![ok()]).await;
    let h2 = build(
        &healthy.url,
        &retry_config(RetryMode::Adaptive, 3),
        part(),
        RetryPolicy::default(),
        time.clone(),
    );
    h2.op.invoke("{}".into()).await.expect("success");
    let logs = h2.sleep.logs();
    assert!(
        logs.len() > before,
        "the limiter delayed the first attempt: {logs:?}"
    );
    assert!(logs[before..].iter().all(|d| !d.is_zero()), "{logs:?}");

    // Standard mode with the same history never delays a first attempt.
    let std_time = instant_time_and_sleep(start());
    let h3 = build(
        &healthy.url,
        &retry_config(RetryMode::Standard, 3),
        RetryPartition::custom("std").build(),
        RetryPolicy::default(),
        std_time,
    );
    h3.op.invoke("{}".into()).await.expect("success");
    assert!(h3.sleep.logs().is_empty());
}

#[tokio::test]
async fn clock_skew_over_four_minutes_is_retried_once_measured() {
    // The server's Date is 10 minutes ahead of the manual clock.
    let server_date = aws_smithy_types::DateTime::from(start() + Duration::from_secs(600))
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("date");
    let s = server(vec![
        Fault::Reply(
            403,
            Some("InvalidSignatureException"),
            vec![("Date", server_date.clone())],
        ),
        ok(),
    ])
    .await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "skew");
    h.op.invoke("{}".into())
        .await
        .expect("retried after skew correction");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);

    // Same code with an accurate clock: forbidden.
    let now_date = aws_smithy_types::DateTime::from(start())
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("date");
    let s = server(vec![
        Fault::Reply(
            403,
            Some("InvalidSignatureException"),
            vec![("Date", now_date)],
        ),
        ok(),
    ])
    .await;
    let h = harness(&s.url, &retry_config(RetryMode::Standard, 3), "noskew");
    h.op.invoke("{}".into())
        .await
        .expect_err("real signature error");
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn classifier_runs_after_every_default_classifier() {
    use aws_smithy_runtime_api::client::retries::classifiers::RetryClassifierPriority as P;
    let ours = RedshiftRetryClassifier::<TestError>::priority();
    assert!(ours > P::transient_error_classifier());
    assert!(ours > P::modeled_as_retryable_classifier());
    assert!(ours > P::http_status_code_classifier());
}
