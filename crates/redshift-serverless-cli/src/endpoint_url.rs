//! Checking an endpoint URL before anything uses it.
//!
//! The runtime asserts on some malformed endpoints (an empty one panicked in
//! aws-smithy-types), and a URL the HTTP client cannot send ends as a dump of the request.
//! So every override is checked here first: an `http` or `https` scheme, a host, a port
//! that fits, and nothing the URI parser refuses. The message is the AWS CLI's.
//!
//! An endpoint URL with a path (`http://host/some/path`) is sent to as the AWS CLI sends to it,
//! `POST /some/path`: the client library joins the path to the operation's `/` as the official
//! Rust crate does (`POST /some/path/`, pinned in `tests/tests/differential_requests.rs`), and
//! [`PathAsWritten`] gives the request botocore's path back before it is sent.
//!
//! A URL may carry a password (`https://user:secret@host/`), which the request never uses:
//! every URL this command prints, in a message or the `--debug` log, has its user
//! information replaced by `****` ([`redact_userinfo`]).

use std::borrow::Cow;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::escape::escape_controls;
use crate::failure::Failure;

/// What replaces the user information (`user:password@`) of a URL that is printed.
pub const REDACTED_USERINFO: &str = "****";

/// `text` with the user information of every `scheme://user:password@host` in it replaced by
/// [`REDACTED_USERINFO`]; borrowed when there is none. The authority ends at the first `/`,
/// `?`, `#`, quote, `>`, or whitespace, and the user information at its last `@`.
pub fn redact_userinfo(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find("://") {
        let start = search + found + 3;
        let authority_len = text[start..]
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '>' | '<') || c.is_whitespace()
            })
            .unwrap_or(text.len() - start);
        let authority = &text[start..start + authority_len];
        if let Some(at) = authority.rfind('@') {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED_USERINFO);
            copied = start + at;
        }
        search = start + authority_len;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The path of an endpoint URL that botocore sends as written where the client library adds
/// a slash: one that is neither empty nor `/` and does not end with `/`.
pub fn path_as_written(url: &str) -> Option<PathAsWritten> {
    let uri = url.parse::<http::Uri>().ok()?;
    let path = uri.path();
    (!path.is_empty() && !path.ends_with('/')).then(|| PathAsWritten(path.to_owned()))
}

/// Sends an operation to its endpoint URL's path as botocore does: `/some/path`, not the
/// client library's `/some/path/` (botocore's `_urljoin` keeps the endpoint's path when the
/// operation's is `/`, which every awsJson operation's is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAsWritten(String);

impl PathAsWritten {
    /// The request URI `uri` with its path as written, when the library added the slash.
    pub fn rewrite(&self, uri: &str) -> Option<String> {
        let parsed = uri.parse::<http::Uri>().ok()?;
        if parsed.path().strip_suffix('/') != Some(self.0.as_str()) {
            return None;
        }
        let scheme = parsed.scheme_str()?;
        let authority = parsed.authority()?;
        let query = parsed.query().map(|q| format!("?{q}")).unwrap_or_default();
        Some(format!("{scheme}://{authority}{}{query}", self.0))
    }
}

impl Intercept for PathAsWritten {
    fn name(&self) -> &'static str {
        "EndpointPathAsWritten"
    }

    // Before signing: the signature covers the path, which the service checks against the
    // path it receives.
    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = self.rewrite(request.uri()) {
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

/// What is wrong with `url`, in the AWS CLI's words, or nothing.
pub fn problem(url: &str) -> Option<&'static str> {
    let Some((scheme, _)) = url.split_once("://") else {
        return Some("scheme is missing");
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return Some("scheme must be http or https");
    }
    let Ok(uri) = url.parse::<http::Uri>() else {
        return Some("it is not a valid URL");
    };
    let authority = uri.authority()?;
    if authority.host().is_empty() {
        return Some("host is missing");
    }
    // After an IPv6 literal's `]`, or the whole authority: a `:` starts the port, which the
    // URI parser accepts whatever its digits.
    let tail = authority.as_str().rsplit(']').next().unwrap_or_default();
    match tail.rsplit_once(':') {
        Some((_, port)) if port.parse::<u16>().is_err() => {
            Some("the port is not a number from 0 to 65535")
        }
        _ => None,
    }
}

fn sentence(url: &str, reason: &str) -> String {
    format!(
        "\"{}\": {reason}.  Must be of the form http://<hostname>/ or https://<hostname>/",
        escape_controls(&redact_userinfo(url))
    )
}

