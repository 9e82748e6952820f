//! Waiters: poll an operation until the model's acceptors say the resource reached a state.
//!
//! Import [`Waiters`](crate::client::Waiters) to get the client's `wait_until_*` methods. Each
//! returns a fluent builder taking the operation's input, whose `wait(max_wait)` polls with
//! the backoff of the Smithy waiters specification (aws-smithy-runtime's
//! `WaiterOrchestrator`, as the official crates use) until an acceptor matches or `max_wait`
//! has passed.
//!
//! An acceptor's JMESPath expression is evaluated with the `jmespath` crate against a JSON
//! view of the typed output (and input, for `inputOutput` matchers): members by their model
//! names, unset optional members absent, members with a default holding it; enums as their
//! values, timestamps as their wire format, blobs in base64. Each expression is compiled once
//! per process, on first use.

// The generator writes each view as `.map(|v| view(v))` whatever `view` is, and a model's
// waiters use only the helpers and comparators their shapes and acceptors need.
#![allow(clippy::redundant_closure, dead_code)]

// The generator puts before these items the `JsonView` implementations of the shapes the
// waiters read, and one `pub mod` per waiter.

use ::jmespath::{Rcvar, Variable};

/// A value as JSON, as a waiter's JMESPath expressions see it.
pub(crate) trait JsonView {
    /// The view.
    fn json_view(&self) -> Variable;
}

/// A string.
pub(crate) fn string(value: &str) -> Variable {
    Variable::String(value.to_owned())
}

/// A boolean.
pub(crate) fn boolean(value: bool) -> Variable {
    Variable::Bool(value)
}

/// An integer.
pub(crate) fn integer(value: impl ::std::convert::Into<i64>) -> Variable {
    Variable::Number(value.into().into())
}

/// A float; NaN and the infinities as the strings awsJson writes for them.
pub(crate) fn float(value: impl ::std::convert::Into<f64>) -> Variable {
    let value = value.into();
    match ::serde_json::Number::from_f64(value) {
        ::std::option::Option::Some(n) => Variable::Number(n),
        ::std::option::Option::None if value.is_nan() => string("NaN"),
        ::std::option::Option::None if value > 0.0 => string("Infinity"),
        ::std::option::Option::None => string("-Infinity"),
    }
}

/// A timestamp in the member's wire format: epoch seconds as a number, the others as
/// strings (null for a date the format cannot write).
pub(crate) fn timestamp(
    value: &::aws_smithy_types::DateTime,
    format: ::aws_smithy_types::date_time::Format,
) -> Variable {
    match format {
        ::aws_smithy_types::date_time::Format::EpochSeconds if value.subsec_nanos() == 0 => {
            integer(value.secs())
        }
        ::aws_smithy_types::date_time::Format::EpochSeconds => float(value.as_secs_f64()),
        _ => value.fmt(format).map_or(Variable::Null, Variable::String),
    }
}

/// A blob, in base64 as on the wire.
pub(crate) fn blob(value: &::aws_smithy_types::Blob) -> Variable {
    Variable::String(::aws_smithy_types::base64::encode(value.as_ref()))
}

/// A document, as the JSON it is.
pub(crate) fn document(value: &::aws_smithy_types::Document) -> Variable {
    use ::aws_smithy_types::Document;
    match value {
        Document::Object(members) => map(members.iter().map(|(k, v)| (k.as_str(), document(v)))),
        Document::Array(items) => array(items.iter().map(document)),
        Document::Number(::aws_smithy_types::Number::PosInt(n)) => Variable::Number((*n).into()),
        Document::Number(::aws_smithy_types::Number::NegInt(n)) => integer(*n),
        Document::Number(::aws_smithy_types::Number::Float(n)) => float(*n),
        Document::String(s) => string(s),
        Document::Bool(b) => boolean(*b),
        Document::Null => Variable::Null,
    }
}

/// A list.
pub(crate) fn array(items: impl ::std::iter::Iterator<Item = Variable>) -> Variable {
    Variable::Array(items.map(Rcvar::new).collect())
}

/// A map.
pub(crate) fn map<'a>(entries: impl ::std::iter::Iterator<Item = (&'a str, Variable)>) -> Variable {
    Variable::Object(
        entries
            .map(|(k, v)| (k.to_owned(), Rcvar::new(v)))
            .collect(),
    )
}

