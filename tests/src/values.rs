//! Proptest strategies of wire JSON, derived from a [`Schema`].
//!
//! Inputs are valid: every constraint trait holds (our client refuses anything else before
//! sending, which the slice's differential tests pin as a deliberate difference), required
//! members are set, enums use known values, and an idempotency token is either a UUID v4
//! or left for the client to fill. Outputs and error bodies are what a service might send:
//! members present, absent or `null`, members this model does not know, enum values and
//! union variants newer than the model, a union's other members as `null` and a `__type`
//! beside it; and in [`Output::Loose`] what a model-following service would not send:
//! required members missing, `null` list items and map values, a union with no member or
//! two, a member of the wrong JSON type.
//!
//! Values are kept small (a few list items, short strings) so that many cases run quickly;
//! constraints that demand more (a minimum length or count) are honoured.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Strategy};
use serde_json::{Map, Value};

use crate::schema::{Kind, Length, Member, Range, Schema, StringRules, TimestampFormat};

/// Which kind of output to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// What the model allows, with every required member present at every depth: a client
    /// must read exactly the served value (see `operations::expected`).
    Complete,
    /// Also what the model does not allow (see the module docs): both clients must still
    /// make the same of it, whether a value or a failure.
    Loose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Input,
    Output(Output),
}

/// Structures nest at most this deep; below it only required members are generated (no
/// model the harness runs is recursive, so this only guards against a future one).
const MAX_DEPTH: usize = 8;

/// Valid input JSON for the input structure at `shape`.
pub fn input(schema: &'static Schema, shape: usize) -> BoxedStrategy<Value> {
    shape_value(schema, shape, None, Purpose::Input, 0)
}

/// Output JSON for the output (or error) structure at `shape`.
pub fn output(schema: &'static Schema, shape: usize, kind: Output) -> BoxedStrategy<Value> {
    shape_value(schema, shape, None, Purpose::Output(kind), 0)
}

/// A member's value: the target's strategy with the member's own constraints and
/// timestamp format applied.
fn member_value(
    schema: &'static Schema,
    member: &'static Member,
    purpose: Purpose,
    depth: usize,
) -> BoxedStrategy<Value> {
    if member.idempotency_token && purpose == Purpose::Input {
        return uuid_v4().prop_map(Value::String).boxed();
    }
    shape_value(schema, member.target, Some(member), purpose, depth)
}

fn shape_value(
    schema: &'static Schema,
    index: usize,
    member: Option<&'static Member>,
    purpose: Purpose,
    depth: usize,
) -> BoxedStrategy<Value> {
    let c = member.map(|m| m.constraints).unwrap_or_default();
    match &schema.shape(index).kind {
        Kind::Structure(members) => structure(schema, members, purpose, depth),
        Kind::Union(members) => union(schema, members, purpose, depth),
        Kind::List {
            member: item,
            length,
            unique,
        } => {
            let item = shape_value(schema, *item, None, purpose, depth + 1);
            let (lo, hi) = small(c.length.unwrap_or(*length), 3);
            let unique = *unique;
            let item = match purpose {
                // A dense list with a `null` in it.
                Purpose::Output(Output::Loose) => {
                    prop_oneof![12 => item, 1 => Just(Value::Null)].boxed()
                }
                _ => item,
            };
            prop::collection::vec(item, lo..=hi)
                .prop_filter("@uniqueItems", move |v| !unique || all_distinct(v))
                .prop_map(Value::Array)
                .boxed()
        }
        Kind::Map { key, value, length } => {
            let key = shape_value(schema, *key, None, purpose, depth + 1);
            let value = shape_value(schema, *value, None, purpose, depth + 1);
            let value = match purpose {
                // A dense map with a `null` value.
                Purpose::Output(Output::Loose) => {
                    prop_oneof![12 => value, 1 => Just(Value::Null)].boxed()
                }
                _ => value,
            };
            let (lo, hi) = small(c.length.unwrap_or(*length), 3);
            prop::collection::vec((key, value), lo..=hi)
                .prop_map(|entries| {
                    let mut m = Map::new();
                    for (k, v) in entries {
                        if let Value::String(k) = k {
                            m.insert(k, v);
                        }
                    }
                    Value::Object(m)
                })
                .prop_filter("map @length after duplicate keys", move |v| {
                    v.as_object().is_some_and(|m| m.len() >= lo)
                })
                .boxed()
        }
        Kind::String(rules) => {
            let rules = StringRules {
                length: c.length.unwrap_or(rules.length),
                pattern: c.pattern.or(rules.pattern),
                values: rules.values,
            };
            string(rules, purpose).prop_map(Value::String).boxed()
        }
        Kind::IntEnum(values) => {
            let known = prop::sample::select(values.to_vec()).prop_map(Value::from);
            match purpose {
                Purpose::Input => known.boxed(),
                Purpose::Output(_) => prop_oneof![
                    9 => known,
                    1 => (-1000i32..1000).prop_map(Value::from),
                ]
                .boxed(),
            }
        }
        Kind::Boolean => any::<bool>().prop_map(Value::from).boxed(),
        Kind::Byte(r) => integer(c.range.unwrap_or(*r), i8::MIN.into(), i8::MAX.into()),
        Kind::Short(r) => integer(c.range.unwrap_or(*r), i16::MIN.into(), i16::MAX.into()),
        Kind::Integer(r) => integer(c.range.unwrap_or(*r), i32::MIN.into(), i32::MAX.into()),
        Kind::Long(r) => integer(c.range.unwrap_or(*r), i64::MIN, i64::MAX),
        Kind::Float(r) => float(c.range.unwrap_or(*r), true),
        Kind::Double(r) => float(c.range.unwrap_or(*r), false),
        Kind::Timestamp(format) => timestamp(
            member.and_then(|m| m.timestamp_format).unwrap_or(*format),
            purpose,
        ),
        Kind::Blob(length) => {
            let (lo, hi) = small(c.length.unwrap_or(*length), 12);
            prop::collection::vec(any::<u8>(), lo..=hi)
                .prop_map(|b| Value::String(aws_smithy_types::base64::encode(b)))
                .boxed()
        }
        Kind::Document => any_json(2),
    }
}

