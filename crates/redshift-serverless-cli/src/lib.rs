//! The `redshift-serverless` command: Amazon Redshift Serverless `GetIdentityCenterAuthToken`
//! and `GetWorkgroup` from the shell, with the AWS CLI's flags, output shapes and exit codes.
//!
//! ```text
//! redshift-serverless get-identity-center-auth-token --workgroup-names default analytics
//! redshift-serverless get-workgroup --workgroup-name default
//! ```
//!
//! Exit codes: 0 success; 252 invalid command line or parameters (client-side validation,
//! nothing sent); 253 invalid or missing configuration: region, credentials, profile, CA
//! bundle (found before sending); 254 the service answered with an error, printed as the AWS
//! CLI's `An error occurred (CODE) when calling the OPERATION operation: MESSAGE` line (the
//! model's name of the operation, `GetWorkgroup`), with ` (reached max retries: N)` before
//! the colon when every attempt went to retryable errors; 255 anything else (network,
//! unreadable response, standard output not writable). Every error message follows an empty line, as the AWS CLI's do.
//!
//! The binary is a thin `main`; the pieces live here so they can be unit-tested.

#![forbid(unsafe_code)]
// Every write goes through `stdio`, which never panics on a closed or full stream.
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod args;
pub mod attempts;
pub mod endpoint_url;
pub mod escape;
pub mod failure;
pub mod files;
pub mod input;
pub mod jmespath_ext;
pub mod operation;
pub mod proxy;
pub mod query;
pub mod render;
pub mod run;
pub mod scalar;
pub mod settings;
pub mod stdio;
pub mod table;
pub mod unsigned;
pub mod warnings;
pub mod yaml;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use crate::failure::code;
use crate::stdio::{write_stderr, write_stderr_raw, write_stdout};

/// The `tracing` filter behind `--debug`: attempts, retry decisions and configuration
/// loading. `RUST_LOG` is ignored on purpose: a wider filter (e.g. `aws_sigv4=trace`)
/// would print signing material.
pub const DEBUG_FILTER: &str =
    "warn,redshift_serverless_cli=debug,redshift_serverless_retry=debug,\
aws_smithy_runtime=debug,aws_config=debug,aws_runtime=debug,redshift_serverless_connect=debug";

/// Parses `argv`, runs the command and returns the process exit code. Nothing here panics on
/// a closed or full standard output or error (see `stdio.rs`).
pub fn main<I, T>(argv: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let parsed = args::Cli::try_parse_from(&argv);
    // `OPERATION help` is the AWS CLI's `OPERATION --help`: parsed again as that.
    let parsed = match parsed {
        Ok(cli) => match cli.command.help_requested() {
            Some(operation) => {
                let program = argv.first().cloned().unwrap_or_default();
                args::Cli::try_parse_from([program, operation.into(), "--help".into()])
            }
            None => Ok(cli),
        },
        Err(e) => Err(e),
    };
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; every usage error is 252, like the AWS CLI.
            let help = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let text = e.render();
            let text = if e.use_stderr() && std::io::stderr().is_terminal() {
                text.ansi().to_string()
            } else {
                text.to_string()
            };
            if e.use_stderr() {
                write_stderr_raw(&text);
            } else if let Err(err) = write_stdout(&text) {
                return output_failed(&err);
            }
            return if help {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(code::INVALID_PARAMETERS)
            };
        }
    };
    let proxy = matches!(cli.command, args::Command::Proxy(_));
    if cli.global.debug {
        init_debug_logging();
    } else if proxy {
        init_logging(PROXY_FILTER);
    }
    // The proxy relays many sessions at once, TLS on each: every core. A call needs one.
    let runtime = if proxy {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    }
    .enable_all()
    .build();
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => {
            write_stderr(&format!("\nCannot start the async runtime: {e}\n"));
            return ExitCode::from(code::OTHER);
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(text) => match write_stdout(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => output_failed(&err),
        },
        Err(failure) => {
            write_stderr(&format!("\n{failure}\n"));
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Standard output could not be written: a full disk (`>/dev/full`), or a reader that went
/// away (`| head -c0`). Either way the output is lost, so the command fails (255, as the AWS
/// CLI exits on `[Errno 32] Broken pipe`), saying so on standard error when that still works.
fn output_failed(err: &std::io::Error) -> ExitCode {
    write_stderr(&format!(
        "\nCould not write the output to standard output: {err}\n"
    ));
    ExitCode::from(code::OTHER)
}

/// The log of `proxy` without `--debug`: each session, and warnings.
pub const PROXY_FILTER: &str = "warn,redshift_serverless_connect=info";

fn init_debug_logging() {
    init_logging(DEBUG_FILTER);
}

fn init_logging(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(stdio::StderrWriter)
        // No colours: the writer escapes every control character, ESC included, since a
        // logged field may carry network text (an error code, a header).
        .with_ansi(false)
        .log_internal_errors(false)
        .try_init();
}
