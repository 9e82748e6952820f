//! Project automation: `cargo xtask <command>`.
//!
//! - `bench [--quick] [--skip-build-cost] [--no-write] [--generator] [--rounds N]`:
//!   whole-process measurements of ours, the official crate and a raw floor, or with
//!   `--generator` the generator's own cost, written to `BENCHMARKS.md` (see `bench.rs`).
//! - `codegen-timing MODEL REPS` / `codegen-timing --corpus`: in-process timings of code
//!   generation (one model's stages, or the whole corpus), for `bench`.
//! - `codegen [--check]`: regenerate the generated crates from `model/`; with `--check`, fail
//!   and name every stale file instead of writing.
//! - `conformance [--extended]`: run the conformance suite and print its summary table;
//!   `--extended` runs 10 000 generated differential cases per test.
//! - `demo`: run the CLI against a local emulator: a token, retried throttling, a refused name.
//! - `fuzz [--cases N] [--release]`: run the fuzz targets with 100 000 cases each.
//! - `generate --model FILE --out DIR`: write a standalone Cargo workspace generated from any
//!   awsJson1_0/1_1 Smithy JSON AST model (see `generate.rs`).
//! - `slice --model FILE --operations A,B[,..] --out FILE`: carve the named operations and
//!   what they reach out of a Smithy JSON AST model.
//! - `sweep [--check] [--test] [--only A,B] [--write] [--expect FILE]`: run the generator over
//!   the corpus of published awsJson models (see `sweep.rs`).

mod bench;
mod codegen;
mod conformance;
mod demo;
mod flags;
mod fuzz;
mod generate;
mod slice;
mod sweep;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["bench", rest @ ..] => bench::run(rest),
        ["codegen"] => codegen::run(false),
        ["codegen", "--check"] => codegen::run(true),
        ["codegen-timing", rest @ ..] => bench::codegen_timing(rest),
        ["demo"] => demo::run(),
        ["conformance"] => conformance::run(false),
        ["conformance", "--extended"] => conformance::run(true),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        ["generate", rest @ ..] => generate::run(rest),
        ["slice", rest @ ..] => slice::run(rest),
        ["sweep", rest @ ..] => sweep::run(rest),
        _ => {
            eprintln!("usage: cargo xtask <bench [--quick] [--skip-build-cost] [--no-write] [--generator] [--rounds N] | codegen [--check] | conformance [--extended] | demo | fuzz [--cases N] [--release] | generate --model FILE --out DIR | slice --model FILE --operations A,B[,..] --out FILE | sweep [--check] [--test] [--only A,B] [--write] [--expect FILE]>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
