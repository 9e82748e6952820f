//! `smithy.waiters#waitable`: an operation's waiters, checked as the Smithy waiters
//! specification requires (<https://smithy.io/2.0/additional-specs/waiters.html>).
//!
//! Every JMESPath expression is compiled here with the `jmespath` crate the generated client
//! evaluates it with, so a model whose expression that crate cannot parse is refused at
//! generation, naming the operation, the waiter and the expression, rather than producing a
//! waiter that can never match.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Names, Operation, ShapeId};
use crate::Error;

/// The trait's shape id.
pub(crate) const TRAIT: &str = "smithy.waiters#waitable";

/// The largest `minDelay` and `maxDelay`: the trait's `WaiterDelay` is a 32-bit integer.
const MAX_DELAY: u64 = i32::MAX as u64;

/// One waiter of an operation.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Its names: `ImageScanComplete`, `ImageScanComplete`, `image_scan_complete`.
    pub names: Names,
    /// `documentation`.
    pub docs: Option<String>,
    /// The acceptors, in the order they are tried.
    pub acceptors: Vec<Acceptor>,
    /// `minDelay` in seconds (default 2).
    pub min_delay: u64,
    /// `maxDelay` in seconds (default 120).
    pub max_delay: u64,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `tags` (for tooling; kept so the model says what the trait said).
    pub tags: Vec<String>,
}

/// An acceptor: the state a response matching its matcher puts the waiter in.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// The state.
    pub state: AcceptorState,
    /// The matcher.
    pub matcher: Matcher,
}

/// The state an acceptor moves the waiter to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter stops, successfully.
    Success,
    /// The waiter stops, failed.
    Failure,
    /// The waiter polls again.
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A JMESPath expression over the output, on a successful response.
    Output(PathMatcher),
    /// A JMESPath expression over `{input, output}`, on a successful response.
    InputOutput(PathMatcher),
    /// `true`: any successful response; `false`: any error response.
    Success(bool),
    /// An error response whose code is this shape name.
    ErrorType(String),
}

/// A JMESPath expression, the value to compare its result with, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct PathMatcher {
    /// The expression (it compiles with the `jmespath` crate).
    pub path: String,
    /// The expected value: any string, or `true` / `false` for `booleanEquals`.
    pub expected: String,
    /// How the result is compared.
    pub comparator: Comparator,
}

/// The comparators of the specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The specification's names.
#[allow(clippy::enum_variant_names)]
pub enum Comparator {
    /// The result is a string equal to the expected one.
    StringEquals,
    /// The result is a boolean equal to the expected one.
    BooleanEquals,
    /// The result is a non-empty list whose every item is a string equal to the expected one.
    AllStringEquals,
    /// The result is a list with an item that is a string equal to the expected one.
    AnyStringEquals,
}

impl Comparator {
    /// The name the model writes.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::StringEquals => "stringEquals",
            Comparator::BooleanEquals => "booleanEquals",
            Comparator::AllStringEquals => "allStringEquals",
            Comparator::AnyStringEquals => "anyStringEquals",
        }
    }
}

impl Matcher {
    /// The matcher as the model writes it (one line of JSON), for comments and docs.
    pub fn to_json(&self) -> String {
        let path = |p: &PathMatcher| {
            serde_json::json!({
                "path": p.path,
                "expected": p.expected,
                "comparator": p.comparator.name(),
            })
        };
        let value = match self {
            Matcher::Output(p) => serde_json::json!({ "output": path(p) }),
            Matcher::InputOutput(p) => serde_json::json!({ "inputOutput": path(p) }),
            Matcher::Success(b) => serde_json::json!({ "success": b }),
            Matcher::ErrorType(e) => serde_json::json!({ "errorType": e }),
        };
        value.to_string()
    }
}

