//! What the SQL front needs: the PostgreSQL behind it, where to listen, and its limits.

use std::path::PathBuf;

/// The SQL front's configuration ([`crate::EmulatorConfig::sql`]).
#[derive(Clone, Debug)]
pub struct SqlConfig {
    /// The PostgreSQL the sessions run on, as a connection string (a `postgresql://` URL or
    /// `key=value` pairs). Its user must be allowed to create roles: each Identity Center
    /// user gets one on first sign-in.
    pub postgres: String,
    /// The first workgroup's port on 127.0.0.1; the others follow, in name order. 0 gives
    /// each workgroup a free port.
    pub port: u16,
    /// Where to write the certificate authority that signs the front's certificate, as PEM.
    pub ca_out: Option<PathBuf>,
    /// Accept sessions that do not ask for TLS.
    pub allow_plain: bool,
    /// Also accept the token as a cleartext password from a session whose StartupMessage
    /// names no `idp_type`. Redshift does not do this; it lets a stock PostgreSQL client
    /// (psql with `PGPASSWORD`, tokio-postgres) sign in, e.g. to time its connections
    /// against the connector's through the same front.
    pub password_sign_in: bool,
    /// Sessions open at once, over every workgroup; more are refused with SQLSTATE 53300.
    pub max_connections: usize,
}

/// The default of [`SqlConfig::max_connections`].
pub const DEFAULT_SQL_MAX_CONNECTIONS: usize = 500;

impl SqlConfig {
    /// A front before `postgres`, on free ports, TLS only.
    pub fn new(postgres: impl Into<String>) -> Self {
        SqlConfig {
            postgres: postgres.into(),
            port: 0,
            ca_out: None,
            allow_plain: false,
            password_sign_in: false,
            max_connections: DEFAULT_SQL_MAX_CONNECTIONS,
        }
    }

    /// Whether the front can start with this configuration.
    pub fn check(&self) -> Result<(), String> {
        super::backend::Backend::parse(&self.postgres)?;
        if self.max_connections == 0 {
            return Err("sql max_connections must be at least 1, not 0".into());
        }
        Ok(())
    }
}
