//! End-to-end: the `redshift-serverless` binary against the emulator, started in-process
//! on 127.0.0.1:0. Every child runs with a cleared environment (see `common::Harness`).
//! Like the AWS CLI, the program writes an empty line before each error message.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use redshift_serverless_emulator::{
    AccessKey, Clock, EmulatorConfig, ErrorKind, Fault, ScriptedFault, DEMO_ACCESS_KEY_ID,
    DEMO_SECRET_ACCESS_KEY,
};

const OP: &str = "GetIdentityCenterAuthToken";

fn token_of(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("stdout is JSON");
    v["token"].as_str().expect("token").to_string()
}

#[test]
fn success_prints_the_aws_cli_json_shape() {
    // A fixed emulator clock makes the expiration exactly predictable.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let fixed = UNIX_EPOCH + Duration::from_secs(now);
    let h = Harness::with_config(EmulatorConfig::default().with_clock(Clock::fixed(fixed)));
    let run = h.get_token(&["default", "analytics"], &[]);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let obj = v.as_object().expect("an object");
    // The AWS CLI's member order for this output (its model lists expirationTime first).
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(keys, ["expirationTime", "token"]);
    let token = obj["token"].as_str().expect("token string");
    assert!(token.len() >= 32, "{token}");
    let exp = obj["expirationTime"].as_str().expect("expiration string");
    assert!(is_cli_timestamp(exp), "{exp}");
    let expected = redshift_serverless_cli::render::format_timestamp(
        aws_smithy_types::DateTime::from_secs(i64::try_from(now + 900).expect("fits")),
        redshift_serverless_cli::settings::TimestampFormat::Iso8601,
    );
    assert_eq!(exp, expected);
    // Four-space indentation, like `aws ... --output json`.
    assert_eq!(
        run.stdout,
        format!("{{\n    \"expirationTime\": \"{expected}\",\n    \"token\": \"{token}\"\n}}\n")
    );
    assert_eq!(h.emulator.request_count(), 1);
}

/// A machine without `~/.aws` (and no AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE): the
/// settings come from the environment alone. This panicked inside aws-config ("At least one
/// profile file must be included") when the CLI handed it a file set with no file.
#[test]
fn a_home_without_aws_files_is_no_problem() {
    let h = Harness::new();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = h.cli();
    cmd.env("HOME", home.path())
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .args(h.token_args(&["default"], &[]));
    let r = run(&mut cmd);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!token_of(&r.stdout).is_empty());
    assert!(!home.path().join(".aws").exists(), "nothing was created");
}

#[test]
fn output_text_is_expiration_tab_token_in_sorted_key_order() {
    let h = Harness::new();
    let run = h.get_token(&["default"], &["--output", "text"]);
    run.assert_code(0);
    let line = run.stdout.strip_suffix('\n').expect("one line");
    let (exp, token) = line.split_once('\t').expect("tab-separated");
    assert!(!token.is_empty() && !token.contains('\t'));
    assert!(is_cli_timestamp(exp), "{exp}");
}

#[test]
fn global_flags_work_before_and_after_the_subcommand() {
    let h = Harness::new();
    let url = h.url();
    let before = run(h.cli().args([
        "--endpoint-url",
        url.as_str(),
        "--max-attempts",
        "2",
        "--output",
        "text",
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
    ]));
    before.assert_code(0);
    let after = run(h.cli().args([
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
        "analytics",
        "--endpoint-url",
        url.as_str(),
        "--max-attempts",
        "5",
        "--region",
        "us-east-1",
    ]));
    after.assert_code(0);
    token_of(&after.stdout);
}

