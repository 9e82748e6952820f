//! A local proxy through which any PostgreSQL client (psql, DBeaver, dbt, psycopg, sqlx)
//! works as the Identity Center user, in the manner of Google's Cloud SQL Auth Proxy.
//!
//! A client connects without a password. Its SSLRequest gets `N` (the proxy listens on
//! loopback or a Unix socket; the upstream leg is TLS). Its StartupMessage's parameters
//! (`database`, `application_name`, `client_encoding`, ...) go upstream, `user` aside: the
//! connector signs the session in with its cached token, and from the first ReadyForQuery on
//! the proxy relays bytes in fixed buffers. An upstream refusal reaches the client as an
//! ErrorResponse with its SQLSTATE and message. Cancel requests for the proxy's sessions are
//! passed upstream.
//!
//! Anyone who reaches the proxy acts as the Identity Center user, so it listens on loopback
//! unless [`ProxyConfig::allow_remote`] is set, and its Unix socket is mode 0600. Sessions are
//! capped ([`ProxyConfig::max_connections`]); shutdown stops accepting and waits for open
//! sessions up to [`ProxyConfig::grace_period`]. The token is never logged.

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redshift_serverless_pgwire::server::{self as wire, FirstPacket, ReadError};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::{Connector, Error};

/// How long a client may take from connecting to its StartupMessage.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the proxy listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listen {
    /// A TCP address.
    Tcp(SocketAddr),
    /// A Unix socket in this directory, named as PostgreSQL names its own
    /// (`.s.PGSQL.<port>`), so `psql -h DIR -p PORT` finds it.
    Unix {
        /// The directory.
        dir: PathBuf,
        /// The port in the socket's name; 0 for the port of the first TCP listener.
        port: u16,
    },
}

impl std::fmt::Display for Listen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listen::Tcp(addr) => write!(f, "{addr}"),
            Listen::Unix { dir, port } => write!(f, "{}", socket_path(dir, *port).display()),
        }
    }
}

fn socket_path(dir: &Path, port: u16) -> PathBuf {
    dir.join(format!(".s.PGSQL.{port}"))
}

/// How the proxy runs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProxyConfig {
    /// Sessions open at once; more are refused with SQLSTATE 53300.
    pub max_connections: usize,
    /// How long shutdown waits for open sessions before closing them.
    pub grace_period: Duration,
    /// Listen on an address other than loopback (anyone who reaches it acts as the user).
    pub allow_remote: bool,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            max_connections: 100,
            grace_period: Duration::from_secs(30),
            allow_remote: false,
        }
    }
}

impl ProxyConfig {
    /// Sets [`ProxyConfig::max_connections`].
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n;
        self
    }

    /// Sets [`ProxyConfig::grace_period`].
    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.grace_period = grace;
        self
    }

    /// Sets [`ProxyConfig::allow_remote`].
    pub fn allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }
}

/// What a proxy did, when it stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProxyStats {
    /// Sessions signed in upstream.
    pub sessions: u64,
    /// Sessions refused (upstream, or over the cap).
    pub refused: u64,
    /// Sessions still open at the end of the grace period, closed then.
    pub closed_at_shutdown: u64,
}

enum Listener {
    Tcp(tokio::net::TcpListener),
    #[cfg(unix)]
    Unix(tokio::net::UnixListener, PathBuf),
}

/// A bound proxy, ready to [`Proxy::run`].
pub struct Proxy {
    shared: Arc<Shared>,
    listeners: Vec<(Listener, String)>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("listening", &self.addresses())
            .finish_non_exhaustive()
    }
}

struct Shared {
    connector: Connector,
    config: ProxyConfig,
    sessions: Arc<Semaphore>,
    /// Connections in any state (signing in, refused, in session): twice the sessions, so
    /// clients that connect and send nothing cannot hold unbounded sockets and tasks; past
    /// it, a listener holds its one accepted connection and the rest wait in the backlog.
    connections: Arc<Semaphore>,
    /// The upstream BackendKeyData of each open session: cancel requests with another key
    /// are not passed on.
    keys: Mutex<HashSet<(i32, i32)>>,
    signed_in: AtomicU64,
    refused: AtomicU64,
}

