//! Strategy settings. See `STRATEGY.md` for what the runtime does with them.

use aws_smithy_types::retry::{RetryConfig, RetryMode, RetrySpec};
use std::time::Duration;

/// Cap on the computed backoff, before jitter.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

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
}
