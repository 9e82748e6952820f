//! Runtime wiring shared by every operation: SigV4, the endpoint, retries, timeouts
//! and the AWS interceptors. Built once per client.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `runtime.rs`, after the items that depend on the model: `SIGNING_NAME`,
// `SERVICE_NAME`, `SERVICE_ID` (user agent and retry partition), `CLIENT_CRATE` (names the
// config layer and runtime components) and `endpoint_params` (the rule set's parameters from
// the configuration). They are reached as `crate::runtime::..` so the same paths resolve in
// `codegen/inlineable-check`.

use ::aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use ::aws_smithy_runtime_api::client::auth::{
    AuthSchemeOptionResolverParams, SharedAuthScheme, SharedAuthSchemeOptionResolver,
};
use ::aws_smithy_runtime_api::client::endpoint::EndpointResolverParams;
use ::aws_smithy_runtime_api::client::identity::SharedIdentityResolver;
use ::aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use ::aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
use ::aws_smithy_types::config_bag::Layer;

use crate::config::endpoint::ResolveEndpoint;

/// Why a client cannot send, found before any I/O: a missing or unusable setting.
/// A region that is not a region name is an `InvalidRegion`, refused here, before
/// the endpoint (whose host name it becomes) is resolved. Credentials are needed unless
/// the operation may be called unsigned (`@auth([])`, `@optionalAuth`).
pub(crate) fn missing_setting(
    conf: &crate::Config,
    needs_credentials: bool,
) -> ::std::option::Option<::aws_smithy_runtime_api::box_error::BoxError> {
    if needs_credentials && conf.credentials_provider.is_none() {
        return ::std::option::Option::Some(
            "no credentials provider is configured: set one with Config::builder().credentials_provider(..) or load the default chain with aws-config".into(),
        );
    }
    let ::std::option::Option::Some(region) = &conf.region else {
        return ::std::option::Option::Some(
            "no region is configured: set one with Config::builder().region(..), AWS_REGION, or a profile".into(),
        );
    };
    if let ::std::result::Result::Err(invalid) = crate::config::check_region(region.as_ref()) {
        return ::std::option::Option::Some(invalid.into());
    }
    conf.endpoint_url_problem().map(::std::convert::Into::into)
}

/// The retry configuration: the configured one held to the retry crate's bounds (at
/// most `MAX_ATTEMPTS` attempts), else standard mode with 3 attempts.
pub(crate) fn retry_config(conf: &crate::Config) -> ::aws_smithy_types::retry::RetryConfig {
    match conf.retry_config.clone() {
        ::std::option::Option::Some(configured) => {
            ::redshift_serverless_retry::bounded_retry_config(configured)
        }
        ::std::option::Option::None => ::redshift_serverless_retry::retry_config(
            ::aws_smithy_types::retry::RetryMode::Standard,
            3,
        ),
    }
}

/// The HTTP client: the configured one, else the default HTTP/1.1 + rustls (ring) client.
pub(crate) fn http_client(
    conf: &crate::Config,
) -> ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient> {
    if let ::std::option::Option::Some(c) = &conf.http_client {
        return ::std::option::Option::Some(c.clone());
    }
    default_http_client(conf)
}

/// The built-in client, reading responses up to `Config::max_response_size`.
#[cfg(feature = "default-https-client")]
fn default_http_client(
    conf: &crate::Config,
) -> ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient> {
    ::std::option::Option::Some(
        ::redshift_serverless_http::Builder::new()
            .max_response_size(conf.max_response_size)
            .build(),
    )
}

#[cfg(not(feature = "default-https-client"))]
fn default_http_client(
    _conf: &crate::Config,
) -> ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient> {
    ::std::option::Option::None
}

