//! The generated client's default HTTP client: HTTP/1.1 on hyper 1, TLS by rustls with the
//! ring provider, certificates from the platform's trust store.
//!
//! # Why not aws-smithy-http-client
//!
//! `aws-smithy-http-client`, the official crates' default, compiles HTTP/2 (`h2`), proxy
//! support and its own connection pool into every program that uses it. A client for one
//! awsJson operation uses none of HTTP/2, and the build of that crate and `h2` was about a
//! fifth of a minimal program's clean build and 270 KiB of its binary (`BENCHMARKS.md`).
//! This crate is the part of it such a client needs, on the same hyper-util pool:
//!
//! - keep-alive connections pooled per host (hyper-util's legacy client);
//! - `http` and `https` URLs; TLS 1.2 and 1.3 through rustls, ring as the only crypto
//!   provider, roots loaded once per client from the platform (`rustls-native-certs`);
//! - the connect timeout (TCP and TLS together) and read timeout (until the response head)
//!   of the operation's `TimeoutConfig`, on the runtime's sleep;
//! - a bounded response body: at most [`DEFAULT_MAX_RESPONSE_SIZE`] bytes (set with
//!   [`Builder::max_response_size`]), arriving whole within the read timeout plus
//!   [`DEFAULT_BODY_TIMEOUT`] (set with [`Builder::body_timeout`]), so no response can keep a
//!   call running or its memory growing (see `body.rs`);
//! - errors sorted into the `ConnectorError` kinds the retry classifier reads (timeout, io,
//!   user, other), with the timeout phase named in the message and resolver failures typed
//!   as `ResolveDnsError`;
//! - connection poisoning: the orchestrator can drop a connection after a transient
//!   failure, so the retry opens a fresh one;
//! - a CA bundle in place of the platform's roots, or (dangerously) no certificate check,
//!   for the AWS CLI's `--ca-bundle` and `--no-verify-ssl` ([`tls`]).
//!
//! What it does not do: HTTP/2 and proxies. `HTTPS_PROXY` is not read (a warning is logged
//! when it is set), as aws-smithy-http-client does not read it either unless given a
//! `ProxyConfig`. A program that needs a proxy passes that client instead, as with the
//! official crates: `Config::builder().http_client(aws_smithy_http_client::Builder::new()
//! .proxy_config(ProxyConfig::from_env()).build_https())`.

mod body;
mod client;
mod connector;
mod dns;
mod error;
mod timeout;
pub mod tls;

pub use body::ResponseTooLarge;
pub use client::{
    proxy_variables_set, Builder, HyperHttp1Client, DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE,
};
pub use timeout::{TimeoutError, TimeoutPhase};

use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// The default client: [`Builder::new`]`().build()`.
pub fn default_client() -> SharedHttpClient {
    Builder::new().build()
}
