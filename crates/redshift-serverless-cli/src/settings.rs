//! The CLI's own settings (output format, timestamp format, CA bundle, profile) with the AWS
//! CLI's precedence: the flag, then the environment, then the profile, then the default.
//!
//! aws-config resolves what the SDKs share (region, credentials, retries, endpoints); the
//! settings here exist only in the AWS CLI, so the profile files are read for them with
//! aws-config's own parser, once. That read also answers whether a profile the user named
//! exists: the AWS CLI refuses a missing one ("The config profile (NAME) could not be
//! found") rather than carrying on without region or credentials.

use std::path::{Component, Path, PathBuf};

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles as ProfileFiles};
use aws_types::os_shim_internal::{Env, Fs};

use crate::args::{GlobalArgs, OutputFormat, RetryModeArg, MAX_ATTEMPTS_LIMIT};
use crate::failure::Failure;

/// How timestamps are printed (`cli_timestamp_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2026-11-28T05:00:00+00:00`, the AWS CLI v2's default.
    Iso8601,
    /// As the wire format of the member (`date-time`: `2026-11-28T05:00:00Z`): `wire`, or
    /// the AWS CLI v1's `none`.
    Wire,
}

/// Where the named profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChoice {
    /// No profile named: `default`, and a missing `default` is fine.
    Default,
    /// `--profile NAME`: must exist, and its credentials win over the environment's.
    Flag(String),
    /// `AWS_PROFILE=NAME`: must exist; environment credentials still come first.
    Env(String),
}

impl ProfileChoice {
    /// The profile's name.
    pub fn name(&self) -> &str {
        match self {
            ProfileChoice::Default => "default",
            ProfileChoice::Flag(name) | ProfileChoice::Env(name) => name,
        }
    }
}

/// A CA bundle path and where it was set, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    /// The file.
    pub path: PathBuf,
    /// `--ca-bundle`, `AWS_CA_BUNDLE` or `ca_bundle in profile NAME`.
    pub source: String,
}

/// The resolved CLI settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The selected profile.
    pub profile: ProfileChoice,
    /// `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, or `json`.
    pub output: OutputFormat,
    /// The profile's `cli_timestamp_format`, or `iso8601`.
    pub timestamps: TimestampFormat,
    /// `--ca-bundle`, `AWS_CA_BUNDLE`, the profile's `ca_bundle`, or none.
    pub ca_bundle: Option<CaBundle>,
    /// The `[services NAME]` section the profile names, when a configured endpoint can
    /// come from it (see `services_section`).
    pub services_section: Option<String>,
    /// The shared config and credentials files that exist, each checked against
    /// [`crate::files::MAX_FILE_SIZE`]: what aws-config is to read, instead of its defaults.
    pub profile_files: ProfileFiles,
    /// `--retry-mode`, `AWS_RETRY_MODE`, the profile's `retry_mode`, or `standard`.
    pub retry_mode: RetryModeArg,
    /// `--max-attempts`, `AWS_MAX_ATTEMPTS`, the profile's `max_attempts`, or the mode's
    /// default. Read here rather than by aws-config, which knows no `legacy` mode and reports
    /// a bad value with its `Debug` text.
    pub max_attempts: u32,
}

/// A shared config or credentials file: where it is, and where that was set.
struct SharedFile {
    kind: EnvConfigFileKind,
    /// `shared config file` or `shared credentials file`.
    name: &'static str,
    /// `AWS_CONFIG_FILE` or `AWS_SHARED_CREDENTIALS_FILE`.
    variable: &'static str,
    default: &'static str,
}

const SHARED_FILES: [SharedFile; 2] = [
    SharedFile {
        kind: EnvConfigFileKind::Config,
        name: "shared config file",
        variable: "AWS_CONFIG_FILE",
        default: "~/.aws/config",
    },
    SharedFile {
        kind: EnvConfigFileKind::Credentials,
        name: "shared credentials file",
        variable: "AWS_SHARED_CREDENTIALS_FILE",
        default: "~/.aws/credentials",
    },
];

