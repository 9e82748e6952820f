//! The connector against the emulator's SQL front and a real PostgreSQL (a private cluster
//! the test starts): sessions are tokio-postgres's, tokens are fetched once, refusals name
//! their reason, and nothing secret is logged.

mod common;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use common::{log, Setup};
use futures_util::{SinkExt, StreamExt};
use redshift_serverless_connect::Error;
use redshift_serverless_emulator::{Clock, DEMO_SECRET_ACCESS_KEY, GET_WORKGROUP_TARGET, TARGET};
use redshift_serverless_testkit::Postgres;
use redshift_serverless_token::TokenCache;

fn text(row: &tokio_postgres::Row) -> String {
    row.get::<_, String>(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_tokio_postgres_signed_in_as_the_identity_center_user() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let connector = setup
        .connector("default")
        .application_name("connect-test")
        .build()
        .unwrap();
    let mut client = connector.connect_spawned().await.expect("signs in");

    assert_eq!(
        text(&client.query_one("select current_user", &[]).await.unwrap()),
        "awsidc:alice@example.com"
    );
    assert_eq!(
        text(
            &client
                .query_one("select current_setting('application_name')", &[])
                .await
                .unwrap()
        ),
        "connect-test"
    );
    assert_eq!(
        text(
            &client
                .query_one("select current_database()", &[])
                .await
                .unwrap()
        ),
        "dev"
    );

    // A prepared statement with parameters.
    let add = client.prepare("select $1::int4 + $2::int4").await.unwrap();
    for (a, b) in [(1, 2), (40, 2), (-7, 7)] {
        let sum: i32 = client.query_one(&add, &[&a, &b]).await.unwrap().get(0);
        assert_eq!(sum, a + b);
    }

    // A transaction rolled back leaves nothing.
    client
        .batch_execute("create temp table t (i int4, s text)")
        .await
        .unwrap();
    {
        let tx = client.transaction().await.unwrap();
        tx.execute("insert into t values (1, 'one')", &[])
            .await
            .unwrap();
        tx.rollback().await.unwrap();
    }
    let n: i64 = client
        .query_one("select count(*) from t", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);

    // COPY IN, then COPY OUT.
    let sink = client.copy_in("copy t from stdin").await.unwrap();
    futures_util::pin_mut!(sink);
    let mut rows = String::new();
    for i in 0..1000 {
        rows.push_str(&format!("{i}\trow {i}\n"));
    }
    sink.send(Bytes::from(rows.clone())).await.unwrap();
    assert_eq!(sink.finish().await.unwrap(), 1000);
    let out = client
        .copy_out("copy (select * from t order by i) to stdout")
        .await
        .unwrap();
    let chunks: Vec<Bytes> = out.map(|c| c.unwrap()).collect().await;
    assert_eq!(chunks.concat(), rows.into_bytes());

    // A million rows, streamed.
    let stream = client
        .query_raw(
            "select i from generate_series(1, 1000000) as s(i)",
            std::iter::empty::<i32>(),
        )
        .await
        .unwrap();
    futures_util::pin_mut!(stream);
    let (mut count, mut last) = (0u64, 0i32);
    while let Some(row) = stream.next().await {
        last = row.unwrap().get(0);
        count += 1;
    }
    assert_eq!((count, last), (1_000_000, 1_000_000));

    // LISTEN/NOTIFY in the same session.
    client
        .batch_execute("listen jobs; notify jobs, 'done'")
        .await
        .unwrap();

    // One token and one GetWorkgroup for all of it.
    assert_eq!(setup.calls(TARGET), 1);
    assert_eq!(setup.calls(GET_WORKGROUP_TARGET), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_query_cancels_pg_sleep() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let connector = setup.connector("default").build().unwrap();
    let client = connector.connect_spawned().await.unwrap();
    let cancel = client.cancel_token();
    let started = std::time::Instant::now();
    let sleeping = tokio::spawn(async move { client.simple_query("select pg_sleep(30)").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    connector
        .cancel_query(&cancel)
        .await
        .expect("the cancel request is sent");
    let result = tokio::time::timeout(Duration::from_secs(20), sleeping)
        .await
        .expect("the query ended")
        .unwrap();
    let err = result.expect_err("the query was cancelled");
    assert_eq!(
        err.code(),
        Some(&tokio_postgres::error::SqlState::QUERY_CANCELED)
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sessions_cost_one_token_and_an_expired_one_costs_one_more() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let cache = TokenCache::new(setup.client.clone());
    let connector = setup
        .connector("analytics")
        .token_cache(cache.clone())
        .build()
        .unwrap();
    let sessions: Vec<_> = (0..50)
        .map(|_| {
            let c = connector.clone();
            tokio::spawn(async move { c.connect_spawned().await })
        })
        .collect();
    let mut clients = Vec::new();
    for s in sessions {
        clients.push(s.await.unwrap().expect("signs in"));
    }
    for c in &clients {
        assert_eq!(
            text(&c.query_one("select current_user", &[]).await.unwrap()),
            "awsidc:alice@example.com"
        );
    }
    assert_eq!(
        setup.calls(TARGET),
        1,
        "50 sessions, one GetIdentityCenterAuthToken"
    );
    assert_eq!(setup.calls(GET_WORKGROUP_TARGET), 1);

    // The workgroup's clock passes the token's expiry while the cache still holds it.
    let later = SystemTime::now() + Duration::from_secs(3600);
    setup.emu.set_clock(Clock::fixed(later));
    let client = connector
        .connect_spawned()
        .await
        .expect("signs in with a new token");
    assert_eq!(
        text(&client.query_one("select current_user", &[]).await.unwrap()),
        "awsidc:alice@example.com"
    );
    assert_eq!(setup.calls(TARGET), 2, "one new token for the expired one");
    assert!(setup.emu.sql_sign_ins_refused() >= 1);

    // Nothing secret in any log, at TRACE, or in Debug.
    let token = cache.token(&["analytics"]).await.unwrap();
    let secret = token.expose_secret().to_owned();
    let logged = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
    assert!(logged.contains("TRACE"), "the capture works");
    for s in [secret.as_str(), DEMO_SECRET_ACCESS_KEY] {
        assert!(!logged.contains(s), "a secret reached the log");
        assert!(!format!("{connector:?} {cache:?} {token:?}").contains(s));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_and_failures_name_their_reason() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;

    // A token for one workgroup at another workgroup's endpoint.
    let other = setup.emu.sql_addr("analytics").unwrap();
    let connector = setup
        .connector("default")
        .host("127.0.0.1")
        .port(other.port())
        .build()
        .unwrap();
    let err = connector.connect_spawned().await.expect_err("refused");
    let server = err.server_error().expect("the server's refusal");
    assert_eq!(server.code, "28000");
    assert_eq!(
        err.to_string(),
        "the workgroup refused the sign-in: FATAL: Identity Center sign-in failed: the token was issued for workgroup default, not for workgroup analytics (SQLSTATE 28000)"
    );

    // An identity namespace the workgroup will not take.
    let err = setup
        .connector("default")
        .identity_namespace("no-dashes")
        .build()
        .unwrap()
        .connect_spawned()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("identity_namespace \"no-dashes\""),
        "{err}"
    );

    // An unknown workgroup: GetWorkgroup's error.
    let err = setup
        .connector("nope-wg")
        .build()
        .unwrap()
        .connect_spawned()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Endpoint(_)), "{err}");
    assert!(
        err.to_string().contains("ResourceNotFoundException"),
        "{err}"
    );

    // Without the emulator's CA the certificate is not trusted.
    let err = redshift_serverless_connect::Builder::from_client(setup.client.clone())
        .workgroup("default")
        .build()
        .unwrap()
        .connect_spawned()
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("TLS with 127.0.0.1:"), "{err}");

    // Nothing listening.
    let port = redshift_serverless_testkit::free_port().unwrap();
    let err = setup
        .connector("default")
        .host("127.0.0.1")
        .port(port)
        .build()
        .unwrap()
        .connect_spawned()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("connecting to 127.0.0.1:{port} failed")),
        "{err}"
    );

    // Configuration mistakes, before anything is sent.
    for (builder, says) in [
        (
            redshift_serverless_connect::Builder::from_client(setup.client.clone()),
            "no workgroup",
        ),
        (
            setup.connector("default").port(5439),
            "port 5439 without a host",
        ),
        (
            setup.connector("default").ca_bundle_pem("not pem"),
            "CA bundle 2 holds no certificate",
        ),
        (
            setup.connector("default").connect_timeout(Duration::ZERO),
            "the connect timeout is 0",
        ),
    ] {
        let err = builder.build().unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bb8_pool_shares_one_token() {
    let Some(pg) = Postgres::shared() else { return };
    let setup = Setup::start(pg).await;
    let connector = setup.connector("default").build().unwrap();
    let pool = bb8::Pool::builder()
        .max_size(4)
        .retry_connection(false)
        .build(redshift_serverless_connect::pool::ConnectionManager::new(
            connector,
        ))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let session = pool.get().await.expect("a pooled session");
                let row = session
                    .query_one("select current_user, $1::int4", &[&i])
                    .await
                    .unwrap();
                (row.get::<_, String>(0), row.get::<_, i32>(1))
            })
        })
        .collect();
    for (i, t) in tasks.into_iter().enumerate() {
        assert_eq!(
            t.await.unwrap(),
            ("awsidc:alice@example.com".to_owned(), i as i32)
        );
    }
    assert!(pool.state().connections <= 4);
    assert_eq!(setup.calls(TARGET), 1);
}
