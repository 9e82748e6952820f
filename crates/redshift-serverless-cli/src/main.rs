//! `redshift-serverless`: see the library docs for the behaviour and exit codes.

#![forbid(unsafe_code)]
// Every write goes through `stdio`, which never panics on a closed or full stream.
#![deny(clippy::print_stdout, clippy::print_stderr)]

fn main() -> std::process::ExitCode {
    redshift_serverless_cli::main(std::env::args_os())
}
