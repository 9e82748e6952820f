//! `cargo xtask bench [--quick] [--skip-build-cost] [--no-write]`: whole-process
//! measurements of our client against the official crate and a raw floor (hyper +
//! aws-sigv4 + serde_json). The programs live in `bench/` (a workspace of their own);
//! this module builds them, runs them, and writes the tables into `BENCHMARKS.md`
//! between the `<!-- bench:begin -->` and `<!-- bench:end -->` markers.
//!
//! - `--quick`: fewer and shorter runs, no clean builds, and `BENCHMARKS.md` is left alone
//!   (the tables go to `target/bench/results.md` and stdout): a smoke test of the tooling.
//! - `--skip-build-cost`: everything but the clean release builds.
//! - `--no-write`: leave `BENCHMARKS.md` alone.
//! - `--generator`: only the generator's cost (issue 13): in-process codegen of the published
//!   model, and clean release builds of minimal programs using the full-service client and a
//!   two-operation slice against the official crate; written between the
//!   `<!-- bench-generator:begin -->` and `<!-- bench-generator:end -->` markers. With
//!   `--skip-build-cost`, only the codegen timing.
//! - `--rounds N`: clean builds per program (default 2).
//! - `--sql`: only the sign-in and the proxy (`bench/sql.rs`): connection set-up against a
//!   stock TLS client and redshift_connector, rows per second through the proxy against
//!   PostgreSQL directly and PgBouncer, and resident memory with idle sessions; written
//!   between the `<!-- bench-sql:begin -->` and `<!-- bench-sql:end -->` markers. With
//!   `--quick`, fewer runs and `BENCHMARKS.md` left alone.

mod sql;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Bench programs, in the order they are first run (the order rotates every run so that
/// no client always runs first or last).
const CLIENTS: [&str; 3] = ["raw", "ours", "official"];

/// The build-cost programs: (directory under `bench/`, what the table calls it).
const MINIMAL: [(&str, &str); 3] = [
    (
        "minimal-ours",
        "ours (default features: HTTP/1.1 hyper 1 + rustls/ring)",
    ),
    ("minimal-official", "official (default features)"),
    (
        "minimal-official-lean",
        "official (default features off + hyper 1 rustls/ring client)",
    ),
];

/// Clean builds per minimal program in a full run (the fastest is reported).
const BUILD_ROUNDS: usize = 2;

const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";
const GENERATOR_BEGIN: &str = "<!-- bench-generator:begin -->";
const GENERATOR_END: &str = "<!-- bench-generator:end -->";

/// The generator's build-cost programs, alternated with `minimal-official` (directory under
/// `bench/`, what the table calls it, the operations of the client it uses: `None` for the
/// whole published model).
const GENERATOR_MINIMAL: [(&str, &str, Option<&[&str]>); 2] = [
    (
        "minimal-full-service",
        "ours, full-service client (65 operations)",
        None,
    ),
    (
        "minimal-slice-two",
        "ours, GetWorkgroup + GetIdentityCenterAuthToken slice",
        Some(&["GetWorkgroup", "GetIdentityCenterAuthToken"]),
    ),
];

/// Where the generator's programs find their clients (their manifests name these paths).
const GENERATED_FOR_BENCH: &str = "target/bench-generated";

#[derive(Debug)]
struct Options {
    quick: bool,
    build_cost: bool,
    write: bool,
    generator: bool,
    sql: bool,
    build_rounds: usize,
    /// Alternating runs per (server, client); medians are taken over these.
    runs: usize,
    /// Measured calls per run.
    calls: u64,
    /// VmHWM is read after `rss_mid` calls and again after `rss_end`.
    rss_mid: u64,
    rss_end: u64,
    /// Calls in the callgrind profile run (the marginal count always uses 1 and 1001).
    profile_calls: u64,
    codegen_reps: usize,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Options, String> {
        let mut o = Options {
            quick: false,
            build_cost: true,
            write: true,
            generator: false,
            sql: false,
            build_rounds: BUILD_ROUNDS,
            runs: 7,
            calls: 3_000,
            rss_mid: 10_000,
            rss_end: 100_000,
            profile_calls: 1_000,
            codegen_reps: 7,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match *arg {
                "--quick" => {
                    o.quick = true;
                    o.build_cost = false;
                    o.write = false;
                    o.runs = 3;
                    o.calls = 500;
                    o.rss_mid = 1_000;
                    o.rss_end = 10_000;
                    o.profile_calls = 200;
                    o.codegen_reps = 3;
                }
                "--skip-build-cost" => o.build_cost = false,
                "--no-write" => o.write = false,
                "--generator" => o.generator = true,
                "--sql" => o.sql = true,
                "--rounds" => {
                    o.build_rounds = it
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or("--rounds needs a whole number above 0")?
                }
                other => {
                    return Err(format!(
                        "unknown argument {other:?}; usage: cargo xtask bench [--quick] [--skip-build-cost] [--no-write] [--generator] [--sql] [--rounds N]"
                    ))
                }
            }
        }
        Ok(o)
    }
}

/// Paths the run needs.
struct Paths {
    root: PathBuf,
    /// The main workspace's target directory (where this xtask binary lives).
    target: PathBuf,
    /// Where the bench programs are built and the raw outputs are kept.
    out: PathBuf,
}

impl Paths {
    fn new() -> Paths {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives in the workspace")
            .to_path_buf();
        // `<target>/debug/xtask`: honours CARGO_TARGET_DIR without reading it ourselves.
        let target = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
            .unwrap_or_else(|| root.join("target"));
        let out = target.join("bench");
        Paths { root, target, out }
    }
    fn program(&self, name: &str) -> PathBuf {
        self.out.join("release").join(name)
    }
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let opts = Options::parse(args)?;
    let paths = Paths::new();
    std::fs::create_dir_all(&paths.out).map_err(|e| format!("{}: {e}", paths.out.display()))?;
    let started = Instant::now();
    let machine = Machine::describe();
    if opts.generator {
        return generator_cost(&opts, &paths, machine, started);
    }
    if opts.sql {
        let sql = sql::SqlOptions {
            rounds: if opts.quick { 2 } else { 10 },
            per_round: if opts.quick { 5 } else { 20 },
            driver_connects: if opts.quick { 10 } else { 100 },
            throughput_runs: if opts.quick { 1 } else { 5 },
            write: opts.write,
        };
        return sql::run(&sql, &paths);
    }

    step("building the bench programs and the emulator (release)");
    cargo(
        &paths.root,
        &[
            "build",
            "--release",
            "--manifest-path",
            "bench/Cargo.toml",
            "--target-dir",
        ],
        Some(&paths.out),
    )?;
    cargo(
        &paths.root,
        &["build", "--release", "-p", "redshift-serverless-emulator"],
        None,
    )?;

    let canned = Server::start("canned", Command::new(paths.program("canned-server")))?;
    let mut emulator_cmd = Command::new(paths.target.join("release/redshift-serverless-emulator"));
    emulator_cmd.args(["--port", "0"]);
    let emulator = Server::start("emulator", emulator_cmd)?;
    let servers = [&canned, &emulator];

    step(&format!(
        "{} alternating runs of {} calls per client and server",
        opts.runs, opts.calls
    ));
    let mut samples: BTreeMap<(&str, &str), Vec<Sample>> = BTreeMap::new();
    for run in 0..opts.runs {
        for server in servers {
            for k in 0..CLIENTS.len() {
                let client = CLIENTS[(k + run) % CLIENTS.len()];
                let sample = calls(&paths, client, &server.url, opts.calls, 0)?;
                samples
                    .entry((server.name, client))
                    .or_default()
                    .push(sample);
            }
        }
    }

    step(&format!(
        "peak RSS after {} and {} calls",
        opts.rss_mid, opts.rss_end
    ));
    let mut rss = Vec::new();
    for client in CLIENTS {
        rss.push((
            client,
            calls(&paths, client, &canned.url, opts.rss_end, opts.rss_mid)?,
        ));
    }

    let callgrind = if tool_version("valgrind").is_some() {
        step("callgrind: marginal instructions per call, and the per-call profile");
        let mut results = Vec::new();
        for client in CLIENTS {
            results.push(callgrind_client(
                &paths,
                client,
                &canned.url,
                opts.profile_calls,
            )?);
        }
        Some(results)
    } else {
        eprintln!("valgrind not found: skipping instruction counts (apt-get install -y valgrind)");
        None
    };
    drop(emulator);
    drop(canned);

    step("codegen wall time");
    let codegen = time_codegen(&paths, opts.codegen_reps)?;

    let builds = if opts.build_cost {
        // Rounds alternate between the programs; the fastest build of each is kept, since
        // other load on the machine only ever adds time.
        let mut builds: Vec<(&str, Build)> = Vec::new();
        let rounds = opts.build_rounds;
        for round in 1..=rounds {
            for (dir, label) in MINIMAL {
                step(&format!(
                    "clean release build of bench/{dir} (round {round} of {rounds})"
                ));
                let build = clean_build(&paths, dir)?;
                match builds.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, best)) if build.seconds < best.seconds => *best = build,
                    Some(_) => {}
                    None => builds.push((label, build)),
                }
            }
        }
        Some(builds)
    } else {
        None
    };

    let report = Report {
        opts: &opts,
        machine,
        samples,
        rss,
        callgrind,
        codegen,
        builds,
        elapsed: started.elapsed(),
    };
    let text = report.render();
    let results = paths.out.join("results.md");
    std::fs::write(&results, &text).map_err(|e| format!("{}: {e}", results.display()))?;
    println!("{text}");
    if opts.write {
        splice_into(&paths.root.join("BENCHMARKS.md"), &text)?;
        eprintln!("wrote BENCHMARKS.md (and {})", results.display());
    } else {
        eprintln!("wrote {}", results.display());
    }
    Ok(())
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

