//! What a caller gets when the cache has no token good enough to hand out.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use redshift_serverless_client::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError;
use redshift_serverless_constraints::ConstraintViolations;
use redshift_serverless_retry::{
    classify, classify_body_error, classify_connector_error, AttemptOutcome, ErrorResponse,
    MeasuredClockSkew, ModeledErrors, RetryPolicy, TransportFailure, Verdict, RETRY_AFTER_HEADER,
};

/// The error returned by the operation, as the client reports it.
pub type ServiceError = SdkError<GetIdentityCenterAuthTokenError, HttpResponse>;

/// Why [`TokenCache::token`](crate::TokenCache::token) returned no token.
///
/// Cheap to clone: one failed refresh is reported to every caller that waited for it, so the
/// heavy parts are shared behind `Arc`s.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// The workgroup list breaks the model's constraints. Nothing was sent.
    Validation(Arc<ConstraintViolations>),
    /// The request failed (after the client's own retries), with the retry crate's verdict on
    /// whether trying again later can help.
    Service {
        /// The client's error.
        source: Arc<ServiceError>,
        /// Classification by `redshift_serverless_retry::classify`.
        verdict: Verdict,
    },
    /// The service answered 200 but the response lacked a member the cache needs.
    MalformedResponse {
        /// The missing or unusable member.
        missing: &'static str,
    },
    /// The new token expires within the configured margin, so handing it out would break the
    /// cache's promise. Usually a misconfigured margin or a badly wrong local clock.
    ExpiresTooSoon {
        /// Expiry of the token the service sent.
        expires_at: SystemTime,
        /// The margin it had to exceed.
        margin: Duration,
    },
}

impl TokenError {
    pub(crate) fn from_sdk(error: ServiceError) -> Self {
        let verdict = verdict_of(&error);
        Self::Service {
            source: Arc::new(error),
            verdict,
        }
    }

    /// The retry crate's verdict: whether a later attempt could succeed.
    pub fn verdict(&self) -> Verdict {
        match self {
            Self::Validation(_) => Verdict::Forbid {
                reason: "input breaks the model's constraints",
            },
            Self::Service { verdict, .. } => *verdict,
            // A well-formed service does not do this; another attempt may get a good answer.
            Self::MalformedResponse { .. } => Verdict::Retry {
                kind: redshift_serverless_retry::RetryKind::Server,
                retry_after: None,
                reason: "response lacked a token or an expiration",
            },
            Self::ExpiresTooSoon { .. } => Verdict::Forbid {
                reason: "issued token expires within the margin",
            },
        }
    }

    /// Shorthand for `self.verdict().is_retry()`.
    pub fn is_retryable(&self) -> bool {
        self.verdict().is_retry()
    }

    /// The constraint violations, for [`TokenError::Validation`].
    pub fn constraint_violations(&self) -> Option<&ConstraintViolations> {
        match self {
            Self::Validation(v) => Some(v),
            _ => None,
        }
    }

    /// The modeled service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&GetIdentityCenterAuthTokenError> {
        match self {
            Self::Service { source, .. } => source.as_service_error(),
            _ => None,
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(v) => write!(f, "invalid workgroup list: {v}"),
            Self::Service { source, verdict } => {
                let detail = aws_smithy_types::error::display::DisplayErrorContext(&**source);
                write!(f, "GetIdentityCenterAuthToken failed ({verdict}): {detail}")
            }
            Self::MalformedResponse { missing } => {
                write!(
                    f,
                    "GetIdentityCenterAuthToken response has no usable `{missing}`"
                )
            }
            Self::ExpiresTooSoon { margin, .. } => write!(
                f,
                "the issued token expires within the required margin of {}s",
                margin.as_secs()
            ),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Validation(v) => Some(&**v),
            Self::Service { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// Runs the retry crate's classifier over a finished call. The client has already spent its
/// own retries; the verdict here tells the cache's caller whether a *later* call may succeed.
fn verdict_of(error: &ServiceError) -> Verdict {
    let policy = RetryPolicy::default();
    let outcome = match error {
        SdkError::ServiceError(ctx) => {
            let code = ctx.err().code();
            let raw = ctx.raw();
            AttemptOutcome::Response(ErrorResponse {
                status: raw.status().as_u16(),
                code,
                retry_after: raw.headers().get(RETRY_AFTER_HEADER),
                clock_skew: raw.extension::<MeasuredClockSkew>().map(|m| m.0),
            })
        }
        SdkError::DispatchFailure(failure) => match failure.as_connector_error() {
            Some(connector) => AttemptOutcome::Transport(classify_connector_error(connector)),
            None => AttemptOutcome::Transport(TransportFailure::Unknown),
        },
        SdkError::TimeoutError(_) => AttemptOutcome::Transport(TransportFailure::AttemptTimeout),
        // The SdkError's source is the response error's own: what stopped the body.
        SdkError::ResponseError(_) => AttemptOutcome::Transport(
            std::error::Error::source(error)
                .map_or(TransportFailure::ResponseBodyRead, classify_body_error),
        ),
        // Construction failures (missing region or credentials, for example) and anything
        // newer than this code: a later call fails the same way.
        _ => AttemptOutcome::Transport(TransportFailure::User),
    };
    let errors = ModeledErrors::new(
        GetIdentityCenterAuthTokenError::MODELED_ERROR_CODES,
        GetIdentityCenterAuthTokenError::RETRYABLE_ERRORS,
    );
    classify(&outcome, &errors, &policy)
}
