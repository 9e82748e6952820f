//! The secret itself, wrapped so that it cannot leak by accident.

use std::fmt;
use std::time::SystemTime;

use zeroize::Zeroizing;

const REDACTED: &str = "** redacted **";

/// A bearer token for Redshift Serverless workgroups, as issued by `GetIdentityCenterAuthToken`.
///
/// `Debug` and `Display` never print the secret. The only way to read it is
/// [`expose_secret`](Self::expose_secret), so a use of the secret is easy to find in review.
///
/// The cache hands these out as `Arc<IdentityCenterToken>`: every caller shares one copy.
///
/// # What is zeroised, and what is not
///
/// The secret is held in a [`zeroize::Zeroizing<String>`]. When the last `Arc` to the token
/// is dropped, the `String`'s whole heap allocation (its length and its spare capacity) is
/// overwritten with zeros before it is freed. The cache moves the `String` the deserialiser
/// produced into that wrapper as soon as it has it, so the same applies when a response is
/// rejected (no `expirationTime`, or one too close to use).
///
/// Not zeroised, because this crate never owns them:
///
/// - the HTTP response body buffer (the raw JSON, token included) and any buffer the
///   transport or the JSON deserialiser filled on the way (e.g. while unescaping);
/// - earlier allocations of the `String` if it was reallocated while it was built;
/// - every copy a caller makes of [`expose_secret`](Self::expose_secret)'s `&str`
///   (a connection string, a header value, a `to_owned()`);
/// - memory the operating system swaps out or writes into a core dump.
///
/// Zeroising is a best-effort defence against later reads of freed memory, not a guarantee
/// that no copy of the token remains in the process.
pub struct IdentityCenterToken {
    secret: Zeroizing<String>,
    expires_at: SystemTime,
    received_at: SystemTime,
}

impl IdentityCenterToken {
    /// Wraps a secret. Takes the `String` by value so that no second copy is left behind.
    pub fn new(secret: String, expires_at: SystemTime, received_at: SystemTime) -> Self {
        Self::from_zeroizing(Zeroizing::new(secret), expires_at, received_at)
    }

    /// Wraps a secret that is already zeroised on drop (no copy is made).
    pub(crate) fn from_zeroizing(
        secret: Zeroizing<String>,
        expires_at: SystemTime,
        received_at: SystemTime,
    ) -> Self {
        Self {
            secret,
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

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::ZeroizeOnDrop;

    /// Compiles only for a type whose drop zeroises it.
    fn assert_zeroize_on_drop<T: ZeroizeOnDrop>(_: &T) {}

    /// Reading freed memory needs `unsafe`, which the workspace forbids, so the drop itself
    /// cannot be observed. What can be checked: the secret's field is a `Zeroizing<String>`
    /// (the type ascription fails to compile otherwise), that type zeroises on drop, and the
    /// secret is the very buffer handed in (no copy escaped the wrapper).
    #[test]
    fn the_secret_is_held_in_a_zeroizing_wrapper() {
        let secret = String::from("eyJ-not-a-real-token");
        let handed_in = secret.as_ptr();
        let token =
            IdentityCenterToken::new(secret, SystemTime::UNIX_EPOCH, SystemTime::UNIX_EPOCH);
        let field: &Zeroizing<String> = &token.secret;
        assert_zeroize_on_drop(field);
        assert_eq!(
            field.as_ptr(),
            handed_in,
            "the secret was copied, not moved"
        );
        assert_eq!(token.expose_secret().as_ptr(), handed_in);
        assert_eq!(token.expose_secret(), "eyJ-not-a-real-token");
    }

    #[test]
    fn debug_and_display_redact() {
        let token = IdentityCenterToken::new(
            "eyJ-not-a-real-token".into(),
            SystemTime::UNIX_EPOCH,
            SystemTime::UNIX_EPOCH,
        );
        assert!(!format!("{token:?}").contains("eyJ"));
        assert!(!token.to_string().contains("eyJ"));
    }
}
