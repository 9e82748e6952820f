//! `cargo xtask demo`: the whole path against a local emulator, in five steps.
//!
//! 1. a token for workgroup `default`;
//! 2. two scripted ThrottlingExceptions retried (shown with `--debug`), then success;
//! 3. a client-side validation error: exit 252, and the emulator's request count unchanged;
//! 4. GetWorkgroup: the workgroup's SQL endpoint;
//! 5. a query as the Identity Center user through the connector (`redshift-serverless-connect`'s
//!    `query` example): GetWorkgroup, the token, TLS and Redshift's token sign-in at the
//!    emulator's SQL front, before a private PostgreSQL cluster the demo starts. Where
//!    PostgreSQL is not installed, the demo says how to install it and runs the rest.
//!
//! Only std: the emulator's admin endpoint is reached with a hand-written HTTP/1.1 request.
//! Credentials are the emulator's demo key, passed through the environment; the user's own
//! AWS environment variables and config files are kept out of it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const DEMO_KEY_ID: &str = "AKIDEMULATOREXAMPLE";
const DEMO_SECRET: &str = "emulator-secret-key";
const LISTENING: &str = "redshift-serverless-emulator listening on http://";

/// Kills the emulator however the demo ends.
struct Emulator {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run() -> Result<(), String> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    step("Building the emulator, the CLI and the connector's example");
    let status = Command::new(&cargo)
        .current_dir(&root)
        .args([
            "build",
            "--quiet",
            "-p",
            "redshift-serverless-emulator",
            "-p",
            "redshift-serverless-cli",
            "-p",
            "redshift-serverless-connect",
            "--example",
            "query",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    let bin_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"))
        .join("debug");
    let exe = |name: &str| bin_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));

    // Empty stand-ins for ~/.aws/config and ~/.aws/credentials.
    let scratch = bin_dir.join("xtask-demo");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    for name in ["config", "credentials"] {
        let path = scratch.join(name);
        std::fs::write(&path, "").map_err(|e| format!("{}: {e}", path.display()))?;
    }

    step("A private PostgreSQL for the emulator's SQL front");
    let postgres = match redshift_serverless_testkit::Postgres::start() {
        Ok(pg) => {
            println!("{} on 127.0.0.1:{}", pg.version(), pg.port());
            Some(pg)
        }
        Err(e) => {
            println!(
                "No PostgreSQL here ({e}), so the SQL step is skipped. Install it \
                 (Debian: `apt-get install postgresql`) or set {} to its bin directory.",
                redshift_serverless_testkit::PG_BIN_ENV
            );
            None
        }
    };
    let ca = scratch.join("emulator-ca.pem");
    let emulator = start_emulator(
        &exe("redshift-serverless-emulator"),
        postgres.as_ref().map(|pg| (pg.url(), ca.as_path())),
    )?;
    let url = format!("http://{}", emulator.addr);
    println!("emulator listening on {url} (demo key {DEMO_KEY_ID}, region us-east-1)");
    let cli = Cli {
        exe: exe("redshift-serverless"),
        scratch,
        url: url.clone(),
    };

    step("1. A token for workgroup `default`");
    let out = cli.run(&["--workgroup-names", "default"])?;
    show(&out, false);
    expect_code(&out, 0)?;

    step("2. Throttled twice, retried, then served (--debug, attempt and retry lines)");
    let script = r#"{"script":[{"kind":"error","error":"ThrottlingException","times":2}]}"#;
    admin(emulator.addr, "POST", "/__admin/faults", script)?;
    println!("scripted via POST /__admin/faults: {script}");
    let out = cli.run(&["--workgroup-names", "default", "--debug"])?;
    show(&out, true);
    expect_code(&out, 0)?;

    step("3. A name the model forbids is refused before sending");
    let before = request_count(emulator.addr)?;
    let out = cli.run(&["--workgroup-names", "Analytics_WG"])?;
    show(&out, false);
    let after = request_count(emulator.addr)?;
    println!("emulator request count: {before} before, {after} after");
    expect_code(&out, 252)?;
    if before != after {
        return Err("the invalid request reached the emulator".into());
    }

    step("4. GetWorkgroup: where workgroup `default` takes SQL sessions");
    let out = cli.call(
        "get-workgroup",
        &[
            "--workgroup-name",
            "default",
            "--query",
            "workgroup.endpoint.[address, port]",
            "--output",
            "text",
        ],
    )?;
    show(&out, false);
    expect_code(&out, 0)?;