#[test]
fn each_modeled_error_exits_254_with_the_aws_cli_line() {
    let h = Harness::new();
    for kind in ErrorKind::MODELED {
        h.emulator.reset();
        let code = kind.code();
        let message = format!("scripted {code} message");
        h.script([ScriptedFault::once(error_fault(kind, &message))]);
        let run = h.get_token(&["default"], &["--max-attempts", "1"]);
        run.assert_code(254);
        // One attempt allowed: a retryable error has used up all of its (zero) retries.
        let retryable = matches!(
            kind,
            ErrorKind::ThrottlingException | ErrorKind::InternalServerException
        );
        let suffix = if retryable {
            " (reached max retries: 0)"
        } else {
            ""
        };
        assert_eq!(
            run.stderr,
            format!(
                "\nAn error occurred ({code}) when calling the {OP} operation{suffix}: {message}\n"
            ),
            "{code}"
        );
        assert!(run.stdout.is_empty());
        assert_eq!(h.emulator.request_count(), 1, "{code}");
    }
}

#[test]
fn unscripted_service_errors_also_exit_254() {
    let h = Harness::new();
    let missing = h.get_token(&["no-such-wg"], &[]);
    missing.assert_code(254);
    assert!(
        missing.stderr.starts_with(&format!(
            "\nAn error occurred (ResourceNotFoundException) when calling the {OP} operation: "
        )),
        "{}",
        missing.stderr
    );
    // A wrong secret is refused by the emulator's SigV4 check: an unmodeled code.
    let bad = run(h
        .cli()
        .env("AWS_SECRET_ACCESS_KEY", "wrong-secret")
        .args(h.token_args(&["default"], &[])));
    bad.assert_code(254);
    assert!(
        bad.stderr
            .starts_with("\nAn error occurred (InvalidSignatureException)"),
        "{}",
        bad.stderr
    );
}

