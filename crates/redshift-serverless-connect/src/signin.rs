//! Redshift's Identity Center sign-in on an open stream, as AWS's drivers
//! (redshift_connector, the JDBC driver's `IdpTokenAuthPlugin`) do it:
//!
//! 1. TLS: SSLRequest, the server answers `S`, the handshake.
//! 2. A StartupMessage with the session's parameters and `idp_type=AwsIdc`,
//!    `token_type=SUBJECT_TOKEN` (a token from GetIdentityCenterAuthToken).
//! 3. The server asks for the token (AuthenticationRequest code 14); the answer is a message
//!    of type `i`: an Int32 length that counts itself, then the token, with no terminator.
//! 4. AuthenticationOk, then what PostgreSQL sends before its first ReadyForQuery.
//!
//! postgres-protocol writes the client's messages and parses the server's, except the
//! AuthenticationRequest code, which it does not know (14), and the `i` message. Every
//! message length is checked before anything is buffered.

use bytes::{BufMut, BytesMut};
use postgres_protocol::message::backend::{ErrorResponseBody, Message};
use postgres_protocol::message::frontend;
use redshift_serverless_pgwire::{MessageReader, AUTH_IDP_TOKEN, IDP_TOKEN_MESSAGE};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use crate::error::{Error, ServerError};

/// The largest message read during sign-in.
const MAX_MESSAGE: usize = 1 << 20;

/// The names of [`redshift_parameters`]: a client's own values for them are dropped.
pub(crate) const REDSHIFT_PARAMETERS: [&str; 7] = [
    "plugin_name",
    "driver_version",
    "idp_type",
    "token_type",
    "identity_namespace",
    "client_protocol_version",
    "idc_client_display_name",
];

/// The Redshift-specific startup parameters of the token sign-in. `client_protocol_version`
/// is left out on purpose: without it the server speaks plain PostgreSQL messages, which is
/// what tokio-postgres (and any PostgreSQL client behind the proxy) reads.
pub(crate) fn redshift_parameters(identity_namespace: Option<&str>) -> Vec<(String, String)> {
    let mut params = vec![
        (
            "plugin_name".to_owned(),
            "redshift_serverless_connect.IdpTokenAuthPlugin".to_owned(),
        ),
        (
            "driver_version".to_owned(),
            concat!("redshift-serverless-connect ", env!("CARGO_PKG_VERSION")).to_owned(),
        ),
        ("idp_type".to_owned(), "AwsIdc".to_owned()),
        ("token_type".to_owned(), "SUBJECT_TOKEN".to_owned()),
    ];
    if let Some(ns) = identity_namespace {
        params.push(("identity_namespace".to_owned(), ns.to_owned()));
    }
    params
}

/// Connects over TCP and starts TLS: SSLRequest, `S`, then the handshake.
pub(crate) async fn connect_tls(
    host: &str,
    port: u16,
    tls: &std::sync::Arc<rustls::ClientConfig>,
) -> Result<TlsStream<TcpStream>, Error> {
    let server_name = crate::tls::server_name(host).map_err(Error::Config)?;
    let mut tcp = TcpStream::connect((host, port))
        .await
        .map_err(|e| Error::io(format!("connecting to {host}:{port}"), e))?;
    let _ = tcp.set_nodelay(true);
    let mut buf = BytesMut::new();
    frontend::ssl_request(&mut buf);
    tcp.write_all(&buf)
        .await
        .map_err(|e| Error::io(format!("asking {host}:{port} for TLS"), e))?;
    let answer = tcp
        .read_u8()
        .await
        .map_err(|e| Error::io(format!("asking {host}:{port} for TLS"), e))?;
    match answer {
        b'S' => {}
        b'N' => {
            return Err(Error::Protocol(format!(
                "{host}:{port} does not offer TLS, and the token is never sent without it"
            )))
        }
        other => {
            return Err(Error::Protocol(format!(
                "{host}:{port} answered the TLS request with {:?}, not S or N",
                char::from(other)
            )))
        }
    }
    tokio_rustls::TlsConnector::from(tls.clone())
        .connect(server_name, tcp)
        .await
        .map_err(|e| Error::io(format!("TLS with {host}:{port}"), e))
}

