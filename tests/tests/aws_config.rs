//! `Client::new(&SdkConfig)` with aws-config loading the configuration, end to end against
//! the emulator: region, credentials and endpoint from the environment and from profile
//! files, as a user's program gets them.
//!
//! The program is the client's `examples/from_aws_config.rs` (aws-config without default
//! features, `redshift_serverless_http::default_client()` passed in: the README's one-TLS-
//! stack setup), built as this crate's `from_aws_config` binary. Each case runs it in a
//! child process with a cleared environment holding only the case's variables, a fresh
//! `HOME`, and IMDS switched off, so nothing from the machine running the tests leaks in and
//! no variable is set in this multi-threaded test process.
//!
//! The same cases run a second program, `tests/aws-config-default`: the README's
//! `Client::new(&aws_config::load_from_env().await)` with aws-config's default features, as
//! most users have it. Those features bring aws-lc-rs (a C build), so that program is its
//! own workspace with its own lockfile, built by the test into `target/aws-config-default`
//! (about three minutes from clean on two cores, seconds after that).
//!
//! In a profile's `[services]` section the service is `redshift_serverless`, as the AWS
//! documentation, botocore and the AWS CLI spell it, and then `redshift-serverless`, the key
//! aws-config reads for the official crate (`tests/sdk_config.rs` compares the two crates).

use std::path::{Path, PathBuf};
use std::process::Command;

use redshift_serverless_emulator::{
    Emulator, EmulatorConfig, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};

/// A URL nothing listens on: a call that goes there fails to connect.
const CLOSED: &str = "http://127.0.0.1:9";

#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    /// Environment variables; `{url}` is replaced by the emulator's URL.
    env: &'static [(&'static str, &'static str)],
    /// `~/.aws/config` and `~/.aws/credentials` in the case's home directory.
    config_file: Option<&'static str>,
    credentials_file: Option<&'static str>,
    /// Whether the call reaches the emulator and gets a token.
    succeeds: bool,
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY),
];

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "credentials, region and the service's endpoint from the environment",
            env: &[
                KEYS[0],
                KEYS[1],
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "{url}"),
            ],
            config_file: None,
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "the service's endpoint variable beats AWS_ENDPOINT_URL",
            env: &[
                KEYS[0],
                KEYS[1],
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL", CLOSED),
                ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "{url}"),
            ],
            config_file: None,
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "AWS_ENDPOINT_URL alone applies to this service too",
            env: &[
                KEYS[0],
                KEYS[1],
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL", "{url}"),
            ],
            config_file: None,
            credentials_file: None,
            succeeds: true,
        },
        Case {
            // The profile's own endpoint_url is a decoy: the [services] one must win, and
            // were it missed, the call would fail here rather than go to AWS.
            name: "a profile: region, [services] endpoint beating endpoint_url, keys in credentials",
            env: &[("AWS_PROFILE", "analytics")],
            config_file: Some(
                "[profile analytics]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9\n\
                 services = local\n\n[services local]\nredshift_serverless =\n  endpoint_url = {url}\n",
            ),
            credentials_file: Some(
                "[analytics]\naws_access_key_id = AKIDEMULATOREXAMPLE\n\
                 aws_secret_access_key = emulator-secret-key\n",
            ),
            succeeds: true,
        },
        Case {
            name: "[services]: redshift_serverless beats redshift-serverless",
            env: &[KEYS[0], KEYS[1]],
            config_file: Some(
                "[default]\nregion = us-east-1\nservices = local\n[services local]\n\
                 redshift-serverless =\n  endpoint_url = http://127.0.0.1:9\n\
                 redshift_serverless =\n  endpoint_url = {url}\n",
            ),
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "[services]: redshift-serverless alone, as for the official crate",
            env: &[KEYS[0], KEYS[1]],
            config_file: Some(
                "[default]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9\nservices = local\n\
                 [services local]\nredshift-serverless =\n  endpoint_url = {url}\n",
            ),
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "AWS_ENDPOINT_URL beats the [services] section",
            env: &[KEYS[0], KEYS[1], ("AWS_ENDPOINT_URL", "{url}")],
            config_file: Some(
                "[default]\nregion = us-east-1\nservices = local\n[services local]\n\
                 redshift_serverless =\n  endpoint_url = http://127.0.0.1:9\n",
            ),
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "an empty service variable is no endpoint: AWS_ENDPOINT_URL applies",
            env: &[
                KEYS[0],
                KEYS[1],
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", ""),
                ("AWS_ENDPOINT_URL", "{url}"),
            ],
            config_file: None,
            credentials_file: None,
            succeeds: true,
        },
        Case {
            name: "ignore_configured_endpoint_urls in the profile: [services] is not used",
            env: &[KEYS[0], KEYS[1]],
            config_file: Some(
                "[default]\nregion = not a region\nignore_configured_endpoint_urls = true\n\
                 services = local\n[services local]\nredshift_serverless =\n  endpoint_url = {url}\n",
            ),
            credentials_file: None,
            succeeds: false,
        },
        Case {
            name: "ignore_configured_endpoint_urls: the configured endpoints are not used",
            env: &[
                KEYS[0],
                KEYS[1],
                // An invalid region keeps the call from leaving the machine: the endpoint
                // rules refuse it, where the emulator would have answered.
                ("AWS_REGION", "not a region"),
                ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "{url}"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ],
            config_file: None,
            credentials_file: None,
            succeeds: false,
        },
    ]
}

