//! One connection to the SQL front: TLS, the StartupMessage, the token, the session on
//! PostgreSQL, then the relay.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres_protocol::message::backend::Message;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::backend::{Io, OpenError};
use super::cancel::Registered;
use super::signin::{self, Handover, Identity, Refusal};
use super::Front;
use redshift_serverless_pgwire::server::{self as wire, FirstPacket, ReadError};

/// How long a connection may take from accept to its first ReadyForQuery.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(30);
/// What the front reports as `server_version`: Redshift's.
pub(crate) const SERVER_VERSION: &str = "8.0.2";
/// SQLSTATE invalid_authorization_specification: every refused sign-in.
const INVALID_AUTHORIZATION: &str = "28000";
/// SQLSTATE too_many_connections.
const TOO_MANY_CONNECTIONS: &str = "53300";
/// SQLSTATE protocol_violation.
const PROTOCOL_VIOLATION: &str = "08P01";
/// AuthenticationCleartextPassword, for `--sql-password-sign-in`.
const AUTH_CLEARTEXT_PASSWORD: i32 = 3;
/// A PasswordMessage's type.
const PASSWORD_MESSAGE: u8 = b'p';
/// SQLSTATE connection_failure: PostgreSQL could not be reached.
const CONNECTION_FAILURE: &str = "08006";