/// Lowers the trait on operation `op`.
pub(crate) fn lower(op: &str, value: &Value) -> Result<Vec<Waiter>, Error> {
    let waiters = value
        .as_object()
        .ok_or_else(|| bad(op, "must be a map of waiter names to waiters"))?;
    let mut out = Vec::new();
    for (name, w) in waiters {
        out.push(waiter(op, name, w)?);
    }
    Ok(out)
}

fn bad(op: &str, problem: impl Into<String>) -> Error {
    Error::bad_trait(op, TRAIT, problem)
}

/// The keys of `object` other than `known`: the first is an error, so nothing the trait says
/// is skipped.
fn only_keys(
    op: &str,
    what: &str,
    object: &Map<String, Value>,
    known: &[&str],
) -> Result<(), Error> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(bad(op, format!("{what}: unknown member {k:?}"))),
        None => Ok(()),
    }
}

fn waiter(op: &str, name: &str, w: &Value) -> Result<Waiter, Error> {
    let valid_name = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid_name {
        return Err(bad(
            op,
            format!("waiter name {name:?} must match ^[A-Z]+[A-Za-z0-9]*$"),
        ));
    }
    let what = format!("waiter {name}");
    let w = w
        .as_object()
        .ok_or_else(|| bad(op, format!("{what}: must be an object")))?;
    only_keys(
        op,
        &what,
        w,
        &[
            "documentation",
            "acceptors",
            "minDelay",
            "maxDelay",
            "deprecated",
            "tags",
        ],
    )?;
    let delay = |key: &str, default: u64| -> Result<u64, Error> {
        match w.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|d| (1..=MAX_DELAY).contains(d))
                .ok_or_else(|| {
                    bad(
                        op,
                        format!("{what}: {key} must be an integer from 1 to {MAX_DELAY}, got {v}"),
                    )
                }),
        }
    };
    let min_delay = delay("minDelay", 2)?;
    let max_delay = delay("maxDelay", 120)?;
    if min_delay > max_delay {
        return Err(bad(
            op,
            format!("{what}: minDelay {min_delay} is greater than maxDelay {max_delay}"),
        ));
    }
    let docs = match w.get("documentation") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(bad(
                op,
                format!("{what}: documentation must be a string, got {other}"),
            ))
        }
    };
    let deprecated = match w.get("deprecated") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(bad(
                op,
                format!("{what}: deprecated must be a boolean, got {other}"),
            ))
        }
    };
    let tags = match w.get("tags") {
        None => Vec::new(),
        Some(Value::Array(tags)) => tags
            .iter()
            .map(|t| {
                t.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| bad(op, format!("{what}: tags must be strings, got {t}")))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(bad(
                op,
                format!("{what}: tags must be a list of strings, got {other}"),
            ))
        }
    };
    let raw = w
        .get("acceptors")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad(op, format!("{what}: needs a non-empty list of acceptors")))?;
    let mut acceptors = Vec::new();
    for (i, a) in raw.iter().enumerate() {
        acceptors.push(acceptor(op, &format!("{what}, acceptor {i}"), a)?);
    }
    Ok(Waiter {
        names: Names::new(name),
        docs,
        acceptors,
        min_delay,
        max_delay,
        deprecated,
        tags,
    })
}