#[test]
fn client_side_violations_exit_252_and_send_nothing() {
    let h = Harness::new();
    let run = h.get_token(&["Analytics_WG", "ab", "default"], &[]);
    run.assert_code(252);
    assert_eq!(
        run.stderr,
        "\nParameter validation failed with 2 violations (nothing was sent; --no-validate skips this check):\n  \
         - workgroupNames[0]: must match the pattern ^[a-z0-9-]+$; got \"Analytics_WG\"\n  \
         - workgroupNames[1]: length must be between 3 and 64 characters; got \"ab\" (2 characters)\n"
    );
    let names: Vec<String> = (0..21).map(|i| format!("wg-{i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let too_many = h.get_token(&names, &[]);
    too_many.assert_code(252);
    assert!(
        too_many
            .stderr
            .contains("workgroupNames: length must be between 1 and 20 elements; got 21 elements"),
        "{}",
        too_many.stderr
    );
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn violations_are_reported_even_without_region_or_credentials() {
    let h = Harness::new();
    let run = run(h.bare_cli().args(h.token_args(&["Analytics_WG"], &[])));
    run.assert_code(252);
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn no_validate_lets_the_service_judge() {
    let h = Harness::new();
    let run = h.get_token(&["Analytics_WG"], &["--no-validate"]);
    run.assert_code(254);
    assert!(
        run.stderr.starts_with(&format!(
            "\nAn error occurred (ValidationException) when calling the {OP} operation: "
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Analytics_WG"), "{}", run.stderr);
    assert_eq!(h.emulator.request_count(), 1);
}

#[test]
fn usage_errors_exit_252() {
    let h = Harness::new();
    for args in [
        vec![],
        vec!["get-identity-center-auth-token"],
        vec!["get-identity-center-auth-token", "--workgroup-names"],
        vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--output",
            "xml",
        ],
        vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--max-attempts",
            "0",
        ],
        vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--cli-read-timeout",
            "-1",
        ],
        vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--bogus",
        ],
        vec!["no-such-command"],
    ] {
        let run = run(h.cli().args(&args));
        run.assert_code(252);
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    assert_eq!(h.emulator.request_count(), 0);
    run(h.bare_cli().arg("--help")).assert_code(0);
    run(h.bare_cli().arg("--version")).assert_code(0);
}

#[test]
fn missing_region_exits_253_and_names_it() {
    let h = Harness::new();
    let run = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
        .args(h.token_args(&["default"], &[])));
    run.assert_code(253);
    assert!(run.stderr.contains("region"), "{}", run.stderr);
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn missing_credentials_exit_253_and_name_them() {
    let h = Harness::new();
    let run = run(h
        .bare_cli()
        .env("AWS_REGION", "us-east-1")
        .args(h.token_args(&["default"], &[])));
    run.assert_code(253);
    assert!(run.stderr.contains("credentials"), "{}", run.stderr);
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn region_and_credentials_from_a_profile() {
    let h = Harness::new();
    std::fs::write(
        h.home().join("config"),
        "[profile demo]\nregion = us-east-1\n",
    )
    .expect("config");
    std::fs::write(
        h.home().join("credentials"),
        format!("[demo]\naws_access_key_id = {DEMO_ACCESS_KEY_ID}\naws_secret_access_key = {DEMO_SECRET_ACCESS_KEY}\n"),
    )
    .expect("credentials");
    run(h
        .bare_cli()
        .args(h.token_args(&["default"], &["--profile", "demo"])))
    .assert_code(0);
    run(h
        .bare_cli()
        .env("AWS_PROFILE", "demo")
        .args(h.token_args(&["default"], &[])))
    .assert_code(0);
    // The profile has no such section: no region and no credentials.
    run(h
        .bare_cli()
        .args(h.token_args(&["default"], &["--profile", "nope"])))
    .assert_code(253);
}

#[test]
fn invalid_environment_settings_exit_253() {
    let h = Harness::new();
    let run = run(h
        .cli()
        .env("AWS_MAX_ATTEMPTS", "many")
        .args(h.token_args(&["default"], &[])));
    run.assert_code(253);
    assert!(run.stderr.contains("AWS_MAX_ATTEMPTS"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Both flags given: the bad variable is not even read.
    h.get_token(
        &["default"],
        &["--max-attempts", "2", "--retry-mode", "standard"],
    )
    .assert_code(0);
}

#[test]
fn connection_failures_exit_255() {
    let h = Harness::new();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let run = run(h.cli().args([
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
        "--endpoint-url",
        &url,
        "--max-attempts",
        "1",
    ]));
    run.assert_code(255);
    // The AWS CLI's line, then the cause.
    assert!(
        run.stderr.starts_with(&format!(
            "\nCould not connect to the endpoint URL: \"{url}/\" ("
        )) && run.stderr.contains("Connection refused"),
        "{}",
        run.stderr
    );
}

/// Issue 24's reproduction: part of a body, then a 7.5 s stall. The read timeout governs a
/// stalled body, so with a longer one (or none, `0`) the command waits the stall out and
/// prints the token; the runtime's stalled-stream default cut it off after about 6 s.
fn a_stall_shorter_than_the_read_timeout_is_waited_out(read_timeout: &str) {
    let h = Harness::new();
    h.script([ScriptedFault::once(Fault::StalledBody { stall_ms: 7_500 })]);
    let url = h.url();
    let run = run(h.cli().args([
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
        "--endpoint-url",
        &url,
        "--max-attempts",
        "1",
        "--cli-read-timeout",
        read_timeout,
        "--query",
        "token",
        "--output",
        "text",
    ]));
    run.assert_code(0);
    assert!(run.stdout.trim().len() >= 32, "{}", run.stdout);
    assert!(
        run.elapsed >= Duration::from_millis(7_500),
        "the stall was not waited out: {:?}",
        run.elapsed
    );
    assert_eq!(h.emulator.request_count(), 1);
}

#[test]
fn a_stall_shorter_than_the_read_timeout_is_waited_out_12s() {
    a_stall_shorter_than_the_read_timeout_is_waited_out("12");
}

#[test]
fn a_stall_is_waited_out_without_a_read_timeout() {
    a_stall_shorter_than_the_read_timeout_is_waited_out("0");
}

#[test]
fn a_body_that_stalls_past_the_read_timeout_exits_255_within_the_timeout() {
    let h = Harness::new();
    // Headers and half the body arrive at once, then nothing for 20 s: only a read timeout
    // that also covers the body ends this before the stall does.
    h.script([ScriptedFault::once(Fault::StalledBody { stall_ms: 20_000 })]);
    let url = h.url();
    let run = run(h.cli().args([
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
        "--endpoint-url",
        &url,
        "--max-attempts",
        "1",
        "--cli-connect-timeout",
        "2",
        "--cli-read-timeout",
        "0.5",
    ]));
    run.assert_code(255);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // The client's stalled-stream protection, with the read timeout as its grace period.
    assert!(
        run.stderr
            .starts_with(&format!("\nRead timeout on endpoint URL: \"{url}/\" ("))
            && run
                .stderr
                .contains("minimum throughput was specified at 1 B/s"),
        "{}",
        run.stderr
    );
    assert!(
        run.elapsed >= Duration::from_millis(500),
        "gave up before the timeout: {:?}",
        run.elapsed
    );
    assert!(
        run.elapsed < Duration::from_secs(5),
        "the stalled body was not cut off by --cli-read-timeout: {:?}",
        run.elapsed
    );
    assert_eq!(h.emulator.request_count(), 1);
}

#[test]
fn endpoint_rule_errors_exit_253() {
    let h = Harness::new();
    let run = h.get_token(&["default"], &["--use-fips"]);
    run.assert_code(253);
    assert_eq!(
        run.stderr,
        "\nInvalid endpoint configuration: Invalid Configuration: FIPS and custom endpoint are not supported\n"
    );
    assert_eq!(h.emulator.request_count(), 0);
}

#[test]
fn retries_are_visible_with_debug() {
    let h = Harness::new();
    // InternalServerException retries on the short non-throttling backoff (50 ms base).
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::InternalServerException, "try again"),
        2,
    )]);
    let run = h.get_token(&["default"], &["--max-attempts", "3", "--debug"]);
    run.assert_code(0);
    token_of(&run.stdout);
    for needle in [
        "sending attempt #1",
        "sending attempt #2",
        "sending attempt #3",
        "status=500",
        "error_code=InternalServerException",
        "verdict=retry",
        "status=200",
        "retrying after",
        &format!("endpoint=\"{}/\"", h.url()),
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in\n{}",
            run.stderr
        );
    }
    assert_eq!(h.emulator.request_count(), 3);
}

#[test]
fn exhausted_retries_add_the_reached_max_retries_suffix() {
    let h = Harness::new();
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::InternalServerException, "still broken"),
        3,
    )]);
    let run = h.get_token(&["default"], &["--max-attempts", "3"]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (InternalServerException) when calling the {OP} operation (reached max retries: 2): still broken\n")
    );
    assert_eq!(h.emulator.request_count(), 3);

    // The spec's own example; one throttling backoff (at most 1 s with a 1 s base).
    h.emulator.reset();
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::ThrottlingException, "Rate exceeded"),
        2,
    )]);
    let run = h.get_token(&["default"], &["--max-attempts", "2"]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (ThrottlingException) when calling the {OP} operation (reached max retries: 1): Rate exceeded\n")
    );
    assert_eq!(h.emulator.request_count(), 2);

    // A non-retryable error after a retry: no suffix, attempts were left.
    h.emulator.reset();
    h.script([
        ScriptedFault::once(error_fault(ErrorKind::InternalServerException, "x")),
        ScriptedFault::once(error_fault(ErrorKind::ConflictException, "busy")),
    ]);
    let run = h.get_token(&["default"], &["--max-attempts", "3"]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (ConflictException) when calling the {OP} operation: busy\n")
    );
}

