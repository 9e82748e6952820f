//! The real PostgreSQL behind the front: the connection string, an admin connection that
//! creates each Identity Center user's role, and the sessions that run as those roles.
//!
//! A session connects as its role (not as the admin user with `SET ROLE`, which the client
//! could undo with `RESET ROLE`), with a password the front sets on the role the first time
//! it signs the role in during this run. The password is derived from the connection string
//! and the role, so several emulators on one PostgreSQL (parallel tests) set the same one
//! and never lock each other's sessions out. The front speaks the client side of the protocol
//! here with `postgres-protocol`: trust, cleartext, MD5 and SCRAM-SHA-256 sign-ins work.

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::sasl::{ChannelBinding, ScramSha256, SCRAM_SHA_256};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use redshift_serverless_pgwire::MessageReader;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_postgres::config::{Host, SslMode};

/// A byte stream to PostgreSQL (TCP or a Unix socket).
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The largest message read from PostgreSQL before a session is handed to the client.
const MAX_STARTUP_MESSAGE: usize = 1 << 20;
/// How long connecting and signing in to PostgreSQL may take.
const BACKEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The database a session opens when the client names none: Redshift's default.
pub(crate) const DEFAULT_DATABASE: &str = "dev";

/// Where PostgreSQL listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Address {
    Tcp(String, u16),
    Unix(PathBuf),
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Tcp(host, port) => write!(f, "{host}:{port}"),
            Address::Unix(path) => write!(f, "{}", path.display()),
        }
    }
}

impl Address {
    pub(crate) async fn connect(&self) -> io::Result<Box<dyn Io>> {
        match self {
            Address::Tcp(host, port) => {
                let s = tokio::net::TcpStream::connect((host.as_str(), *port)).await?;
                let _ = s.set_nodelay(true);
                Ok(Box::new(s))
            }
            #[cfg(unix)]
            Address::Unix(path) => Ok(Box::new(tokio::net::UnixStream::connect(path).await?)),
            #[cfg(not(unix))]
            Address::Unix(path) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("no Unix sockets here: {}", path.display()),
            )),
        }
    }
}

/// A session's stream to PostgreSQL, signed in, with what PostgreSQL said before its first
/// ReadyForQuery.
pub(crate) struct Session {
    pub(crate) stream: Box<dyn Io>,
    /// The messages after AuthenticationOk, up to and including ReadyForQuery, each whole.
    pub(crate) messages: Vec<BytesMut>,
    /// PostgreSQL's BackendKeyData, for cancelling.
    pub(crate) key: Option<(i32, i32)>,
}

/// Why a session could not be opened.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// PostgreSQL refused with this ErrorResponse (whole message): the client gets it as is.
    Refused(BytesMut),
    /// Anything else, said in words.
    Failed(String),
}

/// The PostgreSQL behind the front.
pub(crate) struct Backend {
    config: tokio_postgres::Config,
    address: Address,
    /// The connection string, for deriving role passwords.
    postgres: String,
    admin: tokio::sync::Mutex<Option<tokio_postgres::Client>>,
    /// Roles made ready during this run.
    ready: std::sync::Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Backend {
    /// Checks a connection string; the error names what is wrong with it.
    pub(crate) fn parse(postgres: &str) -> Result<(tokio_postgres::Config, Address), String> {
        let config = tokio_postgres::Config::from_str(postgres)
            .map_err(|e| format!("--postgres is not a PostgreSQL connection string: {e}"))?;
        if config.get_ssl_mode() == SslMode::Require {
            return Err("--postgres with sslmode=require: the SQL front reaches PostgreSQL without TLS; use a local server and sslmode=disable or prefer".into());
        }
        if config.get_user().is_none() {
            return Err("--postgres names no user: give one that may create roles, e.g. postgresql://postgres@127.0.0.1:5432/postgres".into());
        }
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let address = match config.get_hosts().first() {
            Some(Host::Tcp(host)) => Address::Tcp(host.clone(), port),
            #[cfg(unix)]
            Some(Host::Unix(dir)) => Address::Unix(dir.join(format!(".s.PGSQL.{port}"))),
            _ => {
                return Err("--postgres names no host: give one, e.g. postgresql://postgres@127.0.0.1:5432/postgres".into())
            }
        };
        Ok((config, address))
    }

    pub(crate) fn new(postgres: &str) -> Result<Self, String> {
        let (config, address) = Self::parse(postgres)?;
        Ok(Backend {
            config,
            address,
            postgres: postgres.to_owned(),
            admin: tokio::sync::Mutex::new(None),
            ready: std::sync::Mutex::new(HashSet::new()),
        })
    }

    /// The password `role` signs in with: a digest of the connection string (which holds the
    /// admin's credentials, so it is as secret as they are) and the role.
    fn role_password(&self, role: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"redshift-serverless-emulator role password\0");
        h.update(self.postgres.as_bytes());
        h.update(b"\0");
        h.update(role.as_bytes());
        hex::encode(h.finalize())
    }