/// An operation as a client keeps it, assembled on its first call: its name and the runtime
/// plugins it runs with. Every operation has this one type, so the orchestrator is called
/// from one place ([`invoke`]), compiled once, rather than once per operation.
#[derive(::std::fmt::Debug)]
pub(crate) struct Assembled {
    operation_name: &'static str,
    plugins: ::aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugins,
}

/// What the model says of an operation that the shared assembly needs.
pub(crate) struct OperationFacts {
    /// The operation's name in the model.
    pub(crate) name: &'static str,
    /// Whether its output is sensitive (kept out of the runtime's TRACE log of bodies).
    pub(crate) sensitive_output: bool,
    /// The auth schemes it may be called with, in order of preference.
    pub(crate) auth_schemes: &'static [::aws_smithy_runtime_api::client::auth::AuthSchemeId],
    // @only request-compression
    /// Whether it has `@requestCompression` (gzip).
    pub(crate) request_compression: bool,
    // @end request-compression
}

/// Assembles an operation: what every operation shares (names, behavior version, standard
/// retries, the interceptors, the service plugin with SigV4 and the endpoint, the HTTP client,
/// timeouts, sleep and time source, and for an operation whose output is sensitive, the
/// marker that keeps it out of TRACE logs), with what the operation module passes: its
/// retry classifier, serializer and deserializer. The same plugins, in the same order, as
/// aws-smithy-runtime's `OperationBuilder` assembles.
pub(crate) fn assemble(
    conf: &crate::Config,
    http_client: ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient>,
    facts: OperationFacts,
    classifier: ::aws_smithy_runtime_api::client::retries::classifiers::SharedRetryClassifier,
    serializer: ::aws_smithy_runtime_api::client::ser_de::SharedRequestSerializer,
    deserializer: ::aws_smithy_runtime_api::client::ser_de::SharedResponseDeserializer,
) -> Assembled {
    let OperationFacts {
        name: operation_name,
        sensitive_output,
        auth_schemes,
        // @only request-compression
        request_compression,
        // @end request-compression
    } = facts;
    let retry_config = retry_config(conf);
    let mut layer = Layer::new("operation");
    layer.store_put(retry_config);
    layer.store_put(serializer);
    layer.store_put(deserializer);
    if let ::std::option::Option::Some(t) = conf.timeout_config.clone() {
        layer.store_put(t);
    }
    layer.store_put(
        ::aws_smithy_runtime_api::client::orchestrator::Metadata::new(
            operation_name,
            crate::runtime::SERVICE_NAME,
        ),
    );
    let mut components = RuntimeComponentsBuilder::new("operation").with_retry_strategy(
        ::std::option::Option::Some(
            ::aws_smithy_runtime_api::client::retries::SharedRetryStrategy::new(
                ::aws_smithy_runtime::client::retries::strategy::StandardRetryStrategy::new(),
            ),
        ),
    );
    // One classifier has the final word on every attempt (see the retry crate).
    components.push_retry_classifier(classifier);
    // Interceptors nothing disables are registered `permanent`, as the official
    // crate registers poisoning and recursion detection: a plain one costs a
    // config-bag lookup (and an allocation) per hook per call to check whether
    // it was disabled. The other three stay disableable, as there.
    //
    // Measures the skew from each response's `Date` for the signer and the
    // classifier (switched off by `DisableClockSkewCorrection`, not by disabling it).
    components.push_interceptor(
        ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
            ::redshift_serverless_retry::ClockSkewInterceptor::new(),
        ),
    );
    // Drop a pooled connection after a transient failure instead of reusing it.
    components.push_interceptor(
        ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
            ::aws_smithy_runtime::client::http::connection_poisoning::ConnectionPoisoningInterceptor::new(),
        ),
    );
    // A response error's body (an unreadable success may hold a token) moves out
    // of the raw response the error keeps, so its `Debug` does not print it.
    components.push_interceptor(
        ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
            crate::response_body::RedactResponseBody,
        ),
    );
    // Fails an attempt whose response body stops making progress, as configured
    // by `StalledStreamProtectionConfig` (on by default), as the official crate does.
    components.push_interceptor(
        ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
            ::aws_smithy_runtime::client::stalled_stream_protection::StalledStreamProtectionInterceptor::default(),
        ),
    );
    // @only request-compression
    // Gzips a large enough body before the retry loop, so every attempt is signed and sent
    // compressed, as smithy-rs's `RequestCompressionInterceptor` does.
    if request_compression {
        components.push_interceptor(
            ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
                crate::request_compression::RequestCompressionInterceptor::new(conf),
            ),
        );
    }
    // @end request-compression
    components.push_interceptor(::aws_runtime::user_agent::UserAgentInterceptor::new());
    components.push_interceptor(::aws_runtime::invocation_id::InvocationIdInterceptor::new());
    components.push_interceptor(::aws_runtime::request_info::RequestInfoInterceptor::new());
    components.push_interceptor(
        ::aws_smithy_runtime_api::client::interceptors::SharedInterceptor::permanent(
            ::aws_runtime::recursion_detection::RecursionDetectionInterceptor::new(),
        ),
    );
    if let ::std::option::Option::Some(client) = http_client {
        components.set_http_client(::std::option::Option::Some(client));
    }
    if let ::std::option::Option::Some(s) = conf.sleep_impl.clone() {
        components.set_sleep_impl(::std::option::Option::Some(s));
    }
    if let ::std::option::Option::Some(t) = conf.time_source.clone() {
        components.set_time_source(::std::option::Option::Some(t));
    }
    let behavior_version = conf.behavior_version.unwrap_or_else(
        ::aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest,
    );
    let mut plugins = ::aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugins::new()
        .with_client_plugins(::aws_smithy_runtime::client::defaults::default_plugins(
            ::aws_smithy_runtime::client::defaults::DefaultPluginParams::new()
                .with_retry_partition_name(crate::runtime::SERVICE_NAME)
                .with_behavior_version(behavior_version),
        ))
        .with_client_plugin(
            StaticRuntimePlugin::new()
                .with_config(layer.freeze())
                .with_runtime_components(components),
        )
        .with_client_plugin(service_plugin(conf));
    // A sensitive output must not reach the runtime's TRACE log of response bodies.
    if sensitive_output {
        let mut layer = Layer::new(operation_name);
        layer.store_put(::aws_smithy_runtime_api::client::orchestrator::SensitiveOutput);
        plugins =
            plugins.with_client_plugin(StaticRuntimePlugin::new().with_config(layer.freeze()));
    }
    // An operation the model lets run unsigned (`@auth([])`, `@optionalAuth`) offers its own
    // list of schemes, with the no-auth scheme and its (empty) identity, as smithy-rs's
    // clients do; every other operation keeps the service plugin's SigV4 alone.
    if auth_schemes != [::redshift_serverless_signer::SCHEME_ID] {
        let no_auth = ::aws_smithy_runtime::client::auth::no_auth::NO_AUTH_SCHEME_ID;
        let mut components = RuntimeComponentsBuilder::new(operation_name)
            .with_auth_scheme_option_resolver(::std::option::Option::Some(
                SharedAuthSchemeOptionResolver::new(StaticAuthSchemeOptionResolver::new(
                    auth_schemes.to_vec(),
                )),
            ));
        if auth_schemes.contains(&no_auth) {
            components = components
                .with_auth_scheme(SharedAuthScheme::new(
                    ::aws_smithy_runtime::client::auth::no_auth::NoAuthScheme::new(),
                ))
                .with_identity_resolver(
                    no_auth,
                    SharedIdentityResolver::new(
                        ::aws_smithy_runtime::client::identity::no_auth::NoAuthIdentityResolver::new(),
                    ),
                );
        }
        plugins = plugins
            .with_client_plugin(StaticRuntimePlugin::new().with_runtime_components(components));
    }
    // @only account-id-endpoint
    // The credentials' account ID is an endpoint parameter, so the endpoint is resolved after
    // the identity, the order the official crates use for every service (without the marker
    // the runtime resolves it first, to choose the auth scheme from its `authSchemes`, and
    // never asks the resolver to finalize its parameters). The scheme is still chosen by the
    // endpoint's `authSchemes`, by `EndpointAwareOptions`.
    let mut layer = Layer::new(operation_name);
    layer.store_put(
        ::aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2,
    );
    plugins = plugins.with_client_plugin(
        StaticRuntimePlugin::new()
            .with_config(layer.freeze())
            .with_runtime_components(
                RuntimeComponentsBuilder::new(operation_name)
                    .with_auth_scheme_option_resolver(::std::option::Option::Some(
                        SharedAuthSchemeOptionResolver::new(EndpointAwareOptions(
                            StaticAuthSchemeOptionResolver::new(auth_schemes.to_vec()),
                        )),
                    ))
                    .with_interceptor(EndpointParamsInState),
            ),
    );
    // @end account-id-endpoint
    Assembled {
        operation_name,
        plugins,
    }
}

