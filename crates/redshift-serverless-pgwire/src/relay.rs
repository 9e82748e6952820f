//! The relay after a sign-in: bytes both ways in fixed buffers, so a result set streams
//! through and is never held whole, with the totals known however it ends. Results flow from
//! the server in a 64 KiB buffer (an eighth of the reads and writes per megabyte of tokio's
//! default 8 KiB); queries flow from the client in 8 KiB.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A stream that counts the bytes read from it and written to it (an error loses
/// `copy_bidirectional`'s own counts).
struct Counted<S> {
    inner: S,
    read: u64,
    written: u64,
}

impl<S> Counted<S> {
    fn new(inner: S) -> Self {
        Counted {
            inner,
            read: 0,
            written: 0,
        }
    }
}

impl<S: AsyncRead + Unpin + ?Sized> AsyncRead for Counted<&mut S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut *self.inner).poll_read(cx, buf);
        self.read += (buf.filled().len() - before) as u64;
        poll
    }
}

impl<S: AsyncWrite + Unpin + ?Sized> AsyncWrite for Counted<&mut S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut *self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &poll {
            self.written += *n as u64;
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_shutdown(cx)
    }
}

/// The buffer of the client-to-server direction: queries, COPY IN.
pub const CLIENT_TO_SERVER_BUFFER: usize = 8 * 1024;
/// The buffer of the server-to-client direction: results, COPY OUT.
pub const SERVER_TO_CLIENT_BUFFER: usize = 64 * 1024;

/// How a relay went.
#[derive(Debug)]
pub struct Relayed {
    /// Bytes the client sent.
    pub from_client: u64,
    /// Bytes the client was sent.
    pub to_client: u64,
    /// Why it ended, if not by one side closing (a close without TLS's close_notify counts as
    /// closing).
    pub error: Option<io::Error>,
}

/// Copies bytes between `client` and `server` until both directions end.
pub async fn relay<C, S>(client: &mut C, server: &mut S) -> Relayed
where
    C: AsyncRead + AsyncWrite + Unpin + ?Sized,
    S: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    let mut counted = Counted::new(client);
    let result = tokio::io::copy_bidirectional_with_sizes(
        &mut counted,
        server,
        CLIENT_TO_SERVER_BUFFER,
        SERVER_TO_CLIENT_BUFFER,
    )
    .await;
    Relayed {
        from_client: counted.read,
        to_client: counted.written,
        error: result
            .err()
            .filter(|e| e.kind() != io::ErrorKind::UnexpectedEof),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn both_directions_are_counted() {
        let (mut client_far, mut client) = tokio::io::duplex(64);
        let (mut server, mut server_far) = tokio::io::duplex(64);
        let relay = tokio::spawn(async move { relay(&mut client, &mut server).await });
        client_far.write_all(b"query").await.unwrap();
        let mut got = [0u8; 5];
        server_far.read_exact(&mut got).await.unwrap();
        server_far.write_all(&[7u8; 1000]).await.unwrap();
        drop(server_far);
        let mut back = Vec::new();
        client_far.read_to_end(&mut back).await.unwrap();
        drop(client_far);
        let relayed = relay.await.unwrap();
        assert_eq!((relayed.from_client, relayed.to_client), (5, 1000));
        assert!(relayed.error.is_none(), "{:?}", relayed.error);
    }
}
