//! The connector: its configuration, the workgroup's endpoint, the token, and connecting.

use std::sync::Arc;
use std::time::Duration;

use aws_types::SdkConfig;
use redshift_serverless_client::Client;
use redshift_serverless_token::TokenCache;
use tokio::net::TcpStream;
use tokio_postgres::config::SslMode;
use tokio_postgres::tls::{NoTls, NoTlsStream};
use tokio_rustls::client::TlsStream;

use crate::error::{EndpointError, Error};
use crate::session::Session;
use crate::signin::{self, Startup};
use crate::tls::{self, TlsMode};

/// Redshift's default database.
pub const DEFAULT_DATABASE: &str = "dev";
/// The default of [`Builder::connect_timeout`]: TCP, TLS and the sign-in together.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a workgroup takes SQL sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// Opens sessions to one workgroup as the Identity Center user whose credentials the client
/// carries. Cheap to clone; clones share the endpoint and the token cache.
#[derive(Clone, Debug)]
pub struct Connector {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: Client,
    tokens: TokenCache,
    workgroup: String,
    database: String,
    application_name: Option<String>,
    identity_namespace: Option<String>,
    fixed: Option<Endpoint>,
    endpoint: tokio::sync::OnceCell<Endpoint>,
    connect_timeout: Duration,
    tls: Arc<rustls::ClientConfig>,
}

/// Configures a [`Connector`].
#[derive(Debug)]
#[must_use]
pub struct Builder {
    client: Client,
    tokens: Option<TokenCache>,
    workgroup: Option<String>,
    database: String,
    application_name: Option<String>,
    identity_namespace: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    connect_timeout: Duration,
    tls_mode: TlsMode,
    platform_roots: bool,
    ca_bundles: Vec<Vec<u8>>,
}

impl Connector {
    /// A connector configured from an `SdkConfig` (region, credentials, endpoint), as
    /// `aws_config::load_from_env().await` gives.
    pub fn builder(sdk_config: &SdkConfig) -> Builder {
        Builder::from_client(Client::new(sdk_config))
    }

    /// The workgroup this connector signs in to.
    pub fn workgroup(&self) -> &str {
        &self.inner.workgroup
    }

    /// The workgroup's endpoint: the configured host and port, or GetWorkgroup's answer,
    /// asked once per connector.
    pub async fn endpoint(&self) -> Result<Endpoint, Error> {
        if let Some(fixed) = &self.inner.fixed {
            return Ok(fixed.clone());
        }
        self.inner
            .endpoint
            .get_or_try_init(|| self.get_workgroup_endpoint())
            .await
            .cloned()
    }

