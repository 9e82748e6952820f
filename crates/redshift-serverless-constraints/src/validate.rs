//! The trait generated shapes implement, and the switch that turns it off.

use std::collections::BTreeMap;

use crate::{ConstraintViolations, Path, Violations};

/// Whether the client checks the model's constraints before sending a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ValidationMode {
    /// Check every constraint trait and refuse to send an input that breaks one (the default).
    #[default]
    Enforce,
    /// Send inputs unchecked and let the service judge them, as the official SDK does. Useful
    /// when the service has relaxed a constraint that this client's model still carries.
    Off,
}

impl ValidationMode {
    /// Whether constraints are checked.
    pub fn is_enforced(self) -> bool {
        matches!(self, Self::Enforce)
    }
}

/// A shape whose constraint traits can be checked. Implemented by generated code.
///
/// Implementations push a path segment for each nested value, call the `check_*` functions,
/// recurse into nested shapes with [`Validate::validate_at`], and pop; they report every
/// problem rather than stopping at the first.
pub trait Validate {
    /// The Smithy shape name used in error messages, e.g. `GetIdentityCenterAuthTokenRequest`.
    const SHAPE: &'static str;

    /// Appends every violation in `self` to `out`, with paths relative to `path`.
    fn validate_at(&self, path: &mut Path, out: &mut Violations);

    /// Checks `self` as a top-level input.
    fn validate(&self) -> Result<(), ConstraintViolations> {
        let mut path = Path::new();
        let mut out = Violations::new();
        self.validate_at(&mut path, &mut out);
        out.into_result(Self::SHAPE)
    }

    /// [`Validate::validate`] when `mode` enforces constraints, otherwise `Ok(())` without
    /// looking at `self`.
    fn validate_with(&self, mode: ValidationMode) -> Result<(), ConstraintViolations> {
        if mode.is_enforced() {
            self.validate()
        } else {
            Ok(())
        }
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    const SHAPE: &'static str = T::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    const SHAPE: &'static str = T::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        (**self).validate_at(path, out);
    }
}

/// An absent optional value has nothing to check; `@required` is checked separately with
/// [`check_required`](crate::check_required).
impl<T: Validate> Validate for Option<T> {
    const SHAPE: &'static str = T::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        if let Some(value) = self {
            value.validate_at(path, out);
        }
    }
}

/// Each element is checked under its index, e.g. `items[2].name`.
impl<T: Validate> Validate for [T] {
    const SHAPE: &'static str = T::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            path.push_index(i);
            item.validate_at(path, out);
            path.pop();
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    const SHAPE: &'static str = T::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        self.as_slice().validate_at(path, out);
    }
}

/// Each value is checked under its key, e.g. `tags["env"]`. There is deliberately no
/// `HashMap` impl: its iteration order changes from run to run, and so would the order of the
/// reported violations; walk such maps by hand in a stable (e.g. sorted) key order.
impl<K: AsRef<str>, V: Validate> Validate for BTreeMap<K, V> {
    const SHAPE: &'static str = V::SHAPE;

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        for (key, value) in self {
            path.push_key(key.as_ref());
            value.validate_at(path, out);
            path.pop();
        }
    }
}
