//! The signing key of the last (secret, date), kept as a keyed HMAC state.

use hmac::{Hmac, KeyInit};
use sha2::Sha256;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;
use zeroize::Zeroizing;

struct Entry {
    /// To notice a new secret (credentials rotate) without keeping a hash of it around.
    secret: Zeroizing<String>,
    /// `YYYYMMDD` of the key's scope.
    date: [u8; 8],
    /// HMAC-SHA256 keyed with the signing key: cloning it skips both the four-HMAC key
    /// derivation and the key's own inner/outer pad hashing.
    mac: Hmac<Sha256>,
}

/// One entry: a client signs with one set of credentials at a time, and the key changes
/// once a day. A `Mutex` rather than a lock-free cell because the critical section is a
/// comparison and a copy, far below the cost of the hashing around it.
pub(crate) struct KeyCache {
    last: Mutex<Option<Entry>>,
}

impl KeyCache {
    pub(crate) fn new() -> Self {
        KeyCache {
            last: Mutex::new(None),
        }
    }

    /// An HMAC state keyed with the signing key for `secret` on `date` (which is
    /// `time`'s UTC date), deriving and caching it when the cached one does not match.
    pub(crate) fn mac(
        &self,
        secret: &str,
        date: &[u8; 8],
        time: SystemTime,
        region: &str,
        service: &str,
    ) -> Hmac<Sha256> {
        // A poisoned lock only means another thread panicked mid-update; the entry is
        // either the old one or the new one, and both are self-consistent.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = last.as_ref() {
            if entry.date == *date && entry.secret.as_str() == secret {
                return entry.mac.clone();
            }
        }
        let key = aws_sigv4::sign::v4::generate_signing_key(secret, time, region, service);
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_ref())
            .expect("HMAC takes a key of any length");
        *last = Some(Entry {
            secret: Zeroizing::new(secret.to_owned()),
            date: *date,
            mac: mac.clone(),
        });
        mac
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .last
            .lock()
            .map(|l| {
                l.as_ref()
                    .map(|e| String::from_utf8_lossy(&e.date).into_owned())
            })
            .unwrap_or_default();
        f.debug_struct("KeyCache")
            .field("cached_date", &cached)
            .finish_non_exhaustive()
    }
}
