//! End-to-end: every AWS CLI form the command supports, against the emulator: output
//! formats and `--query` (exact stdout, from a scripted fixed response), the settings that
//! choose them, the input forms, skeletons, and each failure's exit code and message (one
//! snapshot of all of them, to review as a whole).

mod common;

use common::*;
use redshift_serverless_emulator::{ScriptedFault, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY};

const TOKEN: &str = "tok-0123456789abcdef";

/// Extra environment variables of a case.
type Env<'a> = Vec<(&'a str, &'a str)>;

fn fixed() -> ScriptedFault {
    fixed_response(&format!(
        r#"{{"token":"{TOKEN}","expirationTime":"2026-11-28T05:00:00Z"}}"#
    ))
}

/// One run with extra arguments and environment against a fresh fixed response.
fn run_with(h: &Harness, extra: &[&str], env: &[(&str, &str)]) -> Run {
    h.script([fixed()]);
    let mut cmd = h.cli();
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(cmd.args(h.token_args(&["default"], extra)))
}

#[test]
fn output_formats_and_queries_print_exactly_what_the_aws_cli_prints() {
    let h = Harness::new();
    let json = format!(
        "{{\n    \"expirationTime\": \"2026-11-28T05:00:00+00:00\",\n    \"token\": \"{TOKEN}\"\n}}\n"
    );
    let table = format!(
        "-------------------------------------------------------\n\
         |             GetIdentityCenterAuthToken              |\n\
         +----------------------------+------------------------+\n\
         |       expirationTime       |         token          |\n\
         +----------------------------+------------------------+\n\
         |  2026-11-28T05:00:00+00:00 |  {TOKEN}  |\n\
         +----------------------------+------------------------+\n"
    );
    let cases: Vec<(&str, Vec<&str>, Env, String)> = vec![
        // The idiom: PGPASSWORD=$(redshift-serverless ... --query token --output text)
        (
            "query token, text",
            vec!["--query", "token", "--output", "text"],
            vec![],
            format!("{TOKEN}\n"),
        ),
        ("json (default)", vec![], vec![], json.clone()),
        // Scalar keys sorted: expiration first, as `cut -f2` scripts expect.
        (
            "text",
            vec!["--output", "text"],
            vec![],
            format!("2026-11-28T05:00:00+00:00\t{TOKEN}\n"),
        ),
        ("table", vec!["--output", "table"], vec![], table.clone()),
        (
            "yaml",
            vec!["--output", "yaml"],
            vec![],
            format!("expirationTime: \"2026-11-28T05:00:00+00:00\"\ntoken: {TOKEN}\n"),
        ),
        (
            "yaml-stream",
            vec!["--output", "yaml-stream"],
            vec![],
            format!("- expirationTime: \"2026-11-28T05:00:00+00:00\"\n  token: {TOKEN}\n"),
        ),
        ("off", vec!["--output", "off"], vec![], String::new()),
        (
            "query token, json",
            vec!["--query", "token"],
            vec![],
            format!("\"{TOKEN}\"\n"),
        ),
        (
            "query list, text",
            vec!["--query", "[token, expirationTime]", "--output", "text"],
            vec![],
            format!("{TOKEN}\t2026-11-28T05:00:00+00:00\n"),
        ),
        (
            "query that matches nothing, json",
            vec!["--query", "nosuch"],
            vec![],
            "null\n".into(),
        ),
        (
            "query that matches nothing, text",
            vec!["--query", "nosuch", "--output", "text"],
            vec![],
            "None\n".into(),
        ),
        (
            "AWS_DEFAULT_OUTPUT",
            vec![],
            vec![("AWS_DEFAULT_OUTPUT", "table")],
            table.clone(),
        ),
        (
            "--output beats AWS_DEFAULT_OUTPUT",
            vec!["--output", "json"],
            vec![("AWS_DEFAULT_OUTPUT", "table")],
            json,
        ),
        (
            "--color off",
            vec!["--output", "table", "--color", "off"],
            vec![],
            table,
        ),
        (
            "accepted no-ops",
            vec![
                "--query",
                "token",
                "--output",
                "text",
                "--no-cli-pager",
                "--no-paginate",
                "--no-cli-auto-prompt",
            ],
            vec![],
            format!("{TOKEN}\n"),
        ),
    ];
    for (name, extra, env, expected) in cases {
        let run = run_with(&h, &extra, &env);
        run.assert_code(0);
        assert_eq!(run.stdout, expected, "{name}");
        assert_eq!(run.stderr, "", "{name}");
    }
}

