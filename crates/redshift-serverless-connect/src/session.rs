//! The stream tokio-postgres gets: the signed-in TLS stream, with the sign-in's exchange
//! taken over. `tokio_postgres::Config::connect_raw` always writes its own StartupMessage
//! and then reads the server's answer; by then the session is already signed in, so this
//! adapter swallows that StartupMessage (the connector sent the session's parameters) and
//! answers it with what the server said after the real sign-in: AuthenticationOk,
//! ParameterStatus, BackendKeyData, ReadyForQuery. From there on it is the TLS stream.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// A signed-in session's stream, for `tokio_postgres::Connection`.
pub struct Session<S = TlsStream<TcpStream>> {
    inner: S,
    /// What tokio-postgres reads first: the server's answer to the sign-in.
    replay: BytesMut,
    /// tokio-postgres's StartupMessage, while it is being swallowed.
    swallow: Swallow,
}

impl<S> std::fmt::Debug for Session<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

#[derive(Debug)]
enum Swallow {
    /// The length's bytes read so far.
    Length([u8; 4], usize),
    /// Bytes of the message left to drop.
    Body(usize),
    Done,
}

impl<S> Session<S> {
    pub(crate) fn new(inner: S, replay: BytesMut) -> Self {
        Session {
            inner,
            replay,
            swallow: Swallow::Length([0; 4], 0),
        }
    }

    /// Takes bytes of tokio-postgres's StartupMessage out of `buf`; how many it took.
    fn swallow(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut taken = 0;
        loop {
            match &mut self.swallow {
                Swallow::Done => return Ok(taken),
                Swallow::Length(len, have) => {
                    let n = (4 - *have).min(buf.len() - taken);
                    len[*have..*have + n].copy_from_slice(&buf[taken..taken + n]);
                    *have += n;
                    taken += n;
                    if *have < 4 {
                        return Ok(taken);
                    }
                    let total = i32::from_be_bytes(*len);
                    let body = usize::try_from(total)
                        .ok()
                        .and_then(|t| t.checked_sub(4))
                        .ok_or_else(|| {
                            io::Error::new(
                                io::ErrorKind::InvalidInput,
                                "a StartupMessage of negative length",
                            )
                        })?;
                    self.swallow = Swallow::Body(body);
                }
                Swallow::Body(left) => {
                    let n = (*left).min(buf.len() - taken);
                    *left -= n;
                    taken += n;
                    if *left == 0 {
                        self.swallow = Swallow::Done;
                    }
                    if taken == buf.len() {
                        return Ok(taken);
                    }
                }
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Session<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.replay.is_empty() {
            let n = self.replay.len().min(buf.remaining());
            buf.put_slice(&self.replay[..n]);
            self.replay.advance(n);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Session<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if !matches!(self.swallow, Swallow::Done) {
            let taken = self.swallow(buf)?;
            if taken > 0 {
                return Poll::Ready(Ok(taken));
            }
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn the_startup_message_is_swallowed_in_any_pieces_and_the_rest_passes() {
        let mut startup = BytesMut::new();
        postgres_protocol::message::frontend::startup_message(
            [("user", "x"), ("database", "dev")],
            &mut startup,
        )
        .unwrap();
        for piece in [1, 3, 4, 7, startup.len()] {
            let (inner, mut server) = tokio::io::duplex(1024);
            let mut s = Session::new(inner, BytesMut::from(&b"replayed"[..]));
            for chunk in startup.chunks(piece) {
                s.write_all(chunk).await.unwrap();
            }
            s.write_all(b"Q-after").await.unwrap();
            let mut got = [0u8; 7];
            server.read_exact(&mut got).await.unwrap();
            assert_eq!(&got, b"Q-after", "pieces of {piece}");
            let mut read = [0u8; 8];
            s.read_exact(&mut read).await.unwrap();
            assert_eq!(&read, b"replayed");
            server.write_all(b"more").await.unwrap();
            let mut more = [0u8; 4];
            s.read_exact(&mut more).await.unwrap();
            assert_eq!(&more, b"more");
        }
    }
}
