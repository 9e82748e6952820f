//! SigV4 verification: recompute the signature the client should have produced and compare.
//!
//! The canonical request is rebuilt by `aws-sigv4` itself from a request that contains only
//! the headers the client listed in `SignedHeaders`, so whatever a client chooses to sign
//! (the official SDK signs `x-amz-user-agent`, `amz-sdk-invocation-id`, ...) is honoured.
//!
//! `aws-sigv4` logs the request it signs at TRACE, session token included, so it runs
//! with its events silenced: the emulator's logs never carry a session token or a
//! signature, at any level. What the check concluded is logged here instead, without them.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::AccessKey;
use crate::error::{ErrorKind, ServiceError};
use crate::time::{distance, format_amz_date, parse_amz_date};

/// The signing name of the service.
pub const SIGNING_NAME: &str = "redshift-serverless";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The pieces of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq)]
struct AuthHeader<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn incomplete(msg: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::IncompleteSignatureException, msg)
}

fn invalid(msg: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::InvalidSignatureException, msg)
}

fn unrecognized() -> ServiceError {
    ServiceError::new(
        ErrorKind::UnrecognizedClientException,
        "The security token included in the request is invalid.",
    )
}

const MISMATCH: &str = "The request signature we calculated does not match the signature you \
    provided. Check your AWS Secret Access Key and signing method.";

fn parse_auth(value: &str) -> Result<AuthHeader<'_>, ServiceError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with(' '))
        .ok_or_else(|| {
            incomplete(format!(
                "Authorization header must use the {ALGORITHM} algorithm."
            ))
        })?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        let Some((k, v)) = part.split_once('=') else {
            return Err(incomplete(format!(
                "Authorization header component is not a key=value pair: '{}'",
                k_only(part)
            )));
        };
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let credential = credential
        .ok_or_else(|| incomplete("Authorization header requires 'Credential' parameter."))?;
    let signed = signed
        .ok_or_else(|| incomplete("Authorization header requires 'SignedHeaders' parameter."))?;
    let signature = signature
        .ok_or_else(|| incomplete("Authorization header requires 'Signature' parameter."))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(
            "Credential must have the form <key id>/<date>/<region>/<service>/aws4_request.",
        ));
    };
    Ok(AuthHeader {
        access_key_id,
        date,
        region,
        service,
        terminator,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// Never echo a signature or other long value back: only a short prefix of a bad component.
fn k_only(part: &str) -> String {
    part.chars().take(20).collect()
}

/// Hex SHA-256 of the payload.
pub(crate) fn payload_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// What a signature is checked against.
#[derive(Debug)]
pub(crate) struct Verifier<'a> {
    pub(crate) keys: &'a [AccessKey],
    pub(crate) region: &'a str,
    pub(crate) now: SystemTime,
    pub(crate) max_skew: Duration,
}

/// Checks the request's SigV4 signature; on success returns the caller's access key id.
pub(crate) fn verify(
    v: &Verifier<'_>,
    method: &http::Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, ServiceError> {
    let Verifier {
        keys,
        region,
        now,
        max_skew,
    } = *v;
    let Some(auth) = headers.get(http::header::AUTHORIZATION) else {
        return Err(ServiceError::new(
            ErrorKind::MissingAuthenticationTokenException,
            "Missing Authentication Token",
        ));
    };
    if headers.get_all(http::header::AUTHORIZATION).iter().count() > 1 {
        return Err(incomplete("Only one Authorization header is allowed."));
    }
    let auth = auth
        .to_str()
        .map_err(|_| incomplete("Authorization header is not valid ASCII."))?;
    let auth = parse_auth(auth)?;

    let key = keys
        .iter()
        .find(|k| k.access_key_id == auth.access_key_id)
        .ok_or_else(unrecognized)?;

    // Only x-amz-date is supported as the signing time (no `Date` fallback).
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            incomplete("Authorization header requires existence of an 'X-Amz-Date' header.")
        })?;
    let signed_at = parse_amz_date(amz_date)
        .ok_or_else(|| incomplete(format!("Invalid X-Amz-Date value: '{}'.", k_only(amz_date))))?;
    if distance(now, signed_at) > max_skew {
        let mins = max_skew.as_secs() / 60;
        let msg = if signed_at < now {
            format!(
                "Signature expired: {} is now earlier than {} ({} - {mins} min.)",
                format_amz_date(signed_at),
                format_amz_date(now - max_skew),
                format_amz_date(now),
            )
        } else {
            format!(
                "Signature not yet current: {} is still later than {} ({} + {mins} min.)",
                format_amz_date(signed_at),
                format_amz_date(now + max_skew),
                format_amz_date(now),
            )
        };
        return Err(invalid(msg));
    }
    if auth.date != &amz_date[..8] {
        return Err(invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
            k_only(auth.date),
            &amz_date[..8]
        )));
    }
    if auth.region != region {
        return Err(invalid(format!(
            "Credential should be scoped to a valid region, not '{}'. Expected '{region}'.",
            k_only(auth.region)
        )));
    }
    if auth.service != SIGNING_NAME {
        return Err(invalid(format!(
            "Credential should be scoped to correct service: '{SIGNING_NAME}'."
        )));
    }
    if auth.terminator != "aws4_request" {
        return Err(invalid(
            "Credential should be scoped with a valid terminator: 'aws4_request'.",
        ));
    }
    for required in ["host", "x-amz-date"] {
        if !auth.signed_headers.contains(&required) {
            return Err(invalid(format!(
                "'{required}' must be a signed header. {MISMATCH}"
            )));
        }
    }

    let sent_token = headers.get("x-amz-security-token");
    match (&key.session_token, sent_token) {
        (None, None) => {}
        (Some(expected), Some(sent)) => {
            if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
                return Err(unrecognized());
            }
            if !auth.signed_headers.contains(&"x-amz-security-token") {
                return Err(invalid(format!(
                    "'x-amz-security-token' must be a signed header. {MISMATCH}"
                )));
            }
        }
        // A temporary key used without its token, or a token with a long-term key.
        _ => return Err(unrecognized()),
    }

    if let Some(declared) = headers.get("x-amz-content-sha256") {
        if declared.as_bytes() != payload_hash(body).as_bytes() {
            return Err(invalid(
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ));
        }
    }

    // The request as the client claims to have signed it: just the listed headers, each
    // once. A second copy of a signed header (an `x-amz-date` appended after signing, say)
    // is refused as AWS refuses it, whatever the signer would make of the pair.
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let mut values = headers.get_all(*name).iter();
        let first = values.next();
        if values.next().is_some() {
            return Err(invalid(format!(
                "Header '{}' appears more than once; a signed header must appear once. {MISMATCH}",
                k_only(name)
            )));
        }
        let any = first.is_some();
        if let Some(v) = first {
            let v = v.to_str().map_err(|_| invalid(MISMATCH))?;
            signed.push((name, v));
        }
        if !any {
            return Err(invalid(format!(
                "Header '{}' is listed in SignedHeaders but missing from the request. {MISMATCH}",
                k_only(name)
            )));
        }
    }
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let signable = SignableRequest::new(
        method.as_str(),
        path_and_query,
        signed.into_iter(),
        SignableBody::Bytes(body),
    )
    .map_err(|_| invalid(MISMATCH))?;

    let mut settings = SigningSettings::default();
    // Sign exactly what the client listed, even headers the signer would normally skip.
    settings.excluded_headers = None;
    let identity: Identity = Credentials::new(
        key.access_key_id.clone(),
        key.secret_access_key.clone(),
        key.session_token.clone(),
        None,
        "redshift-serverless-emulator",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SIGNING_NAME)
        .time(signed_at)
        .settings(settings)
        .build()
        .map_err(|_| invalid(MISMATCH))?
        .into();
    let signed =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::new(), || {
            sign(signable, &params)
        });
    let expected = signed.map_err(|_| invalid(MISMATCH))?.into_parts().1;

    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(key.access_key_id.clone())
    } else {
        tracing::debug!(
            access_key_id = %key.access_key_id,
            signed_headers = ?auth.signed_headers,
            "signature mismatch"
        );
        Err(invalid(MISMATCH))
    }
}