// @only account-id-endpoint
/// Copies the configuration's endpoint parameters (the service plugin's layer) into the
/// interceptor state, where the runtime reads them when it resolves the endpoint after the
/// identity (an operation with its own endpoint parameters replaces them as its input is
/// serialized, reading them the same way).
#[derive(::std::fmt::Debug)]
pub(crate) struct EndpointParamsInState;

impl ::aws_smithy_runtime_api::client::interceptors::Intercept for EndpointParamsInState {
    fn name(&self) -> &'static str {
        "EndpointParamsInState"
    }

    fn read_before_execution(
        &self,
        _context: &::aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ::aws_smithy_types::config_bag::ConfigBag,
    ) -> ::std::result::Result<(), ::aws_smithy_runtime_api::box_error::BoxError> {
        let params = cfg
            .load::<EndpointResolverParams>()
            .and_then(|p| p.get::<crate::config::endpoint::Params>())
            .cloned();
        if let ::std::option::Option::Some(params) = params {
            cfg.interceptor_state()
                .store_put(EndpointResolverParams::new(params));
        }
        ::std::result::Result::Ok(())
    }
}

/// An operation's auth scheme options narrowed to those its endpoint's `authSchemes` name (all
/// of them when it names none), the choice the runtime makes itself when it resolves the
/// endpoint before the identity. The endpoint is resolved here from the parameters known
/// before the identity; it is resolved again, with the credentials' account ID, once the
/// identity is.
#[derive(::std::fmt::Debug)]
pub(crate) struct EndpointAwareOptions(StaticAuthSchemeOptionResolver);

