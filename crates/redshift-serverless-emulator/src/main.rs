//! Command-line front end: run the emulator on loopback until Ctrl-C.

#![forbid(unsafe_code)]

use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use redshift_serverless_emulator::{AccessKey, Emulator, EmulatorConfig, FileConfig};

/// Local emulator of Amazon Redshift Serverless GetIdentityCenterAuthToken.
#[derive(Debug, Parser)]
#[command(name = "redshift-serverless-emulator", version)]
struct Args {
    /// Port to listen on (127.0.0.1 only); 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Accepted credentials as ID:SECRET or ID:SECRET:SESSION_TOKEN (repeatable).
    /// Default: AKIDEMULATOREXAMPLE:emulator-secret-key.
    #[arg(long = "access-key", value_name = "ID:SECRET[:TOKEN]", value_parser = AccessKey::parse)]
    access_keys: Vec<AccessKey>,
    /// Region the credential scope must name [default: us-east-1].
    #[arg(long)]
    region: Option<String>,
    /// Lifetime of issued tokens in seconds [default: 900]; an `expirationTime` past
    /// 9999-12-31T23:59:59Z is given as that instant.
    #[arg(long)]
    token_lifetime_secs: Option<u64>,
    /// Requests per second before ThrottlingException (off by default).
    #[arg(long)]
    throttle_rps: Option<f64>,
    /// TOML or JSON config file; flags given as well take precedence.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// A workgroup with Identity Center enabled (repeatable).
    #[arg(long = "workgroup", value_name = "NAME")]
    workgroups: Vec<String>,
    /// A workgroup without Identity Center integration (repeatable).
    #[arg(long = "workgroup-without-identity-center", value_name = "NAME")]
    workgroups_without_ic: Vec<String>,
}

fn build_config(args: Args) -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig::default();
    if let Some(path) = &args.config {
        config = config.apply_file(FileConfig::load(path)?);
    }
    config.port = if args.port != 0 {
        args.port
    } else {
        config.port
    };
    if !args.access_keys.is_empty() {
        config.access_keys = args.access_keys;
    }
    if let Some(region) = args.region {
        config.region = region;
    }
    if let Some(secs) = args.token_lifetime_secs {
        config.token_lifetime = Duration::from_secs(secs);
    }
    if args.throttle_rps.is_some() {
        config.throttle_rps = args.throttle_rps;
    }
    if !args.workgroups.is_empty() || !args.workgroups_without_ic.is_empty() {
        // Flags replace the defaults (or the file's list) rather than adding to them.
        config.workgroups = args
            .workgroups
            .into_iter()
            .map(|n| (n, true))
            .chain(args.workgroups_without_ic.into_iter().map(|n| (n, false)))
            .collect();
    }
    Ok(config)
}

/// Whether the log on stderr gets ANSI colours: only on a terminal, and never when
/// `NO_COLOR` is set to anything but the empty string (<https://no-color.org>), so a log
/// captured to a file or read by a test is plain text.
fn use_colour(stderr_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(use_colour(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ))
        .init();

    let config = match build_config(Args::parse()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("redshift-serverless-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("redshift-serverless-emulator: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "redshift-serverless-emulator listening on {}",
        emulator.url()
    );
    let _ = stdout.flush();
    drop(stdout);

    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("redshift-serverless-emulator: cannot wait for Ctrl-C: {e}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let cases: [(bool, Option<&str>, bool); 6] = [
            (true, None, true),
            (true, Some(""), true),
            (true, Some("1"), false),
            (true, Some("0"), false),
            (false, None, false),
            (false, Some("1"), false),
        ];
        for (terminal, no_color, want) in cases {
            assert_eq!(
                use_colour(terminal, no_color.map(OsStr::new)),
                want,
                "terminal={terminal} NO_COLOR={no_color:?}"
            );
        }
    }
}
