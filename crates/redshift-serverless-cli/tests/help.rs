//! `--help` is user interface: any change to it shows up as a snapshot diff to review.

use std::process::Command;

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_redshift-serverless"))
        .args(args)
        .env_clear()
        .output()
        .expect("run the CLI");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn get_identity_center_auth_token_help() {
    insta::assert_snapshot!(help(&["get-identity-center-auth-token", "--help"]));
}

/// Each flag has a line of `text` of its own: the flag, its value name, then a sentence.
fn assert_documented(text: &str, flags: &[&str]) {
    for flag in flags {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{flag} missing from --help"));
        assert!(
            line.split_whitespace().count() > 3,
            "{flag} has no description: {line}"
        );
    }
}

#[test]
fn every_flag_is_documented() {
    let text = help(&["get-identity-center-auth-token", "--help"]);
    let flags = [
        "--workgroup-names",
        "--region",
        "--profile",
        "--endpoint-url",
        "--use-fips",
        "--use-dual-stack",
        "--max-attempts",
        "--retry-mode",
        "--cli-connect-timeout",
        "--cli-read-timeout",
        "--output",
        "--query",
        "--color",
        "--ca-bundle",
        "--no-verify-ssl",
        "--debug",
        "--no-validate",
        "--no-cli-pager",
        "--cli-input-json",
        "--cli-input-yaml",
        "--generate-cli-skeleton",
    ];
    assert_documented(&text, &flags);
}

#[test]
fn get_workgroup_help() {
    let text = help(&["get-workgroup", "--help"]);
    // `help get-workgroup` prints the same.
    assert_eq!(help(&["help", "get-workgroup"]), text);
    assert_documented(
        &text,
        &[
            "--workgroup-name",
            "--cli-input-json",
            "--cli-input-yaml",
            "--generate-cli-skeleton",
            "--query",
            "--output",
            "--endpoint-url",
            "--no-validate",
        ],
    );
    insta::assert_snapshot!(text);
}

/// `OPERATION help`, the AWS CLI's form, prints the operation's `--help`, exit 0.
#[test]
fn the_help_word_after_an_operation_is_its_help() {
    for operation in ["get-identity-center-auth-token", "get-workgroup"] {
        let text = help(&[operation, "help"]);
        assert_eq!(text, help(&[operation, "--help"]), "{operation} help");
        // After other flags too, as the AWS CLI's parser takes it.
        assert_eq!(
            help(&[operation, "--output", "text", "help"]),
            text,
            "{operation} --output text help"
        );
    }
}

/// A workgroup named `help` is still a workgroup: only a positional `help` asks for help.
#[test]
fn help_as_a_flag_value_is_a_value() {
    let out = Command::new(env!("CARGO_BIN_EXE_redshift-serverless"))
        .args([
            "get-workgroup",
            "--workgroup-name",
            "help",
            "--generate-cli-skeleton",
            "input",
        ])
        .env_clear()
        .output()
        .expect("run the CLI");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"workgroupName\""));
}
