//! Every known, deliberate disagreement between this workspace's client and
//! `aws-sdk-redshiftserverless`, and the classifier that attributes a disagreement seen by a
//! generated test to one of them. A disagreement the classifier cannot attribute fails the
//! test: adding a row here is a decision, not a way to silence a test.

use serde_json::Value;

use crate::capture::Canned;
use crate::outcome::Outcome;

/// One row of the differences table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Stable identifier, used in reports.
    pub id: &'static str,
    /// What situation triggers it.
    pub description: &'static str,
    /// What this workspace's client does.
    pub ours: &'static str,
    /// What `aws-sdk-redshiftserverless` 1.129.0 does.
    pub official: &'static str,
    /// The test that pins the row (`<test file>::<test fn>`).
    pub pinned_by: &'static str,
}

/// `__type` and `code` both present and different.
pub const CODE_MEMBER_PRECEDENCE: &Difference = &DIFFERENCES[0];
/// A code with more than one `#` before the URL suffix.
pub const NESTED_NAMESPACE: &Difference = &DIFFERENCES[1];
/// A code that sanitises to the empty string.
pub const EMPTY_CODE: &Difference = &DIFFERENCES[2];
/// `errorMessage` as a message carrier.
pub const ERROR_MESSAGE_ALIAS: &Difference = &DIFFERENCES[3];
/// A required `message` filled from `Message`.
pub const REQUIRED_MESSAGE_FILLED: &Difference = &DIFFERENCES[4];
/// An error body that is not one well-formed JSON object.
pub const NON_OBJECT_ERROR_BODY: &Difference = &DIFFERENCES[5];
/// ThrottlingException's retry kind.
pub const THROTTLING_RETRY_KIND: &Difference = &DIFFERENCES[6];
/// A 429 without a modeled code.
pub const BARE_429: &Difference = &DIFFERENCES[7];
/// Input that breaks the model's constraints.
pub const CLIENT_SIDE_VALIDATION: &Difference = &DIFFERENCES[8];
/// An error response without any code.
pub const CODELESS_ERROR_METADATA: &Difference = &DIFFERENCES[9];
/// `redshift_serverless` in a profile's `[services]` section.
pub const SERVICES_SECTION_KEY: &Difference = &DIFFERENCES[11];
/// A 2xx response whose body is not the operation's output.
pub const UNREADABLE_SUCCESS_BODY: &Difference = &DIFFERENCES[10];
/// A dotted host name as the region.
pub const REGION_NAME_RULE: &Difference = &DIFFERENCES[12];
/// A modeled error's body whose members have the wrong JSON types.
pub const UNREADABLE_MODELED_ERROR: &Difference = &DIFFERENCES[13];

