//! The PostgreSQL wire pieces that `postgres-protocol` leaves out.
//!
//! `postgres-protocol` writes a client's messages and parses a server's. This crate adds a
//! server's side of the sign-in ([`server`]), Redshift's Identity Center token sign-in codes,
//! and [`MessageReader`], which reads whole server messages with each length checked before
//! anything is buffered (`postgres_protocol::message::backend::Message::parse` reserves
//! whatever length a message declares). The emulator's SQL front and the connector's proxy
//! use it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod relay;
pub mod server;

use std::io;

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{ErrorResponseBody, Header};
use tokio::io::{AsyncRead, AsyncReadExt};

pub use server::{AUTH_IDP_TOKEN, IDP_TOKEN_MESSAGE};

/// Reads whole messages from a server: a type byte, an Int32 length that counts itself, the
/// body. A message longer than the reader's limit is an error before it is buffered.
#[derive(Debug)]
pub struct MessageReader {
    buf: BytesMut,
    max: usize,
}

impl MessageReader {
    /// A reader refusing messages over `max` bytes (type byte and length included).
    pub fn new(max: usize) -> Self {
        MessageReader {
            buf: BytesMut::with_capacity(4096),
            max,
        }
    }

    /// The next whole message, or an error: the stream's, one for a message over the limit
    /// or with a bad length (`InvalidData`), or `UnexpectedEof` when the stream ends.
    pub async fn next<S: AsyncRead + Unpin + ?Sized>(
        &mut self,
        stream: &mut S,
    ) -> io::Result<BytesMut> {
        loop {
            if let Some(header) = Header::parse(&self.buf)? {
                let total = usize::try_from(header.len())
                    .unwrap_or(usize::MAX)
                    .saturating_add(1);
                if total > self.max {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "a message of {total} bytes; at most {} are read here",
                            self.max
                        ),
                    ));
                }
                if self.buf.len() >= total {
                    return Ok(self.buf.split_to(total));
                }
            }
            if stream.read_buf(&mut self.buf).await? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                ));
            }
        }
    }

    /// Whatever was read past the last whole message.
    pub fn take_buffered(&mut self) -> BytesMut {
        self.buf.split()
    }
}

/// An ErrorResponse's (or NoticeResponse's) fields as (type, value) pairs, in order.
pub fn error_fields(body: &ErrorResponseBody) -> Vec<(char, String)> {
    let mut out = Vec::new();
    let mut fields = body.fields();
    while let Ok(Some(field)) = fields.next() {
        out.push((
            char::from(field.type_()),
            String::from_utf8_lossy(field.value_bytes()).into_owned(),
        ));
    }
    out
}

/// The value of field `kind` (`'C'` for the SQLSTATE, `'M'` for the message, ...), or "".
pub fn field(fields: &[(char, String)], kind: char) -> &str {
    fields
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn whole_messages_in_any_pieces_and_a_long_one_refused_unbuffered() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&server::parameter_status("a", "b"));
        wire.extend_from_slice(&server::authentication(0));
        wire.extend_from_slice(b"Z\x7f\xff\xff\xff");
        let mut reader = MessageReader::new(1024);
        let mut stream = &wire[..];
        let first = reader.next(&mut stream).await.unwrap();
        assert_eq!(&first[..], &server::parameter_status("a", "b")[..]);
        let second = reader.next(&mut stream).await.unwrap();
        assert_eq!(&second[..], &server::authentication(0)[..]);
        let err = reader.next(&mut stream).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("2147483648 bytes"), "{err}");
        let mut empty: &[u8] = &[];
        let err = MessageReader::new(64).next(&mut empty).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
