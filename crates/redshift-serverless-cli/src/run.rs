//! One invocation: check the command line and parameters, read the settings, call, render.
//!
//! The order is the AWS CLI's: everything that can be judged from the command line alone
//! (the query, the parameters, the endpoint URL) is judged first and exits 252 whatever the
//! environment holds; then the configuration (profile, region, credentials, CA bundle) is
//! loaded and its problems exit 253; only then is anything sent.

use std::any::Any;
use std::io::IsTerminal;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;
use clap::CommandFactory;
use redshift_serverless_client::config::endpoint::EndpointError;
use redshift_serverless_client::config::{
    check_region, InvalidRegion, ProvideCredentials, SharedCredentialsProvider,
    StalledStreamProtectionConfig, ValidationMode,
};
use redshift_serverless_client::error::{
    ConstraintViolationExt, ProvideErrorMetadata, ResponseBody, SdkError, UnreadableResponse,
};
use redshift_serverless_client::Client;
use redshift_serverless_constraints::Validate;
use redshift_serverless_retry::{classify_connector_error, TransportFailure};
use serde_json::Value;

use crate::args::{Cli, ColorArg, Command, GlobalArgs, OutputFormat, RetryModeArg, SkeletonKind};
use crate::attempts::{AttemptStats, AttemptTracker};
use crate::escape::escape_controls;
use crate::failure::{self, Failure};
use crate::operation::{GetIdentityCenterAuthToken, GetWorkgroup, Operation, OperationArgs};
use crate::render::{self, TableStyle};
use crate::settings::{ProfileChoice, Settings};
use crate::stdio::write_stderr;
use crate::warnings::{proxy_warning, InsecureRequestWarning};
use crate::{endpoint_url, input};

/// Runs the parsed command and returns what to print on standard output.
pub async fn run(cli: Cli) -> Result<String, Failure> {
    match &cli.command {
        Command::Completion { shell } => Ok(completion(*shell)),
        Command::GetIdentityCenterAuthToken(args) => {
            call::<GetIdentityCenterAuthToken>(&cli.global, args).await
        }
        Command::GetWorkgroup(args) => call::<GetWorkgroup>(&cli.global, args).await,
        Command::Proxy(args) => crate::proxy::run(&cli.global, args).await,
    }
}

