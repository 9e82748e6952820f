//! `cargo xtask conformance [--extended]`: runs the conformance crate's tests and prints
//! one table of what they checked.
//!
//! The test binaries write small `key=value` report files (see the crate's `report`
//! module) into `target/conformance/`; this command clears that directory, runs the tests,
//! and adds the reports up per category. It fails when any test failed or any report counts
//! a failure. `--extended` raises the generated differential cases to 10 000 per test.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Cases per generated differential test in the extended run.
const EXTENDED_CASES: &str = "10000";

/// Summed counts of one category.
#[derive(Default)]
pub struct Counts {
    tests: u64,
    cases: u64,
    agreements: u64,
    differences: u64,
    failures: u64,
}

pub fn run(extended: bool) -> Result<(), String> {
    let root = workspace_root();
    let report_dir = root.join("target").join("conformance");
    let _ = std::fs::remove_dir_all(&report_dir);
    std::fs::create_dir_all(&report_dir).map_err(|e| format!("{}: {e}", report_dir.display()))?;

    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args([
            "test",
            "-p",
            "redshift-serverless-conformance",
            "--no-fail-fast",
        ])
        .env("CONFORMANCE_REPORT_DIR", &report_dir)
        .stdout(Stdio::piped());
    if extended {
        cmd.env("CONFORMANCE_CASES", EXTENDED_CASES);
    }
    let started = Instant::now();
    let (ok, passed, failed) = run_echoing(cmd)?;
    let elapsed = started.elapsed();

    let (per_category, rows) = read_reports(&report_dir)?;
    print_table(&per_category, &rows);
    println!(
        "\ncargo test: {passed} passed, {failed} failed ({}), {:.1}s{}",
        if ok { "ok" } else { "FAILED" },
        elapsed.as_secs_f64(),
        if extended { ", extended" } else { "" }
    );
    let counted_failures: u64 = per_category.values().map(|c| c.failures).sum();
    if !ok || failed > 0 || counted_failures > 0 {
        return Err(format!(
            "conformance failed: {failed} failing test(s), {counted_failures} failing case(s)"
        ));
    }
    Ok(())
}

/// Runs `cmd`, echoing its stdout and summing the `test result:` lines.
pub fn run_echoing(mut cmd: Command) -> Result<(bool, u64, u64), String> {
    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| e.to_string())?;
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                passed += number_before(rest, " passed");
                failed += number_before(rest, " failed");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), passed, failed))
}

/// In `ok. 3 passed; 0 failed; ...`, the number before `word`.
fn number_before(text: &str, word: &str) -> u64 {
    text.find(word)
        .and_then(|end| {
            let start = text[..end].rfind(' ').map_or(0, |i| i + 1);
            text[start..end].parse().ok()
        })
        .unwrap_or(0)
}

type Reports = (BTreeMap<String, Counts>, BTreeMap<(String, String), u64>);

pub fn read_reports(dir: &Path) -> Result<Reports, String> {
    let mut per_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut rows: BTreeMap<(String, String), u64> = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).map_err(|e| e.to_string())?;
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let kind = words.next().unwrap_or_default();
            let fields: BTreeMap<&str, &str> = words.filter_map(|w| w.split_once('=')).collect();
            let num = |k: &str| {
                fields
                    .get(k)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let category = fields.get("category").copied().unwrap_or("?").to_string();
            match kind {
                "summary" => {
                    let c = per_category.entry(category).or_default();
                    c.tests += 1;
                    c.cases += num("cases");
                    c.agreements += num("agreements");
                    c.differences += num("differences");
                    c.failures += num("failures");
                }
                "difference" => {
                    let id = fields.get("id").copied().unwrap_or("?").to_string();
                    *rows.entry((id, category)).or_default() += num("count");
                }
                _ => {}
            }
        }
    }
    Ok((per_category, rows))
}

pub fn print_table(
    per_category: &BTreeMap<String, Counts>,
    rows: &BTreeMap<(String, String), u64>,
) {
    println!("\n| category | tests | cases | agreements | deliberate differences | failures |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = Counts::default();
    for (name, c) in per_category {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            c.tests, c.cases, c.agreements, c.differences, c.failures
        );
        total.tests += c.tests;
        total.cases += c.cases;
        total.agreements += c.agreements;
        total.differences += c.differences;
        total.failures += c.failures;
    }
    println!(
        "| **total** | {} | {} | {} | {} | {} |",
        total.tests, total.cases, total.agreements, total.differences, total.failures
    );
    if !rows.is_empty() {
        println!("\n| deliberate difference (tests/src/differences.rs) | category | cases |");
        println!("|---|---|---:|");
        for ((id, category), n) in rows {
            println!("| {id} | {category} | {n} |");
        }
    }
}

pub fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