/// `--endpoint-url`: a usage error (exit 252).
pub fn check_flag(url: &str) -> Result<(), Failure> {
    match problem(url) {
        None => Ok(()),
        Some(reason) => Err(Failure::InvalidParameters(format!(
            "Bad value for --endpoint-url {}",
            sentence(url, reason)
        ))),
    }
}

/// An endpoint URL from `source` (an environment variable or a profile setting): a
/// configuration error (exit 253). aws-config only logs a malformed one and drops it, which
/// would send the request to the Region's real endpoint instead of the one the user meant.
pub fn check_configured(source: &str, url: &str) -> Result<(), Failure> {
    match problem(url) {
        None => Ok(()),
        Some(reason) => Err(Failure::Configuration(format!(
            "Bad value for {source} {}",
            sentence(url, reason)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let cases: &[(&str, Option<&str>)] = &[
            ("http://127.0.0.1:4566", None),
            ("https://redshift-serverless.us-east-1.amazonaws.com", None),
            ("HTTPS://example.com/base/path", None),
            ("http://[::1]:8080/", None),
            ("", Some("scheme is missing")),
            ("notaurl", Some("scheme is missing")),
            ("127.0.0.1:4566", Some("scheme is missing")),
            ("ftp://example.com", Some("scheme must be http or https")),
            ("://example.com", Some("scheme must be http or https")),
            ("http://", Some("it is not a valid URL")),
            ("http:///path", Some("it is not a valid URL")),
            ("http://:80", Some("host is missing")),
            ("http://a b", Some("it is not a valid URL")),
            (
                "http://host:99999",
                Some("the port is not a number from 0 to 65535"),
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(problem(url), *expected, "{url:?}");
        }
    }

    #[test]
    fn user_information_is_redacted_wherever_a_url_is() {
        let cases: &[(&str, &str)] = &[
            ("http://127.0.0.1:9/", "http://127.0.0.1:9/"),
            (
                "http://user:s3cr3t@127.0.0.1:9/",
                "http://****@127.0.0.1:9/",
            ),
            ("https://token@host", "https://****@host"),
            ("https://a:b@c@host:1?x#y", "https://****@host:1?x#y"),
            (
                "to \"http://u:p@h/\" and http://v:q@k:2 then mailto:a@b",
                "to \"http://****@h/\" and http://****@k:2 then mailto:a@b",
            ),
            ("http://host/path@x", "http://host/path@x"),
            ("no url at all", "no url at all"),
            ("://@", "://****@"),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_userinfo(text), *expected, "{text:?}");
        }
        assert!(matches!(redact_userinfo("http://h/"), Cow::Borrowed(_)));
    }

    #[test]
    fn messages() {
        let flag = check_flag("").err().map(|f| (f.exit_code(), f.to_string()));
        assert_eq!(
            flag,
            Some((
                252,
                "Bad value for --endpoint-url \"\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/".to_owned()
            ))
        );
        let configured = check_configured("AWS_ENDPOINT_URL", "x\u{1b}")
            .err()
            .map(|f| (f.exit_code(), f.to_string()));
        assert_eq!(
            configured,
            Some((
                253,
                "Bad value for AWS_ENDPOINT_URL \"x\\u{1b}\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/".to_owned()
            ))
        );
    }

    /// botocore's `_urljoin` for the operation path `/`: the endpoint's path as written, or
    /// `/` when it has none.
    #[test]
    fn endpoint_paths_as_botocore_joins_them() {
        for (endpoint, sent_by_library, sent) in [
            ("http://h:1", "http://h:1/", "http://h:1/"),
            ("http://h:1/", "http://h:1/", "http://h:1/"),
            (
                "http://h:1/some/path",
                "http://h:1/some/path/",
                "http://h:1/some/path",
            ),
            (
                "http://h:1/some/path/",
                "http://h:1/some/path/",
                "http://h:1/some/path/",
            ),
            ("https://h/a", "https://h/a/?x=1", "https://h/a?x=1"),
        ] {
            let got = match path_as_written(endpoint) {
                Some(rule) => rule
                    .rewrite(sent_by_library)
                    .unwrap_or(sent_by_library.to_owned()),
                None => sent_by_library.to_owned(),
            };
            assert_eq!(got, sent, "{endpoint}");
        }
        // Only the slash the library added goes: another path is left alone.
        let rule = path_as_written("http://h/a");
        assert_eq!(rule.and_then(|r| r.rewrite("http://h/b/")), None);
    }
}
