//! `cargo package-crates` (the alias in `.cargo/config.toml`) is `cargo package --workspace`
//! less every `publish = false` member: this test keeps its exclusion list equal to those
//! members, so a new fixture or tool crate cannot make the release command fail or package
//! it, and a new crate under `crates/` cannot be left out. It also checks the rule the
//! README states: the crates under `crates/` and the generator are published, nothing else.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// (name, path of the manifest relative to the root, publishable) of every member.
fn members() -> Vec<(String, String, bool)> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let root = root().canonicalize().expect("root");
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let manifest = Path::new(p["manifest_path"].as_str().expect("manifest_path"));
            let relative = manifest
                .strip_prefix(&root)
                .expect("a member under the root")
                .to_string_lossy()
                .into_owned();
            // `publish = false` is an empty list of registries; absent is null.
            let publishable = p["publish"].as_array().is_none_or(|r| !r.is_empty());
            let name = p["name"].as_str().expect("name").to_owned();
            (name, relative, publishable)
        })
        .collect()
}

/// The packages the `package-crates` alias excludes.
fn alias_excludes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(".cargo/config.toml")).expect("config");
    let config: toml::Table = toml::from_str(&text).expect("TOML");
    let args: Vec<&str> = config["alias"]["package-crates"]
        .as_array()
        .expect("the alias is a list")
        .iter()
        .map(|a| a.as_str().expect("a string"))
        .collect();
    assert_eq!(args[..2], ["package", "--workspace"], "{args:?}");
    let mut excluded = BTreeSet::new();
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        assert_eq!(*flag, "--exclude", "{args:?}");
        excluded.insert((*rest.next().expect("a package after --exclude")).to_owned());
    }
    excluded
}

#[test]
fn package_crates_excludes_exactly_the_unpublished_members() {
    let members = members();
    let unpublished: BTreeSet<String> = members
        .iter()
        .filter(|(_, _, publishable)| !publishable)
        .map(|(name, _, _)| name.clone())
        .collect();
    assert_eq!(alias_excludes(), unpublished);
}

#[test]
fn the_crates_and_the_generator_are_published_and_nothing_else() {
    let members = members();
    assert!(members.len() > 10, "{members:?}");
    for (name, manifest, publishable) in &members {
        let should = manifest == "codegen/Cargo.toml"
            || (manifest.starts_with("crates/") && manifest.matches('/').count() == 2);
        assert_eq!(
            *publishable, should,
            "{name} ({manifest}): publishable is {publishable}"
        );
    }
}
