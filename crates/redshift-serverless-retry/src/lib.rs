//! Retry classification for the generated Redshift Serverless operations (first of all
//! `GetIdentityCenterAuthToken`).
//!
//! # Why this crate exists
//!
//! The official Rust SDK decides retries with a chain of classifiers where a later one
//! overwrites an earlier one. For `GetIdentityCenterAuthToken` that chain loses information:
//! the modeled `ThrottlingException` is `@retryable(throttling: false)`, so the modeled-error
//! classifier turns an obvious throttle into a `ClientError` (no adaptive slowdown, wrong
//! backoff base) and drops `x-amz-retry-after` on the way; a bare 429 is not retried at all.
//! botocore gets throttling right, but knows nothing about clock skew. This crate combines the two:
//!
//! * **botocore's throttling semantics** — a code on the fixed throttling list is throttling
//!   whatever the model says, and a 429 whose code the operation does not model is throttling;
//! * **smithy-rs clock-skew handling** — a signature-type error is retried once the measured
//!   skew exceeds 4 minutes, and the retry is signed at the corrected time;
//! * **the retry-after header is never lost** — one function fixes the retry kind first and
//!   only then attaches the parsed header, so no later step can drop it, and the header can
//!   never make an error retryable on its own.
//!
//! # Pieces
//!
//! * [`classify`]: the pure, total verdict function over an [`AttemptOutcome`] and the
//!   operation's [`ModeledErrors`].
//! * [`ModeledErrors`]: the model's facts about one operation's errors (the codes it models,
//!   the `@retryable` ones and their `throttling` flag). This crate holds none of its own:
//!   the generated types crate exports them per operation and the generated client passes
//!   them in.
//! * [`RedshiftRetryClassifier`]: a `ClassifyRetry` that runs last and always has the final
//!   word (see its docs for the one structural caveat).
//! * [`ClockSkewInterceptor`]: must be registered for skew retries to happen.
//! * [`retry_config`]: the strategy settings (3 attempts, 20 s cap, Retry Behavior 2.1).
//! * [`bounded_retry_config`] and [`identity_load_timeout`]: the bounds a client holds any
//!   `RetryConfig` to ([`MAX_ATTEMPTS`] attempts), so no setting makes the runtime loop or
//!   panic before the first request.
//!
//! # Precedence (error responses)
//!
//! The first rule that says "retry" fixes the kind; when none does, the verdict is `Forbid`.
//!
//! 1. code on the 14-code throttling list → **Throttling** (even when modeled with
//!    `throttling: false`, even on a 400); a code the operation models as
//!    `@retryable(throttling: true)` → **Throttling**;
//! 2. status 429 and the code is absent or not modeled by the operation → **Throttling**;
//! 3. `RequestTimeout` / `RequestTimeoutException` → **Transient**;
//! 4. clock-skew code (`InvalidSignatureException`, `SignatureDoesNotMatch`, `AuthFailure`,
//!    `RequestTimeTooSkewed`, `AccessDeniedException`) and |skew| > 4 min → **Server**;
//! 5. code the operation models as `@retryable` without `throttling` (for
//!    `GetIdentityCenterAuthToken`, `InternalServerException`; its `ThrottlingException` is
//!    modeled so too, but rule 1 has already made it throttling) → **Server**;
//! 6. status 500/502/503/504 with no code or a code that decides nothing (unmodeled, not a
//!    skew or expired-credentials code) → **Transient**;
//! 7. anything else → **Forbid**: other 4xx, `ExpiredToken(Exception)`, modeled client errors
//!    (on any status: `ValidationException` on a 503 is still a validation failure; both
//!    SDKs retry it as a 5xx), skew codes with a small or unknown skew, 1xx–3xx and other
//!    5xx statuses.
//!
//! Then, for a retry only, `x-amz-retry-after` (integer milliseconds; negative, fractional or
//! garbage values are ignored) becomes `retry_after`. The classifier reports the value as
//! sent. Clamping it to `[t_i, t_i + 5 s]` around the computed backoff `t_i` is done by
//! aws-smithy-runtime's `StandardRetryStrategy::calculate_backoff` when the retry spec is 2.1
//! (which [`retry_config`] selects); under 2.0 that function uses `min(header, max_backoff)`.
//!
//! # Transport failures
//!
//! Failures before the request could be processed (connect timeout, DNS, refused, TLS
//! handshake, other connect failures, HTTP/2 GOAWAY and REFUSED_STREAM, the last two only
//! with the `http2` feature) are always retried as
//! **Transient**. Failures after the request may have been processed (reset, EPIPE,
//! incomplete message, read timeout, other I/O, body read failure, attempt timeout) are
//! retried only when [`RetryPolicy::idempotent`] is true, which is the default here because
//! the operation just mints a short-lived token. User errors, the operation timeout, a
//! one-shot body, a response body over the HTTP client's size limit (its message starts
//! `HTTP response body exceeds`; a retry would read as much again) and unrecognised errors
//! are forbidden (the last one logged with `tracing::warn!`).
//!
//! A response that arrived whole but could not be deserialized (a generated protocol
//! crate's `UnreadableResponse`, whose message starts [`UNREADABLE_RESPONSE_PREFIX`]) is
//! not a transport failure: it is classified as an error response of its status without a
//! code, so an unreadable 200 is not retried and an unreadable 503 is.
//!
//! # Wiring into a client
//!
//! ```
//! use aws_smithy_runtime::client::orchestrator::operation::Operation;
//! use redshift_serverless_retry::{
//!     retry_config, ClockSkewInterceptor, ModeledErrors, RedshiftRetryClassifier, RetryPolicy,
//! };
//! # #[derive(Debug)] struct MyError(aws_smithy_types::error::ErrorMetadata);
//! # impl std::fmt::Display for MyError {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("e") }
//! # }
//! # impl std::error::Error for MyError {}
//! # impl aws_smithy_types::error::metadata::ProvideErrorMetadata for MyError {
//! #     fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata { &self.0 }
//! # }
//! // What the model says of the operation's errors; a generated client passes
//! // `<Operation>Error::MODELED_ERROR_CODES` and `<Operation>Error::RETRYABLE_ERRORS`.
//! const ERRORS: ModeledErrors<'static> = ModeledErrors::new(
//!     &["InternalServerException", "ThrottlingException", "ValidationException"],
//!     &[("InternalServerException", false), ("ThrottlingException", false)],
//! );
//! let builder = Operation::builder()
//!     .standard_retry(&retry_config(aws_smithy_types::retry::RetryMode::Standard, 3))
//!     // Measures skew for the classifier and makes the signer use it on the retry.
//!     .interceptor(ClockSkewInterceptor::new())
//!     .retry_classifier(RedshiftRetryClassifier::<MyError>::new(
//!         ERRORS,
//!         RetryPolicy::default(),
//!     ));
//! # let _ = builder;
//! ```
//!
//! [`ClockSkewInterceptor`] stores the skew to sign with as
//! `redshift_serverless_signer::SigningClockSkew`, which the signer of
//! `redshift-serverless-signer` (the one the generated client registers) reads. aws-runtime's
//! SigV4 signer reads only the crate-private value of its own `ServiceClockSkewInterceptor`:
//! with that signer, register both interceptors (and accept that the skew is measured twice).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod classifier;
mod classify;
mod config;
mod skew;

pub use classifier::{
    classify_body_error, classify_connector_error, to_action, RedshiftRetryClassifier,
    UNREADABLE_RESPONSE_PREFIX,
};
pub use classify::{
    classify, parse_retry_after, AttemptOutcome, ClockSkew, ErrorResponse, ModeledErrors,
    RetryKind, RetryPolicy, TransportFailure, Verdict, CLOCK_SKEW_CODES, RETRY_AFTER_HEADER,
    SKEW_THRESHOLD, THROTTLING_CODES, TRANSIENT_CODES, TRANSIENT_STATUSES,
};
pub use config::{
    bounded_retry_config, identity_load_timeout, retry_config, MAX_ATTEMPTS, MAX_BACKOFF,
    MAX_BACKOFF_LIMIT, MAX_IDENTITY_LOAD_TIMEOUT,
};
pub use skew::{measure_skew, ClockSkewInterceptor, MeasuredClockSkew};
