//! The pure verdict function: no I/O, no clock, no allocation, total over its inputs.

use std::fmt;
use std::time::Duration;

/// The fourteen error codes every AWS SDK treats as throttling (identical in botocore's
/// `standard.py` and aws-runtime's `THROTTLING_ERRORS`, same order).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Codes that mean "the request timed out on the service side": retried as transient.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Codes that may be caused by a skewed client clock (aws-runtime's `CLOCK_SKEW_ERROR_CODES`).
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "AccessDeniedException",
];

/// HTTP statuses retried as transient whatever the error code says.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The skew magnitude above which a skew-code error is retried (same as aws-runtime).
pub const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Name of the header through which a service asks for a minimum delay, in integer milliseconds.
pub const RETRY_AFTER_HEADER: &str = "x-amz-retry-after";

/// A signed clock offset: positive when the service clock is ahead of ours.
///
/// `std::time::Duration` is unsigned, and the sign matters to the signer (but not to the
/// classifier, which only compares the magnitude with [`SKEW_THRESHOLD`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClockSkew {
    millis: i64,
}

impl ClockSkew {
    /// A skew of `millis` milliseconds (positive: service ahead).
    pub const fn from_millis(millis: i64) -> Self {
        Self { millis }
    }

    /// A skew of `secs` seconds, saturating.
    pub const fn from_secs(secs: i64) -> Self {
        Self {
            millis: secs.saturating_mul(1000),
        }
    }

    /// The signed value in milliseconds.
    pub const fn as_millis(self) -> i64 {
        self.millis
    }

    /// The absolute size of the offset.
    pub const fn magnitude(self) -> Duration {
        Duration::from_millis(self.millis.unsigned_abs())
    }

    /// True when the offset is large enough for a skew-code error to be worth a retry.
    pub const fn exceeds_threshold(self) -> bool {
        // `>` and not `>=`: aws-runtime treats exactly 4 minutes as "not skewed".
        self.millis.unsigned_abs() > SKEW_THRESHOLD.as_millis() as u64
    }
}

/// Why an attempt produced no HTTP response (or no complete one).
///
/// "Pre-send" classes failed before the service could have seen the request, so a retry is
/// always safe. "Ambiguous" classes failed after the request may have been processed; they
/// are retried only when [`RetryPolicy::idempotent`] is true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// TCP (or TLS) connection not established in time. Pre-send.
    ConnectTimeout,
    /// Host name did not resolve. Pre-send.
    Dns,
    /// The peer refused the TCP connection. Pre-send.
    ConnectionRefused,
    /// TLS handshake failed (including "unexpected EOF" during the handshake). Pre-send.
    TlsHandshake,
    /// Another failure while connecting (unreachable network, proxy refusal). Pre-send.
    ConnectFailed,
    /// Connection reset or aborted by the peer. Ambiguous.
    ConnectionReset,
    /// Write on a closed socket (EPIPE). Ambiguous.
    BrokenPipe,
    /// HTTP/2 GOAWAY: the stream was above the last stream id the server processed. Pre-send.
    Http2GoAway,
    /// HTTP/2 RST_STREAM(REFUSED_STREAM): the server did no work on the stream. Pre-send.
    Http2RefusedStream,
    /// The peer closed the connection before a complete response head. Ambiguous.
    IncompleteMessage,
    /// No response bytes within the read timeout. Ambiguous.
    ReadTimeout,
    /// Another socket I/O error of unknown phase. Ambiguous.
    Io,
    /// Reading the body failed after the headers arrived (EOF, reset, short body, the body
    /// deadline passed). Ambiguous.
    ResponseBodyRead,
    /// The response body exceeded the HTTP client's size limit: a retry would read as much
    /// again, so it is final.
    ResponseTooLarge,
    /// The per-attempt timeout fired. Ambiguous.
    AttemptTimeout,
    /// The whole-operation timeout fired: the caller's budget is spent.
    OperationTimeout,
    /// Request construction or another caller error: a retry would fail the same way.
    User,
    /// The request body is a one-shot stream and cannot be sent again.
    BodyNotRewindable,
    /// Nothing recognisable in the error chain.
    Unknown,
}

