//! Compiles and lints the generator's inlineable files where they are written.
//!
//! The files under `codegen/inlineable/` are copied verbatim into the generated crates (see
//! `codegen/src/emit/inlineable.rs`). Mounting each one here with `#[path]`, with the paths it
//! names resolving as in the generated crate, makes `cargo build`, `cargo clippy` and
//! `cargo fmt` see the file itself, so a problem is reported at the line a maintainer edits
//! rather than in a generated copy.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The client crate's `config` module: the inlined file and the generated resolver it names
/// (`crate::config::endpoint`).
pub mod config {
    pub use crate::client_config::*;
    pub use redshift_serverless_client::config::endpoint;
}

/// What the generated client's `runtime` module provides to the inlined `Config`.
mod runtime {
    /// The service's sdkId, which names its endpoint settings (`AWS_ENDPOINT_URL_<ID>`).
    pub(crate) const SERVICE_NAME: &str = "Redshift Serverless";
}

/// `codegen/inlineable/client_config.rs`.
// `Config`'s fields are read by the generated `runtime` module, which is not here.
#[allow(dead_code)]
#[path = "../../inlineable/client_config.rs"]
mod client_config;

/// `codegen/inlineable/json_errors.rs`, as the protocol crate's `json_errors`.
#[path = "../../inlineable/json_errors.rs"]
pub mod json_errors;

/// `codegen/inlineable/idempotency_token.rs`.
// Called only by generated fluent builders, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/idempotency_token.rs"]
mod idempotency_token;

/// `codegen/inlineable/response_body.rs`, as the client crate's `response_body`.
// `RedactResponseBody` is registered by generated operations, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/response_body.rs"]
mod response_body;