    async fn get_workgroup_endpoint(&self) -> Result<Endpoint, Error> {
        let workgroup = &self.inner.workgroup;
        let output = self
            .inner
            .client
            .get_workgroup()
            .workgroup_name(workgroup)
            .send()
            .await
            .map_err(|e| Error::Endpoint(EndpointError::Call(Box::new(e))))?;
        let wg = output.workgroup();
        let endpoint = wg.and_then(|w| w.endpoint());
        let host = endpoint.and_then(|e| e.address()).filter(|a| !a.is_empty());
        let port = endpoint
            .and_then(|e| e.port())
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| *p != 0);
        match (host, port) {
            (Some(host), Some(port)) => {
                let endpoint = Endpoint {
                    host: host.to_owned(),
                    port,
                };
                tracing::debug!(workgroup, %endpoint, "workgroup endpoint from GetWorkgroup");
                Ok(endpoint)
            }
            _ => Err(Error::Endpoint(EndpointError::Missing {
                workgroup: workgroup.clone(),
                status: wg.and_then(|w| w.status()).map(|s| s.as_str().to_owned()),
            })),
        }
    }

    /// A session as the Identity Center user, as a tokio-postgres client and its connection
    /// (spawn the connection, as with `tokio_postgres::connect`). Queries, prepared
    /// statements, COPY, transactions and notifications are tokio-postgres's; to cancel,
    /// pass the client's `cancel_token()` to [`Connector::cancel_query`].
    ///
    /// The token comes from the connector's cache: one GetIdentityCenterAuthToken per token
    /// lifetime however many sessions open. If the workgroup refuses it as expired, the
    /// connector gets a new one and tries once more.
    pub async fn connect(
        &self,
    ) -> Result<
        (
            tokio_postgres::Client,
            tokio_postgres::Connection<Session, NoTlsStream>,
        ),
        Error,
    > {
        let database = self.inner.database.clone();
        let (stream, startup) = self.sign_in(&[("database", database.as_str())]).await?;
        let mut config = tokio_postgres::Config::new();
        // tokio-postgres writes these into the StartupMessage that Session swallows; the
        // sign-in already sent the session's own.
        config
            .user("redshift")
            .dbname(&database)
            .ssl_mode(SslMode::Disable);
        config
            .connect_raw(Session::new(stream, startup.messages), NoTls)
            .await
            .map_err(Error::Postgres)
    }

    /// [`Connector::connect`], with the connection spawned on the current runtime; it logs
    /// how the connection ended at DEBUG.
    pub async fn connect_spawned(&self) -> Result<tokio_postgres::Client, Error> {
        let (client, connection) = self.connect().await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "session ended with an error");
            }
        });
        Ok(client)
    }

    /// Signs a new TLS stream in with the client's own startup parameters (`database`,
    /// `application_name`, `client_encoding`, ...; `user` is replaced, since the token says
    /// who signs in): the stream, and what the server said up to its first ReadyForQuery,
    /// AuthenticationOk first. This is what [`Connector::connect`] and a proxy build on.
    pub async fn sign_in(
        &self,
        client_params: &[(&str, &str)],
    ) -> Result<(TlsStream<TcpStream>, Startup), Error> {
        let limit = self.inner.connect_timeout;
        // Boxed: the client's call futures nest deeply, and a caller's own future (a pool's,
        // say) would otherwise need a higher recursion limit to compute its layout.
        tokio::time::timeout(limit, Box::pin(self.sign_in_now(client_params)))
            .await
            .unwrap_or(Err(Error::Timeout(limit)))
    }

    async fn sign_in_now(
        &self,
        client_params: &[(&str, &str)],
    ) -> Result<(TlsStream<TcpStream>, Startup), Error> {
        let params = self.parameters(client_params);
        let workgroup = [self.inner.workgroup.as_str()];
        let mut retried = false;
        loop {
            let endpoint = self.endpoint().await?;
            let token = self
                .inner
                .tokens
                .token(&workgroup)
                .await
                .map_err(Error::Token)?;
            let mut stream = self.tls_stream(&endpoint).await?;
            match signin::sign_in(&mut stream, &params, token.expose_secret()).await {
                Ok(startup) => return Ok((stream, startup)),
                Err(Error::Refused(e)) if e.is_expired_token() && !retried => {
                    tracing::info!(workgroup = %self.inner.workgroup, "the workgroup refused the cached token as expired; getting a new one");
                    self.inner.tokens.invalidate(&workgroup);
                    retried = true;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The StartupMessage: the client's parameters (without `user`), the connector's
    /// database and application name where the client gave none, and Redshift's own.
    fn parameters(&self, client_params: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = vec![("user".into(), String::new())];
        for (k, v) in client_params {
            if *k != "user" && !params.iter().any(|(n, _)| n == k) {
                params.push(((*k).to_owned(), (*v).to_owned()));
            }
        }
        let mut default = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                if !params.iter().any(|(n, _)| n == name) {
                    params.push((name.to_owned(), value.to_owned()));
                }
            }
        };
        default("database", Some(&self.inner.database));
        default("application_name", self.inner.application_name.as_deref());
        default("client_encoding", Some("UTF8"));
        params.retain(|(k, _)| !signin::REDSHIFT_PARAMETERS.contains(&k.as_str()));
        params.extend(signin::redshift_parameters(
            self.inner.identity_namespace.as_deref(),
        ));
        params
    }

    async fn tls_stream(&self, endpoint: &Endpoint) -> Result<TlsStream<TcpStream>, Error> {
        signin::connect_tls(&endpoint.host, endpoint.port, &self.inner.tls).await
    }

    /// Cancels what a session of this connector is running: a CancelRequest over a new TLS
    /// connection to the endpoint (tokio-postgres's own `cancel_query` cannot open one to a
    /// workgroup).
    pub async fn cancel_query(&self, token: &tokio_postgres::CancelToken) -> Result<(), Error> {
        let limit = self.inner.connect_timeout;
        tokio::time::timeout(limit, async {
            let endpoint = self.endpoint().await?;
            let stream = self.tls_stream(&endpoint).await?;
            token
                .cancel_query_raw(stream, NoTls)
                .await
                .map_err(Error::Postgres)
        })
        .await
        .unwrap_or(Err(Error::Timeout(limit)))
    }

    /// Sends a CancelRequest for the session whose BackendKeyData was (`process_id`,
    /// `secret_key`), over a new TLS connection to the endpoint.
    pub async fn cancel(&self, process_id: i32, secret_key: i32) -> Result<(), Error> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let limit = self.inner.connect_timeout;
        tokio::time::timeout(limit, async {
            let endpoint = self.endpoint().await?;
            let mut stream = self.tls_stream(&endpoint).await?;
            let mut buf = bytes::BytesMut::new();
            postgres_protocol::message::frontend::cancel_request(process_id, secret_key, &mut buf);
            let during = format!("cancelling at {endpoint}");
            stream
                .write_all(&buf)
                .await
                .map_err(|e| Error::io(during.clone(), e))?;
            stream.flush().await.map_err(|e| Error::io(during, e))?;
            // The server closes the connection once it has the request.
            let mut sink = [0u8; 16];
            let _ = stream.read(&mut sink).await;
            Ok(())
        })
        .await
        .unwrap_or(Err(Error::Timeout(limit)))
    }
}

