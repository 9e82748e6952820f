//! Client configuration, shaped like the official SDK's `Config`.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate's `config.rs`, after a `pub mod endpoint;` of the generated resolver. Nothing
// here depends on the model; `codegen/inlineable-check` compiles and lints it as written.

pub use ::aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use ::aws_credential_types::Credentials;
pub use ::aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
pub use ::aws_smithy_async::time::{SharedTimeSource, TimeSource};
pub use ::aws_smithy_runtime::client::identity::IdentityCache;
pub use ::aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
pub use ::aws_smithy_runtime_api::client::http::{HttpClient, SharedHttpClient};
pub use ::aws_smithy_runtime_api::client::identity::{ResolveCachedIdentity, SharedIdentityCache};
pub use ::aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
pub use ::aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
pub use ::aws_types::app_name::AppName;
pub use ::aws_types::region::Region;
// @only sigv4a
pub use ::aws_types::region::SigningRegionSet;
// @end sigv4a
// @only account-id-endpoint
pub use ::aws_types::endpoint_config::AccountIdEndpointMode;
// @end account-id-endpoint
pub use ::aws_types::sdk_ua_metadata::FrameworkMetadata;
pub use ::redshift_serverless_constraints::ValidationMode;

/// Retry configuration.
pub mod retry {
    pub use ::aws_smithy_types::retry::{
        ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode,
    };
}
/// Auth scheme selection.
pub mod auth {
    pub use ::aws_smithy_runtime_api::client::auth::{AuthSchemeId, AuthSchemePreference};
}
/// Timeout configuration.
pub mod timeout {
    pub use ::aws_smithy_types::timeout::{
        OperationTimeoutConfig, TimeoutConfig, TimeoutConfigBuilder,
    };
}

/// The largest response body the built-in HTTP client reads, by default: 1 MiB (the same
/// value as `redshift_serverless_http::DEFAULT_MAX_RESPONSE_SIZE`). This operation's largest
/// legitimate response is a few KiB. Change it with [`Builder::max_response_size`].
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 1024 * 1024;

/// Configuration of the client.
///
/// Build it with [`Config::builder`], or from an `aws_types::SdkConfig` loaded by
/// `aws-config` with [`Config::new`].
#[derive(::std::clone::Clone, ::std::fmt::Debug)]
pub struct Config {
    pub(crate) region: ::std::option::Option<Region>,
    pub(crate) credentials_provider: ::std::option::Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: ::std::option::Option<::std::string::String>,
    pub(crate) use_fips: ::std::option::Option<bool>,
    pub(crate) use_dual_stack: ::std::option::Option<bool>,
    pub(crate) retry_config: ::std::option::Option<retry::RetryConfig>,
    pub(crate) timeout_config: ::std::option::Option<timeout::TimeoutConfig>,
    pub(crate) time_source: ::std::option::Option<SharedTimeSource>,
    pub(crate) sleep_impl: ::std::option::Option<SharedAsyncSleep>,
    pub(crate) http_client: ::std::option::Option<SharedHttpClient>,
    pub(crate) behavior_version: ::std::option::Option<BehaviorVersion>,
    pub(crate) endpoint_resolver: ::std::option::Option<SharedEndpointResolverHolder>,
    pub(crate) interceptors: ::std::vec::Vec<SharedInterceptor>,
    pub(crate) validation_mode: ValidationMode,
    pub(crate) identity_cache: ::std::option::Option<SharedIdentityCache>,
    pub(crate) app_name: ::std::option::Option<AppName>,
    pub(crate) framework_metadata: ::std::vec::Vec<FrameworkMetadata>,
    pub(crate) stalled_stream_protection: ::std::option::Option<StalledStreamProtectionConfig>,
    pub(crate) disable_clock_skew_correction: ::std::option::Option<bool>,
    pub(crate) auth_scheme_preference: ::std::option::Option<auth::AuthSchemePreference>,
    pub(crate) max_response_size: u64,
    // @only sigv4a
    pub(crate) sigv4a_signing_region_set: ::std::option::Option<SigningRegionSet>,
    // @end sigv4a
    // @only account-id-endpoint
    pub(crate) account_id_endpoint_mode: ::std::option::Option<AccountIdEndpointMode>,
    // @end account-id-endpoint
    // @only request-compression
    pub(crate) disable_request_compression: ::std::option::Option<bool>,
    pub(crate) request_min_compression_size_bytes: ::std::option::Option<u32>,
    // @end request-compression
}

