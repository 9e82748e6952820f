//! The client against a local HTTP server: what goes on the wire, that the SigV4 signature
//! verifies, and how responses become typed values. (Handwritten; not generated.)

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::time::StaticTimeSource;
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region, ValidationMode};
use redshift_serverless_client::error::{ConstraintViolationExt, ProvideErrorMetadata, SdkError};
use redshift_serverless_client::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError;
use redshift_serverless_client::operation::RequestId;
use redshift_serverless_client::{Client, Config};

mod common;
use common::{error, success, Captured, Server};

const ACCESS_KEY: &str = "AKIDWIRETEST";
const SECRET: &str = "wire-test-secret-key";
const SESSION_TOKEN: &str = "wire-test-session-token";
/// 2026-11-28T05:00:00Z.
const NOW: u64 = 1_795_842_000;

/// With the default HTTP client (redshift-serverless-http).
fn client(server: &Server, session_token: Option<&str>) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET,
            session_token.map(str::to_owned),
            None,
            "wire-test",
        ))
        .endpoint_url(server.url())
        .time_source(StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(NOW)))
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// Recomputes the SigV4 signature of a captured request with aws-sigv4, over exactly the
/// headers the client listed as signed, and compares it with the one it sent.
fn assert_signature_verifies(req: &Captured, session_token: Option<&str>) {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let auth = req
        .header("authorization")
        .expect("an Authorization header");
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256 ").expect("SigV4");
    let mut credential = "";
    let mut signed_headers = "";
    let mut signature = "";
    for part in rest.split(", ") {
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = v;
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = v;
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = v;
        }
    }
    assert_eq!(
        credential,
        format!("{ACCESS_KEY}/20261128/us-east-1/redshift-serverless/aws4_request")
    );
    let signed: Vec<&str> = signed_headers.split(';').collect();
    for required in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(
            signed.contains(&required),
            "{required} must be signed: {signed_headers}"
        );
    }
    if session_token.is_some() {
        assert!(
            signed.contains(&"x-amz-security-token"),
            "the session token must be signed"
        );
    }
    let headers: Vec<(&str, &str)> = signed
        .iter()
        .map(|h| {
            (
                *h,
                req.header(h)
                    .unwrap_or_else(|| panic!("signed header {h} was not sent")),
            )
        })
        .collect();
    let identity = Credentials::new(
        ACCESS_KEY,
        SECRET,
        session_token.map(str::to_owned),
        None,
        "verify",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("redshift-serverless")
        .time(UNIX_EPOCH + Duration::from_secs(NOW))
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = req.header("host").unwrap();
    let uri = format!("http://{host}{}", req.uri);
    let signable = SignableRequest::new(
        &req.method,
        &uri,
        headers.into_iter(),
        SignableBody::Bytes(&req.body),
    )
    .unwrap();
    let (_, expected) = sign(signable, &params).unwrap().into_parts();
    assert_eq!(signature, expected, "the signature must verify");
}

