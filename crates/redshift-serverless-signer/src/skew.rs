//! The offset the signer adds to the local clock.

use aws_smithy_types::config_bag::{Storable, StoreReplace};
use std::time::{Duration, SystemTime};

/// How far the service's clock is ahead of the local one (negative: behind), in
/// milliseconds. Stored in the config bag by whoever measures it; the signer signs at
/// `now + skew`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigningClockSkew {
    millis: i64,
}

impl SigningClockSkew {
    /// A skew of `millis` milliseconds (positive: the service is ahead).
    pub const fn from_millis(millis: i64) -> Self {
        SigningClockSkew { millis }
    }

    /// The skew in milliseconds.
    pub const fn as_millis(self) -> i64 {
        self.millis
    }

    /// `time` shifted by the skew; `time` itself if the result is not representable.
    pub fn apply(self, time: SystemTime) -> SystemTime {
        let shift = Duration::from_millis(self.millis.unsigned_abs());
        if self.millis >= 0 {
            time.checked_add(shift)
        } else {
            time.checked_sub(shift)
        }
        .unwrap_or(time)
    }
}

impl Storable for SigningClockSkew {
    type Storer = StoreReplace<Self>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_both_ways() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(
            SigningClockSkew::from_millis(1_500).apply(t),
            t + Duration::from_millis(1_500)
        );
        assert_eq!(
            SigningClockSkew::from_millis(-2_000).apply(t),
            t - Duration::from_secs(2)
        );
        // Extreme skews never panic (where the platform cannot represent the result, the
        // time is left as it is).
        let _ = SigningClockSkew::from_millis(i64::MIN).apply(t);
        let _ = SigningClockSkew::from_millis(i64::MAX).apply(t);
    }
}
