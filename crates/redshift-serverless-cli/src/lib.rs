//! The `redshift-serverless` command: Amazon Redshift Serverless `GetIdentityCenterAuthToken`
//! from the shell, with the AWS CLI's flags, output shapes and exit codes.
//!
//! ```text
//! redshift-serverless get-identity-center-auth-token --workgroup-names default analytics
//! ```
//!
//! Exit codes: 0 success; 252 invalid command line or parameters (client-side validation,
//! nothing sent); 253 no region or no credentials (found before sending); 254 the service
//! answered with an error, printed as the AWS CLI's `An error occurred (CODE) when calling
//! the GetIdentityCenterAuthToken operation: MESSAGE` line, with ` (reached max retries: N)`
//! before the colon when every attempt went to retryable errors; 255 anything else.
//!
//! The binary is a thin `main`; the pieces live here so they can be unit-tested.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod args;
pub mod attempts;
pub mod failure;
pub mod read_timeout;
pub mod render;
pub mod run;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::failure::code;

/// The `tracing` filter behind `--debug`: attempts, retry decisions and configuration
/// loading. `RUST_LOG` is ignored on purpose: a wider filter (e.g. `aws_sigv4=trace`)
/// would print signing material.
pub const DEBUG_FILTER: &str =
    "warn,redshift_serverless_cli=debug,redshift_serverless_retry=debug,\
aws_smithy_runtime=debug,aws_config=debug,aws_runtime=debug";

/// Parses `argv`, runs the command and returns the process exit code.
pub fn main<I, T>(argv: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; every usage error is 252, like the AWS CLI.
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(code::INVALID_PARAMETERS),
            };
        }
    };
    if cli.global.debug {
        init_debug_logging();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Cannot start the async runtime: {e}");
            return ExitCode::from(code::OTHER);
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth an error message.
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn init_debug_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(DEBUG_FILTER))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