#[test]
fn the_profile_chooses_output_and_timestamp_format() {
    let h = Harness::new();
    std::fs::write(
        h.home().join("config"),
        "[default]\noutput = text\ncli_timestamp_format = wire\n",
    )
    .expect("config");
    let run = run_with(&h, &[], &[]);
    run.assert_code(0);
    // `wire`: the member's wire format, as received.
    assert_eq!(run.stdout, format!("2026-11-28T05:00:00Z\t{TOKEN}\n"));
    let run = run_with(&h, &[], &[("AWS_DEFAULT_OUTPUT", "json")]);
    assert!(
        run.stdout
            .contains("\"expirationTime\": \"2026-11-28T05:00:00Z\""),
        "{}",
        run.stdout
    );
}

#[test]
fn color_on_styles_table_values() {
    let h = Harness::new();
    let run = run_with(&h, &["--output", "table", "--color", "on"], &[]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains(&format!("\u{1b}[1m\u{1b}[34m{TOKEN}\u{1b}[0m")),
        "{:?}",
        run.stdout
    );
}

#[test]
fn every_input_form_sends_the_same_request() {
    let h = Harness::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let json_file = dir.path().join("input.json");
    std::fs::write(
        &json_file,
        r#"{"workgroupNames": ["default", "analytics"]}"#,
    )
    .expect("write");
    let yaml_file = dir.path().join("input.yaml");
    std::fs::write(&yaml_file, "workgroupNames:\n- default\n- analytics\n").expect("write");
    let json_arg = format!("file://{}", json_file.display());
    let yaml_arg = format!("file://{}", yaml_file.display());
    let url = h.url();
    let base = [
        "get-identity-center-auth-token",
        "--endpoint-url",
        url.as_str(),
        "--query",
        "token",
        "--output",
        "text",
    ];
    let forms: Vec<Vec<&str>> = vec![
        vec!["--workgroup-names", "default", "analytics"],
        vec!["--workgroup-names", r#"["default","analytics"]"#],
        vec![
            "--cli-input-json",
            r#"{"workgroupNames":["default","analytics"]}"#,
        ],
        vec!["--cli-input-json", &json_arg],
        vec!["--cli-input-yaml", "workgroupNames: [default, analytics]"],
        vec!["--cli-input-yaml", &yaml_arg],
        // Flags win over the document, as in the AWS CLI.
        vec![
            "--cli-input-json",
            r#"{"workgroupNames":["no-such-wg"]}"#,
            "--workgroup-names",
            "default",
            "analytics",
        ],
    ];
    for form in forms {
        h.emulator.reset();
        let run = run(h.cli().args(base).args(&form));
        run.assert_code(0);
        let requests = h.emulator.requests();
        assert_eq!(requests.len(), 1, "{form:?}");
        let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
        assert_eq!(
            body,
            serde_json::json!({"workgroupNames": ["default", "analytics"]}),
            "{form:?}"
        );
    }
}

#[test]
fn skeletons() {
    let h = Harness::new();
    let cases: [(&[&str], &str); 5] = [
        (&["--generate-cli-skeleton"], "{\n    \"workgroupNames\": [\n        \"\"\n    ]\n}\n"),
        (&["--generate-cli-skeleton", "input"], "{\n    \"workgroupNames\": [\n        \"\"\n    ]\n}\n"),
        (
            &["--generate-cli-skeleton", "yaml-input"],
            "workgroupNames:  # [REQUIRED] Workgroups the token gives access to (1 to 20 names).\n- ''\n",
        ),
        (
            &["--generate-cli-skeleton", "output", "--workgroup-names", "default"],
            "{\n    \"expirationTime\": \"1970-01-01T00:00:00\",\n    \"token\": \"token\"\n}\n",
        ),
        (
            &["--generate-cli-skeleton", "output", "--workgroup-names", "default", "--query", "token", "--output", "text"],
            "token\n",
        ),
    ];
    for (args, expected) in cases {
        // No region, no credentials: a skeleton needs neither, and sends nothing.
        let run = run(h
            .bare_cli()
            .arg("get-identity-center-auth-token")
            .args(args));
        run.assert_code(0);
        assert_eq!(run.stdout, expected, "{args:?}");
    }
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn region_from_aws_default_region() {
    let h = Harness::new();
    h.script([fixed()]);
    let run = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(h.token_args(&["default"], &["--query", "token", "--output", "text"])));
    run.assert_code(0);
    assert_eq!(run.stdout, format!("{TOKEN}\n"));
}

#[test]
fn profile_precedence_is_the_aws_clis() {
    let h = Harness::new();
    std::fs::write(
        h.home().join("config"),
        "[profile good]\nregion = us-east-1\n[profile bad]\nregion = us-east-1\n",
    )
    .expect("config");
    std::fs::write(
        h.home().join("credentials"),
        format!(
            "[good]\naws_access_key_id = {DEMO_ACCESS_KEY_ID}\naws_secret_access_key = {DEMO_SECRET_ACCESS_KEY}\n\
             [bad]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n"
        ),
    )
    .expect("credentials");
    let args = h.token_args(&["default"], &["--query", "token", "--output", "text"]);
    // --profile wins over environment keys (here wrong ones).
    let flag = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", "AKIDWRONG")
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .args(&args)
        .args(["--profile", "good"]));
    flag.assert_code(0);
    // AWS_PROFILE does not: environment keys still come first, as in the AWS CLI (botocore
    // drops the environment provider only for an explicit --profile).
    let env = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
        .env("AWS_PROFILE", "bad")
        .args(&args));
    env.assert_code(0);
    // And with --profile bad, the bad profile's key is what is sent.
    let bad = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
        .args(&args)
        .args(["--profile", "bad"]));
    bad.assert_code(254);
}