impl ::aws_smithy_runtime_api::client::auth::ResolveAuthSchemeOptions for EndpointAwareOptions {
    fn resolve_auth_scheme_options_v2<'a>(
        &'a self,
        params: &'a AuthSchemeOptionResolverParams,
        cfg: &'a ::aws_smithy_types::config_bag::ConfigBag,
        runtime_components: &'a ::aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
    ) -> ::aws_smithy_runtime_api::client::auth::AuthSchemeOptionsFuture<'a> {
        use ::aws_smithy_runtime_api::client::endpoint::ResolveEndpoint as _;
        ::aws_smithy_runtime_api::client::auth::AuthSchemeOptionsFuture::new(async move {
            let options = self
                .0
                .resolve_auth_scheme_options_v2(params, cfg, runtime_components)
                .await?;
            let no_auth = ::aws_smithy_runtime::client::auth::no_auth::NO_AUTH_SCHEME_ID;
            // Only a choice between signing schemes needs the endpoint (and resolving it here
            // would run endpoint discovery for an operation that requires it).
            if options.iter().filter(|o| *o.scheme_id() != no_auth).count() < 2 {
                return ::std::result::Result::Ok(options);
            }
            let ::std::option::Option::Some(endpoint_params) = cfg.load::<EndpointResolverParams>()
            else {
                return ::std::result::Result::Ok(options);
            };
            // As when the runtime resolves the endpoint first: a failure ends the call.
            let endpoint = runtime_components
                .endpoint_resolver()
                .resolve_endpoint(endpoint_params)
                .await?;
            let named: ::std::vec::Vec<&str> = endpoint
                .properties()
                .get("authSchemes")
                .and_then(::aws_smithy_types::Document::as_array)
                .map(|schemes| {
                    schemes
                        .iter()
                        .filter_map(|s| s.as_object()?.get("name")?.as_string())
                        .collect()
                })
                .unwrap_or_default();
            if named.is_empty() {
                return ::std::result::Result::Ok(options);
            }
            ::std::result::Result::Ok(
                options
                    .into_iter()
                    .filter(|o| *o.scheme_id() == no_auth || named.contains(&o.scheme_id().inner()))
                    .collect(),
            )
        })
    }
}
// @end account-id-endpoint

