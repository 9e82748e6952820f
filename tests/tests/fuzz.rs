//! Fuzzing of every function that reads network input: the response deserialisers, the
//! error-metadata readers, date-time parsing and header handling (including the retry
//! crate's `x-amz-retry-after` parser and its clock-skew reading of the `Date` header); and
//! of the region, which becomes part of the endpoint's host name. Nothing may panic, and a
//! few cheap invariants must hold.
//!
//! `cargo test` runs a small number of cases per target; `cargo xtask fuzz` sets
//! `CONFORMANCE_FUZZ_CASES=100000` and runs this file in the debug profile (`cargo xtask
//! fuzz --release` for an optimised build).

use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::date_time::{DateTime, Format};
use proptest::prelude::*;
use redshift_serverless_conformance::runner::run_cases;
use redshift_serverless_protocol::get_identity_center_auth_token::{
    de_error, de_response, de_success,
};
use redshift_serverless_protocol::json_errors::{
    error_code, parse_error_body, parse_error_metadata, sanitize_error_code,
};
use redshift_serverless_retry::{measure_skew, parse_retry_after};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn fuzz_cases() -> u32 {
    std::env::var("CONFORMANCE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

/// JSON shaped like what the deserialisers look for, nested a little.
fn json_value() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "__type",
            "code",
            "message",
            "Message",
            "errorMessage",
            "token",
            "expirationTime",
            "resourceName",
        ])
        .prop_map(String::from),
        "\\PC{0,6}",
    ];
    let leaf = prop_oneof![
        "\\PC{0,16}".prop_map(|s| serde_json::to_string(&s).expect("string")),
        prop::sample::select(vec![
            "\"ThrottlingException\"",
            "\"com.amazonaws.redshiftserverless#ValidationException:http://x#y\"",
            "\"2026-11-28T05:00:00.123+05:30\"",
            "\"\\ud800\"",
            "\"\\u0000\"",
            "null",
            "true",
            "-0",
            "1e400",
            "18446744073709551616",
        ])
        .prop_map(String::from),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|v| {
                let m: Vec<String> = v
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).expect("key")))
                    .collect();
                format!("{{{}}}", m.join(","))
            }),
        ]
    })
}

/// Structured JSON, then possibly damaged: cut, a byte flipped, a byte inserted.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => json_value().prop_map(String::into_bytes),
        2 => (json_value(), any::<prop::sample::Index>(), any::<u8>(), 0..3u8).prop_map(
            |(j, i, b, op)| {
                let mut v = j.into_bytes();
                let at = i.index(v.len().max(1)).min(v.len());
                match op {
                    0 => v.truncate(at),
                    1 if at < v.len() => v[at] = b,
                    _ => v.insert(at, b),
                }
                v
            }
        ),
        2 => prop::collection::vec(any::<u8>(), 0..128),
    ]
}

fn headers() -> impl Strategy<Value = Headers> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "x-amzn-errortype",
            "x-amzn-requestid",
            "x-amz-request-id",
            "x-amz-id-2",
            "content-type",
            "date",
        ])
        .prop_map(String::from),
        "[a-z-]{1,12}",
    ];
    let value = prop_oneof![
        "\\PC{0,40}",
        prop::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    prop::collection::vec((name, value), 0..5).prop_map(|pairs| {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            // Only what an HTTP parser could hand over: valid names, valid values.
            if let (Ok(k), Ok(v)) = (
                http::HeaderName::from_bytes(k.as_bytes()),
                http::HeaderValue::from_bytes(v.as_bytes()),
            ) {
                map.append(k, v);
            }
        }
        Headers::try_from(map).unwrap_or_default()
    })
}

/// The `Display` of an error and of each of its sources.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(e), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// The `token` member of a JSON object body, if it has a string one.
fn token_in(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("token")?.as_str().map(str::to_owned)
}