impl Proxy {
    /// Binds every listener. A non-loopback TCP address needs
    /// [`ProxyConfig::allow_remote`]; a Unix socket is created with mode 0600 (in a private
    /// directory first, then moved into place, so it is never reachable with wider rights).
    pub async fn bind(
        connector: Connector,
        listen: &[Listen],
        config: ProxyConfig,
    ) -> io::Result<Proxy> {
        if listen.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "nothing to listen on",
            ));
        }
        if config.max_connections == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "max_connections must be at least 1",
            ));
        }
        let mut listeners = Vec::new();
        let mut tcp_port = None;
        // TCP first, so a Unix socket of port 0 can take the port a TCP listener was given.
        let mut ordered: Vec<&Listen> = listen
            .iter()
            .filter(|l| matches!(l, Listen::Tcp(_)))
            .collect();
        ordered.extend(listen.iter().filter(|l| !matches!(l, Listen::Tcp(_))));
        for l in ordered {
            match l {
                Listen::Tcp(addr) => {
                    if !addr.ip().is_loopback() && !config.allow_remote {
                        return Err(io::Error::new(
                            io::ErrorKind::PermissionDenied,
                            format!(
                                "{addr} is not a loopback address: anyone who reaches it acts as the Identity Center user; allow it explicitly (--allow-remote)"
                            ),
                        ));
                    }
                    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
                        io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}"))
                    })?;
                    let local = listener.local_addr()?;
                    tcp_port.get_or_insert(local.port());
                    listeners.push((Listener::Tcp(listener), local.to_string()));
                }
                #[cfg(unix)]
                Listen::Unix { dir, port } => {
                    let port = match (*port, tcp_port) {
                        (0, Some(tcp)) => tcp,
                        (0, None) => {
                            return Err(io::Error::new(
                                io::ErrorKind::InvalidInput,
                                "a Unix socket of port 0 takes a TCP listener's port, and there is none",
                            ))
                        }
                        (port, _) => port,
                    };
                    let (listener, path) = bind_private_socket(dir, port)?;
                    listeners.push((
                        Listener::Unix(listener, path.clone()),
                        path.display().to_string(),
                    ));
                }
                #[cfg(not(unix))]
                Listen::Unix { .. } => {
                    return Err(io::Error::new(
                        io::ErrorKind::Unsupported,
                        "Unix sockets are not available here",
                    ))
                }
            }
        }
        Ok(Proxy {
            shared: Arc::new(Shared {
                sessions: Arc::new(Semaphore::new(config.max_connections)),
                connections: Arc::new(Semaphore::new(config.max_connections.saturating_mul(2))),
                connector,
                config,
                keys: Mutex::new(HashSet::new()),
                signed_in: AtomicU64::new(0),
                refused: AtomicU64::new(0),
            }),
            listeners,
        })
    }

    /// Where it listens: TCP addresses (with the port the system picked for port 0) and
    /// socket paths.
    pub fn addresses(&self) -> Vec<String> {
        self.listeners
            .iter()
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// The first TCP address, if any.
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.listeners.iter().find_map(|(l, _)| match l {
            Listener::Tcp(t) => t.local_addr().ok(),
            #[cfg(unix)]
            Listener::Unix(..) => None,
        })
    }

    /// Serves until `shutdown` resolves; then stops accepting (removing any Unix socket),
    /// lets open sessions finish for the grace period, closes the rest, and says what it did.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) -> ProxyStats {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut loops = JoinSet::new();
        for (listener, name) in self.listeners {
            loops.spawn(accept_loop(
                listener,
                name,
                self.shared.clone(),
                stop_rx.clone(),
            ));
        }
        shutdown.await;
        let _ = stop_tx.send(true);
        let mut stats = ProxyStats::default();
        while let Some(closed) = loops.join_next().await {
            stats.closed_at_shutdown += closed.unwrap_or(0);
        }
        stats.sessions = self.shared.signed_in.load(Ordering::Relaxed);
        stats.refused = self.shared.refused.load(Ordering::Relaxed);
        stats
    }
}