fn structure(
    schema: &'static Schema,
    members: &'static [Member],
    purpose: Purpose,
    depth: usize,
) -> BoxedStrategy<Value> {
    // Each member: Some(value) to send, None to leave out; outputs also send explicit nulls.
    let mut parts: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for m in members {
        let value = member_value(schema, m, purpose, depth + 1);
        let name = m.name.to_owned();
        let present = value.prop_map(move |v| Some((name.clone(), v)));
        let null = Just(Some((m.name.to_owned(), Value::Null)));
        let part = match purpose {
            // An unset idempotency token is filled by the client.
            Purpose::Input if m.idempotency_token => prop_oneof![present, Just(None)].boxed(),
            Purpose::Input if m.required => present.boxed(),
            Purpose::Input if depth >= MAX_DEPTH => Just(None).boxed(),
            Purpose::Input => prop_oneof![present, Just(None)].boxed(),
            Purpose::Output(Output::Complete) if m.required => present.boxed(),
            Purpose::Output(_) if depth >= MAX_DEPTH => Just(None).boxed(),
            Purpose::Output(Output::Complete) => {
                prop_oneof![4 => present, 3 => Just(None), 1 => null].boxed()
            }
            Purpose::Output(Output::Loose) => {
                let wrong = Just(Some((m.name.to_owned(), wrong_type(schema, m.target))));
                if m.required {
                    prop_oneof![12 => present, 4 => Just(None), 1 => null, 1 => wrong].boxed()
                } else {
                    prop_oneof![12 => present, 9 => Just(None), 3 => null, 1 => wrong].boxed()
                }
            }
        };
        parts.push(part);
    }
    let unknown = match purpose {
        Purpose::Input => Just(None).boxed(),
        // A member a newer model would have: both clients must skip it.
        Purpose::Output(_) => {
            prop::option::weighted(0.15, ("unmodeled[A-Z][a-z]{1,6}", any_json(1))).boxed()
        }
    };
    (parts, unknown)
        .prop_map(|(parts, unknown)| {
            let mut m = Map::new();
            for (k, v) in parts.into_iter().flatten() {
                m.insert(k, v);
            }
            if let Some((k, v)) = unknown {
                m.entry(k).or_insert(v);
            }
            Value::Object(m)
        })
        .boxed()
}

