//! Error metadata of awsJson responses: which error it is, its message.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// protocol crate as `json_errors.rs`. Nothing here depends on the model;
// `codegen/inlineable-check` compiles and lints it as written.

use ::aws_smithy_json::deserialize::error::DeserializeError;
use ::aws_smithy_json::deserialize::token::skip_value;
use ::aws_smithy_json::deserialize::Token;

/// Reduces an error code to the shape name: drops everything from the first `:`
/// (a URL suffix some services append), then keeps what follows the last `#`
/// (a namespace), in that order.
pub fn sanitize_error_code(error_code: &str) -> &str {
    let error_code = match error_code.find(':') {
        ::std::option::Option::Some(idx) => &error_code[..idx],
        ::std::option::Option::None => error_code,
    };
    match error_code.rfind('#') {
        ::std::option::Option::Some(idx) => &error_code[idx + 1..],
        ::std::option::Option::None => error_code,
    }
}

/// The code and message carriers of an error body.
#[derive(Debug, Default, PartialEq)]
pub struct ErrorBody {
    /// `__type`.
    pub type_: ::std::option::Option<::std::string::String>,
    /// `code` (also a data member of some errors).
    pub code: ::std::option::Option<::std::string::String>,
    /// `message` or `Message`.
    pub message: ::std::option::Option<::std::string::String>,
}

/// Reads a top-level string, or skips a value of any other type.
fn string_or_skip<'a, I>(
    tokens: &mut ::std::iter::Peekable<I>,
) -> ::std::result::Result<::std::option::Option<::std::string::String>, DeserializeError>
where
    I: ::std::iter::Iterator<Item = ::std::result::Result<Token<'a>, DeserializeError>>,
{
    if let ::std::option::Option::Some(::std::result::Result::Ok(Token::ValueString { .. })) =
        tokens.peek()
    {
        if let ::std::option::Option::Some(::std::result::Result::Ok(Token::ValueString {
            value,
            ..
        })) = tokens.next()
        {
            return ::std::result::Result::Ok(::std::option::Option::Some(
                value.to_unescaped()?.into_owned(),
            ));
        }
    }
    skip_value(tokens)?;
    ::std::result::Result::Ok(::std::option::Option::None)
}

/// Parses the code and message carriers of an error body; other members are skipped.
pub fn parse_error_body(bytes: &[u8]) -> ::std::result::Result<ErrorBody, DeserializeError> {
    let bytes = if bytes.is_empty() { &b"{}"[..] } else { bytes };
    let mut tokens = ::aws_smithy_json::deserialize::json_token_iter(bytes).peekable();
    let mut body = ErrorBody::default();
    ::aws_smithy_json::deserialize::token::expect_start_object(tokens.next())?;
    loop {
        match tokens.next().transpose()? {
            ::std::option::Option::Some(Token::EndObject { .. }) => break,
            ::std::option::Option::Some(Token::ObjectKey { key, .. }) => {
                match key.to_unescaped()?.as_ref() {
                    "__type" => body.type_ = string_or_skip(&mut tokens)?.or(body.type_.take()),
                    "code" => body.code = string_or_skip(&mut tokens)?.or(body.code.take()),
                    "message" | "Message" => {
                        body.message = string_or_skip(&mut tokens)?.or(body.message.take())
                    }
                    _ => skip_value(&mut tokens)?,
                }
            }
            other => {
                return ::std::result::Result::Err(DeserializeError::custom(::std::format!(
                    "expected object key or end object, found: {other:?}"
                )))
            }
        }
    }
    if tokens.next().is_some() {
        return ::std::result::Result::Err(DeserializeError::custom(
            "found more JSON tokens after completing parsing",
        ));
    }
    ::std::result::Result::Ok(body)
}

/// The error code a response carries: the `X-Amzn-Errortype` header, else the body's
/// `__type`, else its `code`, sanitised. `__type` wins over `code` because some errors
/// (AccessDeniedException, ThrottlingException) have a data member called `code`.
pub fn error_code<'a>(
    header: ::std::option::Option<&'a str>,
    body: &'a ErrorBody,
) -> ::std::option::Option<&'a str> {
    header
        .or(body.type_.as_deref())
        .or(body.code.as_deref())
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
}

/// Builds the generic error metadata (code and message) of an error response.
pub fn parse_error_metadata(
    body: &[u8],
    headers: &::aws_smithy_runtime_api::http::Headers,
) -> ::std::result::Result<::aws_smithy_types::error::metadata::Builder, DeserializeError> {
    let parsed = parse_error_body(body)?;
    let mut builder = ::aws_smithy_types::error::ErrorMetadata::builder();
    if let ::std::option::Option::Some(code) = error_code(headers.get("x-amzn-errortype"), &parsed)
    {
        builder = builder.code(code);
    }
    if let ::std::option::Option::Some(message) = parsed.message {
        builder = builder.message(message);
    }
    ::std::result::Result::Ok(builder)
}
