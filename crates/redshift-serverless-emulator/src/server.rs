//! The HTTP server: a raw accept loop (so a fault can drop a connection), request
//! dispatch, throttling, fault application, the request log and the admin endpoints.

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::config::{Clock, EmulatorConfig};
use crate::error::{ErrorKind, ServiceError};
use crate::faults::{Fault, FaultState, Faults, ScriptedFault};
use crate::operation;
use crate::sigv4::{self, Verifier};

/// The only `X-Amz-Target` the emulator implements.
pub const TARGET: &str = "RedshiftServerless.GetIdentityCenterAuthToken";
/// The awsJson 1.1 media type, required on requests and sent on every response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// Prefix of the admin endpoints (unsigned, not counted, not logged as service requests).
pub const ADMIN_PREFIX: &str = "/__admin/";
/// Request bodies above this many bytes are refused.
const MAX_BODY: usize = 1 << 20;
/// How many service requests the log keeps: the most recent ones, in a ring, so a
/// long-running emulator's memory stays bounded. [`RunningEmulator::request_count`] still
/// counts every request.
pub const REQUEST_LOG_CAPACITY: usize = 1000;
/// How much of a request body the log keeps. The largest valid request (20 workgroup names
/// of 64 characters) is under 1.4 KiB, so those are kept whole; of a rejected or padded
/// body only this prefix is kept ([`RecordedRequest::body_len`] has the full length).
pub const RECORDED_BODY_LIMIT: usize = 2048;
/// How much of each header value the log keeps (hyper admits up to 100 headers), so one
/// record stays within about 100 KiB whatever a client sends.
const RECORDED_HEADER_LIMIT: usize = 1024;
/// How long shutdown waits for in-flight connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// One service request as the emulator saw it, and what it answered.
///
/// Secrets are scrubbed: the `Signature=` part of `Authorization`, the value of
/// `x-amz-security-token`, and the `X-Amz-Signature` and `X-Amz-Security-Token` query
/// parameters read `<redacted>`; issued tokens are never recorded. Bodies are kept up to
/// [`RECORDED_BODY_LIMIT`] bytes and header values up to 1 KiB.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query, signature and session token parameters redacted.
    pub path: String,
    /// The `X-Amz-Target` header, if any.
    pub target: Option<String>,
    /// All request headers in arrival order (names lowercase), secrets redacted, each value
    /// cut at 1 KiB.
    pub headers: Vec<(String, String)>,
    /// The request body, or its first [`RECORDED_BODY_LIMIT`] bytes.
    pub body: Bytes,
    /// The length of the whole request body.
    pub body_len: usize,
    /// The `x-amzn-RequestId` the emulator assigned.
    pub request_id: String,
    /// The response status; `None` when the connection was dropped without one.
    pub status: Option<u16>,
    /// The error code (`__type`) answered, if the answer was a service error.
    pub error_code: Option<String>,
    /// The injected fault, if one applied (e.g. `error:ThrottlingException`).
    pub fault: Option<String>,
    /// When the request arrived, by the emulator's clock.
    pub received_at: SystemTime,
    /// When the request arrived, by the monotonic clock (for measuring client backoff).
    pub received_instant: Instant,
}

impl RecordedRequest {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "target": self.target,
            "headers": self.headers,
            "body": String::from_utf8_lossy(&self.body),
            "request_id": self.request_id,
            "status": self.status,
            "error_code": self.error_code,
            "fault": self.fault,
            "received_at": crate::time::format_rfc3339(self.received_at),
        })
    }
}

/// A token bucket refilled by the emulator's clock (a fixed clock never refills, which
/// makes throttling tests deterministic).
#[derive(Debug)]
struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: SystemTime,
}

impl TokenBucket {
    fn new(rate: f64, now: SystemTime) -> Self {
        let rate = if rate.is_finite() { rate.max(0.0) } else { 0.0 };
        // A burst of one second's worth, but at least one request when the rate is positive.
        let capacity = if rate > 0.0 { rate.max(1.0) } else { 0.0 };
        TokenBucket {
            rate,
            capacity,
            tokens: capacity,
            last: now,
        }
    }

