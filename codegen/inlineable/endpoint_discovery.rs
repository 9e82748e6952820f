//! Endpoint discovery (`aws.api#clientEndpointDiscovery`): the operations the model marks
//! `clientDiscoveredEndpoint(required: true)` are sent to an endpoint the service's
//! discovery operation returns, cached for the period it gives.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `endpoint_discovery.rs`, for a model with an operation that requires a
// discovered endpoint. The client (generated) calls the discovery operation through the
// `Discover` function it gives `EndpointCache::new`; the operations that require discovery
// are assembled with `EndpointCache::resolver` as their endpoint resolver, unless an
// `endpoint_url` is configured, which wins (as in botocore and the Java SDK). As
// aws-sdk-timestreamquery's `endpoint_discovery.rs`, the endpoint is refreshed once less
// than two minutes of its cache period remain; unlike it, discovery happens on the first
// call that needs it (and again on the first call after a failure), so a client made with
// `Client::new` works without `with_endpoint_discovery_enabled()`.

use ::aws_smithy_runtime::expiring_cache::ExpiringCache;
use ::aws_smithy_runtime_api::box_error::BoxError;
use ::aws_smithy_runtime_api::client::endpoint::{
    EndpointFuture, EndpointResolverParams, ResolveEndpoint, SharedEndpointResolver,
};
use ::aws_smithy_types::endpoint::Endpoint;

/// How long before its cache period ends an endpoint is discovered again.
const REFRESH_BEFORE_EXPIRY: ::std::time::Duration = ::std::time::Duration::from_secs(120);

/// The longest a discovered endpoint is kept, whatever period the service gives (a day).
const MAX_CACHE_PERIOD: ::std::time::Duration = ::std::time::Duration::from_secs(24 * 60 * 60);

/// What the discovery operation returned: its first endpoint's `Address` and
/// `CachePeriodInMinutes`, `None` where the response left one out.
#[derive(::std::fmt::Debug)]
pub(crate) struct Discovered {
    pub(crate) address: ::std::option::Option<::std::string::String>,
    pub(crate) cache_period_in_minutes: ::std::option::Option<i64>,
}

/// Calls the discovery operation; `Ok(None)` when it returned no endpoint.
pub(crate) type Discover = ::std::sync::Arc<
    dyn ::std::ops::Fn() -> ::aws_smithy_async::future::BoxFuture<
            'static,
            ::std::option::Option<Discovered>,
            BoxError,
        > + ::std::marker::Send
        + ::std::marker::Sync,
>;

/// Endpoint discovery failed, so an operation that requires a discovered endpoint was not
/// sent: the discovery operation's error is the source, or the message says what its
/// response lacked.
#[derive(::std::fmt::Debug)]
pub struct EndpointDiscoveryError {
    problem: ::std::string::String,
    source: ::std::option::Option<BoxError>,
}

impl EndpointDiscoveryError {
    fn new(problem: impl ::std::convert::Into<::std::string::String>) -> Self {
        Self {
            problem: problem.into(),
            source: ::std::option::Option::None,
        }
    }
}

impl ::std::fmt::Display for EndpointDiscoveryError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(
            f,
            "endpoint discovery ({}) failed: {}",
            crate::endpoint_discovery::DISCOVERY_OPERATION,
            self.problem
        )
    }
}

impl ::std::error::Error for EndpointDiscoveryError {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn ::std::error::Error + 'static))
    }
}

/// The client's discovered endpoint, shared by every operation that requires one.
#[derive(::std::clone::Clone)]
pub(crate) struct EndpointCache {
    cache: ExpiringCache<Endpoint, BoxError>,
    discover: Discover,
    time_source: ::aws_smithy_async::time::SharedTimeSource,
}

impl ::std::fmt::Debug for EndpointCache {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("EndpointCache").finish_non_exhaustive()
    }
}

impl EndpointCache {
    /// A cache that calls `discover` when it holds no endpoint, or one about to expire, by
    /// the configured time source (else the system clock).
    pub(crate) fn new(
        discover: Discover,
        time_source: ::std::option::Option<::aws_smithy_async::time::SharedTimeSource>,
    ) -> Self {
        Self {
            cache: ExpiringCache::new(REFRESH_BEFORE_EXPIRY),
            discover,
            time_source: time_source.unwrap_or_default(),
        }
    }

