//! Violations, their collector, and the error returned to callers.

use std::fmt;

use crate::{LengthUnit, Path, Rule};

/// Text values longer than this many characters are cut short in messages.
pub const MAX_SHOWN_CHARS: usize = 80;

/// What was found where a constraint was broken.
///
/// Sensitive values are never captured: the check functions store [`ObservedValue::Redacted`]
/// or [`ObservedValue::RedactedCount`] instead, so neither `Display` nor `Debug` can leak them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObservedValue {
    /// Nothing was set.
    Missing,
    /// The value is `@sensitive` and is not shown.
    Redacted,
    /// The value is `@sensitive`; only its length (in the rule's unit) is shown.
    RedactedCount(u64),
    /// The offending text, in full; messages truncate it.
    Text(String),
    /// A length: element count of a list or map, or byte count of a blob.
    Count(u64),
    /// A number, as decimal text.
    Number(String),
    /// The first pair of equal list elements found, by index (`first < second`).
    Duplicate {
        /// Index of the earlier element.
        first: usize,
        /// Index of the later element.
        second: usize,
    },
}

/// Writes `text` escaped like a Rust string literal, cut after [`MAX_SHOWN_CHARS`] characters.
fn write_text(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        None => write!(f, "{text:?}"),
        Some((cut, _)) => {
            let (shown, rest) = text.split_at(cut);
            let more = rest.chars().count() as u64;
            write!(
                f,
                "{shown:?}…({more} more {})",
                LengthUnit::Characters.noun(more)
            )
        }
    }
}

const REDACTED_NOTE: &str = "(value redacted: sensitive)";

impl fmt::Display for ObservedValue {
    /// Renders the value alone; [`Violation`]'s `Display` adds units from the rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("no value"),
            Self::Redacted => write!(f, "a value {REDACTED_NOTE}"),
            Self::RedactedCount(n) => write!(f, "a value of length {n} {REDACTED_NOTE}"),
            Self::Text(text) => write_text(f, text),
            Self::Count(n) => write!(f, "{n}"),
            Self::Number(n) => f.write_str(n),
            Self::Duplicate { first, second } => {
                write!(f, "equal items at [{first}] and [{second}]")
            }
        }
    }
}

/// One broken constraint: where, which rule, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    path: String,
    rule: Rule,
    value: ObservedValue,
}

impl Violation {
    /// A violation at `path` (rendered as by [`Path`]'s `Display`; empty means the input).
    pub fn new(path: impl Into<String>, rule: Rule, value: ObservedValue) -> Self {
        Self {
            path: path.into(),
            rule,
            value,
        }
    }

    /// Where the value sits, e.g. `workgroupNames[3]`; empty for the input itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The constraint that was broken.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// What was found.
    pub fn value(&self) -> &ObservedValue {
        &self.value
    }
}

impl fmt::Display for Violation {
    /// One line: `path: rule; got value`. The root path is shown as `<input>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "<input>"
        } else {
            &self.path
        };
        write!(f, "{path}: {}; got ", self.rule)?;
        let unit = match self.rule {
            Rule::Length { unit, .. } => Some(unit),
            _ => None,
        };
        match (&self.value, unit) {
            (ObservedValue::Text(text), Some(LengthUnit::Characters)) => {
                write_text(f, text)?;
                let n = text.chars().count() as u64;
                write!(f, " ({n} {})", LengthUnit::Characters.noun(n))
            }
            (ObservedValue::Count(n), Some(unit)) => write!(f, "{n} {}", unit.noun(*n)),
            (ObservedValue::RedactedCount(n), Some(unit)) => {
                write!(f, "a value of {n} {} {REDACTED_NOTE}", unit.noun(*n))
            }
            (value, _) => write!(f, "{value}"),
        }
    }
}

/// Collects violations while a shape is walked; every check appends here instead of stopping,
/// so one error can report everything wrong with an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations {
    items: Vec<Violation>,
}

impl Violations {
    /// An empty collector. Does not allocate until the first violation.
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// Appends a violation.
    pub fn push(&mut self, violation: Violation) {
        self.items.push(violation);
    }

    /// Appends a violation at the current path. Only called on failure, so rendering the path
    /// to a `String` here costs nothing on valid input.
    pub fn record(&mut self, path: &Path, rule: Rule, value: ObservedValue) {
        self.items
            .push(Violation::new(path.to_string(), rule, value));
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many violations were recorded.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The recorded violations, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.items.iter()
    }

    /// The recorded violations as a slice.
    pub fn as_slice(&self) -> &[Violation] {
        &self.items
    }

    /// Forgets every violation while keeping the buffer.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// `Ok` when nothing was recorded, otherwise an error naming `shape` and listing every
    /// violation.
    pub fn into_result(self, shape: &'static str) -> Result<(), ConstraintViolations> {
        if self.items.is_empty() {
            Ok(())
        } else {
            Err(ConstraintViolations {
                shape,
                violations: self.items,
            })
        }
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl Extend<Violation> for Violations {
    fn extend<I: IntoIterator<Item = Violation>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

/// The error returned when an input breaks its model's constraints: the request was not sent.
///
/// Always holds at least one violation. `Display` lists every one of them, one per line, and
/// names [`ValidationMode::Off`](crate::ValidationMode::Off) as the way to skip these checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolations {
    shape: &'static str,
    violations: Vec<Violation>,
}

impl ConstraintViolations {
    /// The shape that was validated, e.g. `GetIdentityCenterAuthTokenRequest`.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// Every violation, in the order found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations there are (at least one).
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Always `false`: this error is only built from a non-empty collector.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// Iterates over the violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// Takes the violations out.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl fmt::Display for ConstraintViolations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "{} failed client-side validation with {n} {} (nothing was sent; the model's \
             constraints can be switched off with ValidationMode::Off):",
            self.shape,
            if n == 1 { "violation" } else { "violations" }
        )?;
        for violation in &self.violations {
            write!(f, "\n  - {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConstraintViolations {}

impl<'a> IntoIterator for &'a ConstraintViolations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}
