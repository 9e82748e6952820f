//! The signer against aws-sigv4 itself: for generated requests, credentials, scopes and
//! times, the headers our signer adds are byte for byte the ones
//! `aws_sigv4::http_request::sign` computes, whichever path signed them. Signers are reused
//! across cases, so the key cache sees hits, new dates and new secrets.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use redshift_serverless_signer::{RequestSigner, SigningPath};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    uri: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    streaming: bool,
    access_key: String,
    secret: String,
    session_token: Option<String>,
    region: &'static str,
    service: &'static str,
    secs: u64,
}

fn uri() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["http", "https"]);
    let host = prop::sample::select(vec![
        "redshift-serverless.us-east-1.amazonaws.com",
        "127.0.0.1",
        "localhost",
        "Example.COM",
        "a-b.c",
        "[::1]",
    ]);
    let port = prop::sample::select(vec!["", ":80", ":443", ":8080", ":080", ":65535"]);
    let path = prop::sample::select(vec![
        "",
        "/",
        "/a",
        "/a/b",
        "/a-b_c~d/",
        "/A/b1",
        "/a/./b",
        "/a/../b",
        "//a",
        "/a%20b",
        "/a.b",
        "/a/",
        "/%2F",
    ]);
    let query = prop::sample::select(vec!["", "", "", "", "?", "?a=b", "?b=2&a=1", "?x"]);
    (scheme, host, port, path, query)
        .prop_map(|(s, h, p, path, q)| format!("{s}://{h}{p}{path}{q}"))
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\t]{0,24}",
        // Runs of spaces of every length, at the ends and inside.
        "[ ab\t]{0,12}",
        Just("  two  spaces   inside  ".to_string()),
        Just(" ".to_string()),
        Just(String::new()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let name = prop::sample::select(vec![
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "content-length",
        "host",
        "x-amz-date",
        "x-amz-security-token",
        "authorization",
        "x-amzn-trace-id",
        "transfer-encoding",
        "x-custom",
        "a",
        "zz",
    ]);
    prop::collection::vec((name, header_value()), 0..10)
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::sample::select(vec!["POST", "POST", "GET", "PUT"]),
            uri(),
            headers(),
            prop::collection::vec(any::<u8>(), 0..300),
            prop::bool::weighted(0.1),
        ),
        (
            "[A-Z0-9]{4,20}",
            // Few secrets, so one signer meets the same secret again on another day.
            prop_oneof![
                "[ -~]{1,40}",
                prop::sample::select(vec!["s1".to_string(), "s2".to_string()])
            ],
            prop::option::of("[!-~][ -~]{0,60}[!-~]"),
            prop::sample::select(vec!["us-east-1", "eu-west-3", "cn-north-1"]),
            prop::sample::select(vec!["redshift-serverless", "sts"]),
            prop_oneof![
                // Around one day boundary, so consecutive cases cross it.
                6 => 1_795_823_000u64..1_795_910_000,
                3 => 0u64..253_402_300_800,
                // Past 9999: refused.
                1 => 253_402_300_800u64..253_502_300_800,
            ],
        ),
    )
        .prop_map(
            |(
                (method, uri, headers, body, streaming),
                (access_key, secret, session_token, region, service, secs),
            )| Case {
                method,
                uri,
                headers,
                body,
                streaming,
                access_key,
                secret,
                session_token,
                region,
                service,
                secs,
            },
        )
}

/// The request, or `None` when `http` rejects the URI or a header (nothing to sign).
fn request(case: &Case) -> Option<HttpRequest> {
    let body = if case.streaming {
        // A stream (no bytes in memory) that can be replayed, so the request can be cloned.
        let bytes = bytes::Bytes::from(case.body.clone());
        SdkBody::retryable(move || SdkBody::from_body_1_x(http_body_util::Full::new(bytes.clone())))
    } else {
        SdkBody::from(case.body.clone())
    };
    let mut builder = http::Request::builder().method(case.method).uri(&case.uri);
    for (name, value) in &case.headers {
        builder = builder.header(*name, http::HeaderValue::from_str(value).ok()?);
    }
    HttpRequest::try_from(builder.body(body).ok()?).ok()
}

fn identity(case: &Case) -> Identity {
    Identity::from(Credentials::new(
        case.access_key.clone(),
        case.secret.clone(),
        case.session_token.clone(),
        None,
        "oracle",
    ))
}

/// What aws-runtime's signer does with default settings: sign, then insert each header.
fn reference(mut req: HttpRequest, case: &Case, time: SystemTime) -> Result<HttpRequest, String> {
    let identity = identity(case);
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(case.region)
        .name(case.service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?;
    let body = req
        .body()
        .bytes()
        .map(SignableBody::Bytes)
        .unwrap_or(SignableBody::UnsignedPayload);
    let signable = SignableRequest::new(req.method(), req.uri(), req.headers().iter(), body)
        .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &SigningParams::V4(params))
        .map_err(|e| e.to_string())?
        .into_parts();
    for header in instructions.into_parts().0 {
        req.headers_mut().insert(
            header.name(),
            http::HeaderValue::from_str(header.value()).map_err(|e| e.to_string())?,
        );
    }
    Ok(req)
}