    fn try_take(&mut self, now: SystemTime) -> bool {
        if let Ok(elapsed) = now.duration_since(self.last) {
            self.tokens = (self.tokens + elapsed.as_secs_f64() * self.rate).min(self.capacity);
            self.last = now;
        }
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Mutable emulator state, behind one mutex never held across an await.
#[derive(Debug)]
struct State {
    config: EmulatorConfig,
    faults: FaultState,
    bucket: Option<TokenBucket>,
    /// The last [`REQUEST_LOG_CAPACITY`] service requests, oldest first.
    log: VecDeque<RecordedRequest>,
}

impl State {
    fn reset_bucket(&mut self) {
        let now = self.config.clock.now();
        self.bucket = self.config.throttle_rps.map(|r| TokenBucket::new(r, now));
    }
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    count: AtomicU64,
    shutdown: watch::Receiver<bool>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated in a way
        // that matters for an emulator; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Entry point: start an emulator with [`Emulator::start`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Binds `127.0.0.1:<config.port>` and starts serving in the background.
    pub async fn start(config: EmulatorConfig) -> io::Result<RunningEmulator> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let mut state = State {
            faults: FaultState::new(config.faults.clone()),
            config,
            bucket: None,
            log: VecDeque::with_capacity(REQUEST_LOG_CAPACITY),
        };
        state.reset_bucket();
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            count: AtomicU64::new(0),
            shutdown: shutdown_rx,
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        tracing::info!(%addr, "redshift-serverless emulator started");
        Ok(RunningEmulator {
            addr,
            shared,
            shutdown_tx,
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server too (without waiting).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown_tx: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for an SDK's `endpoint_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many service requests (not admin requests) have arrived since start or reset.
    pub fn request_count(&self) -> u64 {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// The log of service requests since start or reset: the last [`REQUEST_LOG_CAPACITY`],
    /// oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.iter().cloned().collect()
    }

    /// Replaces the fault configuration (script, rates, seed, latency).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().faults = FaultState::new(faults);
    }

    /// Appends one step to the fault script.
    pub fn push_fault(&self, step: ScriptedFault) {
        self.shared.lock().faults.push(step);
    }

    /// The current fault configuration, with the script as far as it is still pending.
    pub fn faults(&self) -> Faults {
        self.shared.lock().faults.snapshot()
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.set_faults(Faults::none());
    }

    /// Replaces the clock.
    pub fn set_clock(&self, clock: Clock) {
        let mut st = self.shared.lock();
        st.config.clock = clock;
        st.reset_bucket();
    }

    /// Changes the throttle rate (`None` disables throttling); refills the bucket.
    pub fn set_throttle_rps(&self, rps: Option<f64>) {
        let mut st = self.shared.lock();
        st.config.throttle_rps = rps;
        st.reset_bucket();
    }

    /// Adds or updates a workgroup.
    pub fn set_workgroup(&self, name: impl Into<String>, identity_center_enabled: bool) {
        self.shared
            .lock()
            .config
            .workgroups
            .insert(name.into(), identity_center_enabled);
    }

    /// Clears the request log and count, removes all faults and refills the throttle bucket.
    pub fn reset(&self) {
        reset(&self.shared);
    }

    /// Stops accepting, lets in-flight requests finish (up to a short grace period) and
    /// waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        tracing::info!(addr = %self.addr, "redshift-serverless emulator stopped");
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}

fn reset(shared: &Shared) {
    let mut st = shared.lock();
    st.log.clear();
    st.faults = FaultState::new(Faults::none());
    st.reset_bucket();
    shared.count.store(0, Ordering::SeqCst);
}

/// Resolves once shutdown is requested (or the handle is gone).
async fn shutdown_signal(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut conns = JoinSet::new();
    let stop = shutdown_signal(shared.shutdown.clone());
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                while conns.try_join_next().is_some() {}
                match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        conns.spawn(serve_connection(stream, peer, shared.clone()));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        // Avoid a hot loop when out of file descriptors.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        conns.abort_all();
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let stop = shutdown_signal(shared.shutdown.clone());
    let svc_shared = shared.clone();
    let service = service_fn(move |req| handle(svc_shared.clone(), req));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new());
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::pin!(stop);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        }
        _ = &mut stop => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn.as_mut()).await;
        }
    }
}