fn fill(text: &str, url: &str) -> String {
    text.replace("{url}", url)
}

/// Runs `program` for `case` against `url`; returns (exit success, stdout, stderr).
fn run_case(program: &Path, case: &Case, url: &str) -> (bool, String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("~/.aws");
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("default");
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (file, text) in [
        ("config", case.config_file),
        ("credentials", case.credentials_file),
    ] {
        if let Some(text) = text {
            std::fs::write(aws.join(file), fill(text, url)).expect("profile file");
        }
    }
    for (name, value) in case.env {
        cmd.env(name, fill(value, url));
    }
    let out = cmd.output().expect("the program runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs every case with `program` against a fresh emulator each, and checks that a case
/// that should succeed got its token from the emulator, with the emulator's credentials,
/// and one that should not never reached it.
async fn check_program(program: &Path) {
    let mut failures = Vec::new();
    for case in cases() {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        let url = emulator.url();
        let program = program.to_owned();
        let (ok, stdout, stderr) =
            tokio::task::spawn_blocking(move || run_case(&program, &case, &url))
                .await
                .expect("runner task");
        let requests = emulator.requests();
        let signed_by_demo_key = requests.iter().all(|r| {
            r.header("authorization")
                .is_some_and(|a| a.contains(&format!("Credential={DEMO_ACCESS_KEY_ID}/")))
        });
        let as_expected = if case.succeeds {
            ok && stdout.starts_with("got a token that expires at ")
                && requests.len() == 1
                && signed_by_demo_key
        } else {
            !ok && requests.is_empty()
        };
        if !as_expected {
            failures.push(format!(
                "{}: exit ok={ok}, {} request(s) at the emulator\n  stdout: {stdout}\n  stderr: {stderr}",
                case.name,
                requests.len()
            ));
        }
        emulator.shutdown().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_config_without_default_features_and_our_http_client() {
    check_program(Path::new(env!("CARGO_BIN_EXE_from_aws_config"))).await;
}

/// Builds `tests/aws-config-default` (its own workspace and lockfile) and returns the path
/// of its binary.
fn build_default_features_program() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = here.join("../target/aws-config-default");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--locked", "--quiet", "--manifest-path"])
        .arg(here.join("aws-config-default/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "building tests/aws-config-default failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target_dir.join(format!(
        "debug/aws-config-default{}",
        std::env::consts::EXE_SUFFIX
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_config_with_default_features_load_from_env() {
    let program = tokio::task::spawn_blocking(build_default_features_program)
        .await
        .expect("build task");
    check_program(&program).await;
}
