//! `redshift-serverless proxy`: any PostgreSQL client as the Identity Center user, through
//! `redshift_serverless_connect::proxy`, configured from the same settings as every other
//! command (profile, region, endpoint URL, CA bundle).
//!
//! The command line is judged first (exit 252, nothing sent); then the settings and the
//! credentials (253); then GetWorkgroup for the upstream endpoint, with the other commands'
//! error lines (254/255); then the listeners (255 if one cannot be bound). At start one line
//! on standard output says where it listens and where it signs in; SIGINT or SIGTERM stops it
//! after the grace period, and a summary goes to standard error.

use std::net::SocketAddr;
use std::time::Duration;

use redshift_serverless_client::operation::get_workgroup::GetWorkgroupError;
use redshift_serverless_connect::proxy::{Listen, Proxy, ProxyConfig};
use redshift_serverless_connect::{EndpointError, Error, TlsMode};

use crate::args::{GlobalArgs, ProxyArgs, TlsModeArg};
use crate::attempts::AttemptTracker;
use crate::escape::escape_controls;
use crate::failure::Failure;
use crate::operation::{GetWorkgroup, Operation};
use crate::stdio::{write_stderr, write_stdout};

/// Runs the proxy until SIGINT or SIGTERM; what to print on standard output at the end
/// (nothing: the ready line was printed at start).
pub async fn run(global: &GlobalArgs, args: &ProxyArgs) -> Result<String, Failure> {
    if !args.address.is_loopback() && !args.allow_remote {
        return Err(Failure::InvalidParameters(format!(
            "--address {} is not a loopback address: anyone who reaches the proxy acts as the \
             Identity Center user. Add --allow-remote to listen there anyway.",
            args.address
        )));
    }
    if let Some(dir) = &args.unix_socket {
        if !dir.is_dir() {
            return Err(Failure::InvalidParameters(format!(
                "--unix-socket {} is not a directory",
                escape_controls(&dir.display().to_string())
            )));
        }
    }
    if let Some(url) = &global.endpoint_url {
        crate::endpoint_url::check_flag(url)?;
    }
    let settings = crate::settings::resolve(global, &|name: &str| std::env::var(name).ok()).await?;
    let tracker = AttemptTracker::<GetWorkgroupError>::new(GetWorkgroup::ERRORS);
    let connected = crate::run::connect(global, &settings, tracker.clone()).await?;

    let mut builder = redshift_serverless_connect::Builder::from_client(connected.client)
        .workgroup(&args.workgroup)
        .database(&args.database)
        .tls_mode(match args.tls_mode {
            TlsModeArg::VerifyFull => TlsMode::VerifyFull,
            TlsModeArg::VerifyCa => TlsMode::VerifyCa,
        })
        .application_name("redshift-serverless proxy");
    if let Some(ns) = &args.identity_namespace {
        builder = builder.identity_namespace(ns);
    }
    if global.cli_connect_timeout > 0.0 {
        if let Ok(limit) = Duration::try_from_secs_f64(global.cli_connect_timeout) {
            builder = builder.connect_timeout(limit);
        }
    }
    if let Some(bundle) = &settings.ca_bundle {
        // The CA bundle the settings name is trusted for the workgroup's certificate too,
        // beside the platform's roots.
        let pem = crate::files::read(&bundle.path).map_err(|e| {
            Failure::Configuration(format!(
                "Could not read the CA bundle {} (from {}): {e}",
                escape_controls(&bundle.path.display().to_string()),
                bundle.source
            ))
        })?;
        builder = builder.ca_bundle_pem(pem);
    }
    let connector = builder
        .build()
        .map_err(|e| Failure::Configuration(escape_controls(&e.to_string()).into_owned()))?;

    // The upstream endpoint now, so a wrong workgroup or setting fails at start.
    let upstream = match connector.endpoint().await {
        Ok(endpoint) => endpoint,
        Err(Error::Endpoint(EndpointError::Call(err))) => {
            return Err(crate::run::map_error(
                GetWorkgroup::NAME,
                &err,
                tracker.stats(),
                connected.max_attempts,
                tracker.last_endpoint().as_deref(),
            ))
        }
        Err(e) => return Err(Failure::Other(escape_controls(&e.to_string()).into_owned())),
    };

    let mut listen = vec![Listen::Tcp(SocketAddr::new(args.address, args.port))];
    if let Some(dir) = &args.unix_socket {
        listen.push(Listen::Unix {
            dir: dir.clone(),
            // 0: the TCP listener's port, as bound.
            port: args.port,
        });
    }
    let config = ProxyConfig::default()
        .max_connections(args.max_connections as usize)
        .grace_period(Duration::try_from_secs_f64(args.grace_period).unwrap_or(Duration::ZERO))
        .allow_remote(args.allow_remote);
    let proxy = Proxy::bind(connector, &listen, config).await.map_err(|e| {
        Failure::Other(format!(
            "Could not start the proxy: {}",
            escape_controls(&e.to_string())
        ))
    })?;
    if !args.address.is_loopback() {
        write_stderr(&format!(
            "Warning: the proxy listens on {}, not on loopback: anyone who reaches it acts as the \
             Identity Center user of these credentials, over an unencrypted client leg.\n",
            args.address
        ));
    }
    let stop = StopSignals::install();
    let ready = format!(
        "redshift-serverless proxy listening on {} for workgroup {} (upstream {upstream})\n",
        proxy.addresses().join(" and "),
        args.workgroup
    );
    // A closed standard output is no reason to stop serving: the line is informational.
    let _ = write_stdout(&ready);
    let stats = proxy.run(stop.wait()).await;
    write_stderr(&format!(
        "redshift-serverless proxy stopped: {} sessions signed in, {} refused, {} closed at the end of the grace period\n",
        stats.sessions, stats.refused, stats.closed_at_shutdown
    ));
    Ok(String::new())
}

/// SIGINT (Ctrl-C) and SIGTERM, listened for from the moment this is made: installed before
/// the ready line, so a signal sent as soon as the line is read stops the proxy cleanly
/// rather than killing it.
struct StopSignals {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    fn install() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            StopSignals {
                signals: signal(SignalKind::interrupt())
                    .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut int, mut term)) = self.signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