fn union(
    schema: &'static Schema,
    members: &'static [Member],
    purpose: Purpose,
    depth: usize,
) -> BoxedStrategy<Value> {
    let known: Vec<BoxedStrategy<Value>> = members
        .iter()
        .map(|m| {
            let name = m.name.to_owned();
            member_value(schema, m, purpose, depth + 1)
                .prop_map(move |v| {
                    let mut o = Map::new();
                    o.insert(name.clone(), v);
                    Value::Object(o)
                })
                .boxed()
        })
        .collect();
    let known = proptest::strategy::Union::new(known);
    // (A `null` value would be no member at all, which is not a valid union.)
    let newer = (
        "newVariant[A-Z][a-z]{1,6}",
        any_json(1).prop_filter("a set member", |v| !v.is_null()),
    )
        .prop_map(|(k, v)| {
            let mut o = Map::new();
            o.insert(k, v);
            Value::Object(o)
        });
    // Beside the member: the other members as `null`, and a `__type`, which readers skip.
    let names: Vec<&'static str> = members.iter().map(|m| m.name).collect();
    let decorated =
        (known.clone(), any::<bool>(), any::<bool>()).prop_map(move |(v, nulls, typed)| {
            let mut o = match v {
                Value::Object(o) => o,
                other => return other,
            };
            if nulls {
                for n in &names {
                    o.entry(n.to_string()).or_insert(Value::Null);
                }
            }
            if typed {
                o.insert("__type".into(), Value::from("com.amazonaws.example#Union"));
            }
            Value::Object(o)
        });
    match purpose {
        Purpose::Input => known.boxed(),
        // A variant a newer model would have: both clients read it as `Unknown`.
        Purpose::Output(Output::Complete) => prop_oneof![
            6 => decorated,
            1 => newer,
        ]
        .boxed(),
        // No member at all, or two.
        Purpose::Output(Output::Loose) => prop_oneof![
            12 => decorated,
            2 => newer,
            1 => Just(Value::Object(Map::new())),
            1 => (known.clone(), known).prop_map(|(a, b)| {
                let mut o = a.as_object().cloned().unwrap_or_default();
                for (k, v) in b.as_object().into_iter().flatten() {
                    o.entry(k.clone()).or_insert_with(|| v.clone());
                }
                Value::Object(o)
            }),
        ]
        .boxed(),
    }
}

/// A JSON value of another type than the shape's.
fn wrong_type(schema: &Schema, shape: usize) -> Value {
    match &schema.shape(shape).kind {
        Kind::Structure(_) | Kind::Union(_) | Kind::Map { .. } => Value::from("not an object"),
        Kind::List { .. } => Value::Object(Map::new()),
        Kind::String(_) | Kind::Blob(_) => Value::from(42),
        Kind::Boolean => Value::from("true"),
        Kind::Timestamp(_) => Value::Bool(true),
        Kind::Document => Value::Null,
        Kind::IntEnum(_)
        | Kind::Byte(_)
        | Kind::Short(_)
        | Kind::Integer(_)
        | Kind::Long(_)
        | Kind::Float(_)
        | Kind::Double(_) => Value::from("7"),
    }
}

/// Bounds for a generated length: at least `min`, at most a few more than that.
fn small(length: Length, spread: u64) -> (usize, usize) {
    let lo = length.min.unwrap_or(0);
    let hi = length.max.unwrap_or(u64::MAX).min(lo + spread).max(lo);
    (lo as usize, hi as usize)
}

fn all_distinct(v: &[Value]) -> bool {
    v.iter()
        .enumerate()
        .all(|(i, a)| v[..i].iter().all(|b| a != b))
}

/// Characters a service might put in free text: mostly ASCII, some that JSON escapes, and
/// some outside the Basic Multilingual Plane.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        12 => prop::char::range('a', 'z'),
        4 => prop::char::range('A', 'Z'),
        3 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', '-', '_', '.', '/', ':', '@', '+', '=']),
        1 => prop::sample::select(vec!['"', '\\', '\n', '\t', '\u{1}', '\u{7f}']),
        1 => prop::sample::select(vec!['é', 'ß', '中', '€', '\u{2028}', '😀', '\u{10ffff}']),
    ]
}

fn string(rules: StringRules, purpose: Purpose) -> BoxedStrategy<String> {
    if !rules.values.is_empty() {
        let known = prop::sample::select(rules.values.to_vec()).prop_map(str::to_owned);
        return match purpose {
            Purpose::Input => known.boxed(),
            // A value added to the enum after this model: an open value in both crates.
            Purpose::Output(_) => prop_oneof![
                9 => known,
                1 => "NEW_[A-Z_]{1,10}",
            ]
            .boxed(),
        };
    }
    let (lo, hi) = small(rules.length, 16);
    if let Some(pattern) = rules.pattern {
        return pattern_string(pattern, rules.length);
    }
    prop::collection::vec(text_char(), lo..=hi)
        .prop_map(|c| c.into_iter().collect())
        .boxed()
}

