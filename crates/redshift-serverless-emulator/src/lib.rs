//! A local emulator of the Amazon Redshift Serverless `GetIdentityCenterAuthToken` operation.
//!
//! It exists so the client, retry and CLI crates of this workspace can be tested end to end
//! without an AWS account: it speaks the same awsJson 1.1 wire protocol as the real service,
//! checks SigV4 signatures for real (a wrong secret or a body altered after signing is
//! refused, as AWS would), validates input against the model's constraints on its own, and
//! answers with the real error shapes and status codes. On top of that it can misbehave on
//! purpose — scripted or seeded-random errors, throttling, latency, dropped connections,
//! truncated, garbage or stalled bodies — so retry and error paths can be exercised
//! deterministically.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use redshift_serverless_emulator::{Emulator, EmulatorConfig, Faults};
//!
//! let emulator = Emulator::start(EmulatorConfig::default().with_workgroup("legacy", false)).await?;
//! emulator.set_faults(Faults::throttle_next(2));
//! // Point a client at emulator.url() with the demo credentials
//! // (AKIDEMULATOREXAMPLE / emulator-secret-key) and region us-east-1 ...
//! assert_eq!(emulator.request_count(), 0);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Behaviour worth knowing (the choices a real-service difference forced):
//! - Request checks run in this order: injected fault, method/path (`POST /`), SigV4,
//!   throttling, `Content-Type` and `X-Amz-Target`, JSON parsing, constraint validation,
//!   workgroup lookup. A wrong content type is answered like a wrong target: 400
//!   `UnknownOperationException`, because AWS dispatches awsJson requests on both.
//! - Malformed JSON or wrongly-typed members are 400 `SerializationException`; a wholly
//!   empty body counts as `{}`.
//! - Errors carry a plain `__type` (no namespace); `AccessDeniedException` and
//!   `ThrottlingException` also carry a `code` data member that differs from `__type`.
//! - Only `x-amz-date` is accepted as the signing time; it must be within 15 minutes
//!   (configurable) of the emulator's clock.
//! - The throttle bucket refills by the emulator's [`Clock`], so a fixed clock never refills.
//! - The request log ([`RunningEmulator::requests`], `GET /__admin/requests`) is a ring of
//!   the last [`REQUEST_LOG_CAPACITY`] requests, keeping at most [`RECORDED_BODY_LIMIT`]
//!   bytes of each body, so memory stays bounded however long it runs; signatures and
//!   session tokens are redacted there and never logged.
//!
//! Admin endpoints (unsigned; not counted or logged as service requests):
//! `GET /__admin/health`, `GET /__admin/requests`, `GET|POST|DELETE /__admin/faults`,
//! `POST /__admin/faults/push` (one [`ScriptedFault`]), `POST /__admin/reset`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod error;
mod faults;
mod operation;
mod server;
mod sigv4;
mod time;

pub use config::{
    default_workgroups, AccessKey, Clock, EmulatorConfig, FileConfig, FileWorkgroup,
    DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};
pub use error::{ErrorKind, ServiceError};
pub use faults::{Fault, FaultRate, Faults, ScriptedFault};
pub use server::{
    Emulator, RecordedRequest, RunningEmulator, ADMIN_PREFIX, CONTENT_TYPE, RECORDED_BODY_LIMIT,
    REQUEST_LOG_CAPACITY, TARGET,
};
pub use sigv4::{sign_request, SIGNING_NAME};
pub use time::{format_amz_date, format_http_date, format_rfc3339, parse_amz_date};