#[cfg(unix)]
fn bind_private_socket(dir: &Path, port: u16) -> io::Result<(tokio::net::UnixListener, PathBuf)> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let path = socket_path(dir, port);
    let cannot = |e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("cannot listen on {}: {e}", path.display()),
        )
    };
    let private = dir.join(format!(".s.PGSQL.{port}.{}.tmp", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&private)
        .map_err(cannot)?;
    let staged = private.join("socket");
    let bound = tokio::net::UnixListener::bind(&staged)
        .and_then(|l| {
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))?;
            std::fs::rename(&staged, &path)?;
            Ok(l)
        })
        .map_err(cannot);
    let _ = std::fs::remove_file(&staged);
    let _ = std::fs::remove_dir(&private);
    Ok((bound?, path))
}

/// Accepts until stopped; then drains its sessions. How many it had to close.
async fn accept_loop(
    listener: Listener,
    name: String,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> u64 {
    let mut sessions = JoinSet::new();
    tracing::info!(listening = %name, workgroup = shared.connector.workgroup(), "proxy accepting connections");
    loop {
        let accepted: io::Result<(Box<dyn Client>, String)> = tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            a = accept(&listener) => a,
        };
        while sessions.try_join_next().is_some() {}
        match accepted {
            Ok((client, peer)) => {
                let permit = tokio::select! {
                    _ = stop.wait_for(|s| *s) => break,
                    p = shared.connections.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                };
                let shared = shared.clone();
                sessions.spawn(async move {
                    serve(&shared, client, &peer).await;
                    drop(permit);
                });
            }
            Err(e) => {
                tracing::warn!(listening = %name, error = %e, "accept failed");
                tokio::select! {
                    _ = stop.wait_for(|s| *s) => break,
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            }
        }
    }
    #[cfg(unix)]
    if let Listener::Unix(_, path) = &listener {
        let _ = std::fs::remove_file(path);
    }
    drop(listener);
    let open = sessions.len();
    if open > 0 {
        tracing::info!(listening = %name, open, grace_ms = shared.config.grace_period.as_millis() as u64, "waiting for open sessions");
    }
    let drained = tokio::time::timeout(shared.config.grace_period, async {
        while sessions.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        let left = sessions.len() as u64;
        tracing::info!(listening = %name, closed = left, "closing sessions still open after the grace period");
        sessions.abort_all();
        return left;
    }
    0
}

/// A client's stream.
trait Client: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Client for T {}

async fn accept(listener: &Listener) -> io::Result<(Box<dyn Client>, String)> {
    match listener {
        Listener::Tcp(l) => {
            let (s, peer) = l.accept().await?;
            let _ = s.set_nodelay(true);
            Ok((Box::new(s), peer.to_string()))
        }
        #[cfg(unix)]
        Listener::Unix(l, path) => {
            let (s, _) = l.accept().await?;
            Ok((Box::new(s), path.display().to_string()))
        }
    }
}

/// One client connection, to its end.
async fn serve(shared: &Shared, mut client: Box<dyn Client>, peer: &str) {
    let started = Instant::now();
    let workgroup = shared.connector.workgroup();
    let params =
        match tokio::time::timeout(STARTUP_TIMEOUT, startup(shared, &mut client, peer)).await {
            Ok(Some(p)) => p,
            Ok(None) => return,
            Err(_) => {
                tracing::info!(%peer, "no StartupMessage in time; connection closed");
                return;
            }
        };
    let Ok(_permit) = shared.sessions.clone().try_acquire_owned() else {
        shared.refused.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(%peer, max = shared.config.max_connections, "session refused: too many sessions");
        let message = format!(
            "sorry, too many clients already: the proxy serves at most {} sessions",
            shared.config.max_connections
        );
        wire::send_fatal(&mut client, "53300", &message).await;
        return;
    };
    let database = param(&params, "database").unwrap_or_else(|| crate::DEFAULT_DATABASE.to_owned());
    let forwarded: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k != "user")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (mut upstream, signed_in) = match shared.connector.sign_in(&forwarded).await {
        Ok(s) => s,
        Err(e) => {
            shared.refused.fetch_add(1, Ordering::Relaxed);
            refuse(&mut client, &e, peer, workgroup).await;
            return;
        }
    };
    if client.write_all(&signed_in.messages).await.is_err() || client.flush().await.is_err() {
        return;
    }
    let key = signed_in.key;
    if let Some(k) = key {
        lock(&shared.keys).insert(k);
    }
    shared.signed_in.fetch_add(1, Ordering::Relaxed);
    tracing::info!(%peer, workgroup, %database, "session signed in upstream");
    let relayed = redshift_serverless_pgwire::relay::relay(&mut client, &mut upstream).await;
    if let Some(k) = key {
        lock(&shared.keys).remove(&k);
    }
    let error = relayed.error.map(|e| e.to_string()).unwrap_or_default();
    tracing::info!(
        %peer,
        workgroup,
        %database,
        duration_ms = started.elapsed().as_millis() as u64,
        bytes_from_client = relayed.from_client,
        bytes_to_client = relayed.to_client,
        %error,
        "session ended"
    );
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.clone())
}

