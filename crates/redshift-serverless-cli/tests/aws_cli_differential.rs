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
            // `.ci/run` sets CI=true and installs the AWS CLI: there, a missing one is a
            // broken run, not a skip.
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{AWS_CLI_VAR} is not set under CI=true: .ci/run installs the AWS CLI v1 and sets it"
            );
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

// ---------------------------------------------------------------------------------------
// Script idioms: the forms scripts copy from AWS documentation, one row each, counted.
// ---------------------------------------------------------------------------------------

/// What a script idiom is known to do in both programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
    /// Same standard output, same first line of standard error, same exit code (v1's 255
    /// standing for v2's 252, 253 and 254), same requests.
    Agrees,
    /// Both exit 0 and both print help naming this text; the help texts themselves differ
    /// (the AWS CLI's is a man page).
    BothHelp(&'static str),
    /// A difference the README lists (v2's behaviour, or this CLI's stricter checks).
    Deliberate(&'static str),
}

/// Idioms that still differ, each with the item of the issue that is to make it agree (issue
/// 25's are all fixed); an idiom listed here that agrees fails the test, so the list stays true.
const PENDING: &[(&str, u8)] = &[];

struct Idiom {
    name: &'static str,
    /// After the program (and, for the AWS CLI, `redshift-serverless`).
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// Variables the harness sets that this idiom takes away.
    unset: Vec<&'static str>,
    script: Vec<ScriptedFault>,
    known: Known,
}

/// One side's run, as the comparison sees it.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    code: Option<i32>,
    stdout: String,
    first_error_line: String,
    /// Method, path, signed or not, and the JSON body of each request that reached the emulator.
    requests: Vec<(String, String, bool, Option<serde_json::Value>)>,
}

/// Whether two runs agree: the documented exit-code difference aside, exactly.
fn idiom_agrees(ours: &Seen, theirs: &Seen, known: Known) -> bool {
    let codes = ours.code == theirs.code
        || (matches!(ours.code, Some(252..=254)) && theirs.code == Some(255));
    match known {
        Known::BothHelp(text) => {
            ours.code == Some(0)
                && theirs.code == Some(0)
                && ours.stdout.contains(text)
                && theirs.stdout.contains(text)
        }
        _ => {
            codes
                && ours.stdout == theirs.stdout
                && ours.first_error_line == theirs.first_error_line
                && ours.requests == theirs.requests
        }
    }
}

/// A `GetWorkgroup` response whose values hold a TAB and a newline.
const WORKGROUP_WITH_TAB: &str = r#"{"workgroup":{"workgroupName":"analytics","status":"AVAILABLE",
  "configParameters":[{"parameterKey":"search_path","parameterValue":"a\tb"},
  {"parameterKey":"query_group","parameterValue":"line one\nline two"}]}}"#;

/// `--query` errors are the `jmespath` crate's words, not jmespath.py's.
const JMESPATH_WORDS: Known =
    Known::Deliberate("a --query error is worded by the jmespath crate, not jmespath.py");

/// A bad retry setting is named with its variable and the values allowed.
const SETTING_WORDS: Known = Known::Deliberate(
    "a bad AWS_MAX_ATTEMPTS or AWS_RETRY_MODE is named, with the values allowed, in this CLI's words",
);