/// A structure or a union's member: the members that are set, by their model names.
pub(crate) fn structure<const N: usize>(
    members: [(&str, ::std::option::Option<Variable>); N],
) -> Variable {
    Variable::Object(
        members
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), Rcvar::new(v))))
            .collect(),
    )
}

/// The data of an `inputOutput` matcher: `{"input": .., "output": ..}`.
pub(crate) fn input_output(input: &Rcvar, output: &Rcvar) -> Rcvar {
    Rcvar::new(Variable::Object(::std::collections::BTreeMap::from([
        ("input".to_owned(), input.clone()),
        ("output".to_owned(), output.clone()),
    ])))
}

/// How a path's result is compared with the expected value (the specification's comparators).
#[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
// The specification's names.
#[allow(clippy::enum_variant_names)]
pub(crate) enum Comparator {
    /// A string equal to the expected one.
    StringEquals,
    /// A boolean equal to the expected one (`"true"` or `"false"`).
    BooleanEquals,
    /// A non-empty list of strings, each equal to the expected one.
    AllStringEquals,
    /// A list with a string equal to the expected one.
    AnyStringEquals,
}

impl Comparator {
    /// Whether `result` compares equal to `expected`.
    fn accepts(self, result: &Variable, expected: &str) -> bool {
        let is_expected = |v: &Rcvar| v.as_string().is_some_and(|s| s == expected);
        match self {
            Comparator::StringEquals => result.as_string().is_some_and(|s| s == expected),
            Comparator::BooleanEquals => result
                .as_boolean()
                .is_some_and(|b| expected == if b { "true" } else { "false" }),
            Comparator::AllStringEquals => result
                .as_array()
                .is_some_and(|items| !items.is_empty() && items.iter().all(is_expected)),
            Comparator::AnyStringEquals => result
                .as_array()
                .is_some_and(|items| items.iter().any(is_expected)),
        }
    }
}

/// An acceptor's JMESPath expression, compiled on first use and kept for the process.
pub(crate) struct Path {
    text: &'static str,
    compiled: ::std::sync::OnceLock<::std::option::Option<::jmespath::Expression<'static>>>,
}

impl Path {
    /// The expression `text`, not compiled yet.
    pub(crate) const fn new(text: &'static str) -> Self {
        Path {
            text,
            compiled: ::std::sync::OnceLock::new(),
        }
    }

    /// Whether the expression's result over `data` compares equal to `expected`. An
    /// evaluation error (a function given an argument of the wrong type) matches nothing, as
    /// would an expression the crate cannot compile, which the generator has ruled out by
    /// compiling each one with the same crate.
    pub(crate) fn matches(&self, data: &Rcvar, comparator: Comparator, expected: &str) -> bool {
        let compiled = self
            .compiled
            .get_or_init(|| ::jmespath::compile(self.text).ok());
        let ::std::option::Option::Some(expression) = compiled else {
            return false;
        };
        let mut context =
            ::jmespath::Context::new(expression.as_str(), &::jmespath::DEFAULT_RUNTIME);
        match ::jmespath::interpret(data, expression.as_ast(), &mut context) {
            ::std::result::Result::Ok(result) => comparator.accepts(&result, expected),
            ::std::result::Result::Err(_) => false,
        }
    }
}

/// Whether `result` is an error whose code is `code` (an `errorType` matcher): the modeled
/// error's shape name, or the code of an error the model does not name.
pub(crate) fn error_type<O, E>(result: ::std::result::Result<&O, &E>, code: &str) -> bool
where
    E: ::aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    match result {
        ::std::result::Result::Err(e) => e.code() == ::std::option::Option::Some(code),
        ::std::result::Result::Ok(_) => false,
    }
}

/// The sleep between polls: the configured one, else the default (Tokio's); an error naming
/// the setting when there is neither.
pub(crate) fn sleep_impl(
    conf: &crate::Config,
) -> ::std::result::Result<
    ::aws_smithy_async::rt::sleep::SharedAsyncSleep,
    ::aws_smithy_runtime_api::box_error::BoxError,
> {
    conf.sleep_impl
        .clone()
        .or_else(::aws_smithy_async::rt::sleep::default_async_sleep)
        .ok_or_else(|| {
            "no sleep implementation is configured, and waiters sleep between polls: set one with Config::builder().sleep_impl(..)".into()
        })
}

