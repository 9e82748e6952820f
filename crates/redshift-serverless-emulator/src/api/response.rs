//! Response bodies and the builders every answer goes through.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode};
use hyper::body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;

use crate::error::ServiceError;

use super::handler::CONTENT_TYPE;

/// Returned by the service to make hyper drop the connection without a response.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped without a response")
    }
}

impl std::error::Error for DropConnection {}

/// Response body: either complete bytes or a stream fed by a task (for truncated and
/// stalled bodies).
#[derive(Debug)]
pub(crate) enum RespBody {
    Full(Option<Bytes>),
    Channel(mpsc::Receiver<Result<Bytes, io::Error>>),
}

impl RespBody {
    pub(crate) fn full(bytes: impl Into<Bytes>) -> Self {
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

/// A fresh `x-amzn-RequestId`: a random UUID-shaped string.
pub(crate) fn request_id() -> String {
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

pub(crate) fn base_response(status: u16, request_id: &str) -> http::response::Builder {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Response::builder()
        .status(status)
        .header("x-amzn-RequestId", request_id)
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
}

pub(crate) fn finish(builder: http::response::Builder, body: RespBody) -> Response<RespBody> {
    // Every header put on a builder here was validated first, so this cannot fail; keep a
    // bare 500 as the fallback rather than panicking.
    builder.body(body).unwrap_or_else(|_| {
        let mut r = Response::new(RespBody::full(Bytes::new()));
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}

pub(crate) fn error_response(err: &ServiceError, request_id: &str) -> Response<RespBody> {
    let mut b = base_response(err.kind.status(), request_id);
    for (k, v) in &err.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::try_from(v)) {
            b = b.header(k, v);
        }
    }
    finish(b, RespBody::full(err.body()))
}
