//! The response body as the orchestrator reads it: bounded in size and in time.
//!
//! The runtime collects a non-streaming response body whole before deserializing it, and
//! hyper hands over whatever the server keeps sending. Without a bound, a response that
//! never ends (a misbehaving proxy, a server bug, a hostile peer) keeps a call running and
//! its memory growing forever: the read timeout only covers the wait for the head. So the
//! body this client returns fails once more than the size limit has arrived, or when the
//! body deadline passes, whichever comes first, and the orchestrator reports the failure as
//! a response error with this crate's error as its source.

use crate::timeout::{Deadline, TimeoutError, TimeoutPhase};
use aws_smithy_async::rt::sleep::{AsyncSleep, Sleep};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

type BoxError = Box<dyn StdError + Send + Sync>;

/// A response body was larger than the client's limit ([`crate::Builder::max_response_size`]).
///
/// Its message starts with `HTTP response body exceeds`, the prefix the retry classifier
/// reads (as it reads the timeout prefixes).
#[derive(Debug)]
pub struct ResponseTooLarge {
    limit: u64,
    declared: Option<u64>,
}

impl ResponseTooLarge {
    /// The limit that was exceeded, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The size the response declared in `Content-Length`, when that alone exceeded the
    /// limit (nothing of the body was read then).
    pub fn declared(&self) -> Option<u64> {
        self.declared
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP response body exceeds the max_response_size limit of {} bytes: ",
            self.limit
        )?;
        match self.declared {
            Some(declared) => write!(f, "its Content-Length is {declared}"),
            None => write!(f, "more than {} bytes arrived", self.limit),
        }
    }
}

impl StdError for ResponseTooLarge {}

/// The limits one connector puts on every response body.
#[derive(Clone, Debug)]
pub(crate) struct BodyLimits {
    pub(crate) max_size: u64,
    pub(crate) deadline: Option<Deadline>,
}

/// hyper's body, failing past the size limit or the deadline.
pub(crate) struct LimitedBody {
    inner: Incoming,
    limit: u64,
    read: u64,
    deadline: Option<Deadline>,
    /// Started at the first wait for body bytes, so a body that is ready when first polled
    /// costs no timer.
    timer: Option<Sleep>,
    /// Set once the body ended or failed; it then yields nothing more.
    done: bool,
}

impl LimitedBody {
    pub(crate) fn new(inner: Incoming, limits: &BodyLimits) -> Self {
        LimitedBody {
            inner,
            limit: limits.max_size,
            read: 0,
            deadline: limits.deadline.clone(),
            timer: None,
            done: false,
        }
    }

    fn fail(&mut self, err: BoxError) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.done = true;
        Poll::Ready(Some(Err(err)))
    }

    /// Whether the deadline, once started, has passed.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        match &mut self.timer {
            Some(timer) => Pin::new(timer).poll(cx).is_ready(),
            None => false,
        }
    }

    fn timeout(&self) -> BoxError {
        let after = self.deadline.as_ref().map(|d| d.after).unwrap_or_default();
        TimeoutError::new(TimeoutPhase::Body, after).into()
    }
}

impl fmt::Debug for LimitedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LimitedBody")
            .field("limit", &self.limit)
            .field("read", &self.read)
            .field("deadline", &self.deadline.as_ref().map(|d| d.after))
            .finish_non_exhaustive()
    }
}

impl Body for LimitedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        // A declared length over the limit fails before a byte of the body is read.
        if this.read == 0 && this.inner.size_hint().lower() > this.limit {
            let declared = Some(this.inner.size_hint().lower());
            let limit = this.limit;
            return this.fail(Box::new(ResponseTooLarge { limit, declared }));
        }
        // Checked before reading too: a body whose bytes are always ready is still cut off.
        if this.expired(cx) {
            let timeout = this.timeout();
            return this.fail(timeout);
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.read = this.read.saturating_add(data.len() as u64);
                    if this.read > this.limit {
                        let limit = this.limit;
                        return this.fail(Box::new(ResponseTooLarge {
                            limit,
                            declared: None,
                        }));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(err))) => this.fail(err.into()),
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                if this.timer.is_none() {
                    if let Some(deadline) = &this.deadline {
                        this.timer = Some(deadline.sleep.sleep(deadline.after));
                    }
                }
                if this.expired(cx) {
                    let timeout = this.timeout();
                    return this.fail(timeout);
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        if self.done {
            return SizeHint::with_exact(0);
        }
        self.inner.size_hint()
    }
}
