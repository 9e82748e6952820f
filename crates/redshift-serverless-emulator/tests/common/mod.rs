//! Shared test helpers: a SigV4 signer built directly on `aws-sigv4` (independent of the
//! emulator's own code) and a raw HTTP/1.1 client that can observe broken responses.

#![allow(dead_code)]

pub mod sql;

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use redshift_serverless_emulator::{Clock, Emulator, EmulatorConfig, RunningEmulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const KEY_ID: &str = "AKIDEMULATOREXAMPLE";
pub const SECRET: &str = "emulator-secret-key";
pub const TARGET: &str = "RedshiftServerless.GetIdentityCenterAuthToken";

/// 2026-11-28T05:00:00Z: the fixed "now" of most tests.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_842_000)
}

pub async fn start(config: EmulatorConfig) -> RunningEmulator {
    Emulator::start(config.with_clock(Clock::fixed(now())))
        .await
        .expect("emulator starts")
}

/// What to sign; every field has a sensible default.
#[derive(Clone, Debug)]
pub struct Req {
    pub body: Vec<u8>,
    pub key_id: String,
    pub secret: String,
    pub session_token: Option<String>,
    pub region: String,
    pub service: String,
    pub time: SystemTime,
    pub target: Option<String>,
    pub content_type: Option<String>,
    pub method: String,
    pub path: String,
}

impl Default for Req {
    fn default() -> Self {
        Req {
            body: br#"{"workgroupNames":["default"]}"#.to_vec(),
            key_id: KEY_ID.into(),
            secret: SECRET.into(),
            session_token: None,
            region: "us-east-1".into(),
            service: "redshift-serverless".into(),
            time: now(),
            target: Some(TARGET.into()),
            content_type: Some("application/x-amz-json-1.1".into()),
            method: "POST".into(),
            path: "/".into(),
        }
    }
}

impl Req {
    pub fn body(body: impl Into<Vec<u8>>) -> Self {
        Req {
            body: body.into(),
            ..Req::default()
        }
    }

    /// Signs for `addr` and returns the header list (including Authorization).
    pub fn signed_headers(&self, addr: SocketAddr) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = vec![("host".into(), addr.to_string())];
        if let Some(ct) = &self.content_type {
            headers.push(("content-type".into(), ct.clone()));
        }
        if let Some(t) = &self.target {
            headers.push(("x-amz-target".into(), t.clone()));
        }
        let identity: Identity = Credentials::new(
            self.key_id.clone(),
            self.secret.clone(),
            self.session_token.clone(),
            None,
            "test",
        )
        .into();
        let params = SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(self.time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let uri = format!("http://{addr}{}", self.path);
        let signable = SignableRequest::new(
            &self.method,
            uri,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(&self.body),
        )
        .unwrap();
        let (instructions, _sig) = sign(signable, &params).unwrap().into_parts();
        for (k, v) in instructions.headers() {
            headers.push((k.to_string(), v.to_string()));
        }
        headers
    }
}

#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The declared Content-Length, if any.
    pub content_length: Option<usize>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn error_type(&self) -> String {
        self.json()["__type"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Whether the body is as long as the Content-Length promised.
    pub fn complete(&self) -> bool {
        self.content_length.is_none_or(|n| n == self.body.len())
    }
}

/// Why a raw exchange produced no parsable response.
#[derive(Debug)]
pub enum RawError {
    /// The connection closed (or reset) before any response byte.
    NoResponse(String),
    /// Bytes arrived but not a full HTTP head.
    BadHead(Vec<u8>),
    Timeout,
}

/// Sends raw bytes and reads until the server closes (requests use `connection: close`).
pub async fn exchange(addr: SocketAddr, request: &[u8]) -> Result<RawResponse, RawError> {
    exchange_with_timeout(addr, request, Duration::from_secs(10)).await
}

pub async fn exchange_with_timeout(
    addr: SocketAddr,
    request: &[u8],
    timeout: Duration,
) -> Result<RawResponse, RawError> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(timeout, async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) => return Ok(()),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) => return Err(e),
            }
        }
    })
    .await;
    match read {
        Err(_) => return Err(RawError::Timeout),
        Ok(Err(e)) if buf.is_empty() => return Err(RawError::NoResponse(e.to_string())),
        _ => {}
    }
    if buf.is_empty() {
        return Err(RawError::NoResponse("closed".into()));
    }
    parse_response(&buf).ok_or(RawError::BadHead(buf))
}

fn parse_response(buf: &[u8]) -> Option<RawResponse> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let content_length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    Some(RawResponse {
        status,
        headers,
        body: buf[end + 4..].to_vec(),
        content_length,
    })
}

/// Serialises a request with the given headers and body.
pub fn raw_request(method: &str, path: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Signs `req` and sends it.
pub async fn send(emu: &RunningEmulator, req: &Req) -> Result<RawResponse, RawError> {
    let headers = req.signed_headers(emu.addr());
    exchange(
        emu.addr(),
        &raw_request(&req.method, &req.path, &headers, &req.body),
    )
    .await
}

/// Signs and sends, expecting a parsable response.
pub async fn call(emu: &RunningEmulator, req: &Req) -> RawResponse {
    send(emu, req).await.expect("a response")
}
