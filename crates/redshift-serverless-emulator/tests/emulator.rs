//! End-to-end behaviour of the emulator over real sockets, signing with `aws-sigv4`.

mod common;

use std::time::Duration;

use common::*;
use redshift_serverless_emulator::{
    AccessKey, Clock, EmulatorConfig, ErrorKind, Fault, FaultRate, Faults, ScriptedFault,
    RECORDED_BODY_LIMIT, REQUEST_LOG_CAPACITY,
};

fn is_request_id(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn success_shape_and_expiration() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    assert_eq!(
        resp.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(is_request_id(resp.header("x-amzn-requestid").unwrap()));
    let json = resp.json();
    let obj = json.as_object().unwrap();
    assert_eq!(obj.len(), 2);
    let token = obj["token"].as_str().unwrap();
    assert!(token.len() >= 64);
    // 15 minutes after the fixed clock, as RFC 3339 UTC.
    assert_eq!(obj["expirationTime"], "2026-11-28T05:15:00Z");
    let parsed = aws_smithy_types::DateTime::from_str(
        obj["expirationTime"].as_str().unwrap(),
        aws_smithy_types::date_time::Format::DateTime,
    )
    .unwrap();
    assert_eq!(parsed.secs(), 1_795_842_000 + 900);

    // Tokens are random per call.
    let again = call(&emu, &Req::default()).await.json();
    assert_ne!(again["token"].as_str().unwrap(), token);

    // The request log never holds the token or the signature.
    let log = emu.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(emu.request_count(), 2);
    assert_eq!(log[0].status, Some(200));
    assert_eq!(log[0].target.as_deref(), Some(TARGET));
    assert_eq!(&log[0].body[..], br#"{"workgroupNames":["default"]}"#);
    let auth = log[0].header("authorization").unwrap();
    assert!(auth.ends_with("Signature=<redacted>"), "{auth}");
    let dump = format!("{log:?}");
    assert!(!dump.contains(token));
    emu.shutdown().await;
}

#[tokio::test]
async fn token_lifetime_is_configurable() {
    let emu = start(EmulatorConfig::default().with_token_lifetime(Duration::from_secs(3600))).await;
    let json = call(&emu, &Req::default()).await.json();
    assert_eq!(json["expirationTime"], "2026-11-28T06:00:00Z");
}

/// A lifetime too long for the clock (here `Duration::MAX`, as `--token-lifetime-secs
/// 18446744073709551615` gives) must not panic the handler: the expiration saturates at the
/// latest instant the timestamp format carries, and the lifetimes just below it are exact.
#[tokio::test]
async fn an_enormous_token_lifetime_saturates_instead_of_panicking() {
    for (lifetime, expires) in [
        (Duration::MAX, "9999-12-31T23:59:59Z"),
        (Duration::from_secs(u64::MAX), "9999-12-31T23:59:59Z"),
        (
            Duration::from_secs(253_402_300_799 - 1_795_842_000 + 1),
            "9999-12-31T23:59:59Z",
        ),
        (
            Duration::from_secs(253_402_300_799 - 1_795_842_000),
            "9999-12-31T23:59:59Z",
        ),
        (
            Duration::from_secs(253_402_300_799 - 1_795_842_000 - 1),
            "9999-12-31T23:59:58Z",
        ),
    ] {
        let emu = start(EmulatorConfig::default().with_token_lifetime(lifetime)).await;
        let resp = call(&emu, &Req::default()).await;
        assert_eq!(resp.status, 200, "{lifetime:?}");
        assert_eq!(resp.json()["expirationTime"], expires, "{lifetime:?}");
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn body_altered_after_signing_is_rejected() {
    let emu = start(EmulatorConfig::default()).await;
    let req = Req::default();
    let headers = req.signed_headers(emu.addr());
    let tampered = br#"{"workgroupNames":["analytics"]}"#;
    let resp = exchange(emu.addr(), &raw_request("POST", "/", &headers, tampered))
        .await
        .unwrap();
    assert_eq!(resp.status, 403);
    assert_eq!(resp.error_type(), "InvalidSignatureException");
    assert!(resp
        .message()
        .contains("signature we calculated does not match"));
}

#[tokio::test]
async fn signed_header_altered_after_signing_is_rejected() {
    let emu = start(EmulatorConfig::default()).await;
    let mut headers = Req::default().signed_headers(emu.addr());
    for (k, v) in headers.iter_mut() {
        if k == "x-amz-target" {
            *v = "RedshiftServerless.ListWorkgroups".into();
        }
    }
    let resp = exchange(
        emu.addr(),
        &raw_request("POST", "/", &headers, &Req::default().body),
    )
    .await
    .unwrap();
    assert_eq!(resp.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn wrong_secret_is_rejected() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(
        &emu,
        &Req {
            secret: "not-the-secret".into(),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(resp.status, 403);
    assert_eq!(resp.error_type(), "InvalidSignatureException");
    assert!(is_request_id(resp.header("x-amzn-requestid").unwrap()));
}

#[tokio::test]
async fn missing_authorization() {
    let emu = start(EmulatorConfig::default()).await;
    let headers: Vec<(String, String)> = Req::default()
        .signed_headers(emu.addr())
        .into_iter()
        .filter(|(k, _)| k != "authorization")
        .collect();
    let resp = exchange(
        emu.addr(),
        &raw_request("POST", "/", &headers, &Req::default().body),
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 403);
    assert_eq!(resp.error_type(), "MissingAuthenticationTokenException");
}

#[tokio::test]
async fn unknown_access_key() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(
        &emu,
        &Req {
            key_id: "AKIDUNKNOWN".into(),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(resp.status, 403);
    assert_eq!(resp.error_type(), "UnrecognizedClientException");
}

#[tokio::test]
async fn expired_and_future_dates_are_rejected() {
    let emu = start(EmulatorConfig::default()).await;
    let old = call(
        &emu,
        &Req {
            time: now() - Duration::from_secs(16 * 60),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(old.status, 403);
    assert_eq!(old.error_type(), "InvalidSignatureException");
    assert!(
        old.message().starts_with("Signature expired"),
        "{}",
        old.message()
    );

    let future = call(
        &emu,
        &Req {
            time: now() + Duration::from_secs(16 * 60),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(future.error_type(), "InvalidSignatureException");
    assert!(future.message().contains("not yet current"));

    // Within the window is fine.
    let near = call(
        &emu,
        &Req {
            time: now() - Duration::from_secs(14 * 60),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(near.status, 200);
}

#[tokio::test]
async fn credential_scope_region_and_service_are_checked() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(
        &emu,
        &Req {
            region: "eu-west-1".into(),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(resp.error_type(), "InvalidSignatureException");
    assert!(resp.message().contains("region"));
    let resp = call(
        &emu,
        &Req {
            service: "redshift".into(),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(resp.error_type(), "InvalidSignatureException");
    assert!(resp.message().contains("service"));
}

#[tokio::test]
async fn session_tokens_must_be_sent_and_signed() {
    let key = AccessKey::new("ASIATEMP", "temp-secret").with_session_token("session-tok");
    let emu = start(EmulatorConfig::default().with_access_keys([key])).await;
    let base = Req {
        key_id: "ASIATEMP".into(),
        secret: "temp-secret".into(),
        ..Req::default()
    };
    let ok = call(
        &emu,
        &Req {
            session_token: Some("session-tok".into()),
            ..base.clone()
        },
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        emu.requests()[0].header("x-amz-security-token"),
        Some("<redacted>")
    );

    let missing = call(&emu, &base).await;
    assert_eq!(missing.error_type(), "UnrecognizedClientException");
    let wrong = call(
        &emu,
        &Req {
            session_token: Some("other".into()),
            ..base.clone()
        },
    )
    .await;
    assert_eq!(wrong.error_type(), "UnrecognizedClientException");

    // Present but left out of SignedHeaders.
    let mut headers = Req {
        session_token: Some("session-tok".into()),
        ..base.clone()
    }
    .signed_headers(emu.addr());
    for (k, v) in headers.iter_mut() {
        if k == "authorization" {
            *v = v.replace(";x-amz-security-token", "");
        }
    }
    let resp = exchange(emu.addr(), &raw_request("POST", "/", &headers, &base.body))
        .await
        .unwrap();
    assert_eq!(resp.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn content_sha256_header_must_match() {
    let emu = start(EmulatorConfig::default()).await;
    let mut headers = Req::default().signed_headers(emu.addr());
    headers.push(("x-amz-content-sha256".into(), "0".repeat(64)));
    let resp = exchange(
        emu.addr(),
        &raw_request("POST", "/", &headers, &Req::default().body),
    )
    .await
    .unwrap();
    assert_eq!(resp.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn wrong_target_content_type_and_path() {
    let emu = start(EmulatorConfig::default()).await;
    for req in [
        Req {
            target: Some("RedshiftServerless.ListWorkgroups".into()),
            ..Req::default()
        },
        Req {
            target: None,
            ..Req::default()
        },
        Req {
            content_type: Some("application/json".into()),
            ..Req::default()
        },
        Req {
            path: "/other".into(),
            ..Req::default()
        },
        Req {
            method: "PUT".into(),
            ..Req::default()
        },
    ] {
        let resp = call(&emu, &req).await;
        assert_eq!(resp.status, 400, "{req:?}");
        assert_eq!(resp.error_type(), "UnknownOperationException", "{req:?}");
    }
}

#[tokio::test]
async fn malformed_json_is_a_serialization_error() {
    let emu = start(EmulatorConfig::default()).await;
    for body in [
        &b"{"[..],
        b"[1]",
        br#"{"workgroupNames":"default"}"#,
        b"\xff\xfe",
    ] {
        let resp = call(&emu, &Req::body(body)).await;
        assert_eq!(resp.status, 400);
        assert_eq!(resp.error_type(), "SerializationException");
    }
}

#[tokio::test]
async fn validation_failures_name_the_constraint() {
    let emu = start(EmulatorConfig::default()).await;
    let too_many: Vec<String> = (0..21).map(|i| format!("\"wg-{i}\"")).collect();
    let cases = [
        ("{}".to_string(), "Value null at 'workgroupNames' failed to satisfy constraint: Member must not be null"),
        (r#"{"workgroupNames":[]}"#.into(), "Member must have length greater than or equal to 1"),
        (format!("{{\"workgroupNames\":[{}]}}", too_many.join(",")), "Member must have length less than or equal to 20"),
        (r#"{"workgroupNames":["ab"]}"#.into(), "Value 'ab' at 'workgroupNames.1.member' failed to satisfy constraint: Member must have length greater than or equal to 3"),
        (format!("{{\"workgroupNames\":[\"{}\"]}}", "a".repeat(65)), "at 'workgroupNames.1.member' failed to satisfy constraint: Member must have length less than or equal to 64"),
        (r#"{"workgroupNames":["default","Bad_Name"]}"#.into(), "1 validation error detected: Value 'Bad_Name' at 'workgroupNames.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9-]+$"),
    ];
    for (body, expected) in cases {
        let resp = call(&emu, &Req::body(body.clone())).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_type(), "ValidationException", "{body}");
        assert!(
            resp.message().contains(expected),
            "{body}: {}",
            resp.message()
        );
    }
    // Exactly at the limits is valid input (20 names of 3 and 64 chars; they then fail lookup).
    let edge: Vec<String> = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                format!("\"{}\"", "a".repeat(64))
            } else {
                "\"abc\"".into()
            }
        })
        .collect();
    let resp = call(
        &emu,
        &Req::body(format!("{{\"workgroupNames\":[{}]}}", edge.join(","))),
    )
    .await;
    assert_eq!(resp.error_type(), "ResourceNotFoundException");
}

#[tokio::test]
async fn unknown_workgroup_is_404_with_resource_name() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(
        &emu,
        &Req::body(r#"{"workgroupNames":["default","missing-wg"]}"#),
    )
    .await;
    assert_eq!(resp.status, 404);
    let json = resp.json();
    assert_eq!(json["__type"], "ResourceNotFoundException");
    assert_eq!(json["resourceName"], "missing-wg");
    assert!(json["message"].as_str().unwrap().contains("missing-wg"));
}

#[tokio::test]
async fn identity_center_disabled_is_access_denied() {
    let emu = start(EmulatorConfig::default().with_workgroup("legacy", false)).await;
    let resp = call(&emu, &Req::body(r#"{"workgroupNames":["legacy"]}"#)).await;
    assert_eq!(resp.status, 403);
    let json = resp.json();
    assert_eq!(json["__type"], "AccessDeniedException");
    assert_eq!(json["code"], "AccessDenied");
    assert!(json["message"].as_str().unwrap().contains("legacy"));
    // Runtime changes apply at once.
    emu.set_workgroup("legacy", true);
    assert_eq!(
        call(&emu, &Req::body(r#"{"workgroupNames":["legacy"]}"#))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn throttles_above_the_rate() {
    let emu = start(EmulatorConfig::default().with_throttle_rps(3.0)).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(call(&emu, &Req::default()).await);
    }
    let codes: Vec<u16> = statuses.iter().map(|r| r.status).collect();
    // The fixed clock never refills the bucket: exactly three pass.
    assert_eq!(codes, [200, 200, 200, 429, 429]);
    assert_eq!(statuses[3].error_type(), "ThrottlingException");
    assert_eq!(statuses[3].message(), "Rate exceeded");
    // Time passing refills it.
    emu.set_clock(Clock::fixed(now() + Duration::from_secs(1)));
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
    emu.set_throttle_rps(None);
    for _ in 0..5 {
        assert_eq!(call(&emu, &Req::default()).await.status, 200);
    }
}

#[tokio::test]
async fn scripted_errors_in_order() {
    let emu = start(EmulatorConfig::default()).await;
    let mut steps: Vec<ScriptedFault> = ErrorKind::MODELED
        .iter()
        .map(|k| ScriptedFault::once(Fault::error(*k)))
        .collect();
    steps.push(ScriptedFault::once(Fault::Error {
        error: ErrorKind::ThrottlingException,
        message: Some("Slow down".into()),
        retry_after: Some("1500".into()),
    }));
    emu.set_faults(Faults::script(steps))
        .expect("the faults are valid");
    let expected = [
        (400, "ValidationException"),
        (404, "ResourceNotFoundException"),
        (403, "AccessDeniedException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
        (409, "ConflictException"),
        (400, "DryRunException"),
    ];
    for (status, code) in expected {
        let resp = call(&emu, &Req::default()).await;
        assert_eq!((resp.status, resp.error_type().as_str()), (status, code));
        assert!(!resp.message().is_empty());
    }
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.message(), "Slow down");
    assert_eq!(resp.json()["code"], "Throttling");
    assert_eq!(resp.header("x-amz-retry-after"), Some("1500"));
    // Script exhausted: normal service resumes.
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
    let log = emu.requests();
    assert_eq!(log[0].fault.as_deref(), Some("error:ValidationException"));
    assert_eq!(log[0].error_code.as_deref(), Some("ValidationException"));
    assert_eq!(log.last().unwrap().fault, None);
}

#[tokio::test]
async fn next_n_throttled_then_pass() {
    let emu = start(EmulatorConfig::default().with_faults(Faults::throttle_next(2))).await;
    let codes: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(call(&emu, &Req::default()).await.status);
        }
        v
    };
    assert_eq!(codes, [429, 429, 200]);
}

#[tokio::test]
async fn custom_response_fault() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::Custom {
        status: 503,
        headers: [(
            "x-amzn-errortype".to_string(),
            "ServiceUnavailable:http://x#y".to_string(),
        )]
        .into_iter()
        .collect(),
        body: r#"{"Message":"busy"}"#.into(),
    }))
    .expect("the faults are valid");
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.status, 503);
    assert_eq!(
        resp.header("x-amzn-errortype"),
        Some("ServiceUnavailable:http://x#y")
    );
    assert_eq!(resp.body, br#"{"Message":"busy"}"#);
    assert!(resp.header("x-amzn-requestid").is_some());
}

#[tokio::test]
async fn connection_reset_fault() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::ConnectionReset))
        .expect("the faults are valid");
    let err = send(&emu, &Req::default()).await.unwrap_err();
    assert!(matches!(err, RawError::NoResponse(_)), "{err:?}");
    assert_eq!(emu.requests()[0].status, None);
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
}

#[tokio::test]
async fn truncated_body_fault() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::TruncatedBody))
        .expect("the faults are valid");
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.status, 200);
    let declared = resp.content_length.expect("a Content-Length");
    assert!(
        resp.body.len() < declared,
        "{} vs {declared}",
        resp.body.len()
    );
    assert!(!resp.complete());
    assert!(serde_json::from_slice::<serde_json::Value>(&resp.body).is_err());
}

#[tokio::test]
async fn garbage_body_fault() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::GarbageBody))
        .expect("the faults are valid");
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.status, 200);
    assert!(resp.complete());
    assert!(serde_json::from_slice::<serde_json::Value>(&resp.body).is_err());
}

#[tokio::test]
async fn stalled_body_fault() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::StalledBody { stall_ms: 10_000 }))
        .expect("the faults are valid");
    let headers = Req::default().signed_headers(emu.addr());
    let raw = raw_request("POST", "/", &headers, &Req::default().body);
    let err = exchange_with_timeout(emu.addr(), &raw, Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(err, RawError::Timeout), "{err:?}");

    // A short stall completes with a full (if fake) body.
    emu.push_fault(ScriptedFault::once(Fault::StalledBody { stall_ms: 50 }))
        .expect("the faults are valid");
    let resp = call(&emu, &Req::default()).await;
    assert_eq!(resp.status, 200);
    assert!(resp.complete());
    // Shutdown is not held up by the 10 s stall.
    let t = std::time::Instant::now();
    emu.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn added_latency() {
    let emu = start(EmulatorConfig::default()).await;
    emu.push_fault(ScriptedFault::once(Fault::Pass).with_delay(Duration::from_millis(80)))
        .expect("the faults are valid");
    let t = std::time::Instant::now();
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(80));
}

#[tokio::test]
async fn random_rates_are_seeded() {
    let faults = Faults {
        rates: vec![FaultRate {
            probability: 0.5,
            fault: Fault::error(ErrorKind::InternalServerException),
        }],
        seed: 42,
        ..Faults::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let emu = start(EmulatorConfig::default().with_faults(faults.clone())).await;
        let mut codes = Vec::new();
        for _ in 0..12 {
            codes.push(call(&emu, &Req::default()).await.status);
        }
        runs.push(codes);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(
        runs[0].contains(&500) && runs[0].contains(&200),
        "{:?}",
        runs[0]
    );
}

#[tokio::test]
async fn admin_endpoints() {
    let emu = start(EmulatorConfig::default()).await;
    let admin = |method: &str, path: &str, body: &str| {
        raw_request(
            method,
            path,
            &[("host".into(), emu.addr().to_string())],
            body.as_bytes(),
        )
    };
    let r = exchange(
        emu.addr(),
        &admin(
            "POST",
            "/__admin/faults",
            r#"{"script":[{"kind":"error","error":"ConflictException","times":2}]}"#,
        ),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(
        call(&emu, &Req::default()).await.error_type(),
        "ConflictException"
    );

    let r = exchange(emu.addr(), &admin("GET", "/__admin/requests", ""))
        .await
        .unwrap();
    let json = r.json();
    assert_eq!(json["count"], 1);
    assert_eq!(json["requests"][0]["error_code"], "ConflictException");

    let r = exchange(emu.addr(), &admin("GET", "/__admin/faults", ""))
        .await
        .unwrap();
    assert_eq!(r.json()["script"][0]["times"], 1);

    let r = exchange(emu.addr(), &admin("POST", "/__admin/faults", "{not json"))
        .await
        .unwrap();
    assert_eq!(r.status, 400);

    let r = exchange(
        emu.addr(),
        &admin("POST", "/__admin/faults/push", r#"{"kind":"garbage_body"}"#),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(emu.faults().script.len(), 2);

    let r = exchange(emu.addr(), &admin("POST", "/__admin/reset", ""))
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(emu.request_count(), 0);
    assert!(emu.requests().is_empty());
    assert_eq!(call(&emu, &Req::default()).await.status, 200);
    // Admin calls are not service requests.
    assert_eq!(emu.request_count(), 1);
    let r = exchange(emu.addr(), &admin("GET", "/__admin/nope", ""))
        .await
        .unwrap();
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn faults_precede_authentication() {
    // A scripted fault answers even an unsigned request: faults model the network and
    // front end, which act before the service looks at the signature.
    let emu = start(EmulatorConfig::default().with_faults(Faults::throttle_next(1))).await;
    let resp = exchange(
        emu.addr(),
        &raw_request(
            "POST",
            "/",
            &[("host".into(), emu.addr().to_string())],
            b"{}",
        ),
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 429);
}

#[tokio::test]
async fn keep_alive_connections_serve_several_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emu = start(EmulatorConfig::default()).await;
    let mut stream = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    for _ in 0..2 {
        let headers = Req::default().signed_headers(emu.addr());
        let mut raw = String::from("POST / HTTP/1.1\r\n");
        for (k, v) in &headers {
            raw.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = Req::default().body;
        raw.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        stream.write_all(raw.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    }
    assert_eq!(emu.request_count(), 2);
}

#[tokio::test]
async fn the_request_log_is_a_bounded_ring_keeping_a_prefix_of_each_body() {
    let emu = start(EmulatorConfig::default()).await;
    // A rejected body just under the 1 MiB request limit: one workgroup name far too long.
    let mut big = br#"{"workgroupNames":[""#.to_vec();
    big.resize((1 << 20) - 3, b'a');
    big.extend_from_slice(br#""]}"#);
    assert_eq!(call(&emu, &Req::body(big.clone())).await.status, 400);
    let first = &emu.requests()[0];
    assert_eq!(first.body_len, big.len());
    // Compared by length first: a failure must not print a megabyte.
    assert_eq!(first.body.len(), RECORDED_BODY_LIMIT);
    assert!(first.body == big[..RECORDED_BODY_LIMIT]);

    // Many more requests than the log holds: it keeps the newest, the count keeps them all.
    let extra = 50;
    for _ in 0..REQUEST_LOG_CAPACITY + extra {
        assert_eq!(call(&emu, &Req::default()).await.status, 200);
    }
    let log = emu.requests();
    assert_eq!(log.len(), REQUEST_LOG_CAPACITY);
    assert_eq!(
        emu.request_count() as usize,
        REQUEST_LOG_CAPACITY + extra + 1
    );
    assert!(log.iter().all(|r| r.body_len == Req::default().body.len()));
    let ids: std::collections::HashSet<_> = log.iter().map(|r| &r.request_id).collect();
    assert_eq!(
        ids.len(),
        REQUEST_LOG_CAPACITY,
        "the newest requests, each once"
    );

    // The admin view is bounded with it.
    let admin = raw_request(
        "GET",
        "/__admin/requests",
        &[("host".into(), emu.addr().to_string())],
        b"",
    );
    let r = exchange(emu.addr(), &admin).await.unwrap();
    assert_eq!(
        r.json()["requests"].as_array().map(Vec::len),
        Some(REQUEST_LOG_CAPACITY)
    );
    assert_eq!(r.json()["log_capacity"], REQUEST_LOG_CAPACITY);
    assert!(
        r.body.len() < REQUEST_LOG_CAPACITY * 2 * 1024,
        "{} bytes",
        r.body.len()
    );
}

#[tokio::test]
async fn the_request_log_redacts_query_string_signatures_and_tokens() {
    let emu = start(EmulatorConfig::default()).await;
    let req = Req {
        path: "/?X-Amz-Signature=sig0123&keep=1&x-amz-security-token=tok4567".into(),
        ..Req::default()
    };
    call(&emu, &req).await;
    assert_eq!(
        emu.requests()[0].path,
        "/?X-Amz-Signature=<redacted>&keep=1&x-amz-security-token=<redacted>"
    );
}
