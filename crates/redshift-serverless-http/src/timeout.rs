//! Connect, read and response body timeouts on the runtime's sleep.

use aws_smithy_async::future::timeout::Timeout;
use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
use hyper::Uri;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Which phase of a request ran out of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection: TCP connect and TLS handshake.
    Connect,
    /// Waiting for the response head after the request was written.
    Read,
    /// Reading the response body after its head arrived ([`crate::Builder::body_timeout`]).
    Body,
}

/// A request ran out of time. Its message starts with `HTTP connect timeout` or `HTTP read
/// timeout`, the prefixes the retry classifier (and aws-smithy-http-client) use for the
/// two phases, or `HTTP response body timeout` for a body that did not arrive whole in time
/// (a response error, which the classifier tells apart by where it happened).
#[derive(Debug)]
pub struct TimeoutError {
    phase: TimeoutPhase,
    after: Duration,
}

impl TimeoutError {
    pub(crate) fn new(phase: TimeoutPhase, after: Duration) -> Self {
        TimeoutError { phase, after }
    }

    /// The phase that timed out.
    pub fn phase(&self) -> TimeoutPhase {
        self.phase
    }

    /// The timeout that elapsed.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = match self.phase {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::Read => "read",
            TimeoutPhase::Body => "response body",
        };
        write!(f, "HTTP {phase} timeout occurred after {:?}", self.after)
    }
}

impl StdError for TimeoutError {}

/// A timeout: the sleep to race against and how long.
#[derive(Clone, Debug)]
pub(crate) struct Deadline {
    pub(crate) sleep: SharedAsyncSleep,
    pub(crate) after: Duration,
}

impl Deadline {
    /// `future`'s output, or a [`TimeoutError`] for `phase` when the deadline passes first.
    pub(crate) fn bound<F>(
        &self,
        phase: TimeoutPhase,
        future: F,
    ) -> impl Future<Output = Result<F::Output, TimeoutError>> + Send + 'static
    where
        F: Future + Send + 'static,
    {
        let timeout = Timeout::new(future, self.sleep.sleep(self.after));
        let after = self.after;
        async move {
            timeout
                .await
                .map_err(|_elapsed| TimeoutError { phase, after })
        }
    }
}

/// A connector (a `tower` service from URI to connection) whose connections must be
/// established, TLS included, within a deadline.
#[derive(Clone, Debug)]
pub(crate) struct ConnectTimeout<C> {
    pub(crate) inner: C,
    pub(crate) deadline: Option<Deadline>,
}

type ConnectFuture<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

impl<C> tower_service::Service<Uri> for ConnectTimeout<C>
where
    C: tower_service::Service<Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
    C::Response: 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = ConnectFuture<C::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        match &self.deadline {
            Some(deadline) => {
                let bounded = deadline.bound(TimeoutPhase::Connect, connecting);
                Box::pin(async move {
                    match bounded.await {
                        Ok(connected) => connected.map_err(Into::into),
                        Err(timeout) => Err(timeout.into()),
                    }
                })
            }
            None => Box::pin(async move { connecting.await.map_err(Into::into) }),
        }
    }
}