#[test]
fn fuzz_de_response() {
    run_cases(
        "fuzz",
        "de_response",
        fuzz_cases(),
        (any::<u16>(), headers(), body()),
        |(status, headers, body)| {
            let whole = de_response(status, &headers, &body);
            // The dispatch on status is the only thing de_response adds.
            let part_is_ok = if (200..300).contains(&status) {
                de_success(status, &headers, &body).is_ok()
            } else {
                false
            };
            if whole.is_ok() != part_is_ok {
                return Err("de_response disagrees with de_success/de_error".into());
            }
            match whole {
                Ok(_) => {}
                // A success that cannot be read is a response error, never an operation one.
                Err(w) if (200..300).contains(&status) => {
                    if !w.is_response_error() {
                        return Err(format!("unreadable success is not a response error: {w:?}"));
                    }
                }
                Err(w) => {
                    let e = de_error(status, &headers, &body);
                    let Some(w) = w.as_operation_error() else {
                        return Err(format!("error status is not an operation error: {w:?}"));
                    };
                    if e.meta().code() != w.meta().code() {
                        return Err("de_response and de_error read different codes".into());
                    }
                }
            }
            Ok(vec![])
        },
    );
}

#[test]
fn fuzz_de_success() {
    run_cases(
        "fuzz",
        "de_success",
        fuzz_cases(),
        (headers(), body()),
        |(h, b)| {
            match de_success(200, &h, &b) {
                Ok(out) => {
                    // Whatever was read must survive Debug without exposing the token.
                    if let Some(t) = out.token().filter(|t| t.len() > 3) {
                        if format!("{out:?}").contains(t) {
                            return Err("token visible in Debug".into());
                        }
                    }
                }
                Err(e) => {
                    // A body that is not the output is named by status, never quoted: no
                    // token from it reaches the error's text or Debug.
                    let text = format!("{:?} {}", e, chain_text(&e));
                    if !text.starts_with("UnreadableResponse") || !text.contains("HTTP 200") {
                        return Err(format!("unreadable body not named: {text}"));
                    }
                    if let Some(t) = token_in(&b).filter(|t| t.len() > 3) {
                        if text.contains(&t) {
                            return Err(format!("token {t:?} visible in the error: {text}"));
                        }
                    }
                }
            }
            Ok(vec![])
        },
    );
}

#[test]
fn fuzz_de_error() {
    run_cases(
        "fuzz",
        "de_error",
        fuzz_cases(),
        (300u16..600, headers(), body()),
        |(status, h, b)| {
            let e = de_error(status, &h, &b);
            match e.meta().code() {
                Some(code) => {
                    if code.is_empty() || code.contains(':') || code.contains('#') {
                        return Err(format!("unsanitised code {code:?}"));
                    }
                }
                None => {
                    // No code: the chain names the status instead.
                    let text = chain_text(&e);
                    if !text.contains(&format!("HTTP {status} ")) || !text.contains("no error code")
                    {
                        return Err(format!("codeless error does not name its status: {text}"));
                    }
                }
            }
            let _ = e.to_string();
            Ok(vec![])
        },
    );
}

/// The case `fuzz_de_error` found: a body that names a modeled error but whose members have
/// the wrong types. The error stays that code (for retries and the message line), with the
/// parse failure, naming the member, as its source.
#[test]
fn a_modeled_error_whose_body_cannot_be_read_keeps_its_code() {
    let mut headers = Headers::new();
    headers.insert("x-amzn-requestid", "rid-1");
    let e = de_error(
        300,
        &headers,
        br#"{"message":0,"__type":"ThrottlingException","code":7}"#,
    );
    assert_eq!(e.meta().code(), Some("ThrottlingException"));
    assert_eq!(
        aws_types::request_id::RequestId::request_id(&e),
        Some("rid-1")
    );
    let text = chain_text(&e);
    assert!(
        text.contains("`code`") || text.contains("`message`"),
        "{text}"
    );
}