#[test]
fn debug_output_never_shows_token_secret_session_token_or_signature() {
    const SECRET: &str = "debug-test-secret-key-0123456789";
    const SESSION: &str = "debug-test-session-token-QWERTYUIOP";
    let h =
        Harness::with_config(EmulatorConfig::default().with_access_keys([
            AccessKey::new("AKIDDEBUGTEST", SECRET).with_session_token(SESSION),
        ]));
    let proxy = RecordingProxy::start(h.emulator.addr());
    let debug_run = |names: &[&str], extra: &[&str]| {
        let mut args = vec!["get-identity-center-auth-token", "--workgroup-names"];
        args.extend_from_slice(names);
        let url = proxy.url();
        args.extend_from_slice(&["--endpoint-url", &url, "--debug", "--cli-read-timeout", "5"]);
        args.extend_from_slice(extra);
        run(h
            .bare_cli()
            .env("AWS_ACCESS_KEY_ID", "AKIDDEBUGTEST")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", SESSION)
            .env("AWS_REGION", "us-east-1")
            .args(&args))
    };

    let ok = debug_run(&["default"], &["--output", "text"]);
    ok.assert_code(0);
    let token = ok.stdout.split('\t').next().expect("token").to_string();
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::InternalServerException, "boom"),
        2,
    )]);
    let failed = debug_run(&["default", "analytics"], &["--max-attempts", "2"]);
    failed.assert_code(254);

    let signatures = proxy.signatures();
    assert_eq!(signatures.len(), 3, "one signature per attempt");
    assert!(signatures.iter().all(|s| s.len() == 64), "{signatures:?}");
    let stderr = format!("{}\n{}", ok.stderr, failed.stderr);
    assert!(
        stderr.contains("sending attempt #2"),
        "debug logging is on:\n{stderr}"
    );
    for secret in [token.as_str(), SECRET, SESSION]
        .into_iter()
        .chain(signatures.iter().map(String::as_str))
    {
        assert!(
            !stderr.contains(secret),
            "{secret:?} leaked into:\n{stderr}"
        );
    }
    let lower = stderr.to_ascii_lowercase();
    for marker in ["signature=", "authorization", "x-amz-security-token"] {
        assert!(!lower.contains(marker), "{marker:?} in:\n{stderr}");
    }
}

