//! `--no-sign-request`: the request goes out without a signature, as the AWS CLI sends it.
//!
//! The client signs every request with SigV4 (the model's only auth scheme), so under this
//! flag it is given a placeholder key instead of looking up credentials (none need exist, as
//! with the AWS CLI), and [`Unsigned`] takes the signature's headers off the request after
//! signing, before it is sent: what reaches the network carries no `Authorization`,
//! `X-Amz-Date`, `X-Amz-Security-Token` or `X-Amz-Content-Sha256`, as botocore's unsigned
//! requests carry none.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use redshift_serverless_client::config::Credentials;

/// The headers SigV4 adds, removed from an unsigned request.
pub const SIGNATURE_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// The key the client signs with before [`Unsigned`] takes the signature off: never sent.
pub fn placeholder_credentials() -> Credentials {
    Credentials::new(
        "NO-SIGN-REQUEST",
        "no-sign-request",
        None,
        None,
        "--no-sign-request",
    )
}

/// Removes the signature's headers from each attempt's request before it is sent.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unsigned;

impl Intercept for Unsigned {
    fn name(&self) -> &'static str {
        "NoSignRequest"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let headers = context.request_mut().headers_mut();
        for name in SIGNATURE_HEADERS {
            headers.remove(name);
        }
        Ok(())
    }
}
