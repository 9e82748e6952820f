//! `cargo xtask conformance [--extended]`: runs the conformance crate's tests and prints
//! one table of what they checked.
//!
//! The test binaries write small `key=value` report files (see the crate's `report`
//! module) into `target/conformance/`; this command clears that directory, runs the tests,
//! and adds the reports up per category. The per-operation differential tests
//! (`differential_operations`) also get one table per client under test, a row per
//! operation. It fails when any test failed or any report counts a failure. `--extended`
//! raises the generated differential cases to 10 000 per test, and to
//! [`EXTENDED_OPERATION_CASES`] per kind of case and operation.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Cases per generated differential test in the extended run.
const EXTENDED_CASES: &str = "10000";

/// Cases per kind (requests, outputs, each error, pages) and operation of the
/// per-operation differential tests in the extended run: with 65 operations, 10 000 each
/// would take hours.
const EXTENDED_OPERATION_CASES: &str = "500";

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

    // The README's SQL test runs the emulator, the CLI and the connector's `query` example,
    // which `cargo test -p` does not build.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--workspace", "--bins", "--examples"])
        .status()
        .map_err(|e| format!("{cargo} build: {e}"))?;
    if !built.success() {
        return Err(format!(
            "{cargo} build --workspace --bins --examples failed ({built})"
        ));
    }
    let mut cmd = Command::new(&cargo);
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
        cmd.env("CONFORMANCE_CASES", EXTENDED_CASES)
            .env("CONFORMANCE_OPERATION_CASES", EXTENDED_OPERATION_CASES);
    }
    let started = Instant::now();
    let (ok, passed, failed) = run_echoing(cmd)?;
    let elapsed = started.elapsed();

    let (per_category, rows) = read_reports(&report_dir)?;
    print_table(&per_category, &rows);
    print_operation_tables(&read_operation_reports(&report_dir)?);
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

/// Counts of one operation of one client under test, by kind of case.
#[derive(Default)]
pub struct OperationCounts {
    requests: u64,
    outputs: u64,
    errors: u64,
    modeled_errors: u64,
    pages: Option<u64>,
    total: Counts,
}

/// (client under test, operation) -> counts, from the `operations` category's reports,
/// whose test names are `<schema>.<operation>.<kind>` (`requests`, `outputs`,
/// `errors.<code>`, `pages`).
pub fn read_operation_reports(
    dir: &Path,
) -> Result<BTreeMap<(String, String), OperationCounts>, String> {
    let mut out: BTreeMap<(String, String), OperationCounts> = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).map_err(|e| e.to_string())?;
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if words.next() != Some("summary") {
                continue;
            }
            let fields: BTreeMap<&str, &str> = words.filter_map(|w| w.split_once('=')).collect();
            if fields.get("category") != Some(&"operations") {
                continue;
            }
            let Some((schema, rest)) = fields.get("test").and_then(|t| t.split_once('.')) else {
                continue;
            };
            let Some((op, kind)) = rest.split_once('.') else {
                continue;
            };
            let num = |k: &str| {
                fields
                    .get(k)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let c = out.entry((schema.to_owned(), op.to_owned())).or_default();
            let cases = num("cases");
            match kind {
                "requests" => c.requests += cases,
                "outputs" => c.outputs += cases,
                "pages" => *c.pages.get_or_insert(0) += cases,
                _ => {
                    c.errors += cases;
                    c.modeled_errors += 1;
                }
            }
            c.total.tests += 1;
            c.total.cases += cases;
            c.total.agreements += num("agreements");
            c.total.differences += num("differences");
            c.total.failures += num("failures");
        }
    }
    Ok(out)
}

/// One table per client under test: a row per operation and a total.
pub fn print_operation_tables(ops: &BTreeMap<(String, String), OperationCounts>) {
    let mut schemas: Vec<&String> = ops.keys().map(|(s, _)| s).collect();
    schemas.dedup();
    for schema in schemas {
        let rows: Vec<(&String, &OperationCounts)> = ops
            .iter()
            .filter(|((s, _), _)| s == schema)
            .map(|((_, op), c)| (op, c))
            .collect();
        println!(
            "\n### per-operation differential: {schema} ({} operations)\n",
            rows.len()
        );
        println!("| operation | requests | outputs | errors (modeled) | pages | cases | agreements | deliberate differences | failures |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        let mut total = OperationCounts::default();
        let mut paginated = 0;
        for (op, c) in &rows {
            let pages = c.pages.map_or_else(|| "-".to_owned(), |p| p.to_string());
            println!(
                "| {op} | {} | {} | {} ({}) | {pages} | {} | {} | {} | {} |",
                c.requests,
                c.outputs,
                c.errors,
                c.modeled_errors,
                c.total.cases,
                c.total.agreements,
                c.total.differences,
                c.total.failures
            );
            total.requests += c.requests;
            total.outputs += c.outputs;
            total.errors += c.errors;
            total.modeled_errors += c.modeled_errors;
            if let Some(p) = c.pages {
                paginated += 1;
                *total.pages.get_or_insert(0) += p;
            }
            total.total.cases += c.total.cases;
            total.total.agreements += c.total.agreements;
            total.total.differences += c.total.differences;
            total.total.failures += c.total.failures;
        }
        println!(
            "| **{} operations** | {} | {} | {} ({}) | {} ({paginated} paginated) | {} | {} | {} | {} |",
            rows.len(),
            total.requests,
            total.outputs,
            total.errors,
            total.modeled_errors,
            total.pages.unwrap_or(0),
            total.total.cases,
            total.total.agreements,
            total.total.differences,
            total.total.failures
        );
    }
}

pub fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_reports_add_up_per_operation_and_kind() {
        let dir = std::env::temp_dir().join(format!("xtask-ops-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let lines = [
            "summary category=operations test=full-service.ListTracks.requests cases=24 agreements=24 differences=0 failures=0",
            "summary category=operations test=full-service.ListTracks.errors.ValidationException cases=6 agreements=5 differences=1 failures=0",
            "summary category=operations test=full-service.ListTracks.errors.ThrottlingException cases=6 agreements=6 differences=0 failures=0",
            "summary category=operations test=full-service.ListTracks.pages cases=8 agreements=7 differences=0 failures=1",
            "summary category=operations test=slice.GetIdentityCenterAuthToken.outputs cases=24 agreements=24 differences=0 failures=0",
            "summary category=responses test=generated_responses cases=512 agreements=500 differences=12 failures=0",
        ];
        for (i, l) in lines.iter().enumerate() {
            std::fs::write(dir.join(format!("{i}.txt")), format!("{l}\n")).unwrap();
        }
        let ops = read_operation_reports(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(ops.len(), 2);
        let t = &ops[&("full-service".to_owned(), "ListTracks".to_owned())];
        assert_eq!(
            (t.requests, t.outputs, t.errors, t.modeled_errors, t.pages),
            (24, 0, 12, 2, Some(8))
        );
        assert_eq!(
            (
                t.total.cases,
                t.total.agreements,
                t.total.differences,
                t.total.failures
            ),
            (44, 42, 1, 1)
        );
        let s = &ops[&("slice".to_owned(), "GetIdentityCenterAuthToken".to_owned())];
        assert_eq!((s.outputs, s.pages), (24, None));
    }
}