/// What [`invoke`] returns: the orchestrator's future, boxed.
pub(crate) type Invocation<'a> = ::std::pin::Pin<
    ::std::boxed::Box<
        dyn ::std::future::Future<
                Output = ::std::result::Result<
                    ::aws_smithy_runtime_api::client::interceptors::context::Output,
                    ::aws_smithy_runtime_api::client::result::SdkError<
                        ::aws_smithy_runtime_api::client::interceptors::context::Error,
                        ::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
                    >,
                >,
            > + ::std::marker::Send
            + 'a,
    >,
>;

/// Sends an operation's type-erased input through the orchestrator (serializer, endpoint,
/// signing, retries, deserializer), in the runtime's `invoke` span, as aws-smithy-runtime's
/// `Operation::invoke` does.
///
/// The future is boxed, and this function is never inlined, so the orchestrator is compiled
/// once, in this crate: an `async fn` here would be small enough for rustc to compile it again
/// (and the whole orchestrator with it, about 25k lines of LLVM IR) in every crate that awaits
/// an operation. The price is one allocation per call.
#[inline(never)]
pub(crate) fn invoke(
    operation: &Assembled,
    input: ::aws_smithy_runtime_api::client::interceptors::context::Input,
) -> Invocation<'_> {
    use ::tracing::Instrument;
    ::std::boxed::Box::pin(
        ::aws_smithy_runtime::client::orchestrator::invoke(
            crate::runtime::SERVICE_NAME,
            operation.operation_name,
            input,
            &operation.plugins,
        )
        .instrument(::tracing::debug_span!(
            "invoke",
            "rpc.service" = crate::runtime::SERVICE_NAME,
            "rpc.method" = operation.operation_name
        )),
    )
}

/// Sends `input` as `operation` and gives back its typed output or error: the only part of a
/// call that is compiled per operation, a downcast on either side of [`invoke`].
pub(crate) async fn send<I, O, E>(
    operation: &Assembled,
    input: I,
) -> ::std::result::Result<
    O,
    ::aws_smithy_runtime_api::client::result::SdkError<
        E,
        ::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
>
where
    I: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
    O: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
    E: ::std::error::Error
        + ::std::fmt::Debug
        + ::std::marker::Send
        + ::std::marker::Sync
        + 'static,
{
    let input = ::aws_smithy_runtime_api::client::interceptors::context::Input::erase(input);
    let output = invoke(operation, input).await.map_err(|err| {
        err.map_service_error(|e| {
            e.downcast()
                .expect("the operation's deserializer made this error")
        })
    })?;
    ::std::result::Result::Ok(
        output
            .downcast()
            .expect("the operation's deserializer made this output"),
    )
}

/// What an operation's serializer is: its protocol crate's `ser_erased`.
type SerializeFn = fn(
    ::aws_smithy_runtime_api::client::interceptors::context::Input,
) -> ::std::result::Result<
    ::aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ::aws_smithy_runtime_api::box_error::BoxError,