fn acceptor(op: &str, what: &str, a: &Value) -> Result<Acceptor, Error> {
    let a = a
        .as_object()
        .ok_or_else(|| bad(op, format!("{what}: must be an object")))?;
    only_keys(op, what, a, &["state", "matcher"])?;
    let state = match a.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        _ => {
            return Err(bad(
                op,
                format!(
                    "{what}: state must be \"success\", \"failure\" or \"retry\", got {}",
                    a.get("state").unwrap_or(&Value::Null)
                ),
            ))
        }
    };
    let matcher = a
        .get("matcher")
        .and_then(Value::as_object)
        .ok_or_else(|| bad(op, format!("{what}: needs a matcher object")))?;
    let mut members = matcher.iter();
    let (Some((kind, value)), None) = (members.next(), members.next()) else {
        return Err(bad(
            op,
            format!(
                "{what}: a matcher has exactly one of output, inputOutput, success, errorType; got {}",
                Value::Object(matcher.clone())
            ),
        ));
    };
    let matcher = match kind.as_str() {
        "output" => Matcher::Output(path_matcher(op, &format!("{what}, output"), value)?),
        "inputOutput" => {
            Matcher::InputOutput(path_matcher(op, &format!("{what}, inputOutput"), value)?)
        }
        "success" => Matcher::Success(value.as_bool().ok_or_else(|| {
            bad(
                op,
                format!("{what}: success must be a boolean, got {value}"),
            )
        })?),
        "errorType" => {
            let text = value.as_str().ok_or_else(|| {
                bad(
                    op,
                    format!("{what}: errorType must be a string, got {value}"),
                )
            })?;
            // An absolute shape id names the error's shape; awsJson error codes carry only
            // its name (the protocol drops the namespace), so that is what is compared.
            let name = if text.contains('#') {
                ShapeId::parse(text)
                    .map_err(|_| bad(op, format!("{what}: errorType {text:?} is not a shape id")))?
                    .name
            } else {
                text.to_owned()
            };
            if name.is_empty() {
                return Err(bad(op, format!("{what}: errorType is empty")));
            }
            Matcher::ErrorType(name)
        }
        other => {
            return Err(bad(
                op,
                format!(
                    "{what}: unknown matcher {other:?} (output, inputOutput, success, errorType)"
                ),
            ))
        }
    };
    Ok(Acceptor { state, matcher })
}

fn path_matcher(op: &str, what: &str, value: &Value) -> Result<PathMatcher, Error> {
    let m = value
        .as_object()
        .ok_or_else(|| bad(op, format!("{what}: must be an object")))?;
    only_keys(op, what, m, &["path", "expected", "comparator"])?;
    let text = |key: &str| -> Result<String, Error> {
        m.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| bad(op, format!("{what}: {key} must be a string")))
    };
    let path = text("path")?;
    let expected = text("expected")?;
    let comparator = match text("comparator")?.as_str() {
        "stringEquals" => Comparator::StringEquals,
        "booleanEquals" => Comparator::BooleanEquals,
        "allStringEquals" => Comparator::AllStringEquals,
        "anyStringEquals" => Comparator::AnyStringEquals,
        other => {
            return Err(bad(
                op,
                format!(
                    "{what}: unknown comparator {other:?} (stringEquals, booleanEquals, allStringEquals, anyStringEquals)"
                ),
            ))
        }
    };
    if comparator == Comparator::BooleanEquals && !matches!(expected.as_str(), "true" | "false") {
        return Err(bad(
            op,
            format!("{what}: booleanEquals expects \"true\" or \"false\", got {expected:?}"),
        ));
    }
    if let Err(e) = jmespath::compile(&path) {
        return Err(bad(
            op,
            format!(
                "{what}: JMESPath expression `{path}` does not compile: {}",
                e.to_string().replace('\n', " ")
            ),
        ));
    }
    Ok(PathMatcher {
        path,
        expected,
        comparator,
    })
}

/// Waiter names become `wait_until_<snake name>` methods of one trait, so two waiters of a
/// service may not share a snake-case name (Smithy requires names unique in a service).
pub(crate) fn check_unique_names(operations: &[Operation]) -> Result<(), Error> {
    let mut seen: BTreeMap<&str, (&ShapeId, &str)> = BTreeMap::new();
    for op in operations {
        for w in &op.waiters {
            if let Some((other_op, other)) = seen.insert(&w.names.snake, (&op.id, &w.names.smithy))
            {
                return Err(Error::bad_trait(
                    &op.id,
                    TRAIT,
                    format!(
                        "waiter {} and waiter {other} of {other_op} both become wait_until_{}; waiter names must be unique in a service",
                        w.names.smithy, w.names.snake
                    ),
                ));
            }
        }
    }
    Ok(())
}
