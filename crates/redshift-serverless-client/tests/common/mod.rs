//! A local HTTP server for the client's tests: records every request and answers from a
//! script. (Handwritten.)

#![allow(dead_code)] // each test binary uses a different part

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A canned response: status, headers, body.
pub type Canned = (u16, Vec<(&'static str, String)>, String);

#[derive(Default)]
struct State {
    requests: Vec<Captured>,
    script: VecDeque<Canned>,
    /// Answer once the script is used up (a 500 unless set).
    fallback: Option<Canned>,
    /// Whether to keep a copy of each request.
    record: bool,
}

pub struct Server {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    connections: Arc<AtomicUsize>,
    tls: bool,
}

/// The HTTP crate's test CA, and the certificate it signed for `localhost` and 127.0.0.1.
pub const TEST_CA: &[u8] = include_bytes!("../../../redshift-serverless-http/tests/tls/ca.pem");
const TEST_LEAF: &[u8] =
    include_bytes!("../../../redshift-serverless-http/tests/tls/localhost.pem");
const TEST_LEAF_KEY: &[u8] =
    include_bytes!("../../../redshift-serverless-http/tests/tls/localhost.key");

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(TEST_LEAF)
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_slice(TEST_LEAF_KEY).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

impl Server {
    pub async fn start(script: Vec<Canned>) -> Server {
        Self::start_with(script, None, true, false).await
    }

    /// The same server behind TLS, with the HTTP crate's test certificate ([`TEST_CA`]).
    pub async fn start_tls(script: Vec<Canned>) -> Server {
        Self::start_with(script, None, true, true).await
    }

    /// Answers every request with `response` and keeps no record (for benchmarks).
    pub async fn start_repeating(response: Canned) -> Server {
        Self::start_with(Vec::new(), Some(response), false, false).await
    }

    async fn start_with(
        script: Vec<Canned>,
        fallback: Option<Canned>,
        record: bool,
        tls: bool,
    ) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            requests: Vec::new(),
            script: script.into(),
            fallback,
            record,
        }));
        let st = state.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        let acceptor = tls.then(tls_acceptor);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                accepted.fetch_add(1, Ordering::SeqCst);
                let st = st.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let st = st.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let captured = Captured {
                                method: parts.method.to_string(),
                                uri: parts.uri.to_string(),
                                headers: parts
                                    .headers
                                    .iter()
                                    .map(|(k, v)| {
                                        (k.to_string(), v.to_str().unwrap_or_default().to_owned())
                                    })
                                    .collect(),
                                body: body.to_vec(),
                            };
                            let (status, headers, body) = {
                                let mut s = st.lock().unwrap();
                                if s.record {
                                    s.requests.push(captured);
                                }
                                match s.script.pop_front() {
                                    Some(next) => next,
                                    None => {
                                        s.fallback.clone().unwrap_or((500, vec![], "{}".into()))
                                    }
                                }
                            };
                            let mut resp = hyper::Response::builder().status(status);
                            for (k, v) in headers {
                                resp = resp.header(k, v);
                            }
                            Ok::<_, Infallible>(resp.body(Full::new(Bytes::from(body))).unwrap())
                        }
                    });
                    let http = hyper::server::conn::http1::Builder::new();
                    match acceptor {
                        Some(acceptor) => {
                            let Ok(stream) = acceptor.accept(stream).await else {
                                return;
                            };
                            let io = hyper_util::rt::TokioIo::new(stream);
                            let _ = http.serve_connection(io, service).await;
                        }
                        None => {
                            let io = hyper_util::rt::TokioIo::new(stream);
                            let _ = http.serve_connection(io, service).await;
                        }
                    }
                });
            }
        });
        Server {
            addr,
            state,
            connections,
            tls,
        }
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.state.lock().unwrap().requests.clone()
    }

    /// TCP connections accepted so far, whether or not a request followed.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }
}

/// A 200 with a token.
pub fn success(token: &str, expiration: &str) -> Canned {
    (
        200,
        vec![
            ("content-type", "application/x-amz-json-1.1".into()),
            ("x-amzn-requestid", "req-ok".into()),
        ],
        format!(r#"{{"token":"{token}","expirationTime":"{expiration}"}}"#),
    )
}

/// An error response.
pub fn error(status: u16, body: &str) -> Canned {
    (
        status,
        vec![
            ("content-type", "application/x-amz-json-1.1".into()),
            ("x-amzn-requestid", "req-err".into()),
        ],
        body.to_owned(),
    )
}
