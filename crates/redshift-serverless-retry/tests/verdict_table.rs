//! The whole verdict table as one reviewed snapshot: for `GetIdentityCenterAuthToken`, with
//! the facts its generated types crate exports, and for a made-up operation whose model marks
//! codes off the SDK-wide lists `@retryable`.

use redshift_serverless_retry::{
    classify, AttemptOutcome, ClockSkew, ErrorResponse, ModeledErrors, RetryPolicy,
    TransportFailure, CLOCK_SKEW_CODES, THROTTLING_CODES, TRANSIENT_CODES,
};
use redshift_serverless_types::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError as OpError;
use std::fmt::Write;

const HEADERS: [Option<&str>; 2] = [None, Some("1500")];

/// What the model says of `GetIdentityCenterAuthToken`'s errors.
const ERRORS: ModeledErrors<'static> =
    ModeledErrors::new(OpError::MODELED_ERROR_CODES, OpError::RETRYABLE_ERRORS);

/// A made-up operation: one `@retryable(throttling: true)` code, one `@retryable` code and
/// one plain modeled code, none of them on an SDK-wide list.
const OTHER_ERRORS: ModeledErrors<'static> = ModeledErrors::new(
    &[
        "BusyException",
        "QuotaPressureException",
        "WidgetBrokenException",
    ],
    &[("QuotaPressureException", true), ("BusyException", false)],
);

fn modeled(code: &str) -> bool {
    ERRORS.is_modeled(code)
}

fn row(out: &mut String, label: &str, response: ErrorResponse<'_>) {
    row_for(out, &ERRORS, label, response);
}

fn row_for(out: &mut String, errors: &ModeledErrors<'_>, label: &str, response: ErrorResponse<'_>) {
    for header in HEADERS {
        let mut r = response;
        r.retry_after = header;
        let verdict = classify(
            &AttemptOutcome::Response(r),
            errors,
            &RetryPolicy::default(),
        );
        let _ = writeln!(
            out,
            "{label:<58} | {:<10} | {verdict}",
            header.map_or("-".to_string(), |h| format!("ra={h}"))
        );
    }
}

fn coded(status: u16, code: &str) -> ErrorResponse<'_> {
    ErrorResponse::status(status).with_code(code)
}

