//! The README's "Querying as the Identity Center user", run as written: the emulator command,
//! the Rust form (the connector's `query` example, the same program as the README's block,
//! which the doctests compile), `redshift-serverless proxy` with psql, and the Python driver
//! handed the token. Only the ports and the CA path are swapped for free ones, and
//! `$POSTGRES_URL` names a private cluster.
//!
//! The programs come from `target/debug`, where `cargo test --workspace` builds every binary
//! and example of the workspace.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redshift_serverless_testkit::{free_port, program, python_with_redshift_connector, Postgres};

const README: &str = include_str!("../../README.md");

/// The fenced blocks of the section, as (info string, text).
fn blocks() -> Vec<(String, String)> {
    let start = README
        .find("## Querying as the Identity Center user")
        .expect("the section is in the README");
    let section = &README[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            out.push((info.to_owned(), body.join("\n") + "\n"));
        }
    }
    out
}

/// `target/debug`, next to this test's own binary (`target/debug/deps/...`).
fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/debug")
        .to_path_buf()
}

fn need(path: &Path) {
    assert!(
        path.exists(),
        "{} is not built: run the README's test command, `cargo test --workspace`, which builds every binary and example",
        path.display()
    );
}

/// A background process of the README's, killed when dropped.
struct Background(Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a shell command line that the README runs with `&`, waits for its first line
/// containing `ready`.
fn background(line: &str, env: &HashMap<String, String>, ready: &str) -> Background {
    let mut child = Command::new("sh")
        .args(["-c", &format!("exec {line}")])
        .envs(env)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh runs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if l.contains(ready) => break,
            Ok(_) => {}
            Err(_) => panic!("`{line}` printed no line with {ready:?}"),
        }
    }
    Background(child)
}

#[test]
fn the_three_forms_work_against_the_emulator_as_written() {
    let Some(pg) = Postgres::shared() else { return };
    let bin = bin_dir();
    for name in ["redshift-serverless-emulator", "redshift-serverless"] {
        need(&bin.join(name));
    }
    let blocks = blocks();
    let kinds: Vec<&str> = blocks.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["sh", "rust,no_run", "sh", "python"],
        "the section's blocks"
    );

    // Free ports for the README's 4566 (API), 5439 (SQL) and 15439 (proxy), a private CA path.
    let scratch = std::env::temp_dir().join(format!("readme-sql-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let ca = scratch.join("emulator-ca.pem");
    let (api, sql, proxy) = (
        free_port().unwrap(),
        free_port().unwrap(),
        free_port().unwrap(),
    );
    let swap = |text: &str| {
        text.replace("4566", &api.to_string())
            .replace("15439", &proxy.to_string())
            .replace("5439", &sql.to_string())
            .replace("/tmp/emulator-ca.pem", &ca.display().to_string())
    };
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert(
        "PATH".into(),
        format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    );
    env.insert("POSTGRES_URL".into(), pg.url());
    env.insert("AWS_CONFIG_FILE".into(), "/dev/null".into());
    env.insert("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/null".into());
    env.insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());

    // 1. The emulator (the command before `&`), then the exports.
    let setup = swap(&blocks[0].1).replace("\\\n", " ");
    let (emulator_line, exports) = setup
        .split_once('&')
        .expect("the emulator runs in the background");
    let _emulator = background(
        emulator_line.trim(),
        &env,
        "SQL endpoint of workgroup default",
    );
    for assignment in exports.split_whitespace().filter(|w| w.contains('=')) {
        let (k, v) = assignment.split_once('=').unwrap();
        env.insert(k.to_owned(), v.to_owned());
    }
    assert_eq!(
        env.get("AWS_ENDPOINT_URL").map(String::as_str),
        Some(format!("http://127.0.0.1:{api}").as_str())
    );

    // 2. Rust: the connector's query example, the README block's program.
    let example = bin
        .join("examples")
        .join(format!("query{}", std::env::consts::EXE_SUFFIX));
    need(&example);
    let out = Command::new(&example)
        .arg("select current_user")
        .envs(&env)
        .env("WORKGROUP", "default")
        .env("CA_BUNDLE", &ca)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("awsidc:alice@example.com"));

    // 3. The proxy, then psql through it.
    let proxy_block = swap(&blocks[2].1);
    let (proxy_line, psql_line) = proxy_block
        .split_once('&')
        .expect("the proxy runs in the background");
    let _proxy = background(proxy_line.trim(), &env, "listening on");
    if program("psql").is_some() {
        let out = Command::new("sh")
            .args(["-c", psql_line.trim()])
            .envs(&env)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    redshift_serverless_testkit::program("psql")
                        .unwrap()
                        .parent()
                        .unwrap()
                        .display(),
                    env["PATH"]
                ),
            )
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("awsidc:alice@example.com"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // 4. Python: redshift_connector handed the CLI's token.
    if let Some(python) = python_with_redshift_connector() {
        let out = Command::new(python)
            .args(["-c", &swap(&blocks[3].1)])
            .envs(&env)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "awsidc:alice@example.com"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
