//! `cargo xtask sweep [--check] [--test] [--only A,B] [--write]`: runs the generator over
//! the corpus of published awsJson models in `model/corpus/awsjson/` and prints, per model,
//! what it generated or the first refusal.
//!
//! - Without flags, generation only, in-process: no file is written. Operations the generator
//!   cannot implement (event streams) are left out, as `cargo xtask generate
//!   --skip-unsupported` leaves them, and each is named with the reason.
//! - `--check` also writes each generated workspace under `target/sweep/<model>/` (as
//!   `cargo xtask generate` does) and runs `cargo check --tests` there; `--test` runs
//!   `cargo test` instead (the model's endpoint and protocol tests). The workspaces share
//!   `target/sweep-target`, so the runtime dependencies are built once. With either, the
//!   run fails if a model does not generate or a workspace fails.
//! - `--only` restricts the sweep to the named models (file names without `.json.gz`, or a
//!   prefix of one, such as `dynamodb-2012`).
//! - `--write` puts the table into `GENERALITY.md`, between its markers.
//! - `--expect FILE` fails unless the models that generate are exactly those listed in
//!   FILE, one per line: the ratchet CI holds while the generator learns the corpus.
//!
//! The corpus is stored gzipped, one file per model, so a refreshed model is a one-file diff.

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use redshift_serverless_codegen::Settings;

const USAGE: &str =
    "usage: cargo xtask sweep [--check] [--test] [--only A,B] [--write] [--expect FILE]";

/// Where the corpus lives, relative to the workspace root.
pub const CORPUS: &str = "model/corpus/awsjson";

/// The document `--write` updates, and its markers.
const DOCUMENT: &str = "GENERALITY.md";
const BEGIN: &str = "<!-- sweep:begin -->";
const END: &str = "<!-- sweep:end -->";

#[derive(Debug, Default, PartialEq)]
struct Args {
    check: bool,
    test: bool,
    only: Vec<String>,
    write: bool,
    expect: Option<PathBuf>,
}

fn parse(args: &[&str]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut rest = Vec::new();
    for arg in args {
        match *arg {
            "--check" => parsed.check = true,
            "--test" => parsed.test = true,
            "--write" => parsed.write = true,
            other => rest.push(other),
        }
    }
    let [only, expect] = crate::flags::values(&rest, &["--only", "--expect"], "sweep", USAGE)?[..]
    else {
        unreachable!("one value per flag name")
    };
    parsed.only = only
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    parsed.expect = expect.map(PathBuf::from);
    Ok(parsed)
}

/// One model of the corpus, read and decompressed.
pub struct CorpusModel {
    /// The file name without `.json.gz`: `dynamodb-2012-08-10`.
    pub name: String,
    pub json: String,
}

/// Every model of the corpus, in name order; errors name the file.
pub fn corpus(root: &Path) -> Result<Vec<CorpusModel>, String> {
    let dir = root.join(CORPUS);
    let entries = fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut json = String::new();
            flate2::read::GzDecoder::new(file)
                .read_to_string(&mut json)
                .map_err(|e| format!("{}: not a gzipped UTF-8 file: {e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().trim_end_matches(".json.gz").to_string())
                .unwrap_or_default();
            Ok(CorpusModel { name, json })
        })
        .collect()
}

/// What the generator made of one model.
#[derive(Debug)]
pub enum Outcome {
    Generated {
        operations: usize,
        files: usize,
        lines: usize,
        /// The operations left out, each with the reason.
        skipped: Vec<String>,
    },
    /// The first refusal, on one line.
    Refused(String),
}