>;

/// An operation's serializer: its protocol crate's `ser_erased`. One type for every
/// operation, so its `SerializeRequest` implementation is compiled once.
pub(crate) struct Serializer(pub(crate) SerializeFn);

impl ::std::fmt::Debug for Serializer {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Serializer")
    }
}

impl ::aws_smithy_runtime_api::client::ser_de::SerializeRequest for Serializer {
    fn serialize_input(
        &self,
        input: ::aws_smithy_runtime_api::client::interceptors::context::Input,
        _cfg: &mut ::aws_smithy_types::config_bag::ConfigBag,
    ) -> ::std::result::Result<
        ::aws_smithy_runtime_api::client::orchestrator::HttpRequest,
        ::aws_smithy_runtime_api::box_error::BoxError,
    > {
        (self.0)(input)
    }
}

/// What an operation's deserializer is: its protocol crate's `de_erased`.
type DeserializeFn = fn(
    &::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
) -> ::std::result::Result<
    ::aws_smithy_runtime_api::client::interceptors::context::Output,
    ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError<
        ::aws_smithy_runtime_api::client::interceptors::context::Error,
    >,
>;

/// An operation's deserializer: its protocol crate's `de_erased` (an operation error, or a
/// response error for a success it cannot read). One type for every operation.
pub(crate) struct Deserializer(pub(crate) DeserializeFn);

impl ::std::fmt::Debug for Deserializer {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Deserializer")
    }
}

impl ::aws_smithy_runtime_api::client::ser_de::DeserializeResponse for Deserializer {
    fn deserialize_nonstreaming_with_config(
        &self,
        response: &::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        _cfg: &::aws_smithy_types::config_bag::ConfigBag,
    ) -> ::std::result::Result<
        ::aws_smithy_runtime_api::client::interceptors::context::Output,
        ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError<
            ::aws_smithy_runtime_api::client::interceptors::context::Error,
        >,
    > {
        (self.0)(response)
    }
}

