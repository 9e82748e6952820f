//! `cargo xtask bench --sql`: the sign-in and the proxy, measured against their baselines in
//! one run, and written into `BENCHMARKS.md` between the `<!-- bench-sql:begin -->` and
//! `<!-- bench-sql:end -->` markers.
//!
//! - Connection set-up with a cached token: the connector against a stock tokio-postgres TLS
//!   connection (verify-full, the token as its password: the emulator's
//!   `--sql-password-sign-in`) through the same emulator front and PostgreSQL, alternating
//!   in rounds in one process (`bench/sql-bench`); and AWS's redshift_connector
//!   (`bench/sql-bench/redshift_connector_setup.py`) against the connector.
//! - Rows per second of a 10^6-row SELECT and of COPY TO STDOUT with psql: through
//!   `redshift-serverless proxy`, directly to PostgreSQL, and through PgBouncer (session
//!   mode, plain TCP) when it is installed; runs alternate between the paths.
//! - Resident memory: the proxy holding 200 idle sessions, the emulator holding 100.
//!
//! Everything runs on this machine: a private PostgreSQL (tests/testkit), the release
//! emulator and CLI. The figures are ratios from one run, so a noisy machine moves both
//! sides alike.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use redshift_serverless_testkit::{Postgres, SUPERUSER_PASSWORD};

use super::{cargo, median, step, Paths};

const BEGIN: &str = "<!-- bench-sql:begin -->";
const END: &str = "<!-- bench-sql:end -->";
const KEY_ID: &str = "AKIDEMULATOREXAMPLE";
const SECRET: &str = "emulator-secret-key";
const SELECT: &str = "select i, repeat('x', 100) from generate_series(1, 1000000) as t(i)";
const ROWS: f64 = 1_000_000.0;

/// How much to measure.
pub(super) struct SqlOptions {
    pub(super) rounds: usize,
    pub(super) per_round: usize,
    pub(super) driver_connects: usize,
    pub(super) throughput_runs: usize,
    pub(super) write: bool,
}

/// A child process, killed when dropped; its stdout lines arrive on `lines`.
struct Proc {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Proc {
    fn start(what: &str, cmd: &mut Command) -> Result<Proc, String> {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting {what}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Proc { child, lines })
    }

    /// The first line containing `marker`, waiting at most `limit`.
    fn wait_for(&self, marker: &str, limit: Duration) -> Result<String, String> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(marker) => return Ok(line),
                Ok(_) => {}
                Err(_) => return Err(format!("no line with {marker:?} within {limit:?}")),
            }
        }
    }

    /// Resident and peak resident memory now, in KiB, from /proc.
    fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The AWS environment of the demo key, and nothing of the user's.
fn hermetic<'a>(cmd: &'a mut Command, api: &str) -> &'a mut Command {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", api)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
}

fn json_numbers(line: &str, key: &str) -> Vec<f64> {
    let Some((_, rest)) = line.split_once(&format!("\"{key}\"")) else {
        return Vec::new();
    };
    let Some((_, rest)) = rest.split_once('[') else {
        return Vec::new();
    };
    rest.split(']')
        .next()
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}

/// Wall time of one run of `cmd`, which must succeed.
fn timed(cmd: &mut Command) -> Result<f64, String> {
    let started = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(started.elapsed().as_secs_f64())
}

