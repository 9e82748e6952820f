//! Differential: this CLI and the AWS CLI v1 (`awscli` from PyPI) against the same emulator,
//! for the cases where the AWS CLI v1 and v2 agree: `--query`, text, table and JSON output,
//! the JSON list input, `--cli-input-json`, `--generate-cli-skeleton`, and the error lines,
//! for `get-identity-center-auth-token` and `get-workgroup`. Both see the same scripted
//! response, and the requests they send are compared too. The deliberate differences the
//! README lists are cases of their own (`Expect::Differs`), so each stays what it is said to be.
//!
//! Known v1/v2 differences are normalised, not ignored: v1 exits 255 where v2 (and this
//! CLI) exits 252, 253 or 254, and v1 prints timestamps as received unless
//! `cli_timestamp_format = iso8601`, which the shared config file sets.
//!
//! Runs when `REDSHIFT_SERVERLESS_AWS_CLI` names an `aws` executable (`.ci/run` installs
//! `awscli==1.46.2` into a venv and sets it); otherwise it says it was skipped and how to run it.

mod common;

use common::*;
use redshift_serverless_emulator::{ErrorKind, Fault, ScriptedFault};
use std::io::Write;

const AWS_CLI_VAR: &str = "REDSHIFT_SERVERLESS_AWS_CLI";

fn aws_cli() -> Option<String> {
    match std::env::var(AWS_CLI_VAR) {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            // Straight to the process's stderr: libtest captures print! and eprint!, and
            // this line is meant to be seen in every run.
            let _ = writeln!(
                std::io::stderr(),
                "aws_cli_differential skipped: the differential test against the AWS CLI v1 needs {AWS_CLI_VAR}=/path/to/aws, \
                 e.g. `python3 -m venv /tmp/awscli && /tmp/awscli/bin/pip install awscli==1.46.2 && \
                 {AWS_CLI_VAR}=/tmp/awscli/bin/aws cargo test -p redshift-serverless-cli --test aws_cli_differential` \
                 (.ci/run does this)"
            );
            None
        }
    }
}

/// What a case expects of both programs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// Both succeed with the same standard output.
    SameOutput,
    /// Both fail with the same standard error; this CLI exits with the code, v1 with 255.
    SameError(i32),
    /// Both fail; this CLI's message starts with v1's, without its final period (and adds
    /// the cause).
    ErrorStartsWith(i32),
    /// A deliberate difference: this CLI exits with `code` and prints `ours` at the start of
    /// standard output (on success) or standard error; v1 exits 255 and its standard error
    /// starts with `theirs`. The requests are not compared: one side may send none.
    Differs {
        code: i32,
        ours: &'static str,
        theirs: &'static str,
    },
}

struct Case<'a> {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, &'a str)>,
    script: Vec<ScriptedFault>,
    expect: Expect,
}

