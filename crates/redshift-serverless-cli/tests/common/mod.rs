//! Test harness: an in-process emulator on 127.0.0.1:0 and a hermetic way to run the CLI.
#![allow(dead_code)] // Each test file uses a different part of the harness.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use redshift_serverless_emulator::{
    Emulator, EmulatorConfig, ErrorKind, Fault, Faults, RunningEmulator, ScriptedFault,
    DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};

pub const BIN: &str = env!("CARGO_BIN_EXE_redshift-serverless");

/// The binary under test: [`BIN`], or the one `REDSHIFT_SERVERLESS_CLI_UNDER_TEST` names
/// (to run a test against another build, e.g. to see it fail before a fix).
pub fn bin() -> String {
    std::env::var("REDSHIFT_SERVERLESS_CLI_UNDER_TEST").unwrap_or_else(|_| BIN.to_owned())
}

/// No test run may hang CI: a CLI process older than this is killed and the test fails.
const PROCESS_LIMIT: Duration = Duration::from_secs(60);

/// A running emulator plus an empty home and empty AWS config files for the children.
pub struct Harness {
    // Field order is drop order: stop the server before its runtime goes away.
    pub emulator: RunningEmulator,
    runtime: tokio::runtime::Runtime,
    home: tempfile::TempDir,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_config(EmulatorConfig::default())
    }

    pub fn with_config(config: EmulatorConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let emulator = runtime
            .block_on(Emulator::start(config))
            .expect("emulator starts on 127.0.0.1:0");
        let home = tempfile::tempdir().expect("temp dir");
        for name in ["config", "credentials"] {
            std::fs::write(home.path().join(name), "").expect("empty AWS file");
        }
        Harness {
            emulator,
            runtime,
            home,
        }
    }

    pub fn url(&self) -> String {
        self.emulator.url()
    }

    /// The children's home directory.
    pub fn home_path(&self) -> &std::path::Path {
        self.home.path()
    }

    pub fn script(&self, steps: impl IntoIterator<Item = ScriptedFault>) {
        self.emulator
            .set_faults(Faults::script(steps))
            .expect("the faults are valid");
    }

    /// The CLI with no inherited environment: an empty HOME, empty config and credentials
    /// files, IMDS off. No region, no credentials.
    pub fn bare_cli(&self) -> Command {
        self.bare(&bin())
    }

    /// [`Harness::bare_cli`] for another program (the AWS CLI, in the differential test).
    pub fn bare(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("AWS_CONFIG_FILE", self.home.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.home.path().join("credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null());
        cmd
    }

    /// [`Harness::bare_cli`] plus the emulator's demo key and region via the environment.
    pub fn cli(&self) -> Command {
        self.with_demo_credentials(self.bare_cli())
    }

    /// `cmd` with the emulator's demo key and region in its environment.
    pub fn with_demo_credentials(&self, mut cmd: Command) -> Command {
        cmd.env("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
            .env("AWS_REGION", "us-east-1");
        cmd
    }

    /// `get-identity-center-auth-token --workgroup-names NAMES... --endpoint-url URL` plus
    /// short timeouts; `extra` goes last (global flags after the subcommand).
    pub fn get_token(&self, names: &[&str], extra: &[&str]) -> Run {
        run(self.cli().args(self.token_args(names, extra)))
    }

    /// With no names, no `--workgroup-names` (for `extra` to give them another way).
    pub fn token_args(&self, names: &[&str], extra: &[&str]) -> Vec<String> {
        let mut args = vec!["get-identity-center-auth-token".to_string()];
        if !names.is_empty() {
            args.push("--workgroup-names".to_string());
            args.extend(names.iter().map(|s| s.to_string()));
        }
        self.with_endpoint(args, extra)
    }

    /// `args`, then `--endpoint-url URL` and short timeouts, then `extra`.
    fn with_endpoint(&self, mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
        args.extend(
            [
                "--endpoint-url",
                &self.url(),
                "--cli-connect-timeout",
                "2",
                "--cli-read-timeout",
                "5",
            ]
            .map(String::from),
        );
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    /// `get-workgroup --workgroup-name NAME --endpoint-url URL` plus short timeouts; `extra`
    /// goes last (global flags after the subcommand).
    pub fn get_workgroup(&self, name: &str, extra: &[&str]) -> Run {
        run(self.cli().args(self.workgroup_args(Some(name), extra)))
    }

    /// With no name, no `--workgroup-name` (for `extra` to give it another way).
    pub fn workgroup_args(&self, name: Option<&str>, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["get-workgroup".to_string()];
        if let Some(name) = name {
            args.extend(["--workgroup-name".to_string(), name.to_string()]);
        }
        self.with_endpoint(args, extra)
    }

    pub fn home(&self) -> PathBuf {
        self.home.path().to_path_buf()
    }

    /// The runtime the emulator runs on, for test servers of a test's own.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

/// A scripted modeled error with a recognisable message.
pub fn error_fault(kind: ErrorKind, message: &str) -> Fault {
    Fault::Error {
        error: kind,
        message: Some(message.to_string()),
        retry_after: None,
    }
}

/// A 200 with this JSON body, answered once: a fixed token and expiration, so stdout is exact.
pub fn fixed_response(body: &str) -> ScriptedFault {
    ScriptedFault::once(Fault::Custom {
        status: 200,
        headers: [(
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        )]
        .into(),
        body: body.to_owned(),
    })
}

/// A `GetWorkgroup` response body with every kind of member: nested structures, lists of
/// structures, lists of strings, numbers, booleans, a timestamp, and one member the model
/// does not know (which the output leaves out, as botocore does).
pub const WORKGROUP_BODY: &str = r#"{"workgroup":{
  "workgroupName":"analytics","workgroupId":"0d5b2c1e-7f4a-4c3b-9e8d-1a2b3c4d5e6f",
  "workgroupArn":"arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/0d5b2c1e-7f4a-4c3b-9e8d-1a2b3c4d5e6f",
  "namespaceName":"analytics-ns","baseCapacity":32,"maxCapacity":128,"enhancedVpcRouting":true,
  "publiclyAccessible":false,"status":"AVAILABLE","creationDate":"2026-11-28T05:00:00Z","port":5439,
  "configParameters":[{"parameterKey":"datestyle","parameterValue":"ISO, MDY"},{"parameterKey":"require_ssl","parameterValue":"true"}],
  "securityGroupIds":["sg-0123456789abcdef0"],"subnetIds":["subnet-0a","subnet-0b"],
  "endpoint":{"address":"analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com","port":5439,
    "vpcEndpoints":[{"vpcEndpointId":"vpce-0a","vpcId":"vpc-0a","networkInterfaces":[
      {"networkInterfaceId":"eni-0a","subnetId":"subnet-0a","privateIpAddress":"10.0.0.10","availabilityZone":"us-east-1a"}]}]},
  "pricePerformanceTarget":{"status":"ENABLED","level":50},
  "trackName":"current","workgroupVersion":"1.0.101234","patchVersion":"patch 190","ipAddressType":"ipv4",
  "someFutureMember":{"ignored":true}}}"#;

/// A finished CLI process.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Runs `cmd` to completion with captured output, killing it after [`PROCESS_LIMIT`].
pub fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the CLI");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > PROCESS_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the CLI ran longer than {PROCESS_LIMIT:?}: {cmd:?}");
        }
        thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stdout: out_t.join().expect("stdout reader"),
        stderr: err_t.join().expect("stderr reader"),
        elapsed: start.elapsed(),
    }
}