/// The table. Order matters only for the constants above.
pub const DIFFERENCES: [Difference; 14] = [
    Difference {
        id: "code-member-precedence",
        description: "error body has both `__type` and a `code` member, with different values, and no X-Amzn-Errortype header",
        ours: "code from `__type` (e.g. AccessDeniedException, the modeled variant)",
        official: "code from `code` (e.g. `AccessDenied`, Unhandled)",
        pinned_by: "differential_responses::pinned_code_member_precedence",
    },
    Difference {
        id: "nested-namespace-code",
        description: "error code with several `#` before the first `:` (`a#b#Code`)",
        ours: "keeps what follows the last `#` (`Code`), as the awsJson spec says",
        official: "keeps what follows the first `#` (`b#Code`)",
        pinned_by: "differential_responses::pinned_nested_namespace",
    },
    Difference {
        id: "empty-code",
        description: "error code that is empty after sanitising (`\"\"`, `ns#`, `:http://x`)",
        ours: "no code: Unhandled with code() == None",
        official: "Unhandled with code() == Some(\"\")",
        pinned_by: "differential_responses::pinned_empty_code",
    },
    Difference {
        id: "error-message-alias",
        description: "error body carries its text in `errorMessage`",
        ours: "ignored: only `message` and `Message` are message carriers",
        official: "read as the message (smithy-rs also accepts `errorMessage`)",
        pinned_by: "differential_responses::pinned_error_message_alias",
    },
    Difference {
        id: "required-message-filled",
        description: "modeled error with a required `message` whose body has no `message` but has `Message`",
        ours: "the shape's `message` is filled from the generic message",
        official: "the shape's `message` is \"\" (error-correction default), only meta().message() has the text",
        pinned_by: "differential_responses::pinned_required_message_filled",
    },
    Difference {
        id: "non-object-error-body",
        description: "error status whose body is not one well-formed JSON object (malformed, array, scalar, trailing data)",
        ours: "Unhandled with the JSON error as source, keeping the X-Amzn-Errortype code and the request id",
        official: "Unhandled with no code, message or request id, except when the body's first JSON token reads and is not `{` (a scalar, an array, only whitespace) and the header's code is unmodeled: then the header code and request id, like ours",
        pinned_by: "differential_responses::pinned_non_object_error_body",
    },
    Difference {
        id: "throttling-retry-kind",
        description: "ThrottlingException (modeled @retryable(throttling: false))",
        ours: "retried as a throttling error (code on the 14-code list wins)",
        official: "retried as a ClientError (modeled retryable kind)",
        pinned_by: "differential_responses::pinned_throttling_retry_kind",
    },
    Difference {
        id: "bare-429",
        description: "HTTP 429 without a modeled error code",
        ours: "retried as throttling (max_attempts attempts)",
        official: "not retried (1 attempt)",
        pinned_by: "differential_responses::pinned_bare_429_retried",
    },
    Difference {
        id: "client-side-validation",
        description: "input that breaks a model constraint (length, pattern, list size)",
        ours: "ConstructionFailure with the violations; nothing is sent",
        official: "sends the request and lets the service reject it",
        pinned_by: "differential_requests::pinned_client_side_validation",
    },
    Difference {
        id: "codeless-error-metadata",
        description: "error response with no code at all (no header, no `__type`, no `code`), e.g. a bare 429 or 503",
        ours: "Unhandled that keeps the message and the request id",
        official: "Unhandled with empty metadata: message() and request_id() are None",
        pinned_by: "differential_responses::pinned_codeless_error_metadata",
    },
    Difference {
        id: "unreadable-success-body",
        description: "2xx response whose body is not the operation's output: not JSON (e.g. text/html), not one JSON object, a member of the wrong JSON type (`expirationTime` a number), or a `null` in a dense list or map (the full-service tests)",
        ours: "ResponseError, a deserialization failure: its source (UnreadableResponse) names the status, content type and length, and the member and the JSON it needs; not retried. The service reported no error, and the parse error is what the caller needs",
        official: "ServiceError(Unhandled) with no code, message or request id, the parse error its only source; not retried",
        pinned_by: "differential_responses::pinned_unreadable_success_body",
    },
    Difference {
        id: "services-section-key",
        description: "the profile's `[services]` section sets `redshift_serverless = endpoint_url = ..`, the key of the AWS documentation, botocore and the AWS CLI (`Client::new(&SdkConfig)` with aws-config)",
        ours: "used, before `redshift-serverless` and the profile's `endpoint_url` (after the environment's endpoints)",
        official: "passed over: aws-config looks only for `redshift-serverless` (the sdkId lower-cased, spaces as `-`), so the profile's `endpoint_url` or the Region's endpoint applies",
        pinned_by: "sdk_config::pinned_services_section_aws_key",
    },
    Difference {
        id: "region-name-rule",
        description: "a region that botocore refuses but that is a host name: labels of letters, digits and hyphens joined by dots, or one ending in a hyphen (`us-east-1.example.com`, `us-east-1-`)",
        ours: "ConstructionFailure whose source is InvalidRegion naming it; nothing is resolved, signed or sent (botocore's rule: one label of letters, digits and hyphens)",
        official: "accepted (its endpoint parameters allow dots, and a hyphen at a label's end): the request is signed for that region and sent, to a host under the partition's DNS suffix or to the endpoint URL",
        pinned_by: "differential_requests::hostile_regions_are_refused_before_anything_is_sent",
    },
    Difference {
        id: "unreadable-modeled-error",
        description: "error response whose code names a modeled error but whose members have the wrong JSON types (a `message` that is a number), so the error's shape cannot be read",
        ours: "Unhandled that keeps the code and the request id (so it is retried and reported as that error), the parse failure naming the member as its source",
        official: "Unhandled with no code, message or request id, the parse error its only source",
        pinned_by: "differential_responses::pinned_unreadable_modeled_error",
    },
];