#[test]
fn fips_and_dual_stack_flags_choose_the_endpoint() {
    // No --endpoint-url: the endpoint comes from the model's rules. Whether the host is
    // reachable from here does not matter; the attempt line names where it went.
    let h = Harness::new();
    for (flags, host) in [
        (
            &["--use-dual-stack"][..],
            "redshift-serverless.us-east-1.api.aws",
        ),
        (
            &["--use-fips"][..],
            "redshift-serverless-fips.us-east-1.amazonaws.com",
        ),
        (
            &["--use-fips", "--use-dual-stack"][..],
            "redshift-serverless-fips.us-east-1.api.aws",
        ),
    ] {
        let mut args = vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--max-attempts",
            "1",
            "--cli-connect-timeout",
            "2",
            "--debug",
        ];
        args.extend_from_slice(flags);
        let run = run(h.cli().args(&args));
        let needle = format!("endpoint=\"https://{host}/\"");
        assert!(
            run.stderr.contains(&needle),
            "{flags:?}: missing {needle} in\n{}",
            run.stderr
        );
        assert!(
            matches!(run.code, Some(254 | 255)),
            "{flags:?}: {:?}",
            run.code
        );
    }
    assert_eq!(h.emulator.request_count(), 0);
}

// get-workgroup: the same program paths, another operation.

const WG_OP: &str = "GetWorkgroup";

fn object_keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn get_workgroup_prints_the_workgroup_in_the_aws_cli_member_order() {
    // The emulator's start is the workgroup's creation date; a clock far from the real one
    // would make the client correct its skew first.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let fixed = UNIX_EPOCH + Duration::from_secs(now);
    let h = Harness::with_config(EmulatorConfig::default().with_clock(Clock::fixed(fixed)));
    let run = h.get_workgroup("analytics", &[]);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(object_keys(&v), ["workgroup"]);
    let w = &v["workgroup"];
    // botocore's member order (its model lists them alphabetically), whatever order the
    // service sent them in.
    assert_eq!(
        object_keys(w),
        [
            "baseCapacity",
            "configParameters",
            "creationDate",
            "endpoint",
            "enhancedVpcRouting",
            "ipAddressType",
            "maxCapacity",
            "namespaceName",
            "patchVersion",
            "port",
            "publiclyAccessible",
            "securityGroupIds",
            "status",
            "subnetIds",
            "trackName",
            "workgroupArn",
            "workgroupId",
            "workgroupName",
            "workgroupVersion",
        ]
    );
    assert_eq!(w["workgroupName"], "analytics");
    let created = redshift_serverless_cli::render::format_timestamp(
        aws_smithy_types::DateTime::from_secs(i64::try_from(now).expect("fits")),
        redshift_serverless_cli::settings::TimestampFormat::Iso8601,
    );
    assert_eq!(w["creationDate"], created.as_str());
    // Without a SQL front the emulator gives the service's name for the endpoint.
    assert_eq!(
        w["endpoint"]["address"],
        "analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com"
    );
    assert_eq!(w["endpoint"]["port"], 5439);
    assert_eq!(
        object_keys(&w["endpoint"]),
        ["address", "port", "vpcEndpoints"]
    );
    assert_eq!(
        object_keys(&w["endpoint"]["vpcEndpoints"][0]),
        ["networkInterfaces", "vpcEndpointId", "vpcId"]
    );
    assert_eq!(w["enhancedVpcRouting"], false);
    assert!(run
        .stdout
        .starts_with("{\n    \"workgroup\": {\n        \"baseCapacity\": 128,\n"));

    let requests = h.emulator.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].target.as_deref(),
        Some("RedshiftServerless.GetWorkgroup")
    );
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(body, serde_json::json!({"workgroupName": "analytics"}));
}