#[test]
fn fuzz_json_errors() {
    run_cases(
        "fuzz",
        "json_errors",
        fuzz_cases(),
        (headers(), body(), prop::option::of("\\PC{0,40}")),
        |(h, b, header_code)| {
            let _ = parse_error_metadata(&b, &h).map(|m| m.build());
            if let Ok(parsed) = parse_error_body(&b) {
                if let Some(code) = error_code(header_code.as_deref(), &parsed) {
                    if code.is_empty() {
                        return Err("error_code returned an empty code".into());
                    }
                }
            }
            if let Some(raw) = header_code {
                let s = sanitize_error_code(&raw);
                if s.contains(':') || s.contains('#') || !raw.contains(s) {
                    return Err(format!("sanitize_error_code({raw:?}) = {s:?}"));
                }
            }
            Ok(vec![])
        },
    );
}

#[test]
fn fuzz_date_time() {
    let shaped = "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{1,3}:[0-9]{1,3})?";
    run_cases(
        "fuzz",
        "date_time",
        fuzz_cases(),
        prop_oneof![3 => shaped.prop_map(|s| s), 1 => any::<String>()],
        |s| {
            for f in [Format::DateTimeWithOffset, Format::DateTime] {
                if let Ok(t) = DateTime::from_str(&s, f) {
                    // What parses must print and re-read as the same instant.
                    let again = t
                        .fmt(Format::DateTime)
                        .map_err(|e| format!("{s:?} parsed but does not format: {e}"))?;
                    let back = DateTime::from_str(&again, Format::DateTime)
                        .map_err(|e| format!("{again:?} does not re-parse: {e}"))?;
                    if back != t {
                        return Err(format!("{s:?} -> {again:?} changed the instant"));
                    }
                }
            }
            Ok(vec![])
        },
    );
}

/// ASCII whitespace as the parser (and HTTP's OWS, plus CR/LF/FF) means it.
fn ascii_ws() -> impl Strategy<Value = String> {
    "[ \t\r\n\x0C]{0,2}"
}

#[test]
fn fuzz_retry_after() {
    let shaped = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        "[0-9]{0,24}",
        "[-+]?[0-9]{0,6}([.,][0-9]{0,3})?(ms|s)?",
        "[0-9\\x0B\u{a0}\u{3000} ]{0,8}",
    ];
    run_cases(
        "fuzz",
        "retry_after",
        fuzz_cases(),
        prop_oneof![
            3 => (ascii_ws(), shaped, ascii_ws()).prop_map(|(a, n, b)| format!("{a}{n}{b}")),
            1 => prop::collection::vec(any::<u8>(), 0..32)
                .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            1 => any::<String>(),
        ],
        |raw| {
            let parsed = parse_retry_after(&raw);
            let trimmed = raw.trim_matches(|c: char| c.is_ascii_whitespace());
            // Whitespace around the value never changes the reading.
            if parse_retry_after(&format!(" \t{raw}\r\n")) != parsed {
                return Err(format!("padding {raw:?} changed the reading"));
            }
            match parsed {
                Some(d) => {
                    let millis = u64::try_from(d.as_millis())
                        .map_err(|_| format!("{raw:?} read as more than u64::MAX ms"))?;
                    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(format!("{raw:?} is not a digit string but read as {d:?}"));
                    }
                    // What was read prints back to the same number and re-reads the same.
                    let canonical = millis.to_string();
                    let stripped = trimmed.trim_start_matches('0');
                    if stripped != canonical && !(millis == 0 && stripped.is_empty()) {
                        return Err(format!("{raw:?} read as {millis} ms"));
                    }
                    if parse_retry_after(&canonical) != Some(d) {
                        return Err(format!("{canonical:?} does not re-read as {d:?}"));
                    }
                }
                None => {
                    // Only an empty, non-digit or out-of-range value may be refused.
                    if let Ok(n) = trimmed.parse::<u64>() {
                        if trimmed.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(format!("{raw:?} ({n} ms) was refused"));
                        }
                    }
                }
            }
            Ok(vec![])
        },
    );
}

/// The `Date` header a measurement sees.
#[derive(Debug, Clone)]
enum DateHeader {
    Absent,
    /// An IMF-fixdate this many seconds away from the request's send time.
    Near(i64),
    /// Anything else: date-shaped with fields out of range, or arbitrary text.
    Raw(String),
}

