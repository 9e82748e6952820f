//! `Client::new(&SdkConfig)`: our client takes from an `SdkConfig` what the official crate's
//! takes, and each setting takes effect.
//!
//! Every case builds one `SdkConfig` (twice: once per crate, so nothing is shared), makes a
//! client of each crate from it, calls the emulator through each, and reads what the calls
//! did: which emulator they reached, the credential scope and user agent on the wire, how
//! many attempts, how they failed, how a later call was signed, how often credentials were
//! resolved, what the runtime saw as the auth scheme preference. Both crates must give the
//! same observation, and it must be the one the case expects, so a setting that both crates
//! dropped fails as well.
//!
//! The `SdkConfig`s are built by hand here; `tests/aws-config` loads them with aws-config
//! from the environment and a profile file, in child processes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{AuthSchemeId, AuthSchemePreference};
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::app_name::AppName;
use aws_types::origin::Origin;
use aws_types::region::Region;
use aws_types::sdk_ua_metadata::FrameworkMetadata;
use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};
use aws_types::SdkConfig;
use redshift_serverless_client::config::IdentityCache;
use redshift_serverless_emulator::{
    parse_amz_date, Clock, Emulator, EmulatorConfig, ErrorKind, Fault, Faults, RecordedRequest,
    RunningEmulator, ScriptedFault, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};

/// The two emulators a case can reach: `primary` is where a correct client sends its calls,
/// `decoy` where the endpoint precedence would send them if it were wrong.
struct Servers {
    primary: RunningEmulator,
    decoy: RunningEmulator,
}

/// What one crate's client did in one case.
#[derive(Debug)]
struct Observed {
    /// Outcome of each call: `ok`, an error code, `timeout`, `stalled` or `other: ..`.
    outcomes: Vec<String>,
    /// Requests that reached each emulator.
    primary: Vec<RecordedRequest>,
    decoy: Vec<RecordedRequest>,
    /// Calls of the credentials provider.
    credential_loads: usize,
    /// The auth scheme preference in the config bag, as each call saw it.
    preferences: Vec<Option<Vec<String>>>,
}

/// Per-run state a case's `SdkConfig` closes over.
#[derive(Clone, Debug, Default)]
struct Counter(Arc<AtomicUsize>);

impl ProvideCredentials for Counter {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        // An expiry keeps the lazy cache honest: it would reload an identity without one.
        let expiry = SystemTime::now() + Duration::from_secs(3600);
        future::ProvideCredentials::ready(Ok(Credentials::new(
            DEMO_ACCESS_KEY_ID,
            DEMO_SECRET_ACCESS_KEY,
            None,
            Some(expiry),
            "sdk-config-test",
        )))
    }
}

/// A service config as aws-config builds it from the environment: it answers a key by the
/// variable `AWS_ENDPOINT_URL_<SERVICE ID IN CAPITALS, SPACES AS _>`, so a wrong service id
/// finds nothing.
#[derive(Debug)]
struct FakeEnvServiceConfig(BTreeMap<String, String>);

impl LoadServiceConfig for FakeEnvServiceConfig {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        let service = key.service_id().to_uppercase().replace(' ', "_");
        self.0.get(&format!("{}_{service}", key.env())).cloned()
    }
}

/// Records the auth scheme preference the runtime holds when a call starts.
#[derive(Clone, Debug, Default)]
struct PreferenceProbe(Arc<Mutex<Vec<Option<Vec<String>>>>>);

impl Intercept for PreferenceProbe {
    fn name(&self) -> &'static str {
        "PreferenceProbe"
    }

    fn read_before_serialization(
        &self,
        _ctx: &BeforeSerializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let seen = cfg.load::<AuthSchemePreference>().map(|p| {
            p.clone()
                .into_iter()
                .map(|id| id.inner().to_owned())
                .collect()
        });
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(seen);
        Ok(())
    }
}

/// The `SdkConfig` every case starts from: the emulator's credentials (counted), its
/// region, aws-smithy-http-client for both crates, no retries, and `endpoint_url` set in
/// code to the primary emulator.
fn base(servers: &Servers, counter: &Counter) -> aws_types::sdk_config::Builder {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(counter.clone()))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .endpoint_url(servers.primary.url())
}