/// The script idiom: the SQL endpoint to connect to, from a workgroup with a SQL front. The
/// front only parses the PostgreSQL URL at start; nothing here signs in.
#[test]
fn get_workgroup_gives_the_sql_front_s_endpoint() {
    let h = Harness::with_config(EmulatorConfig::default().with_sql(
        redshift_serverless_emulator::SqlConfig::new("postgresql://postgres@127.0.0.1:1/postgres"),
    ));
    let sql = h.emulator.sql_addr("analytics").expect("a SQL front");
    let run = h.get_workgroup(
        "analytics",
        &[
            "--query",
            "workgroup.endpoint.[address, port]",
            "--output",
            "text",
        ],
    );
    run.assert_code(0);
    assert_eq!(run.stdout, format!("{}\t{}\n", sql.ip(), sql.port()));
    let port = h.get_workgroup(
        "default",
        &["--query", "workgroup.endpoint.port", "--output", "text"],
    );
    port.assert_code(0);
    let default_sql = h.emulator.sql_addr("default").expect("a SQL front");
    assert_eq!(port.stdout, format!("{}\n", default_sql.port()));
}

#[test]
fn get_workgroup_of_an_unknown_workgroup_exits_254() {
    let h = Harness::new();
    let run = h.get_workgroup("no-such-wg", &[]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (ResourceNotFoundException) when calling the {WG_OP} operation: Workgroup no-such-wg was not found.\n")
    );
    assert!(run.stdout.is_empty());
    assert_eq!(h.emulator.request_count(), 1);
}

#[test]
fn get_workgroup_modeled_errors_exit_254_with_the_aws_cli_line() {
    let h = Harness::new();
    for (kind, suffix) in [
        (ErrorKind::ValidationException, ""),
        (ErrorKind::ResourceNotFoundException, ""),
        // Modeled @retryable: one attempt allowed, so its retries are used up.
        (
            ErrorKind::InternalServerException,
            " (reached max retries: 0)",
        ),
    ] {
        h.emulator.reset();
        let code = kind.code();
        h.script([ScriptedFault::once(error_fault(kind, "scripted"))]);
        let run = h.get_workgroup("default", &["--max-attempts", "1"]);
        run.assert_code(254);
        assert_eq!(
            run.stderr,
            format!("\nAn error occurred ({code}) when calling the {WG_OP} operation{suffix}: scripted\n")
        );
        assert_eq!(h.emulator.request_count(), 1, "{code}");
    }
}

