//! `redshift-serverless`: see the library docs for the behaviour and exit codes.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    redshift_serverless_cli::main(std::env::args_os())
}