/// What the server said between AuthenticationOk and its first ReadyForQuery.
#[derive(Debug)]
pub struct Startup {
    /// AuthenticationOk and those messages, whole, in order: what a PostgreSQL client
    /// expects to read after its own StartupMessage.
    pub messages: BytesMut,
    /// The ParameterStatus values.
    pub parameters: Vec<(String, String)>,
    /// BackendKeyData (process id, secret key), for cancel requests.
    pub key: Option<(i32, i32)>,
}

/// Sends the StartupMessage with `params`, answers the token request with `token`, and
/// reads up to the first ReadyForQuery.
pub(crate) async fn sign_in<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    params: &[(String, String)],
    token: &str,
) -> Result<Startup, Error> {
    let io = |e| Error::io("signing in", e);
    let mut buf = BytesMut::new();
    frontend::startup_message(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &mut buf,
    )
    .map_err(|e| Error::Config(format!("a startup parameter is unusable: {e}")))?;
    stream.write_all(&buf).await.map_err(io)?;
    stream.flush().await.map_err(io)?;

    let mut reader = MessageReader::new(MAX_MESSAGE);
    let mut asked_for_token = false;
    loop {
        let raw = reader.next(stream).await.map_err(io)?;
        match raw[0] {
            b'R' => {
                let code = auth_code(&raw)?;
                match code {
                    0 => break,
                    AUTH_IDP_TOKEN if !asked_for_token => {
                        asked_for_token = true;
                        let mut msg = token_message(token)?;
                        let written = stream.write_all(&msg).await;
                        zeroize::Zeroize::zeroize(&mut msg[..]);
                        written.map_err(io)?;
                        stream.flush().await.map_err(io)?;
                    }
                    other => {
                        return Err(Error::Protocol(format!(
                            "the server asked for authentication method {other}, not the Identity Center token ({AUTH_IDP_TOKEN})"
                        )))
                    }
                }
            }
            b'E' => return Err(Error::Refused(server_error(raw)?)),
            // A notice during sign-in carries nothing the sign-in needs.
            b'N' => {}
            other => {
                return Err(Error::Protocol(format!(
                    "message {:?} before the sign-in finished",
                    char::from(other)
                )))
            }
        }
    }

    let mut messages = BytesMut::new();
    messages.put_u8(b'R');
    messages.put_i32(8);
    messages.put_i32(0);
    let mut parameters = Vec::new();
    let mut key = None;
    loop {
        let raw = reader.next(stream).await.map_err(io)?;
        let tag = raw[0];
        let mut copy = raw.clone();
        match Message::parse(&mut copy) {
            Ok(Some(Message::ParameterStatus(p))) => {
                if let (Ok(name), Ok(value)) = (p.name(), p.value()) {
                    parameters.push((name.to_owned(), value.to_owned()));
                }
            }
            Ok(Some(Message::BackendKeyData(k))) => key = Some((k.process_id(), k.secret_key())),
            Ok(Some(Message::ErrorResponse(_))) => return Err(Error::Refused(server_error(raw)?)),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => {
                return Err(Error::Protocol(format!(
                    "an unreadable {:?} message after sign-in",
                    char::from(tag)
                )))
            }
        }
        messages.extend_from_slice(&raw);
        if tag == b'Z' {
            break;
        }
    }
    // A server says nothing after ReadyForQuery until asked; pass on whatever came.
    messages.extend_from_slice(&reader.take_buffered());
    Ok(Startup {
        messages,
        parameters,
        key,
    })
}

/// `i`, an Int32 length that counts itself, the token.
fn token_message(token: &str) -> Result<BytesMut, Error> {
    if token.is_empty() {
        return Err(Error::Config("the token is empty".into()));
    }
    let len = i32::try_from(token.len() + 4)
        .map_err(|_| Error::Config("the token is too long for a message".into()))?;
    let mut msg = BytesMut::with_capacity(token.len() + 5);
    msg.put_u8(IDP_TOKEN_MESSAGE);
    msg.put_i32(len);
    msg.put_slice(token.as_bytes());
    Ok(msg)
}

fn auth_code(raw: &[u8]) -> Result<i32, Error> {
    raw.get(5..9)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(i32::from_be_bytes)
        .ok_or_else(|| Error::Protocol("an AuthenticationRequest without a code".into()))
}