/// The completion script for `shell`, from the clap definition.
fn completion(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "redshift-serverless", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Calls operation `O` with the parameters in `args`, in the AWS CLI's order, and returns
/// the rendered response.
pub async fn call<O: Operation>(global: &GlobalArgs, args: &O::Args) -> Result<String, Failure> {
    // The command line alone first: a bad query or parameter is reported whatever the
    // environment looks like, and without touching the network.
    let query = global
        .query
        .as_deref()
        .map(render::compile_query)
        .transpose()
        .map_err(Failure::InvalidParameters)?;
    let skeleton = args.input_args().generate_cli_skeleton;
    match skeleton {
        Some(SkeletonKind::Input) => return Ok(render_json(&input::input_skeleton(O::MEMBERS))),
        Some(SkeletonKind::YamlInput) => return Ok(input::yaml_input_skeleton(O::MEMBERS)),
        Some(SkeletonKind::Output) | None => {}
    }
    let params = input::parameters(O::MEMBERS, args)?;
    let request = O::input(&params)
        .map_err(|e| Failure::InvalidParameters(format!("Invalid parameters: {e}")))?;
    if !global.no_validate {
        request
            .validate()
            .map_err(|v| Failure::InvalidParameters(failure::violations_message(&v)))?;
    }
    if let Some(url) = &global.endpoint_url {
        endpoint_url::check_flag(url)?;
    }

    let settings = crate::settings::resolve(global, &|name: &str| std::env::var(name).ok()).await?;
    let present = |data: &Value| -> Result<String, Failure> {
        let data = match &query {
            Some(q) => render::apply_query(q, data).map_err(Failure::InvalidParameters)?,
            None => data.clone(),
        };
        Ok(render::render(
            O::NAME,
            &data,
            settings.output,
            table_style(global),
        ))
    };
    if skeleton == Some(SkeletonKind::Output) {
        return present(&O::output_skeleton());
    }

    let tracker = AttemptTracker::<O::Error>::new(O::ERRORS);
    let connected = connect(global, &settings, tracker.clone()).await?;
    match O::send(&connected.client, request).await {
        Ok(output) => present(&O::output_value(&output, settings.timestamps)),
        Err(err) => Err(map_error(
            O::NAME,
            &err,
            tracker.stats(),
            connected.max_attempts,
            tracker.last_endpoint().as_deref(),
        )),
    }
}

/// A client configured as the AWS CLI would be from the flags and settings.
#[derive(Debug)]
pub struct Connected {
    /// The client, with the credentials already resolved.
    pub client: Client,
    /// The attempts a call makes at most, the first included.
    pub max_attempts: u32,
}

/// The client for `global` and `settings`: the HTTP client with the TLS trust asked for,
/// aws-config's region and credentials (their problems exit 253 before anything is sent),
/// the endpoint, retries, timeouts and validation; `interceptor` sees every attempt.
pub async fn connect(
    global: &GlobalArgs,
    settings: &Settings,
    interceptor: impl aws_smithy_runtime_api::client::interceptors::Intercept + 'static,
) -> Result<Connected, Failure> {
    let http = http_client(global, settings)?;
    if !global.debug {
        // Under --debug the HTTP client's own warning says it, in the log.
        if let Some(line) = proxy_warning(&redshift_serverless_http::proxy_variables_set()) {
            write_stderr(&line);
        }
    }
    let sdk = load_sdk_config(global, settings, http.clone()).await?;
    // The flag wins over every configured endpoint. A configured one is resolved by the
    // client library, as `Client::new(&sdk)` resolves it, and checked here so that a bad one
    // is a configuration error naming where it was set.
    let configured_endpoint = match &global.endpoint_url {
        Some(_) => None,
        None => redshift_serverless_client::config::configured_endpoint_url(&sdk),
    };
    if let Some(configured) = &configured_endpoint {
        endpoint_url::check_configured(
            &settings.endpoint_source(configured.source()),
            configured.url(),
        )?;
    }
    let Some(region) = sdk.region() else {
        return Err(Failure::Configuration(
            "You must specify a region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or \
             set `region` in the profile's section of the shared config file."
                .into(),
        ));
    };
    // The region becomes part of the endpoint's host name; the client library refuses a
    // region that is not a region name too, this says so in the AWS CLI's words, before
    // any credential provider runs with it.
    check_region(region.as_ref()).map_err(|e| invalid_region(&e))?;
    // Resolved once here, so a missing credential is reported before anything is sent
    // (and SSO or IMDS are not asked twice). `--profile` makes its profile win over the
    // environment's keys, as the AWS CLI does; AWS_PROFILE does not.
    let provider = match &settings.profile {
        // No credentials are looked up for an unsigned request (see `unsigned.rs`).
        _ if global.no_sign_request => Some(SharedCredentialsProvider::new(
            crate::unsigned::placeholder_credentials(),
        )),
        ProfileChoice::Flag(name) => Some(SharedCredentialsProvider::new(profile_credentials(
            name, settings, &sdk, http,
        ))),
        ProfileChoice::Env(_) | ProfileChoice::Default => sdk.credentials_provider(),
    };
    let credentials = match provider {
        Some(provider) => provider.provide_credentials().await.map_err(|e| {
            Failure::Configuration(format!(
                "Unable to locate credentials: set AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY, pick a profile with --profile or AWS_PROFILE, or sign in \
                 with `aws sso login` ({}).",
                // It may quote a credential_process's standard error.
                escape_controls(&error_chain(&e))
            ))
        })?,
        None => {
            return Err(Failure::Configuration(
                "Unable to locate credentials.".into(),
            ))
        }
    };

    let max_attempts = settings.max_attempts.max(1);
    let mode = pacing(settings.retry_mode);
    let mut conf = redshift_serverless_client::config::Builder::from(&sdk)
        .credentials_provider(credentials)
        .retry_config(redshift_serverless_retry::retry_config(mode, max_attempts))
        .timeout_config(timeouts(global))
        .validation(if global.no_validate {
            ValidationMode::Off
        } else {
            ValidationMode::Enforce
        })
        .interceptor(interceptor);
    if let Some(url) = &global.endpoint_url {
        conf = conf.endpoint_url(url);
    }
    // An endpoint URL's path as the AWS CLI sends it (see `endpoint_url.rs`).
    let endpoint = global
        .endpoint_url
        .as_deref()
        .or(configured_endpoint.as_ref().map(|c| c.url()));
    if let Some(path) = endpoint.and_then(endpoint_url::path_as_written) {
        conf = conf.interceptor(path);
    }
    if seconds(global.cli_read_timeout).is_none() {
        // `--cli-read-timeout 0` waits without limit: no stalled-stream protection either
        // (with a read timeout the client runs it with the read timeout as grace period).
        conf = conf.stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    }
    if global.no_verify_ssl {
        conf = conf.interceptor(InsecureRequestWarning::default());
    }
    if global.no_sign_request {
        conf = conf.interceptor(crate::unsigned::Unsigned);
    }
    let conf = conf.build();
    if global.endpoint_url.is_none() {
        if let Some(url) = conf.endpoint_url() {
            endpoint_url::check_configured("the configured endpoint URL", url)?;
        }
    }
    Ok(Connected {
        client: Client::from_conf(conf),
        max_attempts,
    })
}

fn render_json(value: &Value) -> String {
    render::render(
        "",
        value,
        OutputFormat::Json,
        TableStyle {
            color: false,
            width: 80,
        },
    )
}

/// `--color` and the terminal's width, for table output.
fn table_style(global: &GlobalArgs) -> TableStyle {
    let stdout = std::io::stdout();
    let color = match global.color {
        ColorArg::On => true,
        ColorArg::Off => false,
        ColorArg::Auto => stdout.is_terminal(),
    };
    let width = terminal_size::terminal_size_of(&stdout)
        .map_or(80, |(terminal_size::Width(w), _)| usize::from(w));
    TableStyle { color, width }
}

/// The HTTP client with the TLS trust the settings ask for.
fn http_client(global: &GlobalArgs, settings: &Settings) -> Result<SharedHttpClient, Failure> {
    let builder = redshift_serverless_http::Builder::new();
    if global.no_verify_ssl {
        return Ok(builder.dangerous_accept_any_certificate().build());
    }
    let Some(bundle) = &settings.ca_bundle else {
        return Ok(builder.build());
    };
    let path = bundle.path.display();
    let pem = crate::files::read(&bundle.path).map_err(|e| {
        Failure::Configuration(format!(
            "Could not read the CA bundle {} (from {}): {e}",
            escape_controls(&path.to_string()),
            bundle.source
        ))
    })?;
    let builder = builder.ca_bundle_pem(&pem).map_err(|e| {
        Failure::Configuration(format!(
            "Invalid CA bundle {} (from {}): {e}",
            escape_controls(&path.to_string()),
            bundle.source
        ))
    })?;
    Ok(builder.build())
}

/// aws-config's credential chain without the environment step: the profile, then web
/// identity, the container endpoint and IMDS (botocore's chain when a profile is named).
fn profile_credentials(
    name: &str,
    settings: &Settings,
    sdk: &SdkConfig,
    http: SharedHttpClient,
) -> aws_config::meta::credentials::CredentialsProviderChain {
    let conf = aws_config::provider_config::ProviderConfig::default()
        .with_http_client(http)
        .with_region(sdk.region().cloned());
    aws_config::meta::credentials::CredentialsProviderChain::first_try(
        "Profile",
        aws_config::profile::ProfileFileCredentialsProvider::builder()
            .configure(&conf)
            .profile_files(settings.profile_files.clone())
            .profile_name(name)
            .build(),
    )
    .or_else(
        "WebIdentityToken",
        aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
            .configure(&conf)
            .build(),
    )
    .or_else(
        "EcsContainer",
        aws_config::ecs::EcsCredentialsProvider::builder()
            .configure(&conf)
            .build(),
    )
    .or_else(
        "Ec2InstanceMetadata",
        aws_config::imds::credentials::ImdsCredentialsProvider::builder()
            .configure(&conf)
            .build(),
    )
}

/// Maps a failed call of `operation` to its exit class and message. `endpoint` is where the
/// last attempt went, for messages about the connection.
pub fn map_error<E>(
    operation: &str,
    err: &SdkError<E>,
    stats: AttemptStats,
    max_attempts: u32,
    endpoint: Option<&str>,
) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(v) = err.constraint_violations() {
        return Failure::InvalidParameters(failure::violations_message(v));
    }
    if let Some(invalid) = sources(err).find_map(|e| e.downcast_ref::<InvalidRegion>()) {
        return invalid_region(invalid);
    }
    let url = escape_controls(endpoint.unwrap_or("(unknown)")).into_owned();
    let detail = || escape_controls(&error_chain(err)).into_owned();
    match err {
        SdkError::ServiceError(ctx) => {
            let raw = ctx.raw();
            let status = raw.status().as_u16();
            let e = ctx.err();
            let retries = stats
                .retries_exhausted(max_attempts)
                .then(|| stats.attempts.saturating_sub(1));
            // botocore's fallback for an error without a code: the status code, and its
            // reason phrase as the message.
            let status_text = status.to_string();
            let reason = http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason());
            let code = e.code().unwrap_or(&status_text);
            let message = e
                .message()
                .or(if e.code().is_none() { reason } else { None });
            Failure::Service(failure::service_error_line(
                operation,
                Some(code),
                message,
                retries,
            ))
        }
        _ if sources(err).any(|e| e.is::<EndpointError>()) => {
            // The endpoint rules refused the settings (e.g. --use-fips with --endpoint-url).
            let message = sources(err)
                .find_map(|e| e.downcast_ref::<EndpointError>())
                .map_or("", EndpointError::message);
            Failure::Configuration(format!("Invalid endpoint configuration: {message}"))
        }
        SdkError::TimeoutError(_) => Failure::Other(format!(
            "Read timeout on endpoint URL: \"{url}\" ({})",
            detail()
        )),
        SdkError::ResponseError(_) if stalled(err) => Failure::Other(format!(
            "Read timeout on endpoint URL: \"{url}\" ({})",
            detail()
        )),
        SdkError::ResponseError(ctx) => {
            // A success the client could not read: what failed, from the parser's errors.
            let what = match sources(err).find_map(|e| e.downcast_ref::<UnreadableResponse>()) {
                Some(u) => escape_controls(&format!(
                    "the body is not a {}: {}",
                    u.shape(),
                    parse_failure(u)
                ))
                .into_owned(),
                None => detail(),
            };
            Failure::Other(unreadable(ctx.raw(), &what))
        }
        SdkError::DispatchFailure(failure) => {
            let connector = failure.as_connector_error();
            let timeout = connector.is_some_and(|c| c.is_timeout());
            let tls = connector
                .is_some_and(|c| classify_connector_error(c) == TransportFailure::TlsHandshake);
            if timeout {
                let phase = if detail().contains("connect") {
                    "Connect"
                } else {
                    "Read"
                };
                Failure::Other(format!(
                    "{phase} timeout on endpoint URL: \"{url}\" ({})",
                    detail()
                ))
            } else if tls {
                Failure::Other(format!("SSL validation failed for {url} ({})", detail()))
            } else if connector.is_some_and(|c| c.is_user()) {
                Failure::Other(format!(
                    "Could not send the request to \"{url}\": {}",
                    detail()
                ))
            } else {
                Failure::Other(transport_failure(
                    connector.map(classify_connector_error),
                    sources(err).any(|e| {
                        e.downcast_ref::<hyper::Error>()
                            .is_some_and(hyper::Error::is_parse)
                    }),
                    &url,
                    &detail(),
                ))
            }
        }
        _ => Failure::Other(format!("The request failed: {}", detail())),
    }
}

