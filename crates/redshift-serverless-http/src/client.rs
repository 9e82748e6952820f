//! The `HttpClient` the runtime asks for a connector per timeout setting.

use crate::body::BodyLimits;
use crate::connector::{Connector, Transport};
use crate::dns::Dns;
use crate::timeout::{ConnectTimeout, Deadline};
use crate::tls;
use aws_smithy_async::rt::sleep::{default_async_sleep, SharedAsyncSleep};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;
use hyper_util::client::legacy::connect::HttpConnector as Tcp;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

/// The largest response body the client reads by default: 1 MiB.
///
/// `GetIdentityCenterAuthToken` answers with a token and a timestamp, or an error with a
/// message and at most a 1011-character resource name: a few KiB at most, so the default
/// leaves a margin of more than a hundredfold while bounding what one call can allocate.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 1024 * 1024;

/// How long a response body may take to arrive whole by default, after the read timeout:
/// 30 s more than the read timeout of the request (30 s without one). Far more than the
/// milliseconds a legitimate response of this operation takes. The read timeout itself (as
/// in aws-smithy-http-client) covers only the wait for the head; a body that stalls is
/// failed by the runtime's stalled-stream protection, which the generated client runs with
/// the read timeout as its grace period. This deadline comes after that, so it only ever
/// cuts off a body that keeps arriving too slowly to finish, never a stalled one.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`HyperHttp1Client`].
#[derive(Clone, Debug, Default)]
pub struct Builder {
    tls: Option<Arc<rustls::ClientConfig>>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    max_response_size: Option<u64>,
    body_timeout: Option<Duration>,
}

impl Builder {
    /// Platform roots, hyper-util's pool defaults (idle connections kept 90 s), responses
    /// up to [`DEFAULT_MAX_RESPONSE_SIZE`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`]). A
    /// response that declares a larger `Content-Length`, or sends more, fails with
    /// [`ResponseTooLarge`](crate::ResponseTooLarge) as soon as that is known, and the
    /// connection is closed.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// How long a response body may take to arrive whole (default: the request's read
    /// timeout plus [`DEFAULT_BODY_TIMEOUT`]), counted from the first wait for it after the
    /// head. When the body takes longer the call fails with a
    /// [`TimeoutError`](crate::TimeoutError) of phase [`Body`](crate::TimeoutPhase::Body).
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = Some(timeout);
        self
    }

    /// Uses this rustls configuration instead of one trusting the platform's roots: for a
    /// private CA, or client certificates. Its ALPN list is replaced by `http/1.1`.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls = Some(Arc::new(config));
        self
    }

    /// Trusts exactly the certificates of a PEM bundle instead of the platform's roots (the
    /// AWS CLI's `--ca-bundle`); see [`tls::config_trusting_pem`].
    pub fn ca_bundle_pem(self, pem: &[u8]) -> Result<Self, tls::CaBundleError> {
        Ok(self.tls_config(tls::config_trusting_pem(pem)?))
    }

    /// Accepts any server certificate (the AWS CLI's `--no-verify-ssl`); see
    /// [`tls::dangerous::config_accepting_any_certificate`].
    pub fn dangerous_accept_any_certificate(self) -> Self {
        self.tls_config(tls::dangerous::config_accepting_any_certificate())
    }

    /// How long an idle pooled connection is kept.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// How many idle connections are kept per host.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = Some(max);
        self
    }

    /// The client, as the runtime takes it.
    pub fn build(self) -> SharedHttpClient {
        SharedHttpClient::new(self.build_client())
    }

    /// The client, unshared.
    pub fn build_client(self) -> HyperHttp1Client {
        let tls = OnceLock::new();
        if let Some(config) = self.tls {
            let _ = tls.set(config);
        }
        HyperHttp1Client {
            tls,
            pool_idle_timeout: self.pool_idle_timeout,
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            body_timeout: self.body_timeout,
            connectors: RwLock::new(HashMap::new()),
        }
    }
}

/// Timeouts that select a connector (and so a pool).
type Key = (Option<Duration>, Option<Duration>);

