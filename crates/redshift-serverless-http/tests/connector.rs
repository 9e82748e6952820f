//! The connector against real sockets on loopback: plain HTTP and TLS round trips,
//! keep-alive, poisoning, each timeout, the response size limit and body deadline, and what
//! the retry classifier makes of each failure.

use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_runtime_api::client::connection::CaptureSmithyConnection;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use redshift_serverless_http::{
    Builder, HyperHttp1Client, ResponseTooLarge, TimeoutError, TimeoutPhase,
    DEFAULT_MAX_RESPONSE_SIZE,
};
use redshift_serverless_retry::{classify_body_error, classify_connector_error, TransportFailure};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CA: &[u8] = include_bytes!("tls/ca.pem");
const LEAF: &[u8] = include_bytes!("tls/localhost.pem");
const LEAF_KEY: &[u8] = include_bytes!("tls/localhost.key");

/// How a test server treats each connection.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Answers every request with 200 and echoes the request body, keeping the connection.
    Echo,
    /// Reads the request and never answers.
    Silent,
    /// Reads the request, then closes the connection without a response.
    Hangup,
    /// Accepts TCP and never says anything (a TLS handshake never completes).
    Mute,
    /// Answers 200 with a chunked body of 16 KiB chunks that never ends.
    Endless,
    /// Answers 200 with a chunked body that sends one byte every 20 ms, forever.
    Drip,
    /// Answers 200 with this many bytes, declared in `Content-Length`.
    Sized(u64),
    /// Answers 200 with this many bytes in 16 KiB chunks, no length declared.
    SizedChunked(u64),
}

struct Server {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// By IP: the test certificate names `127.0.0.1` as well as `localhost`.
    fn tls_url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.addr.port())
    }
}

async fn server(behaviour: Behaviour, tls: bool) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let acceptor = tls.then(tls_acceptor);
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                match (behaviour, acceptor) {
                    (Behaviour::Mute, _) => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        drop(tcp);
                    }
                    (_, Some(acceptor)) => {
                        if let Ok(stream) = acceptor.accept(tcp).await {
                            serve(behaviour, stream).await;
                        }
                    }
                    (_, None) => serve(behaviour, tcp).await,
                }
            });
        }
    });
    Server { addr, connections }
}