    /// The cached endpoint, discovered first if there is none or it is about to expire;
    /// concurrent callers wait for one discovery. A failure is not cached.
    pub(crate) async fn endpoint(&self) -> ::std::result::Result<Endpoint, BoxError> {
        if let ::std::option::Option::Some(endpoint) = self
            .cache
            .yield_or_clear_if_expired(self.time_source.now())
            .await
        {
            return ::std::result::Result::Ok(endpoint);
        }
        self.cache
            .get_or_load(|| async {
                let discovered = (self.discover)()
                    .await
                    .map_err(|e| EndpointDiscoveryError {
                        problem: "the discovery operation failed".into(),
                        source: ::std::option::Option::Some(e),
                    })?;
                let (endpoint, period) = endpoint_of(discovered)?;
                let now = self.time_source.now();
                let expiry = now.checked_add(period).unwrap_or(now);
                ::std::result::Result::Ok((endpoint, expiry))
            })
            .await
    }

    /// Discards the cached endpoint and discovers one now.
    async fn reload(&self) -> ::std::result::Result<Endpoint, BoxError> {
        // Past the expiry of any endpoint cached until now, so it is cleared.
        let now = self.time_source.now();
        let later = now
            .checked_add(MAX_CACHE_PERIOD + REFRESH_BEFORE_EXPIRY)
            .unwrap_or(now);
        let _ = self.cache.yield_or_clear_if_expired(later).await;
        self.endpoint().await
    }

    /// The endpoint resolver of an operation that requires a discovered endpoint.
    pub(crate) fn resolver(&self) -> SharedEndpointResolver {
        SharedEndpointResolver::new(DiscoveredEndpoint(self.clone()))
    }
}

/// What `Client::with_endpoint_discovery_enabled` returns beside the client, as the official
/// crate's does. The client refreshes its endpoint by itself, on the first call after less
/// than two minutes of the cache period remain, so nothing needs to run it.
#[must_use]
pub struct ReloadEndpoint {
    cache: EndpointCache,
}

impl ::std::fmt::Debug for ReloadEndpoint {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("ReloadEndpoint").finish_non_exhaustive()
    }
}

impl ReloadEndpoint {
    pub(crate) fn new(cache: EndpointCache) -> Self {
        Self { cache }
    }

    /// Discovers the endpoint now, replacing the cached one; a failure keeps nothing
    /// cached, so the next call that needs the endpoint discovers it again.
    pub async fn reload_once(&self) {
        if let ::std::result::Result::Err(e) = self.cache.reload().await {
            ::tracing::debug!(error = %e, "endpoint discovery failed");
        }
    }

    /// Returns at once: the official crate's reload loop is not needed, since the client
    /// refreshes the endpoint when it is about to expire. Kept so code written for the
    /// official crate (`tokio::spawn(reloader.reload_task())`) compiles unchanged.
    pub async fn reload_task(self) {}
}

/// The endpoint and how long to keep it, from what discovery returned: `https://` is put
/// before an address without a scheme, as botocore does; an address that is not then an
/// `http(s)://` URL with a host is refused, as is a missing or negative cache period.
fn endpoint_of(
    discovered: ::std::option::Option<Discovered>,
) -> ::std::result::Result<(Endpoint, ::std::time::Duration), EndpointDiscoveryError> {
    let discovered =
        discovered.ok_or_else(|| EndpointDiscoveryError::new("the response lists no endpoint"))?;
    let address = discovered
        .address
        .ok_or_else(|| EndpointDiscoveryError::new("the endpoint has no Address"))?;
    let minutes = discovered
        .cache_period_in_minutes
        .ok_or_else(|| EndpointDiscoveryError::new("the endpoint has no CachePeriodInMinutes"))?;
    let minutes = u64::try_from(minutes).map_err(|_| {
        EndpointDiscoveryError::new(::std::format!(
            "CachePeriodInMinutes is {minutes}, which is negative"
        ))
    })?;
    let lower = address.get(..8).unwrap_or(&address).to_ascii_lowercase();
    let url = if lower.starts_with("https://") || lower.starts_with("http://") {
        address
    } else {
        ::std::format!("https://{address}")
    };
    let has_host = ::http::Uri::try_from(url.as_str())
        .ok()
        .and_then(|uri| uri.host().map(|h| !h.is_empty()))
        .unwrap_or(false);
    if !has_host {
        return ::std::result::Result::Err(EndpointDiscoveryError::new(::std::format!(
            "the endpoint's Address {url:?} is not a URL with a host"
        )));
    }
    let period = ::std::time::Duration::from_secs(minutes.saturating_mul(60)).min(MAX_CACHE_PERIOD);
    ::std::result::Result::Ok((Endpoint::builder().url(url).build(), period))
}

/// The endpoint resolver of an operation that requires a discovered endpoint: the rule
/// set's parameters are not read.
#[derive(::std::fmt::Debug)]
struct DiscoveredEndpoint(EndpointCache);

impl ResolveEndpoint for DiscoveredEndpoint {
    fn resolve_endpoint<'a>(&'a self, _params: &'a EndpointResolverParams) -> EndpointFuture<'a> {
        EndpointFuture::new(self.0.endpoint())
    }
}
