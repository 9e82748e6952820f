//! SigV4 request signing for the generated client, with the signing key derived once a day.
//!
//! # Why this crate exists
//!
//! aws-runtime's `SigV4Signer` calls `aws_sigv4::http_request::sign` for every request, which
//! derives the signing key afresh (four chained HMAC-SHA256s over the secret, the date, the
//! region and the service) and builds the canonical request as several owned strings. On
//! this client's requests that is about a third of all the instructions a call spends. The
//! key only changes when the secret or the UTC date does, so [`RequestSigner`] keeps the last
//! one, already loaded into an HMAC state, and streams the canonical request straight into
//! the SHA-256 hasher.
//!
//! # What is signed here and what is handed to aws-sigv4
//!
//! The fast path covers the requests an awsJson client sends: `http` or `https`, a path
//! that SigV4 leaves as it is (it starts with `/`, and has only unreserved characters and
//! single slashes: no `.` segments to remove, nothing to percent-encode), no query string,
//! and a body in memory. It applies aws-sigv4's rules
//! with aws-sigv4's default settings, exactly as aws-runtime configures them for this
//! service: the same headers left unsigned (`authorization`, `user-agent`,
//! `x-amzn-trace-id`, `transfer-encoding`), values trimmed and inner runs of spaces
//! collapsed, repeated headers joined with `,`, `host` from the URI without a default port,
//! `x-amz-date` and `x-amz-security-token` replacing any value already set, the payload
//! hashed into the canonical request but not sent as a header.
//!
//! Every other request is signed by `aws_sigv4::http_request::sign` with those same
//! settings. The property test in `tests/oracle.rs` checks that the two paths produce the
//! same headers, byte for byte, over generated methods, URIs, headers, bodies, times and
//! credentials, and which path each request took.
//!
//! A time before 1970 or after 9999 is refused with an error (aws-sigv4 would panic
//! formatting the year).
//!
//! # Clock skew
//!
//! The signer signs at `time_source.now()` shifted by the [`SigningClockSkew`] in the
//! config bag, when there is one. `redshift-serverless-retry`'s `ClockSkewInterceptor`
//! measures the skew from each response's `Date` header and stores it there, so a request
//! rejected because the local clock is wrong is retried with a corrected signature.
//!
//! # SigV4a
//!
//! With the `sigv4a` feature (off by default: it brings the P-256 crates), [`SigV4aAuthScheme`]
//! signs with aws-sigv4's SigV4a for the generated clients whose model offers
//! `aws.auth#sigv4a`; their manifests turn the feature on.
//!
//! # Secrets
//!
//! The cached key entry keeps a copy of the secret access key (to notice when credentials
//! change) in zeroised memory; neither it nor the key appears in `Debug` output or logs.

mod date;
mod fallback;
mod fast;
mod key;
mod scheme;
#[cfg(feature = "sigv4a")]
mod sigv4a;
mod skew;

pub use scheme::{RequestSigner, SigV4AuthScheme, SigningPath, SCHEME_ID};
#[cfg(feature = "sigv4a")]
pub use sigv4a::{SigV4aAuthScheme, SigV4aSigner, SIGV4A_SCHEME_ID};
pub use skew::SigningClockSkew;
