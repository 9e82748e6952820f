//! A [bb8](https://docs.rs/bb8) connection manager: a pool of sessions as the Identity
//! Center user, each signed in with the connector's cached token.
//!
//! ```no_run
//! # async fn run(connector: redshift_serverless_connect::Connector) -> Result<(), Box<dyn std::error::Error>> {
//! use redshift_serverless_connect::pool::ConnectionManager;
//!
//! let pool = bb8::Pool::builder()
//!     .max_size(8)
//!     // A failed sign-in is reported at once rather than retried until the pool's timeout.
//!     .retry_connection(false)
//!     .build(ConnectionManager::new(connector))
//!     .await?;
//! let session = pool.get().await?;
//! let row = session.query_one("select current_user", &[]).await?;
//! println!("{}", row.get::<_, String>(0));
//! # Ok(()) }
//! ```

use crate::{Connector, Error};

/// Opens pooled sessions with a [`Connector`].
#[derive(Clone, Debug)]
pub struct ConnectionManager {
    connector: Connector,
}

impl ConnectionManager {
    /// A manager opening sessions with `connector`.
    pub fn new(connector: Connector) -> Self {
        ConnectionManager { connector }
    }
}

impl bb8::ManageConnection for ConnectionManager {
    type Connection = tokio_postgres::Client;
    type Error = Error;

    async fn connect(&self) -> Result<Self::Connection, Self::Error> {
        self.connector.connect_spawned().await
    }

    async fn is_valid(&self, conn: &mut Self::Connection) -> Result<(), Self::Error> {
        conn.simple_query("")
            .await
            .map(|_| ())
            .map_err(Error::Postgres)
    }

    fn has_broken(&self, conn: &mut Self::Connection) -> bool {
        conn.is_closed()
    }
}
