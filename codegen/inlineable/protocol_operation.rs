//! What every operation's `ser_request` and `de_error` share: the awsJson request and the
//! reading of an error response's code, message and request id. An operation module keeps
//! only its types, its target and its modeled errors.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// protocol crate as `protocol_operation.rs`. Nothing here depends on the model; written once,
// it is compiled once rather than once per operation.

use ::aws_smithy_runtime_api::box_error::BoxError;
use ::aws_smithy_types::error::ErrorMetadata;

/// An operation's `ser_request` with the input as the orchestrator erased it.
pub(crate) fn ser_erased<I>(
    input: ::aws_smithy_runtime_api::client::interceptors::context::Input,
    ser_request: fn(&I) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, BoxError>,
) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, BoxError>
where
    I: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
{
    let input: I = input
        .downcast()
        .map_err(|_| "the orchestrator passed another operation's input")?;
    ser_request(&input)
}

/// What an operation's `de_response` returns.
type Deserialized<O, E> =
    ::std::result::Result<O, ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError<E>>;

/// An operation's `de_response` on the orchestrator's response, its output or error erased.
pub(crate) fn de_erased<O, E>(
    response: &::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    de_response: fn(u16, &::aws_smithy_runtime_api::http::Headers, &[u8]) -> Deserialized<O, E>,
) -> Deserialized<
    ::aws_smithy_runtime_api::client::interceptors::context::Output,
    ::aws_smithy_runtime_api::client::interceptors::context::Error,
>
where
    O: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
    E: ::std::error::Error
        + ::std::fmt::Debug
        + ::std::marker::Send
        + ::std::marker::Sync
        + 'static,
{
    let body = response.body().bytes().unwrap_or_default();
    de_response(response.status().as_u16(), response.headers(), body)
        .map(::aws_smithy_runtime_api::client::interceptors::context::Output::erase)
        .map_err(|e| {
            e.map_operation_error(
                ::aws_smithy_runtime_api::client::interceptors::context::Error::erase,
            )
        })
}

/// An awsJson request: `POST /` with `body` and the protocol's headers.
pub(crate) fn request(
    body: ::std::string::String,
    content_type: &'static str,
    target: &'static str,
) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, BoxError> {
    let length = body.len().to_string();
    // Built as the runtime's request type directly: no `http::Request` to convert.
    let mut request =
        ::aws_smithy_runtime_api::http::Request::new(::aws_smithy_types::body::SdkBody::from(body));
    request.set_method("POST")?;
    *request.uri_mut() = ::http::Uri::from_static("/").into();
    let headers = request.headers_mut();
    headers.try_insert("content-type", content_type)?;
    headers.try_insert("x-amz-target", target)?;
    headers.try_insert("content-length", length)?;
    ::std::result::Result::Ok(request)
}

/// What an error response says, before an operation matches it against its modeled errors.
pub(crate) enum ErrorResponse {
    /// The response names an error code: the operation reads the body as the modeled error
    /// of that code, if it has one.
    Coded {
        /// The sanitised code.
        code: ::std::string::String,
        /// The body's `message` (or `Message`).
        message: ::std::option::Option<::std::string::String>,
        /// The code, message and request id.
        meta: ErrorMetadata,
    },
    /// An unhandled error: no code (the source is a [`crate::json_errors::NoErrorCode`]
    /// naming the status), or a body that is not a JSON object (the source is the parse
    /// error, the metadata what the headers say).
    Unhandled {
        /// Why the response is not a modeled error.
        source: BoxError,
        /// What is known: code, message, request id.
        meta: ErrorMetadata,
    },
}

/// Reads an error response's code (`X-Amzn-Errortype`, then `__type`, then `code`), message
/// and request id.
pub(crate) fn read_error(
    status: u16,
    headers: &::aws_smithy_runtime_api::http::Headers,
    body: &[u8],
) -> ErrorResponse {
    let no_code = |meta, parse_error| ErrorResponse::Unhandled {
        source: ::std::boxed::Box::new(crate::json_errors::NoErrorCode::new(
            crate::json_errors::ResponseSummary::new(status, headers, body),
            parse_error,
        )),
        meta,
    };
    let generic = match crate::json_errors::parse_error_metadata(body, headers) {
        ::std::result::Result::Ok(builder) => {
            ::aws_types::request_id::apply_request_id(builder, headers).build()
        }
        ::std::result::Result::Err(e) => {
            // The body is not a JSON object: keep what the headers say (the code
            // and the request id), with the parse error as the source.
            let mut builder = ErrorMetadata::builder();
            if let ::std::option::Option::Some(code) = crate::json_errors::error_code(
                headers.get("x-amzn-errortype"),
                &::std::default::Default::default(),
            ) {
                builder = builder.code(code);
            }
            let meta = ::aws_types::request_id::apply_request_id(builder, headers).build();
            if meta.code().is_none() {
                return no_code(meta, ::std::option::Option::Some(e));
            }
            return ErrorResponse::Unhandled {
                source: ::std::boxed::Box::new(e),
                meta,
            };
        }
    };
    let code = match generic.code() {
        ::std::option::Option::Some(code) => code.to_owned(),
        ::std::option::Option::None => return no_code(generic, ::std::option::Option::None),
    };
    let message = generic.message().map(::std::borrow::ToOwned::to_owned);
    ErrorResponse::Coded {
        code,
        message,
        meta: generic,
    }
}
