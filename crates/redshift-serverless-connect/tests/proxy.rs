//! The proxy: plain PostgreSQL clients (tokio-postgres without TLS, psql, psycopg) connect
//! with no password and work as the Identity Center user; refusals, cancels, load, an
//! upstream that goes away, and shutdown with open sessions.

mod common;

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::{log, Setup};
use redshift_serverless_connect::proxy::{Listen, Proxy, ProxyConfig, ProxyStats};
use redshift_serverless_connect::Connector;
use redshift_serverless_emulator::{DEMO_SECRET_ACCESS_KEY, TARGET};
use redshift_serverless_testkit::{program, python_with_psycopg, Postgres};
use tokio::sync::oneshot;
use tokio_postgres::NoTls;

/// A running proxy: its address, a way to stop it, and what `run` returns.
struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<ProxyStats>,
}

impl Running {
    async fn start(connector: Connector, config: ProxyConfig) -> Running {
        let proxy = Proxy::bind(
            connector,
            &[Listen::Tcp("127.0.0.1:0".parse().unwrap())],
            config,
        )
        .await
        .expect("the proxy binds");
        let addr = proxy.tcp_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let done = tokio::spawn(proxy.run(async {
            let _ = rx.await;
        }));
        Running {
            addr,
            stop: Some(tx),
            done,
        }
    }

    fn url(&self, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=whoever dbname={database} application_name=proxy-test",
            self.addr.port()
        )
    }

    async fn client(
        &self,
        database: &str,
    ) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let (client, connection) = tokio_postgres::connect(&self.url(database), NoTls).await?;
        tokio::spawn(connection);
        Ok(client)
    }

    async fn stop(mut self) -> ProxyStats {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.done.await.unwrap()
    }
}

