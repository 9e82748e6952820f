//! What both listeners (the HTTP API and the SQL front) do when `accept` fails, typically
//! out of file descriptors: back off, doubling from 20 ms to a second, and log once per run
//! of failures (when it starts, and with its count when accepting works again) rather than
//! once per attempt.

use std::time::Duration;

/// The longest pause between accept attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(crate) struct AcceptBackoff {
    failures: u64,
}

impl AcceptBackoff {
    /// A connection was accepted: ends a run of failures.
    pub(crate) fn accepted(&mut self, listener: &str) {
        if self.failures > 0 {
            tracing::info!(
                failures = self.failures,
                listener,
                "accepting connections again"
            );
            self.failures = 0;
        }
    }

    /// An accept failed: how long to wait before the next one.
    pub(crate) fn failed(&mut self, error: &std::io::Error, listener: &str) -> Duration {
        self.failures += 1;
        if self.failures == 1 {
            tracing::warn!(%error, listener, "accept failed; backing off until it works again");
        }
        Duration::from_millis(10)
            .saturating_mul(1 << self.failures.min(7))
            .min(MAX_BACKOFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_doubles_up_to_a_second_and_resets() {
        let e = std::io::Error::other("EMFILE");
        let mut b = AcceptBackoff::default();
        let pauses: Vec<u128> = (0..9).map(|_| b.failed(&e, "test").as_millis()).collect();
        assert_eq!(pauses, [20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
        b.accepted("test");
        assert_eq!(b.failed(&e, "test"), Duration::from_millis(20));
    }
}
