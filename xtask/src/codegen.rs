//! `cargo xtask codegen`: writes the generated crates, or checks they are fresh.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use redshift_serverless_codegen::emit::HEADER;

/// The crates (or folders of them) that hold generated files.
const GENERATED_DIRS: &[&str] = &[
    "crates/redshift-serverless-types/src",
    "crates/redshift-serverless-protocol/src",
    "crates/redshift-serverless-protocol/tests",
    "crates/redshift-serverless-client/src",
    "crates/redshift-serverless-client/tests",
    FIXTURE_DIR,
];

/// A copy of the types crate generated from the model with one edit (the workgroup list may
/// hold 30 names instead of 20): its tests prove a model edit alone moves the enforced limit.
const FIXTURE_DIR: &str = "tests/fixtures/list-max-30/src";
const FIXTURE_SHAPE: &str = "com.amazonaws.redshiftserverless#WorkgroupNameList";

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Generates from the model under `root`; returns the paths that were (or in check mode,
/// would be) written or deleted.
pub fn generate_into(root: &Path, check: bool) -> Result<Vec<String>, String> {
    let read = |p: &str| fs::read_to_string(root.join(p)).map_err(|e| format!("reading {p}: {e}"));
    let model = read("model/redshift-serverless.json")?;
    let partitions = read("model/partitions.json")?;
    let mut files =
        redshift_serverless_codegen::generate(&model, &partitions).map_err(|e| e.to_string())?;
    let fixture_model = redshift_serverless_codegen::with_length_max(&model, FIXTURE_SHAPE, 30)
        .map_err(|e| e.to_string())?;
    let fixture = redshift_serverless_codegen::generate(&fixture_model, &partitions)
        .map_err(|e| e.to_string())?;
    let fixture_header = format!("{HEADER} Fixture: {FIXTURE_SHAPE} has @length(max: 30).");
    for (path, text) in fixture {
        if let Some(rest) = path.strip_prefix("crates/redshift-serverless-types/src/") {
            let text = text.replacen(HEADER, &fixture_header, 1);
            files.insert(format!("{FIXTURE_DIR}/{rest}"), text);
        }
    }

    let mut changed = Vec::new();
    for (rel, contents) in &files {
        let path = root.join(rel);
        let current = fs::read_to_string(&path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        changed.push(rel.clone());
        if !check {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
            fs::write(&path, contents).map_err(|e| format!("writing {rel}: {e}"))?;
        }
    }

    // A generated file the model no longer produces is stale too.
    let expected: BTreeSet<&String> = files.keys().collect();
    for dir in GENERATED_DIRS {
        for path in rust_files(&root.join(dir)) {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let is_generated = fs::read_to_string(&path).is_ok_and(|s| s.starts_with(HEADER));
            if is_generated && !expected.contains(&rel) {
                changed.push(format!("{rel} (no longer generated)"));
                if !check {
                    fs::remove_file(&path).map_err(|e| format!("removing {rel}: {e}"))?;
                }
            }
        }
    }
    Ok(changed)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

pub fn run(check: bool) -> Result<(), String> {
    let changed = generate_into(&workspace_root(), check)?;
    if check {
        if changed.is_empty() {
            println!("generated code is up to date");
            return Ok(());
        }
        for f in &changed {
            eprintln!("stale: {f}");
        }
        return Err(format!(
            "{} generated file(s) differ from what the model generates; run `cargo xtask codegen`",
            changed.len()
        ));
    }
    for f in &changed {
        println!("wrote {f}");
    }
    println!("{} file(s) changed", changed.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    /// Plain `cargo test` catches generated code that is out of date with the model.
    #[test]
    fn generated_code_is_fresh() {
        let stale =
            super::generate_into(&super::workspace_root(), true).expect("generation succeeds");
        assert!(
            stale.is_empty(),
            "stale generated files (run `cargo xtask codegen`): {stale:#?}"
        );
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// Editing one constraint in the model makes `--check` fail and name the file it
    /// changes, without touching the real tree.
    #[test]
    fn a_model_edit_makes_check_fail_and_name_the_file() {
        let root = super::workspace_root();
        let tmp = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        for dir in [
            "model",
            "crates/redshift-serverless-types/src",
            "crates/redshift-serverless-protocol/src",
            "crates/redshift-serverless-protocol/tests",
            "crates/redshift-serverless-client/src",
            "crates/redshift-serverless-client/tests",
            "tests/fixtures/list-max-30/src",
        ] {
            copy_dir(&root.join(dir), &tmp.join(dir));
        }
        assert!(
            super::generate_into(&tmp, true).unwrap().is_empty(),
            "the copy starts fresh"
        );

        let model_path = tmp.join("model/redshift-serverless.json");
        let model = fs::read_to_string(&model_path).unwrap();
        let edited =
            redshift_serverless_codegen::with_length_max(&model, super::FIXTURE_SHAPE, 25).unwrap();
        fs::write(&model_path, edited).unwrap();
        let stale = super::generate_into(&tmp, true).unwrap();
        assert_eq!(
            stale,
            vec!["crates/redshift-serverless-types/src/constraints.rs".to_string()]
        );

        // Writing mode fixes it; a second run changes nothing.
        assert_eq!(super::generate_into(&tmp, false).unwrap(), stale);
        assert!(super::generate_into(&tmp, false).unwrap().is_empty());
        fs::remove_dir_all(&tmp).unwrap();
    }
}
