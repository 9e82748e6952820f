//! Starting and stopping: the state the HTTP API and the SQL front share, and the handle
//! a test or the program holds.

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Clock, EmulatorConfig};
use crate::faults::{FaultState, Faults, ScriptedFault};
use crate::request_log::{RecordedRequest, RequestLog};
use crate::throttle::TokenBucket;
use crate::tokens::TokenStore;

/// Mutable emulator state, behind one mutex never held across an await.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: EmulatorConfig,
    pub(crate) faults: FaultState,
    pub(crate) bucket: Option<TokenBucket>,
    pub(crate) log: RequestLog,
    /// Every token issued and not yet forgotten, with what it grants.
    pub(crate) tokens: TokenStore,
    /// Where the SQL front listens for each workgroup (empty without a SQL front).
    pub(crate) sql_endpoints: BTreeMap<String, SocketAddr>,
    /// When the emulator started, by its clock: the workgroups' `creationDate`.
    pub(crate) started_at: SystemTime,
}

impl State {
    pub(crate) fn reset_bucket(&mut self) {
        let now = self.config.clock.now();
        self.bucket = self
            .config
            .throttle_rps
            .and_then(|r| TokenBucket::new(r, now));
    }
}

/// What the HTTP API and the SQL front share.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Service requests since start or reset.
    pub(crate) count: AtomicU64,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated in a way
        // that matters for an emulator; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Resolves once shutdown is requested (or the handle is gone).
    pub(crate) fn stopped(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        shutdown_signal(self.shutdown.clone())
    }
}

/// Resolves once shutdown is requested (or the handle is gone).
pub(crate) async fn shutdown_signal(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// Entry point: start an emulator with [`Emulator::start`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Binds `127.0.0.1:<config.port>` and starts serving in the background.
    ///
    /// A configuration that [`EmulatorConfig::check`] refuses is an
    /// [`io::ErrorKind::InvalidInput`] error naming the setting.
    pub async fn start(config: EmulatorConfig) -> io::Result<RunningEmulator> {
        config
            .check()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let limits = crate::api::Limits::from_config(&config);
        let mut state = State {
            faults: FaultState::new(config.faults.clone()),
            started_at: config.clock.now(),
            config,
            bucket: None,
            log: RequestLog::new(),
            tokens: TokenStore::new(),
            sql_endpoints: BTreeMap::new(),
        };
        state.reset_bucket();
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            count: AtomicU64::new(0),
            shutdown: shutdown_rx,
        });
        // Copied out first: the state's lock is not held across the start below.
        let (sql_config, workgroups): (_, Vec<String>) = {
            let st = shared.lock();
            (
                st.config.sql.clone(),
                st.config.workgroups.keys().cloned().collect(),
            )
        };
        let sql = match sql_config {
            Some(sql_config) => {
                let started = crate::sql::start(&sql_config, workgroups, shared.clone()).await?;
                shared.lock().sql_endpoints = started.endpoints.clone();
                Some(started)
            }
            None => None,
        };
        let mut tasks = vec![tokio::spawn(crate::api::serve(
            listener,
            shared.clone(),
            limits,
        ))];
        let sql = sql.map(|started| {
            tasks.extend(started.tasks);
            SqlFront {
                endpoints: started.endpoints,
                ca_pem: started.ca_pem,
                front: started.front,
            }
        });
        tracing::info!(%addr, "redshift-serverless emulator started");
        Ok(RunningEmulator {
            addr,
            shared,
            shutdown_tx,
            tasks,
            sql,
        })
    }
}

/// A running emulator. Dropping it stops the server too (without waiting).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown_tx: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    sql: Option<SqlFront>,
}

/// The running SQL front's public facts.
#[derive(Debug)]
struct SqlFront {
    endpoints: BTreeMap<String, SocketAddr>,
    ca_pem: String,
    front: Arc<crate::sql::Front>,
}

impl RunningEmulator {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for an SDK's `endpoint_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where the SQL front serves `workgroup` (`None` without a SQL front, or for a
    /// workgroup added after start).
    pub fn sql_addr(&self, workgroup: &str) -> Option<SocketAddr> {
        self.sql.as_ref()?.endpoints.get(workgroup).copied()
    }

    /// The PEM of the certificate authority that signed the SQL front's certificate.
    pub fn sql_ca_pem(&self) -> Option<&str> {
        self.sql.as_ref().map(|s| s.ca_pem.as_str())
    }

    /// Sessions the SQL front has signed in since start.
    pub fn sql_sessions_signed_in(&self) -> u64 {
        self.sql
            .as_ref()
            .map_or(0, |s| s.front.signed_in.load(Ordering::Relaxed))
    }

    /// Sign-ins the SQL front has refused since start.
    pub fn sql_sign_ins_refused(&self) -> u64 {
        self.sql
            .as_ref()
            .map_or(0, |s| s.front.refused.load(Ordering::Relaxed))
    }

    /// How many service requests (not admin requests) have arrived since start or reset.
    pub fn request_count(&self) -> u64 {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// The log of service requests since start or reset: the last
    /// [`crate::REQUEST_LOG_CAPACITY`], oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.iter().cloned().collect()
    }

    /// Replaces the fault configuration (script, rates, seed, latency). A fault the
    /// emulator could not send as configured is refused, naming the fault and the reason.
    pub fn set_faults(&self, faults: Faults) -> Result<(), crate::InvalidFault> {
        faults.check()?;
        self.shared.lock().faults = FaultState::new(faults);
        Ok(())
    }

    /// Appends one step to the fault script; refused as [`RunningEmulator::set_faults`]
    /// refuses.
    pub fn push_fault(&self, step: ScriptedFault) -> Result<(), crate::InvalidFault> {
        step.fault.check()?;
        self.shared.lock().faults.push(step);
        Ok(())
    }

    /// The current fault configuration, with the script as far as it is still pending.
    pub fn faults(&self) -> Faults {
        self.shared.lock().faults.snapshot()
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults = FaultState::new(Faults::none());
    }

    /// Replaces the clock.
    pub fn set_clock(&self, clock: Clock) {
        let mut st = self.shared.lock();
        st.config.clock = clock;
        st.reset_bucket();
    }

    /// Changes the throttle rate (`None`, or a rate that is not a finite number of zero or
    /// more, disables throttling); refills the bucket.
    pub fn set_throttle_rps(&self, rps: Option<f64>) {
        let mut st = self.shared.lock();
        st.config.throttle_rps = rps;
        st.reset_bucket();
    }

    /// Adds or updates a workgroup. The SQL front serves the workgroups known at start only.
    pub fn set_workgroup(&self, name: impl Into<String>, identity_center_enabled: bool) {
        self.shared
            .lock()
            .config
            .workgroups
            .insert(name.into(), identity_center_enabled);
    }

    /// Clears the request log and count, removes all faults and refills the throttle bucket.
    /// Issued tokens stay valid.
    pub fn reset(&self) {
        reset(&self.shared);
    }

    /// Stops accepting, lets in-flight requests and SQL sessions finish (up to a short
    /// grace period) and waits for the server tasks.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
        tracing::info!(addr = %self.addr, "redshift-serverless emulator stopped");
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}

pub(crate) fn reset(shared: &Shared) {
    let mut st = shared.lock();
    st.log.clear();
    st.faults = FaultState::new(Faults::none());
    st.reset_bucket();
    shared.count.store(0, Ordering::SeqCst);
}