impl Builder {
    /// A connector built on this client (its region, credentials, endpoint, retries).
    pub fn from_client(client: Client) -> Self {
        Builder {
            client,
            tokens: None,
            workgroup: None,
            database: DEFAULT_DATABASE.to_owned(),
            application_name: None,
            identity_namespace: None,
            host: None,
            port: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            tls_mode: TlsMode::default(),
            platform_roots: true,
            ca_bundles: Vec::new(),
        }
    }

    /// A connector built from the client's `Config`.
    pub fn from_conf(conf: redshift_serverless_client::Config) -> Self {
        Self::from_client(Client::from_conf(conf))
    }

    /// The workgroup to sign in to (required).
    pub fn workgroup(mut self, name: impl Into<String>) -> Self {
        self.workgroup = Some(name.into());
        self
    }

    /// The database [default: `dev`].
    pub fn database(mut self, name: impl Into<String>) -> Self {
        self.database = name.into();
        self
    }

    /// `application_name` for the sessions.
    pub fn application_name(mut self, name: impl Into<String>) -> Self {
        self.application_name = Some(name.into());
        self
    }

    /// The Identity Center namespace of the user's Redshift role [default: the
    /// workgroup's, usually `awsidc`].
    pub fn identity_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.identity_namespace = Some(namespace.into());
        self
    }

    /// Connect to this host instead of asking GetWorkgroup (with [`Builder::port`], or
    /// Redshift's 5439).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The port, with [`Builder::host`].
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The longest a session may take to open: TCP, TLS, the token and the sign-in [default:
    /// 30 s].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// `verify-full` (the default) or `verify-ca`.
    pub fn tls_mode(mut self, mode: TlsMode) -> Self {
        self.tls_mode = mode;
        self
    }

    /// Trusts the certificates of a PEM bundle as well as the platform's roots.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundles.push(pem.into());
        self
    }

    /// Whether the platform's roots are trusted [default: true]; without them, only the CA
    /// bundles are.
    pub fn platform_roots(mut self, trust: bool) -> Self {
        self.platform_roots = trust;
        self
    }

    /// Shares a token cache (built on any client) with other connectors or code.
    pub fn token_cache(mut self, cache: TokenCache) -> Self {
        self.tokens = Some(cache);
        self
    }

    /// The connector; an error names the setting that is missing or unusable.
    pub fn build(self) -> Result<Connector, Error> {
        let workgroup = self
            .workgroup
            .filter(|w| !w.is_empty())
            .ok_or_else(|| Error::Config("no workgroup: set Builder::workgroup".into()))?;
        if self.database.is_empty() {
            return Err(Error::Config("the database name is empty".into()));
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::Config("the connect timeout is 0".into()));
        }
        let fixed = match (self.host, self.port) {
            (Some(host), port) => {
                tls::server_name(&host).map_err(Error::Config)?;
                Some(Endpoint {
                    host,
                    port: port.unwrap_or(5439),
                })
            }
            (None, Some(port)) => {
                return Err(Error::Config(format!(
                    "port {port} without a host: set Builder::host too, or neither"
                )))
            }
            (None, None) => None,
        };
        let tls = tls::client_config(self.tls_mode, self.platform_roots, &self.ca_bundles)
            .map_err(Error::Config)?;
        let tokens = self
            .tokens
            .unwrap_or_else(|| TokenCache::new(self.client.clone()));
        Ok(Connector {
            inner: Arc::new(Inner {
                client: self.client,
                tokens,
                workgroup,
                database: self.database,
                application_name: self.application_name,
                identity_namespace: self.identity_namespace,
                fixed,
                endpoint: tokio::sync::OnceCell::new(),
                connect_timeout: self.connect_timeout,
                tls,
            }),
        })
    }
}