fn header_list(req: &HttpRequest) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn signatures_equal_aws_sigv4_on_both_paths() {
    // The runner takes a `Fn`: the state shared across cases lives in cells.
    let signers: RefCell<BTreeMap<(&str, &str), RequestSigner>> = RefCell::default();
    let counts: RefCell<BTreeMap<&str, u32>> = RefCell::default();
    let mut runner = TestRunner::new(Config {
        cases: 4000,
        ..Config::default()
    });
    runner
        .run(&case(), |case| {
            let Some(req) = request(&case) else {
                return Ok(());
            };
            let time = UNIX_EPOCH + Duration::from_secs(case.secs);
            let mut signers = signers.borrow_mut();
            let signer = signers
                .entry((case.region, case.service))
                .or_insert_with(|| RequestSigner::new(case.region, case.service));
            let mut counts = counts.borrow_mut();
            if case.secs >= 253_402_300_800 {
                // Past 9999-12-31: aws-sigv4 panics formatting the year; ours refuses.
                let mut ours = req;
                prop_assert!(signer.sign(&mut ours, &identity(&case), time).is_err());
                *counts.entry("refused").or_default() += 1;
                return Ok(());
            }
            let expected = reference(req.try_clone().expect("in-memory or clonable"), &case, time);
            let mut ours = req;
            let path = signer.sign(&mut ours, &identity(&case), time);
            match (expected, path) {
                (Ok(expected), Ok(path)) => {
                    prop_assert_eq!(header_list(&ours), header_list(&expected), "{:?}", case);
                    *counts
                        .entry(match path {
                            SigningPath::Cached => "cached",
                            _ => "aws-sigv4",
                        })
                        .or_default() += 1;
                }
                (expected, ours) => prop_assert!(
                    false,
                    "disagree: aws-sigv4 {:?}, ours {:?} for {:?}",
                    expected.map(|_| "ok"),
                    ours,
                    case
                ),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // Both paths were exercised in earnest.
    let counts = counts.into_inner();
    let cached = counts.get("cached").copied().unwrap_or(0);
    let fallback = counts.get("aws-sigv4").copied().unwrap_or(0);
    let refused = counts.get("refused").copied().unwrap_or(0);
    assert!(
        cached >= 500 && fallback >= 500 && refused >= 100,
        "{counts:?}"
    );
}

#[test]
fn the_client_request_takes_the_cached_path() {
    // The shape of every request the generated client sends.
    let case = Case {
        method: "POST",
        uri: "https://redshift-serverless.us-east-1.amazonaws.com/".into(),
        headers: vec![
            ("content-type", "application/x-amz-json-1.1".into()),
            (
                "x-amz-target",
                "RedshiftServerless.GetIdentityCenterAuthToken".into(),
            ),
            ("content-length", "33".into()),
            ("user-agent", "aws-sdk-rust/0.0.0 os/linux".into()),
            (
                "x-amz-user-agent",
                "aws-sdk-rust/0.0.0 api/redshiftserverless/0.0.0".into(),
            ),
            (
                "amz-sdk-invocation-id",
                "0b5b8b53-7b7c-4d2e-9d9c-3a8a1f0c2d4e".into(),
            ),
            ("amz-sdk-request", "attempt=1; max=3".into()),
        ],
        body: br#"{"workgroupNames":["analytics"]}"#.to_vec(),
        streaming: false,
        access_key: "AKIDEXAMPLE".into(),
        secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: Some("session/token==".into()),
        region: "us-east-1",
        service: "redshift-serverless",
        secs: 1_795_842_000,
    };
    let req = request(&case).expect("valid");
    let time = UNIX_EPOCH + Duration::from_secs(case.secs);
    let expected = reference(req.try_clone().expect("clonable"), &case, time).expect("signs");
    let signer = RequestSigner::new(case.region, case.service);
    for _ in 0..2 {
        // Twice: the second signature comes from the cached key.
        let mut ours = req.try_clone().expect("clonable");
        let path = signer
            .sign(&mut ours, &identity(&case), time)
            .expect("signs");
        assert_eq!(path, SigningPath::Cached);
        assert_eq!(header_list(&ours), header_list(&expected));
    }
    let auth = expected.headers().get("authorization").expect("signed");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/redshift-serverless/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-amz-user-agent, Signature="),
        "{auth}"
    );
}

#[test]
fn debug_shows_no_secret() {
    let signer = RequestSigner::new("us-east-1", "redshift-serverless");
    let case_secret = "do-not-print-this-secret";
    let mut req = HttpRequest::try_from(
        http::Request::builder()
            .method("POST")
            .uri("https://h/")
            .body(SdkBody::from("{}"))
            .expect("request"),
    )
    .expect("request");
    let identity = Identity::from(Credentials::new("AKID", case_secret, None, None, "t"));
    signer
        .sign(
            &mut req,
            &identity,
            UNIX_EPOCH + Duration::from_secs(1_795_842_000),
        )
        .expect("signs");
    let debug = format!("{signer:?}");
    assert!(!debug.contains(case_secret), "{debug}");
    assert!(debug.contains("20261128"), "{debug}");
}
