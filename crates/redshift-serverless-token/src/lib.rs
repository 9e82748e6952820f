//! A token cache for Redshift Serverless `GetIdentityCenterAuthToken`.
//!
//! # Why this crate exists
//!
//! An Identity Center token lives for minutes. A service that queries Redshift on behalf of
//! its users needs one on almost every request, and calling the API each time is slow and
//! gets throttled. So every such service ends up writing the same loop: keep the last token,
//! watch its expiry, refresh a bit early. That loop is easy to get subtly wrong: a burst of
//! requests at expiry becomes a burst of API calls, a token that expires during a slow query
//! gets handed out, a brief outage turns into errors although the old token was still good,
//! or the refresh retries in a tight loop. [`TokenCache`] is that loop, written once and
//! tested against a simulated clock.
//!
//! # Policy
//!
//! * **Margin.** [`TokenCache::token`] only returns a token that is valid for at least the
//!   configured margin (60 s by default) after the call.
//! * **Refresh ahead.** A token is refreshed once less than the larger of 5 minutes and 10%
//!   of its lifetime remains (lifetime = expiry − when it was received); both are settings.
//!   The refresh point never falls in the first half of the usable life, so a very
//!   short-lived token cannot turn every call into a request.
//! * **Single flight.** Per workgroup set, at most one request is in flight. While a valid
//!   token exists, one caller refreshes and the others keep using the cached token; when
//!   none exists, everyone waits for the same request and gets the same result.
//! * **Failures.** If a refresh fails while the cached token is still valid beyond the
//!   margin, the cached token is served and the refresh is retried later, with capped
//!   exponential backoff and jitter. If there is no valid token, the error goes to every
//!   waiter as a [`TokenError`], carrying the verdict of `redshift_serverless_retry` on
//!   whether trying again can help. A later call then tries again: single flight already
//!   limits the load to one request at a time.
//! * **Keys.** A set of workgroups is sorted and de-duplicated, so `["b", "a"]` and
//!   `["a", "b", "a"]` share a token. A new set is checked against the model's constraints
//!   before anything is sent; a violation is returned at once.
//! * **Bounded.** At most `capacity` sets are kept; the least recently used goes first.
//! * **Background refresh** (optional) keeps tokens fresh so that callers never wait; the
//!   task ends when the cache is dropped.
//! * **Secrets.** [`IdentityCenterToken`] redacts itself in `Debug` and `Display`, zeroes its
//!   memory on drop, and is read through an explicit `expose_secret()`.
//! * **Time** comes from aws-smithy-async's `TimeSource` and `AsyncSleep`, so tests (and
//!   anyone with an unusual runtime) control the clock.
//!
//! # Example
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use redshift_serverless_client::config::{BehaviorVersion, Region};
//! use redshift_serverless_token::TokenCache;
//! use std::time::Duration;
//!
//! let config = redshift_serverless_client::Config::builder()
//!     .behavior_version(BehaviorVersion::latest())
//!     .region(Region::new("us-east-1"))
//!     .build();
//! let cache = TokenCache::builder(redshift_serverless_client::Client::from_conf(config))
//!     .margin(Duration::from_secs(120))
//!     .background_refresh(true)
//!     .build();
//!
//! // On every request; a hit costs well under a microsecond.
//! let token = cache.token(&["analytics", "reporting"]).await?;
//! let _password = token.expose_secret();
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cache;
mod error;
mod key;
mod token;

pub use cache::{
    TokenCache, TokenCacheBuilder, DEFAULT_BACKOFF_INITIAL, DEFAULT_BACKOFF_MAX, DEFAULT_CAPACITY,
    DEFAULT_MARGIN, DEFAULT_REFRESH_AHEAD, DEFAULT_REFRESH_AHEAD_FRACTION,
};
pub use error::{ServiceError, TokenError};
pub use token::IdentityCenterToken;

/// The retry crate's verdict types, re-exported for matching on [`TokenError::verdict`].
pub use redshift_serverless_retry::{RetryKind, Verdict};