/// Returned by the service to make hyper drop the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// Response body: either complete bytes or a stream fed by a task (for truncated and
/// stalled bodies).
#[derive(Debug)]
enum RespBody {
    Full(Option<Bytes>),
    Channel(mpsc::Receiver<Result<Bytes, io::Error>>),
}

impl RespBody {
    fn full(bytes: impl Into<Bytes>) -> Self {
        RespBody::Full(Some(bytes.into()))
    }
}

impl Body for RespBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            RespBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            RespBody::Channel(rx) => rx.poll_recv(cx).map(|o| o.map(|r| r.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, RespBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RespBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            RespBody::Full(None) => SizeHint::with_exact(0),
            RespBody::Channel(_) => SizeHint::default(),
        }
    }
}

fn request_id() -> String {
    let mut b = [0u8; 16];
    fastrand::fill(&mut b);
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn base_response(status: u16, request_id: &str) -> http::response::Builder {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Response::builder()
        .status(status)
        .header("x-amzn-RequestId", request_id)
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
}

fn finish(builder: http::response::Builder, body: RespBody) -> Response<RespBody> {
    // Every header put on a builder here was validated first, so this cannot fail; keep a
    // bare 500 as the fallback rather than panicking.
    builder.body(body).unwrap_or_else(|_| {
        let mut r = Response::new(RespBody::full(Bytes::new()));
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}

fn error_response(err: &ServiceError, request_id: &str) -> Response<RespBody> {
    let mut b = base_response(err.kind.status(), request_id);
    for (k, v) in &err.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::try_from(v)) {
            b = b.header(k, v);
        }
    }
    finish(b, RespBody::full(err.body()))
}

/// Headers for the log, with the signature and session token scrubbed and each value cut
/// at [`RECORDED_HEADER_LIMIT`] bytes.
fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let bytes = v.as_bytes();
            let v = String::from_utf8_lossy(&bytes[..bytes.len().min(RECORDED_HEADER_LIMIT)])
                .into_owned();
            let v = match k.as_str() {
                "authorization" => match v.find("Signature=") {
                    Some(i) => format!("{}Signature=<redacted>", &v[..i]),
                    None => v,
                },
                "x-amz-security-token" => "<redacted>".into(),
                _ => v,
            };
            (k.as_str().to_string(), v)
        })
        .collect()
}

/// Path and query for the log, with query-string SigV4's signature and session token
/// scrubbed (the emulator does not accept query authentication, but still logs the request).
fn redacted_path(uri: &http::Uri) -> String {
    let Some(pq) = uri.path_and_query() else {
        return "/".into();
    };
    let Some(query) = pq.query() else {
        return pq.path().to_string();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            if name.eq_ignore_ascii_case("X-Amz-Signature")
                || name.eq_ignore_ascii_case("X-Amz-Security-Token")
            {
                format!("{name}=<redacted>")
            } else {
                pair.to_string()
            }
        })
        .collect();
    format!("{}?{}", pq.path(), query.join("&"))
}

