//! The body of a response the client could not read, kept out of `Debug` and `Display`.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `response_body.rs`; `error.rs` re-exports `ResponseBody` and every
// operation registers `RedactResponseBody`. Nothing here depends on the model.

use ::aws_smithy_runtime_api::box_error::BoxError;
use ::aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextMut;
use ::aws_smithy_runtime_api::client::interceptors::Intercept;
use ::aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use ::aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use ::aws_smithy_types::config_bag::ConfigBag;

/// The body of a response that ended a call in a response error
/// (`SdkError::ResponseError`: a success the client could not read, whose body may hold a
/// token). The runtime's `SdkError` prints its raw response, body included, in `Debug` and
/// in `DisplayErrorContext`; so the client moves the body here, into an extension of that
/// response, where `Debug` shows only its length, and leaves the response's own body
/// empty (taken). Code that needs the bytes asks for them: for an
/// `SdkError::ResponseError(context)`, `ResponseBody::of(context.raw())`.
#[derive(::std::clone::Clone)]
pub struct ResponseBody(::std::vec::Vec<u8>);

impl ResponseBody {
    /// The body of `response`, when the client kept it out of `Debug`.
    pub fn of(response: &HttpResponse) -> ::std::option::Option<&[u8]> {
        response
            .extension::<ResponseBody>()
            .map(|body| body.0.as_slice())
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl ::std::fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::write!(f, "ResponseBody(** redacted: {} bytes **)", self.0.len())
    }
}

/// Moves the body of a response that ends the call in a response error into a
/// [`ResponseBody`] extension, so that no `Debug` of the error prints it. Service errors
/// keep their body: it is the error document the service meant to send.
#[derive(::std::fmt::Debug, ::std::default::Default)]
pub(crate) struct RedactResponseBody;

impl Intercept for RedactResponseBody {
    fn name(&self) -> &'static str {
        "RedactResponseBody"
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> ::std::result::Result<(), BoxError> {
        let response_error = matches!(
            context.output_or_error(),
            ::std::option::Option::Some(::std::result::Result::Err(e)) if e.is_response_error()
        );
        if !response_error {
            return ::std::result::Result::Ok(());
        }
        if let ::std::option::Option::Some(response) = context.response_mut() {
            if let ::std::option::Option::Some(bytes) = response.body().bytes() {
                let body = ResponseBody(bytes.to_vec());
                let _ = response.take_body();
                response.add_extension(body);
            }
        }
        ::std::result::Result::Ok(())
    }
}
