//! The harness shared by the `calls-*` programs.
//!
//! Usage of every program: `calls-X URL N [--hwm-at K]`. It builds its client, makes one
//! warm-up call (connection, TLS and lazy caches happen there), then makes N sequential
//! calls on a current-thread tokio runtime and prints one JSON line: wall and CPU time
//! of the N calls, allocations made during them, and peak RSS (VmHWM) after K calls and
//! after all N. Everything is measured by the process on itself so the numbers exclude
//! process start-up, the client's construction and the warm-up call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Credentials the emulator accepts (its built-in demo key); the canned server ignores them.
pub const ACCESS_KEY_ID: &str = "AKIDEMULATOREXAMPLE";
/// Secret of [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "emulator-secret-key";
/// Region of the emulator's credential scope.
pub const REGION: &str = "us-east-1";
/// A workgroup the emulator knows, with Identity Center enabled.
pub const WORKGROUP: &str = "default";

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

/// A global allocator that counts allocations (and reallocations) and their bytes.
///
/// Install it in each program with
/// `#[global_allocator] static A: bench_common::Counting = bench_common::Counting;`.
#[derive(Debug)]
pub struct Counting;

// SAFETY: every method forwards to `System` unchanged; the counters are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing Vec or String reallocates: count it, it costs like an allocation.
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        ALLOC_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The parsed command line.
#[derive(Debug)]
pub struct Args {
    /// Endpoint URL, e.g. `http://127.0.0.1:8080`.
    pub url: String,
    /// Number of measured calls.
    pub calls: u64,
    /// After how many calls to read VmHWM the first time (0: only at the end).
    pub hwm_at: u64,
}

impl Args {
    /// Reads `URL N [--hwm-at K]`; exits with usage on anything else.
    pub fn parse() -> Args {
        let argv: Vec<String> = std::env::args().collect();
        let usage = || -> ! {
            eprintln!("usage: {} URL N [--hwm-at K]", argv[0]);
            std::process::exit(2)
        };
        let (url, calls, hwm_at) = match argv.get(1..).unwrap_or_default() {
            [url, n] => (url, n, "0"),
            [url, n, flag, k] if flag == "--hwm-at" => (url, n, k.as_str()),
            _ => usage(),
        };
        Args {
            url: url.clone(),
            calls: calls.parse().unwrap_or_else(|_| usage()),
            hwm_at: hwm_at.parse().unwrap_or_else(|_| usage()),
        }
    }
}

/// A current-thread runtime with I/O and time drivers: one thread does all the work,
/// so CPU time is not inflated by idle worker threads.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Runs the benchmark: one warm-up call, then `args.calls` measured calls, then prints
/// the JSON report. `call` returns the token it received, or an error message.
pub fn run<C>(
    name: &str,
    setup: impl FnOnce(&Args) -> C,
    call: impl AsyncFn(&C) -> Result<String, String>,
) {
    let args = Args::parse();
    let rt = runtime();
    let client = {
        // Inside the runtime's context, in case a client wants to spawn while being built.
        let _context = rt.enter();
        setup(&args)
    };
    match rt.block_on(call(&client)) {
        Ok(token) if !token.is_empty() => {}
        Ok(_) => fail(name, "warm-up call returned an empty token"),
        Err(e) => fail(name, &format!("warm-up call failed: {e}")),
    }
    let before = Snapshot::take();
    let hwm_mid = measured_loop(&rt, &client, &call, args.calls, args.hwm_at)
        .unwrap_or_else(|e| fail(name, &e));
    let after = Snapshot::take();
    let hwm_end = vm_hwm_kib();
    println!(
        "{{\"client\":\"{name}\",\"calls\":{},\"wall_ns\":{},\"user_ns\":{},\"sys_ns\":{},\"allocs\":{},\"alloc_bytes\":{},\"hwm_kib_mid\":{},\"hwm_kib_end\":{}}}",
        args.calls,
        after.wall.duration_since(before.wall).as_nanos(),
        after.user_ns - before.user_ns,
        after.sys_ns - before.sys_ns,
        after.allocs - before.allocs,
        after.alloc_bytes - before.alloc_bytes,
        hwm_mid,
        hwm_end,
    );
}

/// The measured calls. Never inlined so that callgrind can collect just this function
/// (`--collect-atstart=no --toggle-collect='*measured_loop*'`); everything the calls do,
/// including the runtime's I/O polling, happens beneath it.
#[inline(never)]
fn measured_loop<C>(
    rt: &tokio::runtime::Runtime,
    client: &C,
    call: &impl AsyncFn(&C) -> Result<String, String>,
    calls: u64,
    hwm_at: u64,
) -> Result<u64, String> {
    rt.block_on(async {
        let mut hwm_mid = 0;
        for i in 1..=calls {
            let token = call(client).await?;
            std::hint::black_box(token);
            if i == hwm_at {
                hwm_mid = vm_hwm_kib();
            }
        }
        Ok(hwm_mid)
    })
}

fn fail(name: &str, message: &str) -> ! {
    eprintln!("{name}: {message}");
    std::process::exit(1)
}

struct Snapshot {
    wall: Instant,
    user_ns: u64,
    sys_ns: u64,
    allocs: u64,
    alloc_bytes: u64,
}

impl Snapshot {
    fn take() -> Snapshot {
        let (user_ns, sys_ns) = rusage_self();
        Snapshot {
            wall: Instant::now(),
            user_ns,
            sys_ns,
            allocs: ALLOCS.load(Ordering::Relaxed),
            alloc_bytes: ALLOC_BYTES.load(Ordering::Relaxed),
        }
    }
}

/// User and system CPU time of the whole process (all threads), in nanoseconds.
fn rusage_self() -> (u64, u64) {
    // SAFETY: an all-zero `rusage` is a valid value, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the duration of the call.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    let ns = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1_000;
    (ns(usage.ru_utime), ns(usage.ru_stime))
}

/// Peak resident set size so far (VmHWM), in KiB; 0 where /proc is unavailable.
pub fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