/// The message for a request that failed below HTTP, by what failed: the connection was
/// never made (the AWS CLI's "Could not connect"), the response could not be parsed (a head
/// too large, a bad header), or the connection went away before a whole response (the AWS
/// CLI's "Connection was closed before we received a valid response").
fn transport_failure(
    class: Option<TransportFailure>,
    unparsable: bool,
    url: &str,
    detail: &str,
) -> String {
    match class {
        Some(TransportFailure::Dns | TransportFailure::ConnectionRefused | TransportFailure::ConnectFailed) => {
            format!("Could not connect to the endpoint URL: \"{url}\" ({detail})")
        }
        _ if unparsable => {
            format!("Received an invalid HTTP response from endpoint URL: \"{url}\" ({detail})")
        }
        Some(
            TransportFailure::IncompleteMessage
            | TransportFailure::ConnectionReset
            | TransportFailure::BrokenPipe
            | TransportFailure::Io
            | TransportFailure::ResponseBodyRead,
        ) => format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{url}\" ({detail})"
        ),
        _ => format!("The request to endpoint URL \"{url}\" failed ({detail})"),
    }
}

/// botocore's refusal of a region that is not a region name (exit 253).
fn invalid_region(invalid: &InvalidRegion) -> Failure {
    Failure::Configuration(format!(
        "Provided region_name '{}' doesn't match a supported format.",
        escape_controls(invalid.region())
    ))
}