/// `endpoint_url` set to the decoy as if read from `AWS_ENDPOINT_URL`, and the service's own
/// endpoint (if any) from `AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS`.
fn from_environment(
    servers: &Servers,
    counter: &Counter,
    service_endpoint: Option<String>,
) -> aws_types::sdk_config::Builder {
    let mut b = base(servers, counter).endpoint_url(servers.decoy.url());
    b.insert_origin("endpoint_url", Origin::shared_environment_variable());
    let vars = service_endpoint
        .map(|url| ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS".to_owned(), url))
        .into_iter()
        .collect();
    b.service_config(FakeEnvServiceConfig(vars))
}

fn user_agent_parts(o: &Observed, prefix: &str) -> String {
    let ua = o
        .primary
        .first()
        .and_then(|r| r.header("x-amz-user-agent"))
        .unwrap_or_default();
    ua.split(' ')
        .filter(|p| p.starts_with(prefix))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Minutes by which each request's `x-amz-date` trails the emulator's clock at arrival.
fn signing_lag_minutes(o: &Observed) -> String {
    o.primary
        .iter()
        .map(|r| {
            let signed = r.header("x-amz-date").and_then(parse_amz_date);
            match signed.map(|s| r.received_at.duration_since(s)) {
                Some(Ok(lag)) => ((lag.as_secs() + 30) / 60).to_string(),
                Some(Err(_)) => "ahead".to_owned(),
                None => "unsigned".to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The credential scope of the first request: `ACCESS_KEY/DATE/REGION/SERVICE` without the date.
fn credential_scope(o: &Observed) -> String {
    let Some(auth) = o.primary.first().and_then(|r| r.header("authorization")) else {
        return "no request".to_owned();
    };
    let credential = auth
        .split([' ', ','])
        .find_map(|part| part.strip_prefix("Credential="))
        .unwrap_or_default();
    let parts: Vec<&str> = credential.split('/').collect();
    match parts.as_slice() {
        [key, _date, region, service, _] => format!("{key}/{region}/{service}"),
        _ => format!("malformed {credential}"),
    }
}

struct Case {
    name: &'static str,
    /// The emulators' clock runs this far ahead of the real one.
    clock_ahead: Duration,
    faults: fn() -> Faults,
    calls: usize,
    sdk: fn(&Servers, &Counter) -> SdkConfig,
    observe: fn(&Observed) -> String,
    expected: &'static str,
}

fn no_faults() -> Faults {
    Faults::none()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "the service's endpoint variable beats AWS_ENDPOINT_URL",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| from_environment(s, c, Some(s.primary.url())).build(),
            observe: |o| format!("primary {} decoy {}", o.primary.len(), o.decoy.len()),
            expected: "primary 1 decoy 0",
        },
        Case {
            name: "without the service's variable, AWS_ENDPOINT_URL applies",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| from_environment(s, c, None).build(),
            observe: |o| format!("primary {} decoy {}", o.primary.len(), o.decoy.len()),
            expected: "primary 0 decoy 1",
        },
        Case {
            name: "an endpoint set in code beats the service's variable",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| {
                let mut b =
                    from_environment(s, c, Some(s.decoy.url())).endpoint_url(s.primary.url());
                b.insert_origin("endpoint_url", Origin::shared_config());
                b.build()
            },
            observe: |o| format!("primary {} decoy {}", o.primary.len(), o.decoy.len()),
            expected: "primary 1 decoy 0",
        },
        Case {
            name: "region and credentials sign the request",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| base(s, c).region(Region::new("eu-west-1")).build(),
            // The emulator serves us-east-1, so it refuses the eu-west-1 scope.
            observe: |o| format!("{} {}", credential_scope(o), o.outcomes.join(",")),
            expected: "AKIDEMULATOREXAMPLE/eu-west-1/redshift-serverless InvalidSignatureException",
        },
        Case {
            name: "retry configuration: three attempts at a 500",
            clock_ahead: Duration::ZERO,
            faults: || {
                Faults::script([ScriptedFault::times(
                    Fault::error(ErrorKind::InternalServerException),
                    10,
                )])
            },
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .retry_config(
                        RetryConfig::standard()
                            .with_max_attempts(3)
                            .with_initial_backoff(Duration::from_millis(1))
                            .with_max_backoff(Duration::from_millis(5)),
                    )
                    .build()
            },
            observe: |o| format!("{} attempts, {}", o.primary.len(), o.outcomes.join(",")),
            expected: "3 attempts, InternalServerException",
        },
        Case {
            name: "timeout configuration: a slow answer times the attempt out",
            clock_ahead: Duration::ZERO,
            faults: || Faults {
                latency_ms: 3_000,
                ..Faults::none()
            },
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .timeout_config(
                        TimeoutConfig::builder()
                            .operation_attempt_timeout(Duration::from_millis(300))
                            .build(),
                    )
                    .build()
            },
            observe: |o| o.outcomes.join(","),
            expected: "timeout",
        },
        Case {
            name: "identity cache: no_cache resolves credentials for every call",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 2,
            sdk: |s, c| base(s, c).identity_cache(IdentityCache::no_cache()).build(),
            observe: |o| format!("{} loads, {}", o.credential_loads, o.outcomes.join(",")),
            expected: "2 loads, ok,ok",
        },
        Case {
            name: "identity cache: the default lazy cache resolves them once",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 2,
            sdk: |s, c| base(s, c).build(),
            observe: |o| format!("{} loads, {}", o.credential_loads, o.outcomes.join(",")),
            expected: "1 loads, ok,ok",
        },
        Case {
            name: "app name and framework metadata reach the user agent",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .app_name(AppName::new("billing-reports").expect("valid"))
                    .framework_metadata(
                        FrameworkMetadata::new("report-kit", Some("2.1")).expect("valid"),
                    )
                    .build()
            },
            observe: |o| {
                format!(
                    "{} {}",
                    user_agent_parts(o, "app/"),
                    user_agent_parts(o, "lib/")
                )
            },
            expected: "app/billing-reports lib/report-kit/2.1",
        },
        Case {
            name: "stalled-stream protection fails a body that stops",
            clock_ahead: Duration::ZERO,
            faults: || {
                Faults::script([ScriptedFault::once(Fault::StalledBody { stall_ms: 4_000 })])
            },
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .stalled_stream_protection(
                        StalledStreamProtectionConfig::enabled()
                            .grace_period(Duration::from_millis(200))
                            .build(),
                    )
                    .build()
            },
            observe: |o| o.outcomes.join(","),
            expected: "stalled",
        },
        Case {
            name: "stalled-stream protection switched off waits the stall out",
            clock_ahead: Duration::ZERO,
            faults: || {
                Faults::script([ScriptedFault::once(Fault::StalledBody { stall_ms: 1_500 })])
            },
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
                    .build()
            },
            observe: |o| o.outcomes.join(","),
            expected: "ok",
        },
        Case {
            name: "clock-skew correction signs the next call at the service's time",
            clock_ahead: Duration::from_secs(10 * 60),
            faults: no_faults,
            calls: 2,
            sdk: |s, c| base(s, c).build(),
            observe: |o| {
                format!(
                    "lag {} min, {}",
                    signing_lag_minutes(o),
                    o.outcomes.join(",")
                )
            },
            expected: "lag 10,0 min, ok,ok",
        },
        Case {
            name: "disable_clock_skew_correction keeps signing at the local time",
            clock_ahead: Duration::from_secs(10 * 60),
            faults: no_faults,
            calls: 2,
            sdk: |s, c| base(s, c).disable_clock_skew_correction(true).build(),
            observe: |o| {
                format!(
                    "lag {} min, {}",
                    signing_lag_minutes(o),
                    o.outcomes.join(",")
                )
            },
            expected: "lag 10,10 min, ok,ok",
        },
        Case {
            name: "the auth scheme preference reaches the runtime",
            clock_ahead: Duration::ZERO,
            faults: no_faults,
            calls: 1,
            sdk: |s, c| {
                base(s, c)
                    .auth_scheme_preference([
                        AuthSchemeId::from("noAuth"),
                        AuthSchemeId::from("sigv4"),
                    ])
                    .build()
            },
            // SigV4 is the only scheme either crate offers this operation, so it still signs.
            observe: |o| format!("{:?} {}", o.preferences, o.outcomes.join(",")),
            expected: r#"[Some(["noAuth", "sigv4"])] ok"#,
        },
    ]
}

