//! The request log: what each service request looked like and what it was answered, kept
//! in a bounded ring with every secret scrubbed.

use std::collections::VecDeque;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use http::HeaderMap;
use serde_json::{json, Value};

/// How many service requests the log keeps: the most recent ones, in a ring, so a
/// long-running emulator's memory stays bounded. [`crate::RunningEmulator::request_count`]
/// still counts every request.
pub const REQUEST_LOG_CAPACITY: usize = 1000;
/// How much of a request body the log keeps. The largest valid request (20 workgroup names
/// of 64 characters) is under 1.4 KiB, so those are kept whole; of a rejected or padded
/// body only this prefix is kept ([`RecordedRequest::body_len`] has the full length).
pub const RECORDED_BODY_LIMIT: usize = 2048;
/// How much of each header value the log keeps (hyper admits up to 100 headers), so one
/// record stays within about 100 KiB whatever a client sends.
const RECORDED_HEADER_LIMIT: usize = 1024;

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

    pub(crate) fn to_json(&self) -> Value {
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

/// The last [`REQUEST_LOG_CAPACITY`] service requests, oldest first.
#[derive(Debug)]
pub(crate) struct RequestLog(VecDeque<RecordedRequest>);

impl RequestLog {
    pub(crate) fn new() -> Self {
        RequestLog(VecDeque::with_capacity(REQUEST_LOG_CAPACITY))
    }

    pub(crate) fn push(&mut self, record: RecordedRequest) {
        if self.0.len() >= REQUEST_LOG_CAPACITY {
            self.0.pop_front();
        }
        self.0.push_back(record);
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &RecordedRequest> {
        self.0.iter()
    }
}

/// A copy of at most [`RECORDED_BODY_LIMIT`] bytes of a body: a copy, not a slice, since a
/// slice would keep the whole body (or hyper's read buffer) alive.
pub(crate) fn body_prefix(body: &[u8]) -> Bytes {
    Bytes::copy_from_slice(&body[..body.len().min(RECORDED_BODY_LIMIT)])
}

/// Headers for the log, with the signature and session token scrubbed and each value cut
/// at [`RECORDED_HEADER_LIMIT`] bytes.
pub(crate) fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
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
pub(crate) fn redacted_path(uri: &http::Uri) -> String {
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