async fn current_user(client: &tokio_postgres::Client) -> String {
    client
        .query_one("select current_user", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_postgres_client_works_through_the_proxy_as_the_identity_center_user() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let cache = redshift_serverless_token::TokenCache::new(setup.client.clone());
    let proxy = Running::start(
        setup
            .connector("default")
            .token_cache(cache.clone())
            .build()
            .unwrap(),
        ProxyConfig::default(),
    )
    .await;

    // tokio-postgres without TLS or a password: the SSLRequest is answered N.
    let client = proxy
        .client("dev")
        .await
        .expect("a session through the proxy");
    assert_eq!(current_user(&client).await, "awsidc:alice@example.com");
    let row = client
        .query_one(
            "select current_database(), current_setting('application_name')",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("dev".into(), "proxy-test".into())
    );
    // The client's database goes upstream.
    let other = proxy.client("postgres").await.unwrap();
    let db: String = other
        .query_one("select current_database()", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(db, "postgres");

    // psql.
    if let Some(psql) = program("psql") {
        let out = Command::new(psql)
            .args([
                "-X",
                "-A",
                "-t",
                "-h",
                "127.0.0.1",
                "-p",
                &proxy.addr.port().to_string(),
            ])
            .args(["-U", "someone", "-d", "dev", "-c", "select current_user"])
            .env_remove("PGPASSWORD")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "awsidc:alice@example.com"
        );
    }

    // psycopg (libpq), with sslmode=prefer: it asks for TLS, gets N, goes on plain.
    if let Some(python) = python_with_psycopg() {
        let script = format!(
            "import psycopg\nwith psycopg.connect('host=127.0.0.1 port={} dbname=dev user=x sslmode=prefer') as c:\n    print(c.execute('select current_user').fetchone()[0])",
            proxy.addr.port()
        );
        let out = Command::new(python).args(["-c", &script]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "awsidc:alice@example.com"
        );
    }

    // Every session on one token.
    assert_eq!(setup.calls(TARGET), 1);
    drop((client, other));
    let stats = proxy.stop().await;
    assert!(stats.sessions >= 2, "{stats:?}");

    // Neither the token nor the secret key in any log, at TRACE.
    let token = cache.token(&["default"]).await.unwrap();
    let logged = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
    assert!(
        logged.contains("session signed in upstream"),
        "the capture works"
    );
    assert!(
        !logged.contains(token.expose_secret()),
        "the token reached the log"
    );
    assert!(!logged.contains(DEMO_SECRET_ACCESS_KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_refusal_reaches_the_client_with_its_sqlstate() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let connector = setup
        .connector("default")
        .identity_namespace("no-dashes")
        .build()
        .unwrap();
    let proxy = Running::start(connector, ProxyConfig::default()).await;
    let err = proxy.client("dev").await.expect_err("refused upstream");
    let db = err.as_db_error().expect("the workgroup's ErrorResponse");
    assert_eq!(db.code().code(), "28000");
    assert!(
        db.message().contains("identity_namespace \"no-dashes\""),
        "{}",
        db.message()
    );

    // A failure on the way (no such workgroup) is a FATAL naming it.
    let proxy2 = Running::start(
        setup.connector("nope-wg").build().unwrap(),
        ProxyConfig::default(),
    )
    .await;
    let err = proxy2.client("dev").await.unwrap_err();
    let db = err.as_db_error().expect("an ErrorResponse");
    assert_eq!(db.code().code(), "08006");
    assert!(
        db.message().starts_with(
            "the proxy cannot sign in to workgroup nope-wg: cannot find the workgroup's endpoint"
        ),
        "{}",
        db.message()
    );

    // Past the cap: 53300.
    let proxy3 = Running::start(
        setup.connector("default").build().unwrap(),
        ProxyConfig::default().max_connections(1),
    )
    .await;
    let _held = proxy3.client("dev").await.unwrap();
    let err = proxy3.client("dev").await.unwrap_err();
    assert_eq!(err.as_db_error().map(|d| d.code().code()), Some("53300"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_request_is_passed_upstream() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let proxy = Running::start(
        setup.connector("default").build().unwrap(),
        ProxyConfig::default(),
    )
    .await;
    let client = proxy.client("dev").await.unwrap();
    let cancel = client.cancel_token();
    let sleeping = tokio::spawn(async move { client.simple_query("select pg_sleep(30)").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // tokio-postgres's own cancel: a CancelRequest to the proxy with the key it was given.
    cancel
        .cancel_query(NoTls)
        .await
        .expect("the cancel request is sent");
    let result = tokio::time::timeout(Duration::from_secs(20), sleeping)
        .await
        .expect("the query ended")
        .unwrap();
    assert_eq!(
        result.expect_err("cancelled").code(),
        Some(&tokio_postgres::error::SqlState::QUERY_CANCELED)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_sessions_and_an_upstream_that_goes_away() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let proxy = Arc::new(
        Running::start(
            setup.connector("analytics").build().unwrap(),
            ProxyConfig::default().max_connections(250),
        )
        .await,
    );
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let proxy = proxy.clone();
            tokio::spawn(async move {
                let client = proxy.client("dev").await?;
                let row = client
                    .query_one("select current_user, $1::int4", &[&i])
                    .await?;
                Ok::<_, tokio_postgres::Error>((
                    client,
                    row.get::<_, String>(0),
                    row.get::<_, i32>(1),
                ))
            })
        })
        .collect();
    let mut clients = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let (client, user, n) = t.await.unwrap().expect("a session");
        assert_eq!((user.as_str(), n), ("awsidc:alice@example.com", i as i32));
        clients.push(client);
    }
    assert_eq!(setup.calls(TARGET), 1, "200 sessions, one token");

    // PostgreSQL ends one session's backend: that client gets the error and a closed
    // connection; the proxy and the other sessions carry on.
    let victim = &clients[0];
    let pid: i32 = victim
        .query_one("select pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    pg.psql_as_superuser(&format!("select pg_terminate_backend({pid})"))
        .unwrap();
    let err = victim
        .simple_query("select 1")
        .await
        .expect_err("the session is gone");
    assert!(
        err.code() == Some(&tokio_postgres::error::SqlState::ADMIN_SHUTDOWN) || err.is_closed(),
        "{err}"
    );
    assert_eq!(current_user(&clients[1]).await, "awsidc:alice@example.com");
    let fresh = proxy.client("dev").await.unwrap();
    assert_eq!(current_user(&fresh).await, "awsidc:alice@example.com");
    drop(clients);
    drop(fresh);
    let proxy = Arc::try_unwrap(proxy).ok().expect("no other owner");
    proxy.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_waits_for_open_sessions_up_to_the_grace_period() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    // A session that ends within the grace period is not cut.
    let proxy = Running::start(
        setup.connector("default").build().unwrap(),
        ProxyConfig::default().grace_period(Duration::from_secs(10)),
    )
    .await;
    let client = proxy.client("dev").await.unwrap();
    let query =
        tokio::spawn(async move { client.simple_query("select pg_sleep(1)").await.map(|_| ()) });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let stats = proxy.stop().await;
    assert!(
        query.await.unwrap().is_ok(),
        "the query finished during the grace period"
    );
    assert_eq!(stats.closed_at_shutdown, 0, "{stats:?}");
    assert!(started.elapsed() < Duration::from_secs(9));

    // One that outlives it is closed at its end.
    let proxy = Running::start(
        setup.connector("default").build().unwrap(),
        ProxyConfig::default().grace_period(Duration::from_millis(500)),
    )
    .await;
    let addr = proxy.addr;
    let client = proxy.client("dev").await.unwrap();
    let query =
        tokio::spawn(async move { client.simple_query("select pg_sleep(30)").await.map(|_| ()) });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stats = proxy.stop().await;
    assert_eq!(stats.closed_at_shutdown, 1, "{stats:?}");
    let result = tokio::time::timeout(Duration::from_secs(10), query)
        .await
        .expect("the client saw the end")
        .unwrap();
    assert!(result.is_err());
    // And nothing listens any more.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_unless_allowed_and_a_private_unix_socket() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let connector = setup.connector("default").build().unwrap();
    let err = Proxy::bind(
        connector.clone(),
        &[Listen::Tcp("0.0.0.0:0".parse().unwrap())],
        ProxyConfig::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(
        err.to_string().contains("is not a loopback address"),
        "{err}"
    );
    assert!(Proxy::bind(
        connector.clone(),
        &[Listen::Tcp("0.0.0.0:0".parse().unwrap())],
        ProxyConfig::default().allow_remote(true)
    )
    .await
    .is_ok());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("proxy-socket-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = 54_321;
        let proxy = Proxy::bind(
            connector,
            &[Listen::Unix {
                dir: dir.clone(),
                port,
            }],
            ProxyConfig::default(),
        )
        .await
        .unwrap();
        let path = dir.join(format!(".s.PGSQL.{port}"));
        assert_eq!(proxy.addresses(), [path.display().to_string()]);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "socket mode {mode:o}");
        let (tx, rx) = oneshot::channel::<()>();
        let done = tokio::spawn(proxy.run(async {
            let _ = rx.await;
        }));
        let (client, connection) = tokio_postgres::connect(
            &format!("host={} port={port} user=x dbname=dev", dir.display()),
            NoTls,
        )
        .await
        .expect("a session over the socket");
        tokio::spawn(connection);
        assert_eq!(current_user(&client).await, "awsidc:alice@example.com");
        drop(client);
        let _ = tx.send(());
        done.await.unwrap();
        assert!(!path.exists(), "the socket is removed at shutdown");
        let _ = std::fs::remove_dir_all(&dir);
    }

    // No secret in any log, at TRACE.
    let logged = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
    assert!(!logged.contains(DEMO_SECRET_ACCESS_KEY));
}

/// Clients that connect and send nothing hold at most twice `max_connections` connections;
/// past that, a new client waits until one of them goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_bounded() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let proxy = Running::start(
        setup.connector("default").build().unwrap(),
        ProxyConfig::default().max_connections(1),
    )
    .await;
    let idle1 = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    let _idle2 = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = tokio::time::timeout(Duration::from_millis(1500), proxy.client("dev")).await;
    assert!(
        waiting.is_err(),
        "a third connection was served past the bound"
    );
    drop(idle1);
    let client = tokio::time::timeout(Duration::from_secs(10), proxy.client("dev"))
        .await
        .expect("served once an idle connection went")
        .expect("a session");
    assert_eq!(current_user(&client).await, "awsidc:alice@example.com");
}
