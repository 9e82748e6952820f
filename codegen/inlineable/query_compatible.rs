//! `aws.protocols#awsQueryCompatible`: the service once spoke awsQuery, and its error
//! responses say which code awsQuery gave the error, in `x-amzn-query-error: Code;Type`.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// protocol crate as `query_compatible.rs`, for a service with the trait only. As smithy-rs's
// `AwsQueryCompatible` protocol does, a request carries `x-amzn-query-mode: true` and an
// error's `code()` is the header's code, with `type` (`Sender` or `Receiver`) as extra
// metadata. Unlike smithy-rs, the modeled error is still chosen by the JSON body's code
// (`__type`), which the header only replaces when the body has none.

use ::aws_smithy_runtime_api::box_error::BoxError;
use ::aws_smithy_types::error::ErrorMetadata;

use crate::protocol_operation::ErrorResponse;

/// The response header carrying the awsQuery error code and type.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// The request header telling the service that the client reads awsQuery error codes.
pub const QUERY_MODE_HEADER: &str = "x-amzn-query-mode";

/// The code and type of `x-amzn-query-error: Code;Type`, split at the first `;`; `None`
/// without the header, without a `;`, or with an empty code.
pub fn parse_query_error(
    headers: &::aws_smithy_runtime_api::http::Headers,
) -> ::std::option::Option<(&str, &str)> {
    headers
        .get(QUERY_ERROR_HEADER)?
        .split_once(';')
        .filter(|(code, _)| !code.is_empty())
}

/// An awsJson request (see `protocol_operation::request`) that also carries
/// `x-amzn-query-mode: true`.
pub(crate) fn request(
    body: ::std::string::String,
    content_type: &'static str,
    target: &'static str,
) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, BoxError> {
    let mut request = crate::protocol_operation::request(body, content_type, target)?;
    request
        .headers_mut()
        .try_insert(QUERY_MODE_HEADER, "true")?;
    ::std::result::Result::Ok(request)
}

/// Reads an error response as `protocol_operation::read_error` does, then, when
/// `x-amzn-query-error` is present, makes its code the error's `code()` and its type the
/// `type` extra. The code that chooses the modeled error stays the body's; an error
/// response without one is chosen by the header's code.
pub(crate) fn read_error(
    status: u16,
    headers: &::aws_smithy_runtime_api::http::Headers,
    body: &[u8],
) -> ErrorResponse {
    let response = crate::protocol_operation::read_error(status, headers, body);
    let ::std::option::Option::Some((query_code, query_type)) = parse_query_error(headers) else {
        return response;
    };
    let with_query_code = |meta: &ErrorMetadata| {
        let mut builder = ErrorMetadata::builder()
            .code(query_code)
            .custom("type", query_type);
        if let ::std::option::Option::Some(message) = meta.message() {
            builder = builder.message(message);
        }
        ::aws_types::request_id::apply_request_id(builder, headers).build()
    };
    match response {
        ErrorResponse::Coded {
            code,
            message,
            meta,
        } => ErrorResponse::Coded {
            code,
            message,
            meta: with_query_code(&meta),
        },
        ErrorResponse::Unhandled { meta, .. } if meta.code().is_none() => ErrorResponse::Coded {
            code: query_code.to_owned(),
            message: meta.message().map(::std::borrow::ToOwned::to_owned),
            meta: with_query_code(&meta),
        },
        ErrorResponse::Unhandled { source, meta } => ErrorResponse::Unhandled {
            source,
            meta: with_query_code(&meta),
        },
    }
}
