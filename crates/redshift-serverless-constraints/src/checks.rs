//! One function per Smithy constraint trait. Each appends to [`Violations`] and never panics;
//! on valid input none of them allocates.
//!
//! `sensitive: true` (the member or its target is `@sensitive`) keeps the value out of the
//! recorded violation entirely, so it cannot leak through `Display` or `Debug`.

use crate::{LengthUnit, ObservedValue, Path, Pattern, Rule, Violations};

fn within<T: PartialOrd>(value: T, min: Option<T>, max: Option<T>) -> bool {
    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
}

/// `@required`: records a violation when `value` is `None`. Returns whether a value is present,
/// so generated code can skip the value's other checks when it is absent.
pub fn check_required<T>(path: &Path, value: &Option<T>, out: &mut Violations) -> bool {
    if value.is_some() {
        return true;
    }
    out.record(path, Rule::Required, ObservedValue::Missing);
    false
}

/// `@length` on a string, counted in Unicode scalar values (`char`s), which is how Smithy
/// defines a string's length: not bytes, and not UTF-16 code units.
pub fn check_string_length(
    path: &Path,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
    sensitive: bool,
    out: &mut Violations,
) {
    if min.is_none() && max.is_none() {
        return;
    }
    let len = value.chars().count() as u64;
    if within(len, min, max) {
        return;
    }
    let observed = if sensitive {
        ObservedValue::RedactedCount(len)
    } else {
        ObservedValue::Text(value.to_owned())
    };
    let rule = Rule::Length {
        min,
        max,
        unit: LengthUnit::Characters,
    };
    out.record(path, rule, observed);
}

fn check_count(
    path: &Path,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
    unit: LengthUnit,
    out: &mut Violations,
) {
    let len = len as u64;
    if within(len, min, max) {
        return;
    }
    out.record(
        path,
        Rule::Length { min, max, unit },
        ObservedValue::Count(len),
    );
}

/// `@length` on a list or map: `len` is its number of elements or entries.
pub fn check_collection_length(
    path: &Path,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Violations,
) {
    check_count(path, len, min, max, LengthUnit::Elements, out);
}

/// `@length` on a blob: `len_bytes` is its size in bytes. Only the size is ever recorded, so
/// this needs no `sensitive` flag.
pub fn check_blob_length(
    path: &Path,
    len_bytes: usize,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Violations,
) {
    check_count(path, len_bytes, min, max, LengthUnit::Bytes, out);
}

/// `@pattern`: `value` must contain a match of `pattern` (a search, not a full match, unless
/// the expression is anchored). A pattern that cannot be compiled yields a
/// [`Rule::InvalidPattern`] violation instead of a panic.
pub fn check_pattern(
    path: &Path,
    value: &str,
    pattern: &Pattern,
    sensitive: bool,
    out: &mut Violations,
) {
    let rule = match pattern.try_is_match(value) {
        Ok(true) => return,
        Ok(false) => Rule::Pattern {
            pattern: pattern.source(),
        },
        Err(error) => Rule::InvalidPattern {
            pattern: pattern.source(),
            error: error.message().to_owned(),
        },
    };
    out.record(path, rule, observed_text(value, sensitive));
}

fn observed_text(value: &str, sensitive: bool) -> ObservedValue {
    if sensitive {
        ObservedValue::Redacted
    } else {
        ObservedValue::Text(value.to_owned())
    }
}

/// `@range` on an integer shape (`byte`, `short`, `integer`, `long`).
pub fn check_range_i64(
    path: &Path,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
    sensitive: bool,
    out: &mut Violations,
) {
    if within(value, min, max) {
        return;
    }
    let rule = Rule::Range {
        min: min.map(|n| n.to_string()),
        max: max.map(|n| n.to_string()),
    };
    let observed = if sensitive {
        ObservedValue::Redacted
    } else {
        ObservedValue::Number(value.to_string())
    };
    out.record(path, rule, observed);
}

/// Shortest text that reads back as the same `f64` (`Debug` keeps `1.0` and uses exponents
/// for very large or small magnitudes, unlike `Display`).
fn float_text(value: f64) -> String {
    format!("{value:?}")
}

/// `@range` on a `float` or `double`. NaN lies outside every range, so it is a violation as
/// soon as either bound is set; infinities compare as usual.
pub fn check_range_f64(
    path: &Path,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    sensitive: bool,
    out: &mut Violations,
) {
    if min.is_none() && max.is_none() {
        return;
    }
    // `within` is false for NaN, since every comparison with NaN is false.
    if within(value, min, max) {
        return;
    }
    let rule = Rule::Range {
        min: min.map(float_text),
        max: max.map(float_text),
    };
    let observed = if sensitive {
        ObservedValue::Redacted
    } else {
        ObservedValue::Number(float_text(value))
    };
    out.record(path, rule, observed);
}

/// Enum shapes and the `@enum` trait: `value` must be exactly one of `allowed`.
///
/// This is stricter than SDKs that pass unknown values through for forward compatibility; a
/// service adding a value therefore needs a regenerated client (or [`ValidationMode::Off`]).
///
/// [`ValidationMode::Off`]: crate::ValidationMode::Off
pub fn check_enum(
    path: &Path,
    value: &str,
    allowed: &'static [&'static str],
    sensitive: bool,
    out: &mut Violations,
) {
    if allowed.contains(&value) {
        return;
    }
    out.record(
        path,
        Rule::Enum { allowed },
        observed_text(value, sensitive),
    );
}

/// `@uniqueItems`: records the first duplicate, meaning the pair `(i, j)`, `i < j`, with the
/// smallest `j` (and for that `j`, the smallest `i`). Only indices are recorded, never items.
///
/// Quadratic, which is fine for the short lists models put this trait on and needs only
/// `PartialEq`.
pub fn check_unique_items<T: PartialEq>(path: &Path, items: &[T], out: &mut Violations) {
    for (second, item) in items.iter().enumerate() {
        if let Some(first) = items[..second].iter().position(|earlier| earlier == item) {
            out.record(
                path,
                Rule::UniqueItems,
                ObservedValue::Duplicate { first, second },
            );
            return;
        }
    }
}