/// The clock the waiter measures `max_wait` with: the configured one, else the system's.
pub(crate) fn time_source(conf: &crate::Config) -> ::aws_smithy_async::time::SharedTimeSource {
    conf.time_source.clone().unwrap_or_default()
}

/// The result of a waiter's `wait`.
type Waited<O, E> = ::std::result::Result<
    ::aws_smithy_runtime_api::client::waiters::FinalPoll<
        O,
        ::aws_smithy_runtime_api::client::result::SdkError<
            E,
            ::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    >,
    ::aws_smithy_runtime_api::client::waiters::error::WaiterError<O, E>,
>;

/// What every waiter's `wait` does once its input is built: polls `operation` (at once, then
/// after `min_delay` seconds, backing off to at most `max_delay` seconds between polls, with
/// jitter) until `acceptor` decides or `max_wait` has passed, with the sleep and the clock of
/// `conf`, in the runtime's waiter span.
pub(crate) async fn wait<O, E, Acceptor, Operation, Poll>(
    conf: &crate::Config,
    (min_delay, max_delay): (u64, u64),
    max_wait: ::std::time::Duration,
    acceptor: Acceptor,
    operation: Operation,
) -> Waited<O, E>
where
    Acceptor:
        Fn(::std::result::Result<&O, &E>) -> ::aws_smithy_runtime::client::waiters::AcceptorState,
    Operation: Fn() -> Poll,
    Poll: ::std::future::Future<
        Output = ::std::result::Result<
            O,
            ::aws_smithy_runtime_api::client::result::SdkError<
                E,
                ::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
            >,
        >,
    >,
    E: ::aws_smithy_runtime_api::client::result::CreateUnhandledError
        + ::std::error::Error
        + ::std::marker::Send
        + ::std::marker::Sync
        + 'static,
{
    let sleep_impl = sleep_impl(conf).map_err(
        ::aws_smithy_runtime_api::client::waiters::error::WaiterError::construction_failure,
    )?;
    let orchestrator = ::aws_smithy_runtime::client::waiters::WaiterOrchestrator::builder()
        .min_delay(::std::time::Duration::from_secs(min_delay))
        .max_delay(::std::time::Duration::from_secs(max_delay))
        .max_wait(max_wait)
        .time_source(time_source(conf))
        .sleep_impl(sleep_impl)
        .acceptor(acceptor)
        .operation(operation)
        .build();
    ::aws_smithy_runtime::client::waiters::attach_waiter_tracing_span(orchestrator.orchestrate())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(json: &str) -> Rcvar {
        Rcvar::new(Variable::from_json(json).unwrap())
    }

    #[test]
    fn comparators_follow_the_specification() {
        let d = data(r#"{"s":"a","b":true,"all":["a","a"],"mixed":["a","b"],"none":[],"n":1}"#);
        let m = |p: &'static str, c, e| Path::new(p).matches(&d, c, e);
        assert!(m("s", Comparator::StringEquals, "a"));
        assert!(!m("n", Comparator::StringEquals, "1"));
        assert!(m("b", Comparator::BooleanEquals, "true"));
        assert!(!m("b", Comparator::BooleanEquals, "false"));
        assert!(!m("s", Comparator::BooleanEquals, "true"));
        assert!(m("all", Comparator::AllStringEquals, "a"));
        assert!(!m("mixed", Comparator::AllStringEquals, "a"));
        assert!(!m("none", Comparator::AllStringEquals, "a"));
        assert!(m("mixed", Comparator::AnyStringEquals, "b"));
        assert!(!m("none", Comparator::AnyStringEquals, "a"));
        assert!(!m("s", Comparator::AnyStringEquals, "a"));
        // A runtime error (length of a number) matches nothing.
        assert!(!m("length(n) == `1`", Comparator::BooleanEquals, "true"));
        assert!(m("length(all) == `2`", Comparator::BooleanEquals, "true"));
    }

    #[test]
    fn floats_that_json_cannot_hold_are_strings_as_on_the_wire() {
        assert_eq!(float(f64::NAN).as_string().map(String::as_str), Some("NaN"));
        assert_eq!(
            float(f64::INFINITY).as_string().map(String::as_str),
            Some("Infinity")
        );
        assert_eq!(
            float(f64::NEG_INFINITY).as_string().map(String::as_str),
            Some("-Infinity")
        );
        assert_eq!(float(1.5).as_number(), Some(1.5));
    }
}
