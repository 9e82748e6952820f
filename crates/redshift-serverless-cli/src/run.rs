//! One invocation: check the parameters, load the environment, call, render.

use std::any::Any;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;
use redshift_serverless_client::config::endpoint::EndpointError;
use redshift_serverless_client::config::{ProvideCredentials, ValidationMode};
use redshift_serverless_client::error::{ConstraintViolationExt, ProvideErrorMetadata, SdkError};
use redshift_serverless_client::operation::get_identity_center_auth_token::{
    GetIdentityCenterAuthTokenError, GetIdentityCenterAuthTokenInput,
};
use redshift_serverless_constraints::Validate;

use crate::args::{Cli, Command, GlobalArgs, RetryModeArg};
use crate::attempts::{AttemptStats, AttemptTracker};
use crate::failure::{self, Failure};
use crate::read_timeout::{BodyReadTimeout, BodyReadTimeoutError};
use crate::render::{render, TokenOutput};

/// Runs the parsed command and returns what to print on standard output.
pub async fn run(cli: Cli) -> Result<String, Failure> {
    let Command::GetIdentityCenterAuthToken(args) = cli.command;
    let global = cli.global;
    let names = args.workgroup_names;

    // Parameters first: a bad name is reported whatever the environment looks like, and
    // without touching the network (the AWS CLI also validates before sending).
    let input = GetIdentityCenterAuthTokenInput::builder()
        .set_workgroup_names(Some(names.clone()))
        .build()
        .map_err(|e| Failure::InvalidParameters(format!("Invalid parameters: {e}")))?;
    if !global.no_validate {
        input
            .validate()
            .map_err(|v| Failure::InvalidParameters(failure::violations_message(&v)))?;
    }

    let sdk = load_sdk_config(&global).await?;
    if sdk.region().is_none() {
        return Err(Failure::Configuration(
            "No AWS region is configured: pass --region, set AWS_REGION, or set `region` in the \
             profile's section of the shared config file."
                .into(),
        ));
    }
    // Resolved once here, so a missing credential is reported before anything is sent
    // (and SSO or IMDS are not asked twice).
    let credentials = match sdk.credentials_provider() {
        Some(provider) => provider.provide_credentials().await.map_err(|e| {
            Failure::Configuration(format!(
                "No AWS credentials could be loaded: set AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY, pick a profile with --profile or AWS_PROFILE, or sign in \
                 with `aws sso login` ({}).",
                error_chain(&e)
            ))
        })?,
        None => {
            return Err(Failure::Configuration(
                "No AWS credentials are configured.".into(),
            ))
        }
    };

    let max_attempts = global
        .max_attempts
        .or(sdk.retry_config().map(RetryConfig::max_attempts))
        .unwrap_or(3)
        .max(1);
    let mode = match global.retry_mode {
        Some(RetryModeArg::Standard) => RetryMode::Standard,
        Some(RetryModeArg::Adaptive) => RetryMode::Adaptive,
        None => sdk
            .retry_config()
            .map(RetryConfig::mode)
            .unwrap_or(RetryMode::Standard),
    };
    let tracker = AttemptTracker::new();
    let mut conf = redshift_serverless_client::config::Builder::from(&sdk)
        .credentials_provider(credentials)
        .retry_config(redshift_serverless_retry::retry_config(mode, max_attempts))
        .timeout_config(timeouts(&global))
        .validation(if global.no_validate {
            ValidationMode::Off
        } else {
            ValidationMode::Enforce
        })
        .interceptor(tracker.clone());
    if let Some(limit) = seconds(global.cli_read_timeout) {
        // The HTTP client's read timeout stops at the response headers; this bounds each
        // wait for the body too, as the AWS CLI's socket read timeout does.
        conf = conf.interceptor(BodyReadTimeout::new(limit));
    }
    let client = redshift_serverless_client::Client::from_conf(conf.build());

    let result = client
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(names))
        .send()
        .await;
    match result {
        Ok(out) => Ok(render(
            &TokenOutput {
                token: out.token(),
                expiration: out.expiration_time().map(|t| (t.secs(), t.subsec_nanos())),
            },
            global.output,
        )),
        Err(err) => Err(map_error(&err, tracker.stats(), max_attempts)),
    }
}

/// Maps a failed call to its exit class and message.
pub fn map_error(
    err: &SdkError<GetIdentityCenterAuthTokenError>,
    stats: AttemptStats,
    max_attempts: u32,
) -> Failure {
    if let Some(v) = err.constraint_violations() {
        return Failure::InvalidParameters(failure::violations_message(v));
    }
    match err {
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            let retries = stats
                .retries_exhausted(max_attempts)
                .then(|| stats.attempts.saturating_sub(1));
            Failure::Service(failure::service_error_line(e.code(), e.message(), retries))
        }
        _ if sources(err).any(|e| e.is::<EndpointError>()) => {
            // The endpoint rules refused the settings (e.g. --use-fips with --endpoint-url).
            let message = sources(err)
                .find_map(|e| e.downcast_ref::<EndpointError>())
                .map_or("", EndpointError::message);
            Failure::Configuration(format!("Invalid endpoint configuration: {message}"))
        }
        SdkError::TimeoutError(_) => {
            Failure::Other(format!("The request timed out: {}", error_chain(err)))
        }
        SdkError::ResponseError(_) if sources(err).any(|e| e.is::<BodyReadTimeoutError>()) => {
            Failure::Other(format!("The request timed out: {}", error_chain(err)))
        }
        SdkError::DispatchFailure(_) => {
            Failure::Other(format!("Could not send the request: {}", error_chain(err)))
        }
        _ => Failure::Other(format!("The request failed: {}", error_chain(err))),
    }
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
/// set here covers the wait for the response headers; [`BodyReadTimeout`] covers the body.
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
/// flags taking precedence, over the same HTTP/1.1 + rustls/ring client the service client
/// uses by default (redshift-serverless-http).
async fn load_sdk_config(global: &GlobalArgs) -> Result<SdkConfig, Failure> {
    let http = redshift_serverless_http::default_client();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if let Some(region) = &global.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &global.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if global.use_fips {
        loader = loader.use_fips(true);
    }
    if global.use_dual_stack {
        loader = loader.use_dual_stack(true);
    }
    if let (Some(n), Some(mode)) = (global.max_attempts, global.retry_mode) {
        // Both given: AWS_MAX_ATTEMPTS / AWS_RETRY_MODE are irrelevant, so don't parse them.
        let mode = match mode {
            RetryModeArg::Standard => RetryMode::Standard,
            RetryModeArg::Adaptive => RetryMode::Adaptive,
        };
        loader = loader.retry_config(
            RetryConfig::standard()
                .with_max_attempts(n)
                .with_retry_mode(mode),
        );
    }

    // aws-config panics on some invalid settings (e.g. AWS_MAX_ATTEMPTS=abc). Run it as a
    // task so such a panic becomes exit 253 with its message instead of exit 101 and a
    // backtrace hint.
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
        Failure::Configuration(format!("Invalid AWS configuration: {detail}"))
    })
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
