//! Strategy settings. See `STRATEGY.md` for what the runtime does with them.
//!
//! Also the bounds a client holds any user's `RetryConfig` to. aws-smithy-runtime's lazy
//! identity cache derives its load timeout on every call from the configured attempts, in a
//! loop over `max_attempts` (`pessimistic_load_timeout`): `u32::MAX` attempts cost 321 s of
//! CPU before the first request, and a large `max_backoff` or timeout makes the same
//! function panic converting an overflowing float to a `Duration`. [`bounded_retry_config`]
//! and [`identity_load_timeout`], applied once per client, make that work constant.

use aws_smithy_types::retry::{RetryConfig, RetryMode, RetrySpec};
use aws_smithy_types::timeout::TimeoutConfig;
use std::time::Duration;

/// Cap on the computed backoff, before jitter.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// The most attempts (the first included) a client makes, whatever its `RetryConfig` asks.
/// At the 20 s backoff cap that is over half an hour of retrying; the retry token bucket
/// (500 tokens) stops a run of failures well before it in practice. The CLI refuses a
/// larger `--max-attempts`.
pub const MAX_ATTEMPTS: u32 = 100;

/// The longest backoff (initial or maximum) a client uses, whatever its `RetryConfig` asks.
pub const MAX_BACKOFF_LIMIT: Duration = Duration::from_secs(60 * 60);

/// The longest the identity cache waits for credentials (see [`identity_load_timeout`]).
pub const MAX_IDENTITY_LOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// aws-smithy-runtime's default connect timeout, which its load-timeout formula uses as a
/// floor (`DEFAULT_CONNECT_TIMEOUT`, crate-private there).
const RUNTIME_DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// `config` held to the client's bounds: at most [`MAX_ATTEMPTS`] attempts (and at least
/// one), backoffs of at most [`MAX_BACKOFF_LIMIT`]. Everything else is kept.
pub fn bounded_retry_config(config: RetryConfig) -> RetryConfig {
    let attempts = config.max_attempts().clamp(1, MAX_ATTEMPTS);
    let initial = config.initial_backoff().min(MAX_BACKOFF_LIMIT);
    let max = config.max_backoff().min(MAX_BACKOFF_LIMIT);
    config
        .with_max_attempts(attempts)
        .with_initial_backoff(initial)
        .with_max_backoff(max)
}

/// The load timeout to give the lazy identity cache, computed once per client instead of by
/// the runtime on every call.
///
/// It is the runtime's own formula (worst-case backoffs plus `attempts` times the larger of
/// twice the connect timeout, floored at 3.1 s, and the attempt timeout), with the attempts
/// held to [`MAX_ATTEMPTS`], saturating arithmetic instead of floats, and the result held
/// to [`MAX_IDENTITY_LOAD_TIMEOUT`]: the same value for any sane configuration, and no
/// panic and no long loop for any other.
pub fn identity_load_timeout(retry: &RetryConfig, timeout: Option<&TimeoutConfig>) -> Duration {
    let attempts = retry.max_attempts().min(MAX_ATTEMPTS);
    let (initial, max) = (retry.initial_backoff(), retry.max_backoff());
    let mut backoffs = Duration::ZERO;
    let mut step = initial;
    for _ in 1..attempts {
        backoffs = backoffs.saturating_add(step.min(max));
        step = step.saturating_mul(2);
    }
    let connect = timeout
        .and_then(TimeoutConfig::connect_timeout)
        .unwrap_or(RUNTIME_DEFAULT_CONNECT_TIMEOUT)
        .max(RUNTIME_DEFAULT_CONNECT_TIMEOUT);
    let attempt_ceiling = timeout
        .and_then(TimeoutConfig::operation_attempt_timeout)
        .unwrap_or_default();
    let per_attempt = connect.saturating_mul(2).max(attempt_ceiling);
    backoffs
        .saturating_add(per_attempt.saturating_mul(attempts))
        .max(per_attempt)
        .min(MAX_IDENTITY_LOAD_TIMEOUT)
}

