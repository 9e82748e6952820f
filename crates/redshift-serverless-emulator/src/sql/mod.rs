//! The SQL front: each workgroup's database endpoint, as Redshift Serverless serves it.
//!
//! A session asks for TLS, sends a StartupMessage with `idp_type=AwsIdc` and
//! `token_type=SUBJECT_TOKEN`, is asked for its token (AuthenticationRequest code 14) and
//! answers with it (message `i`). The front checks the token against the ones the HTTP API
//! issued (this emulator's, not expired, naming this workgroup), opens a session on the
//! real PostgreSQL as the role `<namespace>:<user>`, and from the first ReadyForQuery on
//! relays bytes both ways. What the client sees of the sign-in is Redshift's:
//! `server_version` is 8.0.2, the Redshift-only startup parameters stop here, and the
//! BackendKeyData is the front's own, mapped to PostgreSQL's for cancel requests.
//!
//! Each workgroup has its own port, as each Redshift workgroup has its own endpoint: that is
//! how the front knows which workgroup a session is for. Resources are bounded: sessions
//! (over every workgroup) by [`SqlConfig::max_connections`], with connections still signing
//! in allowed as many again; a sign-in by a timeout; a session's memory by fixed relay
//! buffers. A failed sign-in never reaches PostgreSQL. The token is never logged.

mod backend;
mod cancel;
mod config;
mod session;
mod signin;
mod tls;

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};

use crate::lifecycle::Shared;

pub use config::{SqlConfig, DEFAULT_SQL_MAX_CONNECTIONS};
pub use signin::check_identity_user;

/// How long shutdown lets open sessions run before closing them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Everything the sessions of every workgroup share.
#[derive(Debug)]
pub(crate) struct Front {
    backend: backend::Backend,
    certs: tls::Certificates,
    allow_plain: bool,
    password_sign_in: bool,
    /// Sessions signed in at once.
    sessions: Arc<Semaphore>,
    max_sessions: usize,
    cancel: Arc<cancel::CancelKeys>,
    shared: Arc<Shared>,
    /// Sessions signed in since start.
    pub(crate) signed_in: AtomicU64,
    /// Sign-ins refused since start.
    pub(crate) refused: AtomicU64,
}

/// A started front: where each workgroup is served, the CA to trust, and the tasks.
#[derive(Debug)]
pub(crate) struct Started {
    pub(crate) endpoints: BTreeMap<String, SocketAddr>,
    pub(crate) ca_pem: String,
    pub(crate) front: Arc<Front>,
    pub(crate) tasks: Vec<JoinHandle<()>>,
}

/// Binds a port per workgroup and starts serving.
pub(crate) async fn start(
    config: &SqlConfig,
    workgroups: Vec<String>,
    shared: Arc<Shared>,
) -> io::Result<Started> {
    let invalid = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
    let backend = backend::Backend::new(&config.postgres).map_err(invalid)?;
    let certs = tls::make().map_err(io::Error::other)?;
    if let Some(path) = &config.ca_out {
        std::fs::write(path, &certs.ca_pem).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot write the SQL front's CA to {}: {e}", path.display()),
            )
        })?;
    }
    let max_sessions = config.max_connections.max(1);
    let front = Arc::new(Front {
        backend,
        certs,
        allow_plain: config.allow_plain,
        password_sign_in: config.password_sign_in,
        sessions: Arc::new(Semaphore::new(max_sessions)),
        max_sessions,
        cancel: Arc::default(),
        shared,
        signed_in: AtomicU64::new(0),
        refused: AtomicU64::new(0),
    });
    // Connections in any state, sessions and sign-ins together: beyond this the kernel's
    // backlog holds them.
    let connections = Arc::new(Semaphore::new(max_sessions.saturating_mul(2)));
    let mut endpoints = BTreeMap::new();
    let mut listeners = Vec::new();
    for (i, name) in workgroups.into_iter().enumerate() {
        let port = match config.port {
            0 => 0,
            base => u16::try_from(usize::from(base) + i).map_err(|_| {
                invalid(format!(
                    "no port left after {base} for workgroup {name}: {} workgroups from --sql-port {base} run past 65535",
                    i + 1
                ))
            })?,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot listen on 127.0.0.1:{port} for workgroup {name}: {e}"),
                )
            })?;
        let addr = listener.local_addr()?;
        tracing::info!(workgroup = %name, %addr, backend = %front.backend.address(), "SQL front listening");
        endpoints.insert(name.clone(), addr);
        listeners.push((name, listener));
    }
    let tasks = listeners
        .into_iter()
        .map(|(name, listener)| {
            tokio::spawn(accept_loop(
                listener,
                Arc::from(name.as_str()),
                front.clone(),
                connections.clone(),
            ))
        })
        .collect();
    let ca_pem = front.certs.ca_pem.clone();
    Ok(Started {
        endpoints,
        ca_pem,
        front,
        tasks,
    })
}

async fn accept_loop(
    listener: TcpListener,
    workgroup: Arc<str>,
    front: Arc<Front>,
    connections: Arc<Semaphore>,
) {
    let mut sessions = JoinSet::new();
    let stop = front.shared.stopped();
    tokio::pin!(stop);
    let mut backoff = crate::accept::AcceptBackoff::default();
    let name = format!("SQL front of workgroup {workgroup}");
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        while sessions.try_join_next().is_some() {}
        match accepted {
            Ok((stream, peer)) => {
                // The permit after the accept, since the workgroups' loops share the
                // permits: at the cap, this loop holds its one accepted connection and
                // accepts no more until a permit frees; the rest wait in the backlog.
                let permit = tokio::select! {
                    _ = &mut stop => break,
                    permit = connections.clone().acquire_owned() => match permit {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                };
                backoff.accepted(&name);
                let _ = stream.set_nodelay(true);
                let front = front.clone();
                let workgroup = workgroup.clone();
                sessions.spawn(async move {
                    session::serve(&front, stream, peer, &workgroup).await;
                    drop(permit);
                });
            }
            Err(e) => {
                let pause = backoff.failed(&e, &name);
                tokio::select! {
                    _ = &mut stop => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while sessions.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::info!(workgroup = %workgroup, open = sessions.len(), "closing SQL sessions still open at shutdown");
        sessions.abort_all();
    }
}