/// `ok`, the service error code, `timeout`, `stalled`, or the error text.
fn outcome<O, E>(result: Result<O, SdkError<E, aws_smithy_runtime_api::http::Response>>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let error = match result {
        Ok(_) => return "ok".to_owned(),
        Err(e) => e,
    };
    if let Some(code) = error.as_service_error().and_then(|e| e.code()) {
        return code.to_owned();
    }
    let timeout = match &error {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(d) => d.is_timeout(),
        _ => false,
    };
    let text = DisplayErrorContext(&error).to_string();
    if timeout {
        "timeout".to_owned()
    } else if text.contains("minimum throughput") {
        "stalled".to_owned()
    } else {
        format!("other: {text}")
    }
}

/// Runs `calls` calls through a client of the crate `$krate`, built from `sdk` with the
/// preference probe added.
macro_rules! run_fn {
    ($name:ident, $krate:ident) => {
        async fn $name(sdk: &SdkConfig, calls: usize, probe: PreferenceProbe) -> Vec<String> {
            let conf = $krate::config::Builder::from(sdk)
                .interceptor(probe)
                .build();
            let client = $krate::Client::from_conf(conf);
            let mut outcomes = Vec::new();
            for _ in 0..calls {
                let result = client
                    .get_identity_center_auth_token()
                    .workgroup_names("default")
                    .send()
                    .await;
                outcomes.push(outcome(result));
            }
            outcomes
        }
    };
}
run_fn!(run_ours, redshift_serverless_client);
run_fn!(run_official, aws_sdk_redshiftserverless);

