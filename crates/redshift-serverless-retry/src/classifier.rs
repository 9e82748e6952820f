//! The aws-smithy-runtime adapter: reads an `InterceptorContext`, builds an
//! [`AttemptOutcome`] and turns the [`Verdict`] into a `RetryAction`.

use crate::classify::{
    classify, AttemptOutcome, ErrorResponse, ModeledErrors, RetryPolicy, TransportFailure, Verdict,
    RETRY_AFTER_HEADER,
};
use crate::skew::MeasuredClockSkew;
use aws_smithy_runtime_api::client::dns::ResolveDnsError;
use aws_smithy_runtime_api::client::interceptors::context::{
    Error as OperationError, InterceptorContext,
};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority, RetryReason,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::ErrorKind;
use std::error::Error as StdError;
use std::fmt;
use std::marker::PhantomData;

/// The final-word retry classifier for one operation whose error type is `E`.
///
/// Register it on the operation (or client) *in addition to* the default classifiers: it
/// runs after all of them (priority `run_after(transient_error_classifier())` = 21) and
/// answers `RetryIndicated` or `RetryForbidden` for every failed attempt, so their verdicts
/// never survive it. One caveat is structural: a classifier that runs earlier and returns
/// `RetryForbidden` stops the chain before this one is consulted. None of the smithy-rs or
/// aws-runtime defaults ever forbids.
pub struct RedshiftRetryClassifier<E> {
    errors: ModeledErrors<'static>,
    policy: RetryPolicy,
    _error: PhantomData<fn() -> E>,
}

impl<E> RedshiftRetryClassifier<E> {
    /// A classifier for an operation whose errors the model describes as `errors` (the
    /// generated `<Operation>Error::MODELED_ERROR_CODES` and `RETRYABLE_ERRORS`).
    pub const fn new(errors: ModeledErrors<'static>, policy: RetryPolicy) -> Self {
        Self {
            errors,
            policy,
            _error: PhantomData,
        }
    }

    /// The priority this classifier runs at.
    pub fn priority() -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

impl<E> Clone for RedshiftRetryClassifier<E> {
    fn clone(&self) -> Self {
        Self::new(self.errors, self.policy)
    }
}

impl<E> fmt::Debug for RedshiftRetryClassifier<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedshiftRetryClassifier")
            .field("errors", &self.errors)
            .field("policy", &self.policy)
            .finish()
    }
}

impl<E> RedshiftRetryClassifier<E>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    /// Runs the pure classifier on an interceptor context.
    pub fn verdict(&self, ctx: &InterceptorContext) -> Verdict {
        verdict(ctx, &self.errors, &self.policy, code_of::<E>)
    }
}

/// The modeled error's code, when the operation error is an `E`.
fn code_of<E>(error: &OperationError) -> Option<&str>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    error.downcast_ref::<E>().and_then(|e| e.code())
}

/// [`RedshiftRetryClassifier::verdict`] for every error type at once: only `code`, which
/// reads an operation error's code, depends on the type, so a client with many operations
/// compiles this once rather than once per operation.
fn verdict(
    ctx: &InterceptorContext,
    errors: &ModeledErrors<'static>,
    policy: &RetryPolicy,
    code: fn(&OperationError) -> Option<&str>,
) -> Verdict {
    let error = match ctx.output_or_error() {
        None | Some(Ok(_)) => return classify(&AttemptOutcome::Success, errors, policy),
        Some(Err(error)) => error,
    };
    if let Some(op_error) = error.as_operation_error() {
        let code = code(op_error);
        return classify(
            &AttemptOutcome::Response(error_response(ctx, code)),
            errors,
            policy,
        );
    }
    // A response received whole that the deserializer could not read: the table's row
    // for its status without a code applies, as when it was an unhandled service error
    // (a 2xx is not retried, a 503 is).
    if error.is_response_error()
        && ctx.response().is_some()
        && error.source().is_some_and(is_unreadable_response)
    {
        return classify(
            &AttemptOutcome::Response(error_response(ctx, None)),
            errors,
            policy,
        );
    }
    let failure = if error.is_timeout_error() {
        timeout_class(error.source())
    } else if error.is_response_error() {
        error
            .source()
            .map_or(TransportFailure::ResponseBodyRead, classify_body_error)
    } else if let Some(connector) = error.as_connector_error() {
        classify_connector_error(connector)
    } else if error.is_interceptor_error() {
        TransportFailure::User
    } else {
        // `OrchestratorError::other`: serialization, signing, endpoint resolution, or a
        // connector error that the orchestrator wrapped. Look for the latter.
        match error.source().and_then(find::<ConnectorError>) {
            Some(connector) => classify_connector_error(connector),
            None => TransportFailure::User,
        }
    };
    classify(&AttemptOutcome::Transport(failure), errors, policy)
}

