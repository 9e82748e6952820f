//! The fast path: the canonical request streamed into SHA-256, the cached signing key.
//!
//! Every rule here is aws-sigv4's (`http_request::canonical_request`), restricted to the
//! requests for which each rule is simple; [`plan`] returns `None` for the others and the
//! caller hands them to aws-sigv4.

use crate::key::KeyCache;
use hmac::Mac;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// Headers aws-sigv4 never signs (`SigningSettings::default().excluded_headers`).
const UNSIGNED: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// What the fast path needs from a request, checked to be in its domain.
pub(crate) struct Plan<'a> {
    /// The canonical URI: the path, which needs no normalising or encoding.
    path: &'a str,
    /// The `host` value to sign when the request has no `host` header.
    host: &'a str,
}

/// Checks that `uri` is one the fast path signs exactly as aws-sigv4 would.
pub(crate) fn plan(uri: &str) -> Option<Plan<'_>> {
    let (scheme, rest) = uri.split_once("://")?;
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(authority_end);
    // User info, IPv6 literals and anything unusual: let aws-sigv4 parse it.
    if authority.is_empty()
        || !authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
    {
        return None;
    }
    let host = match authority.split_once(':') {
        Some((host, port)) if port == default_port => host,
        Some((_, port)) if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) => {
            return None
        }
        _ => authority,
    };
    // An empty query (`/?`) canonicalises to nothing, like no query at all.
    let path = path_and_query.strip_suffix('?').unwrap_or(path_and_query);
    let path = if path.is_empty() { "/" } else { path };
    let plain = path.starts_with('/')
        && !path.contains("//")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'~'));
    plain.then_some(Plan { path, host })
}

/// SigV4's header value normalisation: spaces (only spaces) trimmed at both ends and runs
/// of them collapsed to one.
fn trim_all(value: &str) -> Cow<'_, str> {
    let value = value.trim_matches(' ');
    if !value.contains("  ") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut previous_space = false;
    for c in value.chars() {
        if !(c == ' ' && previous_space) {
            out.push(c);
        }
        previous_space = c == ' ';
    }
    Cow::Owned(out)
}

/// The values the fast path adds to the request.
pub(crate) struct Signature {
    pub(crate) amz_date: [u8; 16],
    pub(crate) authorization: String,
}

/// What is signed: the request's parts and the signing scope.
pub(crate) struct Request<'a, H> {
    pub(crate) method: &'a str,
    pub(crate) plan: Plan<'a>,
    pub(crate) headers: H,
    pub(crate) body: &'a [u8],
    pub(crate) amz_date: [u8; 16],
    pub(crate) access_key_id: &'a str,
    pub(crate) secret_access_key: &'a str,
    pub(crate) session_token: Option<&'a str>,
    pub(crate) time: std::time::SystemTime,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
}

/// Signs a request in the fast path's domain.
pub(crate) fn sign<'a, H>(req: Request<'a, H>, keys: &KeyCache) -> Signature
where
    H: Iterator<Item = (&'a str, &'a str)>,
{
    let amz_date = std::str::from_utf8(&req.amz_date).unwrap_or_default();
    let date: [u8; 8] = req.amz_date[..8].try_into().unwrap_or_default();

    // The headers to sign. `x-amz-date` always replaces a value already set; so does
    // `x-amz-security-token`, but only when the credentials carry a session token.
    let mut headers: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(12);
    let mut has_host = false;
    for (name, value) in req.headers {
        if UNSIGNED.contains(&name)
            || name == "x-amz-date"
            || (name == "x-amz-security-token" && req.session_token.is_some())
        {
            continue;
        }
        has_host |= name == "host";
        headers.push((name, trim_all(value)));
    }
    if !has_host {
        headers.push(("host", Cow::Borrowed(req.plan.host)));
    }
    headers.push(("x-amz-date", Cow::Borrowed(amz_date)));
    if let Some(token) = req.session_token {
        // Inserted as is: aws-sigv4 does not normalise the token it adds.
        headers.push(("x-amz-security-token", Cow::Borrowed(token)));
    }
    // Stable, so repeated headers keep their order when their values are joined.
    headers.sort_by(|a, b| a.0.cmp(b.0));

    let mut signed_headers = String::with_capacity(160);
    let mut creq = Sha256::new();
    for part in [req.method, "\n", req.plan.path, "\n\n"] {
        creq.update(part.as_bytes());
    }
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(*name) {
            creq.update(b",");
        } else {
            if previous.is_some() {
                creq.update(b"\n");
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
            creq.update(name.as_bytes());
            creq.update(b":");
            previous = Some(name);
        }
        creq.update(value.as_bytes());
    }
    creq.update(b"\n\n");
    creq.update(signed_headers.as_bytes());
    creq.update(b"\n");
    creq.update(hex64(&Sha256::digest(req.body).into()));
    let creq_hash = hex64(&creq.finalize().into());

    let mut scope = String::with_capacity(64);
    for part in [
        &amz_date[..8],
        "/",
        req.region,
        "/",
        req.service,
        "/aws4_request",
    ] {
        scope.push_str(part);
    }
    let mut mac = keys.mac(
        req.secret_access_key,
        &date,
        req.time,
        req.region,
        req.service,
    );
    for part in [
        b"AWS4-HMAC-SHA256\n".as_slice(),
        &req.amz_date,
        b"\n",
        scope.as_bytes(),
        b"\n",
        &creq_hash,
    ] {
        mac.update(part);
    }
    let signature = hex64(&mac.finalize().into_bytes().into());

    let mut authorization = String::with_capacity(
        80 + req.access_key_id.len() + scope.len() + signed_headers.len() + 64,
    );
    for part in [
        "AWS4-HMAC-SHA256 Credential=",
        req.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        std::str::from_utf8(&signature).unwrap_or_default(),
    ] {
        authorization.push_str(part);
    }
    Signature {
        amz_date: req.amz_date,
        authorization,
    }
}

/// Lowercase hex of a SHA-256 digest, on the stack.
fn hex64(digest: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_all_matches_sigv4() {
        assert_eq!(trim_all("  a  b   c  "), "a b c");
        assert_eq!(trim_all("a\t\tb"), "a\t\tb");
        assert_eq!(trim_all("   "), "");
        assert!(matches!(trim_all("plain value"), Cow::Borrowed(_)));
    }

    #[test]
    fn plan_accepts_only_what_needs_no_normalising() {
        let p = plan("https://redshift-serverless.us-east-1.amazonaws.com/").expect("plain");
        assert_eq!(
            (p.host, p.path),
            ("redshift-serverless.us-east-1.amazonaws.com", "/")
        );
        let p = plan("http://127.0.0.1:8080").expect("no path");
        assert_eq!((p.host, p.path), ("127.0.0.1:8080", "/"));
        let p = plan("https://h:443/a/b?").expect("default port, empty query");
        assert_eq!((p.host, p.path), ("h", "/a/b"));
        for other in [
            "https://h/?a=b",
            "https://h/a/./b",
            "https://h//a",
            "https://h/a%20b",
            "https://user@h/",
            "https://[::1]:8080/",
            "ftp://h/",
            "HTTPS://h/",
            "https://h:/",
            "https://h/#frag",
            "h/",
        ] {
            assert!(plan(other).is_none(), "{other}");
        }
    }
}