async fn serve<S>(behaviour: Behaviour, mut stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    match behaviour {
        Behaviour::Echo => {
            let service = hyper::service::service_fn(|request: http::Request<_>| async move {
                let body: hyper::body::Incoming = request.into_body();
                let bytes = body.collect().await?.to_bytes();
                Ok::<_, hyper::Error>(http::Response::new(Full::new(bytes)))
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        }
        Behaviour::Silent | Behaviour::Hangup => {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            if matches!(behaviour, Behaviour::Silent) {
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        }
        Behaviour::Mute => unreachable!("handled before any read"),
        Behaviour::Endless | Behaviour::Drip | Behaviour::Sized(_) | Behaviour::SizedChunked(_) => {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream_body(behaviour, &mut stream).await;
        }
    }
}

/// Writes a 200 and the body `behaviour` says, until done or the client goes away.
async fn stream_body<S>(behaviour: Behaviour, stream: &mut S) -> std::io::Result<()>
where
    S: tokio::io::AsyncWrite + Unpin,
{
    const CHUNK: usize = 16 * 1024;
    let chunk = |len: usize| {
        let mut framed = format!("{len:x}\r\n").into_bytes();
        framed.resize(framed.len() + len, b'x');
        framed.extend_from_slice(b"\r\n");
        framed
    };
    let chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    match behaviour {
        Behaviour::Endless => {
            stream.write_all(chunked.as_bytes()).await?;
            let framed = chunk(CHUNK);
            loop {
                stream.write_all(&framed).await?;
            }
        }
        Behaviour::Drip => {
            stream.write_all(chunked.as_bytes()).await?;
            loop {
                stream.write_all(&chunk(1)).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Behaviour::Sized(len) => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let body = vec![b'x'; CHUNK];
            let mut left = len as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                stream.write_all(&body[..n]).await?;
                left -= n;
            }
        }
        Behaviour::SizedChunked(len) => {
            stream.write_all(chunked.as_bytes()).await?;
            let mut left = len as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                stream.write_all(&chunk(n)).await?;
                left -= n;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        _ => {}
    }
    stream.flush().await
}

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    let certs = CertificateDer::pem_slice_iter(LEAF)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// A client trusting only the test CA.
fn trusting_test_ca() -> HyperHttp1Client {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(CA) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Builder::new().tls_config(config).build_client()
}

fn connector(client: &HyperHttp1Client, settings: HttpConnectorSettings) -> SharedHttpConnector {
    let components = RuntimeComponentsBuilder::for_tests()
        .with_sleep_impl(Some(SharedAsyncSleep::new(TokioSleep::new())))
        .build()
        .unwrap();
    client.http_connector(&settings, &components)
}

fn post(url: String, body: &'static str) -> HttpRequest {
    let request = http::Request::builder()
        .method("POST")
        .uri(url)
        .header("content-type", "application/x-amz-json-1.1")
        .body(SdkBody::from(body))
        .unwrap();
    HttpRequest::try_from(request).unwrap()
}

async fn body_of(response: aws_smithy_runtime_api::client::orchestrator::HttpResponse) -> Bytes {
    response.into_body().collect().await.unwrap().to_bytes()
}

/// The error of one request that must fail.
async fn failure(
    client: &HyperHttp1Client,
    settings: HttpConnectorSettings,
    url: String,
) -> ConnectorError {
    connector(client, settings)
        .call(post(url, "{}"))
        .await
        .expect_err("the request must fail")
}

fn timeouts(connect: Option<u64>, read: Option<u64>) -> HttpConnectorSettings {
    let mut settings = HttpConnectorSettings::builder();
    settings
        .set_connect_timeout(connect.map(Duration::from_millis))
        .set_read_timeout(read.map(Duration::from_millis));
    settings.build()
}

#[tokio::test]
async fn plain_http_round_trips_share_one_kept_alive_connection() {
    let server = server(Behaviour::Echo, false).await;
    let client = Builder::new().build_client();
    let http = connector(&client, HttpConnectorSettings::default());
    for body in ["{}", "{\"workgroupNames\":[\"a\"]}", "{\"b\":1}"] {
        let response = http
            .call(post(format!("http://{}/", server.addr), body))
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(body_of(response).await, body.as_bytes());
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn https_with_a_trusted_ca_round_trips_and_keeps_the_connection() {
    let server = server(Behaviour::Echo, true).await;
    let client = trusting_test_ca();
    let http = connector(&client, HttpConnectorSettings::default());
    for _ in 0..2 {
        let response = http.call(post(server.tls_url(), "{}")).await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(body_of(response).await, "{}".as_bytes());
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_failure_before_sending() {
    let server = server(Behaviour::Echo, true).await;
    // The platform's roots do not include the test CA.
    let err = failure(
        &Builder::new().build_client(),
        HttpConnectorSettings::default(),
        server.tls_url(),
    )
    .await;
    assert!(err.is_io(), "{err:?}");
    let chain = chain_text(&err);
    assert!(chain.contains("certificate"), "{chain}");
    assert_eq!(
        classify_connector_error(&err),
        TransportFailure::TlsHandshake
    );
}

#[tokio::test]
async fn a_stalled_tls_handshake_hits_the_connect_timeout() {
    let server = server(Behaviour::Mute, true).await;
    let client = trusting_test_ca();
    let http = connector(&client, timeouts(Some(200), None));
    let started = Instant::now();
    let err = http.call(post(server.tls_url(), "{}")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.is_timeout(), "{err:?}");
    let timeout = find::<TimeoutError>(&err).expect("a TimeoutError in the chain");
    assert_eq!(timeout.phase(), TimeoutPhase::Connect);
    assert_eq!(timeout.after(), Duration::from_millis(200));
    assert!(
        chain_text(&err).contains("HTTP connect timeout occurred after 200ms"),
        "{}",
        chain_text(&err)
    );
    assert_eq!(
        classify_connector_error(&err),
        TransportFailure::ConnectTimeout
    );
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_read_timeout() {
    let server = server(Behaviour::Silent, false).await;
    let started = Instant::now();
    let err = failure(
        &Builder::new().build_client(),
        timeouts(Some(5_000), Some(200)),
        format!("http://{}/", server.addr),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        find::<TimeoutError>(&err).map(TimeoutError::phase),
        Some(TimeoutPhase::Read)
    );
    assert_eq!(
        classify_connector_error(&err),
        TransportFailure::ReadTimeout
    );
}

#[tokio::test]
async fn a_connection_closed_without_a_response_is_an_incomplete_message() {
    let server = server(Behaviour::Hangup, false).await;
    let err = failure(
        &Builder::new().build_client(),
        HttpConnectorSettings::default(),
        format!("http://{}/", server.addr),
    )
    .await;
    assert!(!err.is_timeout() && !err.is_user(), "{err:?}");
    assert_eq!(
        classify_connector_error(&err),
        TransportFailure::IncompleteMessage
    );
}

#[tokio::test]
async fn a_refused_connection_is_io_and_named() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = failure(
        &Builder::new().build_client(),
        HttpConnectorSettings::default(),
        format!("http://127.0.0.1:{port}/"),
    )
    .await;
    assert!(err.is_io(), "{err:?}");
    assert_eq!(
        classify_connector_error(&err),
        TransportFailure::ConnectionRefused
    );
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_dns_failure() {
    // `.invalid` is reserved never to resolve (RFC 6761).
    let url = "http://nonexistent.invalid/".to_owned();
    let err = failure(
        &Builder::new().build_client(),
        timeouts(Some(10_000), None),
        url,
    )
    .await;
    assert!(err.is_io(), "{err:?}");
    assert_eq!(classify_connector_error(&err), TransportFailure::Dns);
}

#[tokio::test]
async fn a_request_the_connector_cannot_send_is_a_user_error() {
    let client = Builder::new().build_client();
    let http = connector(&client, HttpConnectorSettings::default());
    let err = http.call(post("/relative".into(), "{}")).await.unwrap_err();
    assert!(err.is_user(), "{err:?}");
    assert_eq!(
        err.source().unwrap().to_string(),
        "cannot send to `/relative`: the URI needs a scheme (http or https) and a host"
    );
    let err = http
        .call(post("ftp://127.0.0.1/".into(), "{}"))
        .await
        .unwrap_err();
    assert!(err.is_user(), "{err:?}");
    assert_eq!(
        err.source().unwrap().to_string(),
        "cannot send to `ftp://127.0.0.1/`: the scheme `ftp` is not http or https"
    );
}

#[tokio::test]
async fn a_poisoned_connection_is_not_reused() {
    let server = server(Behaviour::Echo, false).await;
    let client = Builder::new().build_client();
    let http = connector(&client, HttpConnectorSettings::default());
    let url = format!("http://{}/", server.addr);

    let capture = CaptureSmithyConnection::new();
    let mut request = post(url.clone(), "{}");
    request.add_extension(capture.clone());
    let response = http.call(request).await.unwrap();
    body_of(response).await;
    let metadata = capture.get().expect("the connector reports its connection");
    assert_eq!(metadata.remote_addr(), Some(server.addr));
    assert!(metadata.local_addr().is_some());

    // Reused while healthy...
    body_of(http.call(post(url.clone(), "{}")).await.unwrap()).await;
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    // ...and replaced once poisoned.
    metadata.poison();
    body_of(http.call(post(url, "{}")).await.unwrap()).await;
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn each_timeout_setting_gets_its_own_connector_and_the_same_one_is_reused() {
    let client = Builder::new().build_client();
    let a = connector(&client, timeouts(Some(100), None));
    let b = connector(&client, timeouts(Some(100), None));
    let c = connector(&client, timeouts(Some(100), Some(100)));
    let name = |c: &SharedHttpConnector| format!("{c:?}");
    assert_eq!(name(&a), name(&b));
    assert_ne!(name(&a), name(&c));
    assert!(name(&c).contains("100ms"), "{}", name(&c));
}

/// The body deadline comes 30 s after the read timeout unless set, so a stalled body is
/// failed by the read timeout (the client's stalled-stream protection) and never by it.
#[tokio::test]
async fn the_default_body_deadline_follows_the_read_timeout() {
    let client = Builder::new().build_client();
    let name = |c: &SharedHttpConnector| format!("{c:?}");
    let without = connector(&client, timeouts(Some(100), None));
    assert!(
        name(&without).contains("body_timeout: Some(30s)"),
        "{}",
        name(&without)
    );
    let with = connector(&client, timeouts(Some(100), Some(60_000)));
    assert!(
        name(&with).contains("body_timeout: Some(90s)"),
        "{}",
        name(&with)
    );
    let set = Builder::new()
        .body_timeout(Duration::from_secs(5))
        .build_client();
    let explicit = connector(&set, timeouts(Some(100), Some(60_000)));
    assert!(
        name(&explicit).contains("body_timeout: Some(5s)"),
        "{}",
        name(&explicit)
    );
}

#[test]
fn debug_output_names_settings_not_internals() {
    let client = Builder::new()
        .pool_idle_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(2)
        .build_client();
    let text = format!("{client:?}");
    assert!(text.contains("HyperHttp1Client"), "{text}");
    assert!(text.contains("5s") && text.contains("Some(2)"), "{text}");
    assert!(text.contains("max_response_size: 1048576"), "{text}");
    assert_eq!(
        client
            .connector_metadata()
            .map(|m| m.to_string())
            .as_deref(),
        Some("http#hyper-1.x")
    );
}

/// What reading a whole response body must end in.
#[derive(Debug)]
enum BodyOutcome {
    /// The body arrived whole, this long.
    Whole(usize),
    /// [`ResponseTooLarge`], with the declared length if the head alone exceeded the limit.
    TooLarge { declared: Option<u64> },
    /// The body deadline passed.
    Deadline,
}

/// Each way a response body can be too big or too slow, and the limit that ends it. One
/// small limit keeps the table quick; the default limit has its own test below.
#[tokio::test]
async fn response_bodies_are_cut_off_by_the_size_limit_or_the_deadline() {
    const LIMIT: u64 = 64 * 1024;
    let limited = || Builder::new().max_response_size(LIMIT);
    let cases: Vec<(&str, Behaviour, Builder, HttpConnectorSettings, BodyOutcome)> = vec![
        (
            "an endless chunked body",
            Behaviour::Endless,
            limited(),
            HttpConnectorSettings::default(),
            BodyOutcome::TooLarge { declared: None },
        ),
        (
            "an endless body with a read timeout: the limit comes first",
            Behaviour::Endless,
            limited(),
            timeouts(None, Some(2_000)),
            BodyOutcome::TooLarge { declared: None },
        ),
        (
            "a declared length one over the limit",
            Behaviour::Sized(LIMIT + 1),
            limited(),
            HttpConnectorSettings::default(),
            BodyOutcome::TooLarge {
                declared: Some(LIMIT + 1),
            },
        ),
        (
            "a chunked body one byte over the limit",
            Behaviour::SizedChunked(LIMIT + 1),
            limited(),
            HttpConnectorSettings::default(),
            BodyOutcome::TooLarge { declared: None },
        ),
        (
            "a declared length exactly at the limit",
            Behaviour::Sized(LIMIT),
            limited(),
            HttpConnectorSettings::default(),
            BodyOutcome::Whole(LIMIT as usize),
        ),
        (
            "a chunked body exactly at the limit",
            Behaviour::SizedChunked(LIMIT),
            limited(),
            HttpConnectorSettings::default(),
            BodyOutcome::Whole(LIMIT as usize),
        ),
        (
            "a body that drips forever, under an explicit body timeout",
            Behaviour::Drip,
            limited().body_timeout(Duration::from_millis(300)),
            HttpConnectorSettings::default(),
            BodyOutcome::Deadline,
        ),
        (
            "a body that drips forever: the body timeout decides, not the read timeout",
            Behaviour::Drip,
            limited().body_timeout(Duration::from_millis(300)),
            timeouts(None, Some(100)),
            BodyOutcome::Deadline,
        ),
    ];
    for (name, behaviour, builder, settings, expected) in cases {
        let server = server(behaviour, false).await;
        let client = builder.build_client();
        let started = Instant::now();
        let response = connector(&client, settings)
            .call(post(format!("http://{}/", server.addr), "{}"))
            .await
            .unwrap_or_else(|err| panic!("{name}: the head must arrive: {err:?}"));
        let read = response.into_body().collect().await;
        assert!(started.elapsed() < Duration::from_secs(10), "{name}");
        match (expected, read) {
            (BodyOutcome::Whole(len), Ok(body)) => {
                assert_eq!(body.to_bytes().len(), len, "{name}");
            }
            (BodyOutcome::TooLarge { declared }, Err(err)) => {
                let too_large = err
                    .downcast_ref::<ResponseTooLarge>()
                    .unwrap_or_else(|| panic!("{name}: not ResponseTooLarge: {err:?}"));
                assert_eq!(too_large.limit(), LIMIT, "{name}");
                assert_eq!(too_large.declared(), declared, "{name}");
                let text = err.to_string();
                let expected = match declared {
                    Some(d) => format!("its Content-Length is {d}"),
                    None => format!("more than {LIMIT} bytes arrived"),
                };
                assert_eq!(
                    text,
                    format!(
                        "HTTP response body exceeds the max_response_size limit of {LIMIT} bytes: {expected}"
                    ),
                    "{name}"
                );
                assert_eq!(
                    classify_body_error(err.as_ref()),
                    TransportFailure::ResponseTooLarge,
                    "{name}"
                );
            }
            (BodyOutcome::Deadline, Err(err)) => {
                let timeout = err
                    .downcast_ref::<TimeoutError>()
                    .unwrap_or_else(|| panic!("{name}: not a TimeoutError: {err:?}"));
                assert_eq!(timeout.phase(), TimeoutPhase::Body, "{name}");
                assert_eq!(timeout.after(), Duration::from_millis(300), "{name}");
                assert_eq!(
                    err.to_string(),
                    "HTTP response body timeout occurred after 300ms",
                    "{name}"
                );
                assert_eq!(
                    classify_body_error(err.as_ref()),
                    TransportFailure::ResponseBodyRead,
                    "{name}"
                );
            }
            (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[tokio::test]
async fn the_default_limit_reads_a_body_at_the_limit_and_refuses_one_byte_more() {
    let client = Builder::new().build_client();
    for (len, whole) in [
        (DEFAULT_MAX_RESPONSE_SIZE, true),
        (DEFAULT_MAX_RESPONSE_SIZE + 1, false),
    ] {
        let server = server(Behaviour::SizedChunked(len), false).await;
        let response = connector(&client, HttpConnectorSettings::default())
            .call(post(format!("http://{}/", server.addr), "{}"))
            .await
            .unwrap();
        let read = response.into_body().collect().await;
        match read {
            Ok(body) if whole => assert_eq!(body.to_bytes().len() as u64, len),
            Err(err) if !whole => assert!(err.is::<ResponseTooLarge>(), "{err:?}"),
            other => panic!("{len} bytes: {other:?}"),
        }
    }
}

fn find<T: std::error::Error + 'static>(err: &ConnectorError) -> Option<&T> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

fn chain_text(err: &ConnectorError) -> String {
    let mut text = String::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        text.push_str(&e.to_string());
        text.push_str(": ");
        next = e.source();
    }
    text
}
