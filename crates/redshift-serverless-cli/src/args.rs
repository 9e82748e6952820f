//! The command line, declared with clap.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Get short-lived IAM Identity Center tokens from Amazon Redshift Serverless.
#[derive(Debug, Parser)]
#[command(
    name = "redshift-serverless",
    version,
    subcommand_required = true,
    arg_required_else_help = true,
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
const AFTER_HELP: &str = "\
Region and credentials come from the usual AWS places (environment variables, the shared config
and credentials files, SSO, the instance metadata service); the flags take precedence.
Exit codes: 0 success, 252 invalid parameters, 253 missing region or credentials,
254 the service returned an error, 255 anything else.";

/// Flags accepted before or after the command name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// AWS Region to call; overrides AWS_REGION and the profile's region.
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Named profile from the shared config and credentials files; overrides AWS_PROFILE.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Send requests to this URL instead of the endpoint derived from the Region.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Use the Region's FIPS endpoint (cannot be combined with --endpoint-url).
    #[arg(long, global = true)]
    pub use_fips: bool,

    /// Use the Region's dual-stack (IPv4 and IPv6) endpoint (cannot be combined with --endpoint-url).
    #[arg(long, global = true)]
    pub use_dual_stack: bool,

    /// Total attempts, the first one included, before a retryable error is given up on
    /// [default: AWS_MAX_ATTEMPTS, the profile's max_attempts, or 3].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: Option<u32>,

    /// How retries are paced: standard backoff, or adaptive, which also slows down sending
    /// after throttling [default: AWS_RETRY_MODE, the profile's retry_mode, or standard].
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub retry_mode: Option<RetryModeArg>,

    /// Seconds to wait for a connection to open; 0 waits without limit.
    #[arg(long, global = true, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    pub cli_connect_timeout: f64,

    /// Seconds to wait for data from an open connection; 0 waits without limit.
    #[arg(long, global = true, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    pub cli_read_timeout: f64,

    /// Output format: json (an object) or text (token and expiration time, tab-separated).
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Json)]
    pub output: OutputFormat,

    /// Log each attempt (endpoint, status, retry verdict, delay) to standard error; the
    /// token, secret key, session token and signature are never logged.
    #[arg(long, global = true)]
    pub debug: bool,

    /// Skip the client-side check of parameters against the service model and let the
    /// service judge them (for when the service accepts more than this client's model).
    #[arg(long, global = true)]
    pub no_validate: bool,
}

/// The operations this program can call.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get an IAM Identity Center token for the named workgroups (GetIdentityCenterAuthToken).
    #[command(after_help = AFTER_HELP)]
    GetIdentityCenterAuthToken(GetTokenArgs),
}

/// Arguments of `get-identity-center-auth-token`.
#[derive(Debug, Args)]
pub struct GetTokenArgs {
    /// Workgroups the token gives access to: 1 to 20 names, each 3 to 64 characters of
    /// a-z, 0-9 and hyphen.
    #[arg(long, required = true, num_args = 1.., value_name = "NAME")]
    pub workgroup_names: Vec<String>,
}

/// `--retry-mode` values: `standard` (exponential backoff with jitter and a retry quota) or
/// `adaptive` (standard plus a client-side rate limiter fed by throttling errors). The AWS
/// CLI's `legacy` mode has no Rust counterpart.
// Variant doc comments would become per-value help and turn the one-line list of possible
// values into a block in `--help`, so the variants are described above instead.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryModeArg {
    Standard,
    Adaptive,
}

/// `--output` values: `json` (an object with `token` and `expirationTime`) or `text`
/// (`TOKEN<TAB>EXPIRATION` on one line).
#[allow(missing_docs)] // See `RetryModeArg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
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

    #[test]
    fn global_flags_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "redshift-serverless",
            "get-identity-center-auth-token",
            "--workgroup-names",
            "a-wg",
            "b-wg",
            "--endpoint-url",
            "http://127.0.0.1:1",
            "--max-attempts",
            "5",
            "--output",
            "text",
        ])
        .map_err(|e| e.to_string());
        let cli = match cli {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let Command::GetIdentityCenterAuthToken(args) = &cli.command;
        assert_eq!(args.workgroup_names, ["a-wg", "b-wg"]);
        assert_eq!(cli.global.max_attempts, Some(5));
        assert_eq!(cli.global.output, OutputFormat::Text);
        assert_eq!(
            cli.global.endpoint_url.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn zero_attempts_is_a_usage_error() {
        let r = Cli::try_parse_from([
            "redshift-serverless",
            "--max-attempts",
            "0",
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
        ]);
        assert!(r.is_err());
    }
}
