//! One service request: read the body (bounded in size and time), apply a fault or process
//! it (protocol checks, SigV4, throttling, the operation), answer, and log it.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;

use crate::error::{ErrorKind, ServiceError};
use crate::faults::Fault;
use crate::lifecycle::{Shared, State};
use crate::operations::{self, Operation};
use crate::request_log::{self, RecordedRequest};
use crate::sigv4::{self, Verifier};

use super::admin::admin;
use super::fault::{apply_fault, Outcome};
use super::response::{
    base_response, error_response, finish, request_id, DropConnection, RespBody,
};
use super::Limits;

/// The `X-Amz-Target` of GetIdentityCenterAuthToken.
pub const TARGET: &str = "RedshiftServerless.GetIdentityCenterAuthToken";
/// The awsJson 1.1 media type, required on requests and sent on every response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// Prefix of the admin endpoints (unsigned, not counted, not logged as service requests).
pub const ADMIN_PREFIX: &str = "/__admin/";
/// Request bodies above this many bytes are refused.
pub(crate) const MAX_BODY: usize = 1 << 20;

pub(crate) async fn handle(
    shared: Arc<Shared>,
    limits: Limits,
    req: Request<Incoming>,
) -> Result<Response<RespBody>, DropConnection> {
    let started = Instant::now();
    if req.uri().path().starts_with(ADMIN_PREFIX) {
        return Ok(admin(&shared, req).await);
    }
    let (parts, body) = req.into_parts();
    // hyper bounds the wait for the head; the body's wait is bounded here, so a client that
    // declares a body and never sends it cannot hold a connection forever.
    let collected =
        tokio::time::timeout(limits.body_timeout, Limited::new(body, MAX_BODY).collect()).await;
    let body = match collected {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(ServiceError::new(
            ErrorKind::SerializationException,
            format!("The request body exceeds {MAX_BODY} bytes."),
        )),
        // The client went away mid-body: nobody to answer.
        Ok(Err(_)) => return Err(DropConnection),
        Err(_) => {
            tracing::warn!(
                timeout_ms = limits.body_timeout.as_millis() as u64,
                "request body not received in time; connection closed"
            );
            return Err(DropConnection);
        }
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
    let (body_len, body_prefix) = match &body {
        Ok(bytes) => (bytes.len(), request_log::body_prefix(bytes)),
        Err(_) => (0, Bytes::new()),
    };
    let mut record = RecordedRequest {
        method: parts.method.to_string(),
        path: request_log::redacted_path(&parts.uri),
        target: parts
            .headers
            .get("x-amz-target")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        headers: request_log::redacted_headers(&parts.headers),
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
            let result = body.and_then(|body| process(&mut shared.lock(), &parts, &body));
            match result {
                Ok(success) => (
                    Ok(finish(base_response(200, &rid), RespBody::full(success))),
                    Outcome::status(200),
                ),
                Err(e) => (Ok(error_response(&e, &rid)), Outcome::error(&e)),
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
    shared.lock().log.push(record);
    // The service dates its answers by its own clock, and clients measure clock skew from
    // that header; hyper would otherwise add one from the machine's clock.
    result.map(|mut resp| {
        if let Ok(date) = HeaderValue::try_from(crate::time::format_http_date(received_at)) {
            resp.headers_mut().entry(http::header::DATE).or_insert(date);
        }
        resp
    })
}

/// Normal processing: protocol checks, SigV4, throttling, then the operation. Returns the
/// success body.
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
    let caller = sigv4::verify(&verifier, &parts.method, &parts.uri, &parts.headers, body)?;

    if let Some(bucket) = st.bucket.as_mut() {
        if !bucket.try_take(now) {
            return Err(ServiceError::new(
                ErrorKind::ThrottlingException,
                "Rate exceeded",
            ));
        }
    }

    // Protocol dispatch needs the awsJson 1.1 media type (parameters such as charset are
    // tolerated) and one of the served operations' targets.
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
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|t| Operation::from_target(t.as_bytes()))
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::UnknownOperationException,
                format!(
                    "The X-Amz-Target header does not name a supported operation; these are implemented: {}.",
                    Operation::targets().join(", ")
                ),
            )
        })?;
    operations::call(operation, st, &caller, body, now).map(Bytes::from)
}
