//! Where trust comes from: a CA bundle in place of the platform's roots, and the dangerous
//! accept-anything verifier, against a real TLS server on loopback. Also the errors a bad
//! bundle gives, one table of cases.

use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_runtime_api::client::http::{HttpClient, HttpConnector, HttpConnectorSettings};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_types::body::SdkBody;
use redshift_serverless_http::tls::{self, CaBundleError};
use redshift_serverless_http::{Builder, HyperHttp1Client};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CA: &[u8] = include_bytes!("tls/ca.pem");
const LEAF: &[u8] = include_bytes!("tls/localhost.pem");
const LEAF_KEY: &[u8] = include_bytes!("tls/localhost.key");

/// A TLS server on `ip` presenting the test leaf certificate (for `localhost` and
/// `127.0.0.1`) that answers each connection's first request with `200 {}` and closes it.
async fn tls_server(ip: &str) -> SocketAddr {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(LEAF)
        .map(|c| c.expect("leaf PEM"))
        .collect();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(chain, PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("key"))
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = [0u8; 4096];
                let _ = tls.read(&mut head).await;
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

async fn call(client: &HyperHttp1Client, url: &str) -> Result<u16, ConnectorError> {
    let components = RuntimeComponentsBuilder::for_tests()
        .with_sleep_impl(Some(SharedAsyncSleep::new(TokioSleep::new())))
        .build()
        .expect("components");
    let connector = client.http_connector(&HttpConnectorSettings::default(), &components);
    let request = http::Request::builder()
        .method("POST")
        .uri(url)
        .body(SdkBody::from("{}"))
        .expect("request");
    let response = connector
        .call(HttpRequest::try_from(request).expect("request"))
        .await?;
    Ok(response.status().as_u16())
}

fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(err), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

#[tokio::test]
async fn a_ca_bundle_trusts_its_certificates() {
    let addr = tls_server("127.0.0.1").await;
    let client = Builder::new()
        .ca_bundle_pem(CA)
        .expect("the test CA is a valid bundle")
        .build_client();
    // By name and by IP: the test certificate names both.
    for url in [
        format!("https://localhost:{}/", addr.port()),
        format!("https://127.0.0.1:{}/", addr.port()),
    ] {
        assert_eq!(call(&client, &url).await.expect("trusted"), 200, "{url}");
    }
}

#[tokio::test]
async fn a_ca_bundle_replaces_the_platform_roots_rather_than_adding_to_them() {
    let addr = tls_server("127.0.0.1").await;
    // The leaf alone is not the issuer of the leaf: a bundle without the CA does not trust
    // the server, whatever the platform store holds.
    let client = Builder::new()
        .ca_bundle_pem(LEAF)
        .expect("a certificate is a valid bundle")
        .build_client();
    let err = call(&client, &format!("https://127.0.0.1:{}/", addr.port()))
        .await
        .expect_err("untrusted");
    let chain = chain_text(&err);
    assert!(chain.contains("certificate"), "{chain}");
}

#[tokio::test]
async fn the_dangerous_verifier_accepts_an_untrusted_certificate_and_any_name() {
    // 127.0.0.2 is loopback too, and a name the certificate does not hold.
    let addr = tls_server("127.0.0.2").await;
    let client = Builder::new()
        .dangerous_accept_any_certificate()
        .build_client();
    let url = format!("https://127.0.0.2:{}/", addr.port());
    assert_eq!(call(&client, &url).await.expect("accepted"), 200);
    // Without it the same server is refused (the platform store lacks the test CA).
    let err = call(&Builder::new().build_client(), &url)
        .await
        .expect_err("refused by default");
    assert!(chain_text(&err).contains("certificate"), "{err:?}");
}

#[test]
fn bad_bundles_are_refused_with_what_is_wrong() {
    let truncated = &CA[..CA.len() - 30];
    let key_only = LEAF_KEY;
    let garbage_base64 = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    let not_x509 = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let second_broken = [CA, &b"-----BEGIN CERTIFICATE-----\nAAAA\n"[..]].concat();
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty", b"", "holds no certificate"),
        ("a key, no certificate", key_only, "holds no certificate"),
        (
            "truncated",
            truncated,
            "certificate 1 of the CA bundle is not valid PEM",
        ),
        (
            "bad base64",
            garbage_base64,
            "certificate 1 of the CA bundle is not valid PEM",
        ),
        (
            "not X.509",
            not_x509,
            "certificate 1 of the CA bundle cannot be used as a root",
        ),
        (
            "second broken",
            &second_broken,
            "certificate 2 of the CA bundle is not valid PEM",
        ),
    ];
    for (name, pem, expected) in cases {
        let err = match tls::config_trusting_pem(pem) {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => e,
        };
        assert!(err.to_string().contains(expected), "{name}: {err}");
        let is_pem = matches!(err, CaBundleError::Pem { .. });
        assert_eq!(is_pem, expected.contains("PEM"), "{name}: {err:?}");
    }
}
