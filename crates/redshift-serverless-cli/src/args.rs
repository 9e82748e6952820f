//! The command line, declared with clap.
//!
//! Flags are the AWS CLI's, spelled and placed as there (global flags before or after the
//! command), so a script written for `aws redshift-serverless get-identity-center-auth-token`
//! or `aws redshift-serverless get-workgroup` runs unchanged. Settings that can also come from the environment or the profile are
//! `Option`s here; `settings.rs` applies the AWS precedence.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The highest `--max-attempts` (and `AWS_MAX_ATTEMPTS` / `max_attempts`) accepted. At the
/// 20 s backoff cap, 100 attempts already wait more than half an hour, and the standard
/// retry quota (500 tokens, 5 a retry) runs dry after 100 retries anyway: more is a typo.
pub const MAX_ATTEMPTS_LIMIT: u32 = 100;

/// Get short-lived IAM Identity Center tokens and workgroup details from Amazon Redshift
/// Serverless.
#[derive(Debug, Parser)]
#[command(
    name = "redshift-serverless",
    version,
    subcommand_required = true,
    arg_required_else_help = true,
    // A flag given twice takes the last value, as argparse (the AWS CLI) does.
    args_override_self = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Settings that apply to every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The operation to call.
    #[command(subcommand)]
    pub command: Command,
}

/// Printed below the flags of every `--help`.
pub const AFTER_HELP: &str = "\
Settings come from the flags, then the environment (AWS_REGION or AWS_DEFAULT_REGION,
AWS_DEFAULT_OUTPUT, AWS_CA_BUNDLE, AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS, AWS_ENDPOINT_URL, ...),
then the profile in the shared config and credentials files, as with the AWS CLI. Credentials
come from the environment before the profile, except that --profile makes its profile win.

Text output prints a TAB or newline inside a value as it is, as the AWS CLI does. Every other
control character from the network (ESC, CR, bidirectional controls, U+2028) is escaped in
every output format and message (ESC as \\u{1b}, in JSON \\u001b): it cannot act on the terminal.

Exit codes: 0 success, 252 invalid command line or parameters, 253 invalid or missing
configuration (region, credentials, profile), 254 the service returned an error,
255 anything else (network, unreadable response, output not writable).

AWS CLI global options deliberately not supported:
  --cli-auto-prompt    no interactive prompting; --no-cli-auto-prompt is accepted
  --cli-binary-format  the operation has no binary parameters or output";

/// Flags accepted before or after the command name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// AWS Region to call; overrides AWS_REGION, AWS_DEFAULT_REGION and the profile's region.
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Named profile from the shared config and credentials files; overrides AWS_PROFILE, and
    /// its credentials win over AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Send requests to this URL (http:// or https:// and a host) instead of the configured or
    /// Region-derived endpoint.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Use the Region's FIPS endpoint (cannot be combined with --endpoint-url).
    #[arg(long, global = true)]
    pub use_fips: bool,

    /// Use the Region's dual-stack (IPv4 and IPv6) endpoint (cannot be combined with --endpoint-url).
    #[arg(long, global = true)]
    pub use_dual_stack: bool,

    /// Total attempts, the first one included, before a retryable error is given up on,
    /// at most 100 [default: AWS_MAX_ATTEMPTS, the profile's max_attempts, or 3 (legacy: 5)].
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_ATTEMPTS_LIMIT)))]
    pub max_attempts: Option<u32>,

    /// How retries are paced: standard backoff; adaptive, which also slows down sending
    /// after throttling; or legacy, retried as standard with 5 attempts by default
    /// [default: AWS_RETRY_MODE, the profile's retry_mode, or standard].
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub retry_mode: Option<RetryModeArg>,

    /// Seconds to wait for a connection to open; 0 waits without limit.
    #[arg(long, global = true, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    pub cli_connect_timeout: f64,

    /// Seconds to wait for data from an open connection: for the response, and again
    /// whenever its body stops arriving; 0 waits without limit.
    #[arg(long, global = true, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    pub cli_read_timeout: f64,

    /// Output format [default: AWS_DEFAULT_OUTPUT, the profile's output, or json].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// A JMESPath expression applied to the response before it is formatted, e.g. `token`.
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub query: Option<String>,

    /// Whether table output is colored; auto: when standard output is a terminal.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// PEM file of CA certificates to trust instead of the system's, for https endpoints
    /// [default: AWS_CA_BUNDLE or the profile's ca_bundle].
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_bundle: Option<std::path::PathBuf>,

    /// Send the request unsigned, without looking up credentials, as the AWS CLI does (the
    /// service refuses it; for endpoints that take anonymous requests).
    #[arg(long, global = true)]
    pub no_sign_request: bool,

    /// Do not verify the endpoint's TLS certificate (dangerous: anyone on the network path
    /// can then impersonate the endpoint).
    #[arg(long, global = true)]
    pub no_verify_ssl: bool,

    /// Log each attempt (endpoint, status, retry verdict, delay) to standard error; the
    /// token, secret key, session token and signature are never logged.
    #[arg(long, global = true)]
    pub debug: bool,

    /// Skip the client-side check of parameters against the service model and let the
    /// service judge them (for when the service accepts more than this client's model).
    #[arg(long, global = true)]
    pub no_validate: bool,

    /// Accepted for compatibility: output is never paged.
    #[arg(long, global = true)]
    pub no_cli_pager: bool,

    /// Accepted for compatibility: the operation returns one page.
    #[arg(long, global = true)]
    pub no_paginate: bool,

    /// Accepted for compatibility: parameters are never prompted for.
    #[arg(long, global = true)]
    pub no_cli_auto_prompt: bool,
}

