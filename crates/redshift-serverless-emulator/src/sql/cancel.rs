//! Cancel keys: the front hands each session its own BackendKeyData and maps it to the
//! backend's, so a CancelRequest reaches the right PostgreSQL session and a client never
//! learns PostgreSQL's keys.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A (process id, secret key) pair.
pub(crate) type Key = (i32, i32);

#[derive(Debug, Default)]
pub(crate) struct CancelKeys {
    keys: Mutex<HashMap<Key, Key>>,
}

impl CancelKeys {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Key>> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a session's backend key under a fresh front key; the key is forgotten when
    /// the returned guard drops (when the session ends).
    pub(crate) fn register(self: &Arc<Self>, backend: Key) -> Registered {
        let mut keys = self.lock();
        let front = loop {
            // Positive process ids, as PostgreSQL's; random secrets.
            let key = (fastrand::i32(1..), fastrand::i32(..));
            if !keys.contains_key(&key) {
                break key;
            }
        };
        keys.insert(front, backend);
        Registered {
            keys: self.clone(),
            front,
        }
    }

    /// The backend key behind a front key.
    pub(crate) fn backend_key(&self, front: Key) -> Option<Key> {
        self.lock().get(&front).copied()
    }
}

/// A registered session's front key; unregisters on drop.
#[derive(Debug)]
pub(crate) struct Registered {
    keys: Arc<CancelKeys>,
    pub(crate) front: Key,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.keys.lock().remove(&self.front);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_while_the_session_lives() {
        let keys = Arc::new(CancelKeys::default());
        let a = keys.register((100, 7));
        let b = keys.register((101, 8));
        assert_ne!(a.front, b.front);
        assert_eq!(keys.backend_key(a.front), Some((100, 7)));
        assert_eq!(keys.backend_key(b.front), Some((101, 8)));
        assert_eq!(
            keys.backend_key((100, 7)),
            None,
            "the backend's key is not a front key"
        );
        let front = a.front;
        drop(a);
        assert_eq!(keys.backend_key(front), None);
    }
}
