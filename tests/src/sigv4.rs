//! An independent SigV4 check of a captured request: the signature is recomputed with
//! `aws-sigv4` over exactly the headers the client listed in `SignedHeaders`.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::capture::Captured;

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// `<key>/<date>/<region>/<service>/aws4_request`.
    pub credential: String,
    /// The credential scope: `<date>/<region>/<service>/aws4_request`.
    pub scope: String,
    /// Signed header names, as listed.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses an `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not an AWS4-HMAC-SHA256 authorization")?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("bad authorization component {part:?}")),
        }
    }
    let credential = credential.ok_or("no Credential")?;
    let scope = credential
        .split_once('/')
        .map(|(_, s)| s.to_string())
        .ok_or("credential without scope")?;
    Ok(Authorization {
        credential: credential.to_string(),
        scope,
        signed_headers: signed
            .ok_or("no SignedHeaders")?
            .split(';')
            .map(str::to_string)
            .collect(),
        signature: signature.ok_or("no Signature")?.to_string(),
    })
}

/// Parses `YYYYMMDDTHHMMSSZ`: the emulator's parser, which reads it with
/// `aws_smithy_types::DateTime` (one implementation of the format in the workspace besides
/// the signer's writer).
pub use redshift_serverless_emulator::parse_amz_date;

/// Recomputes the signature of `req` with the given secret and checks it matches.
pub fn verify(
    req: &Captured,
    access_key: &str,
    secret: &str,
    session_token: Option<&str>,
    region: &str,
    service: &str,
) -> Result<(), String> {
    let auth = parse_authorization(req.header("authorization").ok_or("no Authorization")?)?;
    let amz_date = req.header("x-amz-date").ok_or("no x-amz-date")?;
    let time = parse_amz_date(amz_date).ok_or("bad x-amz-date")?;
    let expected_scope = format!("{}/{region}/{service}/aws4_request", &amz_date[..8]);
    if auth.scope != expected_scope || !auth.credential.starts_with(&format!("{access_key}/")) {
        return Err(format!(
            "credential {} is not {expected_scope}",
            auth.credential
        ));
    }
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let mut any = false;
        for (k, v) in req.headers.iter().filter(|(k, _)| k == name) {
            signed.push((k, v));
            any = true;
        }
        if !any {
            return Err(format!("signed header {name} is missing"));
        }
    }
    let signable = SignableRequest::new(
        &req.method,
        &req.path,
        signed.into_iter(),
        SignableBody::Bytes(&req.body),
    )
    .map_err(|e| e.to_string())?;
    let mut settings = SigningSettings::default();
    // Sign exactly what the client listed.
    settings.excluded_headers = None;
    let identity: Identity = Credentials::new(
        access_key,
        secret,
        session_token.map(str::to_string),
        None,
        "conformance",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let expected = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts()
        .1;
    if expected == auth.signature {
        Ok(())
    } else {
        Err("signature does not verify".into())
    }
}