fn fixed() -> ScriptedFault {
    fixed_response(
        r#"{"token":"tok-differential-0123456789","expirationTime":"2026-11-28T05:00:00Z"}"#,
    )
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_aws_cli_v1_and_this_cli_agree() {
    let Some(aws) = aws_cli() else {
        return;
    };
    // Half the cases each on two emulators at once: the AWS CLI's Python start-up is most
    // of the time, and CI has two cores.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves: Vec<_> = (0..2)
            .map(|part| {
                let aws = aws.as_str();
                scope.spawn(move || compare(aws, part))
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("a half of the cases panicked"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs every other case (those at `part`, `part + 2`, ...) through both programs against a
/// fresh emulator and returns what differed.
fn compare(aws: &str, part: usize) -> Vec<String> {
    let h = Harness::new();
    std::fs::write(
        h.home().join("config"),
        "[default]\nregion = us-east-1\ncli_timestamp_format = iso8601\n",
    )
    .expect("config");
    let url = h.url();
    // A second config file whose [services] section points at the emulator.
    let services_config = h.home().join("config-services");
    std::fs::write(
        &services_config,
        format!(
            "[default]\nregion = us-east-1\ncli_timestamp_format = iso8601\nendpoint_url = http://127.0.0.1:9\n\
             services = local\n[services local]\nredshift_serverless =\n  endpoint_url = {url}\n"
        ),
    )
    .expect("config");
    let services_config = services_config.to_string_lossy().into_owned();
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let closed = format!("http://127.0.0.1:{closed_port}");
    let op = "get-identity-center-auth-token";
    let with = |extra: &[&str]| {
        let mut a = args(&[op, "--endpoint-url", &url]);
        a.extend(args(extra));
        a
    };
    let ok = |name, extra: &[&str]| Case {
        name,
        args: with(extra),
        env: vec![],
        script: vec![fixed()],
        expect: Expect::SameOutput,
    };
    let cases = vec![
        ok(
            "query token, text",
            &[
                "--workgroup-names",
                "default",
                "--query",
                "token",
                "--output",
                "text",
            ],
        ),
        ok(
            "text",
            &["--workgroup-names", "default", "--output", "text"],
        ),
        ok(
            "table",
            &["--workgroup-names", "default", "--output", "table"],
        ),
        ok(
            "json",
            &["--workgroup-names", "default", "--output", "json"],
        ),
        ok(
            "query list, text",
            &[
                "--workgroup-names",
                "default",
                "--query",
                "[expirationTime, token]",
                "--output",
                "text",
            ],
        ),
        ok(
            "query hash, table",
            &[
                "--workgroup-names",
                "default",
                "--query",
                "{t: token}",
                "--output",
                "table",
            ],
        ),
        ok(
            "query nothing, json",
            &["--workgroup-names", "default", "--query", "nosuch"],
        ),
        ok(
            "JSON list input",
            &[
                "--workgroup-names",
                r#"["default","analytics"]"#,
                "--query",
                "token",
                "--output",
                "text",
            ],
        ),
        ok(
            "--cli-input-json",
            &[
                "--cli-input-json",
                r#"{"workgroupNames":["default","analytics"]}"#,
                "--output",
                "text",
            ],
        ),
        ok(
            "--cli-input-json with the flag winning",
            &[
                "--cli-input-json",
                r#"{"workgroupNames":["no-such-wg"]}"#,
                "--workgroup-names",
                "default",
                "--output",
                "text",
            ],
        ),
        Case {
            name: "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS over AWS_ENDPOINT_URL",
            args: args(&[op, "--workgroup-names", "default", "--output", "text"]),
            env: vec![
                ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", url.as_str()),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
            ],
            script: vec![fixed()],
            expect: Expect::SameOutput,
        },
        Case {
            name: "the [services] section over the profile's endpoint_url",
            args: args(&[op, "--workgroup-names", "default", "--output", "text"]),
            env: vec![("AWS_CONFIG_FILE", services_config.as_str())],
            script: vec![fixed()],
            expect: Expect::SameOutput,
        },
        Case {
            name: "--generate-cli-skeleton",
            args: args(&[op, "--generate-cli-skeleton"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameOutput,
        },
        Case {
            name: "--generate-cli-skeleton input",
            args: args(&[op, "--generate-cli-skeleton", "input"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameOutput,
        },
        Case {
            name: "--generate-cli-skeleton output",
            args: args(&[
                op,
                "--generate-cli-skeleton",
                "output",
                "--workgroup-names",
                "default",
            ]),
            env: vec![],
            script: vec![],
            expect: Expect::SameOutput,
        },
        Case {
            name: "a modeled service error",
            args: with(&["--workgroup-names", "default"]),
            env: vec![("AWS_MAX_ATTEMPTS", "1")],
            script: vec![ScriptedFault::once(error_fault(
                ErrorKind::ValidationException,
                "scripted message",
            ))],
            expect: Expect::SameError(254),
        },
        Case {
            name: "an unscripted service error",
            args: with(&["--workgroup-names", "no-such-wg"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(254),
        },
        Case {
            name: "retries exhausted",
            args: with(&["--workgroup-names", "default"]),
            env: vec![("AWS_MAX_ATTEMPTS", "2"), ("AWS_RETRY_MODE", "standard")],
            script: vec![ScriptedFault::times(
                error_fault(ErrorKind::InternalServerException, "still broken"),
                2,
            )],
            expect: Expect::SameError(254),
        },
        Case {
            name: "unknown member in --cli-input-json",
            args: with(&[
                "--cli-input-json",
                r#"{"workgroupNames":["default"],"bogus":1}"#,
            ]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(252),
        },
        Case {
            name: "missing required member",
            args: with(&["--cli-input-json", "{}"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(252),
        },
        Case {
            name: "wrong type in the JSON list",
            args: with(&["--workgroup-names", r#"["default", 3]"#]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(252),
        },
        Case {
            name: "--profile that does not exist",
            args: with(&["--workgroup-names", "default", "--profile", "nosuch"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(253),
        },
        Case {
            name: "--endpoint-url without a scheme",
            args: args(&[
                op,
                "--workgroup-names",
                "default",
                "--endpoint-url",
                "notaurl",
            ]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(252),
        },
        Case {
            name: "empty --endpoint-url",
            args: args(&[op, "--workgroup-names", "default", "--endpoint-url", ""]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(252),
        },
        Case {
            name: "a --region naming a host",
            args: with(&["--workgroup-names", "default", "--region", "x@127.0.0.1:9#"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(253),
        },
        Case {
            name: "a dotted --region",
            args: with(&[
                "--workgroup-names",
                "default",
                "--region",
                "us-east-1.example.com",
            ]),
            env: vec![],
            script: vec![],
            expect: Expect::SameError(253),
        },
        Case {
            name: "a connection closed before any response",
            args: with(&["--workgroup-names", "default"]),
            env: vec![("AWS_MAX_ATTEMPTS", "1")],
            script: vec![ScriptedFault::times(Fault::ConnectionReset, 5)],
            expect: Expect::ErrorStartsWith(255),
        },
        Case {
            name: "nothing listening",
            args: args(&[
                op,
                "--workgroup-names",
                "default",
                "--endpoint-url",
                &closed,
            ]),
            env: vec![("AWS_MAX_ATTEMPTS", "1")],
            script: vec![],
            expect: Expect::ErrorStartsWith(255),
        },
    ];
    let cases = cases
        .into_iter()
        .chain(workgroup_cases(&url))
        .collect::<Vec<_>>();

    let mut failures = Vec::new();
    for case in cases.into_iter().skip(part).step_by(2) {
        let mut runs = Vec::new();
        let mut bodies = Vec::new();
        // `aws` takes the service name first.
        for (program, service) in [(bin(), None), (aws.to_owned(), Some("redshift-serverless"))] {
            h.emulator.reset();
            h.script(case.script.clone());
            let mut command = h.with_demo_credentials(h.bare(&program));
            command.env("PYTHONIOENCODING", "utf-8");
            for (k, v) in &case.env {
                command.env(k, v);
            }
            runs.push(run(command.args(service).args(&case.args)));
            bodies.push(
                h.emulator
                    .requests()
                    .iter()
                    .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
                    .collect::<Vec<_>>(),
            );
        }
        let (ours, theirs) = (&runs[0], &runs[1]);
        let mut wrong = Vec::new();
        if bodies[0] != bodies[1] && !matches!(case.expect, Expect::Differs { .. }) {
            wrong.push(format!(
                "requests differ: ours {:?}, v1's {:?}",
                bodies[0], bodies[1]
            ));
        }
        match case.expect {
            Expect::SameOutput => {
                if ours.code != Some(0) || theirs.code != Some(0) {
                    wrong.push(format!(
                        "exit codes {:?} and v1's {:?}",
                        ours.code, theirs.code
                    ));
                }
                if ours.stdout != theirs.stdout {
                    wrong.push(format!(
                        "stdout {:?}\n  v1's  {:?}",
                        ours.stdout, theirs.stdout
                    ));
                }
            }
            Expect::Differs {
                code,
                ours: ours_text,
                theirs: theirs_text,
            } => {
                let printed = if code == 0 {
                    &ours.stdout
                } else {
                    &ours.stderr
                };
                if ours.code != Some(code) || !printed.starts_with(ours_text) {
                    wrong.push(format!(
                        "ours exit {:?} (expected {code}), printing {printed:?}, expected it to start with {ours_text:?}",
                        ours.code
                    ));
                }
                if theirs.code != Some(255) || !theirs.stderr.starts_with(theirs_text) {
                    wrong.push(format!(
                        "v1's exit {:?} (expected 255), stderr {:?}, expected it to start with {theirs_text:?}",
                        theirs.code, theirs.stderr
                    ));
                }
            }
            Expect::SameError(code) | Expect::ErrorStartsWith(code) => {
                if ours.code != Some(code) || theirs.code != Some(255) {
                    wrong.push(format!(
                        "exit codes {:?} (expected {code}) and v1's {:?} (expected 255)",
                        ours.code, theirs.code
                    ));
                }
                let agree = if case.expect == Expect::SameError(code) {
                    ours.stderr == theirs.stderr
                } else {
                    ours.stderr
                        .starts_with(theirs.stderr.trim_end().trim_end_matches('.'))
                };
                if !agree {
                    wrong.push(format!(
                        "stderr {:?}\n  v1's  {:?}",
                        ours.stderr, theirs.stderr
                    ));
                }
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{}:\n  {}", case.name, wrong.join("\n  ")));
        }
    }
    failures
}

/// `get-workgroup`'s cases: a response with nested structures and lists in every format, a
/// query, the input forms, skeletons, and the service's and the client's errors.
fn workgroup_cases(url: &str) -> Vec<Case<'static>> {
    let op = "get-workgroup";
    let with = |extra: &[&str]| {
        let mut a = args(&[op, "--endpoint-url", url]);
        a.extend(args(extra));
        a
    };
    let ok = |name, extra: &[&str]| Case {
        name,
        args: with(extra),
        env: vec![],
        script: vec![fixed_response(WORKGROUP_BODY)],
        expect: Expect::SameOutput,
    };
    let error = |name, extra: &[&str], script: Vec<ScriptedFault>, expect| Case {
        name,
        args: with(extra),
        env: vec![("AWS_MAX_ATTEMPTS", "1")],
        script,
        expect,
    };
    let name = ["--workgroup-name", "analytics"];
    let and = |more: &[&'static str]| {
        let mut a = name.to_vec();
        a.extend_from_slice(more);
        a
    };
    vec![
        ok("get-workgroup json", &and(&["--output", "json"])),
        ok("get-workgroup text", &and(&["--output", "text"])),
        ok("get-workgroup table", &and(&["--output", "table"])),
        ok(
            "get-workgroup query endpoint, text",
            &and(&[
                "--query",
                "workgroup.endpoint.[address, port]",
                "--output",
                "text",
            ]),
        ),
        ok(
            "get-workgroup query endpoint, table",
            &and(&["--query", "workgroup.endpoint", "--output", "table"]),
        ),
        ok(
            "get-workgroup query a list of structures, text",
            &and(&["--query", "workgroup.configParameters", "--output", "text"]),
        ),
        ok(
            "get-workgroup query a multi-select list, json",
            &and(&[
                "--query",
                "workgroup.[workgroupName, baseCapacity, enhancedVpcRouting, creationDate]",
            ]),
        ),
        ok(
            "get-workgroup --cli-input-json",
            &[
                "--cli-input-json",
                r#"{"workgroupName":"analytics"}"#,
                "--output",
                "text",
            ],
        ),
        Case {
            name: "get-workgroup --generate-cli-skeleton",
            args: args(&[op, "--generate-cli-skeleton"]),
            env: vec![],
            script: vec![],
            expect: Expect::SameOutput,
        },
        // The AWS CLI validates its own stub against the model and refuses it
        // (pricePerformanceTarget.level 0 is under the minimum of 1); this CLI prints it.
        Case {
            name: "get-workgroup --generate-cli-skeleton output",
            args: args(&[
                op,
                "--generate-cli-skeleton",
                "output",
                "--workgroup-name",
                "default",
            ]),
            env: vec![],
            script: vec![],
            expect: Expect::Differs {
                code: 0,
                ours: "{\n    \"workgroup\": {\n        \"baseCapacity\": 0,",
                theirs: "\nParameter validation failed:\nInvalid value for parameter workgroup.pricePerformanceTarget.level, value: 0, valid min value: 1",
            },
        },
        error(
            "get-workgroup of an unknown workgroup",
            &["--workgroup-name", "no-such-wg"],
            vec![],
            Expect::SameError(254),
        ),
        error(
            "get-workgroup, a ValidationException from the service",
            &name,
            vec![ScriptedFault::once(error_fault(
                ErrorKind::ValidationException,
                "scripted message",
            ))],
            Expect::SameError(254),
        ),
        Case {
            name: "get-workgroup, retries exhausted",
            args: with(&name),
            env: vec![("AWS_MAX_ATTEMPTS", "2"), ("AWS_RETRY_MODE", "standard")],
            script: vec![ScriptedFault::times(
                error_fault(ErrorKind::InternalServerException, "still broken"),
                2,
            )],
            expect: Expect::SameError(254),
        },
        error(
            "get-workgroup, missing name",
            &["--cli-input-json", "{}"],
            vec![],
            Expect::SameError(252),
        ),
        error(
            "get-workgroup, missing name and unknown members",
            &["--cli-input-json", r#"{"bogus":1,"workgroupNames":["a"]}"#],
            vec![],
            Expect::SameError(252),
        ),
        error(
            "get-workgroup, a list for the name",
            &["--cli-input-json", r#"{"workgroupName":["default", 1, true, null]}"#],
            vec![],
            Expect::SameError(252),
        ),
        // botocore checks the minimum length alone, in its own words; this CLI checks every
        // constraint of the model, in the client's.
        error(
            "get-workgroup, a name too short",
            &["--workgroup-name", "ab"],
            vec![],
            Expect::Differs {
                code: 252,
                ours: "\nParameter validation failed with 1 violation (nothing was sent; --no-validate skips this check):\n  - workgroupName: length must be between 3 and 64 characters",
                theirs: "\nParameter validation failed:\nInvalid length for parameter workgroupName, value: 2, valid min length: 3",
            },
        ),
        // botocore does not check patterns: the service refuses the name.
        error(
            "get-workgroup, a name the model's pattern refuses",
            &["--workgroup-name", "Analytics_WG"],
            vec![],
            Expect::Differs {
                code: 252,
                ours: "\nParameter validation failed with 1 violation (nothing was sent; --no-validate skips this check):\n  - workgroupName: must match the pattern ^[a-z0-9-]+$",
                theirs: "\nAn error occurred (ValidationException) when calling the GetWorkgroup operation: 1 validation error detected: Value 'Analytics_WG' at 'workgroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9-]+$",
            },
        ),
    ]
}
