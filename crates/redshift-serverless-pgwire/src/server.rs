//! The messages a server reads and writes during a sign-in: the untyped first packet
//! (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage), the typed messages a client
//! sends, and ErrorResponse, AuthenticationRequest, ParameterStatus and BackendKeyData.
//! Every length is checked before anything is buffered.

use std::io;

use bytes::{Buf, BufMut, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// PostgreSQL's own limit for the first packet (`MAX_STARTUP_PACKET_LENGTH`).
pub const MAX_STARTUP_PACKET: usize = 10_000;
/// The largest typed message read during sign-in; a token is a few kilobytes.
pub const MAX_SIGNIN_MESSAGE: usize = 64 * 1024;

/// The code of an SSLRequest.
pub const SSL_REQUEST_CODE: i32 = 80_877_103;
/// The code of a GSSENCRequest.
pub const GSSENC_REQUEST_CODE: i32 = 80_877_104;
/// The code of a CancelRequest.
pub const CANCEL_REQUEST_CODE: i32 = 80_877_102;
/// The protocol version of a StartupMessage: 3.0.
pub const PROTOCOL_3_0: i32 = 196_608;

/// The AuthenticationRequest code of Redshift's identity-provider token sign-in.
pub const AUTH_IDP_TOKEN: i32 = 14;
/// The message type of the client's answer to it: the token.
pub const IDP_TOKEN_MESSAGE: u8 = b'i';

/// The first packet of a connection.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstPacket {
    /// The client asks for TLS.
    SslRequest,
    /// The client asks for GSSAPI encryption.
    GssEncRequest,
    /// A cancel request for the session with this key.
    Cancel {
        /// BackendKeyData's process id.
        process_id: i32,
        /// BackendKeyData's secret key.
        secret_key: i32,
    },
    /// A StartupMessage (protocol 3.0) with its parameters, in order.
    Startup {
        /// (name, value) pairs.
        params: Vec<(String, String)>,
    },
}

/// Why a packet could not be read: the stream failed, or the bytes are not the protocol.
#[derive(Debug)]
pub enum ReadError {
    /// The connection closed or failed.
    Io(io::Error),
    /// The bytes are not the protocol: what is wrong with them.
    Protocol(String),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl std::error::Error for ReadError {}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Protocol(m) => f.write_str(m),
        }
    }
}

fn protocol(msg: impl Into<String>) -> ReadError {
    ReadError::Protocol(msg.into())
}

/// Reads the untyped first packet: an Int32 length that counts itself, an Int32 code, and
/// for a StartupMessage the parameters as NUL-terminated pairs ending in one more NUL.
pub async fn read_first_packet<S: AsyncRead + Unpin>(
    stream: &mut S,
) -> Result<FirstPacket, ReadError> {
    let len = stream.read_i32().await?;
    let len = usize::try_from(len)
        .ok()
        .filter(|l| (8..=MAX_STARTUP_PACKET).contains(l))
        .ok_or_else(|| protocol(format!("invalid length of startup packet: {len}")))?;
    let mut body = vec![0u8; len - 4];
    stream.read_exact(&mut body).await?;
    parse_first_packet(&body)
}

/// Parses a first packet's body (what follows the length).
pub fn parse_first_packet(body: &[u8]) -> Result<FirstPacket, ReadError> {
    let mut buf = body;
    if buf.remaining() < 4 {
        return Err(protocol("startup packet shorter than its code"));
    }
    let code = buf.get_i32();
    match code {
        SSL_REQUEST_CODE => Ok(FirstPacket::SslRequest),
        GSSENC_REQUEST_CODE => Ok(FirstPacket::GssEncRequest),
        CANCEL_REQUEST_CODE => {
            if buf.remaining() != 8 {
                return Err(protocol("CancelRequest of the wrong length"));
            }
            Ok(FirstPacket::Cancel {
                process_id: buf.get_i32(),
                secret_key: buf.get_i32(),
            })
        }
        PROTOCOL_3_0 => Ok(FirstPacket::Startup {
            params: parse_parameters(buf)?,
        }),
        other => Err(protocol(format!(
            "unsupported frontend protocol {}.{}: the server supports 3.0",
            other >> 16,
            other & 0xffff
        ))),
    }
}

fn parse_parameters(mut buf: &[u8]) -> Result<Vec<(String, String)>, ReadError> {
    let mut params = Vec::new();
    loop {
        let name = cstr(&mut buf)?;
        if name.is_empty() {
            break;
        }
        let value = cstr(&mut buf)?;
        if params.iter().any(|(n, _)| *n == name) {
            return Err(protocol(format!("startup parameter {name:?} given twice")));
        }
        params.push((name, value));
    }
    if !buf.is_empty() {
        return Err(protocol("bytes after the startup parameters' terminator"));
    }
    Ok(params)
}

fn cstr(buf: &mut &[u8]) -> Result<String, ReadError> {
    let end = buf
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| protocol("startup packet not terminated"))?;
    let s = std::str::from_utf8(&buf[..end])
        .map_err(|_| protocol("startup parameter that is not UTF-8"))?
        .to_owned();
    buf.advance(end + 1);
    Ok(s)
}

/// Reads one typed message (type byte, Int32 length that counts itself, body) of at most
/// `max` bytes of body.
pub async fn read_message<S: AsyncRead + Unpin>(
    stream: &mut S,
    max: usize,
) -> Result<(u8, Vec<u8>), ReadError> {
    let tag = stream.read_u8().await?;
    let len = stream.read_i32().await?;
    let body_len = usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_sub(4))
        .ok_or_else(|| protocol(format!("invalid message length {len}")))?;
    if body_len > max {
        return Err(protocol(format!(
            "message of {body_len} bytes; at most {max} are accepted here"
        )));
    }
    let mut body = vec![0u8; body_len];
    stream.read_exact(&mut body).await?;
    Ok((tag, body))
}