pub(super) fn run(opts: &SqlOptions, paths: &Paths) -> Result<(), String> {
    let started = Instant::now();
    step("building the emulator, the CLI and sql-bench (release)");
    cargo(
        &paths.root,
        &[
            "build",
            "--release",
            "-p",
            "redshift-serverless-emulator",
            "-p",
            "redshift-serverless-cli",
        ],
        None,
    )?;
    cargo(
        &paths.root,
        &[
            "build",
            "--release",
            "--manifest-path",
            "bench/Cargo.toml",
            "-p",
            "sql-bench",
            "--target-dir",
        ],
        Some(&paths.out),
    )?;
    let release = paths.target.join("release");
    let bench = paths.program("sql-bench");
    let scratch = paths.out.join("sql");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;

    step("a private PostgreSQL");
    let pg = Postgres::start()?;
    let pg_version = pg.version().to_owned();
    let psql = pg.bin().join("psql");

    step("the emulator with its SQL front");
    let ca = scratch.join("emulator-ca.pem");
    let emulator = Proc::start(
        "the emulator",
        Command::new(release.join("redshift-serverless-emulator"))
            .args([
                "--port",
                "0",
                "--workgroup",
                "default",
                "--sql-password-sign-in",
                "--sql-max-connections",
                "1000",
                "--postgres",
            ])
            .arg(pg.url())
            .arg("--sql-ca-out")
            .arg(&ca)
            .env("RUST_LOG", "warn"),
    )?;
    let api = emulator
        .wait_for("listening on http://", Duration::from_secs(30))?
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let sql_port: u16 = emulator
        .wait_for(
            "SQL endpoint of workgroup default:",
            Duration::from_secs(30),
        )?
        .rsplit(':')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .ok_or("no SQL port")?;

    step(&format!(
        "connection set-up: {} rounds of {} per client",
        opts.rounds, opts.per_round
    ));
    let out = Command::new(&bench)
        .args(["setup", &api])
        .arg(&ca)
        .args([
            "default",
            &sql_port.to_string(),
            &opts.rounds.to_string(),
            &opts.per_round.to_string(),
        ])
        .output()
        .map_err(|e| format!("sql-bench setup: {e}"))?;
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "sql-bench setup failed: {line}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut connector_us = json_numbers(&line, "connector_us");
    let mut stock_us = json_numbers(&line, "stock_us");
    let connector_ms = median(&mut connector_us) / 1000.0;
    let stock_ms = median(&mut stock_us) / 1000.0;

    step("redshift_connector's connect");
    let driver = match std::env::var_os(redshift_serverless_testkit::PYTHON_ENV) {
        Some(python) => {
            let token = Command::new(release.join("redshift-serverless"))
                .args([
                    "get-identity-center-auth-token",
                    "--workgroup-names",
                    "default",
                    "--query",
                    "token",
                    "--output",
                    "text",
                    "--endpoint-url",
                    &api,
                ])
                .env("AWS_ACCESS_KEY_ID", KEY_ID)
                .env("AWS_SECRET_ACCESS_KEY", SECRET)
                .env("AWS_REGION", "us-east-1")
                .output()
                .map_err(|e| format!("the CLI: {e}"))?;
            if !token.status.success() {
                return Err(format!(
                    "the CLI could not get a token: {}",
                    String::from_utf8_lossy(&token.stderr)
                ));
            }
            let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
            let script = paths
                .root
                .join("bench/sql-bench/redshift_connector_setup.py");
            let out = Command::new(python)
                .arg(script)
                .args([&sql_port.to_string()])
                .arg(&ca)
                .args([&token, &opts.driver_connects.to_string()])
                .output()
                .map_err(|e| format!("the driver script: {e}"))?;
            let line = String::from_utf8_lossy(&out.stdout).into_owned();
            let mut samples = json_numbers(&line, "driver_us");
            if samples.is_empty() {
                return Err(format!(
                    "the driver script: {line}{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            Some(median(&mut samples) / 1000.0)
        }
        None => {
            eprintln!(
                "bench: {} is not set, so redshift_connector is not measured",
                redshift_serverless_testkit::PYTHON_ENV
            );
            None
        }
    };

    step("the proxy");
    let proxy = Proc::start(
        "the proxy",
        hermetic(&mut Command::new(release.join("redshift-serverless")), &api)
            .args([
                "proxy",
                "--workgroup",
                "default",
                "--port",
                "0",
                "--max-connections",
                "400",
                "--ca-bundle",
            ])
            .arg(&ca)
            .env("RUST_LOG", "warn"),
    )?;
    let ready = proxy.wait_for("listening on", Duration::from_secs(60))?;
    let proxy_port: u16 = ready
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|a| a.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("no port in the proxy's ready line {ready:?}"))?;

    let bouncer = start_pgbouncer(&pg, &scratch)?;

    step(&format!(
        "throughput: {} alternating runs per path",
        opts.throughput_runs
    ));
    let mut paths_to: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "direct to PostgreSQL",
            vec![
                ("PGPORT", pg.port().to_string()),
                ("PGUSER", "postgres".into()),
                ("PGPASSWORD", SUPERUSER_PASSWORD.into()),
            ],
        ),
        (
            "through redshift-serverless proxy",
            vec![
                ("PGPORT", proxy_port.to_string()),
                ("PGUSER", "anyone".into()),
            ],
        ),
    ];
    if let Some((port, _)) = &bouncer {
        paths_to.push((
            "through PgBouncer (session mode)",
            vec![("PGPORT", port.to_string()), ("PGUSER", "postgres".into())],
        ));
    }
    let mut select_s: Vec<Vec<f64>> = vec![Vec::new(); paths_to.len()];
    let mut copy_s: Vec<Vec<f64>> = vec![Vec::new(); paths_to.len()];
    for run in 0..opts.throughput_runs {
        for k in 0..paths_to.len() {
            let i = (k + run) % paths_to.len();
            let psql_cmd = |sql: &str| {
                let mut c = Command::new(&psql);
                c.args([
                    "-X",
                    "-q",
                    "-A",
                    "-t",
                    "-h",
                    "127.0.0.1",
                    "-d",
                    "dev",
                    "-c",
                    sql,
                ]);
                c.env_remove("PGPASSWORD");
                for (k, v) in &paths_to[i].1 {
                    c.env(k, v);
                }
                c
            };
            select_s[i].push(timed(&mut psql_cmd(SELECT))?);
            copy_s[i].push(timed(&mut psql_cmd(&format!("copy ({SELECT}) to stdout")))?);
        }
    }
    let select_rps: Vec<f64> = select_s.iter_mut().map(|s| ROWS / median(s)).collect();
    let copy_rps: Vec<f64> = copy_s.iter_mut().map(|s| ROWS / median(s)).collect();

    step("resident memory: 200 idle sessions through the proxy, 100 at the emulator");
    let (proxy_before, _) = proxy.rss_kib();
    let holder = Proc::start(
        "200 idle sessions",
        Command::new(&bench).args([
            "hold-plain",
            &format!("host=127.0.0.1 port={proxy_port} user=x dbname=dev"),
            "200",
        ]),
    )?;
    holder.wait_for("\"ready\":200", Duration::from_secs(120))?;
    let (proxy_rss, proxy_hwm) = proxy.rss_kib();
    drop(holder);
    let (emulator_before, _) = emulator.rss_kib();
    let holder = Proc::start(
        "100 idle connector sessions",
        Command::new(&bench)
            .args(["hold-connector", &api])
            .arg(&ca)
            .args(["default", "100"]),
    )?;
    holder.wait_for("\"ready\":100", Duration::from_secs(120))?;
    let (emulator_rss, emulator_hwm) = emulator.rss_kib();
    drop(holder);

    let driver_line = driver.map_or_else(
        || "| redshift_connector 2.2.0 `connect` (token given) | not measured: no Python with the driver | |\n".to_owned(),
        |ms| format!("| redshift_connector 2.2.0 `connect` (token given), Python | {ms:.2} ms | connector: **{:.2}x** of its time |\n", connector_ms / ms),
    );
    let mut s = String::new();
    let _ = writeln!(s, "Generated by `cargo xtask bench --sql` in {:.0} s on {} cores, load average before {}; {pg_version}; every figure from this one run.\n", started.elapsed().as_secs_f64(), std::thread::available_parallelism().map_or(0, |n| n.get()), super::load_average());
    let _ = writeln!(s, "**Connection set-up with a cached token** (median of {} sessions each, alternating in {} rounds; each session runs `select 1` and closes; through the emulator's SQL front, TLS verify-full, to PostgreSQL):\n", opts.rounds * opts.per_round, opts.rounds);
    let _ = writeln!(s, "| client | median | ratio |\n|---|---|---|");
    let _ = writeln!(s, "| stock tokio-postgres 0.7 + tokio-postgres-rustls, token as password (`--sql-password-sign-in`) | {stock_ms:.2} ms | baseline |");
    let _ = writeln!(s, "| `redshift-serverless-connect` (Redshift's token sign-in, code 14) | {connector_ms:.2} ms | **{:.2}x** (goal: at most 1.1x) |", connector_ms / stock_ms);
    s.push_str(&driver_line);
    let _ = writeln!(s, "\n**Rows per second** with psql (median of {} runs per path, alternating; {SELECT:?}, about 110 MB):\n", opts.throughput_runs);
    let _ = writeln!(s, "| path | SELECT rows/s | vs direct | COPY TO STDOUT rows/s | vs direct |\n|---|---|---|---|---|");
    for (i, (name, _)) in paths_to.iter().enumerate() {
        let _ = writeln!(
            s,
            "| {name} | {:.0} | {:.2}x | {:.0} | {:.2}x |",
            select_rps[i],
            select_rps[i] / select_rps[0],
            copy_rps[i],
            copy_rps[i] / copy_rps[0]
        );
    }
    if bouncer.is_some() && paths_to.len() == 3 {
        let _ = writeln!(s, "\nThe proxy against PgBouncer: SELECT **{:.2}x**, COPY **{:.2}x** (goal: at least 1x). The proxy's path has two more hops than PgBouncer's (the emulator's front, which stands in for the workgroup, then PostgreSQL) and TLS on the upstream leg.", select_rps[1] / select_rps[2], copy_rps[1] / copy_rps[2]);
    } else {
        s.push_str("\nPgBouncer was not measured: it is not installed (Debian: `apt-get install pgbouncer`).\n");
    }
    let _ = writeln!(s, "\n**Resident memory** (VmRSS, KiB, from /proc):\n");
    let _ = writeln!(
        s,
        "| process | before | holding the sessions | peak (VmHWM) |\n|---|---|---|---|"
    );
    let _ = writeln!(s, "| `redshift-serverless proxy`, 200 idle sessions | {proxy_before} | {proxy_rss} | {proxy_hwm} |");
    let _ = writeln!(s, "| emulator, 100 open SQL sessions (connector) | {emulator_before} | {emulator_rss} | {emulator_hwm} |");
    println!("{s}");
    drop(bouncer);
    if opts.write {
        super::splice_between(&paths.root.join("BENCHMARKS.md"), BEGIN, END, &s)?;
        step("BENCHMARKS.md updated");
    }
    Ok(())
}

