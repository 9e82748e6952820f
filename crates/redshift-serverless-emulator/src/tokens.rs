//! Issued tokens and what each one grants: the HTTP API records a grant when it issues a
//! token, and the SQL front looks the token up when a session signs in with it.
//!
//! The store keeps the SHA-256 of each token, never the token itself, so neither a log nor
//! a memory dump of the emulator holds a usable token. It holds at most
//! [`TOKEN_STORE_CAPACITY`] grants: expired ones are dropped first, then the oldest.

use std::collections::{HashMap, VecDeque};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// The most grants the store holds (about 200 bytes each).
pub const TOKEN_STORE_CAPACITY: usize = 100_000;

type TokenHash = [u8; 32];

fn hash(token: &[u8]) -> TokenHash {
    Sha256::digest(token).into()
}

/// What a token lets its bearer do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    /// The workgroups named in the GetIdentityCenterAuthToken request.
    pub(crate) workgroups: Vec<String>,
    /// The Identity Center user the signing credentials map to.
    pub(crate) user: String,
    /// The token's `expirationTime`.
    pub(crate) expires: SystemTime,
}

/// What a presented token turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Never issued here (or long forgotten).
    Unknown,
    /// Issued here, but its time is up.
    Expired(Grant),
    /// Good now.
    Valid(Grant),
}

#[derive(Debug)]
pub(crate) struct TokenStore {
    grants: HashMap<TokenHash, Grant>,
    /// Issue order, for dropping the oldest grants first.
    order: VecDeque<TokenHash>,
    capacity: usize,
}

impl TokenStore {
    pub(crate) fn new() -> Self {
        Self::with_capacity(TOKEN_STORE_CAPACITY)
    }

    fn with_capacity(capacity: usize) -> Self {
        TokenStore {
            grants: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Records a freshly issued token.
    pub(crate) fn insert(&mut self, token: &str, grant: Grant, now: SystemTime) {
        // Expired grants at the front go first; then, if still full, the oldest.
        while let Some(oldest) = self.order.front() {
            let expired = self.grants.get(oldest).is_none_or(|g| g.expires <= now);
            if !expired && self.grants.len() < self.capacity {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.grants.remove(&oldest);
            }
        }
        let key = hash(token.as_bytes());
        if self.grants.insert(key, grant).is_none() {
            self.order.push_back(key);
        }
    }

    /// What `token` grants at `now`.
    pub(crate) fn lookup(&self, token: &[u8], now: SystemTime) -> Lookup {
        match self.grants.get(&hash(token)) {
            None => Lookup::Unknown,
            Some(g) if g.expires <= now => Lookup::Expired(g.clone()),
            Some(g) => Lookup::Valid(g.clone()),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.grants.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn grant(expires: SystemTime) -> Grant {
        Grant {
            workgroups: vec!["default".into()],
            user: "alice@example.com".into(),
            expires,
        }
    }

    #[test]
    fn tokens_are_known_until_they_expire() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut store = TokenStore::new();
        store.insert("tok-1", grant(t0 + Duration::from_secs(60)), t0);
        assert_eq!(
            store.lookup(b"tok-1", t0),
            Lookup::Valid(grant(t0 + Duration::from_secs(60)))
        );
        assert!(matches!(
            store.lookup(b"tok-1", t0 + Duration::from_secs(60)),
            Lookup::Expired(_)
        ));
        assert_eq!(store.lookup(b"tok-2", t0), Lookup::Unknown);
        assert_eq!(store.lookup(b"tok-", t0), Lookup::Unknown);
    }

    #[test]
    fn the_store_is_bounded_dropping_expired_then_oldest() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut store = TokenStore::with_capacity(3);
        store.insert("a", grant(t0 + Duration::from_secs(1)), t0);
        store.insert("b", grant(t0 + Duration::from_secs(100)), t0);
        store.insert("c", grant(t0 + Duration::from_secs(100)), t0);
        // Full: "a" has expired by now, so it goes and the others stay.
        let later = t0 + Duration::from_secs(2);
        store.insert("d", grant(t0 + Duration::from_secs(100)), later);
        assert_eq!(store.len(), 3);
        assert_eq!(store.lookup(b"a", later), Lookup::Unknown);
        assert!(matches!(store.lookup(b"b", later), Lookup::Valid(_)));
        // Full of live grants: the oldest, "b", goes.
        store.insert("e", grant(t0 + Duration::from_secs(100)), later);
        assert_eq!(store.len(), 3);
        assert_eq!(store.lookup(b"b", later), Lookup::Unknown);
        for t in ["c", "d", "e"] {
            assert!(
                matches!(store.lookup(t.as_bytes(), later), Lookup::Valid(_)),
                "{t}"
            );
        }
    }
}