/// The operations this program can call, and its shell completions.
///
/// Each operation's variant holds its own arguments; `run::run` dispatches on the variant,
/// an operation to `run::call` with its `operation::Operation` description.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get an IAM Identity Center token for the named workgroups (GetIdentityCenterAuthToken).
    #[command(
        after_help = AFTER_HELP,
        mut_arg("cli_input_json", |a| a.help(
            "The parameters as a JSON object (literal or file://PATH), e.g. \
             '{\"workgroupNames\":[\"default\"]}'; flags given as well win"
        ))
    )]
    GetIdentityCenterAuthToken(GetTokenArgs),
    /// Describe a workgroup: its SQL endpoint (address and port), status, capacity and
    /// settings (GetWorkgroup).
    #[command(
        after_help = AFTER_HELP,
        mut_arg("cli_input_json", |a| a.help(
            "The parameters as a JSON object (literal or file://PATH), e.g. \
             '{\"workgroupName\":\"default\"}'; flags given as well win"
        ))
    )]
    GetWorkgroup(GetWorkgroupArgs),
    /// Serve any PostgreSQL client (psql, DBeaver, dbt, psycopg, sqlx) as the Identity Center
    /// user: a local proxy that signs each session in to the workgroup with the token.
    #[command(after_help = PROXY_AFTER_HELP)]
    Proxy(ProxyArgs),
    /// Print a shell completion script, e.g. `source <(redshift-serverless completion bash)`.
    Completion {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

impl Command {
    /// The operation's name, when `help` followed it (`get-workgroup help`), for `--help`.
    pub fn help_requested(&self) -> Option<&'static str> {
        let (name, input) = match self {
            Command::GetIdentityCenterAuthToken(args) => {
                ("get-identity-center-auth-token", &args.input)
            }
            Command::GetWorkgroup(args) => ("get-workgroup", &args.input),
            Command::Proxy(_) | Command::Completion { .. } => return None,
        };
        input.help_word.is_some().then_some(name)
    }
}

/// Arguments of `get-identity-center-auth-token`.
#[derive(Debug, Args)]
pub struct GetTokenArgs {
    /// Workgroups the token gives access to: 1 to 20 names, each 3 to 64 characters of
    /// a-z, 0-9 and hyphen; or one JSON list, e.g. '["default","analytics"]'. Required
    /// unless given by --cli-input-json or --cli-input-yaml.
    // `Set`, not clap's default `Append`: given twice, the last list wins, as in the AWS CLI.
    #[arg(long, num_args = 1.., value_name = "NAME", action = clap::ArgAction::Set)]
    pub workgroup_names: Option<Vec<String>>,

