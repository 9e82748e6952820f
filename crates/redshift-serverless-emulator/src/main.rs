//! Command-line front end: run the emulator on loopback until Ctrl-C.

#![forbid(unsafe_code)]

use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use redshift_serverless_emulator::{AccessKey, Emulator, EmulatorConfig, FileConfig, SqlConfig};

/// Local emulator of Amazon Redshift Serverless: GetIdentityCenterAuthToken and
/// GetWorkgroup, and with --postgres each workgroup's SQL endpoint, where sessions sign in
/// with the token as Redshift's Identity Center sign-in does.
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
    /// Requests per second before ThrottlingException (off by default): a finite number,
    /// 0 or more.
    #[arg(long, value_parser = parse_rps)]
    throttle_rps: Option<f64>,
    /// The Identity Center user that the --access-key credentials (and the demo key) map
    /// to: tokens issued to them sign SQL sessions in as this user [default:
    /// alice@example.com].
    #[arg(long, value_name = "USER")]
    identity_user: Option<String>,
    /// HTTP connections served at once; more wait in the listen backlog [default: 256].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: Option<u32>,
    /// Serve each workgroup's SQL endpoint in front of this PostgreSQL (a connection string
    /// whose user may create roles, e.g. postgresql://postgres@127.0.0.1:5432/postgres).
    /// Without it there is no SQL front.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// The first workgroup's SQL port on 127.0.0.1; the others follow in name order. 0 picks
    /// free ports. Each port in use is printed at start.
    #[arg(long, value_name = "PORT", default_value_t = 0, requires = "postgres")]
    sql_port: u16,
    /// Write the certificate authority that signs the SQL front's certificate here, as PEM
    /// (what clients trust: SSL_CERT_FILE for redshift_connector, sslrootcert for libpq).
    #[arg(long, value_name = "PATH", requires = "postgres")]
    sql_ca_out: Option<PathBuf>,
    /// Accept SQL sessions that do not ask for TLS.
    #[arg(long, requires = "postgres")]
    sql_allow_plain: bool,
    /// Also accept the token as a cleartext password from a session that names no idp_type
    /// (Redshift does not: this lets stock PostgreSQL clients such as psql sign in, for
    /// comparisons).
    #[arg(long, requires = "postgres")]
    sql_password_sign_in: bool,
    /// SQL sessions open at once over every workgroup; more are refused with SQLSTATE 53300.
    #[arg(long, value_name = "N", default_value_t = 500, requires = "postgres",
          value_parser = clap::value_parser!(u32).range(1..))]
    sql_max_connections: u32,
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
    if let Some(user) = &args.identity_user {
        // The flag names the user of the keys from the command line (or the demo key); keys
        // from the file keep the users the file gives them.
        for key in &mut config.access_keys {
            if key.identity_user.is_none() {
                key.identity_user = Some(user.clone());
            }
        }
    }
    if let Some(n) = args.max_connections {
        config.max_connections = n as usize;
    }
    if let Some(postgres) = args.postgres {
        config.sql = Some(SqlConfig {
            postgres,
            port: args.sql_port,
            ca_out: args.sql_ca_out,
            allow_plain: args.sql_allow_plain,
            password_sign_in: args.sql_password_sign_in,
            max_connections: args.sql_max_connections as usize,
        });
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
    config.check()?;
    Ok(config)
}

fn parse_rps(s: &str) -> Result<f64, String> {
    let rps: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of requests per second"))?;
    if rps.is_finite() && rps >= 0.0 {
        Ok(rps)
    } else {
        Err(format!(
            "{s:?} is not a finite number of requests per second, 0 or more; leave the flag out for no limit"
        ))
    }
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
    let workgroups: Vec<String> = config.workgroups.keys().cloned().collect();
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("redshift-serverless-emulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stop = stop_signal();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "redshift-serverless-emulator listening on {}",
        emulator.url()
    );
    for workgroup in &workgroups {
        if let Some(addr) = emulator.sql_addr(workgroup) {
            let _ = writeln!(stdout, "SQL endpoint of workgroup {workgroup}: {addr}");
        }
    }
    let _ = stdout.flush();
    drop(stdout);

    stop.await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C (SIGINT), or SIGTERM where there is one, listened for from the moment this is
/// called: the handlers are installed before the listening line is printed, so a signal sent
/// as soon as the line is read stops the emulator cleanly instead of killing it.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        signal(SignalKind::interrupt())
            .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
            .map_err(|e| eprintln!("redshift-serverless-emulator: cannot wait for signals: {e}"))
            .ok()
    };
    async move {
        #[cfg(unix)]
        if let Some((mut int, mut term)) = signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
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