fn system_time(millis: i64) -> SystemTime {
    let d = Duration::from_millis(millis.unsigned_abs());
    if millis >= 0 {
        UNIX_EPOCH + d
    } else {
        UNIX_EPOCH - d
    }
}

fn signed_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

#[test]
fn fuzz_measure_skew() {
    let shaped_date = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Xyz), [0-9]{1,3} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Foo) [0-9]{1,5} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]{1,3})?( GMT| UTC|Z)?";
    let header = prop_oneof![
        1 => Just(DateHeader::Absent),
        3 => (-1_000_000i64..1_000_000).prop_map(DateHeader::Near),
        2 => shaped_date.prop_map(DateHeader::Raw),
        1 => any::<String>().prop_map(DateHeader::Raw),
    ];
    // Send times from 1653 to 2286; round trips from "received before sent" (a clock that
    // stepped back) to well past the 15-minute trust limit.
    let sent = -10_000_000_000_000i64..10_000_000_000_000;
    let round_trip = prop_oneof![
        4 => 0i64..5_000,
        1 => -3_600_000i64..0,
        1 => 0i64..2_000_000,
    ];
    run_cases(
        "fuzz",
        "measure_skew",
        fuzz_cases(),
        (sent, round_trip, header, any::<bool>()),
        |(sent_ms, rtt_ms, header, age)| {
            let sent = system_time(sent_ms);
            let received = system_time(sent_ms + rtt_ms);
            let text = match &header {
                DateHeader::Absent => None,
                DateHeader::Near(secs) => DateTime::from_secs(sent_ms.div_euclid(1000) + secs)
                    .fmt(Format::HttpDate)
                    .ok(),
                DateHeader::Raw(s) => Some(s.clone()),
            };
            let skew = measure_skew(sent, received, text.as_deref(), age);
            let server = text
                .as_deref()
                .and_then(|t| DateTime::from_str(t, Format::HttpDate).ok());
            // An independent computation of the same thing, in nanoseconds.
            let trusted = !age && (0..=15 * 60 * 1000).contains(&rtt_ms.max(0));
            let expected = server.filter(|_| trusted).map(|server| {
                let server_nanos =
                    i128::from(server.secs()) * 1_000_000_000 + i128::from(server.subsec_nanos());
                let elapsed = rtt_ms.max(0) as i128 * 1_000_000;
                let midpoint = signed_nanos(sent) + elapsed / 2;
                // Truncated towards zero, as Duration::as_millis does in both directions.
                (server_nanos - midpoint) / 1_000_000
            });
            match (skew, expected) {
                (None, None) => {}
                (Some(s), Some(e)) if i128::from(s.as_millis()) == e => {
                    if let DateHeader::Near(secs) = header {
                        // A Date `secs` away measures as `secs` minus at most the
                        // sub-second part of the send time and half the round trip.
                        let off = i128::from(s.as_millis()) - i128::from(secs) * 1000;
                        if !(-(1000 + i128::from(rtt_ms.max(0)) / 2)..=0).contains(&off) {
                            return Err(format!("Date {secs}s away measured as {s:?}"));
                        }
                    }
                }
                (got, want) => {
                    return Err(format!(
                        "{text:?} sent={sent_ms} rtt={rtt_ms} age={age}: got {got:?}, expected {want:?} ms"
                    ))
                }
            }
            Ok(vec![])
        },
    );
}