/// The retry configuration for this operation.
///
/// * `mode`: `Standard` (the default) or `Adaptive`;
/// * `max_attempts`: total tries including the first; 0 is raised to 1 (no retry) because
///   the runtime rejects 0. The default for this operation is 3.
///
/// It selects Retry Behavior 2.1 through `RetryConfig::with_retry_spec(RetrySpec::v2_1())`:
/// throttling backoff base 1 s, other kinds 50 ms, `x-amz-retry-after` clamped to
/// `[t_i, t_i + 5 s]`, and (for the bucket created for this partition) costs 5 / 14.
/// `with_retry_spec` is `#[doc(hidden)]` in aws-smithy-types; the exact version pin in the
/// workspace is what makes relying on it acceptable.
pub fn retry_config(mode: RetryMode, max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_retry_mode(mode)
        .with_max_attempts(max_attempts.max(1))
        .with_initial_backoff(Duration::from_secs(1))
        .with_max_backoff(MAX_BACKOFF)
        .with_retry_spec(RetrySpec::v2_1())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_standard_three_attempts_twenty_second_cap() {
        let cfg = retry_config(RetryMode::Standard, 3);
        assert_eq!(cfg.mode(), RetryMode::Standard);
        assert_eq!(cfg.max_attempts(), 3);
        assert_eq!(cfg.max_backoff(), Duration::from_secs(20));
        assert_eq!(cfg.initial_backoff(), Duration::from_secs(1));
        let spec = cfg.retry_spec().cloned().unwrap_or_else(RetrySpec::v2_0);
        assert!(spec.is_at_least(RetrySpec::V2_1));
        assert_eq!(
            spec.non_throttling_initial_backoff(),
            Duration::from_millis(50)
        );
    }

    #[test]
    fn zero_attempts_becomes_one() {
        assert_eq!(retry_config(RetryMode::Adaptive, 0).max_attempts(), 1);
    }

    #[test]
    fn any_retry_config_is_held_to_the_bounds() {
        let hour = Duration::from_secs(3600);
        // (max attempts, initial backoff, max backoff) asked for -> what the client uses.
        let cases = [
            ((3, 1, 20), (3, 1, 20)),
            ((0, 1, 20), (1, 1, 20)),
            ((100, 1, 20), (100, 1, 20)),
            ((101, 1, 20), (100, 1, 20)),
            ((u32::MAX, 1, 20), (100, 1, 20)),
            ((5, u64::MAX, u64::MAX), (5, 3600, 3600)),
        ];
        for ((attempts, initial, max), (want_attempts, want_initial, want_max)) in cases {
            let asked = RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_secs(initial))
                .with_max_backoff(Duration::from_secs(max))
                .with_retry_mode(RetryMode::Adaptive);
            let got = bounded_retry_config(asked);
            assert_eq!(got.max_attempts(), want_attempts, "{attempts}");
            assert_eq!(got.initial_backoff(), Duration::from_secs(want_initial));
            assert_eq!(got.max_backoff(), Duration::from_secs(want_max));
            assert_eq!(got.mode(), RetryMode::Adaptive, "the rest is kept");
        }
        assert_eq!(MAX_BACKOFF_LIMIT, hour);
    }

    #[test]
    fn the_identity_load_timeout_is_the_runtimes_for_the_default_and_bounded_otherwise() {
        let default = retry_config(RetryMode::Standard, 3);
        // The runtime's documented value for 3 attempts and the default connect timeout:
        // backoffs 1 s + 2 s, plus 3 x 6.2 s.
        assert_eq!(
            identity_load_timeout(&default, None),
            Duration::from_millis(21_600)
        );
        let huge = |attempts, backoff, timeout| {
            let retry = RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(backoff)
                .with_max_backoff(backoff);
            let timeout = TimeoutConfig::builder()
                .connect_timeout(timeout)
                .operation_attempt_timeout(timeout)
                .build();
            identity_load_timeout(&retry, Some(&timeout))
        };
        let (second, max) = (Duration::from_secs(1), Duration::MAX);
        // u32::MAX attempts count as 100: 99 backoffs of 1 s, and 100 x 6.2 s.
        assert_eq!(huge(u32::MAX, second, second), Duration::from_secs(719));
        // Overflowing values, which make the runtime's float conversion panic, saturate.
        for got in [
            huge(3, max, second),
            huge(3, second, max),
            huge(u32::MAX, max, max),
        ] {
            assert_eq!(got, MAX_IDENTITY_LOAD_TIMEOUT);
        }
    }
}
