//! The identity cache's load timeout, computed once per client, against aws-smithy-runtime's
//! own formula (`pessimistic_load_timeout` in `client/identity/cache/lazy.rs`, 1.16.2) written
//! out again here in floats as the oracle, over every configuration it can compute.

use std::time::Duration;

use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use proptest::prelude::*;
use redshift_serverless_retry::{identity_load_timeout, MAX_ATTEMPTS, MAX_IDENTITY_LOAD_TIMEOUT};

/// The runtime's formula, in seconds.
fn runtime_formula(retry: &RetryConfig, timeout: &TimeoutConfig) -> f64 {
    let attempts = retry.max_attempts();
    let initial = retry.initial_backoff().as_secs_f64();
    let max = retry.max_backoff().as_secs_f64();
    let total_backoff: f64 = (0..attempts.saturating_sub(1))
        .map(|i| (initial * 2.0_f64.powi(i as i32)).min(max))
        .sum();
    let default_connect = 3.1;
    let connect = timeout
        .connect_timeout()
        .map_or(default_connect, |d| d.as_secs_f64())
        .max(default_connect);
    let ceiling = timeout
        .operation_attempt_timeout()
        .map_or(0.0, |d| d.as_secs_f64());
    let per_attempt = (connect * 2.0).max(ceiling);
    (total_backoff + attempts as f64 * per_attempt).max(per_attempt)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn equals_the_runtimes_formula_up_to_its_ceiling(
        attempts in 0..=MAX_ATTEMPTS,
        initial_ms in 0u64..5_000,
        max_ms in 0u64..60_000,
        connect_ms in proptest::option::of(0u64..10_000),
        attempt_ms in proptest::option::of(0u64..120_000),
    ) {
        let retry = RetryConfig::standard()
            .with_max_attempts(attempts)
            .with_initial_backoff(Duration::from_millis(initial_ms))
            .with_max_backoff(Duration::from_millis(max_ms));
        let mut timeout = TimeoutConfig::builder();
        timeout
            .set_connect_timeout(connect_ms.map(Duration::from_millis))
            .set_operation_attempt_timeout(attempt_ms.map(Duration::from_millis));
        let timeout = timeout.build();
        let expected = runtime_formula(&retry, &timeout)
            .min(MAX_IDENTITY_LOAD_TIMEOUT.as_secs_f64());
        let got = identity_load_timeout(&retry, Some(&timeout)).as_secs_f64();
        // The oracle sums floats; ours sums whole nanoseconds.
        prop_assert!((got - expected).abs() < 1e-6, "got {got} s, runtime formula {expected} s");
    }
}