    /// `--cli-input-json`, `--cli-input-yaml` and `--generate-cli-skeleton`.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Below `proxy --help`.
pub const PROXY_AFTER_HELP: &str = "\
Clients connect without a password: psql \"host=127.0.0.1 port=5439 dbname=dev\". Each session is
signed in upstream (TLS, Redshift's Identity Center sign-in) with one cached token per token
lifetime; the client's database and application_name go upstream, and an upstream refusal
reaches the client with its SQLSTATE. Settings (profile, region, endpoint URL, CA bundle) are
read as for every other command; the CA bundle is trusted for the workgroup's certificate too.

At start one line on standard output says where it listens and where it signs in. SIGINT or
SIGTERM stops accepting and waits for open sessions up to --grace-period. Sessions are logged
on standard error (never the token).";

/// `proxy`'s arguments.
#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// The workgroup to sign in to.
    #[arg(long, value_name = "NAME")]
    pub workgroup: String,

    /// The database of a session whose client names none.
    #[arg(long, value_name = "DB", default_value = "dev")]
    pub database: String,

    /// The TCP port to listen on; 0 picks a free one.
    #[arg(long, value_name = "PORT", default_value_t = 5439)]
    pub port: u16,

    /// The address to listen on. Anything but loopback needs --allow-remote.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub address: std::net::IpAddr,

    /// Also listen on a Unix socket in this directory, named as PostgreSQL names its own
    /// (.s.PGSQL.<port>) and created with mode 0600: `psql -h DIR -p PORT`.
    #[arg(long, value_name = "DIR")]
    pub unix_socket: Option<std::path::PathBuf>,

    /// Listen on a non-loopback --address. Anyone who reaches it acts as the Identity Center
    /// user, and the client leg is not encrypted.
    #[arg(long)]
    pub allow_remote: bool,

    /// Sessions open at once; more are refused with SQLSTATE 53300.
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,

    /// Seconds SIGINT or SIGTERM waits for open sessions before closing them.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub grace_period: f64,

    /// The Identity Center namespace of the user's Redshift role [default: the workgroup's,
    /// usually awsidc].
    #[arg(long, value_name = "NAMESPACE")]
    pub identity_namespace: Option<String>,

    /// How the workgroup's certificate is checked: the chain and the host name
    /// (verify-full), or the chain only (verify-ca).
    #[arg(long, value_enum, value_name = "MODE", default_value_t = TlsModeArg::VerifyFull)]
    pub tls_mode: TlsModeArg,
}

/// `--tls-mode` values.
#[allow(missing_docs)] // See `RetryModeArg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TlsModeArg {
    VerifyFull,
    VerifyCa,
}

/// Arguments of `get-workgroup`.
#[derive(Debug, Args)]
pub struct GetWorkgroupArgs {
    /// The workgroup to describe: 3 to 64 characters of a-z, 0-9 and hyphen. Required unless
    /// given by --cli-input-json or --cli-input-yaml.
    #[arg(long, value_name = "NAME")]
    pub workgroup_name: Option<String>,

    /// `--cli-input-json`, `--cli-input-yaml` and `--generate-cli-skeleton`.
    #[command(flatten)]
    pub input: InputArgs,
}

/// The flags every operation has besides its parameters: the parameters as a document, and
/// skeletons. Each operation's variant gives `--cli-input-json` a help text with its own
/// example (`mut_arg` on `Command`).
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The parameters as a JSON object (literal or file://PATH); flags given as well win.
    #[arg(long, value_name = "JSON", conflicts_with = "cli_input_yaml")]
    pub cli_input_json: Option<String>,

    /// The parameters as a YAML mapping (literal or file://PATH); flags given as well win.
    // A YAML document may start with `---` or `- `.
    #[arg(long, value_name = "YAML", allow_hyphen_values = true)]
    pub cli_input_yaml: Option<String>,

    /// Print a skeleton instead of calling: `input` (the default) or `yaml-input`, the
    /// parameters for --cli-input-json or --cli-input-yaml; `output`, a sample response in
    /// the chosen --output format.
    #[arg(long, value_enum, value_name = "KIND", num_args = 0..=1,
          default_missing_value = "input")]
    pub generate_cli_skeleton: Option<SkeletonKind>,

    /// `help` after the operation (`redshift-serverless get-workgroup help`), the AWS CLI's
    /// way to ask for an operation's help: the same text as `--help`.
    #[arg(id = "help_word", value_name = "help", hide = true, value_parser = ["help"])]
    pub help_word: Option<String>,
}

/// `--retry-mode` values: `standard` (exponential backoff with jitter and a retry quota),
/// `adaptive` (standard plus a client-side rate limiter fed by throttling errors) or
/// `legacy`, the AWS CLI v1's default, which the AWS CLI v2 still accepts: the Rust runtime
/// has no legacy pacing, so it retries as `standard`, with legacy's default of 5 attempts.
// Variant doc comments would become per-value help and turn the one-line list of possible
// values into a block in `--help`, so the variants are described above instead.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryModeArg {
    Standard,
    Adaptive,
    Legacy,
}

impl RetryModeArg {
    /// The value as typed on the command line, in the environment or in the profile.
    pub fn name(self) -> &'static str {
        match self {
            RetryModeArg::Standard => "standard",
            RetryModeArg::Adaptive => "adaptive",
            RetryModeArg::Legacy => "legacy",
        }
    }

    /// Every mode, in the AWS CLI's order, for error messages.
    pub const ALL: [RetryModeArg; 3] = [
        RetryModeArg::Legacy,
        RetryModeArg::Standard,
        RetryModeArg::Adaptive,
    ];

    /// Parses a value from `AWS_RETRY_MODE` or the profile's `retry_mode`.
    pub fn parse(s: &str) -> Option<RetryModeArg> {
        RetryModeArg::ALL.into_iter().find(|m| m.name() == s)
    }

    /// The attempts a call makes when no count is configured: 3, or legacy's 5.
    pub fn default_attempts(self) -> u32 {
        match self {
            RetryModeArg::Legacy => 5,
            RetryModeArg::Standard | RetryModeArg::Adaptive => 3,
        }
    }
}

