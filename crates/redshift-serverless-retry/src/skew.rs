//! Clock-skew measurement, for the signer and for the classifier.
//!
//! [`ClockSkewInterceptor`] does what aws-runtime's `ServiceClockSkewInterceptor` does (the
//! same formula, the same untrusted cases, the skew kept per client across operations), but
//! publishes both results where this project's crates read them: the skew to sign with as
//! `redshift_serverless_signer::SigningClockSkew` in the config bag (aws-runtime's own is
//! crate-private), and the skew measured from each response as a [`MeasuredClockSkew`]
//! response extension for [`crate::RedshiftRetryClassifier`].
//!
//! Pair it with `redshift_serverless_signer`'s auth scheme, which reads that skew;
//! aws-runtime's SigV4 signer does not.

use crate::classify::ClockSkew;
use aws_runtime::service_clock_skew::DisableClockSkewCorrection;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
    BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use redshift_serverless_signer::SigningClockSkew;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Round trips longer than this give no trustworthy midpoint (aws-runtime uses the same).
const MAX_TRUSTED_ROUND_TRIP: Duration = Duration::from_secs(15 * 60);

/// The skew measured from one response, attached as a response extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasuredClockSkew(pub ClockSkew);

#[derive(Clone, Copy, Debug)]
struct SentAt(SystemTime);
impl Storable for SentAt {
    type Storer = StoreReplace<Self>;
}

/// Measures the clock skew from every response and keeps the client's latest.
///
/// One per client: clones of the client share it, so an operation starts signed with the
/// skew learned by the previous one.
#[derive(Debug, Default)]
pub struct ClockSkewInterceptor {
    client_skew: Arc<Mutex<SigningClockSkew>>,
}

impl ClockSkewInterceptor {
    /// A new interceptor with zero initial skew.
    pub fn new() -> Self {
        Self::default()
    }

    fn client_skew(&self) -> SigningClockSkew {
        // The value is a plain copy: a panic elsewhere cannot leave it half-written.
        *self
            .client_skew
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn disabled(cfg: &ConfigBag) -> bool {
    cfg.load::<DisableClockSkewCorrection>()
        .is_some_and(|d| d.is_disabled())
}

/// `server - midpoint(sent, received)` in signed milliseconds, or `None` when the response
/// cannot be trusted for it (no/invalid `Date`, an `Age` header, a very slow round trip).
pub fn measure_skew(
    sent: SystemTime,
    received: SystemTime,
    date_header: Option<&str>,
    age_header_present: bool,
) -> Option<ClockSkew> {
    if age_header_present {
        return None;
    }
    let server =
        SystemTime::try_from(DateTime::from_str(date_header?, Format::HttpDate).ok()?).ok()?;
    let elapsed = received.duration_since(sent).unwrap_or_default();
    if elapsed > MAX_TRUSTED_ROUND_TRIP {
        return None;
    }
    let midpoint = sent.checked_add(elapsed / 2)?;
    let millis = match server.duration_since(midpoint) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).ok()?,
        Err(behind) => i64::try_from(behind.duration().as_millis())
            .ok()?
            .checked_neg()?,
    };
    Some(ClockSkew::from_millis(millis))
}

impl Intercept for ClockSkewInterceptor {
    fn name(&self) -> &'static str {
        "RedshiftClockSkewInterceptor"
    }

    fn modify_before_retry_loop(
        &self,
        _ctx: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !disabled(cfg) {
            // The first attempt signs with what the client learned so far.
            cfg.interceptor_state().store_put(self.client_skew());
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !disabled(cfg) {
            if let Some(ts) = rc.time_source() {
                cfg.interceptor_state().store_put(SentAt(ts.now()));
            }
        }
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        ctx: &mut BeforeDeserializationInterceptorContextMut<'_>,
        rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if disabled(cfg) {
            return Ok(());
        }
        let (Some(sent), Some(ts)) = (cfg.load::<SentAt>().map(|s| s.0), rc.time_source()) else {
            return Ok(());
        };
        let headers = ctx.response().headers();
        let Some(skew) = measure_skew(
            sent,
            ts.now(),
            headers.get("date"),
            headers.get("age").is_some(),
        ) else {
            return Ok(());
        };
        // Every trusted response refreshes the skew, so a stale value heals by itself.
        let signing = SigningClockSkew::from_millis(skew.as_millis());
        cfg.interceptor_state().store_put(signing);
        *self
            .client_skew
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = signing;
        tracing::trace!(skew_ms = skew.as_millis(), "measured clock skew");
        ctx.response_mut().add_extension(MeasuredClockSkew(skew));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-28T05:00:00Z, `Sat, 28 Nov 2026 05:00:00 GMT`.
    fn at(secs_after: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_842_000 + secs_after)
    }
    const SERVER_DATE: &str = "Sat, 28 Nov 2026 05:00:00 GMT";

    #[test]
    fn skew_is_measured_from_the_midpoint_of_the_round_trip() {
        // Sent 10 min before the server's time, answered 2 s later: the server is 599 s ahead.
        let sent = at(0) - Duration::from_secs(600);
        let received = sent + Duration::from_secs(2);
        let skew = measure_skew(sent, received, Some(SERVER_DATE), false).expect("measured");
        assert_eq!(skew.as_millis(), 599_000);
        // And behind: the client is 5 minutes ahead of the server.
        let sent = at(300);
        let skew = measure_skew(sent, sent, Some(SERVER_DATE), false).expect("measured");
        assert_eq!(skew.as_millis(), -300_000);
    }

    #[test]
    fn untrustworthy_responses_give_no_skew() {
        let sent = at(0);
        // A cached answer, a missing or malformed Date, a round trip over 15 minutes.
        assert_eq!(measure_skew(sent, sent, Some(SERVER_DATE), true), None);
        assert_eq!(measure_skew(sent, sent, None, false), None);
        assert_eq!(measure_skew(sent, sent, Some("yesterday"), false), None);
        let slow = sent + Duration::from_secs(15 * 60 + 1);
        assert_eq!(measure_skew(sent, slow, Some(SERVER_DATE), false), None);
    }
}
