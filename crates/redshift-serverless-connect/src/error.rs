//! What can go wrong on the way to a session, each naming the step that failed.

use std::fmt;
use std::time::Duration;

use redshift_serverless_client::error::SdkError;
use redshift_serverless_client::operation::get_workgroup::GetWorkgroupError;
use redshift_serverless_token::TokenError;

/// Why no session was opened.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The connector's configuration is unusable (a missing workgroup, a bad CA bundle).
    Config(String),
    /// GetWorkgroup failed, or gave no endpoint.
    Endpoint(EndpointError),
    /// GetIdentityCenterAuthToken failed.
    Token(TokenError),
    /// The workgroup's endpoint could not be reached or the connection failed.
    Io {
        /// What was being done: `connecting to HOST:PORT`, `TLS with HOST`, ...
        during: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The workgroup refused the sign-in: its ErrorResponse.
    Refused(ServerError),
    /// The workgroup answered with something other than the sign-in protocol.
    Protocol(String),
    /// The whole connection (TCP, TLS and sign-in) took longer than the connect timeout.
    Timeout(Duration),
    /// tokio-postgres failed after the sign-in.
    Postgres(tokio_postgres::Error),
}

/// A server's ErrorResponse: SQLSTATE, severity and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerError {
    /// The SQLSTATE (`28000` for a refused sign-in).
    pub code: String,
    /// `FATAL`, `ERROR`, ...
    pub severity: String,
    /// The message.
    pub message: String,
}

impl ServerError {
    /// Whether this is the refusal of an expired token: SQLSTATE 28000 with "expired" in the
    /// message (the connector then gets a new token and tries once more).
    pub fn is_expired_token(&self) -> bool {
        self.code == "28000" && self.message.to_ascii_lowercase().contains("expired")
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (SQLSTATE {})",
            self.severity, self.message, self.code
        )
    }
}

/// GetWorkgroup failed, or its answer has no endpoint.
#[derive(Debug)]
#[non_exhaustive]
pub enum EndpointError {
    /// The call failed.
    Call(Box<SdkError<GetWorkgroupError>>),
    /// The workgroup has no endpoint address or port (it may still be creating).
    Missing {
        /// The workgroup.
        workgroup: String,
        /// Its status, when the answer gave one.
        status: Option<String>,
    },
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Call(e) => write!(f, "GetWorkgroup failed: {}", chain(e.as_ref())),
            EndpointError::Missing { workgroup, status } => write!(
                f,
                "GetWorkgroup gave workgroup {workgroup} no endpoint address and port (status {})",
                status.as_deref().unwrap_or("unknown")
            ),
        }
    }
}

impl std::error::Error for EndpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EndpointError::Call(e) => Some(e.as_ref()),
            EndpointError::Missing { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "invalid connector configuration: {m}"),
            Error::Endpoint(e) => write!(f, "cannot find the workgroup's endpoint: {e}"),
            Error::Token(e) => write!(f, "cannot get an Identity Center token: {e}"),
            Error::Io { during, source } => write!(f, "{during} failed: {source}"),
            Error::Refused(e) => write!(f, "the workgroup refused the sign-in: {e}"),
            Error::Protocol(m) => write!(f, "unexpected answer from the workgroup: {m}"),
            Error::Timeout(d) => write!(
                f,
                "no session within the connect timeout of {} ms",
                d.as_millis()
            ),
            Error::Postgres(e) => write!(f, "the session failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Endpoint(e) => Some(e),
            Error::Token(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::Postgres(e) => Some(e),
            _ => None,
        }
    }
}

impl Error {
    /// The server's refusal, if that is what this is.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::Refused(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn io(during: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            during: during.into(),
            source,
        }
    }
}

/// An error's Display and its sources', joined by `: `, repeats skipped (no Debug, which could
/// carry more than a message should).
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}
