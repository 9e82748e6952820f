//! `--cli-read-timeout` for the response body.
//!
//! The AWS CLI's read timeout is a socket-read timeout: every read from the connection must
//! return data within the limit, whether it waits for the status line or for the rest of the
//! body. The HTTP client's `read_timeout` (redshift-serverless-http's, like
//! aws-smithy-http-client's) only bounds the wait up to the response headers, so a body that stalls halfway would hang the command. [`BodyReadTimeout`] covers
//! the rest: it wraps the response body so that each wait for the next piece of it is bounded
//! by the same limit (an idle timeout, reset whenever data arrives, not a cap on the total).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// An interceptor that fails the attempt when the response body goes `timeout` without
/// delivering any data.
#[derive(Debug, Clone, Copy)]
pub struct BodyReadTimeout {
    timeout: Duration,
}

impl BodyReadTimeout {
    /// Bounds each wait for response body data by `timeout`.
    pub fn new(timeout: Duration) -> Self {
        BodyReadTimeout { timeout }
    }
}

impl Intercept for BodyReadTimeout {
    fn name(&self) -> &'static str {
        "BodyReadTimeout"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let sleep = runtime_components
            .sleep_impl()
            .ok_or("--cli-read-timeout needs an async sleep implementation")?;
        let timeout = self.timeout;
        let body = std::mem::replace(context.response_mut().body_mut(), SdkBody::taken());
        let body = body.map_preserve_contents(move |inner| {
            SdkBody::from_body_1_x(IdleTimeoutBody {
                inner,
                timeout,
                sleep: sleep.clone(),
                timer: None,
            })
        });
        *context.response_mut().body_mut() = body;
        Ok(())
    }
}

/// The error a stalled response body ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyReadTimeoutError {
    /// The limit that was exceeded.
    pub timeout: Duration,
}

impl fmt::Display for BodyReadTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no response body data arrived for {:?} (--cli-read-timeout)",
            self.timeout
        )
    }
}

impl StdError for BodyReadTimeoutError {}

/// `inner`, except that a wait of `timeout` without a frame is an error.
#[derive(Debug)]
struct IdleTimeoutBody {
    inner: SdkBody,
    timeout: Duration,
    sleep: SharedAsyncSleep,
    /// Armed when the inner body is pending, dropped when it yields.
    timer: Option<Sleep>,
}

impl Body for IdleTimeoutBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.timer = None;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let timer = this
                    .timer
                    .get_or_insert_with(|| this.sleep.sleep(this.timeout));
                match Pin::new(timer).poll(cx) {
                    Poll::Ready(()) => {
                        this.timer = None;
                        Poll::Ready(Some(Err(Box::new(BodyReadTimeoutError {
                            timeout: this.timeout,
                        }))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_async::rt::sleep::TokioSleep;
    use http_body_util::BodyExt;

    fn wrap(inner: SdkBody, timeout: Duration) -> IdleTimeoutBody {
        IdleTimeoutBody {
            inner,
            timeout,
            sleep: SharedAsyncSleep::new(TokioSleep::new()),
            timer: None,
        }
    }

    /// A body that yields `first`, then waits `gap`, then yields `second`.
    fn gapped(first: &'static [u8], gap: Duration, second: &'static [u8]) -> SdkBody {
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        tokio::spawn(async move {
            let _ = tx.send(Bytes::from_static(first)).await;
            tokio::time::sleep(gap).await;
            let _ = tx.send(Bytes::from_static(second)).await;
        });
        SdkBody::from_body_1_x(ChannelBody(rx))
    }

    struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

    impl Body for ChannelBody {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            self.get_mut()
                .0
                .poll_recv(cx)
                .map(|b| b.map(|b| Ok(Frame::data(b))))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_gap_longer_than_the_timeout_fails_the_body() {
        let body = wrap(
            gapped(b"{\"tok", Duration::from_secs(30), b"en\":\"x\"}"),
            Duration::from_secs(1),
        );
        let err = body.collect().await.expect_err("stalled body must fail");
        let err = err
            .downcast_ref::<BodyReadTimeoutError>()
            .expect("the timeout error itself");
        assert_eq!(err.timeout, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn gaps_shorter_than_the_timeout_are_fine() {
        let body = wrap(
            gapped(b"{\"tok", Duration::from_millis(900), b"en\":\"x\"}"),
            Duration::from_secs(1),
        );
        let bytes = body.collect().await.expect("body completes").to_bytes();
        assert_eq!(&bytes[..], b"{\"token\":\"x\"}");
    }
}
