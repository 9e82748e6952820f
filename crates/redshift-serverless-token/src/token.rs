//! The secret itself, wrapped so that it cannot leak by accident.

use std::fmt;
use std::time::SystemTime;

use zeroize::Zeroizing;

const REDACTED: &str = "** redacted **";

/// A bearer token for Redshift Serverless workgroups, as issued by `GetIdentityCenterAuthToken`.
///
/// `Debug` and `Display` never print the secret, and its bytes are overwritten when the last
/// reference goes away. The only way to read it is [`expose_secret`](Self::expose_secret), so a
/// use of the secret is easy to find in review.
///
/// The cache hands these out as `Arc<IdentityCenterToken>`: every caller shares one copy.
pub struct IdentityCenterToken {
    secret: Zeroizing<String>,
    expires_at: SystemTime,
    received_at: SystemTime,
}

impl IdentityCenterToken {
    /// Wraps a secret. Takes the `String` by value so that no second copy is left behind.
    pub fn new(secret: String, expires_at: SystemTime, received_at: SystemTime) -> Self {
        Self {
            secret: Zeroizing::new(secret),
            expires_at,
            received_at,
        }
    }

    /// The token, to put in a connection string or an `Authorization` header.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// When the service stops accepting the token.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// When the cache received it (by the cache's clock).
    pub fn received_at(&self) -> SystemTime {
        self.received_at
    }

    /// `expires_at - received_at`, or zero if the expiry is not after the receipt.
    pub fn lifetime(&self) -> std::time::Duration {
        self.expires_at
            .duration_since(self.received_at)
            .unwrap_or_default()
    }
}

impl fmt::Debug for IdentityCenterToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityCenterToken")
            .field("secret", &REDACTED)
            .field("expires_at", &self.expires_at)
            .field("received_at", &self.received_at)
            .finish()
    }
}

impl fmt::Display for IdentityCenterToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityCenterToken({REDACTED})")
    }
}
