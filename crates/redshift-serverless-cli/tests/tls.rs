//! TLS settings end to end: the emulator behind a TLS front whose certificate comes from a
//! private test CA (the HTTP crate's, `crates/redshift-serverless-http/tests/tls/`), so only
//! a client told to trust that CA, or told not to check, gets a token.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CA: &str = "../redshift-serverless-http/tests/tls/ca.pem";
const LEAF: &[u8] = include_bytes!("../../redshift-serverless-http/tests/tls/localhost.pem");
const LEAF_KEY: &[u8] = include_bytes!("../../redshift-serverless-http/tests/tls/localhost.key");

/// Accepts TLS on 127.0.0.1 with the test leaf certificate and pipes each connection to
/// `upstream` in plain TCP.
fn tls_front(h: &Harness, upstream: SocketAddr) -> SocketAddr {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(LEAF)
        .map(|c| c.expect("leaf PEM"))
        .collect();
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("key PEM");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = h
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    h.runtime().spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let (Ok(mut tls), Ok(mut plain)) = (
                    acceptor.accept(tcp).await,
                    tokio::net::TcpStream::connect(upstream).await,
                ) else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    addr
}

fn ca_path() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(CA)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn https_endpoints_are_trusted_as_the_settings_say() {
    let h = Harness::new();
    let front = tls_front(&h, h.emulator.addr());
    let url = format!("https://localhost:{}", front.port());
    let ca = ca_path();
    let config_with_bundle = format!("[default]\nca_bundle = {ca}\n");
    // (name, extra args, extra env, config file, exit code, stderr starts with)
    type Case<'a> = (
        &'a str,
        Vec<&'a str>,
        Vec<(&'a str, &'a str)>,
        &'a str,
        i32,
        &'a str,
    );
    let cases: Vec<Case> =
        vec![
        ("--ca-bundle", vec!["--ca-bundle", &ca], vec![], "", 0, ""),
        ("AWS_CA_BUNDLE", vec![], vec![("AWS_CA_BUNDLE", &ca)], "", 0, ""),
        ("ca_bundle in the profile", vec![], vec![], &config_with_bundle, 0, ""),
        (
            "the system's roots do not hold the test CA",
            vec![],
            vec![],
            "",
            255,
            "\nSSL validation failed for https://localhost:",
        ),
        (
            "--no-verify-ssl",
            vec!["--no-verify-ssl"],
            vec![],
            "",
            0,
            "InsecureRequestWarning: Unverified HTTPS request is being made to host 'localhost'. \
             Adding certificate verification is strongly advised.\n",
        ),
        (
            "--no-verify-ssl wins over a bundle",
            vec!["--no-verify-ssl", "--ca-bundle", "/no/such/file.pem"],
            vec![],
            "",
            0,
            "InsecureRequestWarning",
        ),
    ];
    for (name, extra, env, config, code, stderr) in cases {
        std::fs::write(h.home().join("config"), config).expect("config");
        let mut cmd = h.cli();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut args = vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--endpoint-url",
            &url,
            "--max-attempts",
            "1",
            "--query",
            "token",
            "--output",
            "text",
        ];
        args.extend(extra);
        let run = run(cmd.args(&args));
        run.assert_code(code);
        assert!(run.stderr.starts_with(stderr), "{name}: {}", run.stderr);
        if code == 0 {
            assert!(run.stdout.trim().len() >= 32, "{name}: {}", run.stdout);
        }
        // The warning is said once per run, however many attempts.
        assert!(
            run.stderr.matches("InsecureRequestWarning").count() <= 1,
            "{name}"
        );
    }
}

/// The issue-24 reproduction: a region that names a host (`x@localhost:PORT#` makes the
/// endpoint `https://redshift-serverless.x@localhost:PORT#.amazonaws.com`, whose host is
/// localhost) used to send the signed request, session token included, to that host, and
/// print its token. However the region is set, it is refused in botocore's words (exit 253)
/// and nothing reaches the server, which is otherwise reachable and trusted.
#[test]
fn a_hostile_region_sends_nothing_to_the_host_it_names() {
    let h = Harness::new();
    let front = tls_front(&h, h.emulator.addr());
    let ca = ca_path();
    let region = format!("x@localhost:{}#", front.port());
    let in_profile = format!("[default]\nregion = {region}\n");
    // (how the region is set, flags, environment, config file)
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        ("--region", vec!["--region", &region], vec![], ""),
        ("AWS_REGION", vec![], vec![("AWS_REGION", &region)], ""),
        (
            "AWS_DEFAULT_REGION",
            vec![],
            vec![("AWS_DEFAULT_REGION", &region)],
            "",
        ),
        ("region in the profile", vec![], vec![], &in_profile),
    ];
    for (name, flags, env, config) in cases {
        std::fs::write(h.home().join("config"), config).expect("config");
        let mut cmd = h.bare_cli();
        cmd.env(
            "AWS_ACCESS_KEY_ID",
            redshift_serverless_emulator::DEMO_ACCESS_KEY_ID,
        )
        .env(
            "AWS_SECRET_ACCESS_KEY",
            redshift_serverless_emulator::DEMO_SECRET_ACCESS_KEY,
        )
        .env("AWS_SESSION_TOKEN", "issue-24-session-token");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut args = vec![
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--ca-bundle",
            &ca,
            "--max-attempts",
            "1",
        ];
        args.extend(flags);
        let run = run(cmd.args(&args));
        run.assert_code(253);
        assert_eq!(
            run.stderr,
            format!("\nProvided region_name '{region}' doesn't match a supported format.\n"),
            "{name}"
        );
        assert_eq!(run.stdout, "", "{name}");
    }
    assert_eq!(h.emulator.request_count(), 0, "a request reached the host");
    // The same server, named as the endpoint with a valid region, answers with a token.
    std::fs::write(h.home().join("config"), "").expect("config");
    let url = format!("https://localhost:{}", front.port());
    let run = run(h.cli().args([
        "get-identity-center-auth-token",
        "--workgroup-names",
        "default",
        "--ca-bundle",
        &ca,
        "--endpoint-url",
        &url,
        "--query",
        "token",
        "--output",
        "text",
    ]));
    run.assert_code(0);
    assert_eq!(h.emulator.request_count(), 1);
}