/// Whether `ours` and `theirs` are what each crate makes of a success body it cannot read:
/// ours a response error, theirs an unhandled service error without any metadata.
pub fn unreadable_success(ours: &Outcome, theirs: &Outcome) -> bool {
    *ours
        == (Outcome::Other {
            kind: "ResponseError",
        })
        && *theirs
            == (Outcome::Service {
                variant: "Unhandled",
                code: None,
                message: None,
                shape_message: None,
                request_id: None,
            })
}

/// The modeled error codes of the operation.
const MODELED: &[&str] = &[
    "AccessDeniedException",
    "ConflictException",
    "DryRunException",
    "InternalServerException",
    "ResourceNotFoundException",
    "ThrottlingException",
    "ValidationException",
];

/// The code carriers of a response, as each crate reads them.
#[derive(Debug)]
struct Carriers {
    header: Option<String>,
    type_: Option<String>,
    code: Option<String>,
    error_message: Option<String>,
    is_object: bool,
}

fn carriers(case: &Canned) -> Carriers {
    let header = case
        .headers
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-errortype"))
        .map(|(_, v)| v.clone());
    let parsed: Option<Value> = if case.body.is_empty() {
        Some(Value::Object(Default::default()))
    } else {
        serde_json::from_slice(&case.body).ok()
    };
    let object = parsed.as_ref().and_then(Value::as_object);
    let string = |k: &str| {
        object
            .and_then(|o| o.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Carriers {
        header,
        type_: string("__type"),
        code: string("code"),
        error_message: string("errorMessage"),
        is_object: object.is_some(),
    }
}

/// Our sanitiser: cut at the first `:`, then keep what follows the last `#`.
pub fn sanitize_ours(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code)
}

/// The official sanitiser: cut at the first `:`, then keep what follows the first `#`.
pub fn sanitize_official(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.split_once('#').map_or(code, |(_, rest)| rest)
}

/// Attributes every way `ours` and `theirs` differ on `case` to rows of the table.
///
/// `Ok(vec![])` means they agree; `Ok(rows)` means every difference is deliberate; `Err`
/// describes a disagreement no row explains.
pub fn classify_response(
    case: &Canned,
    ours: &Outcome,
    theirs: &Outcome,
) -> Result<Vec<&'static Difference>, String> {
    if ours == theirs {
        return Ok(Vec::new());
    }
    let unexplained = |why: &str| Err(format!("{why}: ours={ours:?} official={theirs:?}"));
    let c = carriers(case);
    let is_error = !(200..300).contains(&case.status);
    if !is_error {
        if unreadable_success(ours, theirs) {
            return Ok(vec![UNREADABLE_SUCCESS_BODY]);
        }
        return unexplained("success responses must read identically");
    }
    // Not an object: our parser rejects the body, and only the header's code survives.
    if !c.is_object {
        return classify_non_object(case, &c, ours, theirs);
    }
    let (
        Outcome::Service {
            variant: ov,
            code: oc,
            message: om,
            shape_message: osm,
            request_id: orid,
        },
        Outcome::Service {
            variant: tv,
            code: tc,
            message: tm,
            shape_message: tsm,
            request_id: trid,
        },
    ) = (ours, theirs)
    else {
        return unexplained("one side is not a service error");
    };
    // No code anywhere: the official crate wraps the metadata as the error's source and
    // keeps none of it; we keep message and request id.
    if *ov == "Unhandled" && *tv == "Unhandled" && oc.is_none() && tc.is_none() {
        let header_rid = header_request_id(case);
        if tm.is_none() && trid.is_none() && *orid == header_rid {
            return Ok(vec![CODELESS_ERROR_METADATA]);
        }
        return unexplained("codeless errors differ in an unexpected way");
    }
    // A modeled error's shape that cannot be read: ours keeps the code and the request id,
    // theirs keeps nothing (whichever code it took, its shape failed too, or it would not be
    // an Unhandled without metadata).
    let our_expect_code = c
        .header
        .clone()
        .or(c.type_.clone())
        .or(c.code.clone())
        .map(|raw| sanitize_ours(&raw).to_owned());
    if *ov == "Unhandled"
        && *tv == "Unhandled"
        && oc.is_some()
        && *oc == our_expect_code
        && oc.as_deref().is_some_and(|code| MODELED.contains(&code))
        && *orid == header_request_id(case)
        && tc.is_none()
        && tm.is_none()
        && trid.is_none()
    {
        return Ok(vec![UNREADABLE_MODELED_ERROR]);
    }
    let mut rows = Vec::new();
    if oc != tc {
        let our_raw = c.header.clone().or(c.type_.clone()).or(c.code.clone());
        let their_raw = c.header.clone().or(c.code.clone()).or(c.type_.clone());
        let our_expect = our_raw
            .as_deref()
            .map(sanitize_ours)
            .filter(|s| !s.is_empty());
        let their_expect = their_raw.as_deref().map(sanitize_official);
        // A modeled shape whose members have the wrong JSON type fails to parse in both
        // crates alike (an Unhandled without metadata); which shape gets parsed follows
        // from the code, so that is a consequence of the code difference.
        let shape_failed = |o: &Outcome, expect: Option<&str>| {
            expect.is_some_and(|e| MODELED.contains(&e))
                && matches!(
                    o,
                    Outcome::Service {
                        variant: "Unhandled",
                        code: None,
                        message: None,
                        request_id: None,
                        ..
                    }
                )
        };
        let ours_failed = shape_failed(ours, our_expect);
        let theirs_failed = shape_failed(theirs, their_expect);
        if !(oc.as_deref() == our_expect || ours_failed)
            || !(tc.as_deref() == their_expect || theirs_failed)
        {
            return unexplained("a code is not what its crate's rules give");
        }
        if our_raw != their_raw {
            rows.push(CODE_MEMBER_PRECEDENCE);
        } else if our_expect.is_none() && their_expect == Some("") {
            rows.push(EMPTY_CODE);
        } else if our_raw.as_deref().map(sanitize_ours) != their_expect {
            rows.push(NESTED_NAMESPACE);
        } else {
            return unexplained("codes differ for no known reason");
        }
        if ours_failed || theirs_failed {
            return Ok(rows);
        }
        if orid != trid {
            return unexplained("request ids differ");
        }
        // The variant, and with it the shape's message, follow from the code.
    } else {
        if orid != trid {
            return unexplained("request ids differ");
        }
        if ov != tv {
            return unexplained("same code, different variant");
        }
        if osm != tsm {
            if tsm.as_deref() == Some("") && osm == om {
                // Ours fills the required member from the generic message; theirs leaves "".
                rows.push(REQUIRED_MESSAGE_FILLED);
            } else if c.error_message.is_some() && tsm == tm && osm == om {
                // Both fill an optional member from the generic message, which differs
                // because of `errorMessage` (checked below).
            } else {
                return unexplained("shape messages differ");
            }
        }
    }
    if om != tm {
        if c.error_message.is_some() && *tm == c.error_message {
            rows.push(ERROR_MESSAGE_ALIAS);
        } else {
            return unexplained("messages differ");
        }
    }
    if rows.is_empty() {
        return unexplained("outcomes differ in an unexamined field");
    }
    Ok(rows)
}