/// Lowers and emits one model in-process, as `cargo xtask generate` would.
pub fn generate(model: &CorpusModel, partitions: &str) -> Outcome {
    let one_line = |e: &dyn std::fmt::Display| e.to_string().replace('\n', " ");
    let lowered = match redshift_serverless_codegen::lower_with(&model.json, true)
        .and_then(|m| m.with_partitions(partitions))
    {
        Ok(lowered) => lowered,
        Err(e) => return Outcome::Refused(one_line(&e)),
    };
    let header = format!(
        "// @generated by `cargo xtask sweep` from {}. Do not edit by hand.",
        model.name
    );
    let mut settings = Settings::for_sdk_id(&lowered.service.sdk_id, header);
    settings.skip_unsupported = true;
    match redshift_serverless_codegen::emit_all(&lowered, &settings) {
        Ok(files) => Outcome::Generated {
            operations: lowered.operations.len(),
            files: files.len(),
            lines: files.values().map(|f| f.lines().count()).sum(),
            skipped: lowered
                .skipped
                .iter()
                .map(|s| format!("{} ({})", s.id.name, s.reason))
                .collect(),
        },
        Err(e) => Outcome::Refused(one_line(&e)),
    }
}

struct Row {
    name: String,
    model_operations: usize,
    outcome: Outcome,
    elapsed: Duration,
    /// `cargo check` or `cargo test` in the written workspace, when asked for.
    build: Option<Result<(), String>>,
    /// Whether `build` ran the tests (`--test`) rather than `cargo check`.
    tested: bool,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse(args)?;
    let root = crate::codegen::workspace_root();
    let partitions = fs::read_to_string(root.join("model/partitions.json"))
        .map_err(|e| format!("reading model/partitions.json: {e}"))?;
    let models: Vec<CorpusModel> = corpus(&root)?
        .into_iter()
        .filter(|m| args.only.is_empty() || args.only.iter().any(|o| m.name.starts_with(o)))
        .collect();
    if models.is_empty() {
        return Err(format!(
            "no model in {CORPUS} matches --only {:?}",
            args.only
        ));
    }
    let started = Instant::now();
    let mut rows = Vec::new();
    for model in &models {
        let t = Instant::now();
        let outcome = generate(model, &partitions);
        let elapsed = t.elapsed();
        let build = match (&outcome, args.check || args.test) {
            (Outcome::Generated { .. }, true) => Some(build(&root, model, args.test)),
            _ => None,
        };
        let row = Row {
            name: model.name.clone(),
            model_operations: crate::generate::operations_in(&model.json),
            outcome,
            elapsed,
            build,
            tested: args.test,
        };
        println!("{}", row_line(&row));
        rows.push(row);
    }
    let summary = summary(&rows, started.elapsed());
    println!("{summary}");
    if args.write {
        write_document(&root, &rows, &summary)?;
    }
    if let Some(expect) = &args.expect {
        check_expected(&root, expect, &rows)?;
    }
    // With --check or --test a model that does not generate fails the run too, so a CI
    // sample cannot pass by being refused.
    let refused = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Refused(_)))
        .count();
    let failed = rows
        .iter()
        .filter(|r| matches!(r.build, Some(Err(_))))
        .count();
    match (refused * usize::from(args.check || args.test), failed) {
        (0, 0) => Ok(()),
        (0, n) => Err(format!("{n} generated workspaces failed to build or test")),
        (r, n) => Err(format!(
            "{r} models did not generate and {n} generated workspaces failed to build or test"
        )),
    }
}

