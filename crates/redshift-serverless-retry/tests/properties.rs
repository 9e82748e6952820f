//! Properties of the pure classifier over arbitrary inputs.

use proptest::prelude::*;
use redshift_serverless_retry::{
    classify, AttemptOutcome, ClockSkew, ErrorResponse, RetryKind, RetryPolicy, Verdict,
    CLOCK_SKEW_CODES, GET_IDENTITY_CENTER_AUTH_TOKEN_ERRORS, MODELED_RETRYABLE_CODES,
    THROTTLING_CODES, TRANSIENT_CODES,
};

fn known_codes() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    all.extend(THROTTLING_CODES);
    all.extend(TRANSIENT_CODES);
    all.extend(CLOCK_SKEW_CODES);
    all.extend(GET_IDENTITY_CENTER_AUTH_TOKEN_ERRORS);
    all.extend(["ExpiredToken", "ExpiredTokenException", "DryRunException"]);
    all
}

fn code_strategy() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(known_codes()).prop_map(|c| Some(c.to_string())),
        "[A-Za-z]{0,24}".prop_map(Some),
        any::<String>().prop_map(Some),
    ]
}

fn header_strategy() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        (0u64..100_000).prop_map(|n| Some(n.to_string())),
        (-100_000i64..0).prop_map(|n| Some(n.to_string())),
        any::<String>().prop_map(Some),
    ]
}

fn skew_strategy() -> impl Strategy<Value = Option<ClockSkew>> {
    prop_oneof![
        Just(None),
        any::<i64>().prop_map(|m| Some(ClockSkew::from_millis(m))),
        (-600_000i64..600_000).prop_map(|m| Some(ClockSkew::from_millis(m))),
    ]
}

#[derive(Debug, Clone)]
struct Input {
    status: u16,
    code: Option<String>,
    modeled: bool,
    header: Option<String>,
    skew: Option<ClockSkew>,
}

impl Input {
    fn response(&self) -> ErrorResponse<'_> {
        ErrorResponse {
            status: self.status,
            code: self.code.as_deref(),
            code_is_modeled: self.modeled,
            retry_after: self.header.as_deref(),
            clock_skew: self.skew,
        }
    }
    fn in_list(&self, list: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| list.contains(&c))
    }
}

fn input_strategy() -> impl Strategy<Value = Input> {
    (
        100u16..=599,
        code_strategy(),
        any::<bool>(),
        header_strategy(),
        skew_strategy(),
    )
        .prop_map(|(status, code, modeled_flag, header, skew)| {
            // Modeledness follows the real list for known codes, is random otherwise.
            let modeled = match code.as_deref() {
                Some(c) if GET_IDENTITY_CENTER_AUTH_TOKEN_ERRORS.contains(&c) => true,
                Some(c) if known_codes().contains(&c) => false,
                Some(_) => modeled_flag,
                None => false,
            };
            Input {
                status,
                code,
                modeled,
                header,
                skew,
            }
        })
}

fn verdict(input: &Input) -> Verdict {
    classify(
        &AttemptOutcome::Response(input.response()),
        &RetryPolicy::default(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn total_and_deterministic(input in input_strategy(), idempotent in any::<bool>()) {
        let policy = RetryPolicy { idempotent };
        let a = classify(&AttemptOutcome::Response(input.response()), &policy);
        let b = classify(&AttemptOutcome::Response(input.response()), &policy);
        prop_assert_eq!(a, b);
        prop_assert!(!matches!(a, Verdict::NoAction), "an error response is never NoAction");
    }

    #[test]
    fn no_plain_4xx_is_retried(input in input_strategy()) {
        let code_rule = input.in_list(THROTTLING_CODES)
            || input.in_list(TRANSIENT_CODES)
            || (input.in_list(CLOCK_SKEW_CODES) && input.skew.is_some_and(ClockSkew::exceeds_threshold))
            || (input.modeled && input.in_list(MODELED_RETRYABLE_CODES))
            || (input.status == 429 && !input.modeled);
        if (400..500).contains(&input.status) && !code_rule {
            let is_forbid = matches!(verdict(&input), Verdict::Forbid { .. });
            prop_assert!(is_forbid, "{:?}", input);
        }
    }

    #[test]
    fn gateway_statuses_without_known_code_are_retried(
        status in proptest::sample::select(vec![500u16, 502, 503, 504]),
        code in prop_oneof![Just(None), "[A-Za-z]{1,20}".prop_map(Some)],
        header in header_strategy(),
        skew in skew_strategy(),
    ) {
        let input = Input { status, code, modeled: false, header, skew };
        // A random code can spell a known one; those are covered by the next property.
        prop_assume!(!input.code.as_deref().is_some_and(|c| known_codes().contains(&c)));
        prop_assert!(verdict(&input).is_retry(), "{:?}", input);
    }

    #[test]
    fn gateway_statuses_are_retried_unless_the_code_is_final(
        status in proptest::sample::select(vec![500u16, 502, 503, 504]),
        input in input_strategy(),
    ) {
        let input = Input { status, ..input };
        let skew_over_threshold = input.skew.is_some_and(ClockSkew::exceeds_threshold);
        // Codes that decide on their own, whatever the status (retry-facts section 5).
        let retrying_code = input.in_list(THROTTLING_CODES)
            || input.in_list(TRANSIENT_CODES)
            || (input.in_list(CLOCK_SKEW_CODES) && skew_over_threshold)
            || (input.modeled && input.in_list(MODELED_RETRYABLE_CODES));
        let final_code = input.modeled
            || input.in_list(CLOCK_SKEW_CODES)
            || input.in_list(&["ExpiredToken", "ExpiredTokenException"]);
        let expected = retrying_code || !final_code;
        prop_assert_eq!(verdict(&input).is_retry(), expected, "{:?}", input);
    }

    #[test]
    fn throttling_iff_code_listed_or_unmodeled_429(input in input_strategy()) {
        let expected = input.in_list(THROTTLING_CODES) || (input.status == 429 && !input.modeled);
        prop_assert_eq!(verdict(&input).kind() == Some(RetryKind::Throttling), expected, "{:?}", input);
    }

    #[test]
    fn header_never_turns_forbid_into_retry(input in input_strategy(), header in header_strategy()) {
        let without = Input { header: None, ..input.clone() };
        let with = Input { header, ..input };
        let (a, b) = (verdict(&without), verdict(&with));
        prop_assert_eq!(a.is_retry(), b.is_retry());
        prop_assert_eq!(a.kind(), b.kind());
        if let Verdict::Forbid { .. } = b {
            let was_forbid = matches!(a, Verdict::Forbid { .. });
            prop_assert!(was_forbid);
        }
    }

    #[test]
    fn retry_after_is_reported_verbatim(ms in 0u64..10_000_000) {
        let raw = ms.to_string();
        let r = ErrorResponse::status(503).with_retry_after(&raw);
        match classify(&AttemptOutcome::Response(r), &RetryPolicy::default()) {
            Verdict::Retry { retry_after, .. } => {
                prop_assert_eq!(retry_after, Some(std::time::Duration::from_millis(ms)));
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }
}