fn header_request_id(case: &Canned) -> Option<String> {
    case.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"))
        .map(|(_, v)| v.clone())
}

/// Whether the official crate's error-body reader gets past `body` without an error and
/// without finding an object: it reads one token, and only an object is read further
/// (`json_errors::parse_error_body` in aws-sdk-redshiftserverless 1.129.0). The same
/// tokenizer (aws-smithy-json, pinned to the official crate's version) decides here.
fn official_skips_body(body: &[u8]) -> bool {
    use aws_smithy_json::deserialize::{json_token_iter, Token};
    !matches!(
        json_token_iter(body).next(),
        Some(Err(_)) | Some(Ok(Token::StartObject { .. }))
    )
}

/// An error body that is not one well-formed JSON object. Both sides are predicted exactly;
/// only the differences the table documents are accepted.
fn classify_non_object(
    case: &Canned,
    c: &Carriers,
    ours: &Outcome,
    theirs: &Outcome,
) -> Result<Vec<&'static Difference>, String> {
    let unexplained = |why: &str| Err(format!("{why}: ours={ours:?} official={theirs:?}"));
    let request_id = header_request_id(case);
    let unhandled = |code: Option<&str>, request_id: Option<String>| Outcome::Service {
        variant: "Unhandled",
        code: code.map(str::to_string),
        message: None,
        shape_message: None,
        request_id,
    };
    // Ours: the header's code (if any survives sanitising) and the request id, always.
    let our_code = c
        .header
        .as_deref()
        .map(sanitize_ours)
        .filter(|h| !h.is_empty());
    if *ours != unhandled(our_code, request_id.clone()) {
        return unexplained(
            "non-object error body not read as an Unhandled carrying only the header's code and the request id",
        );
    }
    // Theirs: the header's code and the request id survive only if the body reader skipped
    // the body and the code does not send it on to a modeled shape's parser (which fails on
    // anything but an object). Otherwise the metadata is lost with the parse error.
    let their_code = c.header.as_deref().map(sanitize_official);
    let kept = their_code.filter(|code| official_skips_body(&case.body) && !MODELED.contains(code));
    match kept {
        None => {
            if *theirs != unhandled(None, None) {
                return unexplained("official crate kept metadata of a body it cannot read");
            }
            // Ours keeps a code or a request id (we know `ours != theirs`).
            Ok(vec![NON_OBJECT_ERROR_BODY])
        }
        Some(code) => {
            if *theirs != unhandled(Some(code), request_id) {
                return unexplained("official crate did not keep the header's code and request id");
            }
            // Both read the body alike; only the header's code can differ, by sanitising.
            if our_code.is_none() && code.is_empty() {
                Ok(vec![EMPTY_CODE])
            } else if our_code != Some(code) {
                Ok(vec![NESTED_NAMESPACE])
            } else {
                unexplained("outcomes differ in an unexamined field")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_constants_point_at_their_rows() {
        let mut ids: Vec<_> = DIFFERENCES.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), DIFFERENCES.len());
        assert_eq!(BARE_429.id, "bare-429");
        assert_eq!(CLIENT_SIDE_VALIDATION.id, "client-side-validation");
        assert_eq!(REGION_NAME_RULE.id, "region-name-rule");
    }

    /// The test files that may pin a row, by the name `pinned_by` uses.
    const PINNING_FILES: [(&str, &str); 4] = [
        (
            "differential_responses",
            include_str!("../tests/differential_responses.rs"),
        ),
        (
            "differential_operations",
            include_str!("../tests/differential_operations/main.rs"),
        ),
        (
            "differential_requests",
            include_str!("../tests/differential_requests.rs"),
        ),
        ("sdk_config", include_str!("../tests/sdk_config.rs")),
    ];

    /// Whether `source` has a `#[test]` function called `name`.
    fn has_test_fn(source: &str, name: &str) -> bool {
        let lines: Vec<&str> = source.lines().map(str::trim).collect();
        lines.iter().enumerate().any(|(i, line)| {
            line.strip_prefix("fn ")
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with('('))
                && lines[..i]
                    .iter()
                    .rev()
                    .find(|l| !l.is_empty() && !l.starts_with("//"))
                    .is_some_and(|attr| *attr == "#[test]")
        })
    }

    #[test]
    fn every_pinned_by_names_an_existing_test() {
        for row in &DIFFERENCES {
            let (file, test) = row.pinned_by.split_once("::").unwrap_or_else(|| {
                panic!("{}: pinned_by {:?} is not file::fn", row.id, row.pinned_by)
            });
            let source = PINNING_FILES
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(_, s)| *s)
                .unwrap_or_else(|| panic!("{}: no test file {file:?}", row.id));
            assert!(
                has_test_fn(source, test),
                "{}: {file}.rs has no #[test] fn {test}",
                row.id
            );
        }
    }

    #[test]
    fn the_pinned_by_check_can_fail() {
        let src = "#[test]\nfn real_test() {}\nfn helper() {}\n#[test]\nfn real_test_two() {}";
        assert!(has_test_fn(src, "real_test"));
        assert!(has_test_fn(src, "real_test_two"));
        assert!(!has_test_fn(src, "helper"));
        assert!(!has_test_fn(src, "real"));
        assert!(!has_test_fn(src, "missing"));
    }

    #[test]
    fn sanitisers() {
        assert_eq!(sanitize_ours("a#b#C:http://x#y"), "C");
        assert_eq!(sanitize_official("a#b#C:http://x#y"), "b#C");
        assert_eq!(sanitize_ours("C"), "C");
        assert_eq!(sanitize_official(":x"), "");
    }
}
