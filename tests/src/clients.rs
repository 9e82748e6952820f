//! Identically configured clients of both crates.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_smithy_async::time::StaticTimeSource;

pub use aws_smithy_types::retry::RetryConfig;
pub use aws_smithy_types::timeout::TimeoutConfig;

/// Access key id used by every differential test.
pub const ACCESS_KEY_ID: &str = "AKIDCONFORMANCE0001";
/// Secret key used by every differential test.
pub const SECRET_ACCESS_KEY: &str = "conformance/secret+key/0123456789abcdef";
/// Session token used by the "temporary credentials" cases.
pub const SESSION_TOKEN: &str = "conformance-session-token//ZXhhbXBsZQ==";
/// Region of every test client.
pub const REGION: &str = "us-east-1";
/// Signing name of the service.
pub const SIGNING_NAME: &str = "redshift-serverless";

/// Fixed credentials, with or without the session token.
pub fn credentials(with_session_token: bool) -> Credentials {
    Credentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        with_session_token.then(|| SESSION_TOKEN.to_string()),
        None,
        "conformance",
    )
}

/// How a test wants its clients.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Endpoint URL.
    pub url: String,
    /// Credentials.
    pub credentials: Credentials,
    /// Retry configuration.
    pub retry: RetryConfig,
    /// Timeouts, if any.
    pub timeout: Option<TimeoutConfig>,
    /// A fixed clock, if any.
    pub time: Option<SystemTime>,
    /// The region ([`REGION`] unless set).
    pub region: String,
    /// Whether `url` is set as the endpoint URL (otherwise the region's endpoint applies).
    pub use_url: bool,
}

impl Setup {
    /// Retries off, no timeouts, no fixed clock.
    pub fn new(url: impl Into<String>, with_session_token: bool) -> Self {
        Setup {
            url: url.into(),
            credentials: credentials(with_session_token),
            retry: RetryConfig::disabled(),
            timeout: None,
            time: None,
            region: REGION.to_owned(),
            use_url: true,
        }
    }

    /// Uses `region` instead of [`REGION`].
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Leaves the endpoint URL unset, so the endpoint comes from the region.
    pub fn without_endpoint_url(mut self) -> Self {
        self.use_url = false;
        self
    }

    /// Signs at `time`.
    pub fn at(mut self, time: SystemTime) -> Self {
        self.time = Some(time);
        self
    }

    /// Uses `retry`.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Uses `timeout`.
    pub fn timeout(mut self, timeout: TimeoutConfig) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// Standard retries, `attempts` attempts, with a backoff short enough for tests.
pub fn fast_retry(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

macro_rules! client_fn {
    ($name:ident, $sdk:ident, $http:expr) => {
        /// A client of this crate configured from `setup`.
        pub fn $name(setup: &Setup) -> $sdk::Client {
            let mut b = $sdk::Config::builder()
                .behavior_version($sdk::config::BehaviorVersion::latest())
                .region($sdk::config::Region::new(setup.region.clone()))
                .credentials_provider(setup.credentials.clone())
                .retry_config(setup.retry.clone());
            if setup.use_url {
                b = b.endpoint_url(setup.url.clone());
            }
            if let Some(http) = $http {
                b = b.http_client(http);
            }
            if let Some(t) = &setup.timeout {
                b = b.timeout_config(t.clone());
            }
            if let Some(at) = setup.time {
                b = b.time_source(StaticTimeSource::new(at));
            }
            $sdk::Client::from_conf(b.build())
        }
    };
}

// Each client with its default HTTP stack: ours is redshift-serverless-http (HTTP/1.1);
// the official crate's default is off here, so it gets aws-smithy-http-client's.
client_fn!(
    ours,
    redshift_serverless_client,
    None::<aws_smithy_runtime_api::client::http::SharedHttpClient>
);
client_fn!(
    official,
    aws_sdk_redshiftserverless,
    Some(aws_smithy_http_client::Builder::new().build_http())
);
// The full-service fixture brings no HTTP client of its own; it gets the official crate's.
client_fn!(
    full_service,
    full_service_client,
    Some(aws_smithy_http_client::Builder::new().build_http())
);
