//! One comparable shape for what either client returned.

/// What a call produced, reduced to the parts both crates must agree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The operation succeeded.
    Success {
        /// `token`.
        token: Option<String>,
        /// `expirationTime` as (seconds, nanoseconds).
        expiration: Option<(i64, u32)>,
        /// `x-amzn-requestid`.
        request_id: Option<String>,
    },
    /// The service (or a response that could not be read) produced an operation error.
    Service {
        /// The variant name, `Unhandled` for anything unmodeled.
        variant: &'static str,
        /// `ProvideErrorMetadata::code`.
        code: Option<String>,
        /// `ProvideErrorMetadata::message`.
        message: Option<String>,
        /// The modeled shape's own `message` member (None for `Unhandled`).
        shape_message: Option<String>,
        /// `RequestId::request_id`.
        request_id: Option<String>,
    },
    /// No operation error: construction, dispatch, timeout or response failure.
    Other {
        /// Which `SdkError` variant.
        kind: &'static str,
    },
}

impl Outcome {
    /// The error code, if this is a service error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Outcome::Service { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The variant name, if this is a service error.
    pub fn variant(&self) -> Option<&'static str> {
        match self {
            Outcome::Service { variant, .. } => Some(variant),
            _ => None,
        }
    }
}

/// The name of an `SdkError` variant that carries no operation error.
pub fn sdk_error_kind<E, R>(
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> &'static str {
    use aws_smithy_runtime_api::client::result::SdkError;
    match err {
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        SdkError::TimeoutError(_) => "TimeoutError",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ServiceError(_) => "ServiceError",
        _ => "Unknown",
    }
}

// The two crates have the same API but distinct types, so one body is instantiated twice
// (which also checks, at compile time, that the API really is the same).
macro_rules! normalise {
    ($name:ident, $sdk:ident) => {
        /// Reduces a call result of this crate to an [`Outcome`].
        pub fn $name(
            result: Result<
                $sdk::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenOutput,
                aws_smithy_runtime_api::client::result::SdkError<
                    $sdk::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError,
                    aws_smithy_runtime_api::client::orchestrator::HttpResponse,
                >,
            >,
        ) -> Outcome {
            use $sdk::error::ProvideErrorMetadata;
            use $sdk::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError as E;
            use $sdk::operation::RequestId;
            let own = |s: Option<&str>| s.map(str::to_string);
            match result {
                Ok(o) => Outcome::Success {
                    token: own(o.token()),
                    expiration: o.expiration_time().map(|t| (t.secs(), t.subsec_nanos())),
                    request_id: own(o.request_id()),
                },
                Err(aws_smithy_runtime_api::client::result::SdkError::ServiceError(se)) => {
                    let e = se.err();
                    let (variant, shape_message) = match e {
                        E::AccessDeniedException(x) => ("AccessDeniedException", own(x.message())),
                        E::ConflictException(x) => ("ConflictException", Some(x.message().to_string())),
                        E::DryRunException(x) => ("DryRunException", Some(x.message().to_string())),
                        E::InternalServerException(x) => {
                            ("InternalServerException", Some(x.message().to_string()))
                        }
                        E::ResourceNotFoundException(x) => {
                            ("ResourceNotFoundException", Some(x.message().to_string()))
                        }
                        E::ThrottlingException(x) => ("ThrottlingException", own(x.message())),
                        E::ValidationException(x) => ("ValidationException", Some(x.message().to_string())),
                        _ => ("Unhandled", None),
                    };
                    Outcome::Service {
                        variant,
                        code: own(e.code()),
                        message: own(ProvideErrorMetadata::message(e)),
                        shape_message,
                        request_id: own(e.request_id()),
                    }
                }
                Err(other) => Outcome::Other {
                    kind: sdk_error_kind(&other),
                },
            }
        }
    };
}

normalise!(from_ours, redshift_serverless_client);
normalise!(from_official, aws_sdk_redshiftserverless);
