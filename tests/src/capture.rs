//! A local HTTP server that records every request and answers with a canned response.
//!
//! Both clients are pointed at the same instance, so any difference in what they send (or in
//! how they read the same bytes) is the clients' doing, not the server's.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Captured {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Header names (lowercase) and values, in arrival order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Captured {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The response the server gives to every request until changed.
#[derive(Clone, Debug)]
pub struct Canned {
    /// Status code.
    pub status: u16,
    /// Headers to send (hyper adds `content-length` and `date`).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Canned {
    /// A 200 with a fixed token, as the service would answer.
    pub fn ok() -> Self {
        Canned {
            status: 200,
            headers: vec![
                ("content-type".into(), "application/x-amz-json-1.1".into()),
                ("x-amzn-requestid".into(), "capture-request-id".into()),
            ],
            body: br#"{"token":"capture-token","expirationTime":"2026-11-28T05:00:00Z"}"#.to_vec(),
        }
    }
}

/// A response computed from the request, for conversations such as pagination.
pub type Responder = Arc<dyn Fn(&Captured) -> Canned + Send + Sync>;

/// How the server answers.
#[derive(Clone)]
enum Reply {
    Canned(Canned),
    Computed(Responder),
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reply::Canned(c) => c.fmt(f),
            Reply::Computed(_) => f.write_str("Computed(..)"),
        }
    }
}

#[derive(Debug)]
struct State {
    requests: Mutex<Vec<Captured>>,
    reply: Mutex<Reply>,
    /// TCP connections accepted, whether or not a request followed.
    connections: AtomicUsize,
}

/// A running capture server; stops when dropped.
#[derive(Debug)]
pub struct CaptureServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl CaptureServer {
    /// Binds 127.0.0.1:0 and serves `Canned::ok()` until told otherwise.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            requests: Mutex::new(Vec::new()),
            reply: Mutex::new(Reply::Canned(Canned::ok())),
            connections: AtomicUsize::new(0),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(state.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(CaptureServer { addr, state, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the canned response.
    pub fn respond_with(&self, canned: Canned) {
        *lock(&self.state.reply) = Reply::Canned(canned);
    }

    /// Answers each request with what `responder` makes of it, until changed.
    pub fn respond_with_fn(&self, responder: impl Fn(&Captured) -> Canned + Send + Sync + 'static) {
        *lock(&self.state.reply) = Reply::Computed(Arc::new(responder));
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// TCP connections accepted so far, a request or not (a TLS handshake, say).
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Removes and returns everything recorded so far.
    pub fn take_requests(&self) -> Vec<Captured> {
        std::mem::take(&mut *lock(&self.state.requests))
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

async fn handle(
    state: Arc<State>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let captured = Captured {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let reply = lock(&state.reply).clone();
    let canned = match reply {
        Reply::Canned(c) => c,
        Reply::Computed(f) => f(&captured),
    };
    lock(&state.requests).push(captured);
    let mut response = hyper::Response::new(Full::new(Bytes::from(canned.body)));
    *response.status_mut() =
        http::StatusCode::from_u16(canned.status).unwrap_or(http::StatusCode::OK);
    for (k, v) in canned.headers {
        if let (Ok(k), Ok(v)) = (
            http::HeaderName::from_bytes(k.as_bytes()),
            http::HeaderValue::from_str(&v),
        ) {
            response.headers_mut().append(k, v);
        }
    }
    Ok(response)
}
