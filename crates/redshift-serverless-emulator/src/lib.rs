//! A local emulator of Amazon Redshift Serverless: the `GetIdentityCenterAuthToken` and
//! `GetWorkgroup` operations, and, in front of a real PostgreSQL, each workgroup's SQL
//! endpoint, where sessions sign in with the token as Redshift's Identity Center sign-in does
//! (see [`SqlConfig`]; the `sql` module's documentation has the whole sign-in).
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
//! emulator.set_faults(Faults::throttle_next(2)).expect("the faults are valid");
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
//! - Each issued token is remembered (its SHA-256, never the token) with what it grants: the
//!   workgroups named and the Identity Center user of the signing credentials
//!   ([`AccessKey::identity_user`]); the SQL front signs sessions in against that.
//! - The HTTP API caps its connections ([`EmulatorConfig::max_connections`]) and the time a
//!   request body may take ([`EmulatorConfig::body_timeout`]); a failed accept backs off and
//!   is logged once per run of failures.
//!
//! Layout: `lifecycle` (start, the shared state, the handle), `api` (the HTTP API: accept
//! loop, handler, responses, faults, admin), `operations` (one module per operation),
//! `tokens` (what each issued token grants), `sql` (the SQL front), and the pieces they
//! share (`config`, `sigv4`, `throttle`, `request_log`, `faults`, `error`, `time`).
//!
//! Admin endpoints (unsigned; not counted or logged as service requests):
//! `GET /__admin/health`, `GET /__admin/requests`, `GET|POST|DELETE /__admin/faults`,
//! `POST /__admin/faults/push` (one [`ScriptedFault`]), `POST /__admin/reset`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod accept;
mod api;
mod config;
mod error;
mod faults;
mod lifecycle;
mod operations;
mod request_log;
mod sigv4;
mod sql;
mod throttle;
mod time;
mod tokens;

pub use api::{ADMIN_PREFIX, CONTENT_TYPE, TARGET};
pub use config::{
    default_workgroups, AccessKey, Clock, EmulatorConfig, FileConfig, FileWorkgroup,
    DEFAULT_BODY_TIMEOUT, DEFAULT_IDENTITY_USER, DEFAULT_MAX_CONNECTIONS, DEMO_ACCESS_KEY_ID,
    DEMO_SECRET_ACCESS_KEY,
};
pub use error::{ErrorKind, ServiceError};
pub use faults::{Fault, FaultRate, Faults, InvalidFault, ScriptedFault};
pub use lifecycle::{Emulator, RunningEmulator};
pub use operations::get_workgroup::ACCOUNT_ID;
pub use request_log::{RecordedRequest, RECORDED_BODY_LIMIT, REQUEST_LOG_CAPACITY};
pub use sigv4::{sign_request, SIGNING_NAME};
pub use sql::{check_identity_user, SqlConfig, DEFAULT_SQL_MAX_CONNECTIONS};
pub use time::{format_amz_date, format_http_date, format_rfc3339, parse_amz_date};
pub use tokens::TOKEN_STORE_CAPACITY;

/// The `X-Amz-Target` of GetWorkgroup.
pub const GET_WORKGROUP_TARGET: &str = "RedshiftServerless.GetWorkgroup";