/// Runs cargo (the one that runs us, via $CARGO) in `dir`; `extra` is appended as a path.
fn cargo(dir: &Path, args: &[&str], extra: Option<&Path>) -> Result<(), String> {
    let mut cmd = Command::new(cargo_bin());
    cmd.current_dir(dir).args(args);
    if let Some(p) = extra {
        cmd.arg(p);
    }
    let status = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed: {status}", args.join(" ")))
    }
}

fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// First line of `tool --version`, if the tool runs.
fn tool_version(tool: &str) -> Option<String> {
    let out = Command::new(tool).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status
        .success()
        .then(|| text.lines().next().unwrap_or_default().trim().to_owned())
}

/// A server process, killed when dropped.
struct Server {
    name: &'static str,
    url: String,
    child: Child,
}

impl Server {
    /// Starts the server and waits (at most 30 s) for its `... listening on URL` line.
    fn start(name: &'static str, mut cmd: Command) -> Result<Server, String> {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting the {name} server: {e}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        // Keeps draining stdout afterwards so a chatty server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some((_, url)) = line.split_once("listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(url) => Ok(Server { name, url, child }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the {name} server printed no 'listening on' line within 30 s"
                ))
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run of a `calls-*` program: what it printed.
#[derive(Debug, Clone, Copy)]
struct Sample {
    calls: u64,
    wall_ns: u64,
    cpu_ns: u64,
    allocs: u64,
    alloc_bytes: u64,
    hwm_kib_mid: u64,
    hwm_kib_end: u64,
}

impl Sample {
    fn per_call(&self, total: u64) -> f64 {
        total as f64 / self.calls.max(1) as f64
    }
}