/// Signs `request` for this service the way an AWS SDK would (host, `x-amz-date`,
/// `x-amz-security-token` and every header already on the request), for tests and tools
/// that talk to the emulator without an SDK. `request` must have an absolute URI.
pub fn sign_request(
    request: &mut http::Request<Vec<u8>>,
    key: &AccessKey,
    region: &str,
    time: SystemTime,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let identity: Identity = Credentials::new(
        key.access_key_id.clone(),
        key.secret_access_key.clone(),
        key.session_token.clone(),
        None,
        "redshift-serverless-emulator",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SIGNING_NAME)
        .time(time)
        .settings(SigningSettings::default())
        .build()?
        .into();
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .map(|(k, v)| Ok((k.as_str(), v.to_str()?)))
        .collect::<Result<_, http::header::ToStrError>>()?;
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )?;
    let (instructions, _) = sign(signable, &params)?.into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sdk_style_header() {
        let h = "AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/redshift-serverless/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc";
        let a = parse_auth(h).unwrap();
        assert_eq!(a.access_key_id, "AKID");
        assert_eq!(a.signed_headers, ["content-type", "host", "x-amz-date"]);
        assert_eq!(a.signature, "abc");
        for bad in [
            "AWS4-HMAC-SHA256",
            "Basic abc",
            "AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, Signature=x",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host",
            "AWS4-HMAC-SHA256 Credential",
        ] {
            assert_eq!(
                parse_auth(bad).unwrap_err().kind,
                ErrorKind::IncompleteSignatureException,
                "{bad}"
            );
        }
    }

    #[test]
    fn sign_then_verify_round_trip() {
        let key = AccessKey::new("AKID", "secret").with_session_token("tok");
        let now = parse_amz_date("20261128T050000Z").unwrap();
        let mut req = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:9/")
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "RedshiftServerless.GetIdentityCenterAuthToken",
            )
            .body(b"{}".to_vec())
            .unwrap();
        sign_request(&mut req, &key, "us-east-1", now).unwrap();
        req.headers_mut()
            .insert("host", http::HeaderValue::from_static("127.0.0.1:9"));
        let keys = [key];
        let check = |body: &[u8], region: &str, now: SystemTime| {
            let v = Verifier {
                keys: &keys,
                region,
                now,
                max_skew: Duration::from_secs(900),
            };
            verify(&v, req.method(), &"/".parse().unwrap(), req.headers(), body)
        };
        assert_eq!(check(b"{}", "us-east-1", now).unwrap(), "AKID");
        assert_eq!(
            check(b"{ }", "us-east-1", now).unwrap_err().message,
            MISMATCH
        );
        assert!(check(b"{}", "us-west-2", now)
            .unwrap_err()
            .message
            .contains("region"));
        let late = now + Duration::from_secs(901);
        assert!(check(b"{}", "us-east-1", late)
            .unwrap_err()
            .message
            .starts_with("Signature expired"));
    }
}
