//! The constraint a value failed, as a model-level fact that renders as plain English.

use std::fmt;

/// What a `@length` constraint counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthUnit {
    /// Unicode scalar values of a string (what Smithy means by a string's length).
    Characters,
    /// Elements of a list or entries of a map.
    Elements,
    /// Bytes of a blob.
    Bytes,
}

impl LengthUnit {
    /// The unit's noun, singular when `count` is 1.
    pub fn noun(self, count: u64) -> &'static str {
        match (self, count == 1) {
            (Self::Characters, true) => "character",
            (Self::Characters, false) => "characters",
            (Self::Elements, true) => "element",
            (Self::Elements, false) => "elements",
            (Self::Bytes, true) => "byte",
            (Self::Bytes, false) => "bytes",
        }
    }
}

/// A Smithy constraint trait, with the limits the model gave it.
///
/// Bounds are inclusive, as in Smithy. `Display` states the rule as a requirement, e.g.
/// `length must be between 3 and 64 characters`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// `@required`: the member must be set.
    Required,
    /// `@length` on a string, list, map or blob.
    Length {
        /// Smallest allowed length, if any.
        min: Option<u64>,
        /// Largest allowed length, if any.
        max: Option<u64>,
        /// What is being counted.
        unit: LengthUnit,
    },
    /// `@pattern`: the string must contain a match of this ECMA-262 regular expression.
    Pattern {
        /// The expression exactly as written in the model.
        pattern: &'static str,
    },
    /// `@pattern` whose expression this crate cannot compile. This points at a model (or
    /// regex dialect) problem rather than at the caller's value, but no value can be shown to
    /// satisfy it, so the request is refused rather than sent unchecked.
    InvalidPattern {
        /// The expression exactly as written in the model.
        pattern: &'static str,
        /// Why it failed to compile, on one line.
        error: String,
    },
    /// `@range` on a number. Bounds are kept as the decimal text they were checked against, so
    /// integers and floats share one representation without losing precision in messages.
    Range {
        /// Smallest allowed value, if any.
        min: Option<String>,
        /// Largest allowed value, if any.
        max: Option<String>,
    },
    /// An enum shape or `@enum` trait: the string must be one of these values.
    Enum {
        /// Every allowed value, in model order.
        allowed: &'static [&'static str],
    },
    /// `@uniqueItems`: no two list elements may be equal.
    UniqueItems,
}

/// How many enum values to spell out before summarising the rest.
const ENUM_VALUES_SHOWN: usize = 10;

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("a value is required"),
            Self::Length { min, max, unit } => match (min, max) {
                (Some(min), Some(max)) if min == max => {
                    write!(f, "length must be exactly {min} {}", unit.noun(*min))
                }
                (Some(min), Some(max)) => {
                    write!(f, "length must be between {min} and {max} {}", unit.noun(2))
                }
                (Some(min), None) => {
                    write!(f, "length must be at least {min} {}", unit.noun(*min))
                }
                (None, Some(max)) => {
                    write!(f, "length must be at most {max} {}", unit.noun(*max))
                }
                (None, None) => write!(f, "length is unconstrained ({})", unit.noun(2)),
            },
            Self::Pattern { pattern } => write!(f, "must match the pattern {pattern}"),
            Self::InvalidPattern { pattern, error } => write!(
                f,
                "must match the pattern {pattern}, but that pattern cannot be compiled ({error})"
            ),
            Self::Range { min, max } => match (min, max) {
                (Some(min), Some(max)) if min == max => write!(f, "must be exactly {min}"),
                (Some(min), Some(max)) => write!(f, "must be between {min} and {max}"),
                (Some(min), None) => write!(f, "must be at least {min}"),
                (None, Some(max)) => write!(f, "must be at most {max}"),
                (None, None) => f.write_str("must be a number"),
            },
            Self::Enum { allowed } => {
                if allowed.is_empty() {
                    return f.write_str("must be one of an empty set of values");
                }
                f.write_str("must be one of ")?;
                for (i, value) in allowed.iter().take(ENUM_VALUES_SHOWN).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value:?}")?;
                }
                if allowed.len() > ENUM_VALUES_SHOWN {
                    write!(f, ", … ({} more)", allowed.len() - ENUM_VALUES_SHOWN)?;
                }
                Ok(())
            }
            Self::UniqueItems => f.write_str("items must be unique"),
        }
    }
}