    pub(crate) fn address(&self) -> &Address {
        &self.address
    }

    /// Makes sure `role` exists, may log in and has this run's password. A role that exists
    /// with more power than a plain login (superuser, create role or database, replication,
    /// bypass RLS) is refused: no client picks its way into it through `identity_namespace`.
    pub(crate) async fn ensure_role(&self, role: &str) -> Result<(), String> {
        if self.ready_roles().contains(role) {
            return Ok(());
        }
        let mut admin = self.admin.lock().await;
        if self.ready_roles().contains(role) {
            return Ok(());
        }
        let client = match admin.as_ref().filter(|c| !c.is_closed()) {
            Some(c) => c,
            None => {
                let (client, connection) = tokio::time::timeout(
                    BACKEND_TIMEOUT,
                    self.config.connect(tokio_postgres::NoTls),
                )
                .await
                .map_err(|_| format!("no answer from PostgreSQL at {} in time", self.address))?
                .map_err(|e| {
                    format!(
                        "cannot connect to PostgreSQL at {}: {}",
                        self.address,
                        pg_error(&e)
                    )
                })?;
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "admin connection to PostgreSQL ended");
                    }
                });
                admin.insert(client)
            }
        };
        let powerful = client
            .query_opt(
                "select rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls \
                 from pg_roles where rolname = $1",
                &[&role],
            )
            .await
            .map_err(|e| format!("cannot look up role {role:?}: {}", pg_error(&e)))?
            .map(|row| row.get::<_, bool>(0));
        // The password goes over as a SCRAM-SHA-256 verifier, never in clear: tokio-postgres
        // logs statements at DEBUG, and PostgreSQL may log them too. (A verifier signs no
        // one in; PostgreSQL checks trust, cleartext and SCRAM sign-ins against it.)
        let verifier =
            postgres_protocol::password::scram_sha_256(self.role_password(role).as_bytes());
        let alter = format!(
            "alter role {} with login password '{verifier}'",
            quote_identifier(role),
        );
        let statement = match powerful {
            Some(true) => {
                return Err(format!(
                    "role {role:?} exists with more than login rights; the emulator does not sign sessions in to it"
                ))
            }
            Some(false) => alter.clone(),
            None => format!(
                "create role {} login password '{verifier}'",
                quote_identifier(role),
            ),
        };
        // Another emulator on the same PostgreSQL may be preparing the same role: a create
        // that loses that race (duplicate object, or the unique index of role names) becomes
        // an alter, and an alter that meets a concurrent one ("tuple concurrently updated")
        // is tried again.
        let mut statement = statement;
        let mut attempts = 0;
        loop {
            attempts += 1;
            match client.batch_execute(&statement).await {
                Ok(()) => break,
                Err(e) if attempts < 5 && is_race(&e) => {
                    statement = alter.clone();
                    tokio::time::sleep(Duration::from_millis(20 * attempts)).await;
                }
                Err(e) => return Err(format!("cannot prepare role {role:?}: {}", pg_error(&e))),
            }
        }
        tracing::info!(role, "role ready for Identity Center sessions");
        self.ready
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(role.to_owned());
        Ok(())
    }

    fn ready_roles(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.ready.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens a session as `role` on `database` with the client's `params` (already
    /// filtered), signs it in and reads up to its first ReadyForQuery.
    pub(crate) async fn open_session(
        &self,
        role: &str,
        database: &str,
        params: &[(String, String)],
    ) -> Result<Session, OpenError> {
        tokio::time::timeout(BACKEND_TIMEOUT, self.open(role, database, params))
            .await
            .unwrap_or_else(|_| {
                Err(OpenError::Failed(format!(
                    "no answer from PostgreSQL at {} in time",
                    self.address
                )))
            })
    }

    async fn open(
        &self,
        role: &str,
        database: &str,
        params: &[(String, String)],
    ) -> Result<Session, OpenError> {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            OpenError::Failed(format!("{what} PostgreSQL at {}: {e}", self.address))
        };
        let mut stream = self
            .address
            .connect()
            .await
            .map_err(|e| failed("cannot connect to", &e))?;
        let mut startup: Vec<(&str, &str)> = vec![("user", role), ("database", database)];
        startup.extend(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut buf = BytesMut::new();
        frontend::startup_message(startup, &mut buf).map_err(|e| failed("cannot write to", &e))?;
        stream
            .write_all(&buf)
            .await
            .map_err(|e| failed("cannot write to", &e))?;

        let mut reader = MessageReader::new(MAX_STARTUP_MESSAGE);
        let mut scram: Option<ScramSha256> = None;
        let password = self.role_password(role);
        let password = password.as_bytes();
        // Sign-in.
        loop {
            let raw = reader
                .next(&mut stream)
                .await
                .map_err(|e| failed("lost", &e))?;
            let message = Message::parse(&mut raw.clone())
                .ok()
                .flatten()
                .ok_or_else(|| failed("an unreadable message from", &char::from(raw[0])))?;
            let mut out = BytesMut::new();
            match message {
                Message::AuthenticationOk => break,
                Message::AuthenticationCleartextPassword => {
                    frontend::password_message(password, &mut out)
                        .map_err(|e| failed("cannot write to", &e))?;
                }
                Message::AuthenticationMd5Password(body) => {
                    let hash = postgres_protocol::authentication::md5_hash(
                        role.as_bytes(),
                        password,
                        body.salt(),
                    );
                    frontend::password_message(hash.as_bytes(), &mut out)
                        .map_err(|e| failed("cannot write to", &e))?;
                }
                Message::AuthenticationSasl(body) => {
                    let mechanisms: Vec<String> = body
                        .mechanisms()
                        .map(|m| Ok(m.to_owned()))
                        .collect()
                        .map_err(|e| failed("unreadable SASL mechanisms from", &e))?;
                    if !mechanisms.iter().any(|m| m == SCRAM_SHA_256) {
                        return Err(OpenError::Failed(format!(
                            "PostgreSQL at {} offers SASL mechanisms {mechanisms:?}, not {SCRAM_SHA_256}",
                            self.address
                        )));
                    }
                    let s = ScramSha256::new(password, ChannelBinding::unsupported());
                    frontend::sasl_initial_response(SCRAM_SHA_256, s.message(), &mut out)
                        .map_err(|e| failed("cannot write to", &e))?;
                    scram = Some(s);
                }
                Message::AuthenticationSaslContinue(body) => {
                    let s = scram
                        .as_mut()
                        .ok_or_else(|| failed("unexpected SCRAM step from", &"continue"))?;
                    s.update(body.data())
                        .map_err(|e| failed("failed SCRAM with", &e))?;
                    frontend::sasl_response(s.message(), &mut out)
                        .map_err(|e| failed("cannot write to", &e))?;
                }
                Message::AuthenticationSaslFinal(body) => {
                    let s = scram
                        .as_mut()
                        .ok_or_else(|| failed("unexpected SCRAM step from", &"final"))?;
                    s.finish(body.data())
                        .map_err(|e| failed("failed SCRAM with", &e))?;
                    continue;
                }
                Message::ErrorResponse(_) => return Err(OpenError::Refused(raw)),
                _ => {
                    return Err(OpenError::Failed(format!(
                        "PostgreSQL at {} asked for an authentication method the front does not speak (message {:?})",
                        self.address,
                        char::from(raw[0])
                    )))
                }
            }
            stream
                .write_all(&out)
                .await
                .map_err(|e| failed("cannot write to", &e))?;
        }
        // Up to the first ReadyForQuery.
        let mut messages = Vec::new();
        let mut key = None;
        loop {
            let raw = reader
                .next(&mut stream)
                .await
                .map_err(|e| failed("lost", &e))?;
            let message = Message::parse(&mut raw.clone())
                .ok()
                .flatten()
                .ok_or_else(|| failed("an unreadable message from", &char::from(raw[0])))?;
            match message {
                Message::ErrorResponse(_) => return Err(OpenError::Refused(raw)),
                Message::BackendKeyData(k) => key = Some((k.process_id(), k.secret_key())),
                Message::ReadyForQuery(_) => {
                    messages.push(raw);
                    break;
                }
                _ => {}
            }
            if raw[0] != b'K' {
                messages.push(raw);
            }
        }
        let rest = reader.take_buffered();
        if !rest.is_empty() {
            // PostgreSQL sends nothing after ReadyForQuery until asked; keep it anyway.
            messages.push(rest);
        }
        Ok(Session {
            stream,
            messages,
            key,
        })
    }

    /// Asks PostgreSQL to cancel what the session with this key is running.
    pub(crate) async fn cancel(&self, process_id: i32, secret_key: i32) -> io::Result<()> {
        let mut stream = self.address.connect().await?;
        let mut buf = BytesMut::new();
        frontend::cancel_request(process_id, secret_key, &mut buf);
        stream.write_all(&buf).await?;
        stream.flush().await?;
        // PostgreSQL closes the connection once it has the request.
        let mut sink = [0u8; 16];
        let _ = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut sink)).await;
        Ok(())
    }
}

