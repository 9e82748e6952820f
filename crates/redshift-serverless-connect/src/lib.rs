//! Sign in to an Amazon Redshift Serverless workgroup as the IAM Identity Center user, and
//! get a [`tokio_postgres::Client`].
//!
//! Redshift signs Identity Center users in with a token from `GetIdentityCenterAuthToken`,
//! passed in a sign-in of its own (AuthenticationRequest code 14, answered by a message of
//! type `i` carrying the token) that neither tokio-postgres nor sqlx speaks. AWS's drivers do
//! it with `IdpTokenAuthPlugin`; this crate does it for Rust:
//!
//! 1. the workgroup's endpoint from `GetWorkgroup` (once per connector), unless a host is
//!    given;
//! 2. a token from `redshift-serverless-token`'s cache: one `GetIdentityCenterAuthToken` per
//!    token lifetime however many sessions open, a new one and one more try if the
//!    workgroup refuses the cached one as expired;
//! 3. TLS, checked as the drivers' `verify-full` (or `verify-ca`) against the platform's
//!    roots and any CA bundle given;
//! 4. the sign-in, then the stream is handed to `tokio_postgres::Config::connect_raw`.
//!
//! From there the session is tokio-postgres's: queries, prepared statements, COPY,
//! transactions, notifications. Cancel with [`Connector::cancel_query`]. A pool: with the
//! `bb8` feature, [`pool::ConnectionManager`]. Any PostgreSQL client: [`proxy::Proxy`]
//! (`redshift-serverless proxy` on the command line).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sdk_config = aws_config::defaults(aws_config::BehaviorVersion::latest())
//!     .http_client(redshift_serverless_http::default_client())
//!     .load()
//!     .await;
//! let connector = redshift_serverless_connect::Connector::builder(&sdk_config)
//!     .workgroup("analytics")
//!     .database("dev")
//!     .build()?;
//! let client = connector.connect_spawned().await?;
//! let row = client.query_one("select current_user", &[]).await?;
//! println!("signed in as {}", row.get::<_, String>(0));
//! # Ok(()) }
//! ```
//!
//! The token never reaches `Debug` output, logs or errors.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod connector;
mod error;
#[cfg(feature = "bb8")]
pub mod pool;
pub mod proxy;
mod session;
mod signin;
mod tls;

pub use connector::{Builder, Connector, Endpoint, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DATABASE};
pub use error::{EndpointError, Error, ServerError};
pub use session::Session;
pub use signin::Startup;
pub use tls::TlsMode;