/// A response the client could not read, named by its status, content type, length (when
/// the body was read) and what failed. `what` is already escaped.
fn unreadable(
    raw: &aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    what: &str,
) -> String {
    let status = raw.status().as_u16();
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let content_type = raw.headers().get("content-type").unwrap_or("none");
    // The client moves an unreadable body out of the raw response, so Debug never prints it.
    let length = ResponseBody::of(raw)
        .or_else(|| raw.body().bytes())
        .map(|b| format!(", {} bytes", b.len()))
        .unwrap_or_default();
    format!(
        "Could not read the response (HTTP {status} {reason}, content type {}{length}): {what}",
        escape_controls(content_type),
    )
}

/// What the JSON parser said about an unreadable body, innermost last: the member that
/// failed and the JSON it needs, then the parser's own reason (without its repeated
/// `failed to parse JSON: ` prefix). None of it quotes the body.
fn parse_failure(unreadable: &UnreadableResponse) -> String {
    let parts: Vec<String> =
        std::iter::successors(std::error::Error::source(unreadable), |e| e.source())
            .map(|e| {
                let text = e.to_string();
                text.strip_prefix("failed to parse JSON: ")
                    .map_or_else(|| text.clone(), str::to_owned)
            })
            .collect();
    parts.join(": ")
}