/// A user-supplied endpoint resolver (kept opaque so `Config` stays `Debug`).
#[derive(::std::clone::Clone, ::std::fmt::Debug)]
pub(crate) struct SharedEndpointResolverHolder(
    pub(crate) crate::config::endpoint::SharedEndpointResolver,
);

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }
    /// Configuration taken from an `SdkConfig` (as loaded by `aws-config`).
    pub fn new(sdk_config: &::aws_types::SdkConfig) -> Self {
        Builder::from(sdk_config).build()
    }
    /// A builder holding this configuration, to change part of it.
    pub fn to_builder(&self) -> Builder {
        Builder {
            inner: self.clone(),
        }
    }
    /// The region.
    pub fn region(&self) -> ::std::option::Option<&Region> {
        self.region.as_ref()
    }
    /// The credentials provider.
    pub fn credentials_provider(&self) -> ::std::option::Option<SharedCredentialsProvider> {
        self.credentials_provider.clone()
    }
    /// The endpoint URL override.
    pub fn endpoint_url(&self) -> ::std::option::Option<&str> {
        self.endpoint_url.as_deref()
    }
    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> ::std::option::Option<bool> {
        self.use_fips
    }
    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> ::std::option::Option<bool> {
        self.use_dual_stack
    }
    /// The retry configuration (standard mode, 3 attempts when unset).
    pub fn retry_config(&self) -> ::std::option::Option<&retry::RetryConfig> {
        self.retry_config.as_ref()
    }
    /// The timeout configuration.
    pub fn timeout_config(&self) -> ::std::option::Option<&timeout::TimeoutConfig> {
        self.timeout_config.as_ref()
    }
    /// The behavior version.
    pub fn behavior_version(&self) -> ::std::option::Option<BehaviorVersion> {
        self.behavior_version
    }
    /// Whether client-side constraint validation runs.
    pub fn validation_mode(&self) -> ValidationMode {
        self.validation_mode
    }
    /// The identity cache, when one was set (a lazy cache is used otherwise).
    pub fn identity_cache(&self) -> ::std::option::Option<SharedIdentityCache> {
        self.identity_cache.clone()
    }
    /// The name of the application, sent in the user agent.
    pub fn app_name(&self) -> ::std::option::Option<&AppName> {
        self.app_name.as_ref()
    }
    /// The framework metadata sent in the user agent, in the order it was added.
    pub fn framework_metadata(&self) -> ::std::vec::Vec<&FrameworkMetadata> {
        self.framework_metadata.iter().collect()
    }
    /// The stalled-stream protection, when one was set (see
    /// [`Builder::stalled_stream_protection`] for what applies otherwise).
    pub fn stalled_stream_protection(
        &self,
    ) -> ::std::option::Option<&StalledStreamProtectionConfig> {
        self.stalled_stream_protection.as_ref()
    }
    /// The stalled-stream protection the client runs: the one set; else, when the timeout
    /// configuration has a read timeout, protection with the read timeout as its grace
    /// period, so that the read timeout bounds a stalled body as it bounds the wait for the
    /// response head; else none here, and the runtime's default applies (on, 5 s).
    pub(crate) fn effective_stalled_stream_protection(
        &self,
    ) -> ::std::option::Option<StalledStreamProtectionConfig> {
        if let ::std::option::Option::Some(set) = &self.stalled_stream_protection {
            return ::std::option::Option::Some(set.clone());
        }
        let read_timeout = self.timeout_config.as_ref()?.read_timeout()?;
        ::std::option::Option::Some(
            StalledStreamProtectionConfig::enabled()
                .grace_period(read_timeout)
                .build(),
        )
    }
    /// Whether clock-skew correction is disabled, when that was set.
    pub fn disable_clock_skew_correction(&self) -> ::std::option::Option<bool> {
        self.disable_clock_skew_correction
    }
    /// The auth scheme preference, when one was set.
    pub fn auth_scheme_preference(&self) -> ::std::option::Option<&auth::AuthSchemePreference> {
        self.auth_scheme_preference.as_ref()
    }
    /// The largest response body, in bytes, the built-in HTTP client reads
    /// ([`DEFAULT_MAX_RESPONSE_SIZE`] unless set; see [`Builder::max_response_size`]).
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }
    // @only sigv4a
    /// The SigV4a signing region set, when one was set (see
    /// [`Builder::sigv4a_signing_region_set`]).
    pub fn sigv4a_signing_region_set(&self) -> ::std::option::Option<&SigningRegionSet> {
        self.sigv4a_signing_region_set.as_ref()
    }
    // @end sigv4a
    // @only account-id-endpoint
    /// Whether endpoints may be chosen by the caller's account ID, when that was set
    /// (`preferred` otherwise, as in the official SDK).
    pub fn account_id_endpoint_mode(&self) -> ::std::option::Option<&AccountIdEndpointMode> {
        self.account_id_endpoint_mode.as_ref()
    }
    // @end account-id-endpoint
    // @only request-compression
    /// Whether request compression is disabled, when that was set.
    pub fn disable_request_compression(&self) -> ::std::option::Option<bool> {
        self.disable_request_compression
    }
    /// The smallest request body compressed, in bytes, when that was set (10240 otherwise).
    pub fn request_min_compression_size_bytes(&self) -> ::std::option::Option<u32> {
        self.request_min_compression_size_bytes
    }
    // @end request-compression

    /// Why the configured `endpoint_url` cannot be sent to, naming the setting and its value;
    /// `None` when it is unset or an absolute `http://` or `https://` URL with a host. Checked
    /// by `send()` before anything else runs, so such a URL is an error rather than a panic
    /// in the runtime (an empty one trips an assertion in aws-smithy-types) or a request to
    /// somewhere unintended.
    pub(crate) fn endpoint_url_problem(&self) -> ::std::option::Option<::std::string::String> {
        let url = self.endpoint_url.as_deref()?;
        let problem = endpoint_url_problem(url)?;
        ::std::option::Option::Some(::std::format!(
            "endpoint_url {url:?} {problem}: set Config::builder().endpoint_url(..) to a URL \
             such as https://example.com or http://127.0.0.1:8080, or leave it unset to use \
             the region's endpoint"
        ))
    }
}

