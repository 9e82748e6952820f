//! Answering with an injected fault instead of the operation's result.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::error::ServiceError;
use crate::faults::Fault;
use crate::lifecycle::Shared;
use crate::operations;

use super::response::{base_response, error_response, finish, DropConnection, RespBody};

/// The outcome to log for a request.
pub(crate) struct Outcome {
    pub(crate) status: Option<u16>,
    pub(crate) error_code: Option<String>,
}

impl Outcome {
    pub(crate) fn status(status: u16) -> Self {
        Outcome {
            status: Some(status),
            error_code: None,
        }
    }

    pub(crate) fn error(err: &ServiceError) -> Self {
        Outcome {
            status: Some(err.kind.status()),
            error_code: Some(err.kind.code().to_string()),
        }
    }
}

pub(crate) fn apply_fault(
    shared: &Arc<Shared>,
    fault: Fault,
    rid: &str,
) -> (Result<Response<RespBody>, DropConnection>, Outcome) {
    // A plausible success body, so partial ones look like real truncations.
    let sample = operations::get_identity_center_auth_token::success_body(
        &"0".repeat(96),
        SystemTime::now(),
        Duration::from_secs(900),
    );
    match fault {
        // `handle` processes `Pass` normally and never sends it here.
        Fault::Pass => (
            Ok(finish(
                base_response(500, rid),
                RespBody::full(Bytes::new()),
            )),
            Outcome::status(500),
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
            let outcome = Outcome::error(&e);
            (Ok(error_response(&e, rid)), outcome)
        }
        Fault::Custom {
            status,
            headers,
            body,
        } => {
            // `Fault::check` refused, when the fault was loaded, every header that would
            // contradict the body hyper frames (`content-length`, `transfer-encoding`).
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
            Outcome::status(200),
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
            (Ok(finish(b, RespBody::Channel(rx))), Outcome::status(200))
        }
        Fault::StalledBody { stall_ms } => {
            let (tx, rx) = mpsc::channel(2);
            let full_len = sample.len();
            let (first, rest) = sample.split_at(full_len / 2);
            let (first, rest) = (Bytes::copy_from_slice(first), Bytes::copy_from_slice(rest));
            let stop = shared.stopped();
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
            (Ok(finish(b, RespBody::Channel(rx))), Outcome::status(200))
        }
    }
}