/// Writes the model's workspace under `target/sweep/` and checks or tests it.
fn build(root: &Path, model: &CorpusModel, test: bool) -> Result<(), String> {
    let dir = root.join("target/sweep");
    let model_path = dir.join("models").join(format!("{}.json", model.name));
    let out = dir.join(&model.name);
    fs::create_dir_all(model_path.parent().unwrap_or(&dir))
        .map_err(|e| format!("creating {}: {e}", dir.display()))?;
    fs::write(&model_path, &model.json)
        .map_err(|e| format!("writing {}: {e}", model_path.display()))?;
    crate::generate::generate(root, &model_path, &out, true)?;
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target/sweep-target"))
        // Each generated workspace is built once: incremental state would only cost time and
        // disk (gigabytes over the corpus).
        .env("CARGO_INCREMENTAL", "0")
        .args(if test {
            &["test", "--offline", "--quiet"][..]
        } else {
            &["check", "--offline", "--quiet", "--tests"][..]
        });
    let output = cargo
        .output()
        .map_err(|e| format!("running cargo in {}: {e}", out.display()))?;
    let log = out.join("sweep-build.log");
    if output.status.success() {
        // A log from an earlier failed run would mislead.
        let _ = fs::remove_file(&log);
        return Ok(());
    }
    // The first error line is enough for the table; the whole output is kept on disk.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let _ = fs::write(&log, stderr.as_bytes());
    let first = stderr
        .lines()
        .find(|l| l.starts_with("error") || l.contains("FAILED") || l.contains("panicked"))
        .unwrap_or("failed")
        .to_string();
    Err(format!("{first} (whole output: {})", log.display()))
}

/// `; left out: A (why), B (why)`, or nothing when no operation was left out.
fn left_out(skipped: &[String]) -> String {
    if skipped.is_empty() {
        String::new()
    } else {
        format!("; left out: {}", skipped.join(", "))
    }
}

fn row_line(row: &Row) -> String {
    let ms = row.elapsed.as_secs_f64() * 1000.0;
    let built = match &row.build {
        None => String::new(),
        Some(Ok(())) if row.tested => " | builds, tests pass".into(),
        Some(Ok(())) => " | builds".into(),
        Some(Err(e)) => format!(" | BUILD FAILED: {e}"),
    };
    match &row.outcome {
        Outcome::Generated {
            operations,
            files,
            lines,
            skipped,
        } => format!(
            "{}: generated {operations} of {} operations, {files} files, {lines} lines in {ms:.0} ms{built}{}",
            row.name,
            row.model_operations,
            left_out(skipped)
        ),
        Outcome::Refused(reason) => format!("{}: refused: {reason}", row.name),
    }
}

fn summary(rows: &[Row], elapsed: Duration) -> String {
    let generated = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .count();
    let mut line = format!(
        "sweep: {generated} of {} models generate ({:.1} s)",
        rows.len(),
        elapsed.as_secs_f64()
    );
    let built: Vec<_> = rows.iter().filter_map(|r| r.build.as_ref()).collect();
    if !built.is_empty() {
        let ok = built.iter().filter(|b| b.is_ok()).count();
        let what = if rows.iter().any(|r| r.tested) {
            "build and pass their tests"
        } else {
            "build"
        };
        let _ = write!(
            line,
            "; {ok} of {} generated workspaces {what}",
            built.len()
        );
    }
    line
}

/// The models that generate must be exactly those `expect` lists.
fn check_expected(root: &Path, expect: &Path, rows: &[Row]) -> Result<(), String> {
    let swept: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let generated: Vec<&str> = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .map(|r| r.name.as_str())
        .collect();
    compare_expected(root, expect, &swept, &generated)
}

/// Compares among the `swept` models only, so `--only` and `--expect` go together.
fn compare_expected(
    root: &Path,
    expect: &Path,
    swept: &[&str],
    generated: &[&str],
) -> Result<(), String> {
    let path = root.join(expect);
    let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let expected: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && swept.contains(l))
        .collect();
    let lost: Vec<&&str> = expected.iter().filter(|n| !generated.contains(n)).collect();
    let gained: Vec<&&str> = generated.iter().filter(|n| !expected.contains(n)).collect();
    if lost.is_empty() && gained.is_empty() {
        return Ok(());
    }
    let mut problems = Vec::new();
    if !lost.is_empty() {
        problems.push(format!("no longer generating {lost:?}"));
    }
    if !gained.is_empty() {
        problems.push(format!(
            "newly generating {gained:?} (add them to the file)"
        ));
    }
    Err(format!(
        "the models that generate differ from {}: {}",
        expect.display(),
        problems.join("; ")
    ))
}