#[test]
fn set_proxy_variables_are_said_once_without_debug() {
    let h = Harness::new();
    let run = run_with(
        &h,
        &["--query", "token", "--output", "text"],
        &[("HTTPS_PROXY", "http://proxy.invalid:3128")],
    );
    run.assert_code(0);
    assert_eq!(
        run.stderr,
        "Warning: HTTPS_PROXY is set, but redshift-serverless does not use a proxy: it connects to the endpoint directly.\n"
    );
    let debug = run_with(
        &h,
        &["--debug"],
        &[("HTTPS_PROXY", "http://proxy.invalid:3128")],
    );
    debug.assert_code(0);
    // Said once, by the HTTP client's warning in the log.
    assert_eq!(
        debug.stderr.matches("HTTPS_PROXY").count(),
        1,
        "{}",
        debug.stderr
    );
    assert!(
        !debug.stderr.contains("Warning: HTTPS_PROXY"),
        "{}",
        debug.stderr
    );
}

#[test]
fn shell_completions() {
    let h = Harness::new();
    for (shell, needle) in [
        ("bash", "--workgroup-names"),
        ("zsh", "--workgroup-names"),
        ("fish", "workgroup-names"),
        ("powershell", "--workgroup-names"),
    ] {
        let run = run(h.bare_cli().args(["completion", shell]));
        run.assert_code(0);
        assert!(run.stdout.contains(needle), "{shell}: {}", run.stdout);
        assert!(
            run.stdout.contains("get-identity-center-auth-token"),
            "{shell}"
        );
    }
    run(h.bare_cli().args(["completion", "tcsh"])).assert_code(252);
}