fn calls(paths: &Paths, client: &str, url: &str, n: u64, hwm_at: u64) -> Result<Sample, String> {
    let program = format!("calls-{client}");
    let out = Command::new(paths.program(&program))
        .args([url, &n.to_string(), "--hwm-at", &hwm_at.to_string()])
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {url} {n} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let json = String::from_utf8_lossy(&out.stdout);
    let field =
        |key: &str| json_u64(&json, key).ok_or_else(|| format!("{program}: no {key:?} in {json}"));
    Ok(Sample {
        calls: field("calls")?,
        wall_ns: field("wall_ns")?,
        cpu_ns: field("user_ns")? + field("sys_ns")?,
        allocs: field("allocs")?,
        alloc_bytes: field("alloc_bytes")?,
        hwm_kib_mid: field("hwm_kib_mid")?,
        hwm_kib_end: field("hwm_kib_end")?,
    })
}

/// Reads `"key":123` from a flat JSON object (all the bench programs print).
fn json_u64(json: &str, key: &str) -> Option<u64> {
    let start = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let digits: String = json[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Callgrind results for one client.
#[derive(Debug)]
struct Callgrind {
    client: &'static str,
    /// (I(N=1001) - I(N=1)) / 1000: process start-up, set-up and warm-up cancel out.
    marginal: f64,
    /// Per call, inclusive, from the run that collects only inside the measured loop.
    profile_total: f64,
    /// Inclusive instructions per call of every function symbol in the profile run.
    functions: BTreeMap<String, f64>,
}

fn callgrind_client(
    paths: &Paths,
    client: &'static str,
    url: &str,
    profile_calls: u64,
) -> Result<Callgrind, String> {
    let program = paths.program(&format!("calls-{client}"));
    let run = |n: u64, extra: &[&str], tag: &str| -> Result<PathBuf, String> {
        let file = paths.out.join(format!("callgrind.{client}.{tag}.out"));
        let out = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", file.display()))
            .args(extra)
            .arg(&program)
            .args([url, &n.to_string()])
            .output()
            .map_err(|e| format!("valgrind: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "valgrind calls-{client} {n}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(file)
    };
    let total = |file: &Path| -> Result<u64, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        text.lines()
            .find_map(|l| {
                l.strip_prefix("summary:")
                    .or_else(|| l.strip_prefix("totals:"))
            })
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .ok_or_else(|| format!("{}: no summary line", file.display()))
    };
    let one = total(&run(1, &[], "n1")?)?;
    let many = total(&run(1001, &[], "n1001")?)?;
    // Collect only inside bench_common's measured_loop: no start-up, set-up or warm-up.
    let profile = run(
        profile_calls,
        &["--collect-atstart=no", "--toggle-collect=*measured_loop*"],
        "profile",
    )?;
    let annotated = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100"])
        .arg(&profile)
        .output()
        .map_err(|e| format!("callgrind_annotate: {e}"))?;
    let annotated = String::from_utf8_lossy(&annotated.stdout).into_owned();
    let listing = paths.out.join(format!("callgrind.{client}.profile.txt"));
    std::fs::write(&listing, &annotated).map_err(|e| format!("{}: {e}", listing.display()))?;
    let n = profile_calls as f64;
    let mut functions = BTreeMap::new();
    for line in annotated.lines() {
        // `  1,234 (12.3%)  file:function [object]`; only the lines naming an object are a
        // symbol's own total (the others split it by the source file of inlined code).
        let line = line.trim_start();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        let Some(rest) = rest.trim_start().split_once(')').map(|(_, r)| r.trim()) else {
            continue;
        };
        let Some(obj_at) = rest.rfind(" [") else {
            continue;
        };
        let Some((_, function)) = rest[..obj_at].split_once(':') else {
            continue;
        };
        let entry = functions.entry(function.to_owned()).or_insert(0.0);
        *entry = f64::max(*entry, count as f64 / n);
    }
    Ok(Callgrind {
        client,
        marginal: (many.saturating_sub(one)) as f64 / 1000.0,
        profile_total: total(&profile)? as f64 / n,
        functions,
    })
}

/// Median wall time of the slice's codegen (`xtask codegen --check`, this very binary).
fn time_codegen(paths: &Paths, reps: usize) -> Result<(f64, String), String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut times = Vec::new();
    let mut status = String::new();
    for rep in 0..=reps {
        let start = Instant::now();
        let out = Command::new(&exe)
            .current_dir(&paths.root)
            .args(["codegen", "--check"])
            .output()
            .map_err(|e| format!("xtask codegen --check: {e}"))?;
        let elapsed = start.elapsed().as_secs_f64();
        // The first run warms the page cache; it is not counted.
        if rep > 0 {
            times.push(elapsed);
        }
        status = if out.status.success() {
            "up to date".to_owned()
        } else {
            "stale files reported".to_owned()
        };
    }
    Ok((median(&mut times), status))
}

/// A clean release build's cost.
#[derive(Debug)]
struct Build {
    seconds: f64,
    crates: usize,
    binary_bytes: u64,
}

fn clean_build(paths: &Paths, dir: &str) -> Result<Build, String> {
    let manifest = paths.root.join("bench").join(dir).join("Cargo.toml");
    // Downloads are not build time: fetch first.
    let fetched = Command::new(cargo_bin())
        .arg("fetch")
        .arg("--manifest-path")
        .arg(&manifest)
        .status()
        .map_err(|e| format!("cargo fetch: {e}"))?;
    if !fetched.success() {
        return Err(format!("cargo fetch for bench/{dir} failed"));
    }
    let target = std::env::temp_dir().join(format!("xtask-bench-{dir}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let start = Instant::now();
    let mut child = Command::new(cargo_bin())
        .args(["build", "--release", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cargo build: {e}"))?;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    let seconds = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("clean build of bench/{dir} failed:\n{stderr}"));
    }
    let crates = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    let binary = target.join("release").join(dir);
    let binary_bytes = std::fs::metadata(&binary)
        .map_err(|e| format!("{}: {e}", binary.display()))?
        .len();
    let _ = std::fs::remove_dir_all(&target);
    Ok(Build {
        seconds,
        crates,
        binary_bytes,
    })
}

/// A build-cost table row without its closing `|`: program, seconds, crates, binary size,
/// and both ratios against `official`.
fn build_row(label: &str, b: &Build, official: Option<&Build>) -> String {
    let (bt, bb) = official.map_or((f64::NAN, f64::NAN), |o| {
        (
            b.seconds / o.seconds,
            b.binary_bytes as f64 / o.binary_bytes as f64,
        )
    });
    format!(
        "| {label} | {:.1} | {} | {} | {:.2}x | {:.2}x",
        b.seconds,
        b.crates,
        b.binary_bytes / 1024,
        bt,
        bb
    )
}

/// What the run was measured on.
#[derive(Debug)]
struct Machine {
    nproc: usize,
    cpu: String,
    kernel: String,
    rustc: String,
    valgrind: Option<String>,
    load_before: String,
}

impl Machine {
    fn describe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        Machine {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu: cpuinfo
                .lines()
                .find_map(|l| {
                    l.strip_prefix("model name")?
                        .split_once(':')
                        .map(|(_, v)| v.trim().to_owned())
                })
                .unwrap_or_else(|| "unknown".to_owned()),
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            rustc: tool_version("rustc").unwrap_or_else(|| "unknown".to_owned()),
            valgrind: tool_version("valgrind"),
            load_before: load_average(),
        }
    }
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn load_average() -> String {
    read_trimmed("/proc/loadavg")
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Functions of the per-call profile shown in the report: (label, symbols). The first
/// symbol present in a client's profile gives that client's inclusive cost per call (the
/// floor names its own serde and hyper functions where the SDKs have wrappers).
const PHASES: &[(&str, &[&str])] = &[
    ("SigV4 `sign` (canonical request, string to sign, key derivation, signature)", &["aws_sigv4::http_request::sign::sign"]),
    ("  of which signing-key derivation (4 HMACs)", &["aws_sigv4::sign::v4::generate_signing_key"]),
    ("SDK signer around it (`orchestrator::auth::sign_request`)", &["aws_smithy_runtime::client::orchestrator::auth::sign_request"]),
    ("identity (lazy cache lookup)", &["<aws_smithy_runtime::client::identity::cache::lazy::LazyCache as aws_smithy_runtime_api::client::identity::ResolveCachedIdentity>::resolve_cached_identity"]),
    ("runtime plugins applied per call (`apply_configuration`)", &["aws_smithy_runtime::client::orchestrator::apply_configuration"]),
    ("config bag: layered lookups (`ItemIter::next`)", &["<aws_smithy_types::config_bag::ItemIter<T> as core::iter::traits::iterator::Iterator>::next"]),
    ("config bag: drop", &["core::ptr::drop_in_place<aws_smithy_types::config_bag::ConfigBag>"]),
    ("interceptors: `enabled` checks", &["aws_smithy_runtime_api::client::interceptors::SharedInterceptor::enabled"]),
    ("interceptors: modify_before_retry_loop", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_retry_loop"]),
    ("interceptors: read_after_serialization", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::read_after_serialization"]),
    ("interceptors: modify_before_signing", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_signing"]),
    ("  of which the user-agent header", &["<aws_runtime::user_agent::interceptor::UserAgentInterceptor as aws_smithy_runtime_api::client::interceptors::Intercept>::modify_before_signing"]),
    ("interceptors: read_before_transmit", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::read_before_transmit"]),
    ("interceptors: modify_before_transmit", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_transmit"]),
    ("interceptors: modify_before_deserialization", &["aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_deserialization"]),
    ("endpoint resolution", &["<aws_smithy_runtime_api::client::endpoint::SharedEndpointResolver as aws_smithy_runtime_api::client::endpoint::ResolveEndpoint>::resolve_endpoint"]),
    ("endpoint applied to the request", &["aws_smithy_runtime::client::orchestrator::endpoints::apply_endpoint"]),
    ("serializer", &["<aws_smithy_runtime_api::client::ser_de::SharedRequestSerializer as aws_smithy_runtime_api::client::ser_de::SerializeRequest>::serialize_input"]),
    ("deserializer (floor: `serde_json::from_slice`)", &["<aws_smithy_runtime_api::client::ser_de::SharedResponseDeserializer as aws_smithy_runtime_api::client::ser_de::DeserializeResponse>::deserialize_nonstreaming_with_config", "serde_json::de::from_slice"]),
    ("HTTP: connector adapter (request conversion, hyper send; ours: redshift-serverless-http)", &["<aws_smithy_http_client::client::Adapter<C> as aws_smithy_runtime_api::client::http::HttpConnector>::call::{{closure}}", "<redshift_serverless_http::connector::Connector as aws_smithy_runtime_api::client::http::HttpConnector>::call::{{closure}}"]),
    ("HTTP: hyper-util `send_request`", &["hyper_util::client::legacy::client::Client<C,B>::send_request::{{closure}}"]),
    ("HTTP: hyper writing the request (`Dispatcher::poll_write`)", &["hyper::proto::h1::dispatch::Dispatcher<D,Bs,I,T>::poll_write"]),
    ("allocator: `__rust_alloc`", &["__rustc::__rust_alloc"]),
    ("allocator: `__rust_dealloc`", &["__rustc::__rust_dealloc"]),
    ("allocator: `__rust_realloc`", &["__rustc::__rust_realloc"]),
];

struct Report<'a> {
    opts: &'a Options,
    machine: Machine,
    samples: BTreeMap<(&'static str, &'static str), Vec<Sample>>,
    rss: Vec<(&'static str, Sample)>,
    callgrind: Option<Vec<Callgrind>>,
    codegen: (f64, String),
    builds: Option<Vec<(&'static str, Build)>>,
    elapsed: Duration,
}

impl Report<'_> {
    fn render(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let o = self.opts;
        let _ = writeln!(
            s,
            "Generated by `cargo xtask bench{}` in {:.0} s.\n",
            if o.quick { " --quick" } else { "" },
            self.elapsed.as_secs_f64()
        );
        let _ = writeln!(s, "Machine: {} CPUs ({}), Linux {}, {}; valgrind: {}; load average at the start: {}, at the end: {}.\n",
            m.nproc, m.cpu, m.kernel, m.rustc, m.valgrind.as_deref().unwrap_or("not installed"), m.load_before, load_average());

        let _ = writeln!(s, "### Per call, end to end\n");
        let _ = writeln!(s, "Medians over {} alternating runs of {} sequential calls each (after one warm-up call), per client and server. CPU = user + system time of the client process (getrusage). Ratios are of the medians.\n", o.runs, o.calls);
        let _ = writeln!(s, "| server | client | CPU µs/call | wall µs/call | CPU vs floor | CPU vs official | wall vs floor | allocations/call | bytes allocated/call |");
        let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for server in ["canned", "emulator"] {
            let med = |client: &str, f: &dyn Fn(&Sample) -> f64| -> f64 {
                let mut v: Vec<f64> = self
                    .samples
                    .get(&(server, client))
                    .map(|xs| xs.iter().map(f).collect())
                    .unwrap_or_default();
                median(&mut v)
            };
            let cpu = |c: &str| med(c, &|x| x.per_call(x.cpu_ns) / 1000.0);
            let wall = |c: &str| med(c, &|x| x.per_call(x.wall_ns) / 1000.0);
            for client in CLIENTS {
                let _ = writeln!(
                    s,
                    "| {server} | {} | {:.1} | {:.1} | {:.2}x | {:.2}x | {:.2}x | {:.1} | {:.0} |",
                    label(client),
                    cpu(client),
                    wall(client),
                    cpu(client) / cpu("raw"),
                    cpu(client) / cpu("official"),
                    wall(client) / wall("raw"),
                    med(client, &|x| x.per_call(x.allocs)),
                    med(client, &|x| x.per_call(x.alloc_bytes))
                );
            }
        }

        if let Some(cg) = &self.callgrind {
            let _ = writeln!(s, "\n### Instructions per call (callgrind)\n");
            let _ = writeln!(s, "Marginal: (I(N=1001) - I(N=1)) / 1000 against the canned server. Loop only: inclusive cost of the measured loop over {} calls, nothing collected outside it. Valgrind's CPU model has no SHA extensions, so SHA-256 runs in software here (it uses SHA-NI natively where the CPU has it): the instruction counts give SigV4 a larger share than the CPU times do.\n", o.profile_calls);
            let _ = writeln!(s, "| client | marginal instructions/call | loop-only instructions/call | vs floor | vs official |");
            let _ = writeln!(s, "|---|---:|---:|---:|---:|");
            let get = |c: &str| {
                cg.iter()
                    .find(|x| x.client == c)
                    .map_or(f64::NAN, |x| x.marginal)
            };
            for x in cg {
                let _ = writeln!(
                    s,
                    "| {} | {:.0} | {:.0} | {:.2}x | {:.2}x |",
                    label(x.client),
                    x.marginal,
                    x.profile_total,
                    x.marginal / get("raw"),
                    x.marginal / get("official")
                );
            }
            let _ = writeln!(
                s,
                "\n### Where a call's instructions go (callgrind, inclusive, per call)\n"
            );
            let _ = writeln!(s, "Inclusive instructions per call of selected functions in the loop-only profile (rows overlap: a row includes everything it calls; `-`: the function is not on that client's path). Full listings: `target/bench/callgrind.<client>.profile.txt`.\n");
            let _ = writeln!(
                s,
                "| what (symbols: `PHASES` in `xtask/src/bench.rs`) | ours | official | floor |"
            );
            let _ = writeln!(s, "|---|---:|---:|---:|");
            let find = |c: &str| cg.iter().find(|x| x.client == c);
            let _ = writeln!(
                s,
                "| whole call (`bench_common::measured_loop`) | {} | {} | {} |",
                fmt_k(find("ours").map(|x| x.profile_total)),
                fmt_k(find("official").map(|x| x.profile_total)),
                fmt_k(find("raw").map(|x| x.profile_total))
            );
            for (what, symbols) in PHASES {
                let cell = |c: &str| {
                    let functions = find(c).map(|x| &x.functions);
                    fmt_k(
                        functions.and_then(|f| symbols.iter().find_map(|sym| f.get(*sym).copied())),
                    )
                };
                let _ = writeln!(
                    s,
                    "| {what} | {} | {} | {} |",
                    cell("ours"),
                    cell("official"),
                    cell("raw")
                );
            }
        }

        let _ = writeln!(s, "\n### Peak RSS over {} calls\n", o.rss_end);
        let _ = writeln!(s, "VmHWM of the client process after {} calls and after {} calls (one process, canned server).\n", o.rss_mid, o.rss_end);
        let _ = writeln!(
            s,
            "| client | VmHWM after {} (KiB) | VmHWM after {} (KiB) | growth (KiB) |",
            o.rss_mid, o.rss_end
        );
        let _ = writeln!(s, "|---|---:|---:|---:|");
        for (client, x) in &self.rss {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                label(client),
                x.hwm_kib_mid,
                x.hwm_kib_end,
                x.hwm_kib_end as i64 - x.hwm_kib_mid as i64
            );
        }

        let _ = writeln!(s, "\n### Code generation\n");
        let _ = writeln!(s, "`target/debug/xtask codegen --check` on the model slice, already built: median of {} runs after one warm-up: **{:.3} s** ({}).", o.codegen_reps, self.codegen.0, self.codegen.1);

        let _ = writeln!(s, "\n### Build cost of a minimal program\n");
        match &self.builds {
            None => {
                let _ = writeln!(s, "Skipped in this run (`--quick` or `--skip-build-cost`).");
            }
            Some(builds) => {
                let _ = writeln!(s, "The fastest of {} clean `cargo build --release` runs per program (rounds alternate between the programs), each in a fresh `CARGO_TARGET_DIR`, dependencies fetched beforehand, `cargo` running {} jobs; binaries stripped by `[profile.release] strip = true`. Crates compiled = `Compiling` lines.\n", o.build_rounds, m.nproc);
                let _ = writeln!(s, "| program | clean release build (s) | crates compiled | stripped binary (KiB) | build vs official default | binary vs official default |");
                let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
                let official = builds
                    .iter()
                    .find(|(l, _)| l.starts_with("official (default features)"))
                    .map(|(_, b)| b);
                for (label, b) in builds {
                    let _ = writeln!(s, "{} |", build_row(label, b, official));
                }
            }
        }
        s
    }
}

fn label(client: &str) -> &'static str {
    match client {
        "raw" => "floor (hyper + aws-sigv4 + serde_json)",
        "ours" => "ours",
        "official" => "official 1.129.0",
        _ => "?",
    }
}

fn fmt_k(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{:.1}k", v / 1000.0),
        None => "-".to_owned(),
    }
}

/// Replaces the text between the markers in `path` with `text`.
fn splice_into(path: &Path, text: &str) -> Result<(), String> {
    splice_between(path, BEGIN, END, text)
}

/// Replaces the text between `begin` and `end` in `path` with `text`.
fn splice_between(
    path: &Path,
    begin_marker: &str,
    end_marker: &str,
    text: &str,
) -> Result<(), String> {
    let doc = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(begin), Some(end)) = (doc.find(begin_marker), doc.find(end_marker)) else {
        return Err(format!(
            "{}: the {begin_marker} / {end_marker} markers are missing",
            path.display()
        ));
    };
    let updated = format!("{}{begin_marker}\n\n{text}\n{}", &doc[..begin], &doc[end..]);
    std::fs::write(path, updated).map_err(|e| format!("{}: {e}", path.display()))
}

/// Stage timings of in-process code generation for one model (seconds, medians).
#[derive(Debug)]
struct CodegenTiming {
    model: String,
    operations: usize,
    parse: f64,
    lower: f64,
    emit: f64,
    total: f64,
    /// CPU time of the generating thread for the whole run (seconds, median).
    cpu: f64,
    files: usize,
    lines: usize,
}

/// CPU time this thread has run, in seconds (`/proc/thread-self/schedstat`, nanoseconds):
/// unlike wall time, not inflated by other load on a shared machine. NaN where unavailable.
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// `cargo xtask codegen-timing MODEL REPS`: run by `bench --generator` from a release build of
/// this binary. Times parsing, lowering and emitting (`quote!`, syn and prettyplease: the
/// formatting happens as each file is added) of `MODEL` in-process, `REPS` times after one
/// warm-up, and prints one line: `operations parse lower emit total files lines` (medians).
pub fn codegen_timing(args: &[&str]) -> Result<(), String> {
    if args == ["--corpus"] {
        return corpus_timing();
    }
    let [model, reps] = args else {
        return Err("usage: cargo xtask codegen-timing MODEL REPS | --corpus".into());
    };
    let reps: usize = reps
        .parse()
        .map_err(|_| format!("REPS {reps:?} is not a number"))?;
    let root = crate::codegen::workspace_root();
    let text = std::fs::read_to_string(model).map_err(|e| format!("{model}: {e}"))?;
    let partitions = std::fs::read_to_string(root.join("model/partitions.json"))
        .map_err(|e| format!("model/partitions.json: {e}"))?;
    let (mut parse, mut lower, mut emit, mut total) = (vec![], vec![], vec![], vec![]);
    let mut cpu = vec![];
    let (mut operations, mut files, mut lines) = (0, 0, 0);
    for rep in 0..=reps {
        let c0 = thread_cpu();
        let t0 = Instant::now();
        let doc = redshift_serverless_codegen::ast::parse(&text).map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let lowered = redshift_serverless_codegen::model::lower(&doc)
            .and_then(|m| m.with_partitions(&partitions))
            .map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        let settings = redshift_serverless_codegen::Settings::for_sdk_id(
            &lowered.service.sdk_id,
            format!("// @generated by `cargo xtask codegen-timing` from {model}."),
        );
        let out = redshift_serverless_codegen::emit_all(&lowered, &settings)
            .map_err(|e| e.to_string())?;
        let t3 = Instant::now();
        let c1 = thread_cpu();
        if rep > 0 {
            cpu.push(c1 - c0);
            parse.push((t1 - t0).as_secs_f64());
            lower.push((t2 - t1).as_secs_f64());
            emit.push((t3 - t2).as_secs_f64());
            total.push((t3 - t0).as_secs_f64());
        }
        operations = lowered.operations.len();
        files = out.len();
        lines = out.values().map(|f| f.lines().count()).sum();
    }
    println!(
        "{operations} {:.4} {:.4} {:.4} {:.4} {files} {lines} {:.4}",
        median(&mut parse),
        median(&mut lower),
        median(&mut emit),
        median(&mut total),
        median(&mut cpu)
    );
    Ok(())
}

/// `cargo xtask codegen-timing --corpus`: run by `bench --generator` from a release build of
/// this binary. Generates every model of the corpus (`model/corpus/awsjson/`) in-process, as
/// `cargo xtask sweep` does, once, and prints one line: `models generated files lines cpu
/// wall` (seconds; CPU is this thread's, and reading the gzipped corpus is not counted).
fn corpus_timing() -> Result<(), String> {
    let root = crate::codegen::workspace_root();
    let models = crate::sweep::corpus(&root)?;
    let partitions = std::fs::read_to_string(root.join("model/partitions.json"))
        .map_err(|e| format!("model/partitions.json: {e}"))?;
    let (mut generated, mut files, mut lines) = (0, 0, 0);
    let c0 = thread_cpu();
    let t0 = Instant::now();
    for model in &models {
        if let crate::sweep::Outcome::Generated {
            files: f, lines: l, ..
        } = crate::sweep::generate(model, &partitions)
        {
            generated += 1;
            files += f;
            lines += l;
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu() - c0;
    println!(
        "{} {generated} {files} {lines} {cpu:.3} {wall:.3}",
        models.len()
    );
    Ok(())
}

/// The full-service fixture, whose generated lines `bench --generator` counts.
const FULL_SERVICE_FIXTURE: &str = "tests/fixtures/full-service";

/// The generated files and lines of the full-service fixture at `rev` (`HEAD`, or the
/// merge-base of `HEAD` and `main` when empty), read from git: (short commit, files, lines).
fn fixture_lines(root: &Path, rev: &str) -> Result<(String, usize, usize), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let commit = if rev.is_empty() {
        git(&["merge-base", "HEAD", "main"])?
    } else {
        git(&["rev-parse", rev])?
    };
    let commit = commit.trim();
    // `git grep -c '' REV -- PATHS` prints `REV:path:lines` for each file.
    let generated = git(&[
        "grep",
        "-l",
        "^// @generated",
        commit,
        "--",
        &format!("{FULL_SERVICE_FIXTURE}/*.rs"),
    ])?;
    let paths: Vec<&str> = generated
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{commit}:")))
        .collect();
    let mut args = vec!["grep", "-c", "", commit, "--"];
    args.extend(paths.iter().copied());
    let counts = git(&args)?;
    let lines = counts
        .lines()
        .filter_map(|l| l.rsplit(':').next()?.parse::<usize>().ok())
        .sum();
    Ok((commit.chars().take(9).collect(), paths.len(), lines))
}

/// `bench --generator`: the generator's cost, written between the generator markers.
fn generator_cost(
    opts: &Options,
    paths: &Paths,
    machine: Machine,
    started: Instant,
) -> Result<(), String> {
    let root = &paths.root;
    let published = "model/upstream/redshift-serverless-2021-04-21.json";
    let generated = root.join(GENERATED_FOR_BENCH);
    std::fs::create_dir_all(&generated).map_err(|e| format!("{}: {e}", generated.display()))?;

    // The models: the slices are carved here, as a user would with `cargo xtask slice`.
    let upstream: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(published)).map_err(|e| format!("{published}: {e}"))?,
    )
    .map_err(|e| format!("{published}: {e}"))?;
    let mut models: Vec<(String, PathBuf)> = vec![(
        "published model, all operations".to_owned(),
        root.join(published),
    )];
    for (dir, _, operations) in GENERATOR_MINIMAL {
        let Some(operations) = operations else {
            continue;
        };
        let sliced = redshift_serverless_codegen::slice::slice(&upstream, operations)
            .map_err(|e| format!("slicing {published}: {e}"))?;
        let file = generated.join(format!("{dir}.json"));
        std::fs::write(
            &file,
            redshift_serverless_codegen::slice::to_pretty_json(&sliced),
        )
        .map_err(|e| format!("{}: {e}", file.display()))?;
        models.push((format!("slice: {}", operations.join(" + ")), file));
    }
    models.push((
        "the main crates' model (GetIdentityCenterAuthToken + overlay)".to_owned(),
        root.join("model/redshift-serverless.json"),
    ));

    step("codegen timing: release build of xtask");
    cargo(root, &["build", "--release", "-p", "xtask"], None)?;
    let xtask = paths.target.join("release/xtask");
    let mut timings = Vec::new();
    for (label, model) in &models {
        step(&format!("codegen timing: {label}"));
        let out = Command::new(&xtask)
            .current_dir(root)
            .arg("codegen-timing")
            .arg(model)
            .arg(opts.codegen_reps.to_string())
            .output()
            .map_err(|e| format!("{}: {e}", xtask.display()))?;
        if !out.status.success() {
            return Err(format!(
                "codegen-timing {}: {}",
                model.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| -> Result<f64, String> {
            f.get(i)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("codegen-timing printed {line:?}"))
        };
        timings.push(CodegenTiming {
            model: label.clone(),
            operations: num(0)? as usize,
            parse: num(1)?,
            lower: num(2)?,
            emit: num(3)?,
            total: num(4)?,
            files: num(5)? as usize,
            lines: num(6)? as usize,
            cpu: num(7)?,
        });
    }

    step("codegen timing: the corpus of published awsJson models");
    let out = Command::new(&xtask)
        .current_dir(root)
        .args(["codegen-timing", "--corpus"])
        .output()
        .map_err(|e| format!("{}: {e}", xtask.display()))?;
    if !out.status.success() {
        return Err(format!(
            "codegen-timing --corpus: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let corpus = String::from_utf8_lossy(&out.stdout).into_owned();

    let builds = if opts.build_cost {
        for (dir, _, operations) in GENERATOR_MINIMAL {
            let model = match operations {
                None => root.join(published),
                Some(_) => generated.join(format!("{dir}.json")),
            };
            let out = generated.join(dir.trim_start_matches("minimal-"));
            step(&format!(
                "cargo xtask generate --model {} --out {}",
                model.display(),
                out.display()
            ));
            crate::generate::generate(root, &model, &out, false)?;
        }
        let mut programs: Vec<(&str, &str)> = GENERATOR_MINIMAL
            .iter()
            .map(|(dir, label, _)| (*dir, *label))
            .collect();
        programs.insert(1, ("minimal-official", "official (default features)"));
        let mut builds: Vec<(&str, Build, String)> = Vec::new();
        let rounds = opts.build_rounds;
        for round in 1..=rounds {
            for (dir, label) in &programs {
                step(&format!(
                    "clean release build of bench/{dir} (round {round} of {rounds})"
                ));
                let load = load_average();
                let build = clean_build(paths, dir)?;
                eprintln!(
                    "bench: {dir}: {:.1} s (load average before: {load})",
                    build.seconds
                );
                match builds.iter_mut().find(|(l, _, _)| l == label) {
                    Some((_, best, best_load)) if build.seconds < best.seconds => {
                        *best = build;
                        *best_load = load;
                    }
                    Some(_) => {}
                    None => builds.push((label, build, load)),
                }
            }
        }
        Some(builds)
    } else {
        None
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        "Generated by `cargo xtask bench --generator{}` in {:.0} s.\n",
        if opts.build_rounds == BUILD_ROUNDS {
            String::new()
        } else {
            format!(" --rounds {}", opts.build_rounds)
        },
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(
        s,
        "Machine: {} CPUs ({}), Linux {}, {}; load average at the start: {}, at the end: {}.\n",
        machine.nproc,
        machine.cpu,
        machine.kernel,
        machine.rustc,
        machine.load_before,
        load_average()
    );
    let _ = writeln!(s, "### Code generation in-process\n");
    let _ = writeln!(s, "`target/release/xtask codegen-timing MODEL {}`: medians of {} runs after one warm-up, release build. Parse = JSON AST, lower = checked model, emit = every file built with `quote!`, parsed by syn and formatted by prettyplease. Stages are wall time; CPU is the generating thread's CPU time for the whole run (`/proc/thread-self/schedstat`), the steadier figure when other load shares the machine.\n", opts.codegen_reps, opts.codegen_reps);
    let _ = writeln!(s, "| model | operations | parse (ms) | lower (ms) | emit + format (ms) | total wall (ms) | total CPU (ms) | files | lines |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for t in &timings {
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | **{:.1}** | {} | {} |",
            t.model,
            t.operations,
            t.parse * 1e3,
            t.lower * 1e3,
            t.emit * 1e3,
            t.total * 1e3,
            t.cpu * 1e3,
            t.files,
            t.lines
        );
    }
    let _ = writeln!(s, "\n### The corpus of published awsJson models\n");
    let _ = writeln!(s, "`target/release/xtask codegen-timing --corpus`: every model under `{}` lowered and emitted in-process once, as `cargo xtask sweep` does (no file written); CPU is the generating thread's.\n", crate::sweep::CORPUS);
    match corpus.split_whitespace().collect::<Vec<_>>()[..] {
        [models, generated, files, lines, cpu, wall] => {
            let _ = writeln!(
                s,
                "| models | generated | files | lines | CPU (s) | wall (s) |"
            );
            let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|");
            let _ = writeln!(
                s,
                "| {models} | {generated} | {files} | {lines} | **{cpu}** | {wall} |"
            );
        }
        _ => return Err(format!("codegen-timing --corpus printed {corpus:?}")),
    }
    let _ = writeln!(s, "\n### Generated lines of the full-service fixture\n");
    let _ = writeln!(s, "Lines of the generated files (those starting with the generated header) under `{FULL_SERVICE_FIXTURE}/`, as committed: in this tree, and at the commit this branch started from (`git merge-base HEAD main`), to show what a change did to the size of the generated code.\n");
    let _ = writeln!(s, "| tree | files | lines |");
    let _ = writeln!(s, "|---|---:|---:|");
    for (label, rev) in [("this tree (HEAD)", "HEAD"), ("merge-base with main", "")] {
        match fixture_lines(root, rev) {
            Ok((commit, files, lines)) => {
                let _ = writeln!(s, "| {label} ({commit}) | {files} | {lines} |");
            }
            Err(e) => {
                let _ = writeln!(s, "| {label} | n/a: {e} | |");
            }
        }
    }
    let _ = writeln!(
        s,
        "\n### Clean release build of a minimal program, generated clients\n"
    );
    match &builds {
        None => {
            let _ = writeln!(s, "Skipped in this run (`--skip-build-cost`).");
        }
        Some(builds) => {
            let _ = writeln!(s, "The fastest of {} clean `cargo build --release` runs per program (rounds alternate between the programs), each in a fresh `CARGO_TARGET_DIR`, dependencies fetched beforehand, `cargo` running {} jobs; binaries stripped. The clients were written by `cargo xtask generate` into `{GENERATED_FOR_BENCH}/` just before; the program using the slice calls both of its operations, the official program calls `GetIdentityCenterAuthToken` (the official crate compiles all 65 operations either way). The load average is the one-minute figure before the build that is reported.\n", opts.build_rounds, machine.nproc);
            let _ = writeln!(s, "| program | clean release build (s) | crates compiled | stripped binary (KiB) | build vs official default | binary vs official default | load average before |");
            let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---|");
            let official = builds
                .iter()
                .find(|(l, _, _)| l.starts_with("official"))
                .map(|(_, b, _)| b);
            for (label, b, load) in builds {
                let _ = writeln!(s, "{} | {load} |", build_row(label, b, official));
            }
        }
    }
    let results = paths.out.join("generator.md");
    std::fs::write(&results, &s).map_err(|e| format!("{}: {e}", results.display()))?;
    println!("{s}");
    if opts.write {
        splice_between(
            &root.join("BENCHMARKS.md"),
            GENERATOR_BEGIN,
            GENERATOR_END,
            &s,
        )?;
        eprintln!("wrote BENCHMARKS.md (and {})", results.display());
    } else {
        eprintln!("wrote {}", results.display());
    }
    Ok(())
}