/// Records the URI of every request the client hands it, and answers each with a token.
#[derive(Clone, Debug, Default)]
struct RecordingHttp(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl aws_smithy_runtime_api::client::http::HttpConnector for RecordingHttp {
    fn call(
        &self,
        request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(request.uri().to_owned());
        let response = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(200).expect("200"),
            aws_smithy_types::body::SdkBody::from(r#"{"token":"t"}"#),
        );
        aws_smithy_runtime_api::client::http::HttpConnectorFuture::ready(Ok(response))
    }
}

impl aws_smithy_runtime_api::client::http::HttpClient for RecordingHttp {
    fn http_connector(
        &self,
        _: &aws_smithy_runtime_api::client::http::HttpConnectorSettings,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
    ) -> aws_smithy_runtime_api::client::http::SharedHttpConnector {
        aws_smithy_runtime_api::client::http::SharedHttpConnector::new(self.clone())
    }
}

/// Every partition's DNS suffixes (plain and dual-stack), from the table the endpoint rules
/// are generated from.
fn dns_suffixes() -> Vec<String> {
    let table: serde_json::Value =
        serde_json::from_str(include_str!("../../model/partitions.json")).expect("partitions");
    let mut suffixes = Vec::new();
    for partition in table["partitions"]
        .as_array()
        .expect("a list of partitions")
    {
        for key in ["dnsSuffix", "dualStackDnsSuffix"] {
            if let Some(suffix) = partition["outputs"][key].as_str() {
                suffixes.push(suffix.to_owned());
            }
        }
    }
    suffixes
}

/// Regions: hostile forms (userinfo, ports, paths, fragments, dots, controls), region-shaped
/// strings, and arbitrary text.
fn region() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(vec![
            "x@127.0.0.1:18444#",
            "x@evil.example:443/",
            "evil.example#",
            "us-east-1.evil.example",
            "us-east-1:8443",
            "us-east-1/x",
            "us-east-1?",
            "[::1]",
            "us-east-1\r\nHost: evil",
            "%2e%2e",
            "",
        ])
        .prop_map(String::from),
        3 => "[a-z]{2}(-[a-z]{2,9}){1,2}-[0-9]{1,2}",
        2 => "[a-zA-Z0-9.@:#/?%\\[\\]\\\\ _-]{0,20}",
        1 => any::<String>(),
    ]
}

#[test]
fn fuzz_region() {
    use redshift_serverless_client::config::{check_region, Credentials, InvalidRegion, Region};
    let suffixes = dns_suffixes();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let endpoint = prop::option::of(prop::sample::select(vec![
        "https://custom.example.com",
        "http://127.0.0.1:8080/base/",
        "https://[::1]:9443",
    ]));
    run_cases(
        "fuzz",
        "region",
        fuzz_cases(),
        (region(), endpoint, any::<bool>(), any::<bool>()),
        |(region, endpoint, fips, dual_stack)| {
            let http = RecordingHttp::default();
            let mut config = redshift_serverless_client::Config::builder()
                .region(Region::new(region.clone()))
                .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fuzz"))
                .http_client(http.clone())
                .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
                .use_fips(fips)
                .use_dual_stack(dual_stack);
            if let Some(url) = endpoint {
                config = config.endpoint_url(url);
            }
            let client = redshift_serverless_client::Client::from_conf(config.build());
            let result = rt.block_on(
                client
                    .get_identity_center_auth_token()
                    .workgroup_names("default")
                    .send(),
            );
            let sent = http.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if check_region(&region).is_err() {
                // Refused before anything was resolved or sent, naming the region.
                let refused = result.as_ref().err().and_then(|e| {
                    std::error::Error::source(e).and_then(|s| s.downcast_ref::<InvalidRegion>())
                });
                if refused.map(InvalidRegion::region) != Some(region.as_str()) || !sent.is_empty() {
                    return Err(format!("{region:?} was not refused: {sent:?}"));
                }
            }
            for uri in sent {
                let parsed: http::Uri = uri
                    .parse()
                    .map_err(|e| format!("{region:?} sent to an unparsable {uri:?}: {e}"))?;
                let host = parsed.host().unwrap_or_default();
                match endpoint {
                    Some(url) => {
                        let expected: http::Uri = url.parse().map_err(|e| format!("{e}"))?;
                        if parsed.authority() != expected.authority() {
                            return Err(format!("{region:?} with {url} sent to {uri}"));
                        }
                    }
                    None => {
                        let under = suffixes.iter().any(|s| {
                            host.strip_suffix(s.as_str())
                                .is_some_and(|rest| rest.ends_with(&format!(".{region}.")))
                        });
                        if !under || parsed.port().is_some() || uri.contains('@') {
                            return Err(format!(
                                "{region:?} sent to {uri}, not under a partition's DNS suffix"
                            ));
                        }
                    }
                }
            }
            Ok(vec![])
        },
    );
}