/// Whether a role statement lost a race with another one for the same role.
fn is_race(e: &tokio_postgres::Error) -> bool {
    use tokio_postgres::error::SqlState;
    e.code().is_some_and(|c| {
        *c == SqlState::DUPLICATE_OBJECT
            || *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
            || *c == SqlState::INTERNAL_ERROR
    })
}

/// `"name"` with inner quotes doubled: an identifier PostgreSQL reads back as `name`.
pub(crate) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A tokio-postgres error's server message when it has one (its Display is only "db error").
fn pg_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings() {
        let (_, address) = Backend::parse("postgresql://postgres@127.0.0.1:5433/postgres").unwrap();
        assert_eq!(address, Address::Tcp("127.0.0.1".into(), 5433));
        let (_, address) = Backend::parse("host=/run/postgresql user=postgres").unwrap();
        assert_eq!(
            address,
            Address::Unix("/run/postgresql/.s.PGSQL.5432".into())
        );
        for (bad, says) in [
            (
                "postgresql://postgres@127.0.0.1/x?sslmode=require",
                "sslmode=require",
            ),
            ("postgresql://127.0.0.1/x", "names no user"),
            ("user=postgres", "names no host"),
            (
                "not a connection string",
                "not a PostgreSQL connection string",
            ),
        ] {
            let e = Backend::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(
            quote_identifier("awsidc:alice@example.com"),
            "\"awsidc:alice@example.com\""
        );
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
