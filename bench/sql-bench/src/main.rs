//! `sql-bench` subcommands, each printing one JSON line:
//!
//! - `setup API_URL CA_PEM_FILE WORKGROUP SQL_PORT ROUNDS PER_ROUND`: connection set-up with a
//!   cached token, alternating in rounds between the connector (`Connector::connect`) and a
//!   stock tokio-postgres TLS connection (verify-full, the token as its password: the
//!   emulator's `--sql-password-sign-in`) to the same front; each session runs `select 1`
//!   and is closed. Prints every sample in microseconds.
//! - `hold-plain CONNINFO N`: opens N sessions with tokio-postgres (no TLS: through the
//!   proxy), prints `{"ready":N}`, and holds them until stdin closes.
//! - `hold-connector API_URL CA_PEM_FILE WORKGROUP N`: the same through the connector.

use std::sync::Arc;
use std::time::Instant;

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_connect::Connector;
use tokio::io::AsyncReadExt;

const KEY_ID: &str = "AKIDEMULATOREXAMPLE";
const SECRET: &str = "emulator-secret-key";

fn client(api: &str) -> redshift_serverless_client::Client {
    let config = redshift_serverless_client::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(api)
        .credentials_provider(Credentials::new(KEY_ID, SECRET, None, None, "bench"))
        .build();
    redshift_serverless_client::Client::from_conf(config)
}

fn connector(api: &str, ca: &[u8], workgroup: &str) -> Connector {
    redshift_serverless_connect::Builder::from_client(client(api))
        .workgroup(workgroup)
        .ca_bundle_pem(ca.to_vec())
        .platform_roots(false)
        .build()
        .expect("a connector")
}

fn usage() -> ! {
    eprintln!("usage: sql-bench setup|hold-plain|hold-connector ...");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    let n = |i: usize| a(i).parse::<usize>().unwrap_or_else(|_| usage());
    match a(0).as_str() {
        "setup" => setup(&a(1), &a(2), &a(3), n(4) as u16, n(5), n(6)).await,
        "hold-plain" => hold_plain(&a(1), n(2)).await,
        "hold-connector" => hold_connector(&a(1), &a(2), &a(3), n(4)).await,
        _ => usage(),
    }
}

async fn setup(
    api: &str,
    ca_file: &str,
    workgroup: &str,
    port: u16,
    rounds: usize,
    per_round: usize,
) {
    let ca = std::fs::read(ca_file).expect("the CA file");
    // The token, cached: fetched once here; every measured connection reuses it (the stock
    // client as its password).
    let cache = redshift_serverless_token::TokenCache::new(client(api));
    let token = cache.token(&[workgroup]).await.expect("a token");
    let password = token.expose_secret().to_owned();
    let connector = redshift_serverless_connect::Builder::from_client(client(api))
        .workgroup(workgroup)
        .ca_bundle_pem(ca.clone())
        .platform_roots(false)
        .token_cache(cache)
        .build()
        .expect("a connector");
    connector
        .connect_spawned()
        .await
        .expect("a first session (endpoint and token cached)");

    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&ca) {
        roots.add(cert.expect("PEM")).expect("a CA");
    }
    let tls_config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config);
    let mut stock = tokio_postgres::Config::new();
    stock
        .host("127.0.0.1")
        .port(port)
        .user("alice")
        .dbname("dev")
        .password(password.as_str())
        .ssl_mode(tokio_postgres::config::SslMode::Require);

    let mut connector_us = Vec::new();
    let mut stock_us = Vec::new();
    for round in 0..rounds {
        for k in 0..2 {
            let which = (k + round) % 2;
            for _ in 0..per_round {
                let started = Instant::now();
                if which == 0 {
                    let client = connector
                        .connect_spawned()
                        .await
                        .expect("a connector session");
                    client.simple_query("select 1").await.expect("select 1");
                    drop(client);
                    connector_us.push(started.elapsed().as_micros() as u64);
                } else {
                    let (client, connection) =
                        stock.connect(tls.clone()).await.expect("a stock session");
                    tokio::spawn(connection);
                    client.simple_query("select 1").await.expect("select 1");
                    drop(client);
                    stock_us.push(started.elapsed().as_micros() as u64);
                }
            }
        }
    }
    println!("{{\"connector_us\":{connector_us:?},\"stock_us\":{stock_us:?}}}");
}

async fn wait_for_stdin_eof() {
    let mut sink = [0u8; 64];
    let mut stdin = tokio::io::stdin();
    while let Ok(n) = stdin.read(&mut sink).await {
        if n == 0 {
            break;
        }
    }
}

async fn hold_plain(conninfo: &str, n: usize) {
    let mut held = Vec::new();
    for _ in 0..n {
        let (client, connection) = tokio_postgres::connect(conninfo, tokio_postgres::NoTls)
            .await
            .expect("a session");
        tokio::spawn(connection);
        client.simple_query("select 1").await.expect("select 1");
        held.push(client);
    }
    println!("{{\"ready\":{}}}", held.len());
    wait_for_stdin_eof().await;
}

async fn hold_connector(api: &str, ca_file: &str, workgroup: &str, n: usize) {
    let ca = std::fs::read(ca_file).expect("the CA file");
    let connector = connector(api, &ca, workgroup);
    let mut held = Vec::new();
    for _ in 0..n {
        let client = connector.connect_spawned().await.expect("a session");
        client.simple_query("select 1").await.expect("select 1");
        held.push(client);
    }
    println!("{{\"ready\":{}}}", held.len());
    wait_for_stdin_eof().await;
}