/// A signed-in session, ready to relay.
struct SignedIn {
    client: Box<dyn Io>,
    backend: Box<dyn Io>,
    identity: Identity,
    database: String,
    _cancel_key: Option<Registered>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

/// Serves one connection to the end.
pub(crate) async fn serve(front: &Front, tcp: TcpStream, peer: SocketAddr, workgroup: &str) {
    let started = Instant::now();
    let signed_in =
        match tokio::time::timeout(SIGN_IN_TIMEOUT, sign_in(front, tcp, peer, workgroup)).await {
            Ok(Some(s)) => s,
            Ok(None) => return,
            Err(_) => {
                tracing::info!(workgroup, %peer, "sign-in not finished in time; connection closed");
                return;
            }
        };
    let SignedIn {
        mut client,
        mut backend,
        identity,
        database,
        _cancel_key,
        _permit,
    } = signed_in;
    front.signed_in.fetch_add(1, Ordering::Relaxed);
    tracing::info!(workgroup, identity = %identity.user, role = %identity.role, %database, %peer, "session signed in");
    // Fixed buffers each way (8 KiB): a result set streams through, never held whole.
    let relayed = redshift_serverless_pgwire::relay::relay(&mut client, &mut backend).await;
    let _ = backend.shutdown().await;
    let error = relayed.error.map(|e| e.to_string()).unwrap_or_default();
    tracing::info!(
        workgroup,
        identity = %identity.user,
        %database,
        duration_ms = started.elapsed().as_millis() as u64,
        bytes_from_client = relayed.from_client,
        bytes_to_client = relayed.to_client,
        %error,
        "session ended"
    );
}

/// Everything up to the first ReadyForQuery. `None` when the connection ends here
/// (refused, a cancel request, or gone).
async fn sign_in(
    front: &Front,
    tcp: TcpStream,
    peer: SocketAddr,
    workgroup: &str,
) -> Option<SignedIn> {
    let (mut client, params, encrypted) = negotiate(front, tcp, peer, workgroup).await?;
    if !front.allow_plain && !encrypted {
        return refuse_plain(client, peer, workgroup).await;
    }
    let handover = signin::handover(&params, front.password_sign_in);
    let startup = match signin::check_startup(&params, handover) {
        Ok(s) => s,
        Err(r) => return refuse(front, client, r, peer, workgroup).await,
    };
    if !startup.dropped.is_empty() {
        tracing::debug!(workgroup, dropped = ?startup.dropped, "startup parameters not passed to PostgreSQL");
    }
    // Ask for the token: Redshift's code 14, or (with --sql-password-sign-in, for a client
    // without idp_type) a cleartext password.
    let (code, answer) = match handover {
        Handover::IdpToken => (wire::AUTH_IDP_TOKEN, wire::IDP_TOKEN_MESSAGE),
        Handover::Password => (AUTH_CLEARTEXT_PASSWORD, PASSWORD_MESSAGE),
    };
    client.write_all(&wire::authentication(code)).await.ok()?;
    client.flush().await.ok()?;
    let token = match wire::read_message(&mut client, wire::MAX_SIGNIN_MESSAGE).await {
        Ok((tag, mut token)) if tag == answer => {
            if handover == Handover::Password && token.last() == Some(&0) {
                token.pop();
            }
            if token.is_empty() {
                return refuse(front, client, Refusal::NoToken, peer, workgroup).await;
            }
            token
        }
        Ok(_) => return refuse(front, client, Refusal::NoToken, peer, workgroup).await,
        Err(ReadError::Protocol(m)) => {
            wire::send_fatal(&mut client, PROTOCOL_VIOLATION, &m).await;
            return None;
        }
        Err(ReadError::Io(_)) => return None,
    };
    let lookup = {
        let st = front.shared.lock();
        st.tokens.lookup(&token, st.config.clock.now())
    };
    drop(token);
    let identity = match signin::check_token(lookup, workgroup, &startup.namespace) {
        Ok(i) => i,
        Err(r) => return refuse(front, client, r, peer, workgroup).await,
    };
    let Ok(permit) = front.sessions.clone().try_acquire_owned() else {
        tracing::warn!(workgroup, %peer, max = front.max_sessions, "session refused: too many sessions");
        let message = format!(
            "sorry, too many clients already: the SQL front serves at most {} sessions",
            front.max_sessions
        );
        wire::send_fatal(&mut client, TOO_MANY_CONNECTIONS, &message).await;
        return None;
    };
    if let Err(e) = front.backend.ensure_role(&identity.role).await {
        tracing::warn!(workgroup, role = %identity.role, error = %e, "session refused: the role is not ready");
        wire::send_fatal(
            &mut client,
            CONNECTION_FAILURE,
            &format!("the workgroup's database cannot sign this user in: {e}"),
        )
        .await;
        return None;
    }
    let session = match front
        .backend
        .open_session(&identity.role, &startup.database, &startup.forwarded)
        .await
    {
        Ok(s) => s,
        Err(OpenError::Refused(error)) => {
            log_backend_refusal(&error, workgroup, &identity);
            let _ = client.write_all(&error).await;
            let _ = client.flush().await;
            return None;
        }
        Err(OpenError::Failed(e)) => {
            tracing::warn!(workgroup, error = %e, "session refused: PostgreSQL failed");
            wire::send_fatal(
                &mut client,
                CONNECTION_FAILURE,
                &format!("the workgroup's database is unavailable: {e}"),
            )
            .await;
            return None;
        }
    };
    let cancel_key = session.key.map(|k| front.cancel.register(k));
    let mut out = BytesMut::new();
    out.extend_from_slice(&wire::authentication(0));
    for raw in session.messages {
        rewrite(raw, cancel_key.as_ref().map(|k| k.front), &mut out);
    }
    client.write_all(&out).await.ok()?;
    client.flush().await.ok()?;
    Some(SignedIn {
        client,
        backend: session.stream,
        identity,
        database: startup.database,
        _cancel_key: cancel_key,
        _permit: permit,
    })
}

/// The first packets: encryption requests (GSSAPI refused, TLS served) and then a
/// StartupMessage, whose parameters it returns with the stream and whether it is encrypted.
/// A CancelRequest is acted on here and ends the connection, as does anything unreadable.
async fn negotiate(
    front: &Front,
    mut tcp: TcpStream,
    peer: SocketAddr,
    workgroup: &str,
) -> Option<(Box<dyn Io>, Vec<(String, String)>, bool)> {
    let mut first = read_first(&mut tcp, peer, workgroup).await?;
    if first == FirstPacket::GssEncRequest {
        // No GSSAPI encryption here; the client may go on with SSL or plain.
        tcp.write_all(b"N").await.ok()?;
        first = read_first(&mut tcp, peer, workgroup).await?;
    }
    let (mut client, first, encrypted): (Box<dyn Io>, FirstPacket, bool) = match first {
        FirstPacket::SslRequest => {
            tcp.write_all(b"S").await.ok()?;
            let mut tls = match front.certs.acceptor.accept(tcp).await {
                Ok(t) => t,
                Err(e) => {
                    tracing::info!(workgroup, %peer, error = %e, "TLS handshake failed");
                    return None;
                }
            };
            let first = read_first(&mut tls, peer, workgroup).await?;
            (Box::new(tls), first, true)
        }
        other => (Box::new(tcp), other, false),
    };
    match first {
        FirstPacket::Cancel {
            process_id,
            secret_key,
        } => {
            cancel(front, (process_id, secret_key), peer, workgroup).await;
            None
        }
        FirstPacket::SslRequest | FirstPacket::GssEncRequest => {
            wire::send_fatal(
                &mut client,
                PROTOCOL_VIOLATION,
                "unexpected second encryption request",
            )
            .await;
            None
        }
        FirstPacket::Startup { params } => Some((client, params, encrypted)),
    }
}

/// What PostgreSQL said after AuthenticationOk, as the client sees it: `server_version`
/// is Redshift's and BackendKeyData the front's own, just before ReadyForQuery.
fn rewrite(raw: BytesMut, front_key: Option<(i32, i32)>, out: &mut BytesMut) {
    let mut copy = raw.clone();
    match Message::parse(&mut copy) {
        Ok(Some(Message::ParameterStatus(p))) if p.name().ok() == Some("server_version") => {
            out.extend_from_slice(&wire::parameter_status("server_version", SERVER_VERSION));
        }
        Ok(Some(Message::ReadyForQuery(_))) => {
            if let Some((pid, secret)) = front_key {
                out.extend_from_slice(&wire::backend_key_data(pid, secret));
            }
            out.extend_from_slice(&raw);
        }
        _ => out.extend_from_slice(&raw),
    }
}

async fn read_first<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    stream: &mut S,
    peer: SocketAddr,
    workgroup: &str,
) -> Option<FirstPacket> {
    match wire::read_first_packet(stream).await {
        Ok(p) => Some(p),
        Err(ReadError::Protocol(m)) => {
            tracing::info!(workgroup, %peer, error = %m, "not a PostgreSQL client; connection closed");
            wire::send_fatal(stream, PROTOCOL_VIOLATION, &m).await;
            None
        }
        Err(ReadError::Io(_)) => None,
    }
}