/// An ErrorResponse as a [`ServerError`].
fn server_error(mut raw: BytesMut) -> Result<ServerError, Error> {
    match Message::parse(&mut raw) {
        Ok(Some(Message::ErrorResponse(body))) => Ok(fields(&body)),
        _ => Err(Error::Protocol("an unreadable ErrorResponse".into())),
    }
}

pub(crate) fn fields(body: &ErrorResponseBody) -> ServerError {
    let fields = redshift_serverless_pgwire::error_fields(body);
    let get = |kind| redshift_serverless_pgwire::field(&fields, kind).to_owned();
    ServerError {
        code: get('C'),
        severity: get('S'),
        message: get('M'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_message_counts_its_length_and_has_no_terminator() {
        let msg = token_message("my-idc-access-token").unwrap();
        assert_eq!(&msg[..5], b"i\x00\x00\x00\x17");
        assert_eq!(&msg[5..], b"my-idc-access-token");
        assert!(token_message("").is_err());
    }

    /// A server written out by hand: code 14, then the whole post-sign-in sequence.
    #[tokio::test]
    async fn a_sign_in_reads_to_ready_for_query() {
        let (mut client, mut server) = tokio::io::duplex(4096);
        let server = tokio::spawn(async move {
            let mut len = [0u8; 4];
            server.read_exact(&mut len).await.unwrap();
            let mut startup = vec![0u8; i32::from_be_bytes(len) as usize - 4];
            server.read_exact(&mut startup).await.unwrap();
            server
                .write_all(b"R\x00\x00\x00\x08\x00\x00\x00\x0e")
                .await
                .unwrap();
            let mut head = [0u8; 5];
            server.read_exact(&mut head).await.unwrap();
            assert_eq!(head[0], b'i');
            let mut token =
                vec![0u8; i32::from_be_bytes(head[1..5].try_into().unwrap()) as usize - 4];
            server.read_exact(&mut token).await.unwrap();
            server
                .write_all(b"R\x00\x00\x00\x08\x00\x00\x00\x00")
                .await
                .unwrap();
            server
                .write_all(b"S\x00\x00\x00\x19server_version\x008.0.2\x00")
                .await
                .unwrap();
            server
                .write_all(b"K\x00\x00\x00\x0c\x00\x00\x00\x07\x00\x00\x00\x09")
                .await
                .unwrap();
            server.write_all(b"Z\x00\x00\x00\x05I").await.unwrap();
            (
                String::from_utf8(startup).unwrap(),
                String::from_utf8(token).unwrap(),
            )
        });
        let params = vec![("database".to_owned(), "dev".to_owned())];
        let startup = sign_in(&mut client, &params, "tok-1").await.unwrap();
        assert_eq!(
            startup.parameters,
            [("server_version".to_owned(), "8.0.2".to_owned())]
        );
        assert_eq!(startup.key, Some((7, 9)));
        assert!(startup
            .messages
            .starts_with(b"R\x00\x00\x00\x08\x00\x00\x00\x00S"));
        assert!(startup.messages.ends_with(b"Z\x00\x00\x00\x05I"));
        let (sent, token) = server.await.unwrap();
        assert!(sent.contains("database\0dev\0"), "{sent:?}");
        assert_eq!(token, "tok-1");
    }

    #[tokio::test]
    async fn a_refusal_is_the_servers_error_and_other_methods_are_refused() {
        for (answer, expect) in [
            (
                &b"E\x00\x00\x00\x22SFATAL\x00C28000\x00Mtoken expired\x00\x00"[..],
                "FATAL: token expired (SQLSTATE 28000)",
            ),
            (
                &b"R\x00\x00\x00\x08\x00\x00\x00\x03"[..],
                "the server asked for authentication method 3",
            ),
            (&b"R\x7f\xff\xff\xff"[..], "a message of 2147483648 bytes"),
        ] {
            let (mut client, mut server) = tokio::io::duplex(4096);
            tokio::spawn(async move {
                let mut sink = [0u8; 256];
                let _ = server.read(&mut sink).await;
                let _ = server.write_all(answer).await;
                let _ = server.read(&mut sink).await;
            });
            let err = sign_in(&mut client, &[], "tok").await.unwrap_err();
            assert!(err.to_string().contains(expect), "{err}");
        }
    }
}