/// Strings that match a Smithy `@pattern` and fit `@length`.
///
/// proptest generates from a regular expression without anchors or look-around, in
/// Unicode mode; Smithy patterns are ECMA 262. So the expression is adapted for generation
/// (ends' anchors dropped, look-ahead dropped, `\d` and `\w` made ASCII, unbounded
/// repetition kept short) and each candidate is checked against the original with the
/// constraints crate, the matcher our client uses, when that matcher accepts the pattern.
pub fn pattern_string(pattern: &'static str, length: Length) -> BoxedStrategy<String> {
    let generator = generation_regex(pattern);
    let strategy = proptest::string::string_regex(&generator).unwrap_or_else(|e| {
        panic!("cannot generate strings for @pattern {pattern:?} (as {generator:?}): {e}")
    });
    let matcher = redshift_serverless_constraints::Pattern::new(pattern);
    let checked = matcher.compile().is_ok();
    let (lo, hi) = (length.min.unwrap_or(0), length.max.unwrap_or(u64::MAX));
    strategy
        .prop_filter("@pattern and @length", move |s| {
            let n = s.chars().count() as u64;
            n >= lo && n <= hi && (!checked || matcher.is_match(s))
        })
        .boxed()
}

/// A Smithy pattern rewritten into something proptest can generate from (see
/// [`pattern_string`]).
pub fn generation_regex(pattern: &str) -> String {
    let mut p = pattern;
    if let Some(rest) = p.strip_prefix('^') {
        p = rest;
    }
    if p.ends_with('$') && !p.ends_with("\\$") {
        p = &p[..p.len() - 1];
    }
    let mut out = String::new();
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some('w') if in_class => out.push_str("A-Za-z0-9_"),
                Some('w') => out.push_str("[A-Za-z0-9_]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A leading `]` (after an optional `^`) is a literal, not the class's end.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class && p_starts_lookaround(&mut chars) => {
                skip_group(&mut chars);
            }
            '+' if !in_class => out.push_str("{1,6}"),
            '*' if !in_class => out.push_str("{0,6}"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether the group just opened is `(?=` or `(?!` (consuming the marker if so).
fn p_starts_lookaround(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut ahead = chars.clone();
    if ahead.next() == Some('?') && matches!(ahead.next(), Some('=' | '!')) {
        chars.next();
        chars.next();
        true
    } else {
        false
    }
}

/// Skips to the end of the group whose `(` was consumed.
fn skip_group(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    let mut depth = 1;
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

fn integer(range: Range, type_min: i64, type_max: i64) -> BoxedStrategy<Value> {
    let lo = range
        .min
        .map_or(type_min, |m| (m.ceil() as i64).max(type_min));
    let hi = range
        .max
        .map_or(type_max, |m| (m.floor() as i64).min(type_max));
    if lo > hi {
        panic!("@range [{lo}, {hi}] is empty");
    }
    // The ends of the range, small numbers, and anything in between.
    let near_zero = (lo.max(-100)..=hi.min(100).max(lo.max(-100))).prop_map(Value::from);
    prop_oneof![
        1 => prop::sample::select(vec![lo, hi]).prop_map(Value::from),
        3 => near_zero,
        2 => (lo..=hi).prop_map(Value::from),
    ]
    .boxed()
}

fn float(range: Range, single: bool) -> BoxedStrategy<Value> {
    let narrow = move |f: f64| if single { f64::from(f as f32) } else { f };
    let (lo, hi) = (range.min.unwrap_or(-1e300), range.max.unwrap_or(1e300));
    let unbounded = range.min.is_none() && range.max.is_none();
    let finite = prop_oneof![
        3 => (lo..=hi).prop_map(narrow),
        3 => (-1000i32..1000).prop_map(|i| f64::from(i) / 8.0),
        1 => prop::sample::select(vec![0.0, -0.0, 0.1, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308])
            .prop_map(narrow),
    ]
    .prop_filter("@range", move |f| *f >= lo && *f <= hi && f.is_finite());
    if unbounded {
        prop_oneof![
            9 => finite.prop_map(|f| crate::json::float_json(&f)),
            1 => prop::sample::select(vec!["NaN", "Infinity", "-Infinity"]).prop_map(Value::from),
        ]
        .boxed()
    } else {
        finite.prop_map(|f| crate::json::float_json(&f)).boxed()
    }
}

fn timestamp(format: TimestampFormat, purpose: Purpose) -> BoxedStrategy<Value> {
    // 1900..2100, whole seconds or with milliseconds.
    let instant = (
        -2_208_988_800i64..4_102_444_800,
        prop_oneof![2 => Just(0u32), 1 => (0u32..1000).prop_map(|ms| ms * 1_000_000)],
    );
    match format {
        TimestampFormat::EpochSeconds => instant
            .prop_map(|(s, n)| {
                if n == 0 {
                    Value::from(s)
                } else {
                    Value::from(s as f64 + f64::from(n) / 1e9)
                }
            })
            .boxed(),
        TimestampFormat::DateTime => {
            let base = instant.prop_map(|(s, n)| format_time(s, n, Format::DateTime));
            match purpose {
                Purpose::Input => base.prop_map(Value::String).boxed(),
                // Services write offsets and nanoseconds too.
                Purpose::Output(_) => prop_oneof![
                    3 => base,
                    1 => (0i64..4_102_444_800, 0u32..1_000_000_000)
                        .prop_map(|(s, n)| format_time(s, n, Format::DateTime)),
                    1 => (0i64..4_102_444_800).prop_map(|s| {
                        // The same instant written as local time at +01:00.
                        let local = format_time(s + 3600, 0, Format::DateTime);
                        format!("{}+01:00", local.trim_end_matches('Z'))
                    }),
                ]
                .prop_map(Value::String)
                .boxed(),
            }
        }
        TimestampFormat::HttpDate => (0i64..4_102_444_800)
            .prop_map(|s| Value::String(format_time(s, 0, Format::HttpDate)))
            .boxed(),
    }
}

fn format_time(secs: i64, nanos: u32, format: Format) -> String {
    DateTime::from_secs_and_nanos(secs, nanos)
        .fmt(format)
        .unwrap_or_else(|e| panic!("formatting {secs}.{nanos:09}: {e}"))
}

/// A UUID v4 in its canonical text form.
fn uuid_v4() -> impl Strategy<Value = String> {
    any::<[u8; 16]>().prop_map(|mut b| {
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    })
}

/// Whether `s` is an RFC 4122 UUID v4 (version 4, variant `10`) in canonical form.
pub fn is_uuid_v4(s: &str) -> bool {
    is_smithy_uuid_v4(s) && matches!(s.as_bytes()[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

/// Whether `s` is a UUID v4 as smithy-rs makes idempotency tokens: version 4, but only the
/// variant's first bit set (`idempotency_token::uuid_v4` in the official crate ORs `0b1000`
/// into the variant digit), so a quarter of its tokens have variant `110` (digits `c`-`f`),
/// which RFC 4122 reserves. botocore uses Python's `uuid4()`, which follows the RFC.
pub fn is_smithy_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
}

/// Any JSON value, nested at most `depth` levels.
pub fn any_json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z ]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(depth, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,5}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn patterns_are_adapted_for_generation() {
        assert_eq!(generation_regex("^[a-z0-9-]+$"), "[a-z0-9-]{1,6}");
        assert_eq!(
            generation_regex(r"arn:[\w+=/,.@-]+:(\d{12})"),
            r"arn:[A-Za-z0-9_+=/,.@-]{1,6}:([0-9]{12})"
        );
        assert_eq!(
            generation_regex(r"^((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9]\.)+$"),
            r"([A-Za-z0-9-]{0,62}[A-Za-z0-9]\.){1,6}"
        );
        assert_eq!(generation_regex(r"^[^\]]*\$$"), r"[^\]]{0,6}\$");
    }

    #[test]
    fn generated_pattern_strings_match_and_fit() {
        let mut runner = TestRunner::deterministic();
        let length = Length {
            min: Some(3),
            max: Some(8),
        };
        let s = pattern_string("^[a-z0-9-]+$", length);
        let p = redshift_serverless_constraints::Pattern::new("^[a-z0-9-]+$");
        for _ in 0..200 {
            let v = s.new_tree(&mut runner).unwrap().current();
            assert!((3..=8).contains(&v.len()) && p.is_match(&v), "{v:?}");
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let mut runner = TestRunner::deterministic();
        for _ in 0..100 {
            let u = uuid_v4().new_tree(&mut runner).unwrap().current();
            assert!(is_uuid_v4(&u), "{u}");
        }
        assert!(!is_uuid_v4("00000000-0000-1000-8000-000000000000"));
        assert!(!is_uuid_v4("not a uuid"));
        assert!(!is_uuid_v4("714167dd-63e1-435a-c5cc-e5fe51df35a5"));
        assert!(is_smithy_uuid_v4("714167dd-63e1-435a-c5cc-e5fe51df35a5"));
        assert!(!is_smithy_uuid_v4("714167dd-63e1-435a-75cc-e5fe51df35a5"));
    }
}