#[tokio::test]
async fn request_on_the_wire_and_signature() {
    for session_token in [None, Some(SESSION_TOKEN)] {
        let server = Server::start(vec![success("tok-1", "2026-11-28T05:15:00Z")]).await;
        let out = client(&server, session_token)
            .get_identity_center_auth_token()
            .workgroup_names("wg-1")
            .workgroup_names("analytics")
            .send()
            .await
            .expect("success");
        assert_eq!(out.token(), Some("tok-1"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        let req = &reqs[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.uri, "/");
        assert_eq!(
            req.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(
            req.header("x-amz-target"),
            Some("RedshiftServerless.GetIdentityCenterAuthToken")
        );
        assert_eq!(req.header("x-amz-date"), Some("20261128T050000Z"));
        assert_eq!(req.header("x-amz-security-token"), session_token);
        assert_eq!(
            std::str::from_utf8(&req.body).unwrap(),
            r#"{"workgroupNames":["wg-1","analytics"]}"#
        );
        assert_signature_verifies(req, session_token);
    }
}

#[tokio::test]
async fn success_is_typed_and_debug_hides_the_secret_members() {
    let server = Server::start(vec![success(
        "super-secret-token-value",
        "2026-11-28T05:15:00.5Z",
    )])
    .await;
    let out = client(&server, None)
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(vec!["default".into()]))
        .send()
        .await
        .expect("success");
    assert_eq!(out.token(), Some("super-secret-token-value"));
    let exp = out.expiration_time().expect("an expiration");
    assert_eq!(exp.secs(), NOW as i64 + 900);
    assert_eq!(exp.subsec_nanos(), 500_000_000);
    assert_eq!(out.request_id(), Some("req-ok"));
    let debug = format!("{out:?}");
    assert!(!debug.contains("super-secret-token-value"), "{debug}");
    assert!(
        !debug.contains("2026") && !debug.contains("1795"),
        "the expiration is sensitive too: {debug}"
    );
    assert!(debug.contains("Redacted"), "{debug}");
}

#[tokio::test]
async fn each_modeled_error_is_typed() {
    type Check = fn(&GetIdentityCenterAuthTokenError) -> bool;
    let cases: [(u16, &str, &str, Check); 7] = [
        (
            403,
            "AccessDeniedException",
            r#""code":"AccessDenied","#,
            GetIdentityCenterAuthTokenError::is_access_denied_exception,
        ),
        (
            409,
            "ConflictException",
            "",
            GetIdentityCenterAuthTokenError::is_conflict_exception,
        ),
        (
            400,
            "DryRunException",
            "",
            GetIdentityCenterAuthTokenError::is_dry_run_exception,
        ),
        (
            500,
            "InternalServerException",
            "",
            GetIdentityCenterAuthTokenError::is_internal_server_exception,
        ),
        (
            404,
            "ResourceNotFoundException",
            r#""resourceName":"wg","#,
            GetIdentityCenterAuthTokenError::is_resource_not_found_exception,
        ),
        (
            429,
            "ThrottlingException",
            r#""code":"Throttled","#,
            GetIdentityCenterAuthTokenError::is_throttling_exception,
        ),
        (
            400,
            "ValidationException",
            "",
            GetIdentityCenterAuthTokenError::is_validation_exception,
        ),
    ];
    for (status, code, extra, is) in cases {
        let body = format!(
            r#"{{"__type":"com.amazonaws.redshiftserverless#{code}",{extra}"message":"m-{code}"}}"#
        );
        let server = Server::start(vec![error(status, &body)]).await;
        let err = client(&server, None)
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await
            .expect_err("an error");
        let raw_status = err.raw_response().map(|r| r.status().as_u16());
        assert_eq!(raw_status, Some(status), "{code}");
        let service = err.into_service_error();
        assert!(is(&service), "{code}: {service:?}");
        assert_eq!(service.code(), Some(code));
        assert_eq!(service.message(), Some(format!("m-{code}").as_str()));
        assert_eq!(service.request_id(), Some("req-err"));
    }
}

#[tokio::test]
async fn unknown_codes_are_unhandled_with_metadata() {
    let server = Server::start(vec![error(
        400,
        r#"{"__type":"BrandNewException","message":"new"}"#,
    )])
    .await;
    let err = client(&server, None)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("an error")
        .into_service_error();
    assert!(matches!(err, GetIdentityCenterAuthTokenError::Unhandled(_)));
    assert_eq!(err.code(), Some("BrandNewException"));
    assert_eq!(err.message(), Some("new"));
    assert_eq!(err.request_id(), Some("req-err"));
}

#[tokio::test]
async fn invalid_input_never_reaches_the_wire() {
    let server = Server::start(vec![]).await;
    let client = client(&server, None);
    let err = client
        .get_identity_center_auth_token()
        .workgroup_names("Analytics_WG")
        .workgroup_names("ab")
        .send()
        .await
        .expect_err("rejected before sending");
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    let violations = err.constraint_violations().expect("constraint violations");
    assert_eq!(
        violations.len(),
        2,
        "one pattern and one length violation: {violations}"
    );
    let text = violations.to_string();
    assert!(
        text.contains("workgroupNames[0]") && text.contains("workgroupNames[1]"),
        "{text}"
    );
    assert!(
        text.contains("ValidationMode::Off"),
        "the message names the opt-out: {text}"
    );

    let missing = client
        .get_identity_center_auth_token()
        .send()
        .await
        .expect_err("required member");
    assert!(matches!(missing, SdkError::ConstructionFailure(_)));
    assert!(
        format!("{:?}", missing).contains("workgroup_names"),
        "{missing:?}"
    );
    assert_eq!(server.requests().len(), 0, "nothing may be sent");
}

#[tokio::test]
async fn validation_can_be_turned_off() {
    let server = Server::start(vec![error(
        400,
        r#"{"__type":"ValidationException","message":"server says no"}"#,
    )])
    .await;
    let client = Client::from_conf(
        client(&server, None)
            .config()
            .to_builder()
            .validation(ValidationMode::Off)
            .build(),
    );
    let err = client
        .get_identity_center_auth_token()
        .workgroup_names("Analytics_WG")
        .send()
        .await
        .expect_err("the server rejects it")
        .into_service_error();
    assert!(err.is_validation_exception());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        std::str::from_utf8(&reqs[0].body).unwrap(),
        r#"{"workgroupNames":["Analytics_WG"]}"#
    );
}

#[tokio::test]
async fn missing_settings_are_named_not_panicked() {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    let err = Client::from_conf(config)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("no credentials");
    let text = format!(
        "{}",
        aws_smithy_types::error::display::DisplayErrorContext(&err)
    );
    assert!(text.contains("no credentials provider"), "{text}");
}

/// A client with the default retry configuration (none set), instant sleeps, no timeouts,
/// and aws-smithy-http-client plugged in as the HTTP client, as a program may.
fn retrying_client(server: &Server, region: &str) -> Client {
    let http = aws_smithy_http_client::Builder::new().build_http();
    let (time, sleep) = aws_smithy_async::test_util::instant_time_and_sleep(SystemTime::now());
    let config = Config::builder()
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET,
            None,
            None,
            "wire-test",
        ))
        .endpoint_url(server.url())
        .http_client(http)
        .time_source(time)
        .sleep_impl(sleep)
        .timeout_config(redshift_serverless_client::config::timeout::TimeoutConfig::disabled())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn retries_three_times_by_default() {
    let server = Server::start(vec![
        error(500, r#"{"__type":"InternalServerException","message":"a"}"#),
        error(503, "{}"),
        success("tok-3", "2026-11-28T05:15:00Z"),
    ])
    .await;
    let out = retrying_client(&server, "us-east-1")
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(out.token(), Some("tok-3"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn stops_after_three_attempts_by_default() {
    // The server answers 500 to every request: the third failure is final.
    let server = Server::start(vec![]).await;
    let err = retrying_client(&server, "us-east-1")
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("500 forever");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(server.requests().len(), 3);
}

/// Sends one call that the server fails with 500 and returns how many attempts it made.
async fn attempts_of_one_failing_call(server: &Server, client: &Client) -> usize {
    let before = server.requests().len();
    client
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("500 forever");
    server.requests().len() - before
}

#[tokio::test]
async fn the_retry_token_bucket_is_per_region() {
    // Regions unique to this test: the buckets are process-wide, keyed by service and region.
    let server = Server::start(vec![]).await;
    let drained = retrying_client(&server, "xx-bucket-1");
    // 500 tokens, 14 per non-throttling retry: the bucket runs dry within ~18 calls.
    let mut calls = 0;
    while attempts_of_one_failing_call(&server, &drained).await > 1 {
        calls += 1;
        assert!(calls < 40, "the token bucket never ran dry");
    }
    // Another region has its own full bucket; the same region, even on a new client, does not.
    let other_region = retrying_client(&server, "xx-bucket-2");
    assert_eq!(
        attempts_of_one_failing_call(&server, &other_region).await,
        3
    );
    let same_region = retrying_client(&server, "xx-bucket-1");
    assert_eq!(attempts_of_one_failing_call(&server, &same_region).await, 1);
}

/// An endpoint URL the client cannot send to is named, with its value, by `send()`: never a
/// panic (an empty one used to trip an assertion in aws-smithy-types), never a request.
#[tokio::test]
async fn an_unusable_endpoint_url_is_named_by_send_not_panicked() {
    let server = Server::start(vec![success("t", "2026-11-28T05:15:00Z")]).await;
    let cases = [
        ("", "is empty"),
        ("   ", "has no http:// or https:// scheme"),
        ("localhost:8080", "has no http:// or https:// scheme"),
        ("ftp://example.com", "has no http:// or https:// scheme"),
        ("http://", "has no host"),
        ("https:///path", "has no host"),
        ("http://exa mple.com", "is not a valid URL"),
        ("http://[::1", "is not a valid URL"),
    ];
    for (url, problem) in cases {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                ACCESS_KEY,
                SECRET,
                None,
                None,
                "wire-test",
            ))
            .endpoint_url(url)
            .retry_config(RetryConfig::disabled())
            .build();
        let call = Client::from_conf(config)
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send();
        let err = match tokio::spawn(call).await {
            Ok(result) => result.expect_err(url),
            Err(panic) => panic!("{url:?}: send() panicked: {panic}"),
        };
        assert!(
            matches!(err, SdkError::ConstructionFailure(_)),
            "{url:?}: {err:?}"
        );
        let text = format!(
            "{}",
            aws_smithy_types::error::display::DisplayErrorContext(&err)
        );
        assert!(
            text.contains(&format!("endpoint_url {url:?} {problem}")),
            "{url:?}: {text}"
        );
    }
    assert!(server.requests().is_empty());
}

/// `Config::max_response_size` reaches the built-in HTTP client: a body above the configured
/// cap fails with a response error naming the limit after one attempt (the retry crate
/// forbids retrying it), the same body is read under the default cap, and `Debug` shows the
/// setting.
#[tokio::test]
async fn max_response_size_in_config_bounds_the_built_in_http_client() {
    let body = format!(
        r#"{{"junk":"{}","token":"big","expirationTime":"2026-11-28T05:00:00Z"}}"#,
        "x".repeat(4096)
    );
    let canned: common::Canned = (
        200,
        vec![("content-type", "application/x-amz-json-1.1".into())],
        body.clone(),
    );
    let server = Server::start(vec![canned.clone(), canned.clone(), canned]).await;
    let config = client(&server, None)
        .config()
        .to_builder()
        .retry_config(RetryConfig::standard().with_max_attempts(3));
    assert_eq!(
        config.clone().build().max_response_size(),
        redshift_serverless_http::DEFAULT_MAX_RESPONSE_SIZE
    );
    let capped = config.clone().max_response_size(1024).build();
    assert!(
        format!("{capped:?}").contains("max_response_size: 1024"),
        "{capped:?}"
    );

    let err = Client::from_conf(capped)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("over the configured cap");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let text = redshift_serverless_client::error::DisplayErrorContext(&err).to_string();
    assert!(
        text.contains(&format!(
            "HTTP response body exceeds the max_response_size limit of 1024 bytes: its Content-Length is {}",
            body.len()
        )),
        "{text}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a body over the cap is not retried"
    );

    // The same body under the default cap.
    let out = Client::from_conf(config.build())
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("under the default cap");
    assert_eq!(out.token(), Some("big"));
}

/// A success the client cannot read is a response error, not an unhandled service error:
/// its source names the status, content type, length, and (for a mistyped member) the
/// member and the JSON it needs, quotes none of the body, and the call is not retried. The
/// error's `Debug` and `DisplayErrorContext` do not print the body either (the runtime's
/// would, from the raw response it keeps); `ResponseBody::of` gives it to code that asks.
#[tokio::test]
async fn an_unreadable_success_is_a_response_error_naming_what_failed() {
    use redshift_serverless_client::error::{
        DisplayErrorContext, ResponseBody, UnreadableResponse,
    };
    let cases = [
        (
            "text/html",
            "<html>secret-token-in-body</html>".to_owned(),
            "unexpected token '<'",
        ),
        (
            "application/x-amz-json-1.1",
            "secret-token-in-body".to_owned(),
            "unexpected token 's'",
        ),
        (
            "application/x-amz-json-1.1",
            r#"{"token":"secret-token-in-body","expirationTime":1795842000}"#.to_owned(),
            "could not read member `expirationTime` of GetIdentityCenterAuthTokenOutput \
             (expected a date-time string)",
        ),
    ];
    for (content_type, body, says) in cases {
        let canned: common::Canned = (
            200,
            vec![("content-type", content_type.into())],
            body.clone(),
        );
        let server = Server::start(vec![canned.clone(), canned.clone(), canned]).await;
        let err = retrying_client(&server, "us-east-1")
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await
            .expect_err("unreadable");
        assert!(matches!(err, SdkError::ResponseError(_)), "{body}: {err:?}");
        let unreadable =
            std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
                e.source()
            })
            .find_map(|e| e.downcast_ref::<UnreadableResponse>())
            .expect("an UnreadableResponse in the chain");
        assert_eq!(unreadable.response().status(), 200);
        assert_eq!(unreadable.response().content_type(), Some(content_type));
        assert_eq!(unreadable.response().body_len(), body.len());
        for printed in [format!("{err:?}"), DisplayErrorContext(&err).to_string()] {
            assert!(!printed.contains("secret-token"), "{printed}");
        }
        let SdkError::ResponseError(context) = &err else {
            unreachable!("matched above")
        };
        assert_eq!(ResponseBody::of(context.raw()), Some(body.as_bytes()));
        let kept = context.raw().extension::<ResponseBody>();
        assert_eq!(
            format!("{kept:?}"),
            format!("Some(ResponseBody(** redacted: {} bytes **))", body.len())
        );
        assert_eq!(context.raw().status().as_u16(), 200);
        // The `Display` of each error in the chain.
        let text = std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
        assert!(
            text.contains(&format!(
                "unreadable HTTP response: the body of HTTP 200 (content-type {content_type}, {} bytes) is not a GetIdentityCenterAuthTokenOutput",
                body.len()
            )) && text.contains(says),
            "{text}"
        );
        assert!(!text.contains("secret-token"), "{text}");
        assert_eq!(server.requests().len(), 1, "{body}: not retried");
    }
}