    step("5. A query as the Identity Center user, through the connector");
    if postgres.is_some() {
        let sql = "select current_user, current_database(), version() like 'PostgreSQL%' as real_postgres";
        println!("$ cargo run -p redshift-serverless-connect --example query -- \"{sql}\"");
        let out = cli
            .hermetic(&mut Command::new(
                bin_dir
                    .join("examples")
                    .join(format!("query{}", std::env::consts::EXE_SUFFIX)),
            ))
            .arg(sql)
            .env("AWS_ENDPOINT_URL", &url)
            .env("WORKGROUP", "default")
            .env("CA_BUNDLE", &ca)
            .output()
            .map_err(|e| format!("cannot run the connector's example: {e}"))?;
        show(&out, false);
        expect_code(&out, 0)?;
        if !String::from_utf8_lossy(&out.stdout).contains("awsidc:alice@example.com | dev | t") {
            return Err("the query did not run as awsidc:alice@example.com".into());
        }
    } else {
        println!("skipped: no PostgreSQL (see above)");
    }

    drop(emulator);
    drop(postgres);
    step("Emulator and PostgreSQL stopped");
    Ok(())
}

/// The CLI with a hermetic AWS environment.
struct Cli {
    exe: PathBuf,
    scratch: PathBuf,
    url: String,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Result<Output, String> {
        self.call("get-identity-center-auth-token", args)
    }

    fn call(&self, operation: &str, args: &[&str]) -> Result<Output, String> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg(operation).args(args).args([
            "--endpoint-url",
            &self.url,
            "--cli-read-timeout",
            "10",
        ]);
        self.hermetic(&mut cmd);
        let shown: Vec<String> = args
            .iter()
            .map(|a| {
                if a.contains([' ', '[', '*', '?']) {
                    format!("'{a}'")
                } else {
                    (*a).to_owned()
                }
            })
            .collect();
        println!(
            "$ redshift-serverless {operation} {} --endpoint-url {}",
            shown.join(" "),
            self.url
        );
        cmd.output()
            .map_err(|e| format!("cannot run {}: {e}", self.exe.display()))
    }

    /// The demo's AWS environment for `cmd`, and nothing of the user's.
    fn hermetic<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        // Whatever AWS_* the user has set (profile, session token, ...) stays out.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("AWS_ACCESS_KEY_ID", DEMO_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.scratch.join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.scratch.join("credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null())
    }
}

/// The emulator; with `(postgres URL, CA path)`, with its SQL front.
fn start_emulator(exe: &Path, sql: Option<(String, &Path)>) -> Result<Emulator, String> {
    let mut command = Command::new(exe);
    command.args(["--port", "0"]);
    if let Some((postgres, ca)) = sql {
        command
            .args(["--postgres", &postgres, "--sql-ca-out"])
            .arg(ca);
    }
    let mut child = command
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let stdout = child.stdout.take();
    // Wrap first so the process is killed on every error path below.
    let mut emulator = Emulator {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    let mut line = String::new();
    if let Some(stdout) = stdout {
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the emulator's address: {e}"))?;
    }
    emulator.addr = line
        .trim()
        .strip_prefix(LISTENING)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("unexpected first line from the emulator: {line:?}"))?;
    Ok(emulator)
}

/// One request to the emulator's admin API; returns the body of a 200 answer.
fn admin(addr: SocketAddr, method: &str, path: &str, body: &str) -> Result<String, String> {
    let fail = |e: std::io::Error| format!("admin {method} {path}: {e}");
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(fail)?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(fail)?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(fail)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("admin {method} {path} answered: {response}"));
    }
    Ok(body.to_string())
}

/// `GET /__admin/requests` → its `"count"` (parsed by hand: xtask has no JSON library).
fn request_count(addr: SocketAddr) -> Result<u64, String> {
    let body = admin(addr, "GET", "/__admin/requests", "")?;
    body.split_once("\"count\":")
        .and_then(|(_, rest)| {
            let digits: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .ok_or_else(|| format!("no count in {body}"))
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// Prints a CLI run: its log first, then its output. With `attempts_only`, only the debug
/// lines about attempts and retry decisions are kept, without timestamps and span prefixes
/// (the full log is what `--debug` prints in a terminal).
fn show(out: &Output, attempts_only: bool) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stderr.lines() {
        if !attempts_only {
            eprintln!("{line}");
            continue;
        }
        let start = ["redshift_serverless_cli::", "aws_smithy_runtime::"]
            .iter()
            .filter_map(|target| line.find(target))
            .min();
        let keep = line.contains("redshift_serverless_cli::attempts")
            || line.contains("retrying after")
            || line.contains("not retrying");
        if let (true, Some(start)) = (keep, start) {
            eprintln!("  {}", &line[start..]);
        }
    }
    print!("{}", String::from_utf8_lossy(&out.stdout));
    println!("(exit code {})", exit_code(out));
}

fn exit_code(out: &Output) -> String {
    out.status
        .code()
        .map_or_else(|| "none: killed by a signal".into(), |c| c.to_string())
}

fn expect_code(out: &Output, code: i32) -> Result<(), String> {
    if out.status.code() == Some(code) {
        Ok(())
    } else {
        Err(format!("expected exit code {code}, got {}", exit_code(out)))
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly in the workspace root.
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}
