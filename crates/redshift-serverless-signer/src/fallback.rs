//! Everything outside the fast path: `aws_sigv4::http_request::sign` with the settings
//! aws-runtime's `SigV4Signer` uses (`SigningSettings::default()` for a service with
//! default signing options, adjusted by the endpoint's auth-scheme properties).

use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use std::time::SystemTime;

pub(crate) fn sign_with_aws_sigv4(
    request: &mut HttpRequest,
    identity: &Identity,
    time: SystemTime,
    region: &str,
    service: &str,
    settings: SigningSettings,
) -> Result<(), BoxError> {
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()?;
    sign_with(request, &SigningParams::V4(params))
}

/// Signs `request` with `params` (SigV4 or SigV4a) and sets the headers aws-sigv4 asks for.
pub(crate) fn sign_with(
    request: &mut HttpRequest,
    params: &SigningParams<'_>,
) -> Result<(), BoxError> {
    // A body not in memory (a stream) is signed as UNSIGNED-PAYLOAD, as aws-runtime does.
    let body = request
        .body()
        .bytes()
        .map(SignableBody::Bytes)
        .unwrap_or(SignableBody::UnsignedPayload);
    let signable = SignableRequest::new(
        request.method(),
        request.uri(),
        request.headers().iter(),
        body,
    )?;
    let (instructions, _signature) = sign(signable, params)?.into_parts();
    // Header signing never produces query parameters (those are for presigned URLs).
    let (headers, _query) = instructions.into_parts();
    for header in headers {
        let mut value = http::HeaderValue::from_str(header.value())?;
        value.set_sensitive(header.sensitive());
        request.headers_mut().insert(header.name(), value);
    }
    Ok(())
}
