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

/// What identifies a response whose body could not be used, without any of its bytes (a
/// body may carry the token): its status, content type and length.
#[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq)]
pub struct ResponseSummary {
    status: u16,
    content_type: ::std::option::Option<::std::string::String>,
    body_len: usize,
}

/// The longest `Content-Type` value a summary keeps, in bytes.
const CONTENT_TYPE_LIMIT: usize = 100;

impl ResponseSummary {
    /// Summarises a response.
    pub fn new(
        status: u16,
        headers: &::aws_smithy_runtime_api::http::Headers,
        body: &[u8],
    ) -> Self {
        let content_type = headers.get("content-type").map(|value| {
            let mut end = value.len().min(CONTENT_TYPE_LIMIT);
            while !value.is_char_boundary(end) {
                end -= 1;
            }
            value[..end].to_owned()
        });
        ResponseSummary {
            status,
            content_type,
            body_len: body.len(),
        }
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The `Content-Type` header (its first 100 bytes), if there was one.
    pub fn content_type(&self) -> ::std::option::Option<&str> {
        self.content_type.as_deref()
    }
    /// The length of the body, in bytes.
    pub fn body_len(&self) -> usize {
        self.body_len
    }
}

impl ::std::fmt::Display for ResponseSummary {
    /// `HTTP 503 (content-type text/html, 24 bytes)`.
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(
            f,
            "HTTP {} (content-type {}, {} bytes)",
            self.status,
            self.content_type.as_deref().unwrap_or("none"),
            self.body_len
        )
    }
}

/// A success response whose body is not the operation's output: not JSON, not an object,
/// or a member of the wrong JSON type.
///
/// The generated client reports it as a response error (`SdkError::ResponseError`), not as
/// a service error: the service did not say what went wrong, the client could not read what
/// it said. Its `Display` starts with `unreadable HTTP response`, the prefix the retry crate
/// reads to classify it as the error response of its status would be (a 2xx is not
/// retried). `source()` says what failed: the member, its structure and the JSON expected.
/// No byte of the body is kept.
#[derive(::std::fmt::Debug)]
pub struct UnreadableResponse {
    response: ResponseSummary,
    shape: &'static str,
    source: DeserializeError,
}

impl UnreadableResponse {
    /// A response that could not be read as `shape`, failing with `source`.
    pub fn new(response: ResponseSummary, shape: &'static str, source: DeserializeError) -> Self {
        UnreadableResponse {
            response,
            shape,
            source,
        }
    }
    /// The response's status, content type and length.
    pub fn response(&self) -> &ResponseSummary {
        &self.response
    }
    /// The shape the body was read as.
    pub fn shape(&self) -> &'static str {
        self.shape
    }
}

impl ::std::fmt::Display for UnreadableResponse {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(
            f,
            "unreadable HTTP response: the body of {} is not a {}",
            self.response,
            self.shape
        )
    }
}

impl ::std::error::Error for UnreadableResponse {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        ::std::option::Option::Some(&self.source)
    }
}

/// An error response that names no error code (no `X-Amzn-Errortype`, `__type` or `code`):
/// a bare 503 from a load balancer, an HTML error page. The source of the operation's
/// `Unhandled` error, so its chain names the status; when the body is not a JSON object,
/// the parse error is this error's source.
#[derive(::std::fmt::Debug)]
pub struct NoErrorCode {
    response: ResponseSummary,
    source: ::std::option::Option<DeserializeError>,
}

impl NoErrorCode {
    /// An error response without a code; `source` is why its body could not be read, if so.
    pub fn new(response: ResponseSummary, source: ::std::option::Option<DeserializeError>) -> Self {
        NoErrorCode { response, source }
    }
    /// The response's status, content type and length.
    pub fn response(&self) -> &ResponseSummary {
        &self.response
    }
}

impl ::std::fmt::Display for NoErrorCode {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(f, "{} with no error code", self.response)?;
        if self.source.is_some() {
            f.write_str(", and its body is not a JSON object")?;
        }
        ::std::result::Result::Ok(())
    }
}

impl ::std::error::Error for NoErrorCode {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn ::std::error::Error + 'static))
    }
}