#[test]
fn get_workgroup_violations_exit_252_and_send_nothing() {
    let h = Harness::new();
    let long = "a".repeat(65);
    for (name, says) in [
        (
            "ab",
            "workgroupName: length must be between 3 and 64 characters; got \"ab\" (2 characters)",
        ),
        (
            "Analytics_WG",
            "workgroupName: must match the pattern ^[a-z0-9-]+$; got \"Analytics_WG\"",
        ),
        (
            long.as_str(),
            "workgroupName: length must be between 3 and 64 characters; got",
        ),
    ] {
        let run = h.get_workgroup(name, &[]);
        run.assert_code(252);
        assert!(
            run.stderr.starts_with(
                "\nParameter validation failed with 1 violation (nothing was sent; --no-validate skips this check):\n  - "
            ) && run.stderr.contains(says),
            "{name}: {}",
            run.stderr
        );
    }
    // Without region or credentials too: the parameters are judged first.
    let bare = run(h
        .bare_cli()
        .args(h.workgroup_args(Some("Analytics_WG"), &[])));
    bare.assert_code(252);
    let missing = run(h.cli().args(h.workgroup_args(None, &[])));
    missing.assert_code(252);
    assert_eq!(
        missing.stderr,
        "\nParameter validation failed:\nMissing required parameter in input: \"workgroupName\"\n"
    );
    assert_eq!(h.emulator.request_count(), 0);

    // --no-validate: the service judges, and says why.
    let run = h.get_workgroup("Analytics_WG", &["--no-validate"]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (ValidationException) when calling the {WG_OP} operation: 1 validation error detected: Value 'Analytics_WG' at 'workgroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9-]+$\n")
    );
    assert_eq!(h.emulator.request_count(), 1);
}

#[test]
fn get_workgroup_retries_are_visible_with_debug_and_exhaustion_is_said() {
    let h = Harness::new();
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::InternalServerException, "try again"),
        2,
    )]);
    let run = h.get_workgroup("default", &["--max-attempts", "3", "--debug"]);
    run.assert_code(0);
    assert!(run.stdout.contains("\"workgroupName\": \"default\""));
    for needle in [
        "sending attempt #3",
        "error_code=InternalServerException",
        "verdict=retry",
        "status=200",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in\n{}",
            run.stderr
        );
    }
    assert_eq!(h.emulator.request_count(), 3);

    h.emulator.reset();
    h.script([ScriptedFault::times(
        error_fault(ErrorKind::InternalServerException, "still broken"),
        2,
    )]);
    let run = h.get_workgroup("default", &["--max-attempts", "2"]);
    run.assert_code(254);
    assert_eq!(
        run.stderr,
        format!("\nAn error occurred (InternalServerException) when calling the {WG_OP} operation (reached max retries: 1): still broken\n")
    );
}

#[test]
fn get_workgroup_settings_come_from_the_profile_and_their_problems_exit_253() {
    let h = Harness::new();
    std::fs::write(
        h.home().join("config"),
        "[profile demo]\nregion = us-east-1\noutput = text\n",
    )
    .expect("config");
    std::fs::write(
        h.home().join("credentials"),
        format!("[demo]\naws_access_key_id = {DEMO_ACCESS_KEY_ID}\naws_secret_access_key = {DEMO_SECRET_ACCESS_KEY}\n"),
    )
    .expect("credentials");
    let ok = run(h.bare_cli().args(h.workgroup_args(
        Some("default"),
        &["--profile", "demo", "--query", "workgroup.status"],
    )));
    ok.assert_code(0);
    assert_eq!(ok.stdout, "AVAILABLE\n");
    let no_region = run(h
        .bare_cli()
        .env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
        .args(h.workgroup_args(Some("default"), &[])));
    no_region.assert_code(253);
    assert!(no_region.stderr.contains("region"), "{}", no_region.stderr);
    let fips = h.get_workgroup("default", &["--use-fips"]);
    fips.assert_code(253);
    assert_eq!(h.emulator.request_count(), 1);
}