/// The message of the runtime's stalled-stream protection, whose error type is private: a
/// body that made no progress for the grace period, which the client sets to the read
/// timeout (`Config::effective_stalled_stream_protection`).
const STALLED: &str = "minimum throughput was specified at";

/// Whether the body stalled past the read timeout.
fn stalled(err: &(dyn std::error::Error + 'static)) -> bool {
    sources(err).any(|e| e.to_string().starts_with(STALLED))
}

/// `err` and its sources, outermost first.
fn sources<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

/// The `Display` texts of an error and its sources joined with `: `, skipping repeats
/// (wrappers often repeat their source's text). Unlike `DisplayErrorContext`, no `Debug`.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in sources(err) {
        let text = e.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// `--cli-connect-timeout` / `--cli-read-timeout`; 0 turns the limit off. The read timeout
/// set here covers the wait for the response headers, and the client applies it to the body
/// too, as the grace period of its stalled-stream protection: one limit for every wait, as
/// the AWS CLI's socket read timeout is.
fn timeouts(global: &GlobalArgs) -> TimeoutConfig {
    let mut b = TimeoutConfig::builder();
    b = match seconds(global.cli_connect_timeout) {
        Some(d) => b.connect_timeout(d),
        None => b.disable_connect_timeout(),
    };
    b = match seconds(global.cli_read_timeout) {
        Some(d) => b.read_timeout(d),
        None => b.disable_read_timeout(),
    };
    b.build()
}

fn seconds(v: f64) -> Option<Duration> {
    // The parser already refused negative and non-finite values.
    (v > 0.0)
        .then(|| Duration::try_from_secs_f64(v).ok())
        .flatten()
}

/// aws-config's default chains (env, profile, SSO, credential_process, IMDS), with the
/// flags taking precedence, over the CLI's HTTP client (one TLS stack, one trust setting).
/// The endpoint URL flag is not given here but to the client's config, so that it wins over
/// the service-specific endpoint settings too.
async fn load_sdk_config(
    global: &GlobalArgs,
    settings: &Settings,
    http: SharedHttpClient,
) -> Result<SdkConfig, Failure> {
    // The shared files `settings` found and checked against the size limit.
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .profile_files(settings.profile_files.clone());
    if let Some(region) = &global.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &global.profile {
        loader = loader.profile_name(profile);
    }
    if global.use_fips {
        loader = loader.use_fips(true);
    }
    if global.use_dual_stack {
        loader = loader.use_dual_stack(true);
    }
    // The CLI has read AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's settings itself
    // (`settings.rs`): aws-config, given them, parses none of them.
    loader = loader.retry_config(
        RetryConfig::standard()
            .with_max_attempts(settings.max_attempts.max(1))
            .with_retry_mode(pacing(settings.retry_mode)),
    );

    // aws-config panics on some invalid settings (it did on AWS_RETRY_MODE=abc before the CLI
    // read the retry settings itself). Run it as a task so such a panic becomes exit 253 with
    // its message instead of exit 101 and a backtrace hint.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let joined = tokio::spawn(loader.load()).await;
    std::panic::set_hook(previous_hook);
    joined.map_err(|e| {
        let detail = if e.is_panic() {
            panic_text(e.into_panic())
        } else {
            e.to_string()
        };
        Failure::Configuration(format!(
            "Invalid AWS configuration: {}",
            escape_controls(&detail)
        ))
    })
}

/// The runtime's pacing for a mode: `legacy`, which the Rust runtime does not have, is paced
/// as `standard` (its own default attempt count is applied in `settings.rs`).
fn pacing(mode: RetryModeArg) -> RetryMode {
    match mode {
        RetryModeArg::Standard | RetryModeArg::Legacy => RetryMode::Standard,
        RetryModeArg::Adaptive => RetryMode::Adaptive,
    }
}

fn panic_text(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(s) => (*s).to_owned(),
            Err(_) => "the configuration loader failed".to_owned(),
        },
    }
}