/// An error response without a code stays an unhandled service error (and a 503 is still
/// retried), but its source chain names the status.
#[tokio::test]
async fn an_error_without_a_code_names_its_status() {
    use redshift_serverless_client::error::{DisplayErrorContext, NoErrorCode};
    for (content_type, body, says) in [
        ("", "", "HTTP 503 (content-type none, 0 bytes) with no error code"),
        (
            "text/html",
            "<html>busy</html>",
            "HTTP 503 (content-type text/html, 17 bytes) with no error code, and its body is not a JSON object",
        ),
    ] {
        let headers = if content_type.is_empty() {
            vec![]
        } else {
            vec![("content-type", content_type.to_owned())]
        };
        let canned: common::Canned = (503, headers, body.to_owned());
        let server = Server::start(vec![canned.clone(), canned.clone(), canned]).await;
        let err = retrying_client(&server, "us-east-1")
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await
            .expect_err("503");
        let service = err.as_service_error().expect("a service error");
        assert!(
            matches!(service, GetIdentityCenterAuthTokenError::Unhandled(_)),
            "{err:?}"
        );
        assert_eq!(service.code(), None);
        assert!(std::error::Error::source(service)
            .and_then(|s| s.downcast_ref::<NoErrorCode>())
            .is_some_and(|n| n.response().status() == 503));
        let text = DisplayErrorContext(&err).to_string();
        assert!(text.contains(says), "{text}");
        assert_eq!(server.requests().len(), 3, "a bare 503 is retried");
    }
}