/// HTTP/1.1 over rustls: see the crate documentation.
pub struct HyperHttp1Client {
    /// Loaded on first use: reading the platform's store takes milliseconds.
    tls: OnceLock<Arc<rustls::ClientConfig>>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    max_response_size: u64,
    body_timeout: Option<Duration>,
    connectors: RwLock<HashMap<Key, SharedHttpConnector>>,
}

impl fmt::Debug for HyperHttp1Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperHttp1Client")
            .field("tls_loaded", &self.tls.get().is_some())
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_response_size", &self.max_response_size)
            .field("body_timeout", &self.body_timeout)
            .finish_non_exhaustive()
    }
}

impl HyperHttp1Client {
    fn tls(&self) -> Arc<rustls::ClientConfig> {
        self.tls
            .get_or_init(|| {
                warn_if_a_proxy_is_configured();
                // ring's default provider offers both protocol versions, so this cannot fail.
                let config = tls::platform_config()
                    .expect("ring supports rustls's default protocol versions");
                Arc::new(config)
            })
            .clone()
    }

    fn connector(&self, key: Key, sleep: Option<SharedAsyncSleep>) -> Connector {
        let sleep = sleep.or_else(default_async_sleep);
        let deadline = |after: Option<Duration>| {
            let after = after?;
            match &sleep {
                Some(sleep) => Some(Deadline {
                    sleep: sleep.clone(),
                    after,
                }),
                None => {
                    tracing::warn!(?after, "no async sleep configured: timeout not enforced");
                    None
                }
            }
        };
        let mut tcp = Tcp::new_with_resolver(Dns::new());
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        // hyper-rustls sets the ALPN list for the protocols it enables (here `http/1.1`) and
        // refuses a config that already has one.
        let mut tls = (*self.tls()).clone();
        tls.alpn_protocols.clear();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let transport: Transport = ConnectTimeout {
            inner: https,
            deadline: deadline(key.0),
        };
        let mut pool = Client::builder(TokioExecutor::new());
        // The pool's idle timeout only runs with a timer.
        pool.pool_timer(TokioTimer::new());
        if let Some(idle) = self.pool_idle_timeout {
            pool.pool_idle_timeout(idle);
        }
        if let Some(max) = self.pool_max_idle_per_host {
            pool.pool_max_idle_per_host(max);
        }
        // After the read timeout, which the client's stalled-stream protection applies to a
        // stalled body, so that a stall is reported as one (see DEFAULT_BODY_TIMEOUT).
        let body_timeout = self
            .body_timeout
            .unwrap_or_else(|| DEFAULT_BODY_TIMEOUT.saturating_add(key.1.unwrap_or_default()));
        Connector {
            client: pool.build(transport),
            read_timeout: deadline(key.1),
            body: BodyLimits {
                max_size: self.max_response_size,
                deadline: deadline(Some(body_timeout)),
            },
        }
    }
}

/// Proxy variables are ignored; say so once per process rather than leave a connect timeout
/// unexplained.
fn warn_if_a_proxy_is_configured() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let set = proxy_variables_set();
        if !set.is_empty() {
            tracing::warn!(
                variables = ?set,
                "proxy variables are set, but this HTTP client connects directly; pass \
                 aws-smithy-http-client with a ProxyConfig as `http_client` to use a proxy"
            );
        }
    });
}

/// The proxy variables that are set (non-empty) in this process's environment, which this
/// client does not use: for a program that wants to tell its user in its own words.
pub fn proxy_variables_set() -> Vec<&'static str> {
    ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .filter(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
        .collect()
}

impl HttpClient for HyperHttp1Client {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        // A poisoned lock only means another thread panicked mid-insert; the map is intact.
        if let Some(found) = self
            .connectors
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return found.clone();
        }
        let mut connectors = self.connectors.write().unwrap_or_else(|p| p.into_inner());
        connectors
            .entry(key)
            .or_insert_with(|| {
                SharedHttpConnector::new(self.connector(key, components.sleep_impl()))
            })
            .clone()
    }

    fn validate_base_client_config(
        &self,
        _: &RuntimeComponentsBuilder,
        _: &ConfigBag,
    ) -> Result<(), BoxError> {
        // Load the roots while the client is built, not during its first request.
        self.tls();
        Ok(())
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        Some(ConnectorMetadata::new("hyper", Some(Cow::Borrowed("1.x"))))
    }
}
