//! The throttle: a token bucket refilled by the emulator's clock (a fixed clock never
//! refills, which makes throttling tests deterministic).

use std::time::SystemTime;

#[derive(Debug)]
pub(crate) struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: SystemTime,
}

impl TokenBucket {
    /// A bucket for `rate` requests per second, or `None` (no limit) for a rate that is not
    /// a finite number of zero or more: `inf` means no limit, and a NaN or a negative rate
    /// must not quietly throttle every request. The program and the config file refuse
    /// those values before they get here ([`crate::EmulatorConfig::check`]).
    pub(crate) fn new(rate: f64, now: SystemTime) -> Option<Self> {
        if !rate.is_finite() || rate < 0.0 {
            return None;
        }
        // A burst of one second's worth, but at least one request when the rate is positive.
        let capacity = if rate > 0.0 { rate.max(1.0) } else { 0.0 };
        Some(TokenBucket {
            rate,
            capacity,
            tokens: capacity,
            last: now,
        })
    }

    pub(crate) fn try_take(&mut self, now: SystemTime) -> bool {
        if let Ok(elapsed) = now.duration_since(self.last) {
            self.tokens = (self.tokens + elapsed.as_secs_f64() * self.rate).min(self.capacity);
            self.last = now;
        }
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_rate_that_is_not_a_number_of_requests_is_no_limit() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        for rate in [f64::INFINITY, f64::NAN, f64::NEG_INFINITY, -1.0] {
            assert!(TokenBucket::new(rate, now).is_none(), "{rate}");
        }
        let mut zero = TokenBucket::new(0.0, now).expect("zero is a rate");
        assert!(!zero.try_take(now));
        let mut two = TokenBucket::new(2.0, now).expect("a rate");
        assert!(two.try_take(now) && two.try_take(now) && !two.try_take(now));
        assert!(two.try_take(now + Duration::from_millis(500)));
    }
}