/// Each failure of the forms above: its exit code and its whole standard error, in one
/// snapshot. The emulator's port is written as PORT.
#[test]
fn failures_say_what_is_wrong() {
    let h = Harness::new();
    std::fs::write(h.home().join("config"), "[default]\nregion = us-east-1\n").expect("config");
    let missing_bundle = h.home().join("no-such-bundle.pem");
    let missing_bundle = missing_bundle.to_string_lossy().into_owned();
    let not_pem = h.home().join("config").to_string_lossy().into_owned();
    let cases: Vec<(&str, Vec<&str>, Env)> = vec![
        ("--profile nosuch", vec!["--profile", "nosuch"], vec![]),
        (
            "AWS_PROFILE=nosuch",
            vec![],
            vec![("AWS_PROFILE", "nosuch")],
        ),
        ("empty --endpoint-url", vec!["--endpoint-url", ""], vec![]),
        (
            "--endpoint-url without a scheme",
            vec!["--endpoint-url", "notaurl"],
            vec![],
        ),
        (
            "--endpoint-url ftp",
            vec!["--endpoint-url", "ftp://example.com"],
            vec![],
        ),
        (
            "--endpoint-url without a host",
            vec!["--endpoint-url", "http://:80"],
            vec![],
        ),
        ("bad --query", vec!["--query", "tok["], vec![]),
        (
            "bad JSON list",
            vec!["--workgroup-names", "[default"],
            vec![],
        ),
        (
            "wrong type in JSON list",
            vec!["--workgroup-names", r#"["default", 3]"#],
            vec![],
        ),
        (
            "unknown input member",
            vec![
                "--cli-input-json",
                r#"{"workgroupNames":["default"],"bogus":1}"#,
            ],
            vec![],
        ),
        (
            "bad --cli-input-json",
            vec!["--cli-input-json", "notjson"],
            vec![],
        ),
        (
            "--max-attempts above the bound",
            vec!["--max-attempts", "101"],
            vec![],
        ),
        (
            "AWS_MAX_ATTEMPTS above the bound",
            vec![],
            vec![("AWS_MAX_ATTEMPTS", "4294967295")],
        ),
        (
            "bad AWS_DEFAULT_OUTPUT",
            vec![],
            vec![("AWS_DEFAULT_OUTPUT", "xml")],
        ),
        (
            "missing CA bundle",
            vec!["--ca-bundle", &missing_bundle],
            vec![],
        ),
        (
            "CA bundle that is not PEM",
            vec![],
            vec![("AWS_CA_BUNDLE", &not_pem)],
        ),
        (
            "unresolvable host",
            vec![
                "--endpoint-url",
                "http://no-such-host.invalid",
                "--max-attempts",
                "1",
            ],
            vec![],
        ),
    ];
    let home = h.home().to_string_lossy().into_owned();
    let port = h.emulator.addr().port().to_string();
    let mut report = String::new();
    for (name, extra, env) in cases {
        let mut cmd = h.cli();
        for (k, v) in &env {
            cmd.env(k, v);
        }
        // The flag under test comes after the harness's own, so it wins; names only when
        // the case gives none.
        let gives_names = extra
            .iter()
            .any(|a| *a == "--workgroup-names" || *a == "--cli-input-json");
        let names: &[&str] = if gives_names { &[] } else { &["default"] };
        let run = run(cmd.args(h.token_args(names, &extra)));
        assert_ne!(run.code, Some(101), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        // The AWS CLI's empty line first; usage errors are clap's (argparse's have none either).
        assert!(
            run.stderr.starts_with('\n') || run.stderr.starts_with("error: "),
            "{name}: {}",
            run.stderr
        );
        let mut stderr = run.stderr.replace(&home, "HOME").replace(&port, "PORT");
        // The resolver's own words differ between systems.
        if let Some(at) = stderr.find(" (dispatch failure") {
            stderr.replace_range(at..stderr.trim_end().len(), " (...)");
        }
        report.push_str(&format!(
            "## {name}: exit {:?}\n{}\n\n",
            run.code,
            stderr.trim()
        ));
    }
    assert_eq!(h.emulator.request_count(), 0);
    insta::assert_snapshot!(report);
}

// get-workgroup: every form again, for an output with nested structures and lists.

/// One `get-workgroup` run with extra arguments and environment against a fixed response.
fn workgroup_with(h: &Harness, extra: &[&str], env: &[(&str, &str)]) -> Run {
    h.script([fixed_response(WORKGROUP_BODY)]);
    let mut cmd = h.cli();
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(cmd.args(h.workgroup_args(Some("analytics"), extra)))
}

/// Each output format of the same response, in one snapshot to review as a whole: the
/// AWS CLI's member order, text's rows per nested structure and list, table's nested
/// sections (wider than 80 columns, so one-row sections turn into key/value rows).
/// `aws_cli_differential.rs` compares the same forms with awscli 1.46.2 itself.
#[test]
fn get_workgroup_output_formats() {
    let h = Harness::new();
    let mut report = String::new();
    for (name, extra) in [
        ("json", vec![]),
        ("text", vec!["--output", "text"]),
        ("table", vec!["--output", "table"]),
        ("yaml", vec!["--output", "yaml"]),
        ("yaml-stream", vec!["--output", "yaml-stream"]),
        ("off", vec!["--output", "off"]),
        (
            "query endpoint, table",
            vec!["--query", "workgroup.endpoint", "--output", "table"],
        ),
        (
            "query a list of structures, text",
            vec!["--query", "workgroup.configParameters", "--output", "text"],
        ),
    ] {
        let run = workgroup_with(&h, &extra, &[]);
        run.assert_code(0);
        assert_eq!(run.stderr, "", "{name}");
        report.push_str(&format!("## {name}\n{}\n", run.stdout));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn get_workgroup_queries_and_settings_print_exactly_what_the_aws_cli_prints() {
    let h = Harness::new();
    let address = "analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com";
    let cases: Vec<(&str, Vec<&str>, Env, String)> = vec![
        (
            "endpoint, text",
            vec![
                "--query",
                "workgroup.endpoint.[address, port]",
                "--output",
                "text",
            ],
            vec![],
            format!("{address}\t5439\n"),
        ),
        (
            "port, json",
            vec!["--query", "workgroup.endpoint.port"],
            vec![],
            "5439\n".into(),
        ),
        (
            "a boolean and a number, text",
            vec![
                "--query",
                "workgroup.[enhancedVpcRouting, baseCapacity]",
                "--output",
                "text",
            ],
            vec![],
            "True\t32\n".into(),
        ),
        (
            "a list of strings, json",
            vec!["--query", "workgroup.subnetIds"],
            vec![],
            "[\n    \"subnet-0a\",\n    \"subnet-0b\"\n]\n".into(),
        ),
        (
            "a projection, text",
            vec![
                "--query",
                "workgroup.configParameters[].parameterKey",
                "--output",
                "text",
            ],
            vec![],
            "datestyle\trequire_ssl\n".into(),
        ),
        (
            "the member the model does not know is not there",
            vec!["--query", "workgroup.someFutureMember"],
            vec![],
            "null\n".into(),
        ),
        (
            "the creation date, iso8601 by default",
            vec!["--query", "workgroup.creationDate", "--output", "text"],
            vec![],
            "2026-11-28T05:00:00+00:00\n".into(),
        ),
        (
            "AWS_DEFAULT_OUTPUT",
            vec!["--query", "workgroup.status"],
            vec![("AWS_DEFAULT_OUTPUT", "text")],
            "AVAILABLE\n".into(),
        ),
    ];
    for (name, extra, env, expected) in cases {
        let run = workgroup_with(&h, &extra, &env);
        run.assert_code(0);
        assert_eq!(run.stdout, expected, "{name}");
        assert_eq!(run.stderr, "", "{name}");
    }
    std::fs::write(
        h.home().join("config"),
        "[default]\ncli_timestamp_format = wire\n",
    )
    .expect("config");
    let wire = workgroup_with(
        &h,
        &["--query", "workgroup.creationDate", "--output", "text"],
        &[],
    );
    assert_eq!(wire.stdout, "2026-11-28T05:00:00Z\n");
}

#[test]
fn get_workgroup_input_forms_send_the_same_request() {
    let h = Harness::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let json_file = dir.path().join("input.json");
    std::fs::write(&json_file, r#"{"workgroupName": "analytics"}"#).expect("write");
    let yaml_file = dir.path().join("input.yaml");
    std::fs::write(&yaml_file, "workgroupName: analytics\n").expect("write");
    let json_arg = format!("file://{}", json_file.display());
    let yaml_arg = format!("file://{}", yaml_file.display());
    let forms: Vec<Vec<&str>> = vec![
        vec!["--workgroup-name", "analytics"],
        vec![
            "--workgroup-name",
            "default",
            "--workgroup-name",
            "analytics",
        ],
        vec!["--cli-input-json", r#"{"workgroupName":"analytics"}"#],
        vec!["--cli-input-json", &json_arg],
        vec!["--cli-input-yaml", "workgroupName: analytics"],
        vec!["--cli-input-yaml", &yaml_arg],
        vec![
            "--cli-input-json",
            r#"{"workgroupName":"no-such-wg"}"#,
            "--workgroup-name",
            "analytics",
        ],
    ];
    for form in forms {
        h.emulator.reset();
        let run = run(h
            .cli()
            .args(h.workgroup_args(
                None,
                &["--query", "workgroup.workgroupName", "--output", "text"],
            ))
            .args(&form));
        run.assert_code(0);
        assert_eq!(run.stdout, "analytics\n", "{form:?}");
        let requests = h.emulator.requests();
        assert_eq!(requests.len(), 1, "{form:?}");
        let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
        assert_eq!(
            body,
            serde_json::json!({"workgroupName": "analytics"}),
            "{form:?}"
        );
    }
}

#[test]
fn get_workgroup_skeletons() {
    let h = Harness::new();
    let input = "{\n    \"workgroupName\": \"\"\n}\n";
    let cases: [(&[&str], &str); 3] = [
        (&["--generate-cli-skeleton"], input),
        (&["--generate-cli-skeleton", "input"], input),
        (
            &["--generate-cli-skeleton", "yaml-input"],
            "workgroupName: ''  # [REQUIRED] The name of the workgroup to return information for.\n",
        ),
    ];
    for (args, expected) in cases {
        // No region, no credentials: a skeleton needs neither, and sends nothing.
        let run = run(h.bare_cli().arg("get-workgroup").args(args));
        run.assert_code(0);
        assert_eq!(run.stdout, expected, "{args:?}");
    }
    // The output skeleton is botocore's stub of GetWorkgroupResponse (see
    // operation/get_workgroup.rs), in the chosen format.
    let mut report = String::new();
    for format in ["json", "text"] {
        let run = run(h.bare_cli().args([
            "get-workgroup",
            "--generate-cli-skeleton",
            "output",
            "--workgroup-name",
            "default",
            "--output",
            format,
        ]));
        run.assert_code(0);
        report.push_str(&format!("## {format}\n{}\n", run.stdout));
    }
    insta::assert_snapshot!(report);
    // The skeletons read back as input.
    let skeleton = run(h
        .bare_cli()
        .args(["get-workgroup", "--generate-cli-skeleton"]));
    let back = run(h
        .cli()
        .args(h.workgroup_args(None, &["--cli-input-json", &skeleton.stdout])));
    back.assert_code(252);
    assert!(
        back.stderr
            .contains("workgroupName: length must be between 3 and 64 characters; got \"\""),
        "{}",
        back.stderr
    );
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn shell_completions_include_get_workgroup() {
    let h = Harness::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = run(h.bare_cli().args(["completion", shell]));
        run.assert_code(0);
        assert!(run.stdout.contains("get-workgroup"), "{shell}");
        assert!(run.stdout.contains("workgroup-name"), "{shell}");
    }
}

/// Each failure of `get-workgroup`: exit code and whole standard error, in one snapshot.
#[test]
fn get_workgroup_failures_say_what_is_wrong() {
    let h = Harness::new();
    std::fs::write(h.home().join("config"), "[default]\nregion = us-east-1\n").expect("config");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("no name", vec![]),
        ("a name too short", vec!["--workgroup-name", "ab"]),
        (
            "a name the pattern refuses",
            vec!["--workgroup-name", "Analytics_WG"],
        ),
        (
            "unknown members",
            vec!["--cli-input-json", r#"{"bogus":1,"workgroupNames":["a"]}"#],
        ),
        (
            "a list for the name",
            vec!["--cli-input-json", r#"{"workgroupName":["default"]}"#],
        ),
        (
            "a number for the name, YAML",
            vec!["--cli-input-yaml", "workgroupName: 12"],
        ),
        (
            "bad YAML",
            vec!["--cli-input-yaml", "workgroupName: [unclosed"],
        ),
        ("not an object", vec!["--cli-input-json", "\"default\""]),
        (
            "bad --query",
            vec!["--workgroup-name", "default", "--query", "workgroup.["],
        ),
        (
            "--endpoint-url without a scheme",
            vec!["--workgroup-name", "default", "--endpoint-url", "notaurl"],
        ),
        (
            "--profile nosuch",
            vec!["--workgroup-name", "default", "--profile", "nosuch"],
        ),
        ("no such workgroup", vec!["--workgroup-name", "no-such-wg"]),
        (
            "--query that fails on the data",
            vec!["--workgroup-name", "default", "--query", "abs(workgroup)"],
        ),
    ];
    let mut report = String::new();
    for (name, extra) in cases {
        let run = run(h.cli().args(h.workgroup_args(None, &extra)));
        assert_ne!(run.code, Some(101), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        assert!(run.stderr.starts_with('\n'), "{name}: {}", run.stderr);
        report.push_str(&format!(
            "## {name}: exit {:?}\n{}\n\n",
            run.code,
            run.stderr.trim()
        ));
    }
    // Only the two that are valid until the service or the data judges them were sent.
    assert_eq!(h.emulator.request_count(), 2);
    insta::assert_snapshot!(report);
}