/// `--no-sign-request` sends the request without a signature and looks up no credentials
/// (there are none here): the emulator sees neither `Authorization` nor `X-Amz-Date`, and
/// refuses the unsigned request as the service does, exit 254; a signed call in the same
/// setting exits 253 for the missing credentials.
#[test]
fn no_sign_request_sends_the_request_unsigned() {
    let h = Harness::new();
    let unsigned_headers = |h: &Harness| {
        let requests = h.emulator.requests();
        assert_eq!(requests.len(), 1, "{requests:?}");
        requests[0]
            .headers
            .iter()
            .filter(|(k, _)| {
                redshift_serverless_cli::unsigned::SIGNATURE_HEADERS.contains(&k.as_str())
            })
            .map(|(k, _)| k.clone())
            .collect::<Vec<_>>()
    };
    let no_credentials = |extra: &[&str]| {
        let mut cmd = h.bare_cli();
        cmd.env("AWS_REGION", "us-east-1");
        run(cmd.args(h.token_args(&["default"], extra)))
    };

    // Answered by a scripted response: the output is printed as usual.
    h.script([fixed_response(
        r#"{"token":"tok-unsigned","expirationTime":"2026-11-28T05:00:00Z"}"#,
    )]);
    let ok = no_credentials(&["--no-sign-request", "--query", "token", "--output", "text"]);
    ok.assert_code(0);
    assert_eq!(ok.stdout, "tok-unsigned\n");
    assert_eq!(unsigned_headers(&h), Vec::<String>::new());

    // Judged by the emulator: an unsigned request is refused, as the service refuses it.
    h.emulator.reset();
    let refused = no_credentials(&["--no-sign-request", "--max-attempts", "1"]);
    refused.assert_code(254);
    assert!(
        refused.stderr.starts_with("\nAn error occurred (")
            && refused
                .stderr
                .contains(") when calling the GetIdentityCenterAuthToken operation: "),
        "{}",
        refused.stderr
    );
    assert_eq!(unsigned_headers(&h), Vec::<String>::new());

    // Without the flag, the same setting has no credentials to sign with.
    h.emulator.reset();
    no_credentials(&[]).assert_code(253);
    assert!(h.emulator.requests().is_empty());
}

/// The retry settings are the CLI's to read: `legacy` is accepted from the environment and
/// the profile, a bad value is one line naming it (no `Debug` text from aws-config), and a
/// flag makes the environment's value irrelevant, however bad.
#[test]
fn retry_settings_are_read_by_the_cli() {
    let h = Harness::new();
    let fixed =
        || fixed_response(r#"{"token":"tok-retry","expirationTime":"2026-11-28T05:00:00Z"}"#);
    let token = |env: &[(&str, &str)], extra: &[&str]| {
        h.emulator.reset();
        h.script([fixed()]);
        let mut cmd = h.cli();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut extra = extra.to_vec();
        extra.extend(["--query", "token", "--output", "text"]);
        run(cmd.args(h.token_args(&["default"], &extra)))
    };

    for (env, extra) in [
        (vec![("AWS_RETRY_MODE", "legacy")], vec![]),
        (
            vec![("AWS_MAX_ATTEMPTS", "abc")],
            vec!["--max-attempts", "2"],
        ),
        (
            vec![("AWS_RETRY_MODE", "bogus")],
            vec!["--retry-mode", "adaptive"],
        ),
    ] {
        let ok = token(&env, &extra);
        ok.assert_code(0);
        assert_eq!(ok.stdout, "tok-retry\n", "{env:?} {extra:?}");
    }
    let config = h.home().join("config-legacy");
    std::fs::write(
        &config,
        "[default]\nregion = us-east-1\nretry_mode = legacy\n",
    )
    .expect("config");
    let from_profile = token(
        &[("AWS_CONFIG_FILE", config.to_str().expect("UTF-8 path"))],
        &[],
    );
    from_profile.assert_code(0);

    for (name, value, message) in [
        (
            "AWS_RETRY_MODE",
            "bogus",
            "\nInvalid value for AWS_RETRY_MODE: \"bogus\": must be one of legacy, standard, adaptive\n",
        ),
        (
            "AWS_MAX_ATTEMPTS",
            "abc",
            "\nInvalid value for AWS_MAX_ATTEMPTS: \"abc\": must be a whole number from 1 to 100\n",
        ),
    ] {
        let refused = token(&[(name, value)], &[]);
        refused.assert_code(253);
        assert_eq!(refused.stderr, message);
        assert!(h.emulator.requests().is_empty());
    }
}
