//! Bad inputs and closed or full outputs, one table and one driver: the exit code is never
//! 101 (a panic), it is the one each case expects, and whatever standard error still
//! receives says what was wrong.
//!
//! `REDSHIFT_SERVERLESS_CLI_UNDER_TEST=/path/to/old/redshift-serverless cargo test -p
//! redshift-serverless-cli --test robustness` runs the same table against another build.

mod common;

use std::fs::File;
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use redshift_serverless_emulator::{ErrorKind, Fault, ScriptedFault};

/// Where a stream of the child goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Captured.
    Pipe,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A pipe whose reading end is closed before the child starts: every write fails with
    /// EPIPE, however fast the child is.
    Closed,
}

struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    script: Vec<ScriptedFault>,
    stdout: Sink,
    stderr: Sink,
    code: i32,
    /// Each must appear on standard error (when it is a pipe).
    says: Vec<&'static str>,
    /// Must be one whole line of standard error (when it is a pipe).
    line: Option<&'static str>,
    /// Must appear on standard output (when it is a pipe).
    prints: Option<&'static str>,
}

fn custom(status: u16, content_type: &str, body: &str) -> ScriptedFault {
    let mut headers = std::collections::BTreeMap::new();
    if !content_type.is_empty() {
        headers.insert("content-type".to_owned(), content_type.to_owned());
    }
    ScriptedFault::times(
        Fault::Custom {
            status,
            headers,
            body: body.to_owned(),
        },
        5,
    )
}

/// A response with these headers and body, answered five times.
fn custom_with(status: u16, headers: &[(&str, &str)], body: &str) -> ScriptedFault {
    ScriptedFault::times(
        Fault::Custom {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        },
        5,
    )
}

/// A server that reads each request (head and `content-length` body) and answers it with
/// `response`, raw bytes, then closes: for responses the emulator cannot produce.
fn raw_server(response: Vec<u8>) -> String {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    // The accept loop lives as long as the test process; that is fine for a test.
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            let head_end = loop {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break None,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
                if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(at + 4);
                }
            };
            let Some(head_end) = head_end else { continue };
            let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while request.len() < head_end + length {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(&response);
        }
    });
    url
}

fn spawn(cmd: &mut Command, stdout: Sink, stderr: Sink) -> (Option<i32>, String, String, Duration) {
    let sink = |s: Sink| match s {
        Sink::Pipe => Stdio::piped(),
        Sink::Full => Stdio::from(
            File::options()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        ),
        Sink::Closed => {
            // The reading end is dropped here, before the child exists, so the child's
            // first write fails whatever the scheduling (dropping it after the spawn let a
            // quick child finish writing first).
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            Stdio::from(writer)
        }
    };
    let start = Instant::now();
    let mut child = cmd
        .stdout(sink(stdout))
        .stderr(sink(stderr))
        .spawn()
        .expect("spawn");
    let reader = |pipe: Option<Box<dyn Read + Send>>, sink: Sink| {
        let pipe = if sink == Sink::Pipe { pipe } else { None };
        thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut s);
            }
            s
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        stdout,
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        stderr,
    );
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            // Reported by the caller as too slow; the run goes on to the next case.
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    (
        status.code(),
        out.join().expect("stdout"),
        err.join().expect("stderr"),
        elapsed,
    )
}