async fn observe(case: &Case, official: bool) -> Observed {
    let ahead = case.clock_ahead;
    let emulator = || {
        Emulator::start(
            EmulatorConfig::default().with_clock(Clock::from_fn(move || SystemTime::now() + ahead)),
        )
    };
    let servers = Servers {
        primary: emulator().await.expect("emulator"),
        decoy: emulator().await.expect("emulator"),
    };
    servers
        .primary
        .set_faults((case.faults)())
        .expect("the faults are valid");
    let counter = Counter::default();
    let probe = PreferenceProbe::default();
    let sdk = (case.sdk)(&servers, &counter);
    let outcomes = if official {
        run_official(&sdk, case.calls, probe.clone()).await
    } else {
        run_ours(&sdk, case.calls, probe.clone()).await
    };
    let observed = Observed {
        outcomes,
        primary: servers.primary.requests(),
        decoy: servers.decoy.requests(),
        credential_loads: counter.0.load(Ordering::SeqCst),
        preferences: probe.0.lock().unwrap_or_else(|p| p.into_inner()).clone(),
    };
    servers.primary.shutdown().await;
    servers.decoy.shutdown().await;
    observed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_crates_take_the_same_settings_from_sdk_config() {
    let mut failures = Vec::new();
    for case in cases() {
        let ours = (case.observe)(&observe(&case, false).await);
        let official = (case.observe)(&observe(&case, true).await);
        if ours != case.expected || official != case.expected {
            failures.push(format!(
                "{}:\n  expected {:?}\n  ours     {ours:?}\n  official {official:?}",
                case.name, case.expected
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An `SdkConfig` loaded by aws-config from `config` (a config file, `{primary}` and
/// `{decoy}` replaced by the emulators' URLs) with no environment variables, so the profile
/// file is the only source of settings.
async fn from_profile_file(servers: &Servers, counter: &Counter, config: &str) -> SdkConfig {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config");
    let text = config
        .replace("{primary}", &servers.primary.url())
        .replace("{decoy}", &servers.decoy.url());
    std::fs::write(&path, text).expect("config file");
    let files = aws_runtime::env_config::file::EnvConfigFiles::builder()
        .with_file(
            aws_runtime::env_config::file::EnvConfigFileKind::Config,
            &path,
        )
        .build();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .empty_test_environment()
        .profile_files(files)
        .credentials_provider(counter.clone())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

/// Where each crate's call went with `config` loaded by aws-config: `primary N decoy M`
/// (ours, official).
async fn profile_file_case(config: &str) -> (String, String) {
    let mut seen = Vec::new();
    for official in [false, true] {
        let servers = Servers {
            primary: Emulator::start(EmulatorConfig::default())
                .await
                .expect("emulator"),
            decoy: Emulator::start(EmulatorConfig::default())
                .await
                .expect("emulator"),
        };
        let counter = Counter::default();
        let sdk = from_profile_file(&servers, &counter, config).await;
        let probe = PreferenceProbe::default();
        if official {
            run_official(&sdk, 1, probe).await;
        } else {
            run_ours(&sdk, 1, probe).await;
        }
        seen.push(format!(
            "primary {} decoy {}",
            servers.primary.requests().len(),
            servers.decoy.requests().len()
        ));
        servers.primary.shutdown().await;
        servers.decoy.shutdown().await;
    }
    (seen.remove(0), seen.remove(0))
}

/// The profile's `[services]` section as both crates read it where they agree: the key
/// aws-config reads for the official crate (`redshift-serverless`) works with ours too, and
/// `ignore_configured_endpoint_urls` switches every configured endpoint off. (The
/// environment's endpoints, which aws-config reads the same way for both, are run end to end
/// in `aws_config.rs`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_crates_read_the_services_section_alike() {
    const PROFILE: &str = "[default]\nregion = us-east-1\nendpoint_url = {decoy}\n";
    let cases = [
        (
            "the profile's endpoint_url without a [services] entry",
            format!("{PROFILE}services = local\n[services local]\nother_service =\n  endpoint_url = {{primary}}\n"),
            "primary 0 decoy 1",
        ),
        (
            "redshift-serverless in [services] beats the profile's endpoint_url",
            format!("{PROFILE}services = local\n[services local]\nredshift-serverless =\n  endpoint_url = {{primary}}\n"),
            "primary 1 decoy 0",
        ),
        (
            // The invalid region keeps the call from leaving the machine: the endpoint rules
            // refuse it.
            "ignore_configured_endpoint_urls",
            "[default]\nregion = not a region\nendpoint_url = {primary}\nignore_configured_endpoint_urls = true\n\
             services = local\n[services local]\nredshift-serverless =\n  endpoint_url = {primary}\n"
                .to_owned(),
            "primary 0 decoy 0",
        ),
    ];
    let mut failures = Vec::new();
    for (name, config, expected) in cases {
        let (ours, official) = profile_file_case(&config).await;
        if ours != expected || official != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  ours     {ours:?}\n  official {official:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `redshift_serverless` in the profile's `[services]` section, the key the AWS
/// documentation, botocore and the AWS CLI use: ours reads it (before the hyphenated key the
/// official crate reads), the official crate passes over it to the profile's `endpoint_url`.
#[test]
fn pinned_services_section_aws_key() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(services_section_aws_key());
}

async fn services_section_aws_key() {
    const PROFILE: &str = "[default]\nregion = us-east-1\nendpoint_url = {decoy}\nservices = local\n[services local]\n";
    let cases = [
        format!("{PROFILE}redshift_serverless =\n  endpoint_url = {{primary}}\n"),
        format!(
            "{PROFILE}redshift-serverless =\n  endpoint_url = {{decoy}}\n\
             redshift_serverless =\n  endpoint_url = {{primary}}\n"
        ),
    ];
    let mut report = redshift_serverless_conformance::report::Report::new(
        "pinned",
        "pinned_services_section_aws_key",
    );
    for config in cases {
        let (ours, official) = profile_file_case(&config).await;
        assert_eq!(ours, "primary 1 decoy 0", "ours, {config}");
        assert_eq!(official, "primary 0 decoy 1", "official, {config}");
        report.differ(&[redshift_serverless_conformance::differences::SERVICES_SECTION_KEY]);
    }
    report.write();
}