impl TransportFailure {
    /// Every class, for tables and tests.
    pub const ALL: &'static [TransportFailure] = &[
        Self::ConnectTimeout,
        Self::Dns,
        Self::ConnectionRefused,
        Self::TlsHandshake,
        Self::ConnectFailed,
        Self::ConnectionReset,
        Self::BrokenPipe,
        Self::Http2GoAway,
        Self::Http2RefusedStream,
        Self::IncompleteMessage,
        Self::ReadTimeout,
        Self::Io,
        Self::ResponseBodyRead,
        Self::ResponseTooLarge,
        Self::AttemptTimeout,
        Self::OperationTimeout,
        Self::User,
        Self::BodyNotRewindable,
        Self::Unknown,
    ];

    /// True when the request may have reached (and been processed by) the service.
    pub const fn is_ambiguous(self) -> bool {
        matches!(
            self,
            Self::ConnectionReset
                | Self::BrokenPipe
                | Self::IncompleteMessage
                | Self::ReadTimeout
                | Self::Io
                | Self::ResponseBodyRead
                | Self::AttemptTimeout
        )
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// An error response as seen by the classifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorResponse<'a> {
    /// HTTP status code.
    pub status: u16,
    /// Sanitised error code (`ThrottlingException`, not `aws#ThrottlingException:http://...`).
    pub code: Option<&'a str>,
    /// The raw `x-amz-retry-after` header value, if any.
    pub retry_after: Option<&'a str>,
    /// Clock skew measured from this response's `Date` header, if any.
    pub clock_skew: Option<ClockSkew>,
}

impl<'a> ErrorResponse<'a> {
    /// A response with only a status: no code, no header, no skew.
    pub const fn status(status: u16) -> Self {
        Self {
            status,
            code: None,
            retry_after: None,
            clock_skew: None,
        }
    }

    /// Sets the error code. Whether the operation models it is for [`ModeledErrors`] to say.
    pub const fn with_code(mut self, code: &'a str) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the raw `x-amz-retry-after` value.
    pub const fn with_retry_after(mut self, raw: &'a str) -> Self {
        self.retry_after = Some(raw);
        self
    }

    /// Sets the measured clock skew.
    pub const fn with_clock_skew(mut self, skew: ClockSkew) -> Self {
        self.clock_skew = Some(skew);
        self
    }
}

/// What the model says about one operation's errors: every error code the operation models,
/// and which of them carry `@retryable`, each with the trait's `throttling` flag.
///
/// These are model facts, so the classifier takes them as input: the generated types crate
/// exports them per operation as `<Operation>Error::MODELED_ERROR_CODES` and
/// `<Operation>Error::RETRYABLE_ERRORS`, and the generated client passes them to
/// [`RedshiftRetryClassifier::new`](crate::RedshiftRetryClassifier::new). A `@retryable`
/// entry counts only when `codes` lists its code too (a retryable error the operation does
/// not model cannot be told apart from an unknown one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModeledErrors<'a> {
    codes: &'a [&'a str],
    retryable: &'a [(&'a str, bool)],
}

impl<'a> ModeledErrors<'a> {
    /// An operation that models no errors.
    pub const NONE: ModeledErrors<'static> = ModeledErrors::new(&[], &[]);

    /// The facts of an operation modeling `codes`, of which `retryable` lists the
    /// `@retryable` ones as `(code, throttling)`.
    pub const fn new(codes: &'a [&'a str], retryable: &'a [(&'a str, bool)]) -> Self {
        Self { codes, retryable }
    }

    /// Every error code the operation models.
    pub const fn codes(&self) -> &'a [&'a str] {
        self.codes
    }

    /// The `@retryable` errors, as `(code, throttling)`.
    pub const fn retryable_errors(&self) -> &'a [(&'a str, bool)] {
        self.retryable
    }

    /// True when the operation models an error with this code.
    pub fn is_modeled(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }

    /// `Some(throttling)` when the operation models `code` as `@retryable`, else `None`.
    pub fn retryable(&self, code: &str) -> Option<bool> {
        if !self.is_modeled(code) {
            return None;
        }
        self.retryable
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(_, throttling)| throttling)
    }
}