/// What is wrong with `url` as an endpoint, if anything.
fn endpoint_url_problem(url: &str) -> ::std::option::Option<::std::string::String> {
    if url.is_empty() {
        return ::std::option::Option::Some("is empty".into());
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return ::std::option::Option::Some("has no http:// or https:// scheme".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_and_port.strip_prefix('[') {
        ::std::option::Option::Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        ::std::option::Option::None => host_and_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return ::std::option::Option::Some("has no host".into());
    }
    match ::http::Uri::try_from(url) {
        ::std::result::Result::Ok(_) => ::std::option::Option::None,
        ::std::result::Result::Err(e) => {
            ::std::option::Option::Some(::std::format!("is not a valid URL ({e})"))
        }
    }
}

/// A region that is not a region name: refused by `send()` before the endpoint is resolved
/// or anything is signed, wherever it was set (in code, `AWS_REGION`, a profile, an
/// `SdkConfig`). The region becomes part of the endpoint's host name, so a value such as
/// `x@127.0.0.1:8443#` would otherwise send the signed request, session token included, to
/// another host.
#[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq)]
pub struct InvalidRegion {
    region: ::std::string::String,
}

impl InvalidRegion {
    /// The region as it was configured.
    pub fn region(&self) -> &str {
        &self.region
    }
}

impl ::std::fmt::Display for InvalidRegion {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(
            f,
            "region {:?} is not a valid region name: it must be 1 to 63 ASCII letters, digits \
             and hyphens, neither starting nor ending with a hyphen (botocore's rule \
             {REGION_NAME_RULE}); set a region such as us-east-1 with \
             Config::builder().region(..), AWS_REGION or the profile's `region`",
            self.region
        )
    }
}

impl ::std::error::Error for InvalidRegion {}

/// The rule a region name must follow: botocore's `validate_region_name` pattern, which the
/// AWS CLI and the AWS SDK for Python apply before building any URL.
pub const REGION_NAME_RULE: &str = r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$";

/// Checks a region name against [`REGION_NAME_RULE`]: 1 to 63 ASCII letters, digits and
/// hyphens, the first and last not a hyphen. `send()` calls it on the configured region;
/// a program (the CLI does) can call it to report a bad region in its own words.
pub fn check_region(region: &str) -> ::std::result::Result<(), InvalidRegion> {
    let bytes = region.as_bytes();
    let valid = (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != ::std::option::Option::Some(&b'-')
        && bytes.last() != ::std::option::Option::Some(&b'-');
    if valid {
        ::std::result::Result::Ok(())
    } else {
        ::std::result::Result::Err(InvalidRegion {
            region: region.to_owned(),
        })
    }
}

/// Builds a [`Config`].
#[derive(::std::clone::Clone, ::std::fmt::Debug)]
pub struct Builder {
    inner: Config,
}

impl ::std::default::Default for Builder {
    fn default() -> Self {
        Builder {
            inner: Config {
                region: None,
                credentials_provider: None,
                endpoint_url: None,
                use_fips: None,
                use_dual_stack: None,
                retry_config: None,
                timeout_config: None,
                time_source: None,
                sleep_impl: None,
                http_client: None,
                behavior_version: None,
                endpoint_resolver: None,
                interceptors: ::std::vec::Vec::new(),
                validation_mode: ValidationMode::default(),
                identity_cache: None,
                app_name: None,
                framework_metadata: ::std::vec::Vec::new(),
                stalled_stream_protection: None,
                disable_clock_skew_correction: None,
                auth_scheme_preference: None,
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                // @only sigv4a
                sigv4a_signing_region_set: None,
                // @end sigv4a
                // @only account-id-endpoint
                account_id_endpoint_mode: None,
                // @end account-id-endpoint
                // @only request-compression
                disable_request_compression: None,
                request_min_compression_size_bytes: None,
                // @end request-compression
            },
        }
    }
}

// Carries what the official crate's conversion carries (aws-sdk-redshiftserverless 1.129.0,
// `config.rs`), so code moves between the two crates without losing a setting.
impl ::std::convert::From<&::aws_types::SdkConfig> for Builder {
    fn from(sdk: &::aws_types::SdkConfig) -> Self {
        let mut b = Builder::default();
        b.inner.region = sdk.region().cloned();
        b.inner.credentials_provider = sdk.credentials_provider();
        b.inner.endpoint_url = configured_endpoint_url(sdk).map(|c| c.url);
        b.inner.use_fips = sdk.use_fips();
        b.inner.use_dual_stack = sdk.use_dual_stack();
        b.inner.retry_config = sdk.retry_config().cloned();
        b.inner.timeout_config = sdk.timeout_config().cloned();
        b.inner.time_source = sdk.time_source();
        b.inner.sleep_impl = sdk.sleep_impl();
        b.inner.http_client = sdk.http_client();
        b.inner.behavior_version = sdk.behavior_version();
        b.inner.identity_cache = sdk.identity_cache();
        b.inner.app_name = sdk.app_name().cloned();
        b.inner.framework_metadata = sdk.framework_metadata().to_vec();
        b.inner.stalled_stream_protection = sdk.stalled_stream_protection();
        b.inner.disable_clock_skew_correction = sdk.disable_clock_skew_correction();
        b.inner.auth_scheme_preference = sdk.auth_scheme_preference().cloned();
        // @only sigv4a
        b.inner.sigv4a_signing_region_set = sdk.sigv4a_signing_region_set().cloned();
        // @end sigv4a
        // @only account-id-endpoint
        b.inner.account_id_endpoint_mode = sdk.account_id_endpoint_mode().cloned();
        // @end account-id-endpoint
        // @only request-compression
        b.inner.disable_request_compression = sdk.disable_request_compression();
        b.inner.request_min_compression_size_bytes = sdk.request_min_compression_size_bytes();
        // @end request-compression
        b
    }
}

/// Where [`configured_endpoint_url`] found an endpoint URL.
#[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq)]
#[non_exhaustive]
pub enum EndpointUrlSource {
    /// Set in code on the `SdkConfig` (`aws_config::ConfigLoader::endpoint_url`), or on an
    /// `SdkConfig` built by hand.
    SdkConfig,
    /// The service's variable, named here: `AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS`.
    ServiceEnvironmentVariable(::std::string::String),
    /// `AWS_ENDPOINT_URL`.
    EnvironmentVariable,
    /// `endpoint_url` under the service's key, named here, in the `[services NAME]` section
    /// the profile's `services` setting names.
    ServicesSection(::std::string::String),
    /// The profile's own `endpoint_url`.
    Profile,
}

/// An endpoint URL configured outside the code, and where it was found.
#[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq)]
pub struct ConfiguredEndpointUrl {
    url: ::std::string::String,
    source: EndpointUrlSource,
}

impl ConfiguredEndpointUrl {
    /// The URL, as configured (not checked: `send()` reports an unusable one).
    pub fn url(&self) -> &str {
        &self.url
    }
    /// Where it was found.
    pub fn source(&self) -> &EndpointUrlSource {
        &self.source
    }
}

/// The key of this service in a profile's `[services]` section, as the AWS documentation,
/// botocore and the AWS CLI spell it: the sdkId in lower case with `_` for spaces and
/// hyphens (`redshift_serverless`).
pub fn services_section_key() -> ::std::string::String {
    crate::runtime::SERVICE_NAME
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// The endpoint URL an `SdkConfig` gives this service, and where it came from, in this
/// order (the AWS SDKs' and the AWS CLI's):
///
/// 1. one set in code on the `SdkConfig`;
/// 2. `AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS`, then `AWS_ENDPOINT_URL`;
/// 3. in the `[services NAME]` section named by the profile's `services` setting,
///    `endpoint_url` under `redshift_serverless` (the key the AWS documentation, botocore
///    and the AWS CLI use), then under `redshift-serverless` (the only key
///    `aws-sdk-redshiftserverless` reads, through aws-config);
/// 4. the profile's `endpoint_url`.
///
/// Nothing from 2 to 4 applies when `ignore_configured_endpoint_urls` is set (environment or
/// profile); an empty variable counts as unset. `Config::from(&SdkConfig)` uses this.
///
/// aws-config reports the service's settings only through its service config, which answers
/// each lookup with the first of the service's and the shared settings; this function asks
/// it several questions and compares the answers. One consequence: a `[services]` value
/// equal to the profile's `endpoint_url` cannot be told from an absent one, so with
/// `redshift_serverless` set to the profile's own `endpoint_url` and `redshift-serverless`
/// set to another URL, the other URL is used.
pub fn configured_endpoint_url(
    sdk: &::aws_types::SdkConfig,
) -> ::std::option::Option<ConfiguredEndpointUrl> {
    let found = |url: ::std::string::String, source| {
        ::std::option::Option::Some(ConfiguredEndpointUrl { url, source })
    };
    if sdk.get_origin("endpoint_url").is_client_config() {
        return found(sdk.endpoint_url()?.to_owned(), EndpointUrlSource::SdkConfig);
    }
    // Every lookup names `AWS_ENDPOINT_URL`, so aws-config applies
    // `ignore_configured_endpoint_urls` to each. A service id of "" and a profile key of ""
    // match no variable or key that anyone sets: they leave out the service's setting and
    // the profile's respectively.
    let lookup = |service_id: &str, profile_key: &str| {
        let key = ::aws_types::service_config::ServiceConfigKey::builder()
            .service_id(service_id)
            .env("AWS_ENDPOINT_URL")
            .profile(profile_key)
            .build()
            .ok()?;
        sdk.service_config()?
            .load_config(key)
            .filter(|url| !url.trim().is_empty())
    };
    let key = services_section_key();
    let service_env = lookup(&key, "");
    let shared_env = lookup("", "");
    if service_env.is_some() && service_env != shared_env {
        let name = ::std::format!("AWS_ENDPOINT_URL_{}", key.to_uppercase());
        return found(
            service_env?,
            EndpointUrlSource::ServiceEnvironmentVariable(name),
        );
    }
    if let ::std::option::Option::Some(url) = shared_env {
        return found(url, EndpointUrlSource::EnvironmentVariable);
    }
    let shared_profile = lookup("", "endpoint_url");
    // aws-config turns the service id "Redshift Serverless" into the key `redshift-serverless`.
    for (service_id, key) in [
        (key.as_str(), key.clone()),
        (
            crate::runtime::SERVICE_NAME,
            crate::runtime::SERVICE_NAME
                .to_lowercase()
                .replace(' ', "-"),
        ),
    ] {
        let url = lookup(service_id, "endpoint_url");
        if url.is_some() && url != shared_profile {
            return found(url?, EndpointUrlSource::ServicesSection(key));
        }
    }
    if let ::std::option::Option::Some(url) = shared_profile {
        return found(url, EndpointUrlSource::Profile);
    }
    // An `SdkConfig` without aws-config's service config (built by hand).
    let url = sdk.endpoint_url()?.to_owned();
    let origin = sdk.get_origin("endpoint_url");
    let source = if origin == ::aws_types::origin::Origin::shared_environment_variable() {
        EndpointUrlSource::EnvironmentVariable
    } else if origin == ::aws_types::origin::Origin::shared_profile_file() {
        EndpointUrlSource::Profile
    } else {
        EndpointUrlSource::SdkConfig
    };
    found(url, source)
}

impl ::std::convert::From<&::aws_types::SdkConfig> for Config {
    fn from(sdk: &::aws_types::SdkConfig) -> Self {
        Builder::from(sdk).build()
    }
}

impl Builder {
    /// Creates an empty builder.
    pub fn new() -> Self {
        Self::default()
    }
    /// The region to send requests to (also the SigV4 signing region). It must be a region
    /// name ([`check_region`]): `send()` refuses any other value with an [`InvalidRegion`]
    /// error before resolving the endpoint.
    pub fn region(
        mut self,
        region: impl ::std::convert::Into<::std::option::Option<Region>>,
    ) -> Self {
        self.inner.region = region.into();
        self
    }
    /// Sets or clears the region.
    pub fn set_region(&mut self, region: ::std::option::Option<Region>) -> &mut Self {
        self.inner.region = region;
        self
    }
    /// The credentials provider used to sign requests.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.inner.credentials_provider =
            ::std::option::Option::Some(SharedCredentialsProvider::new(provider));
        self
    }
    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(
        &mut self,
        provider: ::std::option::Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        self.inner.credentials_provider = provider;
        self
    }
    /// Sends every request to this URL instead of a resolved endpoint.
    pub fn endpoint_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.inner.endpoint_url = ::std::option::Option::Some(url.into());
        self
    }
    /// Sets or clears the endpoint URL override.
    pub fn set_endpoint_url(
        &mut self,
        url: ::std::option::Option<::std::string::String>,
    ) -> &mut Self {
        self.inner.endpoint_url = url;
        self
    }
    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: impl ::std::convert::Into<bool>) -> Self {
        self.inner.use_fips = ::std::option::Option::Some(use_fips.into());
        self
    }
    /// Sets or clears the FIPS flag.
    pub fn set_use_fips(&mut self, use_fips: ::std::option::Option<bool>) -> &mut Self {
        self.inner.use_fips = use_fips;
        self
    }
    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: impl ::std::convert::Into<bool>) -> Self {
        self.inner.use_dual_stack = ::std::option::Option::Some(use_dual_stack.into());
        self
    }
    /// Sets or clears the dual-stack flag.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: ::std::option::Option<bool>) -> &mut Self {
        self.inner.use_dual_stack = use_dual_stack;
        self
    }
    /// Retry behaviour (standard mode with 3 attempts when unset). At most
    /// `redshift_serverless_retry::MAX_ATTEMPTS` (100) attempts are made, and backoffs are
    /// held to `MAX_BACKOFF_LIMIT` (1 hour), whatever this asks.
    pub fn retry_config(mut self, retry_config: retry::RetryConfig) -> Self {
        self.inner.retry_config = ::std::option::Option::Some(retry_config);
        self
    }
    /// Sets or clears the retry configuration.
    pub fn set_retry_config(
        &mut self,
        retry_config: ::std::option::Option<retry::RetryConfig>,
    ) -> &mut Self {
        self.inner.retry_config = retry_config;
        self
    }
    /// Connect, read, attempt and operation timeouts.
    ///
    /// The read timeout bounds every wait for the response: the built-in HTTP client applies
    /// it to the wait for the head, and, unless [`Builder::stalled_stream_protection`] is set,
    /// the client runs stalled-stream protection with the read timeout as its grace period,
    /// so a body that stops arriving (less than 1 byte a second) for the read timeout fails
    /// the attempt with a response error whose source says `minimum throughput was specified
    /// at 1 B/s, but throughput of 0 B/s was observed`. This is the one mechanism for a
    /// stalled body; the built-in client's body deadline
    /// (`redshift_serverless_http::Builder::body_timeout`, 30 s after the read timeout) only
    /// cuts off a body that keeps trickling.
    pub fn timeout_config(mut self, timeout_config: timeout::TimeoutConfig) -> Self {
        self.inner.timeout_config = ::std::option::Option::Some(timeout_config);
        self
    }
    /// Sets or clears the timeout configuration.
    pub fn set_timeout_config(
        &mut self,
        timeout_config: ::std::option::Option<timeout::TimeoutConfig>,
    ) -> &mut Self {
        self.inner.timeout_config = timeout_config;
        self
    }
    /// The clock used for signing and retries (tests inject a fake one).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.inner.time_source = ::std::option::Option::Some(SharedTimeSource::new(time_source));
        self
    }
    /// Sets or clears the time source.
    pub fn set_time_source(
        &mut self,
        time_source: ::std::option::Option<SharedTimeSource>,
    ) -> &mut Self {
        self.inner.time_source = time_source;
        self
    }
    /// The sleep implementation used for backoff and timeouts.
    pub fn sleep_impl(mut self, sleep_impl: impl AsyncSleep + 'static) -> Self {
        self.inner.sleep_impl = ::std::option::Option::Some(SharedAsyncSleep::new(sleep_impl));
        self
    }
    /// Sets or clears the sleep implementation.
    pub fn set_sleep_impl(
        &mut self,
        sleep_impl: ::std::option::Option<SharedAsyncSleep>,
    ) -> &mut Self {
        self.inner.sleep_impl = sleep_impl;
        self
    }
    /// The HTTP client requests go through, instead of the built-in one (which
    /// [`Builder::max_response_size`] configures, and which then is not used).
    pub fn http_client(mut self, http_client: impl HttpClient + 'static) -> Self {
        self.inner.http_client = ::std::option::Option::Some(SharedHttpClient::new(http_client));
        self
    }
    /// Sets or clears the HTTP client.
    pub fn set_http_client(
        &mut self,
        http_client: ::std::option::Option<SharedHttpClient>,
    ) -> &mut Self {
        self.inner.http_client = http_client;
        self
    }
    /// The behavior version: which defaults apply. The latest is used when unset.
    pub fn behavior_version(mut self, behavior_version: BehaviorVersion) -> Self {
        self.inner.behavior_version = ::std::option::Option::Some(behavior_version);
        self
    }
    /// Uses the latest behavior version.
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }
    /// Sets or clears the behavior version.
    pub fn set_behavior_version(
        &mut self,
        behavior_version: ::std::option::Option<BehaviorVersion>,
    ) -> &mut Self {
        self.inner.behavior_version = behavior_version;
        self
    }
    /// Replaces the endpoint resolver generated from the model's rule set.
    pub fn endpoint_resolver(
        mut self,
        resolver: impl crate::config::endpoint::ResolveEndpoint + 'static,
    ) -> Self {
        self.inner.endpoint_resolver = ::std::option::Option::Some(SharedEndpointResolverHolder(
            resolver.into_shared_resolver(),
        ));
        self
    }
    /// Adds an interceptor that runs on every request.
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.inner
            .interceptors
            .push(SharedInterceptor::new(interceptor));
        self
    }
    /// Client-side constraint validation: [`ValidationMode::Enforce`] (the default)
    /// rejects any request the model forbids before it is sent;
    /// [`ValidationMode::Off`] sends it anyway, for a model older than the service.
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.inner.validation_mode = mode;
        self
    }
    /// Sets the validation mode.
    pub fn set_validation(&mut self, mode: ValidationMode) -> &mut Self {
        self.inner.validation_mode = mode;
        self
    }
    /// The identity cache for credentials: [`IdentityCache::lazy`] (the default) resolves
    /// them when first needed and again shortly before they expire;
    /// [`IdentityCache::no_cache`] resolves them for every request.
    pub fn identity_cache(mut self, identity_cache: impl ResolveCachedIdentity + 'static) -> Self {
        self.set_identity_cache(identity_cache);
        self
    }
    /// Sets the identity cache for credentials.
    pub fn set_identity_cache(
        &mut self,
        identity_cache: impl ResolveCachedIdentity + 'static,
    ) -> &mut Self {
        self.inner.identity_cache =
            ::std::option::Option::Some(SharedIdentityCache::new(identity_cache));
        self
    }
    /// The name of the application, sent in the user agent (`app/NAME`).
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.set_app_name(::std::option::Option::Some(app_name));
        self
    }
    /// Sets or clears the name of the application.
    pub fn set_app_name(&mut self, app_name: ::std::option::Option<AppName>) -> &mut Self {
        self.inner.app_name = app_name;
        self
    }
    /// Adds a framework or library built on this client to the user agent (`lib/NAME/VERSION`).
    pub fn framework_metadata(mut self, framework_metadata: FrameworkMetadata) -> Self {
        self.push_framework_metadata(framework_metadata);
        self
    }
    /// Adds framework metadata to the user agent.
    pub fn push_framework_metadata(&mut self, framework_metadata: FrameworkMetadata) -> &mut Self {
        self.inner.framework_metadata.push(framework_metadata);
        self
    }
    /// Stalled-stream protection: fails a request whose upload or response body makes no
    /// progress for the grace period. Unset, it follows the read timeout (see
    /// [`Builder::timeout_config`]): on, with the read timeout as the grace period, or, without
    /// a read timeout, the runtime's default (on, with 5 s).
    pub fn stalled_stream_protection(
        mut self,
        stalled_stream_protection_config: StalledStreamProtectionConfig,
    ) -> Self {
        self.set_stalled_stream_protection(::std::option::Option::Some(
            stalled_stream_protection_config,
        ));
        self
    }
    /// Sets or clears the stalled-stream protection (cleared: the default applies).
    pub fn set_stalled_stream_protection(
        &mut self,
        stalled_stream_protection_config: ::std::option::Option<StalledStreamProtectionConfig>,
    ) -> &mut Self {
        self.inner.stalled_stream_protection = stalled_stream_protection_config;
        self
    }
    /// Whether to stop correcting the signing time by the clock skew measured from the
    /// service's `Date` headers (and stop retrying signature errors caused by a skew).
    pub fn disable_clock_skew_correction(
        mut self,
        disable_clock_skew_correction: impl ::std::convert::Into<::std::option::Option<bool>>,
    ) -> Self {
        self.set_disable_clock_skew_correction(disable_clock_skew_correction.into());
        self
    }
    /// Sets or clears whether clock-skew correction is disabled.
    pub fn set_disable_clock_skew_correction(
        &mut self,
        disable_clock_skew_correction: ::std::option::Option<bool>,
    ) -> &mut Self {
        self.inner.disable_clock_skew_correction = disable_clock_skew_correction;
        self
    }
    /// The order in which to prefer auth schemes, a hint that reorders the schemes the
    /// operation supports (schemes it does not support are ignored). Where an operation
    /// signs with SigV4 alone, as every Redshift Serverless operation does, the preference
    /// can only confirm it; where it offers SigV4a too, it chooses between them.
    pub fn auth_scheme_preference(
        mut self,
        preference: impl ::std::convert::Into<auth::AuthSchemePreference>,
    ) -> Self {
        self.set_auth_scheme_preference(::std::option::Option::Some(preference.into()));
        self
    }
    /// Sets or clears the auth scheme preference.
    pub fn set_auth_scheme_preference(
        &mut self,
        preference: ::std::option::Option<auth::AuthSchemePreference>,
    ) -> &mut Self {
        self.inner.auth_scheme_preference = preference;
        self
    }
    /// The largest response body, in bytes, that the built-in HTTP client
    /// (redshift-serverless-http, used when no `http_client` is set) reads; default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] (1 MiB). A response that declares a larger
    /// `Content-Length`, or sends more, fails the call as soon as that is known, with a
    /// response error (`SdkError::ResponseError`) whose source is
    /// `redshift_serverless_http::ResponseTooLarge`, saying `HTTP response body exceeds the
    /// max_response_size limit of N bytes`; it is not retried, since a retry would read as
    /// much again.
    ///
    /// With your own `http_client` (set here or carried by an `SdkConfig`) this setting does
    /// nothing: that client reads what it reads, and aws-smithy-http-client has no limit.
    /// Bound it there, e.g. with `redshift_serverless_http::Builder::max_response_size`.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.set_max_response_size(::std::option::Option::Some(bytes));
        self
    }
    /// Sets the largest response body the built-in HTTP client reads; `None` restores
    /// [`DEFAULT_MAX_RESPONSE_SIZE`].
    pub fn set_max_response_size(&mut self, bytes: ::std::option::Option<u64>) -> &mut Self {
        self.inner.max_response_size = bytes.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE);
        self
    }
    // @only sigv4a
    /// The regions a SigV4a signature is valid in (`x-amz-region-set`), such as `*` or
    /// `us-east-1,us-west-2`. Unset, the endpoint's `signingRegionSet` applies, else the
    /// client's region, as in the official SDK.
    pub fn sigv4a_signing_region_set(
        mut self,
        region_set: impl ::std::convert::Into<SigningRegionSet>,
    ) -> Self {
        self.set_sigv4a_signing_region_set(::std::option::Option::Some(region_set.into()));
        self
    }
    /// Sets or clears the SigV4a signing region set.
    pub fn set_sigv4a_signing_region_set(
        &mut self,
        region_set: ::std::option::Option<SigningRegionSet>,
    ) -> &mut Self {
        self.inner.sigv4a_signing_region_set = region_set;
        self
    }
    // @end sigv4a
    // @only account-id-endpoint
    /// Whether endpoints may be chosen by the account ID of the credentials
    /// (`AWS::Auth::AccountIdEndpointMode`): `preferred` (the default: when the credentials
    /// carry one), `disabled`, or `required` (a call whose credentials carry none fails).
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.set_account_id_endpoint_mode(::std::option::Option::Some(mode));
        self
    }
    /// Sets or clears the account ID endpoint mode.
    pub fn set_account_id_endpoint_mode(
        &mut self,
        mode: ::std::option::Option<AccountIdEndpointMode>,
    ) -> &mut Self {
        self.inner.account_id_endpoint_mode = mode;
        self
    }
    // @end account-id-endpoint
    // @only request-compression
    /// Whether to send the request bodies of operations with `@requestCompression`
    /// uncompressed. By default they are gzipped when at least
    /// [`request_min_compression_size_bytes`](Self::request_min_compression_size_bytes) long.
    pub fn disable_request_compression(
        mut self,
        disable_request_compression: impl ::std::convert::Into<::std::option::Option<bool>>,
    ) -> Self {
        self.set_disable_request_compression(disable_request_compression.into());
        self
    }
    /// Sets or clears whether request compression is disabled.
    pub fn set_disable_request_compression(
        &mut self,
        disable_request_compression: ::std::option::Option<bool>,
    ) -> &mut Self {
        self.inner.disable_request_compression = disable_request_compression;
        self
    }
    /// The smallest request body, in bytes, that is compressed (default 10240; at most
    /// 10485760, and a larger value fails every compressed operation's call).
    pub fn request_min_compression_size_bytes(
        mut self,
        bytes: impl ::std::convert::Into<::std::option::Option<u32>>,
    ) -> Self {
        self.set_request_min_compression_size_bytes(bytes.into());
        self
    }
    /// Sets or clears the smallest request body that is compressed.
    pub fn set_request_min_compression_size_bytes(
        &mut self,
        bytes: ::std::option::Option<u32>,
    ) -> &mut Self {
        self.inner.request_min_compression_size_bytes = bytes;
        self
    }
    // @end request-compression
    /// Builds the configuration.
    pub fn build(self) -> Config {
        self.inner
    }
}