/// The client's StartupMessage parameters, after any encryption requests (each answered
/// `N`); `None` when the connection ends here (a cancel request, or gone).
async fn startup(
    shared: &Shared,
    client: &mut Box<dyn Client>,
    peer: &str,
) -> Option<Vec<(String, String)>> {
    for _ in 0..3 {
        match wire::read_first_packet(client).await {
            Ok(FirstPacket::SslRequest | FirstPacket::GssEncRequest) => {
                client.write_all(b"N").await.ok()?;
                client.flush().await.ok()?;
            }
            Ok(FirstPacket::Cancel {
                process_id,
                secret_key,
            }) => {
                let known = lock(&shared.keys).contains(&(process_id, secret_key));
                if known {
                    if let Err(e) = shared.connector.cancel(process_id, secret_key).await {
                        tracing::warn!(%peer, error = %e, "cancel request not passed on");
                    } else {
                        tracing::info!(%peer, "cancel request passed on");
                    }
                } else {
                    tracing::info!(%peer, "cancel request for no session of this proxy ignored");
                }
                return None;
            }
            Ok(FirstPacket::Startup { params }) => return Some(params),
            Err(ReadError::Protocol(m)) => {
                tracing::info!(%peer, error = %m, "not a PostgreSQL client; connection closed");
                wire::send_fatal(client, "08P01", &m).await;
                return None;
            }
            Err(ReadError::Io(_)) => return None,
        }
    }
    wire::send_fatal(client, "08P01", "too many encryption requests").await;
    None
}

/// Tells the client why its session was not opened: the workgroup's own ErrorResponse, or
/// what failed on the way.
async fn refuse(client: &mut Box<dyn Client>, error: &Error, peer: &str, workgroup: &str) {
    tracing::info!(%peer, workgroup, error = %error, "session refused");
    let bytes = match error.server_error() {
        Some(e) => wire::error_response(
            if e.severity.is_empty() {
                "FATAL"
            } else {
                &e.severity
            },
            &e.code,
            &e.message,
        ),
        None => wire::error_response(
            "FATAL",
            "08006",
            &format!("the proxy cannot sign in to workgroup {workgroup}: {error}"),
        ),
    };
    let _ = client.write_all(&bytes).await;
    let _ = client.flush().await;
}