/// The attempt's response as an error response carrying `code`.
fn error_response<'a>(ctx: &'a InterceptorContext, code: Option<&'a str>) -> ErrorResponse<'a> {
    let response = ctx.response();
    ErrorResponse {
        // No response with an operation error cannot happen in the orchestrator;
        // status 0 then falls through to "non-retryable status".
        status: response.map_or(0, |r| r.status().as_u16()),
        code,
        retry_after: response.and_then(|r| r.headers().get(RETRY_AFTER_HEADER)),
        clock_skew: response
            .and_then(|r| r.extension::<MeasuredClockSkew>())
            .map(|m| m.0),
    }
}

/// The prefix of the `Display` of a generated protocol crate's
/// `json_errors::UnreadableResponse`: a response that arrived whole but is not the
/// operation's output (not JSON, or a member of the wrong type).
pub const UNREADABLE_RESPONSE_PREFIX: &str = "unreadable HTTP response";

/// Whether `err`'s chain holds an unreadable response (see [`UNREADABLE_RESPONSE_PREFIX`]).
fn is_unreadable_response(err: &(dyn StdError + 'static)) -> bool {
    chain(err).any(|e| e.to_string().starts_with(UNREADABLE_RESPONSE_PREFIX))
}

impl<E> ClassifyRetry for RedshiftRetryClassifier<E>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        to_action(self.verdict(ctx))
    }

    fn name(&self) -> &'static str {
        "RedshiftRetryClassifier"
    }

    fn priority(&self) -> RetryClassifierPriority {
        Self::priority()
    }
}

/// Maps a verdict onto the runtime's vocabulary.
pub fn to_action(verdict: Verdict) -> RetryAction {
    match verdict {
        Verdict::Retry {
            kind, retry_after, ..
        } => RetryAction::RetryIndicated(RetryReason::RetryableError {
            kind: kind.error_kind(),
            retry_after,
        }),
        Verdict::Forbid { .. } => RetryAction::RetryForbidden,
        Verdict::NoAction => RetryAction::NoActionIndicated,
    }
}

/// Walks an error chain. After an `io::Error` the next link is its payload (`get_ref`),
/// because `io::Error::source` skips the payload itself.
fn chain<'a>(
    first: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    let mut next = Some(first);
    // Bounded, in case of a pathological self-referencing chain.
    std::iter::from_fn(move || {
        let current = next?;
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
        Some(current)
    })
    .take(64)
}

fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

