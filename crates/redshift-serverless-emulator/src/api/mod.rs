//! The HTTP API: the awsJson 1.1 service endpoint and the admin endpoints.
//!
//! The accept loop is raw (not hyper-util's server) so a fault can drop a connection, and
//! so the number of connections is capped: past [`Limits::max_connections`] the loop stops
//! accepting and lets the kernel's backlog hold the rest. A failed accept backs off
//! ([`crate::accept`]).

mod admin;
mod fault;
mod handler;
mod response;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::config::EmulatorConfig;
use crate::lifecycle::Shared;

pub use handler::{ADMIN_PREFIX, CONTENT_TYPE, TARGET};

/// How long shutdown waits for in-flight connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What bounds the HTTP API's resources.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Connections served at once.
    pub(crate) max_connections: usize,
    /// How long a request's body may take to arrive, once its headers have.
    pub(crate) body_timeout: Duration,
}

impl Limits {
    pub(crate) fn from_config(config: &EmulatorConfig) -> Self {
        Limits {
            max_connections: config.max_connections.max(1),
            body_timeout: config.body_timeout,
        }
    }
}

/// Serves until shutdown, then gives open connections [`SHUTDOWN_GRACE`] to finish.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, limits: Limits) {
    let mut conns = JoinSet::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let stop = shared.stopped();
    tokio::pin!(stop);
    let mut backoff = crate::accept::AcceptBackoff::default();
    loop {
        // A permit first: at the cap, connections wait in the backlog, using no descriptor.
        let permit = tokio::select! {
            _ = &mut stop => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        while conns.try_join_next().is_some() {}
        match accepted {
            Ok((stream, peer)) => {
                backoff.accepted("HTTP API");
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                conns.spawn(async move {
                    serve_connection(stream, peer, shared, limits).await;
                    drop(permit);
                });
            }
            Err(e) => {
                let pause = backoff.failed(&e, "HTTP API");
                tokio::select! {
                    _ = &mut stop => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        conns.abort_all();
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    limits: Limits,
) {
    let stop = shared.stopped();
    let svc_shared = shared.clone();
    let service = service_fn(move |req| handler::handle(svc_shared.clone(), limits, req));
    let mut builder = http1::Builder::new();
    // With a timer, hyper cuts a connection whose request head takes over 30 s.
    builder.timer(TokioTimer::new());
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::pin!(stop);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        }
        _ = &mut stop => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn.as_mut()).await;
        }
    }
}
