//! The location of a value inside an input, tracked while validation walks the shape.

use std::fmt;

/// One step from a shape to a nested value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Member(&'static str),
    Index(usize),
    /// A map key; the text lives in [`Path::keys`] between these byte offsets.
    Key {
        start: usize,
        end: usize,
    },
}

/// A stack of member names, list indices and map keys naming the value being checked.
///
/// Generated code pushes a segment before checking a nested value and pops it afterwards.
/// The stack and the buffer holding map keys are reused across pushes, so walking a list of
/// valid elements allocates nothing once the path has grown to its deepest point; the path is
/// only turned into a `String` when a violation is recorded.
///
/// # Rendering
///
/// `Display` writes members joined by dots, indices as `[3]` and map keys as `["key"]`
/// (escaped like a Rust string literal), e.g. `workgroupNames[3]` or `tags["env"].value`.
/// The root path (nothing pushed) renders as the **empty string**; a [`Violation`] at the root
/// is shown as `<input>` instead.
///
/// [`Violation`]: crate::Violation
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    segments: Vec<Segment>,
    keys: String,
}

impl Path {
    /// An empty path, naming the input itself.
    pub const fn new() -> Self {
        Self {
            segments: Vec::new(),
            keys: String::new(),
        }
    }

    /// An empty path with room for `depth` segments before it needs to grow.
    pub fn with_capacity(depth: usize) -> Self {
        Self {
            segments: Vec::with_capacity(depth),
            keys: String::new(),
        }
    }

    /// Enters a structure member, named as it is on the wire (e.g. `workgroupNames`).
    pub fn push_member(&mut self, name: &'static str) {
        self.segments.push(Segment::Member(name));
    }

    /// Enters the element at `index` of a list.
    pub fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    /// Enters the value stored under `key` in a map.
    pub fn push_key(&mut self, key: &str) {
        let start = self.keys.len();
        self.keys.push_str(key);
        self.segments.push(Segment::Key {
            start,
            end: self.keys.len(),
        });
    }

    /// Leaves the innermost segment. Popping the root is a no-op rather than a panic, so a
    /// codegen slip can at worst produce a misleading path, never abort a request.
    pub fn pop(&mut self) {
        if let Some(Segment::Key { start, .. }) = self.segments.pop() {
            self.keys.truncate(start);
        }
    }

    /// How many segments are pushed.
    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// Whether nothing is pushed, i.e. the path names the input itself.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// Empties the path while keeping its buffers for reuse.
    pub fn clear(&mut self) {
        self.segments.clear();
        self.keys.clear();
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match *segment {
                Segment::Member(name) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key { start, end } => {
                    let key = self.keys.get(start..end).unwrap_or_default();
                    write!(f, "[{key:?}]")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_renders_empty() {
        let path = Path::new();
        assert_eq!(path.to_string(), "");
        assert!(path.is_root());
    }

    #[test]
    fn members_indices_and_keys() {
        let mut path = Path::new();
        path.push_member("a");
        path.push_member("b");
        path.push_index(2);
        assert_eq!(path.to_string(), "a.b[2]");
        path.pop();
        path.push_key("k\"1");
        path.push_member("value");
        assert_eq!(path.to_string(), r#"a.b["k\"1"].value"#);
        path.pop();
        path.pop();
        path.push_key("env");
        assert_eq!(path.to_string(), r#"a.b["env"]"#);
        assert_eq!(path.keys, "env", "popping a key releases its text");
        path.pop();
        path.pop();
        path.pop();
        assert!(path.is_root());
        path.pop();
        assert!(path.is_root(), "popping the root does nothing");
    }

    #[test]
    fn leading_index_and_key() {
        let mut path = Path::new();
        path.push_index(0);
        path.push_member("name");
        assert_eq!(path.to_string(), "[0].name");
        path.clear();
        path.push_key("x");
        assert_eq!(path.to_string(), r#"["x"]"#);
    }

    #[test]
    fn reuse_does_not_grow_buffers() {
        let mut path = Path::new();
        path.push_member("tags");
        path.push_key("warm-up-key");
        path.pop();
        let (segments_cap, keys_cap) = (path.segments.capacity(), path.keys.capacity());
        for i in 0..1000 {
            path.push_index(i);
            path.pop();
            path.push_key("short");
            path.pop();
        }
        assert_eq!(path.segments.capacity(), segments_cap);
        assert_eq!(path.keys.capacity(), keys_cap);
    }
}