fn message(tag: u8, body: impl FnOnce(&mut BytesMut)) -> BytesMut {
    let mut buf = BytesMut::new();
    buf.put_u8(tag);
    buf.put_i32(0);
    body(&mut buf);
    let len = i32::try_from(buf.len() - 1).unwrap_or(i32::MAX);
    buf[1..5].copy_from_slice(&len.to_be_bytes());
    buf
}

fn put_cstr(buf: &mut BytesMut, s: &str) {
    // A NUL inside would end the field early; no caller passes one, but never send it.
    buf.put_slice(s.replace('\0', " ").as_bytes());
    buf.put_u8(0);
}

/// AuthenticationRequest with `code` and no further data.
pub fn authentication(code: i32) -> BytesMut {
    message(b'R', |b| b.put_i32(code))
}

/// ParameterStatus.
pub fn parameter_status(name: &str, value: &str) -> BytesMut {
    message(b'S', |b| {
        put_cstr(b, name);
        put_cstr(b, value);
    })
}

/// BackendKeyData.
pub fn backend_key_data(process_id: i32, secret_key: i32) -> BytesMut {
    message(b'K', |b| {
        b.put_i32(process_id);
        b.put_i32(secret_key);
    })
}

/// An ErrorResponse (severity FATAL unless given) with a SQLSTATE and message.
pub fn error_response(severity: &str, sqlstate: &str, msg: &str) -> BytesMut {
    message(b'E', |b| {
        b.put_u8(b'S');
        put_cstr(b, severity);
        b.put_u8(b'V');
        put_cstr(b, severity);
        b.put_u8(b'C');
        put_cstr(b, sqlstate);
        b.put_u8(b'M');
        put_cstr(b, msg);
        b.put_u8(0);
    })
}

/// Writes a FATAL ErrorResponse and flushes; errors are ignored (the client may be gone).
pub async fn send_fatal<S: AsyncWrite + Unpin>(stream: &mut S, sqlstate: &str, msg: &str) {
    let _ = stream
        .write_all(&error_response("FATAL", sqlstate, msg))
        .await;
    let _ = stream.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use postgres_protocol::message::backend::Message;
    use postgres_protocol::message::frontend;

    fn body_of(packet: &BytesMut) -> &[u8] {
        &packet[4..]
    }

    #[test]
    fn first_packets_written_by_postgres_protocol_read_back() {
        let mut buf = BytesMut::new();
        frontend::ssl_request(&mut buf);
        assert_eq!(
            parse_first_packet(body_of(&buf)).unwrap(),
            FirstPacket::SslRequest
        );
        let mut buf = BytesMut::new();
        frontend::cancel_request(42, -7, &mut buf);
        assert_eq!(
            parse_first_packet(body_of(&buf)).unwrap(),
            FirstPacket::Cancel {
                process_id: 42,
                secret_key: -7
            }
        );
        let mut buf = BytesMut::new();
        frontend::startup_message([("user", ""), ("database", "dev")], &mut buf).unwrap();
        assert_eq!(
            parse_first_packet(body_of(&buf)).unwrap(),
            FirstPacket::Startup {
                params: vec![
                    ("user".into(), String::new()),
                    ("database".into(), "dev".into())
                ]
            }
        );
    }

    #[test]
    fn malformed_first_packets_are_protocol_errors() {
        for body in [
            &b""[..],
            &b"\x00\x03\x00\x00user\x00"[..],
            &b"\x00\x03\x00\x00user\x00x\x00\x00extra"[..],
            &b"\x00\x03\x00\x00a\x00x\x00a\x00y\x00\x00"[..],
            &b"\x00\x02\x00\x00\x00"[..],
            &b"\x04\xd2\x16\x2e\x00"[..],
        ] {
            assert!(
                matches!(parse_first_packet(body), Err(ReadError::Protocol(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn backend_messages_parse_with_postgres_protocol() {
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&parameter_status("server_version", "8.0.2"));
        buf.extend_from_slice(&backend_key_data(7, 9));
        buf.extend_from_slice(&error_response("FATAL", "28000", "no token"));
        buf.extend_from_slice(&authentication(0));
        let Some(Message::ParameterStatus(p)) = Message::parse(&mut buf).unwrap() else {
            panic!("not a ParameterStatus");
        };
        assert_eq!(
            (p.name().unwrap(), p.value().unwrap()),
            ("server_version", "8.0.2")
        );
        let Some(Message::BackendKeyData(k)) = Message::parse(&mut buf).unwrap() else {
            panic!("not BackendKeyData");
        };
        assert_eq!((k.process_id(), k.secret_key()), (7, 9));
        let Some(Message::ErrorResponse(e)) = Message::parse(&mut buf).unwrap() else {
            panic!("not an ErrorResponse");
        };
        let fields = crate::error_fields(&e);
        assert_eq!(
            fields,
            [
                ('S', "FATAL"),
                ('V', "FATAL"),
                ('C', "28000"),
                ('M', "no token")
            ]
            .map(|(c, v)| (c, v.to_owned()))
        );
        assert!(matches!(
            Message::parse(&mut buf).unwrap(),
            Some(Message::AuthenticationOk)
        ));
        assert!(buf.is_empty());
    }
}