/// How one attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome<'a> {
    /// The operation succeeded.
    Success,
    /// The service answered with an error.
    Response(ErrorResponse<'a>),
    /// No usable response.
    Transport(TransportFailure),
}

/// Caller-side facts the verdict depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Whether repeating a request that may already have been processed is harmless.
    ///
    /// `GetIdentityCenterAuthToken` only mints a short-lived token, so the default is `true`.
    /// With `false`, ambiguous transport failures ([`TransportFailure::is_ambiguous`]) are
    /// forbidden; failures before the request left, and error responses, are unaffected.
    pub idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { idempotent: true }
    }
}

impl RetryPolicy {
    /// The policy for a non-idempotent operation.
    pub const fn non_idempotent() -> Self {
        Self { idempotent: false }
    }
}

/// The retry class, which decides backoff base and token cost in the strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryKind {
    /// Service asked us to slow down: 1 s base, cost 5, feeds the adaptive limiter.
    Throttling,
    /// Network or gateway trouble: 50 ms base (2.1).
    Transient,
    /// Service-side fault or corrected clock skew: 50 ms base (2.1).
    Server,
}

impl RetryKind {
    /// The smithy error kind handed to the retry strategy.
    pub const fn error_kind(self) -> aws_smithy_types::retry::ErrorKind {
        use aws_smithy_types::retry::ErrorKind;
        match self {
            Self::Throttling => ErrorKind::ThrottlingError,
            Self::Transient => ErrorKind::TransientError,
            Self::Server => ErrorKind::ServerError,
        }
    }
}

/// The classifier's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Retry (if attempts and retry quota remain).
    Retry {
        /// Which backoff/cost class applies.
        kind: RetryKind,
        /// The parsed `x-amz-retry-after`, unclamped. The strategy clamps it.
        retry_after: Option<Duration>,
        /// A short, stable explanation for logs and tables.
        reason: &'static str,
    },
    /// Do not retry, whatever earlier classifiers said.
    Forbid {
        /// A short, stable explanation for logs and tables.
        reason: &'static str,
    },
    /// Nothing to do: the attempt succeeded.
    NoAction,
}

impl Verdict {
    /// True for [`Verdict::Retry`].
    pub const fn is_retry(&self) -> bool {
        matches!(self, Self::Retry { .. })
    }