/// The shared config and credentials files, found where aws-config looks (the variable, set
/// even to an empty string, else the default path; a leading `~` expanded as aws-runtime
/// expands it), each read once up to [`crate::files::MAX_FILE_SIZE`] so that a file past the limit is
/// refused by name before aws-config reads it whole. A file that cannot be read or is not
/// UTF-8 is left out, as aws-config treats it as empty. Returns the file set for aws-config
/// and the config file's text.
fn shared_files(env: &dyn Fn(&str) -> Option<String>) -> Result<(ProfileFiles, String), Failure> {
    let home = aws_runtime::fs_util::home_dir(&Env::real(), aws_runtime::fs_util::Os::real());
    let mut files = ProfileFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false);
    let mut config_text = String::new();
    for file in &SHARED_FILES {
        let (path, source) = match env(file.variable) {
            Some(path) => (
                expand_home(&path, home.as_deref()),
                file.variable.to_owned(),
            ),
            None => (
                expand_home(file.default, home.as_deref()),
                "the default location".to_owned(),
            ),
        };
        let text = match crate::files::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).ok(),
            Err(e @ crate::files::ReadError::TooLarge { .. }) => {
                return Err(Failure::Configuration(format!(
                    "Could not read the {} {} (from {source}): {e}",
                    file.name,
                    crate::escape::escape_controls(&path.display().to_string())
                )))
            }
            Err(_) => None,
        };
        match text {
            Some(text) => {
                files = files.with_file(file.kind, &path);
                if matches!(file.kind, EnvConfigFileKind::Config) {
                    config_text = text;
                }
            }
            // Missing (or unreadable): aws-config's own default for this kind, which finds
            // the same path and reads a missing file as empty. A named file that is missing
            // is an error in aws-config, and a set with no file at all makes it panic, which
            // is what a machine without ~/.aws gave.
            None => {
                files = match file.kind {
                    EnvConfigFileKind::Config => files.include_default_config_file(true),
                    EnvConfigFileKind::Credentials => files.include_default_credentials_file(true),
                };
            }
        }
    }
    Ok((files.build(), config_text))
}

/// `~` at the start of `path` replaced by the home directory, as aws-runtime does.
fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    let path = Path::new(path);
    let mut components = path.components();
    match (components.next(), home) {
        (Some(Component::Normal(first)), Some(home)) if first == "~" => {
            let mut expanded = PathBuf::from(home);
            expanded.extend(components);
            expanded
        }
        _ => path.to_path_buf(),
    }
}

/// Reads the environment and the profile files. `env` is a lookup so tests can pass one.
pub async fn resolve(
    global: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, Failure> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    let profile = choose_profile(global, &var);
    let (files, config_text) = shared_files(env)?;
    let profiles = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &files,
        Some(profile.name().to_owned().into()),
    )
    .await
    .map_err(|e| {
        // aws-config's own text (`could not parse profile file`) names neither the file nor
        // the line; its source does.
        Failure::Configuration(format!(
            "Unable to read the shared config and credentials files: {}",
            crate::escape::escape_controls(&one_line(&crate::run::error_chain(&e)))
        ))
    })?;
    let mut settings = from_profiles(global, &profile, &profiles, &var, &config_text)?;
    settings.profile_files = files;
    Ok(settings)
}

/// `text` with each line break and the indentation after it turned into one space.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// `--profile`, then `AWS_PROFILE`, then `default`.
fn choose_profile(global: &GlobalArgs, var: &dyn Fn(&str) -> Option<String>) -> ProfileChoice {
    match (&global.profile, var("AWS_PROFILE")) {
        (Some(name), _) => ProfileChoice::Flag(name.clone()),
        (None, Some(name)) => ProfileChoice::Env(name),
        (None, None) => ProfileChoice::Default,
    }
}

