//! Errors: the runtime's `SdkError`, error metadata, and client-side validation.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `error.rs`, after the one item that depends on the model: the re-export of
// the protocol crate's `json_errors::{NoErrorCode, ResponseSummary, UnreadableResponse}`.

pub use crate::response_body::ResponseBody;
pub use ::aws_smithy_runtime_api::box_error::BoxError;
pub use ::aws_smithy_runtime_api::client::result::ConnectorError;
pub use ::aws_smithy_types::error::display::DisplayErrorContext;
pub use ::aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
pub use ::aws_smithy_types::error::operation::BuildError;
pub use ::redshift_serverless_constraints::{ConstraintViolations, Violation};

/// The error every operation returns: a modeled service error `E`, or a failure to
/// construct, dispatch or read the request.
pub type SdkError<E, R = ::aws_smithy_runtime_api::client::orchestrator::HttpResponse> =
    ::aws_smithy_runtime_api::client::result::SdkError<E, R>;

/// A boxed error from any operation, for `?` into one type.
pub type Error = ::std::boxed::Box<
    dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static,
>;

/// Client-side validation failures on an [`SdkError`].
pub trait ConstraintViolationExt {
    /// The violations, when the request was rejected before sending because the
    /// input breaks the model's constraints.
    fn constraint_violations(&self) -> ::std::option::Option<&ConstraintViolations>;
    /// True when the request was rejected by client-side validation.
    fn is_constraint_violation(&self) -> bool {
        self.constraint_violations().is_some()
    }
}

impl<E, R> ConstraintViolationExt for ::aws_smithy_runtime_api::client::result::SdkError<E, R>
where
    E: ::std::error::Error + 'static,
    R: ::std::fmt::Debug,
{
    fn constraint_violations(&self) -> ::std::option::Option<&ConstraintViolations> {
        match self {
            ::aws_smithy_runtime_api::client::result::SdkError::ConstructionFailure(_) => {
                ::std::error::Error::source(self)
                    .and_then(|s| s.downcast_ref::<ConstraintViolations>())
            }
            _ => ::std::option::Option::None,
        }
    }
}