fn timeout_class(source: Option<&(dyn StdError + 'static)>) -> TransportFailure {
    // The orchestrator's timeout error type is private; its message names the kind.
    let whole_operation = source.is_some_and(|s| {
        chain(s).any(|e| e.to_string().contains("operation timeout (all attempts"))
    });
    if whole_operation {
        TransportFailure::OperationTimeout
    } else {
        TransportFailure::AttemptTimeout
    }
}

/// The class of a failure to read a response body (a response error, as the orchestrator
/// reports it): over the HTTP client's size limit, recognised by the message prefix
/// `HTTP response body exceeds` anywhere in the chain (redshift-serverless-http's
/// `ResponseTooLarge`), else a body read failure. Public for diagnostics and tests.
pub fn classify_body_error(err: &(dyn StdError + 'static)) -> TransportFailure {
    if chain(err).any(|e| e.to_string().starts_with("HTTP response body exceeds")) {
        TransportFailure::ResponseTooLarge
    } else {
        TransportFailure::ResponseBodyRead
    }
}

/// Finds the most specific class in a connector error's chain, then falls back on the kind
/// the HTTP client attached. Public for diagnostics and tests.
pub fn classify_connector_error(err: &ConnectorError) -> TransportFailure {
    let root: &(dyn StdError + 'static) = err;
    if let Some(found) = chain_class(root) {
        return found;
    }
    if err.is_timeout() {
        TransportFailure::ConnectTimeout
    } else if err.is_user() {
        TransportFailure::User
    } else if err.is_io() || err.as_other() == Some(ErrorKind::TransientError) {
        TransportFailure::Io
    } else {
        TransportFailure::Unknown
    }
}

/// GOAWAY and REFUSED_STREAM: the server did not process the request.
#[cfg(feature = "http2")]
fn http2_class(root: &(dyn StdError + 'static)) -> Option<TransportFailure> {
    let h2 = find::<h2::Error>(root)?;
    if h2.is_go_away() {
        Some(TransportFailure::Http2GoAway)
    } else if h2.reason() == Some(h2::Reason::REFUSED_STREAM) {
        Some(TransportFailure::Http2RefusedStream)
    } else {
        None
    }
}

/// Without the `http2` feature no h2 error can be recognised (nor, with the default
/// HTTP/1.1 client, produced).
#[cfg(not(feature = "http2"))]
fn http2_class(_: &(dyn StdError + 'static)) -> Option<TransportFailure> {
    None
}

fn chain_class(root: &(dyn StdError + 'static)) -> Option<TransportFailure> {
    use std::io::ErrorKind as Io;
    use TransportFailure as T;
    // The client's own timeout wrapper says whether it fired while connecting or reading.
    for e in chain(root) {
        let text = e.to_string();
        if text.starts_with("HTTP connect timeout") {
            return Some(T::ConnectTimeout);
        }
        if text.starts_with("HTTP read timeout") {
            return Some(T::ReadTimeout);
        }
    }
    if find::<ResolveDnsError>(root).is_some() {
        return Some(T::Dns);
    }
    if let Some(found) = http2_class(root) {
        return Some(found);
    }
    if let Some(io) = find::<std::io::Error>(root) {
        match io.kind() {
            Io::ConnectionRefused => return Some(T::ConnectionRefused),
            Io::ConnectionReset | Io::ConnectionAborted => return Some(T::ConnectionReset),
            Io::BrokenPipe => return Some(T::BrokenPipe),
            Io::TimedOut => return Some(T::ConnectTimeout),
            _ => {}
        }
    }
    // TLS libraries differ; their messages do not (aws-sdk-rust#889: "unexpected EOF").
    let tls = chain(root).any(|e| {
        let text = e.to_string().to_ascii_lowercase();
        ["tls", "ssl", "certificate", "handshake"]
            .iter()
            .any(|needle| text.contains(needle))
    });
    if tls {
        return Some(T::TlsHandshake);
    }
    if let Some(hyper) = find::<hyper::Error>(root) {
        if hyper.is_incomplete_message() {
            return Some(T::IncompleteMessage);
        }
        if hyper.is_user() {
            return Some(T::User);
        }
        if hyper.is_timeout() {
            return Some(T::ReadTimeout);
        }
    }
    if let Some(legacy) = find::<hyper_util::client::legacy::Error>(root) {
        if legacy.is_connect() {
            return Some(T::ConnectFailed);
        }
    }
    if find::<std::io::Error>(root).is_some() {
        return Some(T::Io);
    }
    None
}

#[cfg(all(test, feature = "http2"))]
mod http2_tests {
    use super::*;

    #[test]
    fn a_refused_stream_is_recognised_under_a_connector_error() {
        let refused = h2::Error::from(h2::Reason::REFUSED_STREAM);
        let err = ConnectorError::other(Box::new(refused), None);
        assert_eq!(
            classify_connector_error(&err),
            TransportFailure::Http2RefusedStream
        );
        let other = ConnectorError::other(Box::new(h2::Error::from(h2::Reason::CANCEL)), None);
        assert_eq!(classify_connector_error(&other), TransportFailure::Unknown);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::RetryKind;
    use aws_smithy_runtime_api::client::interceptors::context::Input;
    use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, OrchestratorError};
    use aws_smithy_types::body::SdkBody;

    #[derive(Debug)]
    struct Code(aws_smithy_types::error::ErrorMetadata);
    impl fmt::Display for Code {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("code")
        }
    }
    impl StdError for Code {}
    impl ProvideErrorMetadata for Code {
        fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata {
            &self.0
        }
    }

    /// A context whose attempt ended in a response error with `source`, after a response
    /// with `status` and `body` was received.
    fn response_error(status: u16, body: SdkBody, source: &str) -> InterceptorContext {
        let mut ctx = InterceptorContext::new(Input::doesnt_matter());
        let response = http::Response::builder().status(status).body(body).unwrap();
        ctx.set_response(HttpResponse::try_from(response).unwrap());
        ctx.set_output_or_error(Err(OrchestratorError::response(source.into())));
        ctx
    }

    #[test]
    fn response_errors_are_classified_by_what_failed() {
        let classifier =
            RedshiftRetryClassifier::<Code>::new(ModeledErrors::NONE, RetryPolicy::default());
        let too_large = "HTTP response body exceeds the max_response_size limit of 10 bytes: \
                         more than 10 bytes arrived";
        let unreadable = "unreadable HTTP response: the body of HTTP 200 (content-type \
                          text/html, 6 bytes) is not a GetIdentityCenterAuthTokenOutput";
        let as_status = |status| {
            classify(
                &AttemptOutcome::Response(ErrorResponse::status(status)),
                &ModeledErrors::NONE,
                &RetryPolicy::default(),
            )
        };
        assert!(matches!(as_status(200), Verdict::Forbid { .. }));
        assert_eq!(as_status(503).kind(), Some(RetryKind::Transient));
        let cases: [(&str, InterceptorContext, Verdict); 4] = [
            (
                "a success that cannot be read: as a 200 without a code, not retried",
                response_error(200, SdkBody::from("<html>"), unreadable),
                as_status(200),
            ),
            (
                "a 503 that cannot be read: as a 503 without a code, retried",
                response_error(503, SdkBody::from("<html>"), unreadable),
                as_status(503),
            ),
            (
                "body over the size limit",
                response_error(200, SdkBody::taken(), too_large),
                Verdict::Forbid {
                    reason: "response body over the size limit: a retry would read as much again",
                },
            ),
            (
                "body read cut short",
                response_error(200, SdkBody::taken(), "connection reset"),
                Verdict::Retry {
                    kind: RetryKind::Transient,
                    retry_after: None,
                    reason: "connection failed after send; operation is idempotent",
                },
            ),
        ];
        for (name, ctx, expected) in cases {
            assert_eq!(classifier.verdict(&ctx), expected, "{name}");
        }
    }
}
