//! Cache keys: the sorted, de-duplicated workgroup set, found without allocating.

use std::hash::{BuildHasherDefault, Hasher};

/// Lists up to this long are normalised on the stack. The model allows 20 names; a longer
/// list is either invalid or full of duplicates, and takes the allocating path.
const STACK_NAMES: usize = 32;

/// Sorts and de-duplicates `names`, then calls `f` with the result.
pub(crate) fn with_normalized<S: AsRef<str>, R>(names: &[S], f: impl FnOnce(&[&str]) -> R) -> R {
    if names.len() <= STACK_NAMES {
        let mut buf = [""; STACK_NAMES];
        for (slot, name) in buf.iter_mut().zip(names) {
            *slot = name.as_ref();
        }
        let n = normalize_in_place(&mut buf[..names.len()]);
        f(&buf[..n])
    } else {
        let mut buf: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let n = normalize_in_place(&mut buf);
        f(&buf[..n])
    }
}

/// Returns the length of the sorted, de-duplicated prefix.
fn normalize_in_place(names: &mut [&str]) -> usize {
    // Already sorted and unique is the common case (a constant list in the caller): one pass.
    if names.windows(2).all(|w| w[0] < w[1]) {
        return names.len();
    }
    names.sort_unstable();
    let mut kept = 0;
    for i in 0..names.len() {
        if kept == 0 || names[i] != names[kept - 1] {
            names[kept] = names[i];
            kept += 1;
        }
    }
    kept
}

/// A stable hash of a normalised set. SipHash with fixed keys: the inputs are the service's
/// own configuration, not attacker-chosen, and a fixed key keeps the hot path free of state.
pub(crate) fn hash_names(names: &[&str]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for name in names {
        h.write(name.as_bytes());
        // A separator, so ["ab","c"] and ["a","bc"] differ.
        h.write_u8(0xff);
    }
    h.finish()
}

/// The map is keyed by an already well-mixed `u64`; hashing it again would be wasted work.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in so the hasher stays correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type BuildIdentity = BuildHasherDefault<IdentityHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_order_and_duplicates() {
        let got = with_normalized(&["b", "a", "b", "c", "a"], |n| n.join(","));
        assert_eq!(got, "a,b,c");
        let long: Vec<String> = (0..40).map(|i| format!("wg-{}", i % 3)).collect();
        let got = with_normalized(&long, |n| n.join(","));
        assert_eq!(got, "wg-0,wg-1,wg-2");
        assert_eq!(with_normalized::<&str, _>(&[], |n| n.len()), 0);
    }

    #[test]
    fn separator_distinguishes_splits() {
        assert_ne!(hash_names(&["ab", "c"]), hash_names(&["a", "bc"]));
        assert_eq!(hash_names(&["a", "b"]), hash_names(&["a", "b"]));
    }
}