/// A TCP pass-through that keeps every byte the client sent, so a test can read the real
/// `Authorization` header (the emulator's own request log redacts it).
pub struct RecordingProxy {
    pub addr: SocketAddr,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl RecordingProxy {
    pub fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        // The accept loop lives as long as the test process; that is fine for a test.
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let log = log.clone();
                pipe(&client, &server, Some(log));
                pipe(&server, &client, None);
            }
        });
        RecordingProxy { addr, sent }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every `Signature=` value the client sent so far.
    pub fn signatures(&self) -> Vec<String> {
        let bytes = self.sent.lock().expect("proxy log").clone();
        let text = String::from_utf8_lossy(&bytes);
        text.split("Signature=")
            .skip(1)
            .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).collect())
            .collect()
    }
}

fn pipe(from: &TcpStream, to: &TcpStream, log: Option<Arc<Mutex<Vec<u8>>>>) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Some(log) = &log {
                        log.lock().expect("proxy log").extend_from_slice(&buf[..n]);
                    }
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, as the AWS CLI prints timestamps.
pub fn is_cli_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let base = b.len() >= 25
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let rest = &s[19.min(s.len())..];
    let rest = match rest.strip_prefix('.') {
        Some(frac) if frac.len() > 6 && frac[..6].bytes().all(|c| c.is_ascii_digit()) => &frac[6..],
        Some(_) => return false,
        None => rest,
    };
    base && rest == "+00:00"
}