/// PgBouncer in session mode before `pg`, on a free port, if it is installed: its port and
/// process.
fn start_pgbouncer(pg: &Postgres, dir: &Path) -> Result<Option<(u16, Proc)>, String> {
    let Some(bin) = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
    else {
        eprintln!(
            "bench: pgbouncer is not installed (Debian: apt-get install pgbouncer); not measured"
        );
        return Ok(None);
    };
    let port = redshift_serverless_testkit::free_port()?;
    let ini = dir.join("pgbouncer.ini");
    let text = format!(
        "[databases]\ndev = host=127.0.0.1 port={} dbname=dev user=postgres password={SUPERUSER_PASSWORD}\n\
         [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nauth_type = any\npool_mode = session\n\
         max_client_conn = 400\ndefault_pool_size = 50\nlogfile = {}\npidfile = {}\nunix_socket_dir =\n",
        pg.port(),
        dir.join("pgbouncer.log").display(),
        dir.join("pgbouncer.pid").display(),
    );
    std::fs::write(&ini, text).map_err(|e| format!("{}: {e}", ini.display()))?;
    let _ = std::fs::remove_file(dir.join("pgbouncer.pid"));
    // PgBouncer will not run as root. setpriv execs it in place (runuser would stay its
    // parent), so killing the child kills PgBouncer.
    let mut cmd = if running_as_root() {
        let _ = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir)
            .status();
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid",
            "postgres",
            "--regid",
            "postgres",
            "--init-groups",
            "--",
        ])
        .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let proc = Proc::start("pgbouncer", cmd.arg(&ini))?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("pgbouncer did not listen within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::io::stderr().flush();
    Ok(Some((port, proc)))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
