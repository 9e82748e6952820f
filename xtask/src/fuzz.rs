//! `cargo xtask fuzz [--cases N] [--release]`: runs the conformance crate's fuzz targets with
//! many cases (100 000 per target by default). They run in the debug profile, which already
//! takes under a minute; `--release` builds just the test crate's graph optimised.
//!
//! There are no cargo-fuzz (libFuzzer) targets: cargo-fuzz needs a nightly toolchain
//! (`-Z sanitizer`), and CI and the development machine have only one stable toolchain and
//! cannot fetch another. The proptest targets in `tests/tests/fuzz.rs` run on stable instead.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::conformance::{print_table, read_reports, run_echoing, workspace_root};

const DEFAULT_CASES: u64 = 100_000;

pub fn run(args: &[&str]) -> Result<(), String> {
    let mut cases = DEFAULT_CASES;
    let mut release = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--release" => release = true,
            "--cases" => {
                cases = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--cases needs a number")?;
            }
            other => return Err(format!("unknown fuzz argument {other:?}")),
        }
    }
    let root = workspace_root();
    let report_dir = root.join("target").join("conformance-fuzz");
    let _ = std::fs::remove_dir_all(&report_dir);
    std::fs::create_dir_all(&report_dir).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args([
            "test",
            "-p",
            "redshift-serverless-conformance",
            "--test",
            "fuzz",
        ])
        .env("CONFORMANCE_FUZZ_CASES", cases.to_string())
        .env("CONFORMANCE_REPORT_DIR", &report_dir)
        .stdout(Stdio::piped());
    if release {
        cmd.arg("--release");
    }
    let started = Instant::now();
    let (ok, passed, failed) = run_echoing(cmd)?;
    let (per_category, rows) = read_reports(&report_dir)?;
    print_table(&per_category, &rows);
    println!(
        "\nfuzz: {passed} target(s) passed, {failed} failed, {cases} cases each, {:.1}s",
        started.elapsed().as_secs_f64()
    );
    if !ok || failed > 0 {
        return Err("fuzzing found a failure".into());
    }
    Ok(())
}