/// The outcome to log for a request.
struct Outcome {
    status: Option<u16>,
    error_code: Option<String>,
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<RespBody>, DropConnection> {
    let started = Instant::now();
    if req.uri().path().starts_with(ADMIN_PREFIX) {
        return Ok(admin(&shared, req).await);
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(ServiceError::new(
            ErrorKind::SerializationException,
            format!("The request body exceeds {MAX_BODY} bytes."),
        )),
        // The client went away mid-body: nobody to answer.
        Err(_) => return Err(DropConnection),
    };
    shared.count.fetch_add(1, Ordering::SeqCst);
    let rid = request_id();
    let (fault, delay, received_at) = {
        let mut st = shared.lock();
        let (fault, delay) = st.faults.next();
        (fault, delay, st.config.clock.now())
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    // A copy, not a slice: a slice would keep the whole body (or hyper's read buffer) alive.
    let (body_len, body_prefix) = match &body {
        Ok(bytes) => (
            bytes.len(),
            Bytes::copy_from_slice(&bytes[..bytes.len().min(RECORDED_BODY_LIMIT)]),
        ),
        Err(_) => (0, Bytes::new()),
    };
    let mut record = RecordedRequest {
        method: parts.method.to_string(),
        path: redacted_path(&parts.uri),
        target: parts
            .headers
            .get("x-amz-target")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        headers: redacted_headers(&parts.headers),
        body: body_prefix,
        body_len,
        request_id: rid.clone(),
        status: None,
        error_code: None,
        fault: fault
            .as_ref()
            .filter(|f| **f != Fault::Pass)
            .map(Fault::name),
        received_at,
        received_instant: started,
    };

    let (result, outcome) = match fault {
        None | Some(Fault::Pass) => {
            let result = match body {
                Ok(body) => {
                    let mut st = shared.lock();
                    process(&mut st, &parts, &body)
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(success) => {
                    let resp = finish(base_response(200, &rid), RespBody::full(success));
                    (
                        Ok(resp),
                        Outcome {
                            status: Some(200),
                            error_code: None,
                        },
                    )
                }
                Err(e) => (
                    Ok(error_response(&e, &rid)),
                    Outcome {
                        status: Some(e.kind.status()),
                        error_code: Some(e.kind.code().to_string()),
                    },
                ),
            }
        }
        Some(fault) => apply_fault(&shared, fault, &rid),
    };

    record.status = outcome.status;
    record.error_code = outcome.error_code.clone();
    tracing::info!(
        method = %record.method,
        target = record.target.as_deref().unwrap_or("-"),
        status = outcome.status.map(i64::from).unwrap_or(-1),
        error_code = outcome.error_code.as_deref().unwrap_or("-"),
        fault = record.fault.as_deref().unwrap_or("-"),
        latency_ms = started.elapsed().as_millis() as u64,
        request_id = %rid,
        "request"
    );
    {
        let mut st = shared.lock();
        if st.log.len() >= REQUEST_LOG_CAPACITY {
            st.log.pop_front();
        }
        st.log.push_back(record);
    }
    // The service dates its answers by its own clock, and clients measure clock skew from
    // that header; hyper would otherwise add one from the machine's clock.
    result.map(|mut resp| {
        if let Ok(date) = HeaderValue::try_from(crate::time::format_http_date(received_at)) {
            resp.headers_mut().entry(http::header::DATE).or_insert(date);
        }
        resp
    })
}

/// Normal processing: protocol checks, SigV4, throttling, validation, the operation.
/// Returns the success body.
fn process(
    st: &mut State,
    parts: &http::request::Parts,
    body: &[u8],
) -> Result<Bytes, ServiceError> {
    if parts.method != Method::POST || parts.uri.path() != "/" {
        return Err(ServiceError::new(
            ErrorKind::UnknownOperationException,
            format!(
                "No operation is served at {} {}; awsJson requests are POST /.",
                parts.method,
                parts.uri.path()
            ),
        ));
    }
    let now = st.config.clock.now();
    let verifier = Verifier {
        keys: &st.config.access_keys,
        region: &st.config.region,
        now,
        max_skew: st.config.max_clock_skew,
    };
    sigv4::verify(&verifier, &parts.method, &parts.uri, &parts.headers, body)?;

    if let Some(bucket) = st.bucket.as_mut() {
        if !bucket.try_take(now) {
            return Err(ServiceError::new(
                ErrorKind::ThrottlingException,
                "Rate exceeded",
            ));
        }
    }

    // Protocol dispatch needs the awsJson 1.1 media type (parameters such as charset are
    // tolerated) and exactly this operation's target.
    let content_type = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if content_type.as_deref() != Some(CONTENT_TYPE) {
        return Err(ServiceError::new(
            ErrorKind::UnknownOperationException,
            format!("Requests must use Content-Type {CONTENT_TYPE}."),
        ));
    }
    match parts.headers.get("x-amz-target").map(|v| v.as_bytes()) {
        Some(t) if t == TARGET.as_bytes() => {}
        _ => {
            return Err(ServiceError::new(
                ErrorKind::UnknownOperationException,
                format!("The X-Amz-Target header does not name a supported operation; only {TARGET} is implemented."),
            ))
        }
    }

    let names = operation::parse_input(body)?;
    operation::check_workgroups(&names, &st.config.workgroups)?;
    let token = operation::mint_token();
    Ok(operation::success_body(&token, now, st.config.token_lifetime).into())
}

fn apply_fault(
    shared: &Arc<Shared>,
    fault: Fault,
    rid: &str,
) -> (Result<Response<RespBody>, DropConnection>, Outcome) {
    let ok = |status: u16| Outcome {
        status: Some(status),
        error_code: None,
    };
    // A plausible success body, so partial ones look like real truncations.
    let sample =
        operation::success_body(&"0".repeat(96), SystemTime::now(), Duration::from_secs(900));
    match fault {
        // `handle` processes `Pass` normally and never sends it here.
        Fault::Pass => (
            Ok(finish(
                base_response(500, rid),
                RespBody::full(Bytes::new()),
            )),
            ok(500),
        ),
        Fault::Error {
            error,
            message,
            retry_after,
        } => {
            let mut e = ServiceError::new(
                error,
                message.unwrap_or_else(|| error.default_message().to_string()),
            );
            if let Some(r) = retry_after {
                e.headers.push(("x-amz-retry-after".into(), r));
            }
            let outcome = Outcome {
                status: Some(error.status()),
                error_code: Some(error.code().to_string()),
            };
            (Ok(error_response(&e, rid)), outcome)
        }
        Fault::Custom {
            status,
            headers,
            body,
        } => {
            let status_code =
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut b = Response::builder().status(status_code);
            let mut has_rid = false;
            for (k, v) in &headers {
                match (HeaderName::try_from(k.as_str()), HeaderValue::try_from(v)) {
                    (Ok(k), Ok(v)) => {
                        has_rid |= k.as_str() == "x-amzn-requestid";
                        b = b.header(k, v);
                    }
                    _ => tracing::warn!(header = %k, "skipping invalid custom fault header"),
                }
            }
            if !has_rid {
                b = b.header("x-amzn-RequestId", rid);
            }
            let code = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v.get("__type").and_then(Value::as_str).map(str::to_string));
            let outcome = Outcome {
                status: Some(status_code.as_u16()),
                error_code: code,
            };
            (Ok(finish(b, RespBody::full(body))), outcome)
        }
        Fault::ConnectionReset => (
            Err(DropConnection),
            Outcome {
                status: None,
                error_code: None,
            },
        ),
        Fault::GarbageBody => (
            Ok(finish(
                base_response(200, rid),
                RespBody::full(&b"\x00\xff<html>this is not JSON}{"[..]),
            )),
            ok(200),
        ),
        Fault::TruncatedBody => {
            let (tx, rx) = mpsc::channel(1);
            let full_len = sample.len();
            let half = Bytes::copy_from_slice(&sample[..full_len / 2]);
            tokio::spawn(async move {
                if tx.send(Ok(half)).await.is_err() {
                    return;
                }
                // Let hyper take and flush the partial body before failing the stream;
                // failing at once would discard the still-buffered bytes.
                if tx.reserve().await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                let _ = tx
                    .send(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "truncated body fault",
                    )))
                    .await;
            });
            let b = base_response(200, rid).header(http::header::CONTENT_LENGTH, full_len);
            (Ok(finish(b, RespBody::Channel(rx))), ok(200))
        }
        Fault::StalledBody { stall_ms } => {
            let (tx, rx) = mpsc::channel(2);
            let full_len = sample.len();
            let (first, rest) = sample.split_at(full_len / 2);
            let (first, rest) = (Bytes::copy_from_slice(first), Bytes::copy_from_slice(rest));
            let stop = shutdown_signal(shared.shutdown.clone());
            tokio::spawn(async move {
                if tx.send(Ok(first)).await.is_err() {
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(stall_ms)) => {
                        let _ = tx.send(Ok(rest)).await;
                    }
                    _ = stop => {
                        let _ = tx.send(Err(io::Error::new(io::ErrorKind::ConnectionAborted, "shutdown"))).await;
                    }
                }
            });
            let b = base_response(200, rid).header(http::header::CONTENT_LENGTH, full_len);
            (Ok(finish(b, RespBody::Channel(rx))), ok(200))
        }
    }
}