#[test]
fn no_input_and_no_output_state_makes_it_panic() {
    let h = Harness::new();
    let token_body =
        r#"{"token":"tok\u001b]0;owned\u0007\nnext","expirationTime":"2026-11-28T05:00:00Z"}"#;
    let names = |extra: &[&str]| h.token_args(&["default"], extra);
    let text = ["--query", "token", "--output", "text"];
    let deep = |open: &str, close: &str| {
        names(&[
            "--query",
            &format!("{}token{}", open.repeat(10_000), close.repeat(10_000)),
        ])
    };
    let too_deep = vec!["nests", "levels deep", "at most 100 are supported"];
    // Local files: a 3 MiB file of NUL bytes (under the size limit, not JSON), a 5 MiB
    // config file (over it), and a credentials file with a malformed line 3.
    let files = tempfile::tempdir().expect("temp dir");
    let leak = |path: std::path::PathBuf| -> &'static str {
        Box::leak(path.to_string_lossy().into_owned().into_boxed_str())
    };
    let nul_json = leak(files.path().join("nul.json"));
    std::fs::write(nul_json, vec![0u8; 3 << 20]).expect("write");
    let nul_json_arg = format!("file://{nul_json}");
    let big_config = leak(files.path().join("config"));
    std::fs::write(
        big_config,
        "[default]\nregion = us-east-1\n".repeat((5 << 20) / 30),
    )
    .expect("write");
    let bad_credentials = leak(files.path().join("credentials"));
    std::fs::write(
        bad_credentials,
        "[default]\naws_access_key_id = AKID\nthis line is not a setting\n",
    )
    .expect("write");
    // A credential_process that fails, retitling the terminal on its standard error.
    let process_config = leak(files.path().join("process-config"));
    std::fs::write(
        process_config,
        "[profile p]\ncredential_process = sh -c \"printf '\\033]0;owned\\007boom' >&2; exit 1\"\n",
    )
    .expect("write");
    let json = "application/x-amz-json-1.1";
    let mut big_head = b"HTTP/1.1 200 OK\r\nx-big: ".to_vec();
    big_head.extend(std::iter::repeat_n(b'a', 2 << 20));
    big_head.extend_from_slice(b"\r\ncontent-length: 2\r\n\r\n{}");
    let big_head_url = raw_server(big_head);
    let bad_header_url = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent\x01type: x\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
    );
    let via = |url: &str, extra: &[&str]| {
        let mut args = names(&["--endpoint-url", url, "--max-attempts", "1"]);
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        args
    };
    let wg = |extra: &[&str]| h.workgroup_args(Some("default"), extra);
    let hostile_workgroup = r#"{"workgroup":{"workgroupName":"\u202eexe.txt\u001b]0;owned\u0007","endpoint":{"address":"evil\u001b[2J.example.com","port":5439},"configParameters":[{"parameterKey":"k\tk","parameterValue":"v\nv"}]}}"#;
    let many_parameters = format!(
        r#"{{"workgroup":{{"workgroupName":"default","configParameters":[{}]}}}}"#,
        (0..15_000)
            .map(|i| format!(r#"{{"parameterKey":"key-{i}","parameterValue":"value-{i}"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let bad_credentials_says: &'static str = Box::leak(
        format!(
            "error parsing {bad_credentials} on line 3: Expected an '=' sign defining a property"
        )
        .into_boxed_str(),
    );
    let cases = vec![
        Case {
            name: "token to a full disk (>/dev/full)",
            args: names(&text), env: vec![], script: vec![],
            stdout: Sink::Full, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not write the output to standard output: No space left on device"], line: None, prints: None,
        },
        Case {
            name: "token to a closed pipe (| head -c0)",
            args: names(&text), env: vec![], script: vec![],
            stdout: Sink::Closed, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not write the output to standard output: Broken pipe"], line: None, prints: None,
        },
        Case {
            name: "service error, stderr full (2>/dev/full)",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::once(error_fault(ErrorKind::ValidationException, "no"))],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 254, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "service error, stderr closed",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::once(error_fault(ErrorKind::ValidationException, "no"))],
            stdout: Sink::Pipe, stderr: Sink::Closed, code: 254, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "--debug, stderr closed (--debug 2>&1 | head -1)",
            args: names(&["--debug", "--output", "off"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Closed, code: 0, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "--debug, stderr full",
            args: names(&["--debug", "--output", "off"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 0, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "--debug, both closed",
            args: names(&["--debug"]), env: vec![], script: vec![],
            stdout: Sink::Closed, stderr: Sink::Closed, code: 255, says: vec![], line: None, prints: None,
        },
        Case {
            name: "empty --endpoint-url",
            args: names(&["--endpoint-url", ""]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec!["Bad value for --endpoint-url \"\": scheme is missing"], line: None, prints: Some(""),
        },
        Case {
            name: "empty --endpoint-url, stderr full",
            args: names(&["--endpoint-url", ""]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 252, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "--max-attempts 4294967295",
            args: names(&["--max-attempts", "4294967295"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec!["--max-attempts", "4294967295 is not in 1..=100"], line: None, prints: Some(""),
        },
        Case {
            name: "AWS_MAX_ATTEMPTS=4294967295",
            args: names(&[]), env: vec![("AWS_MAX_ATTEMPTS", "4294967295")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["AWS_MAX_ATTEMPTS", "from 1 to 100"], line: None, prints: Some(""),
        },
        Case {
            name: "usage error, stderr full",
            args: vec!["--bogus".into()], env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 252, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "--help to a full disk",
            args: vec!["--help".into()], env: vec![], script: vec![],
            stdout: Sink::Full, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not write the output to standard output"], line: None, prints: None,
        },
        Case {
            name: "--help to a closed pipe",
            args: vec!["--help".into()], env: vec![], script: vec![],
            stdout: Sink::Closed, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not write the output to standard output: Broken pipe"], line: None, prints: None,
        },
        Case {
            name: "--profile nosuch with environment credentials",
            args: names(&["--profile", "nosuch"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["The config profile (nosuch) could not be found"], line: None, prints: Some(""),
        },
        Case {
            name: "AWS_PROFILE=nosuch, stderr full",
            args: names(&[]), env: vec![("AWS_PROFILE", "nosuch")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 253, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "control characters in a service message",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::once(error_fault(ErrorKind::ValidationException, "bad\u{1b}[2J\nnext\u{9b}"))],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec!["operation: bad\\u{1b}[2J\\nnext\\u{9b}\n"], line: None, prints: Some(""),
        },
        Case {
            name: "control characters in the token, text",
            args: names(&text), env: vec![],
            script: vec![custom(200, "application/x-amz-json-1.1", token_body)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None,
            prints: Some("tok\\u{1b}]0;owned\\u{7}\nnext\n"),
        },
        Case {
            name: "control characters in the token, json stays JSON",
            args: names(&["--query", "token"]), env: vec![],
            script: vec![custom(200, "application/x-amz-json-1.1", token_body)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None,
            prints: Some("\"tok\\u001b]0;owned\\u0007\\nnext\"\n"),
        },
        Case {
            name: "a 200 with an HTML body",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![custom(200, "text/html", "<html>maintenance</html>")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec![], line: Some(
                "Could not read the response (HTTP 200 OK, content type text/html, 24 bytes): the body is not a GetIdentityCenterAuthTokenOutput: Error at offset 0: unexpected token '<'. Expected one of '{', '[', '\"', 'null', 'true', 'false', <number>",
            ), prints: Some(""),
        },
        Case {
            name: "a 200 whose body is not JSON",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![custom(200, "application/x-amz-json-1.1", "Service maintenance")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec![], line: Some(
                "Could not read the response (HTTP 200 OK, content type application/x-amz-json-1.1, 19 bytes): the body is not a GetIdentityCenterAuthTokenOutput: Error at offset 0: unexpected token 'S'. Expected one of '{', '[', '\"', 'null', 'true', 'false', <number>",
            ), prints: Some(""),
        },
        Case {
            name: "a 200 whose expirationTime is a number",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![custom(200, "application/x-amz-json-1.1", r#"{"token":"t","expirationTime":1795842000}"#)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec![], line: Some(
                "Could not read the response (HTTP 200 OK, content type application/x-amz-json-1.1, 41 bytes): the body is not a GetIdentityCenterAuthTokenOutput: could not read member `expirationTime` of GetIdentityCenterAuthTokenOutput (expected a date-time string): expected ValueString or ValueNull",
            ),
            prints: Some(""),
        },
        Case {
            name: "a bare 503",
            args: names(&["--max-attempts", "2"]), env: vec![],
            script: vec![custom(503, "", "")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec![], line: Some(
                "An error occurred (503) when calling the GetIdentityCenterAuthToken operation (reached max retries: 1): Service Unavailable",
            ),
            prints: Some(""),
        },
        Case {
            name: "a bare 400",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![custom(400, "", "")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec!["An error occurred (400) when calling the GetIdentityCenterAuthToken operation: Bad Request"], line: None,
            prints: Some(""),
        },
        Case {
            name: "--region naming a host (x@127.0.0.1:1#)",
            args: names(&["--region", "x@127.0.0.1:1#"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec![], line: Some("Provided region_name 'x@127.0.0.1:1#' doesn't match a supported format."),
            prints: Some(""),
        },
        Case {
            name: "AWS_REGION with a control sequence",
            args: names(&[]), env: vec![("AWS_REGION", "us-east-1\u{1b}[2J")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec![], line: Some("Provided region_name 'us-east-1\\u{1b}[2J' doesn't match a supported format."),
            prints: Some(""),
        },
        Case {
            name: "--query with 10000 `!`",
            args: deep("!", ""), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: too_deep.clone(), line: None, prints: Some(""),
        },
        Case {
            name: "--query with 10000 `[`",
            args: deep("[", "]"), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: too_deep.clone(), line: None, prints: Some(""),
        },
        Case {
            name: "--query with 10000 `(`",
            args: deep("(", ")"), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: too_deep.clone(), line: None, prints: Some(""),
        },
        Case {
            name: "--query with 10000 `{a:`",
            args: deep("{a:", "}"), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: too_deep.clone(), line: None, prints: Some(""),
        },
        Case {
            name: "--query chaining 20000 `.a`",
            args: deep("a.", ""), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: too_deep.clone(), line: None, prints: Some(""),
        },
        Case {
            name: "AWS_CONFIG_FILE=/dev/zero",
            args: names(&[]), env: vec![("AWS_CONFIG_FILE", "/dev/zero")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec![], line: Some("Could not read the shared config file /dev/zero (from AWS_CONFIG_FILE): it is larger than 4 MiB (4194304 bytes), the most this command reads"),
            prints: Some(""),
        },
        Case {
            name: "AWS_SHARED_CREDENTIALS_FILE=/dev/zero",
            args: names(&[]), env: vec![("AWS_SHARED_CREDENTIALS_FILE", "/dev/zero")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["Could not read the shared credentials file /dev/zero (from AWS_SHARED_CREDENTIALS_FILE): it is larger than 4 MiB"],
            line: None, prints: Some(""),
        },
        Case {
            name: "a 5 MiB config file",
            args: names(&[]), env: vec![("AWS_CONFIG_FILE", big_config)], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["Could not read the shared config file", "it is larger than 4 MiB"], line: None,
            prints: Some(""),
        },
        Case {
            name: "a credentials file with a malformed line",
            args: names(&[]), env: vec![("AWS_SHARED_CREDENTIALS_FILE", bad_credentials)], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["Unable to read the shared config and credentials files: ", bad_credentials_says],
            line: None, prints: Some(""),
        },
        Case {
            name: "--ca-bundle /dev/zero",
            args: names(&["--ca-bundle", "/dev/zero"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec![], line: Some("Could not read the CA bundle /dev/zero (from --ca-bundle): it is larger than 4 MiB (4194304 bytes), the most this command reads"),
            prints: Some(""),
        },
        Case {
            name: "--cli-input-json file:///dev/zero",
            args: h.token_args(&[], &["--cli-input-json", "file:///dev/zero"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec![], line: Some("Error parsing parameter '--cli-input-json': Unable to load paramfile file:///dev/zero: it is larger than 4 MiB (4194304 bytes), the most this command reads"),
            prints: Some(""),
        },
        Case {
            name: "--cli-input-json of 3 MiB of NUL bytes",
            args: h.token_args(&[], &["--cli-input-json", &nul_json_arg]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec!["Invalid JSON: ", "JSON received: \\u{0}\\u{0}", "... (3145728 characters)"], line: None,
            prints: Some(""),
        },
        Case {
            name: "--debug, an error code with a control sequence in the body",
            args: names(&["--debug", "--max-attempts", "1"]), env: vec![],
            script: vec![custom_with(400, &[("content-type", json)], "{\"__type\":\"Validation\\u001b[2JException\",\"message\":\"m\"}")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec!["An error occurred (Validation\\u{1b}[2JException)"], line: None, prints: Some(""),
        },
        Case {
            name: "--debug, a C1 control in x-amzn-ErrorType",
            args: names(&["--debug", "--max-attempts", "1"]), env: vec![],
            script: vec![custom_with(400, &[("content-type", json), ("x-amzn-errortype", "Bad\u{9b}2JCode")], "{}")],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec!["An error occurred (Bad\\u{9b}2JCode)"], line: None, prints: Some(""),
        },
        Case {
            name: "a bidi override and U+2028 in a service message",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::once(error_fault(ErrorKind::ValidationException, "ok\u{202e}txt.exe\u{2028}next"))],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 254,
            says: vec!["operation: ok\\u{202e}txt.exe\\u{2028}next\n"], line: None, prints: Some(""),
        },
        Case {
            name: "a credential_process that writes a control sequence to stderr",
            args: names(&["--profile", "p"]), env: vec![("AWS_CONFIG_FILE", process_config)], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["Unable to locate credentials", "\\u{1b}]0;owned\\u{7}boom"], line: None, prints: Some(""),
        },
        Case {
            name: "a password in --endpoint-url, nothing listening",
            args: names(&["--endpoint-url", "http://user:s3cr3tpw@127.0.0.1:1/", "--max-attempts", "1"]),
            env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["\"http://****@127.0.0.1:1/\""], line: None, prints: Some(""),
        },
        Case {
            name: "a password in --endpoint-url, --debug",
            args: names(&["--endpoint-url", "http://user:s3cr3tpw@127.0.0.1:1/", "--max-attempts", "1", "--debug"]),
            env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["endpoint=\"http://****@127.0.0.1:1/\""], line: None, prints: Some(""),
        },
        Case {
            name: "a password in a malformed --endpoint-url",
            args: names(&["--endpoint-url", "http://user:s3cr3tpw@127.0.0.1:99999/"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec!["Bad value for --endpoint-url \"http://****@127.0.0.1:99999/\""], line: None, prints: Some(""),
        },
        Case {
            name: "a password in a malformed AWS_ENDPOINT_URL",
            args: h.token_args(&["default"], &[]).into_iter().filter(|a| !a.starts_with("--endpoint-url") && !a.starts_with("http://127.0.0.1")).collect(),
            env: vec![("AWS_ENDPOINT_URL", "http://user:s3cr3tpw@:80")], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 253,
            says: vec!["Bad value for AWS_ENDPOINT_URL \"http://****@:80\""], line: None, prints: Some(""),
        },
        Case {
            name: "a response head larger than the HTTP client reads",
            args: via(&big_head_url, &[]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["Received an invalid HTTP response from endpoint URL", "message head is too large"], line: None,
            prints: Some(""),
        },
        Case {
            name: "a response with a control character in a header name",
            args: via(&bad_header_url, &[]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["Received an invalid HTTP response from endpoint URL", "invalid HTTP header parsed"], line: None,
            prints: Some(""),
        },
        Case {
            name: "a connection closed before any response",
            args: names(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::times(Fault::ConnectionReset, 5)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["Connection was closed before we received a valid response from endpoint URL"], line: None,
            prints: Some(""),
        },
        Case {
            name: "nothing listening",
            args: via("http://127.0.0.1:1", &[]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not connect to the endpoint URL: \"http://127.0.0.1:1/\""], line: None,
            prints: Some(""),
        },
        Case {
            name: "an expirationTime in year 0",
            args: names(&["--query", "expirationTime", "--output", "text"]), env: vec![],
            script: vec![custom(200, json, r#"{"token":"t","expirationTime":"0000-01-01T00:00:00Z"}"#)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None,
            prints: Some("0000-01-01T00:00:00+00:00\n"),
        },
        Case {
            name: "get-workgroup to a closed pipe",
            args: wg(&[]), env: vec![], script: vec![],
            stdout: Sink::Closed, stderr: Sink::Pipe, code: 255,
            says: vec!["Could not write the output to standard output: Broken pipe"], line: None, prints: None,
        },
        Case {
            name: "get-workgroup, a port that is not a number",
            args: wg(&["--max-attempts", "1"]), env: vec![],
            script: vec![custom(200, json, r#"{"workgroup":{"workgroupName":"default","port":"5439"}}"#)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 255,
            says: vec![
                "Could not read the response (HTTP 200 OK, content type application/x-amz-json-1.1, 55 bytes): the body is not a GetWorkgroupOutput: ",
                "port",
            ],
            line: None, prints: Some(""),
        },
        Case {
            name: "get-workgroup, control characters in nested members, text",
            args: wg(&["--output", "text"]), env: vec![],
            script: vec![custom(200, json, hostile_workgroup)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None,
            prints: Some("WORKGROUP\t\\u{202e}exe.txt\\u{1b}]0;owned\\u{7}\nCONFIGPARAMETERS\tk\tk\tv\nv\nENDPOINT\tevil\\u{1b}[2J.example.com\t5439\n"),
        },
        Case {
            name: "get-workgroup, control characters in nested members, table",
            args: wg(&["--output", "table"]), env: vec![],
            script: vec![custom(200, json, hostile_workgroup)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None, prints: None,
        },
        Case {
            name: "get-workgroup, control characters in nested members, yaml",
            args: wg(&["--output", "yaml"]), env: vec![],
            script: vec![custom(200, json, hostile_workgroup)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None, prints: None,
        },
        Case {
            name: "get-workgroup, 15000 config parameters (under the 1 MiB response limit), table",
            args: wg(&["--output", "table"]), env: vec![],
            script: vec![custom(200, json, &many_parameters)],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 0, says: vec![], line: None, prints: None,
        },
        Case {
            name: "get-workgroup, a control sequence in the name",
            args: h.workgroup_args(Some("wg\u{1b}[2J"), &[]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec!["workgroupName: must match the pattern ^[a-z0-9-]+$; got \"wg\\u{1b}[2J\""], line: None, prints: Some(""),
        },
        Case {
            name: "get-workgroup, --cli-input-yaml file:///dev/zero",
            args: h.workgroup_args(None, &["--cli-input-yaml", "file:///dev/zero"]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Pipe, code: 252,
            says: vec![], line: Some("Error parsing parameter '--cli-input-yaml': Unable to load paramfile file:///dev/zero: it is larger than 4 MiB (4194304 bytes), the most this command reads"),
            prints: Some(""),
        },
        Case {
            name: "get-workgroup, a service error to a full stderr",
            args: wg(&["--max-attempts", "1"]), env: vec![],
            script: vec![ScriptedFault::once(error_fault(ErrorKind::ResourceNotFoundException, "gone"))],
            stdout: Sink::Pipe, stderr: Sink::Full, code: 254, says: vec![], line: None, prints: Some(""),
        },
        Case {
            name: "bad --query, stderr closed",
            args: names(&["--query", "tok["]), env: vec![], script: vec![],
            stdout: Sink::Pipe, stderr: Sink::Closed, code: 252, says: vec![], line: None, prints: Some(""),
        },
    ];
    let mut failures = Vec::new();
    for case in cases {
        h.emulator.reset();
        h.script(case.script.clone());
        let mut cmd = h.cli();
        for (k, v) in &case.env {
            cmd.env(k, v);
        }
        let (code, stdout, stderr, elapsed) = spawn(cmd.args(&case.args), case.stdout, case.stderr);
        let mut wrong = Vec::new();
        if code == Some(101) {
            wrong.push("panicked (exit 101)".to_owned());
        }
        if code != Some(case.code) {
            wrong.push(format!("exit {code:?}, expected {}", case.code));
        }
        if let Some(line) = case.line {
            if !stderr.lines().any(|l| l == line) {
                wrong.push(format!("no stderr line {line:?}"));
            }
        }
        for needle in &case.says {
            if !stderr.contains(needle) {
                wrong.push(format!("stderr lacks {needle:?}"));
            }
        }
        if let Some(expected) = case.prints {
            if stdout != expected {
                wrong.push(format!("stdout {stdout:?}, expected {expected:?}"));
            }
        }
        // Whatever the input, a message stays short.
        if stderr.len() > 16 * 1024 {
            wrong.push(format!("{} bytes on standard error", stderr.len()));
        }
        // 252 and 253 are decided before anything is sent.
        let sent = h.emulator.request_count();
        if matches!(case.code, 252 | 253) && sent != 0 {
            wrong.push(format!("{sent} request(s) reached the server"));
        }
        // The table's secrets all contain `s3cr3t`.
        if stderr.contains("s3cr3t") || stdout.contains("s3cr3t") {
            wrong.push("a secret was printed".to_owned());
        }
        if stderr.contains("panicked") {
            wrong.push("a panic message on stderr".to_owned());
        }
        // Nothing a terminal acts on, nor a bidirectional control or line separator: only
        // line breaks (and tabs between the columns of text output).
        let raw = |text: &str, keep: &[char]| {
            text.chars()
                .find(|c| !keep.contains(c) && redshift_serverless_cli::escape::is_control(*c))
        };
        if let Some(c) = raw(&stderr, &['\n']) {
            wrong.push(format!("a raw {c:?} on stderr"));
        }
        if let Some(c) = raw(&stdout, &['\n', '\t']) {
            wrong.push(format!("a raw {c:?} on stdout"));
        }
        if elapsed > Duration::from_secs(20) {
            wrong.push(format!("took {elapsed:?}"));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {}\n  stderr: {stderr:?}",
                case.name,
                wrong.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
