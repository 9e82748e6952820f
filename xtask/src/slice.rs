//! `cargo xtask slice --model FILE --operations A,B[,..] --out FILE`: writes the slice of a
//! Smithy JSON AST model holding just the named operations and what they reach.
//!
//! The carving is `redshift_serverless_codegen::slice` (see there for what a slice keeps and
//! why); this module only reads the arguments and the file, and writes the result.

use std::fs;
use std::path::PathBuf;

use redshift_serverless_codegen::slice;

const USAGE: &str = "usage: cargo xtask slice --model FILE --operations A,B[,..] --out FILE";

#[derive(Debug, PartialEq)]
struct Args {
    model: PathBuf,
    operations: Vec<String>,
    out: PathBuf,
}

/// Reads `--name value` pairs; every flag is required, none may repeat.
fn parse(args: &[&str]) -> Result<Args, String> {
    let [model, operations, out] =
        crate::flags::values(args, &["--model", "--operations", "--out"], "slice", USAGE)?[..]
    else {
        unreachable!("one value per flag name")
    };
    let missing = |flag: &str| crate::flags::missing(flag, USAGE);
    let operations: Vec<String> = operations
        .ok_or_else(|| missing("--operations"))?
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    if operations.is_empty() {
        return Err(format!("--operations names no operation; {USAGE}"));
    }
    Ok(Args {
        model: model.ok_or_else(|| missing("--model"))?.into(),
        operations,
        out: out.ok_or_else(|| missing("--out"))?.into(),
    })
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse(args)?;
    let text = fs::read_to_string(&args.model)
        .map_err(|e| format!("reading {}: {e}", args.model.display()))?;
    let model: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not JSON: {e}", args.model.display()))?;
    let names: Vec<&str> = args.operations.iter().map(String::as_str).collect();
    let sliced =
        slice::slice(&model, &names).map_err(|e| format!("{}: {e}", args.model.display()))?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    fs::write(&args.out, slice::to_pretty_json(&sliced))
        .map_err(|e| format!("writing {}: {e}", args.out.display()))?;
    let count = |v: &serde_json::Value, kind: &str| {
        v["shapes"]
            .as_object()
            .map_or(0, |s| s.values().filter(|s| s["type"] == kind).count())
    };
    println!(
        "wrote {}: {} of {} operations, {} of {} shapes",
        args.out.display(),
        count(&sliced, "operation"),
        count(&model, "operation"),
        sliced["shapes"].as_object().map_or(0, |s| s.len()),
        model["shapes"].as_object().map_or(0, |s| s.len()),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let ok = |model: &str, ops: &[&str], out: &str| {
            Ok(Args {
                model: model.into(),
                operations: ops.iter().map(|s| s.to_string()).collect(),
                out: out.into(),
            })
        };
        let cases: &[(&[&str], Result<Args, &str>)] = &[
            (
                &[
                    "--model",
                    "m.json",
                    "--operations",
                    "A,B",
                    "--out",
                    "o.json",
                ],
                ok("m.json", &["A", "B"], "o.json"),
            ),
            (
                &[
                    "--out",
                    "o.json",
                    "--operations",
                    " A , ,B,",
                    "--model",
                    "m.json",
                ],
                ok("m.json", &["A", "B"], "o.json"),
            ),
            (
                &["--model", "m.json", "--out", "o.json"],
                Err("--operations is required"),
            ),
            (
                &["--operations", "A", "--out", "o.json"],
                Err("--model is required"),
            ),
            (
                &["--model", "m.json", "--operations", "A"],
                Err("--out is required"),
            ),
            (
                &["--model", "m.json", "--operations", ",", "--out", "o"],
                Err("--operations names no operation"),
            ),
            (
                &["--model", "--operations", "A", "--out", "o"],
                Err("--model needs a value"),
            ),
            (
                &["--model", "a", "--model", "b"],
                Err("--model is given twice"),
            ),
            (
                &["--models", "a"],
                Err("unknown slice argument \"--models\""),
            ),
        ];
        for (args, want) in cases {
            let got = parse(args);
            match (want, &got) {
                (Ok(want), Ok(got)) => assert_eq!(want, got, "{args:?}"),
                (Err(prefix), Err(message)) => {
                    assert!(message.starts_with(prefix), "{args:?}: {message}");
                    assert!(message.ends_with(USAGE), "{args:?}: {message}");
                }
                _ => panic!("{args:?}: expected {want:?}, got {got:?}"),
            }
        }
    }
}
