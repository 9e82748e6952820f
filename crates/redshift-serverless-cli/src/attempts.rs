//! An interceptor that counts attempts and, under `--debug`, logs each one.
//!
//! The count is what the `(reached max retries: N)` suffix needs, the last endpoint is what
//! a connection failure names; the log is what makes retries visible. Only the method, URL, status, error code and retry verdict are logged:
//! never headers (the `Authorization` signature, `x-amz-security-token`) or bodies (the
//! token).

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use redshift_serverless_retry::{ModeledErrors, RedshiftRetryClassifier, RetryPolicy};

/// What happened across the attempts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttemptStats {
    /// Attempts started (the first one included).
    pub attempts: u32,
    /// Whether the retry classifier would have retried the last attempt's failure.
    pub last_was_retryable: bool,
}

impl AttemptStats {
    /// True when the call stopped only because no attempts were left: the last failure
    /// was retryable and `max_attempts` were used.
    pub fn retries_exhausted(&self, max_attempts: u32) -> bool {
        self.last_was_retryable && self.attempts >= max_attempts
    }
}

/// Counts and logs the attempts of an operation whose error type is `E`; register it with
/// `Config::builder().interceptor(..)`.
#[derive(Debug)]
pub struct AttemptTracker<E> {
    stats: Arc<Mutex<AttemptStats>>,
    endpoint: Arc<Mutex<Option<String>>>,
    // The same classifier the client runs, asked again only to report its verdict.
    classifier: RedshiftRetryClassifier<E>,
}

impl<E> Clone for AttemptTracker<E> {
    fn clone(&self) -> Self {
        AttemptTracker {
            stats: self.stats.clone(),
            endpoint: self.endpoint.clone(),
            classifier: self.classifier.clone(),
        }
    }
}

impl<E> AttemptTracker<E> {
    /// A tracker with a zero count, for an operation whose errors the model describes as
    /// `errors` (`operation::Operation::ERRORS`).
    pub fn new(errors: ModeledErrors<'static>) -> Self {
        AttemptTracker {
            stats: Arc::default(),
            endpoint: Arc::default(),
            classifier: RedshiftRetryClassifier::new(errors, RetryPolicy::default()),
        }
    }

    /// The counts so far.
    pub fn stats(&self) -> AttemptStats {
        *self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The URL the last attempt was sent to, its user information redacted.
    pub fn last_endpoint(&self) -> Option<String> {
        self.endpoint
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut AttemptStats)) -> AttemptStats {
        let mut guard = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard);
        *guard
    }
}

impl<E> Intercept for AttemptTracker<E>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        "AttemptTracker"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.update(|s| {
            s.attempts += 1;
            s.last_was_retryable = false;
        });
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = self.stats().attempts;
        let request = context.request();
        // A password in the endpoint URL is never printed.
        let endpoint = crate::endpoint_url::redact_userinfo(request.uri()).into_owned();
        *self.endpoint.lock().unwrap_or_else(|p| p.into_inner()) = Some(endpoint.clone());
        tracing::debug!(
            attempt,
            method = request.method(),
            endpoint = endpoint.as_str(),
            "sending attempt #{attempt}"
        );
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let ctx = context.inner();
        let verdict = self.classifier.verdict(ctx);
        let stats = self.update(|s| s.last_was_retryable = verdict.is_retry());
        let status = ctx
            .response()
            .map_or_else(|| "none".to_owned(), |r| r.status().as_u16().to_string());
        let code = match ctx.output_or_error() {
            Some(Err(err)) => err
                .as_operation_error()
                .and_then(|e| e.downcast_ref::<E>())
                .and_then(|e| e.code())
                .map(str::to_owned),
            _ => None,
        }
        .unwrap_or_else(|| "-".to_owned());
        tracing::debug!(
            attempt = stats.attempts,
            status = %status,
            error_code = %code,
            verdict = %verdict,
            "attempt #{} finished",
            stats.attempts
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustion_needs_a_retryable_last_failure_and_no_attempts_left() {
        let s = AttemptStats {
            attempts: 3,
            last_was_retryable: true,
        };
        assert!(s.retries_exhausted(3));
        assert!(!s.retries_exhausted(4));
        let s = AttemptStats {
            attempts: 1,
            last_was_retryable: false,
        };
        assert!(!s.retries_exhausted(1));
    }
}