    /// The retry kind, if any.
    pub const fn kind(&self) -> Option<RetryKind> {
        match self {
            Self::Retry { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retry {
                kind,
                retry_after,
                reason,
            } => {
                write!(f, "retry {kind:?}")?;
                if let Some(d) = retry_after {
                    write!(f, " after={}ms", d.as_millis())?;
                }
                write!(f, " ({reason})")
            }
            Self::Forbid { reason } => write!(f, "forbid ({reason})"),
            Self::NoAction => f.write_str("no action"),
        }
    }
}

fn contains(list: &[&str], code: Option<&str>) -> bool {
    code.is_some_and(|c| list.contains(&c))
}

/// Parses `x-amz-retry-after`: a non-negative integer count of milliseconds.
///
/// Surrounding ASCII whitespace is tolerated; anything else (negative, fractional,
/// overflowing, empty) yields `None` so the computed backoff is used unchanged.
pub fn parse_retry_after(raw: &str) -> Option<Duration> {
    let trimmed = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    trimmed.parse::<u64>().ok().map(Duration::from_millis)
}

/// Classifies one attempt of an operation whose errors the model describes as `errors`.
/// Total, deterministic and panic-free.
///
/// See the crate documentation for the precedence of the rules.
pub fn classify(
    outcome: &AttemptOutcome<'_>,
    errors: &ModeledErrors<'_>,
    policy: &RetryPolicy,
) -> Verdict {
    match outcome {
        AttemptOutcome::Success => Verdict::NoAction,
        AttemptOutcome::Transport(failure) => classify_transport(*failure, policy),
        AttemptOutcome::Response(response) => {
            // The kind is fixed first; the header only ever adds a delay to a retry.
            match classify_response(response, errors) {
                Ok((kind, reason)) => Verdict::Retry {
                    kind,
                    retry_after: response.retry_after.and_then(parse_retry_after),
                    reason,
                },
                Err(reason) => Verdict::Forbid { reason },
            }
        }
    }
}

fn classify_response(
    r: &ErrorResponse<'_>,
    errors: &ModeledErrors<'_>,
) -> Result<(RetryKind, &'static str), &'static str> {
    let code = r.code;
    let modeled = code.is_some_and(|c| errors.is_modeled(c));
    let retryable = code.and_then(|c| errors.retryable(c));
    // 1. Throttling: the fixed list wins even over a modeled `throttling: false`, a modeled
    //    `@retryable(throttling: true)` is throttling, and a 429 whose code the operation
    //    does not model is throttling (botocore's status checker).
    if contains(THROTTLING_CODES, code) {
        return Ok((RetryKind::Throttling, "throttling error code"));
    }
    if retryable == Some(true) {
        return Ok((RetryKind::Throttling, "modeled retryable throttling error"));
    }
    if r.status == 429 && !modeled {
        return Ok((RetryKind::Throttling, "429 without a modeled error code"));
    }
    // 2. Service-side request timeout codes.
    if contains(TRANSIENT_CODES, code) {
        return Ok((RetryKind::Transient, "transient error code"));
    }
    // 3. Signature-type errors caused by our clock: the skew interceptor has already moved
    //    the signing time, so a retry is signed correctly.
    let skew_code = contains(CLOCK_SKEW_CODES, code);
    if skew_code && r.clock_skew.is_some_and(ClockSkew::exceeds_threshold) {
        return Ok((RetryKind::Server, "clock skew over 4 min, re-signed"));
    }
    // 4. Modeled @retryable (non-throttling) errors.
    if retryable == Some(false) {
        return Ok((RetryKind::Server, "modeled retryable server error"));
    }
    // 5. Gateway/server statuses, unless the code already decided: a modeled error, a
    //    signature code or an expired-credentials code is final whatever the status (the
    //    target table is keyed by code first; botocore and smithy-rs retry any 5xx).
    let expired_code = matches!(code, Some("ExpiredToken" | "ExpiredTokenException"));
    if TRANSIENT_STATUSES.contains(&r.status) && !modeled && !skew_code && !expired_code {
        return Ok((RetryKind::Transient, "transient HTTP status"));
    }
    // Everything else is final. The reasons only explain *which* final rule applied.
    Err(if skew_code {
        "signature/auth error and no clock skew over 4 min measured"
    } else if expired_code {
        "expired credentials: refresh belongs to the identity layer"
    } else if modeled {
        "modeled non-retryable error"
    } else if (400..500).contains(&r.status) {
        "client error status"
    } else {
        "non-retryable status"
    })
}

fn classify_transport(failure: TransportFailure, policy: &RetryPolicy) -> Verdict {
    use TransportFailure as T;
    let retry = |reason| Verdict::Retry {
        kind: RetryKind::Transient,
        retry_after: None,
        reason,
    };
    if failure.is_ambiguous() && !policy.idempotent {
        return Verdict::Forbid {
            reason: "request may have been processed and the operation is not idempotent",
        };
    }
    match failure {
        T::ConnectTimeout
        | T::Dns
        | T::ConnectionRefused
        | T::TlsHandshake
        | T::ConnectFailed
        | T::Http2GoAway
        | T::Http2RefusedStream => retry("connection failed before the request was processed"),
        T::ConnectionReset
        | T::BrokenPipe
        | T::IncompleteMessage
        | T::ReadTimeout
        | T::Io
        | T::ResponseBodyRead
        | T::AttemptTimeout => retry("connection failed after send; operation is idempotent"),
        T::OperationTimeout => Verdict::Forbid {
            reason: "operation timeout: the caller's time budget is spent",
        },
        T::ResponseTooLarge => Verdict::Forbid {
            reason: "response body over the size limit: a retry would read as much again",
        },
        T::User => Verdict::Forbid {
            reason: "user or construction error",
        },
        T::BodyNotRewindable => Verdict::Forbid {
            reason: "request body cannot be replayed",
        },
        T::Unknown => {
            // Logged so that an unrecognised error that should be retried gets noticed
            // (aws-sdk-rust#1118 went unnoticed for the lack of this).
            tracing::warn!("unrecognised transport failure; not retrying");
            Verdict::Forbid {
                reason: "unrecognised transport failure",
            }
        }
    }
}
