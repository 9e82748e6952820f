//! Properties of the pure classifier over arbitrary inputs, including arbitrary model facts:
//! which codes an operation models and which of them are `@retryable` (throttling or not).

use proptest::prelude::*;
use redshift_serverless_retry::{
    classify, AttemptOutcome, ClockSkew, ErrorResponse, ModeledErrors, RetryKind, RetryPolicy,
    Verdict, CLOCK_SKEW_CODES, THROTTLING_CODES, TRANSIENT_CODES,
};

/// Codes the classifier knows of without a model, plus a few a model might declare.
fn known_codes() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    all.extend(THROTTLING_CODES);
    all.extend(TRANSIENT_CODES);
    all.extend(CLOCK_SKEW_CODES);
    all.extend(["ExpiredToken", "ExpiredTokenException"]);
    all.extend([
        "InternalServerException",
        "ValidationException",
        "DryRunException",
        "BusyException",
    ]);
    all
}

/// One operation's facts: each modeled code (once) with `Some(throttling)` when `@retryable`.
type Facts = Vec<(String, Option<bool>)>;

fn facts_strategy() -> impl Strategy<Value = Facts> {
    let code = prop_oneof![
        proptest::sample::select(known_codes()).prop_map(str::to_string),
        "[A-Za-z]{1,24}",
    ];
    proptest::collection::btree_map(code, any::<Option<bool>>(), 0..8)
        .prop_map(|facts| facts.into_iter().collect())
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
    facts: Facts,
    header: Option<String>,
    skew: Option<ClockSkew>,
}

impl Input {
    fn response(&self) -> ErrorResponse<'_> {
        ErrorResponse {
            status: self.status,
            code: self.code.as_deref(),
            retry_after: self.header.as_deref(),
            clock_skew: self.skew,
        }
    }
    fn in_list(&self, list: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| list.contains(&c))
    }
    /// Whether the facts list the response's code (the oracle reads the facts directly,
    /// not through `ModeledErrors`).
    fn modeled(&self) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| self.facts.iter().any(|(m, _)| m == c))
    }
    /// `Some(throttling)` when the facts mark the code `@retryable`.
    fn retryable(&self) -> Option<bool> {
        let code = self.code.as_deref()?;
        self.facts.iter().find(|(m, _)| m == code)?.1
    }
    /// The verdict with the facts handed over as a generated crate hands them over.
    fn classify(&self, policy: &RetryPolicy) -> Verdict {
        let codes: Vec<&str> = self.facts.iter().map(|(c, _)| c.as_str()).collect();
        let retryable: Vec<(&str, bool)> = self
            .facts
            .iter()
            .filter_map(|(c, r)| r.map(|throttling| (c.as_str(), throttling)))
            .collect();
        let errors = ModeledErrors::new(&codes, &retryable);
        classify(&AttemptOutcome::Response(self.response()), &errors, policy)
    }
}

fn input_strategy() -> impl Strategy<Value = Input> {
    (
        100u16..=599,
        facts_strategy(),
        header_strategy(),
        skew_strategy(),
    )
        .prop_flat_map(|(status, facts, header, skew)| {
            // The code is often one the operation models, else anything.
            let modeled: Vec<Option<String>> = facts.iter().map(|(c, _)| Some(c.clone())).collect();
            let code = if modeled.is_empty() {
                code_strategy().boxed()
            } else {
                prop_oneof![proptest::sample::select(modeled), code_strategy()].boxed()
            };
            (Just(status), code, Just(facts), Just(header), Just(skew))
        })
        .prop_map(|(status, code, facts, header, skew)| Input {
            status,
            code,
            facts,
            header,
            skew,
        })
}

fn verdict(input: &Input) -> Verdict {
    input.classify(&RetryPolicy::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn total_and_deterministic(input in input_strategy(), idempotent in any::<bool>()) {
        let policy = RetryPolicy { idempotent };
        let a = input.classify(&policy);
        let b = input.classify(&policy);
        prop_assert_eq!(a, b);
        prop_assert!(!matches!(a, Verdict::NoAction), "an error response is never NoAction");
    }

    #[test]
    fn no_plain_4xx_is_retried(input in input_strategy()) {
        let code_rule = input.in_list(THROTTLING_CODES)
            || input.in_list(TRANSIENT_CODES)
            || (input.in_list(CLOCK_SKEW_CODES) && input.skew.is_some_and(ClockSkew::exceeds_threshold))
            || input.retryable().is_some()
            || (input.status == 429 && !input.modeled());
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
        // An operation that models no errors.
        let input = Input { status, code, facts: Vec::new(), header, skew };
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
            || input.retryable().is_some();
        let final_code = input.modeled()
            || input.in_list(CLOCK_SKEW_CODES)
            || input.in_list(&["ExpiredToken", "ExpiredTokenException"]);
        let expected = retrying_code || !final_code;
        prop_assert_eq!(verdict(&input).is_retry(), expected, "{:?}", input);
    }

    #[test]
    fn throttling_iff_code_listed_modeled_as_throttling_or_unmodeled_429(input in input_strategy()) {
        let expected = input.in_list(THROTTLING_CODES)
            || input.retryable() == Some(true)
            || (input.status == 429 && !input.modeled());
        prop_assert_eq!(verdict(&input).kind() == Some(RetryKind::Throttling), expected, "{:?}", input);
    }

    #[test]
    fn a_modeled_retryable_code_off_the_lists_is_retried_as_the_model_says(input in input_strategy()) {
        let listed = input.in_list(THROTTLING_CODES)
            || input.in_list(TRANSIENT_CODES)
            || input.in_list(CLOCK_SKEW_CODES);
        prop_assume!(!listed);
        let expected = match input.retryable() {
            Some(true) => Some(RetryKind::Throttling),
            Some(false) => Some(RetryKind::Server),
            // Not retryable by the model: decided by the status alone, never as Server.
            None => verdict(&input).kind().filter(|k| *k != RetryKind::Server),
        };
        prop_assert_eq!(verdict(&input).kind(), expected, "{:?}", input);
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
        match classify(&AttemptOutcome::Response(r), &ModeledErrors::NONE, &RetryPolicy::default()) {
            Verdict::Retry { retry_after, .. } => {
                prop_assert_eq!(retry_after, Some(std::time::Duration::from_millis(ms)));
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }
}
