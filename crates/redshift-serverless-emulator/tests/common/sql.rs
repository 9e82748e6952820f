//! A bare PostgreSQL client for the SQL front's tests: TLS with the emulator's CA, the
//! Identity Center sign-in written out message by message with `postgres-protocol`, and
//! simple queries. It can send what no driver sends (no idp_type, an empty token, plain
//! TCP), which is what the refusal tests need.

use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use postgres_protocol::message::backend::{Header, Message};
use postgres_protocol::message::frontend;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// What redshift_connector 2.2.0 sends, as (name, value) pairs.
pub fn driver_params(database: &str) -> Vec<(String, String)> {
    [
        ("user", ""),
        ("database", database),
        ("application_name", "sql-front-test"),
        ("client_protocol_version", "2"),
        ("driver_version", "Redshift Python Driver 2.2.0"),
        ("os_version", "Linux"),
        ("driver_discovery_version", "1"),
        (
            "plugin_name",
            "redshift_connector.plugin.IdpTokenAuthPlugin",
        ),
        ("idp_type", "AwsIdc"),
        ("token_type", "SUBJECT_TOKEN"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// A connection to the front.
pub struct Conn {
    pub stream: Box<dyn Io>,
    buf: BytesMut,
}

/// Connects; with `ca_pem`, asks for TLS and verifies the front's certificate for
/// 127.0.0.1 against it.
pub async fn connect(addr: std::net::SocketAddr, ca_pem: Option<&str>) -> Conn {
    let mut tcp = TcpStream::connect(addr).await.expect("the front accepts");
    let stream: Box<dyn Io> = match ca_pem {
        None => Box::new(tcp),
        Some(pem) => {
            let mut buf = BytesMut::new();
            frontend::ssl_request(&mut buf);
            tcp.write_all(&buf).await.unwrap();
            let mut answer = [0u8; 1];
            tcp.read_exact(&mut answer).await.unwrap();
            assert_eq!(&answer, b"S", "the front answers SSLRequest with S");
            let mut roots = rustls::RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                roots.add(cert.unwrap()).unwrap();
            }
            let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
            let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
                .await
                .expect("TLS with the emulator's CA");
            Box::new(tls)
        }
    };
    Conn {
        stream,
        buf: BytesMut::new(),
    }
}

/// A message as the test sees it.
#[derive(Debug)]
pub enum Msg {
    AuthRequest(i32),
    Error {
        code: String,
        message: String,
        severity: String,
    },
    ParameterStatus(String, String),
    BackendKeyData(i32, i32),
    Ready(u8),
    DataRow(Vec<Option<String>>),
    Other(u8),
}

impl Conn {
    pub async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
        self.stream.flush().await.unwrap();
    }

    pub async fn startup(&mut self, params: &[(String, String)]) {
        let mut buf = BytesMut::new();
        frontend::startup_message(
            params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &mut buf,
        )
        .unwrap();
        self.send(&buf).await;
    }

    /// Sends the token message: `i`, an Int32 length that counts itself, the token.
    pub async fn send_token(&mut self, token: &[u8]) {
        let mut buf = BytesMut::new();
        buf.put_u8(b'i');
        buf.put_i32(i32::try_from(token.len() + 4).unwrap());
        buf.put_slice(token);
        self.send(&buf).await;
    }

    pub async fn query(&mut self, sql: &str) {
        let mut buf = BytesMut::new();
        frontend::query(sql, &mut buf).unwrap();
        self.send(&buf).await;
    }

    /// The next message, or `None` when the front closed the connection; fails after 20 s.
    pub async fn next(&mut self) -> Option<Msg> {
        tokio::time::timeout(Duration::from_secs(20), self.next_inner())
            .await
            .expect("the front answered within 20 s")
    }

    async fn next_inner(&mut self) -> Option<Msg> {
        loop {
            if let Some(h) = Header::parse(&self.buf).unwrap() {
                if self.buf.len() > h.len() as usize {
                    if h.tag() == b'R' {
                        let code = i32::from_be_bytes(self.buf[5..9].try_into().unwrap());
                        let _ = self.buf.split_to(h.len() as usize + 1);
                        return Some(Msg::AuthRequest(code));
                    }
                    let tag = h.tag();
                    let message = Message::parse(&mut self.buf).unwrap().unwrap();
                    return Some(match message {
                        Message::ErrorResponse(body) => {
                            let mut fields = body.fields();
                            let (mut code, mut text, mut severity) =
                                (String::new(), String::new(), String::new());
                            while let Some(f) =
                                fallible_iterator::FallibleIterator::next(&mut fields).unwrap()
                            {
                                let v = String::from_utf8_lossy(f.value_bytes()).into_owned();
                                match f.type_() {
                                    b'C' => code = v,
                                    b'M' => text = v,
                                    b'S' => severity = v,
                                    _ => {}
                                }
                            }
                            Msg::Error {
                                code,
                                message: text,
                                severity,
                            }
                        }
                        Message::ParameterStatus(p) => Msg::ParameterStatus(
                            p.name().unwrap().to_owned(),
                            p.value().unwrap().to_owned(),
                        ),
                        Message::BackendKeyData(k) => {
                            Msg::BackendKeyData(k.process_id(), k.secret_key())
                        }
                        Message::ReadyForQuery(r) => Msg::Ready(r.status()),
                        Message::DataRow(row) => {
                            let ranges: Vec<_> =
                                fallible_iterator::FallibleIterator::collect(row.ranges()).unwrap();
                            Msg::DataRow(
                                ranges
                                    .into_iter()
                                    .map(|r| {
                                        r.map(|r| {
                                            String::from_utf8_lossy(&row.buffer()[r]).into_owned()
                                        })
                                    })
                                    .collect(),
                            )
                        }
                        _ => Msg::Other(tag),
                    });
                }
            }
            match self.stream.read_buf(&mut self.buf).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Everything up to the first ReadyForQuery (or the end).
    pub async fn until_ready(&mut self) -> Vec<Msg> {
        let mut out = Vec::new();
        while let Some(m) = self.next().await {
            let ready = matches!(m, Msg::Ready(_));
            out.push(m);
            if ready {
                break;
            }
        }
        out
    }

    /// Signs in with the driver's parameters and `token`: the messages after the token.
    pub async fn sign_in(&mut self, database: &str, token: &str) -> Vec<Msg> {
        self.startup(&driver_params(database)).await;
        match self.next().await {
            Some(Msg::AuthRequest(14)) => {}
            other => return vec![other.map_or(Msg::Other(0), |m| m)],
        }
        self.send_token(token.as_bytes()).await;
        self.until_ready().await
    }

    /// Runs a simple query; its rows, or its error.
    pub async fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, (String, String)> {
        self.query(sql).await;
        let mut rows = Vec::new();
        let mut error = None;
        loop {
            match self.next().await.expect("the session stays open") {
                Msg::DataRow(r) => rows.push(r),
                Msg::Error { code, message, .. } => error = Some((code, message)),
                Msg::Ready(_) => break,
                _ => {}
            }
        }
        error.map_or(Ok(rows), Err)
    }
}

/// The FATAL error of a refused sign-in: (SQLSTATE, message), and that the front then
/// closed the connection.
pub async fn refusal(conn: &mut Conn) -> (String, String) {
    let error = loop {
        match conn.next().await {
            Some(Msg::Error {
                code,
                message,
                severity,
            }) => {
                assert_eq!(severity, "FATAL");
                break (code, message);
            }
            Some(Msg::AuthRequest(14)) => panic!("asked for a token where a refusal was due"),
            Some(_) => continue,
            None => panic!("closed without an ErrorResponse"),
        }
    };
    assert!(
        conn.next().await.is_none(),
        "the connection stays open after a refusal"
    );
    error
}