/// The service-level plugin: SigV4 with the configured credentials, and the endpoint
/// resolver with parameters computed once from the configuration.
pub(crate) fn service_plugin(conf: &crate::Config) -> StaticRuntimePlugin {
    let mut layer = Layer::new(crate::runtime::CLIENT_CRATE);
    layer.store_put(AuthSchemeOptionResolverParams::new(()));
    // The signer is configured below; the signing region and name are also stored
    // where the official SDK keeps them, for interceptors that read them.
    let signing_region = conf
        .region
        .clone()
        .map(::aws_types::region::SigningRegion::from);
    if let ::std::option::Option::Some(r) = signing_region {
        layer.store_put(r);
    }
    layer.store_put(::aws_types::SigningName::from_static(
        crate::runtime::SIGNING_NAME,
    ));
    if let ::std::option::Option::Some(region) = conf.region.clone() {
        layer.store_put(region);
    }
    layer.store_put(::aws_runtime::user_agent::ApiMetadata::new(
        crate::runtime::SERVICE_ID,
        env!("CARGO_PKG_VERSION"),
    ));
    // Settings that take effect where the runtime reads them from the config bag: the
    // user agent interceptor (app name, framework metadata), the stalled-stream
    // interceptor, the clock-skew interceptor, and auth scheme selection.
    if let ::std::option::Option::Some(app_name) = conf.app_name.clone() {
        layer.store_put(app_name);
    }
    for framework in &conf.framework_metadata {
        layer.store_append(framework.clone());
    }
    if let ::std::option::Option::Some(stalled) = conf.effective_stalled_stream_protection() {
        layer.store_put(stalled);
    }
    if let ::std::option::Option::Some(disabled) = conf.disable_clock_skew_correction {
        layer.store_put(
            ::aws_runtime::service_clock_skew::DisableClockSkewCorrection::from(disabled),
        );
    }
    if let ::std::option::Option::Some(preference) = conf.auth_scheme_preference.clone() {
        layer.store_put(preference);
    }
    // One retry token bucket per service and region, shared by every client of the
    // process, as in the AWS SDKs: throttling in one region must not starve another.
    let partition = match &conf.region {
        ::std::option::Option::Some(region) => {
            ::std::format!("{}-{}", crate::runtime::SERVICE_ID, region)
        }
        ::std::option::Option::None => ::std::string::String::from(crate::runtime::SERVICE_ID),
    };
    layer.store_put(::aws_smithy_runtime::client::retries::RetryPartition::new(
        partition,
    ));
    if let ::std::result::Result::Ok(params) = crate::runtime::endpoint_params(conf) {
        layer.store_put(EndpointResolverParams::new(params));
    }

    let resolver = match &conf.endpoint_resolver {
        ::std::option::Option::Some(r) => r.0.clone(),
        ::std::option::Option::None => {
            crate::config::endpoint::DefaultResolver::new().into_shared_resolver()
        }
    };
    let mut components = RuntimeComponentsBuilder::new(crate::runtime::CLIENT_CRATE)
        .with_endpoint_resolver(::std::option::Option::Some(resolver))
        // SigV4 with the signing key derived once a day rather than once a request;
        // the same signatures as aws-runtime's signer (redshift-serverless-signer).
        .with_auth_scheme(SharedAuthScheme::new(
            ::redshift_serverless_signer::SigV4AuthScheme::new(
                conf.region.as_ref().map(|r| r.as_ref()).unwrap_or_default(),
                crate::runtime::SIGNING_NAME,
            ),
        ))
        .with_auth_scheme_option_resolver(::std::option::Option::Some(
            SharedAuthSchemeOptionResolver::new(StaticAuthSchemeOptionResolver::new(vec![
                ::redshift_serverless_signer::SCHEME_ID,
            ])),
        ))
        // The lazy cache's load timeout is computed here, once, from the bounded
        // configuration: left unset, the runtime derives it on every call in a loop
        // over max_attempts (see the retry crate's `identity_load_timeout`).
        .with_identity_cache(::std::option::Option::Some(
            conf.identity_cache.clone().unwrap_or_else(|| {
                ::aws_smithy_runtime::client::identity::IdentityCache::lazy()
                    .load_timeout(::redshift_serverless_retry::identity_load_timeout(
                        &retry_config(conf),
                        conf.timeout_config.as_ref(),
                    ))
                    .build()
            }),
        ));
    // @only sigv4a
    // SigV4a, for the operations whose auth schemes list it (their own option resolver, set
    // in `assemble`), signing with the same credentials as SigV4.
    components = components.with_auth_scheme(SharedAuthScheme::new(
        ::redshift_serverless_signer::SigV4aAuthScheme::new(
            conf.region.as_ref().map(|r| r.as_ref()).unwrap_or_default(),
            crate::runtime::SIGNING_NAME,
            conf.sigv4a_signing_region_set
                .as_ref()
                .map(|set| ::std::string::ToString::to_string(set.as_ref())),
        ),
    ));
    if let ::std::option::Option::Some(creds) = &conf.credentials_provider {
        components = components.with_identity_resolver(
            ::redshift_serverless_signer::SIGV4A_SCHEME_ID,
            SharedIdentityResolver::new(creds.clone()),
        );
    }
    // @end sigv4a
    if let ::std::option::Option::Some(creds) = &conf.credentials_provider {
        components = components.with_identity_resolver(
            ::redshift_serverless_signer::SCHEME_ID,
            SharedIdentityResolver::new(creds.clone()),
        );
    }
    for interceptor in &conf.interceptors {
        components.push_interceptor(interceptor.clone());
    }
    StaticRuntimePlugin::new()
        .with_config(layer.freeze())
        .with_runtime_components(components)
}