#[test]
fn verdict_table() {
    let mut out = String::new();
    out.push_str("## modeled errors of GetIdentityCenterAuthToken\n");
    for (code, status) in [
        ("InternalServerException", 500),
        ("ResourceNotFoundException", 404),
        ("ValidationException", 400),
        ("ConflictException", 409),
        ("AccessDeniedException", 403),
        ("DryRunException", 400),
        ("ThrottlingException", 429),
    ] {
        row(
            &mut out,
            &format!("{status} {code} (modeled)"),
            coded(status, code),
        );
    }
    out.push_str("## throttling codes (unmodeled ones sent with 400)\n");
    for code in THROTTLING_CODES {
        let status = if modeled(code) { 429 } else { 400 };
        let m = if modeled(code) {
            "modeled"
        } else {
            "unmodeled"
        };
        row(
            &mut out,
            &format!("{status} {code} ({m})"),
            coded(status, code),
        );
    }
    out.push_str("## transient codes\n");
    for code in TRANSIENT_CODES {
        row(
            &mut out,
            &format!("400 {code} (unmodeled)"),
            coded(400, code),
        );
    }
    out.push_str("## clock-skew codes (403)\n");
    for code in CLOCK_SKEW_CODES {
        for (label, skew) in [
            ("skew none", None),
            ("skew 0", Some(ClockSkew::from_secs(0))),
            ("skew +5min", Some(ClockSkew::from_secs(300))),
            ("skew -5min", Some(ClockSkew::from_secs(-300))),
        ] {
            let mut r = coded(403, code);
            r.clock_skew = skew;
            row(&mut out, &format!("403 {code} {label}"), r);
        }
    }
    out.push_str("## expired credentials\n");
    for code in ["ExpiredToken", "ExpiredTokenException"] {
        row(
            &mut out,
            &format!("400 {code} (unmodeled)"),
            coded(400, code),
        );
        row(
            &mut out,
            &format!("403 {code} skew +5min"),
            coded(403, code).with_clock_skew(ClockSkew::from_secs(300)),
        );
    }
    out.push_str("## bare statuses (no code)\n");
    for status in [
        400, 403, 404, 409, 429, 500, 502, 503, 504, 501, 509, 301, 200,
    ] {
        row(
            &mut out,
            &format!("{status} <no code>"),
            ErrorResponse::status(status),
        );
    }
    out.push_str("## precedence and odd inputs\n");
    row(
        &mut out,
        "429 SomethingUnknown (unmodeled)",
        coded(429, "SomethingUnknown"),
    );
    row(
        &mut out,
        "429 ValidationException (modeled, not throttling)",
        coded(429, "ValidationException"),
    );
    row(
        &mut out,
        "429 RequestTimeout (unmodeled)",
        coded(429, "RequestTimeout"),
    );
    row(
        &mut out,
        "400 ThrottlingException (modeled on a 400)",
        coded(400, "ThrottlingException"),
    );
    row(
        &mut out,
        "503 ValidationException (modeled on a 5xx)",
        coded(503, "ValidationException"),
    );
    row(
        &mut out,
        "503 AccessDeniedException skew 0",
        coded(503, "AccessDeniedException").with_clock_skew(ClockSkew::from_secs(0)),
    );
    row(
        &mut out,
        "400 InternalServerException (modeled on a 400)",
        coded(400, "InternalServerException"),
    );
    row_for(
        &mut out,
        &ModeledErrors::NONE,
        "500 InternalServerException (unmodeled by this op)",
        coded(500, "InternalServerException"),
    );
    row(
        &mut out,
        "403 AccessDeniedException skew exactly 4min",
        coded(403, "AccessDeniedException").with_clock_skew(ClockSkew::from_secs(240)),
    );
    row(
        &mut out,
        "403 AccessDeniedException skew 4min+1ms",
        coded(403, "AccessDeniedException").with_clock_skew(ClockSkew::from_millis(240_001)),
    );
    for raw in [
        "-5",
        "1.5",
        "abc",
        "",
        " 250 ",
        "0",
        "99999999999999999999999",
    ] {
        let r = coded(429, "ThrottlingException").with_retry_after(raw);
        let verdict = classify(
            &AttemptOutcome::Response(r),
            &ERRORS,
            &RetryPolicy::default(),
        );
        let _ = writeln!(
            out,
            "{:<58} | {:<10} | {verdict}",
            "429 ThrottlingException",
            format!("ra={raw:?}")
        );
    }
    out.push_str("## another operation: @retryable codes off the SDK-wide lists\n");
    for code in [
        "QuotaPressureException",
        "BusyException",
        "WidgetBrokenException",
    ] {
        let retryable = match OTHER_ERRORS.retryable(code) {
            Some(true) => "@retryable(throttling)",
            Some(false) => "@retryable",
            None => "modeled",
        };
        for status in [400, 429, 503] {
            row_for(
                &mut out,
                &OTHER_ERRORS,
                &format!("{status} {code} ({retryable})"),
                coded(status, code),
            );
        }
        row(
            &mut out,
            &format!("400 {code} (unmodeled by the main op)"),
            coded(400, code),
        );
    }
    out.push_str("## transport failures\n");
    for failure in TransportFailure::ALL {
        for (label, policy) in [
            ("idempotent", RetryPolicy::default()),
            ("non-idempotent", RetryPolicy::non_idempotent()),
        ] {
            let verdict = classify(&AttemptOutcome::Transport(*failure), &ERRORS, &policy);
            let _ = writeln!(
                out,
                "{:<58} | {:<10} | {verdict}",
                format!("{failure} ({label})"),
                "-"
            );
        }
    }
    out.push_str("## success\n");
    let _ = writeln!(
        out,
        "{:<58} | {:<10} | {}",
        "success",
        "-",
        classify(&AttemptOutcome::Success, &ERRORS, &RetryPolicy::default())
    );
    insta::assert_snapshot!(out);
}