fn from_profiles(
    global: &GlobalArgs,
    choice: &ProfileChoice,
    profiles: &ProfileSet,
    var: &dyn Fn(&str) -> Option<String>,
    config_text: &str,
) -> Result<Settings, Failure> {
    let profile = profiles.get_profile(choice.name());
    if profile.is_none() && *choice != ProfileChoice::Default {
        return Err(Failure::Configuration(format!(
            "The config profile ({}) could not be found",
            choice.name()
        )));
    }
    let setting = |key: &str| {
        profile
            .and_then(|p| p.get(key))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let in_profile = |key: &str| format!("{key} in profile {}", choice.name());

    let output = match (global.output, var("AWS_DEFAULT_OUTPUT")) {
        (Some(flag), _) => flag,
        (None, Some(value)) => parse_output(&value, "AWS_DEFAULT_OUTPUT")?,
        (None, None) => match setting("output") {
            Some(value) => parse_output(value, &in_profile("output"))?,
            None => OutputFormat::Json,
        },
    };
    let timestamps = match setting("cli_timestamp_format") {
        None | Some("iso8601") => TimestampFormat::Iso8601,
        Some("wire" | "none") => TimestampFormat::Wire,
        Some(other) => {
            return Err(Failure::Configuration(format!(
                "Invalid value for {}: \"{}\": must be iso8601, wire or none",
                in_profile("cli_timestamp_format"),
                crate::escape::escape_controls(other)
            )))
        }
    };
    let ca_bundle = match (&global.ca_bundle, var("AWS_CA_BUNDLE")) {
        (Some(path), _) => Some(CaBundle {
            path: path.clone(),
            source: "--ca-bundle".into(),
        }),
        (None, Some(path)) => Some(CaBundle {
            path: path.into(),
            source: "AWS_CA_BUNDLE".into(),
        }),
        (None, None) => setting("ca_bundle").map(|path| CaBundle {
            path: path.into(),
            source: in_profile("ca_bundle"),
        }),
    };
    let services_section = services_section(global, profile, var, config_text)?;
    let retry_mode = match global.retry_mode {
        Some(flag) => flag,
        None => match var("AWS_RETRY_MODE")
            .map(|v| (v, "AWS_RETRY_MODE".to_owned()))
            .or_else(|| setting("retry_mode").map(|v| (v.to_owned(), in_profile("retry_mode"))))
        {
            Some((value, source)) => parse_retry_mode(&value, &source)?,
            None => RetryModeArg::Standard,
        },
    };
    // The bound is the CLI's (see MAX_ATTEMPTS_LIMIT).
    let max_attempts = match global.max_attempts {
        Some(flag) => flag,
        None => match var("AWS_MAX_ATTEMPTS")
            .map(|v| (v, "AWS_MAX_ATTEMPTS".to_owned()))
            .or_else(|| setting("max_attempts").map(|v| (v.to_owned(), in_profile("max_attempts"))))
        {
            Some((value, source)) => check_max_attempts(&value, &source)?,
            None => retry_mode.default_attempts(),
        },
    };
    Ok(Settings {
        profile: choice.clone(),
        output,
        timestamps,
        ca_bundle,
        services_section,
        profile_files: ProfileFiles::default(),
        retry_mode,
        max_attempts,
    })
}

/// The profile's `services` setting, when a configured endpoint could come from the
/// `[services NAME]` section it names: none under `--endpoint-url` (which wins),
/// `ignore_configured_endpoint_urls`, or an endpoint variable (which comes first). The
/// endpoint itself is resolved by the client library (`configured_endpoint_url`, from
/// aws-config's settings), which the CLI shares with every user of `From<&SdkConfig>`; what
/// is left here is the AWS CLI's refusal of a profile that names a section the config file
/// does not have, which aws-config passes over in silence.
fn services_section(
    global: &GlobalArgs,
    profile: Option<&aws_config::profile::Profile>,
    var: &dyn Fn(&str) -> Option<String>,
    config_text: &str,
) -> Result<Option<String>, Failure> {
    let setting = |key: &str| profile.and_then(|p| p.get(key)).map(str::trim);
    let ignored = var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or_else(|| setting("ignore_configured_endpoint_urls").map(str::to_owned))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let service_env = format!(
        "AWS_ENDPOINT_URL_{}",
        redshift_serverless_client::config::services_section_key().to_uppercase()
    );
    if global.endpoint_url.is_some()
        || ignored
        || var(&service_env).is_some()
        || var("AWS_ENDPOINT_URL").is_some()
    {
        return Ok(None);
    }
    let Some(name) = setting("services").filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if !config_file_has_section(&format!("services {name}"), config_text) {
        // botocore's words (`ConfiguredEndpointProvider._get_services_config`).
        return Err(Failure::Configuration(format!(
            "The profile is configured to use the services section but the \"{}\" \
             services configuration does not exist.",
            crate::escape::escape_controls(name)
        )));
    }
    Ok(Some(name.to_owned()))
}

impl Settings {
    /// Where a configured endpoint URL was set, for messages: the variable, or the setting
    /// and the section or profile it is in.
    pub fn endpoint_source(
        &self,
        source: &redshift_serverless_client::config::EndpointUrlSource,
    ) -> String {
        use redshift_serverless_client::config::EndpointUrlSource as Source;
        match source {
            Source::ServiceEnvironmentVariable(name) => name.clone(),
            Source::EnvironmentVariable => "AWS_ENDPOINT_URL".to_owned(),
            Source::ServicesSection(key) => format!(
                "{key}.endpoint_url in [services {}]",
                self.services_section.as_deref().unwrap_or("?")
            ),
            Source::Profile => format!("endpoint_url in profile {}", self.profile.name()),
            _ => "the configured endpoint URL".to_owned(),
        }
    }
}

/// Whether the shared config file's text has a `[NAME]` section. aws-runtime's parsed
/// sections cannot be listed, so this reads the file's section headers; an unreadable file
/// has none.
fn config_file_has_section(name: &str, text: &str) -> bool {
    let wanted: Vec<&str> = name.split_whitespace().collect();
    text.lines().any(|line| {
        let line = line.trim();
        line.strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .is_some_and(|header| header.split_whitespace().collect::<Vec<_>>() == wanted)
    })
}

fn parse_output(value: &str, source: &str) -> Result<OutputFormat, Failure> {
    OutputFormat::parse(value.trim()).ok_or_else(|| {
        let valid: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
        Failure::Configuration(format!(
            "Invalid value for {source}: \"{}\": must be one of {}",
            crate::escape::escape_controls(value),
            valid.join(", ")
        ))
    })
}

/// A configured retry mode: `legacy`, `standard` or `adaptive`, as the AWS CLI v2 takes.
fn parse_retry_mode(value: &str, source: &str) -> Result<RetryModeArg, Failure> {
    RetryModeArg::parse(value.trim()).ok_or_else(|| {
        let valid: Vec<&str> = RetryModeArg::ALL.iter().map(|m| m.name()).collect();
        Failure::Configuration(format!(
            "Invalid value for {source}: \"{}\": must be one of {}",
            crate::escape::escape_controls(value),
            valid.join(", ")
        ))
    })
}

/// A configured attempt count must be a whole number from 1 to the limit.
fn check_max_attempts(value: &str, source: &str) -> Result<u32, Failure> {
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_ATTEMPTS_LIMIT).contains(&n) => Ok(n),
        _ => Err(Failure::Configuration(format!(
            "Invalid value for {source}: \"{}\": must be a whole number from 1 to {MAX_ATTEMPTS_LIMIT}",
            crate::escape::escape_controls(value)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn global(args: &[&str]) -> GlobalArgs {
        let argv = ["redshift-serverless"]
            .into_iter()
            .chain(args.iter().copied())
            .chain(["completion", "bash"]);
        match crate::args::Cli::try_parse_from(argv) {
            Ok(cli) => cli.global,
            Err(e) => panic!("{e}"),
        }
    }

    /// The profiles of a config file written to a temporary directory, which lives as long
    /// as the returned guard (the services-section check reads the file itself).
    fn profiles_in_file(config: &str) -> (ProfileSet, tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        std::fs::write(&path, config).expect("config");
        let path = path.to_string_lossy().into_owned();
        let env = Env::from_slice(&[("AWS_CONFIG_FILE", &path), ("HOME", "/nohome")]);
        let loaded = block_on(aws_config::profile::load(
            &Fs::real(),
            &env,
            &ProfileFiles::default(),
            None,
        ));
        match loaded {
            Ok(set) => (set, dir, path),
            Err(e) => panic!("{e}"),
        }
    }

    fn profiles(config: &str) -> ProfileSet {
        profiles_in_file(config).0
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        match tokio::runtime::Builder::new_current_thread().build() {
            Ok(rt) => rt.block_on(f),
            Err(e) => panic!("{e}"),
        }
    }

    /// The endpoint itself is the library's (`tests/endpoints.rs` runs the precedence end to
    /// end); what is left here is the section name for messages and botocore's refusal of
    /// a missing section, which applies only where the section would be read.
    #[test]
    fn services_section_is_checked_only_where_it_would_be_read() {
        const SERVICES: &str = "services = local\n[services local]\nredshift_serverless =\n  endpoint_url = http://section\n";
        const MISSING: &str = "The profile is configured to use the services section but the \"gone\" services configuration does not exist.";
        // (name, flags, environment, config file, expected section name or error)
        type Case<'a> = (
            &'a str,
            &'a [&'a str],
            &'a [(&'a str, &'a str)],
            String,
            Result<Option<&'a str>, &'a str>,
        );
        let cases: &[Case] = &[
            (
                "no services setting",
                &[],
                &[],
                "[default]\nendpoint_url = http://p\n".into(),
                Ok(None),
            ),
            (
                "a section that exists",
                &[],
                &[],
                format!("[default]\n{SERVICES}"),
                Ok(Some("local")),
            ),
            (
                "a missing section",
                &[],
                &[],
                "[default]\nservices = gone\n".into(),
                Err(MISSING),
            ),
            (
                "a missing section is not read under --endpoint-url",
                &["--endpoint-url", "http://flag"],
                &[],
                "[default]\nservices = gone\n".into(),
                Ok(None),
            ),
            (
                "nor when an endpoint variable comes first",
                &[],
                &[("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "http://service")],
                "[default]\nservices = gone\n".into(),
                Ok(None),
            ),
            (
                "nor when AWS_ENDPOINT_URL comes first",
                &[],
                &[("AWS_ENDPOINT_URL", "http://global")],
                "[default]\nservices = gone\n".into(),
                Ok(None),
            ),
            (
                "nor when configured endpoints are ignored",
                &[],
                &[],
                "[default]\nignore_configured_endpoint_urls = true\nservices = gone\n".into(),
                Ok(None),
            ),
        ];
        for (name, flags, env, config, expected) in cases {
            let global = global(flags);
            let (profiles, _dir, path) = profiles_in_file(config);
            let var = |k: &str| match k {
                "AWS_CONFIG_FILE" => Some(path.clone()),
                _ => env
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned()),
            };
            let choice = choose_profile(&global, &var);
            match (
                from_profiles(&global, &choice, &profiles, &var, config),
                expected,
            ) {
                (Ok(s), Ok(section)) => {
                    assert_eq!(s.services_section.as_deref(), *section, "{name}")
                }
                (Err(f), Err(message)) => {
                    assert_eq!(f.exit_code(), 253, "{name}");
                    assert_eq!(f.to_string(), *message, "{name}");
                }
                (got, expected) => panic!("{name}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn endpoint_sources_are_named_as_the_user_wrote_them() {
        use redshift_serverless_client::config::EndpointUrlSource as Source;
        let config = "[profile p]\nservices = local\n[services local]\nredshift_serverless =\n  endpoint_url = http://s\n";
        let (profiles, _dir, path) = profiles_in_file(config);
        let global = global(&["--profile", "p"]);
        let var = |k: &str| (k == "AWS_CONFIG_FILE").then(|| path.clone());
        let choice = choose_profile(&global, &var);
        let settings = match from_profiles(&global, &choice, &profiles, &var, config) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let names: Vec<String> = [
            Source::ServiceEnvironmentVariable("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS".into()),
            Source::EnvironmentVariable,
            Source::ServicesSection("redshift_serverless".into()),
            Source::ServicesSection("redshift-serverless".into()),
            Source::Profile,
        ]
        .iter()
        .map(|s| settings.endpoint_source(s))
        .collect();
        assert_eq!(
            names,
            [
                "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS",
                "AWS_ENDPOINT_URL",
                "redshift_serverless.endpoint_url in [services local]",
                "redshift-serverless.endpoint_url in [services local]",
                "endpoint_url in profile p",
            ]
        );
    }

    #[test]
    fn a_leading_tilde_is_the_home_directory() {
        assert_eq!(
            expand_home("~/.aws/config", Some("/home/me")),
            PathBuf::from("/home/me/.aws/config")
        );
        assert_eq!(
            expand_home("/etc/aws", Some("/home/me")),
            PathBuf::from("/etc/aws")
        );
        assert_eq!(
            expand_home("~/.aws/config", None),
            PathBuf::from("~/.aws/config")
        );
        assert_eq!(expand_home("a~/b", Some("/h")), PathBuf::from("a~/b"));
    }

    /// One case: flags, environment, config file, and the expected outcome.
    struct Case {
        name: &'static str,
        flags: &'static [&'static str],
        env: &'static [(&'static str, &'static str)],
        config: &'static str,
        expect: Result<(OutputFormat, TimestampFormat, Option<&'static str>), &'static str>,
    }

    #[test]
    fn precedence_flag_then_environment_then_profile() {
        use OutputFormat::*;
        use TimestampFormat::*;
        let cases = [
            Case { name: "defaults", flags: &[], env: &[], config: "", expect: Ok((Json, Iso8601, None)) },
            Case {
                name: "profile values",
                flags: &[],
                env: &[],
                config: "[default]\noutput = table\ncli_timestamp_format = wire\nca_bundle = /p.pem\n",
                expect: Ok((Table, Wire, Some("ca_bundle in profile default"))),
            },
            Case {
                name: "v1's none is wire",
                flags: &[],
                env: &[],
                config: "[default]\ncli_timestamp_format = none\n",
                expect: Ok((Json, Wire, None)),
            },
            Case {
                name: "environment beats profile",
                flags: &[],
                env: &[("AWS_DEFAULT_OUTPUT", "text"), ("AWS_CA_BUNDLE", "/e.pem")],
                config: "[default]\noutput = table\nca_bundle = /p.pem\n",
                expect: Ok((Text, Iso8601, Some("AWS_CA_BUNDLE"))),
            },
            Case {
                name: "flags beat environment",
                flags: &["--output", "yaml", "--ca-bundle", "/f.pem"],
                env: &[("AWS_DEFAULT_OUTPUT", "text"), ("AWS_CA_BUNDLE", "/e.pem")],
                config: "[default]\noutput = table\n",
                expect: Ok((Yaml, Iso8601, Some("--ca-bundle"))),
            },
            Case {
                name: "named profile via AWS_PROFILE",
                flags: &[],
                env: &[("AWS_PROFILE", "p1")],
                config: "[default]\noutput = table\n[profile p1]\noutput = text\n",
                expect: Ok((Text, Iso8601, None)),
            },
            Case {
                name: "--profile beats AWS_PROFILE",
                flags: &["--profile", "p2"],
                env: &[("AWS_PROFILE", "p1")],
                config: "[profile p1]\noutput = text\n[profile p2]\noutput = yaml-stream\n",
                expect: Ok((YamlStream, Iso8601, None)),
            },
            Case {
                name: "missing --profile",
                flags: &["--profile", "nosuch"],
                env: &[],
                config: "[default]\n",
                expect: Err("The config profile (nosuch) could not be found"),
            },
            Case {
                name: "missing AWS_PROFILE",
                flags: &[],
                env: &[("AWS_PROFILE", "nosuch")],
                config: "",
                expect: Err("The config profile (nosuch) could not be found"),
            },
            Case {
                name: "bad AWS_DEFAULT_OUTPUT",
                flags: &[],
                env: &[("AWS_DEFAULT_OUTPUT", "xml")],
                config: "",
                expect: Err("Invalid value for AWS_DEFAULT_OUTPUT: \"xml\": must be one of json, text, table, yaml, yaml-stream, off"),
            },
            Case {
                name: "bad profile output",
                flags: &[],
                env: &[],
                config: "[default]\noutput = xml\n",
                expect: Err("Invalid value for output in profile default: \"xml\""),
            },
            Case {
                name: "bad timestamp format",
                flags: &[],
                env: &[],
                config: "[default]\ncli_timestamp_format = epoch\n",
                expect: Err("Invalid value for cli_timestamp_format in profile default: \"epoch\": must be iso8601, wire or none"),
            },
            Case {
                name: "AWS_MAX_ATTEMPTS above the limit",
                flags: &[],
                env: &[("AWS_MAX_ATTEMPTS", "4294967295")],
                config: "",
                expect: Err("Invalid value for AWS_MAX_ATTEMPTS: \"4294967295\": must be a whole number from 1 to 100"),
            },
            Case {
                name: "profile max_attempts zero",
                flags: &[],
                env: &[],
                config: "[default]\nmax_attempts = 0\n",
                expect: Err("Invalid value for max_attempts in profile default: \"0\""),
            },
            Case {
                name: "--max-attempts makes the others irrelevant",
                flags: &["--max-attempts", "2"],
                env: &[("AWS_MAX_ATTEMPTS", "many")],
                config: "",
                expect: Ok((Json, Iso8601, None)),
            },
        ];
        for case in cases {
            let global = global(case.flags);
            let var = |name: &str| {
                case.env
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            };
            let choice = choose_profile(&global, &var);
            let got = from_profiles(&global, &choice, &profiles(case.config), &var, case.config);
            match (got, case.expect) {
                (Ok(s), Ok((output, timestamps, ca))) => {
                    assert_eq!(s.output, output, "{}", case.name);
                    assert_eq!(s.timestamps, timestamps, "{}", case.name);
                    assert_eq!(
                        s.ca_bundle.as_ref().map(|c| c.source.as_str()),
                        ca,
                        "{}",
                        case.name
                    );
                }
                (Err(f), Err(message)) => {
                    assert_eq!(f.exit_code(), 253, "{}", case.name);
                    assert!(f.to_string().starts_with(message), "{}: {f}", case.name);
                }
                (got, expected) => panic!("{}: got {got:?}, expected {expected:?}", case.name),
            }
        }
    }

    /// Retry mode and attempts: flag, then environment, then profile, then the mode's
    /// default; `legacy` is accepted (the AWS CLI v2 accepts it) with its 5 attempts; a bad
    /// value is named with its source and the values allowed, never in `Debug` text.
    #[test]
    fn retry_settings() {
        use RetryModeArg::*;
        type Expect = Result<(RetryModeArg, u32), &'static str>;
        type Env = &'static [(&'static str, &'static str)];
        let cases: &[(&[&str], Env, &str, Expect)] = &[
            (&[], &[], "", Ok((Standard, 3))),
            (&[], &[("AWS_RETRY_MODE", "legacy")], "", Ok((Legacy, 5))),
            (&[], &[], "[default]\nretry_mode = legacy\n", Ok((Legacy, 5))),
            (
                &[],
                &[("AWS_RETRY_MODE", "legacy"), ("AWS_MAX_ATTEMPTS", "2")],
                "",
                Ok((Legacy, 2)),
            ),
            (&[], &[("AWS_RETRY_MODE", "adaptive")], "", Ok((Adaptive, 3))),
            (
                &[],
                &[("AWS_RETRY_MODE", "standard")],
                "[default]\nretry_mode = legacy\nmax_attempts = 7\n",
                Ok((Standard, 7)),
            ),
            (
                &["--retry-mode", "legacy", "--max-attempts", "9"],
                &[("AWS_RETRY_MODE", "bogus"), ("AWS_MAX_ATTEMPTS", "x")],
                "",
                Ok((Legacy, 9)),
            ),
            (
                &[],
                &[("AWS_RETRY_MODE", "bogus")],
                "",
                Err("Invalid value for AWS_RETRY_MODE: \"bogus\": must be one of legacy, standard, adaptive"),
            ),
            (
                &[],
                &[],
                "[default]\nretry_mode = Legacy\n",
                Err("Invalid value for retry_mode in profile default: \"Legacy\": must be one of legacy, standard, adaptive"),
            ),
            (
                &[],
                &[("AWS_MAX_ATTEMPTS", "abc")],
                "",
                Err("Invalid value for AWS_MAX_ATTEMPTS: \"abc\": must be a whole number from 1 to 100"),
            ),
        ];
        for (flags, env, config, expect) in cases {
            let global = global(flags);
            let var = |name: &str| {
                env.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            };
            let choice = choose_profile(&global, &var);
            let got = from_profiles(&global, &choice, &profiles(config), &var, config)
                .map(|s| (s.retry_mode, s.max_attempts));
            match (got, expect) {
                (Ok(got), Ok(expected)) => {
                    assert_eq!(got, *expected, "{flags:?} {env:?} {config:?}")
                }
                (Err(f), Err(message)) => {
                    assert_eq!(f.exit_code(), 253);
                    let text = f.to_string();
                    assert_eq!(text, *message, "{env:?} {config:?}");
                }
                (got, expected) => panic!("{env:?} {config:?}: got {got:?}, expected {expected:?}"),
            }
        }
    }
}