fn admin_json(status: StatusCode, value: Value) -> Response<RespBody> {
    let body = serde_json::to_vec(&value).unwrap_or_default();
    finish(
        Response::builder()
            .status(status)
            .header(http::header::CONTENT_TYPE, "application/json"),
        RespBody::full(body),
    )
}

async fn admin(shared: &Arc<Shared>, req: Request<Incoming>) -> Response<RespBody> {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return admin_json(
                StatusCode::BAD_REQUEST,
                json!({"message": format!("cannot read body: {e}")}),
            )
        }
    };
    let bad = |e: serde_json::Error| {
        admin_json(
            StatusCode::BAD_REQUEST,
            json!({"message": format!("invalid fault JSON: {e}")}),
        )
    };
    match (
        method,
        path.trim_start_matches(ADMIN_PREFIX).trim_end_matches('/'),
    ) {
        (Method::GET, "health") => admin_json(StatusCode::OK, json!({"status": "ok"})),
        (Method::GET, "requests") => {
            let st = shared.lock();
            let requests: Vec<Value> = st.log.iter().map(RecordedRequest::to_json).collect();
            admin_json(
                StatusCode::OK,
                json!({
                    "count": shared.count.load(Ordering::SeqCst),
                    "log_capacity": REQUEST_LOG_CAPACITY,
                    "requests": requests,
                }),
            )
        }
        (Method::GET, "faults") => {
            let faults = shared.lock().faults.snapshot();
            admin_json(
                StatusCode::OK,
                serde_json::to_value(faults).unwrap_or_default(),
            )
        }
        (Method::POST | Method::PUT, "faults") => match serde_json::from_slice::<Faults>(&body) {
            Ok(f) => {
                shared.lock().faults = FaultState::new(f);
                admin_json(StatusCode::OK, json!({"ok": true}))
            }
            Err(e) => bad(e),
        },
        (Method::POST, "faults/push") => match serde_json::from_slice::<ScriptedFault>(&body) {
            Ok(step) => {
                shared.lock().faults.push(step);
                admin_json(StatusCode::OK, json!({"ok": true}))
            }
            Err(e) => bad(e),
        },
        (Method::DELETE, "faults") => {
            shared.lock().faults = FaultState::new(Faults::none());
            admin_json(StatusCode::OK, json!({"ok": true}))
        }
        (Method::POST, "reset") => {
            reset(shared);
            admin_json(StatusCode::OK, json!({"ok": true}))
        }
        (m, p) => admin_json(
            StatusCode::NOT_FOUND,
            json!({"message": format!("no admin endpoint {m} {ADMIN_PREFIX}{p}")}),
        ),
    }
}