fn idioms(url: &str, dir: &std::path::Path) -> Vec<Idiom> {
    let token = "get-identity-center-auth-token";
    let wg = "get-workgroup";
    let file = |name: &str| format!("file://{}", dir.join(name).display());
    let fileb = |name: &str| format!("fileb://{}", dir.join(name).display());
    let t = |extra: &[&str]| {
        let mut a = args(&[token, "--endpoint-url", url, "--workgroup-names", "default"]);
        a.extend(args(extra));
        a
    };
    let w = |extra: &[&str]| {
        let mut a = args(&[wg, "--endpoint-url", url, "--workgroup-name", "analytics"]);
        a.extend(args(extra));
        a
    };
    let idiom = |name, args: Vec<String>, script: Vec<ScriptedFault>, known| Idiom {
        name,
        args,
        env: vec![],
        unset: vec![],
        script,
        known,
    };
    let tok = |name, extra: &[&str]| idiom(name, t(extra), vec![fixed()], Known::Agrees);
    let grp = |name, extra: &[&str]| {
        idiom(
            name,
            w(extra),
            vec![fixed_response(WORKGROUP_BODY)],
            Known::Agrees,
        )
    };
    let mut list = vec![
        // --query and the output formats, token.
        tok("token as text", &["--query", "token", "--output", "text"]),
        tok("expiration as text", &["--query", "expirationTime", "--output", "text"]),
        tok("whole response as text", &["--output", "text"]),
        tok("whole response as table", &["--output", "table"]),
        tok("whole response as json", &["--output", "json"]),
        tok("list of two, text", &["--query", "[token, expirationTime]", "--output", "text"]),
        tok("hash in written order, json", &["--query", "{t: token, e: expirationTime}"]),
        tok("hash, text", &["--query", "{t: token, e: expirationTime}", "--output", "text"]),
        tok("hash, table", &["--query", "{t: token, e: expirationTime}", "--output", "table"]),
        tok("legacy literals in join", &["--query", "join(`:`, [`a`,`b`])", "--output", "text"]),
        tok("legacy literal in contains", &["--query", "contains(token, `tok`)"]),
        tok("JSON literal in starts_with", &["--query", "starts_with(token, `\"tok\"`)"]),
        tok("raw string literal", &["--query", "starts_with(token, 'tok')", "--output", "text"]),
        tok("length of the token", &["--query", "length(token)"]),
        tok("pipe to length", &["--query", "token | length(@)", "--output", "text"]),
        tok("or with a default", &["--query", "nosuch || 'none'", "--output", "text"]),
        tok("missing key, text", &["--query", "nosuch", "--output", "text"]),
        tok("missing key, json", &["--query", "nosuch"]),
        tok("keys", &["--query", "keys(@)", "--output", "text"]),
        tok("sorted keys", &["--query", "sort(keys(@))"]),
        tok("values, text", &["--query", "values(@)", "--output", "text"]),
        tok("literal object in written order", &["--query", "`{\"b\": 1, \"a\": 2}`"]),
        tok("merge with a literal", &["--query", "merge(@, `{\"x\": 1}`)", "--output", "text"]),
        tok("to_string", &["--query", "to_string(expirationTime)", "--output", "text"]),
        tok("identity as table", &["--query", "@", "--output", "table"]),
        tok("--color off table", &["--output", "table", "--color", "off"]),
        tok("--no-paginate", &["--no-paginate", "--query", "token", "--output", "text"]),
        tok("--cli-read-timeout 0", &["--cli-read-timeout", "0", "--query", "token", "--output", "text"]),
        tok("--cli-connect-timeout 5", &["--cli-connect-timeout", "5", "--output", "text"]),
        tok("--region with --endpoint-url", &["--region", "us-west-2", "--output", "text"]),
        // get-workgroup's documented script forms.
        grp("endpoint address, text", &["--query", "workgroup.endpoint.address", "--output", "text"]),
        grp("endpoint address and port, text", &["--query", "workgroup.endpoint.[address,port]", "--output", "text"]),
        grp("whole workgroup, json", &["--query", "workgroup"]),
        grp("endpoint, json", &["--query", "workgroup.endpoint"]),
        grp("first VPC endpoint, json", &["--query", "workgroup.endpoint.vpcEndpoints[0]"]),
        grp("filter with a legacy literal", &["--query", "workgroup.configParameters[?parameterKey==`datestyle`].parameterValue", "--output", "text"]),
        grp("filter with a raw string", &["--query", "workgroup.configParameters[?parameterKey=='require_ssl'].parameterValue | [0]", "--output", "text"]),
        grp("filter with a JSON literal", &["--query", "workgroup.configParameters[?parameterKey==`\"datestyle\"`].parameterValue", "--output", "text"]),
        grp("hash of three, json", &["--query", "workgroup.{Name: workgroupName, Status: status, Port: port}"]),
        grp("hash of three, table", &["--query", "workgroup.{Name: workgroupName, Status: status, Port: port}", "--output", "table"]),
        grp("hash of two, text", &["--query", "workgroup.{Name: workgroupName, Status: status}", "--output", "text"]),
        grp("projection of hashes, json", &["--query", "workgroup.configParameters[].{Key: parameterKey, Value: parameterValue}"]),
        grp("status, text", &["--query", "workgroup.status", "--output", "text"]),
        grp("subnets, text", &["--query", "workgroup.subnetIds", "--output", "text"]),
        grp("first subnet, text", &["--query", "workgroup.subnetIds[0]", "--output", "text"]),
        grp("flattened private IPs, text", &["--query", "workgroup.endpoint.vpcEndpoints[].networkInterfaces[].privateIpAddress", "--output", "text"]),
        grp("pairs, text", &["--query", "workgroup.configParameters[*].[parameterKey,parameterValue]", "--output", "text"]),
        grp("list of structures, table", &["--query", "workgroup.configParameters", "--output", "table"]),
        grp("name and status, text", &["--query", "workgroup.[workgroupName, status]", "--output", "text"]),
        grp("comparison with a raw string", &["--query", "workgroup.status == 'AVAILABLE'"]),
        grp("comparison with a number literal", &["--query", "workgroup.baseCapacity > `16`"]),
        grp("length of a list", &["--query", "length(workgroup.subnetIds)"]),
        grp("sort_by, text", &["--query", "sort_by(workgroup.configParameters, &parameterKey)[].parameterKey", "--output", "text"]),
        grp("contains in a filter", &["--query", "workgroup.configParameters[?contains(parameterKey, 'ssl')].parameterValue", "--output", "text"]),
        grp("creation date, text", &["--query", "workgroup.creationDate", "--output", "text"]),
        grp("max_by", &["--query", "max_by(workgroup.configParameters, &parameterKey).parameterKey"]),
        grp("hash with a nested path, table", &["--query", "workgroup.{Name: workgroupName, Endpoint: endpoint.address}", "--output", "table"]),
        grp("price-performance target, text", &["--query", "workgroup.pricePerformanceTarget", "--output", "text"]),
        grp("whole response, text", &["--output", "text"]),
        grp("whole response, table", &["--output", "table"]),
        grp("JSON list literal in a filter", &["--query", "workgroup.configParameters[?contains(`[\"datestyle\", \"x\"]`, parameterKey)].parameterKey", "--output", "text"]),
        idiom("TAB and newline in values, text", w(&["--output", "text"]), vec![fixed_response(WORKGROUP_WITH_TAB)], Known::Agrees),
        idiom("TAB in a queried value, text", w(&["--query", "workgroup.configParameters[0].parameterValue", "--output", "text"]), vec![fixed_response(WORKGROUP_WITH_TAB)], Known::Agrees),
        // Input forms.
        tok("two names", &["--workgroup-names", "default", "analytics", "--output", "text"]),
        tok("names as a JSON list", &["--workgroup-names", r#"["default","analytics"]"#, "--output", "text"]),
        idiom("names from file://", args(&[token, "--endpoint-url", url, "--workgroup-names", &file("names.json"), "--output", "text"]), vec![fixed()], Known::Agrees),
        idiom("names from a missing file://", args(&[token, "--endpoint-url", url, "--workgroup-names", &file("missing.json")]), vec![], Known::Agrees),
        idiom("name from file://", args(&[wg, "--endpoint-url", url, "--workgroup-name", &file("name.txt"), "--query", "workgroup.status", "--output", "text"]), vec![fixed_response(WORKGROUP_BODY)], Known::Agrees),
        idiom("name from fileb://", args(&[wg, "--endpoint-url", url, "--workgroup-name", &fileb("name.txt")]), vec![], Known::Agrees),
        idiom("--cli-input-json file://", args(&[token, "--endpoint-url", url, "--cli-input-json", &file("input.json"), "--output", "text"]), vec![fixed()], Known::Agrees),
        idiom("--cli-input-json literal", args(&[wg, "--endpoint-url", url, "--cli-input-json", r#"{"workgroupName":"analytics"}"#, "--query", "workgroup.status"]), vec![fixed_response(WORKGROUP_BODY)], Known::Agrees),
        idiom("--generate-cli-skeleton", args(&[token, "--generate-cli-skeleton"]), vec![], Known::Agrees),
        idiom("get-workgroup --generate-cli-skeleton input", args(&[wg, "--generate-cli-skeleton", "input"]), vec![], Known::Agrees),
        // Help.
        idiom("operation help", args(&[token, "help"]), vec![], Known::BothHelp("get-identity-center-auth-token")),
        idiom("get-workgroup help", args(&[wg, "help"]), vec![], Known::BothHelp("get-workgroup")),
        // Errors.
        idiom("unknown workgroup", args(&[wg, "--endpoint-url", url, "--workgroup-name", "no-such-wg"]), vec![], Known::Agrees),
        idiom("unknown workgroup for a token", args(&[token, "--endpoint-url", url, "--workgroup-names", "no-such-wg"]), vec![], Known::Agrees),
        idiom("bad --query", t(&["--query", "token["]), vec![fixed()], JMESPATH_WORDS),
        idiom("function on the wrong type", t(&["--query", "length(`1`)"]), vec![fixed()], JMESPATH_WORDS),
        idiom("a name too short", args(&[wg, "--endpoint-url", url, "--workgroup-name", "ab"]), vec![], Known::Deliberate("every constraint of the model is checked before sending, in the client's words")),
        // --no-sign-request: sent unsigned (the emulator's scripted answer comes first).
        tok("--no-sign-request", &["--no-sign-request", "--query", "token", "--output", "text"]),
        // An endpoint URL with a path, and with a trailing slash.
        idiom("--endpoint-url with a path", args(&[token, "--endpoint-url", &format!("{url}/some/path"), "--workgroup-names", "default", "--output", "text"]), vec![fixed()], Known::Agrees),
        idiom("--endpoint-url with a path and a slash", args(&[token, "--endpoint-url", &format!("{url}/some/path/"), "--workgroup-names", "default", "--output", "text"]), vec![fixed()], Known::Agrees),
        idiom("--endpoint-url with a slash", args(&[token, "--endpoint-url", &format!("{url}/"), "--workgroup-names", "default", "--output", "text"]), vec![fixed()], Known::Agrees),
    ];
    // Settings from the environment and the profile.
    let bare_token = |extra: &[&str]| {
        let mut a = args(&[token, "--workgroup-names", "default"]);
        a.extend(args(extra));
        a
    };
    let with_env = |name,
                    args: Vec<String>,
                    env: Vec<(&'static str, String)>,
                    unset: Vec<&'static str>,
                    script: Vec<ScriptedFault>,
                    known| Idiom {
        name,
        args,
        env,
        unset,
        script,
        known,
    };
    list.extend([
        with_env(
            "AWS_DEFAULT_OUTPUT=text",
            t(&[]),
            vec![("AWS_DEFAULT_OUTPUT", "text".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_DEFAULT_OUTPUT=table",
            t(&[]),
            vec![("AWS_DEFAULT_OUTPUT", "table".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "--output over AWS_DEFAULT_OUTPUT",
            t(&["--output", "json"]),
            vec![("AWS_DEFAULT_OUTPUT", "text".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "--profile with output = table",
            t(&["--profile", "tabular"]),
            vec![],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_PROFILE with output = text",
            t(&[]),
            vec![("AWS_PROFILE", "texty".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_DEFAULT_REGION alone",
            t(&["--output", "text"]),
            vec![("AWS_DEFAULT_REGION", "us-east-1".into())],
            vec!["AWS_REGION"],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "credentials from the credentials file",
            t(&["--profile", "keyed", "--output", "text"]),
            vec![],
            vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_ENDPOINT_URL",
            bare_token(&["--output", "text"]),
            vec![("AWS_ENDPOINT_URL", url.to_owned())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS",
            bare_token(&["--output", "text"]),
            vec![("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", url.to_owned())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "endpoint_url in the profile",
            bare_token(&["--profile", "local", "--output", "text"]),
            vec![],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_MAX_ATTEMPTS=1 and a service error",
            t(&[]),
            vec![("AWS_MAX_ATTEMPTS", "1".into())],
            vec![],
            vec![ScriptedFault::once(error_fault(
                ErrorKind::InternalServerException,
                "broken",
            ))],
            Known::Agrees,
        ),
        with_env(
            "AWS_MAX_ATTEMPTS=3, two failures then success",
            t(&["--output", "text"]),
            vec![
                ("AWS_MAX_ATTEMPTS", "3".into()),
                ("AWS_RETRY_MODE", "standard".into()),
            ],
            vec![],
            vec![
                ScriptedFault::times(error_fault(ErrorKind::InternalServerException, "broken"), 2),
                fixed(),
            ],
            Known::Agrees,
        ),
        with_env(
            "AWS_RETRY_MODE=legacy",
            t(&["--output", "text"]),
            vec![("AWS_RETRY_MODE", "legacy".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_RETRY_MODE=adaptive",
            t(&["--output", "text"]),
            vec![("AWS_RETRY_MODE", "adaptive".into())],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "retry_mode = legacy in the profile",
            t(&["--profile", "legacy", "--output", "text"]),
            vec![],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
        with_env(
            "AWS_RETRY_MODE=bogus",
            t(&[]),
            vec![("AWS_RETRY_MODE", "bogus".into())],
            vec![],
            vec![],
            SETTING_WORDS,
        ),
        with_env(
            "AWS_MAX_ATTEMPTS=0",
            t(&[]),
            vec![("AWS_MAX_ATTEMPTS", "0".into())],
            vec![],
            vec![],
            SETTING_WORDS,
        ),
        with_env(
            "AWS_MAX_ATTEMPTS=abc",
            t(&[]),
            vec![("AWS_MAX_ATTEMPTS", "abc".into())],
            vec![],
            vec![],
            SETTING_WORDS,
        ),
        with_env(
            "cli_timestamp_format = none",
            t(&["--output", "text"]),
            vec![(
                "AWS_CONFIG_FILE",
                dir.join("config-wire").display().to_string(),
            )],
            vec![],
            vec![fixed()],
            Known::Agrees,
        ),
    ]);
    list
}

#[test]
fn script_idioms_agree_with_the_aws_cli_v1() {
    let Some(aws) = aws_cli() else {
        return;
    };
    let results: Vec<(String, Known, bool, String)> = std::thread::scope(|scope| {
        let halves: Vec<_> = (0..2)
            .map(|part| {
                let aws = aws.as_str();
                scope.spawn(move || compare_idioms(aws, part))
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("a half of the idioms panicked"))
            .collect()
    });
    let agreeing = results.iter().filter(|r| r.2).count();
    let mut report = format!(
        "script idioms: {agreeing} of {} agree with the AWS CLI v1\n",
        results.len()
    );
    let mut wrong = Vec::new();
    for (name, known, agrees, detail) in &results {
        let expected = !matches!(known, Known::Deliberate(_))
            && !PENDING.iter().any(|(pending, _)| pending == name);
        if !agrees {
            let pending = PENDING.iter().find(|(pending, _)| pending == name);
            match pending {
                Some((_, item)) => {
                    report.push_str(&format!("  differs: {name} (issue 25, item {item})\n"))
                }
                None => report.push_str(&format!("  differs: {name} ({known:?})\n")),
            }
        }
        if *agrees != expected {
            wrong.push(format!(
                "{name}: expected to {}, but it {}\n{detail}",
                if expected { "agree" } else { "differ" },
                if *agrees { "agrees" } else { "differs" }
            ));
        }
    }
    let _ = write!(std::io::stderr(), "{report}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn compare_idioms(aws: &str, part: usize) -> Vec<(String, Known, bool, String)> {
    let h = Harness::new();
    let home = h.home();
    let url = h.url();
    let common = "region = us-east-1\ncli_timestamp_format = iso8601\n";
    std::fs::write(
        home.join("config"),
        format!(
            "[default]\n{common}\
             [profile tabular]\n{common}output = table\n\
             [profile texty]\n{common}output = text\n\
             [profile keyed]\n{common}\
             [profile legacy]\n{common}retry_mode = legacy\n\
             [profile local]\n{common}endpoint_url = {url}\n"
        ),
    )
    .expect("config");
    std::fs::write(
        home.join("config-wire"),
        "[default]\nregion = us-east-1\ncli_timestamp_format = none\n",
    )
    .expect("config");
    let keys = format!(
        "aws_access_key_id = {}\naws_secret_access_key = {}\n",
        redshift_serverless_emulator::DEMO_ACCESS_KEY_ID,
        redshift_serverless_emulator::DEMO_SECRET_ACCESS_KEY
    );
    let credentials: String = ["keyed", "tabular", "local", "legacy"]
        .iter()
        .map(|profile| format!("[{profile}]\n{keys}"))
        .collect();
    std::fs::write(home.join("credentials"), credentials).expect("credentials");
    std::fs::write(home.join("names.json"), r#"["default", "analytics"]"#).expect("file");
    std::fs::write(home.join("name.txt"), "analytics").expect("file");
    std::fs::write(
        home.join("input.json"),
        r#"{"workgroupNames": ["default"]}"#,
    )
    .expect("file");

    let mut results = Vec::new();
    for idiom in idioms(&url, &home).into_iter().skip(part).step_by(2) {
        let mut seen = Vec::new();
        for (program, service) in [(bin(), None), (aws.to_owned(), Some("redshift-serverless"))] {
            h.emulator.reset();
            h.script(idiom.script.clone());
            let mut command = h.with_demo_credentials(h.bare(&program));
            command
                .env("PYTHONIOENCODING", "utf-8")
                .env("AWS_PAGER", "");
            // The AWS CLI's help runs groff or mandoc, found on the PATH.
            if let Some(path) = std::env::var_os("PATH") {
                command.env("PATH", path);
            }
            for (k, v) in &idiom.env {
                command.env(k, v);
            }
            for k in &idiom.unset {
                command.env_remove(k);
            }
            let out = run(command.args(service).args(&idiom.args));
            let requests = h
                .emulator
                .requests()
                .iter()
                .map(|r| {
                    (
                        r.method.clone(),
                        r.path.clone(),
                        r.headers.iter().any(|(k, _)| k == "authorization"),
                        serde_json::from_slice::<serde_json::Value>(&r.body).ok(),
                    )
                })
                .collect();
            seen.push(Seen {
                code: out.code,
                stdout: out.stdout,
                first_error_line: out
                    .stderr
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default()
                    .to_owned(),
                requests,
            });
        }
        let agrees = idiom_agrees(&seen[0], &seen[1], idiom.known);
        let detail = format!("  ours: {:?}\n  v1's: {:?}", seen[0], seen[1]);
        results.push((idiom.name.to_owned(), idiom.known, agrees, detail));
    }
    results
}