fn write_document(root: &Path, rows: &[Row], summary: &str) -> Result<(), String> {
    let path = root.join(DOCUMENT);
    let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("{DOCUMENT} lacks the markers {BEGIN} and {END}"));
    };
    let mut table =
        format!("{BEGIN}\n\n{summary}.\n\n| model | operations | outcome |\n|---|---:|---|\n");
    for row in rows {
        let outcome = match &row.outcome {
            Outcome::Generated {
                operations,
                files,
                lines,
                skipped,
            } => {
                let built = match &row.build {
                    None => "",
                    Some(Ok(())) if row.tested => "; builds, tests pass",
                    Some(Ok(())) => "; builds",
                    Some(Err(_)) => "; **build fails**",
                };
                format!(
                    "generated: {operations} operations, {files} files, {lines} lines{built}{}",
                    left_out(skipped).replace('|', "\\|")
                )
            }
            Outcome::Refused(reason) => format!("refused: {}", reason.replace('|', "\\|")),
        };
        let _ = writeln!(
            table,
            "| {} | {} | {outcome} |",
            row.name, row.model_operations
        );
    }
    table.push('\n');
    let updated = format!("{}{table}{}", &text[..begin], &text[end..]);
    fs::write(&path, updated).map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_unknown_ones_are_named() {
        let args = parse(&["--check", "--only", "kms,sqs-", "--expect", "x.txt"]).unwrap();
        assert_eq!(
            args,
            Args {
                check: true,
                only: vec!["kms".into(), "sqs-".into()],
                expect: Some("x.txt".into()),
                ..Args::default()
            }
        );
        let err = parse(&["--bogus"]).unwrap_err();
        assert!(err.contains("\"--bogus\"") && err.contains(USAGE), "{err}");
    }

    #[test]
    fn the_corpus_holds_140_models_each_a_smithy_2_document() {
        let models = corpus(&crate::codegen::workspace_root()).unwrap();
        assert_eq!(models.len(), 140);
        for model in &models {
            let doc: serde_json::Value =
                serde_json::from_str(&model.json).unwrap_or_else(|e| panic!("{}: {e}", model.name));
            assert_eq!(doc["smithy"], "2.0", "{}", model.name);
            assert!(
                crate::generate::operations_in(&model.json) > 0,
                "{}",
                model.name
            );
        }
    }

    /// The ratchet: a construct the generator stops accepting fails here, naming the model,
    /// and so does one it starts accepting until the list says so.
    #[test]
    fn the_models_that_generate_are_exactly_those_listed() {
        let root = crate::codegen::workspace_root();
        let partitions = fs::read_to_string(root.join("model/partitions.json")).unwrap();
        let models = corpus(&root).unwrap();
        let swept: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
        let generated: Vec<&str> = models
            .iter()
            .filter(|m| matches!(generate(m, &partitions), Outcome::Generated { .. }))
            .map(|m| m.name.as_str())
            .collect();
        compare_expected(
            &root,
            Path::new("model/corpus/generates.txt"),
            &swept,
            &generated,
        )
        .unwrap();
    }

    #[test]
    fn a_refusal_is_one_line_naming_the_shape_and_the_trait() {
        let root = crate::codegen::workspace_root();
        let partitions = fs::read_to_string(root.join("model/partitions.json")).unwrap();
        let model = CorpusModel {
            name: "x".into(),
            json: r#"{"smithy":"2.0","shapes":{"a.b#S":{"type":"service","version":"1","traits":{"aws.protocols#awsJson1_1":{},"aws.api#service":{"sdkId":"S"},"x.y#made_up":{}}}}}"#.into(),
        };
        let Outcome::Refused(reason) = generate(&model, &partitions) else {
            panic!("a made-up trait generated");
        };
        assert!(
            reason.contains("a.b#S") && reason.contains("x.y#made_up"),
            "{reason}"
        );
        assert!(!reason.contains('\n'), "{reason}");
    }
}
