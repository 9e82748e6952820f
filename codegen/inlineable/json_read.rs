//! Readers of one JSON value each, shared by every deserializer of the crate.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// protocol crate as `json_read.rs`. A structure's reader calls one of these per member and
// passes the result to `member`, so a member costs two calls: no closure, and no generic
// instantiation per member (a client with 65 operations has about 300 such members), only
// one of `member` per type of value.

use ::aws_smithy_json::deserialize::error::DeserializeError;
use ::aws_smithy_json::deserialize::token;
use ::aws_smithy_json::deserialize::Token;

/// The next token, as the token iterator gives it.
type Next<'a> = ::std::option::Option<::std::result::Result<Token<'a>, DeserializeError>>;

/// `read`, a member's value as one of these readers (or an aggregate's) gave it; a failure
/// names the member, the structure it belongs to and the JSON it needs, with the parser's
/// error as the source.
#[inline]
pub(crate) fn member<T>(
    read: ::std::result::Result<T, DeserializeError>,
    shape: &'static str,
    member: &'static str,
    expected: &'static str,
) -> ::std::result::Result<T, DeserializeError> {
    match read {
        ::std::result::Result::Ok(value) => ::std::result::Result::Ok(value),
        ::std::result::Result::Err(e) => {
            ::std::result::Result::Err(member_error(shape, member, expected, e))
        }
    }
}

/// The error for a member that could not be read (see [`member`]).
#[cold]
fn member_error(
    shape: &'static str,
    member: &'static str,
    expected: &'static str,
    source: DeserializeError,
) -> DeserializeError {
    DeserializeError::custom_source(
        ::std::format!("could not read member `{member}` of {shape} (expected {expected})"),
        source,
    )
}

/// Whether the next token opens an object (`true`) or is `null` (`false`); anything else is
/// an error.
pub(crate) fn start_object(next: Next<'_>) -> ::std::result::Result<bool, DeserializeError> {
    match next.transpose()? {
        ::std::option::Option::Some(Token::StartObject { .. }) => ::std::result::Result::Ok(true),
        ::std::option::Option::Some(Token::ValueNull { .. }) => ::std::result::Result::Ok(false),
        _ => ::std::result::Result::Err(DeserializeError::custom("expected start object or null")),
    }
}

/// Whether the next token opens an array (`true`) or is `null` (`false`); anything else is an
/// error.
pub(crate) fn start_array(next: Next<'_>) -> ::std::result::Result<bool, DeserializeError> {
    match next.transpose()? {
        ::std::option::Option::Some(Token::StartArray { .. }) => ::std::result::Result::Ok(true),
        ::std::option::Option::Some(Token::ValueNull { .. }) => ::std::result::Result::Ok(false),
        _ => ::std::result::Result::Err(DeserializeError::custom("expected start array or null")),
    }
}

/// The key of the object's next member, unescaped, or `None` at the end of the object;
/// anything else is an error.
pub(crate) fn next_key(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<::std::borrow::Cow<'_, str>>, DeserializeError> {
    match next.transpose()? {
        ::std::option::Option::Some(Token::EndObject { .. }) => {
            ::std::result::Result::Ok(::std::option::Option::None)
        }
        ::std::option::Option::Some(Token::ObjectKey { key, .. }) => {
            ::std::result::Result::Ok(::std::option::Option::Some(key.to_unescaped()?))
        }
        other => ::std::result::Result::Err(DeserializeError::custom(::std::format!(
            "expected object key or end object, found: {other:?}"
        ))),
    }
}

/// Whether the array ends here; the closing token is consumed, any other is left for the item
/// reader (which reports what it is not).
pub(crate) fn end_of_array<'a, I>(tokens: &mut ::std::iter::Peekable<I>) -> bool
where
    I: ::std::iter::Iterator<Item = ::std::result::Result<Token<'a>, DeserializeError>>,
{
    if let ::std::option::Option::Some(::std::result::Result::Ok(Token::EndArray { .. })) =
        tokens.peek()
    {
        tokens.next();
        return true;
    }
    false
}

/// A string (or `null`), unescaped.
pub(crate) fn string(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<::std::string::String>, DeserializeError> {
    ::std::result::Result::Ok(
        token::expect_string_or_null(next)?
            .map(|s| s.to_unescaped().map(|u| u.into_owned()))
            .transpose()?,
    )
}

/// A string enum's value (or `null`); a value the model does not list is kept as `Unknown`.
pub(crate) fn string_enum<T>(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<T>, DeserializeError>
where
    T: for<'s> ::std::convert::From<&'s str>,
{
    ::std::result::Result::Ok(
        token::expect_string_or_null(next)?
            .map(|s| s.to_unescaped().map(|u| T::from(u.as_ref())))
            .transpose()?,
    )
}

/// An `i32` (or `null`); a number out of its range is an error.
pub(crate) fn integer(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<i32>, DeserializeError> {
    ::std::result::Result::Ok(
        token::expect_number_or_null(next)?
            .map(i32::try_from)
            .transpose()?,
    )
}

/// An int enum's value (or `null`).
pub(crate) fn int_enum<T>(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<T>, DeserializeError>
where
    T: ::std::convert::From<i32>,
{
    ::std::result::Result::Ok(integer(next)?.map(T::from))
}

/// An `i64` (or `null`); a number out of its range is an error.
pub(crate) fn long(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<i64>, DeserializeError> {
    ::std::result::Result::Ok(
        token::expect_number_or_null(next)?
            .map(i64::try_from)
            .transpose()?,
    )
}

/// An `f32` (or `null`), as close as it holds the number.
pub(crate) fn float(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<f32>, DeserializeError> {
    ::std::result::Result::Ok(token::expect_number_or_null(next)?.map(|v| v.to_f32_lossy()))
}

/// An `f64` (or `null`), as close as it holds the number.
pub(crate) fn double(
    next: Next<'_>,
) -> ::std::result::Result<::std::option::Option<f64>, DeserializeError> {
    ::std::result::Result::Ok(token::expect_number_or_null(next)?.map(|v| v.to_f64_lossy()))
}