async fn refuse(
    front: &Front,
    mut client: Box<dyn Io>,
    refusal: Refusal,
    peer: SocketAddr,
    workgroup: &str,
) -> Option<SignedIn> {
    front.refused.fetch_add(1, Ordering::Relaxed);
    tracing::info!(workgroup, %peer, reason = refusal.reason(), "sign-in refused");
    wire::send_fatal(&mut client, INVALID_AUTHORIZATION, &refusal.message()).await;
    None
}

async fn refuse_plain(
    mut client: Box<dyn Io>,
    peer: SocketAddr,
    workgroup: &str,
) -> Option<SignedIn> {
    tracing::info!(workgroup, %peer, reason = "no TLS", "sign-in refused");
    wire::send_fatal(
        &mut client,
        INVALID_AUTHORIZATION,
        "the workgroup accepts only TLS connections: connect with sslmode=verify-full (or start the emulator with --sql-allow-plain)",
    )
    .await;
    None
}

async fn cancel(front: &Front, key: (i32, i32), peer: SocketAddr, workgroup: &str) {
    match front.cancel.backend_key(key) {
        Some((pid, secret)) => {
            if let Err(e) = front.backend.cancel(pid, secret).await {
                tracing::warn!(workgroup, error = %e, "cancel request not passed on to PostgreSQL");
            } else {
                tracing::info!(workgroup, %peer, "cancel request passed on");
            }
        }
        // As PostgreSQL does: no answer either way, so keys cannot be probed.
        None => tracing::info!(workgroup, %peer, "cancel request with an unknown key ignored"),
    }
}

fn log_backend_refusal(error: &BytesMut, workgroup: &str, identity: &Identity) {
    let mut copy = error.clone();
    let (code, message) = match Message::parse(&mut copy) {
        Ok(Some(Message::ErrorResponse(body))) => {
            let fields = redshift_serverless_pgwire::error_fields(&body);
            (
                redshift_serverless_pgwire::field(&fields, 'C').to_owned(),
                redshift_serverless_pgwire::field(&fields, 'M').to_owned(),
            )
        }
        _ => (String::new(), String::new()),
    };
    tracing::info!(workgroup, role = %identity.role, sqlstate = %code, %message, "session refused by PostgreSQL");
}