/// `--output` values, the AWS CLI v2's: `json` (indented by four), `text` (tab-separated,
/// scalar keys sorted), `table`, `yaml`, `yaml-stream` (each response a list item) and `off`
/// (nothing on standard output; the exit code tells).
#[allow(missing_docs)] // See `RetryModeArg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
    Off,
}

impl OutputFormat {
    /// The value as typed on the command line or in the profile.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
            OutputFormat::Yaml => "yaml",
            OutputFormat::YamlStream => "yaml-stream",
            OutputFormat::Off => "off",
        }
    }

    /// Every format, for error messages.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Json,
        OutputFormat::Text,
        OutputFormat::Table,
        OutputFormat::Yaml,
        OutputFormat::YamlStream,
        OutputFormat::Off,
    ];

    /// Parses a value from `AWS_DEFAULT_OUTPUT` or the profile.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        OutputFormat::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// `--color` values (`on`, `off`, `auto`).
#[allow(missing_docs)] // See `RetryModeArg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    On,
    Off,
    Auto,
}

/// `--generate-cli-skeleton` values.
#[allow(missing_docs)] // See `RetryModeArg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SkeletonKind {
    Input,
    YamlInput,
    Output,
}

/// A timeout in seconds: finite and not negative (fractions allowed).
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=86_400.0 * 365.0).contains(&v) => Ok(v),
        Ok(_) => Err(format!(
            "{s:?} is not a number of seconds between 0 and one year"
        )),
        Err(_) => Err(format!("{s:?} is not a number of seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn seconds_parser() {
        assert_eq!(parse_seconds("0"), Ok(0.0));
        assert_eq!(parse_seconds("1.5"), Ok(1.5));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("inf").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("soon").is_err());
    }

    fn parse(args: &[&str]) -> Result<Cli, String> {
        Cli::try_parse_from(std::iter::once("redshift-serverless").chain(args.iter().copied()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn global_flags_after_the_subcommand() {
        let cli = match parse(&[
            "get-identity-center-auth-token",
            "--workgroup-names",
            "a-wg",
            "b-wg",
            "--endpoint-url",
            "http://127.0.0.1:1",
            "--max-attempts",
            "5",
            "--output",
            "yaml-stream",
            "--query",
            "token",
        ]) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let Command::GetIdentityCenterAuthToken(args) = &cli.command else {
            panic!("not the operation: {:?}", cli.command);
        };
        assert_eq!(
            args.workgroup_names.as_deref(),
            Some(&["a-wg".to_string(), "b-wg".to_string()][..])
        );
        assert_eq!(cli.global.max_attempts, Some(5));
        assert_eq!(cli.global.output, Some(OutputFormat::YamlStream));
        assert_eq!(cli.global.query.as_deref(), Some("token"));
        assert_eq!(
            cli.global.endpoint_url.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn max_attempts_bounds_are_usage_errors() {
        let base = ["get-identity-center-auth-token", "--workgroup-names", "wg1"];
        for (value, ok) in [
            ("0", false),
            ("1", true),
            ("100", true),
            ("101", false),
            ("4294967295", false),
            ("-1", false),
        ] {
            let mut args = base.to_vec();
            args.extend(["--max-attempts", value]);
            assert_eq!(parse(&args).is_ok(), ok, "--max-attempts {value}");
        }
    }

    #[test]
    fn a_flag_given_twice_takes_the_last_value() {
        let cli = match parse(&[
            "--region",
            "us-east-1",
            "get-identity-center-auth-token",
            "--workgroup-names",
            "first",
            "--workgroup-names",
            "second",
            "third",
            "--region",
            "eu-west-1",
        ]) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let Command::GetIdentityCenterAuthToken(args) = &cli.command else {
            panic!("not the operation");
        };
        assert_eq!(
            args.workgroup_names.as_deref(),
            Some(&["second".to_string(), "third".to_string()][..])
        );
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn skeleton_value_is_optional() {
        let cli = match parse(&["get-identity-center-auth-token", "--generate-cli-skeleton"]) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let Command::GetIdentityCenterAuthToken(args) = cli.command else {
            panic!("not the operation");
        };
        assert_eq!(args.input.generate_cli_skeleton, Some(SkeletonKind::Input));
    }

    #[test]
    fn output_names_round_trip() {
        for format in OutputFormat::ALL {
            assert_eq!(OutputFormat::parse(format.name()), Some(format));
            let value = format.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(value.as_deref(), Some(format.name()));
        }
        assert_eq!(OutputFormat::parse("xml"), None);
    }
}
