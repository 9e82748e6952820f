//! Behaviour of the cache against a fake service and a manual clock.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_async::rt::sleep::{AsyncSleep, Sleep};
use aws_smithy_async::test_util::ManualTimeSource;
use common::{start_time, Fake, Reply};
use redshift_serverless_token::{RetryKind, TokenCache, TokenCacheBuilder, TokenError};

const SEC: Duration = Duration::from_secs(1);
const MIN: Duration = Duration::from_secs(60);

fn setup() -> (ManualTimeSource, Fake) {
    let clock = ManualTimeSource::new(start_time());
    let fake = Fake::new(&clock);
    (clock, fake)
}

fn builder(clock: &ManualTimeSource, fake: &Fake) -> TokenCacheBuilder {
    TokenCache::builder(fake.client())
        .time_source(clock.clone())
        .jitter(false)
}

#[tokio::test]
async fn one_request_per_refresh_window() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    let wg = ["wg-one"];

    let first = cache.token(&wg).await.unwrap();
    assert_eq!(first.expose_secret(), "tok-1");
    assert_eq!(first.lifetime(), Duration::from_secs(3600));
    for _ in 0..10 {
        clock.advance(5 * MIN);
        // One hour: refresh when less than max(5 min, 6 min) = 6 min remain, i.e. at 54 min.
        let t = cache.token(&wg).await.unwrap();
        assert_eq!(t.expose_secret(), "tok-1");
    }
    assert_eq!(fake.requests(), 1);
    clock.advance(4 * MIN); // 54 min
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-2");
    assert_eq!(fake.requests(), 2);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-2");
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn order_and_duplicates_share_one_token() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    let a = cache.token(&["wg-b", "wg-a", "wg-b"]).await.unwrap();
    let b = cache.token(&["wg-a", "wg-b"]).await.unwrap();
    let owned: Vec<String> = vec!["wg-b".into(), "wg-a".into()];
    let c = cache.token(&owned).await.unwrap();
    assert!(Arc::ptr_eq(&a, &b) && Arc::ptr_eq(&b, &c));
    assert_eq!(fake.requests(), 1);
    assert_eq!(cache.len(), 1);
    // The set is sent normalised.
    assert_eq!(fake.bodies(), [r#"{"workgroupNames":["wg-a","wg-b"]}"#]);
}

#[tokio::test]
async fn validation_failure_never_reaches_the_network() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    let cases: Vec<Vec<String>> = vec![
        vec![],
        vec!["Bad_Name".into()],
        vec!["ab".into()],
        (0..21).map(|i| format!("wg-{i}")).collect(),
    ];
    for names in cases {
        let err = cache.token(&names).await.unwrap_err();
        let violations = err.constraint_violations().expect("a validation error");
        assert!(!violations.is_empty());
        assert!(!err.is_retryable(), "{err}");
        assert!(matches!(err, TokenError::Validation(_)));
    }
    assert_eq!(fake.requests(), 0);
    assert!(cache.is_empty());
}

#[tokio::test]
async fn least_recently_used_set_is_evicted() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).capacity(2).build();
    cache.token(&["wg-a"]).await.unwrap();
    clock.advance(SEC);
    cache.token(&["wg-b"]).await.unwrap();
    clock.advance(SEC);
    cache.token(&["wg-a"]).await.unwrap(); // a is now more recent than b
    clock.advance(SEC);
    assert_eq!(fake.requests(), 2);
    cache.token(&["wg-c"]).await.unwrap(); // evicts b
    assert_eq!(fake.requests(), 3);
    assert_eq!(cache.len(), 2);
    clock.advance(SEC);
    cache.token(&["wg-a"]).await.unwrap();
    cache.token(&["wg-c"]).await.unwrap();
    assert_eq!(fake.requests(), 3, "a and c are still cached");
    cache.token(&["wg-b"]).await.unwrap();
    assert_eq!(fake.requests(), 4, "b was evicted and is fetched again");
    assert_eq!(cache.len(), 2);
}

#[tokio::test]
async fn invalidate_forgets_a_set() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    cache.token(&["wg-a"]).await.unwrap();
    assert!(cache.invalidate(&["wg-a"]));
    assert!(!cache.invalidate(&["wg-a"]));
    assert_eq!(
        cache.token(&["wg-a"]).await.unwrap().expose_secret(),
        "tok-2"
    );
}

#[tokio::test]
async fn serves_the_cached_token_while_refresh_fails_then_backs_off() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake)
        .retry_backoff(Duration::from_secs(10), Duration::from_secs(40))
        .build();
    let wg = ["wg-a"];
    cache.token(&wg).await.unwrap();
    clock.advance(55 * MIN); // inside the refresh window, 4 min before the margin
    fake.push([Reply::INTERNAL, Reply::THROTTLED, Reply::INTERNAL]);

    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-1");
    assert_eq!(fake.requests(), 2);
    // Backing off for 10 s: no request.
    clock.advance(9 * SEC);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-1");
    assert_eq!(fake.requests(), 2);
    clock.advance(SEC);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-1");
    assert_eq!(fake.requests(), 3);
    // Second failure: 20 s.
    clock.advance(19 * SEC);
    cache.token(&wg).await.unwrap();
    assert_eq!(fake.requests(), 3);
    clock.advance(SEC);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-1");
    assert_eq!(fake.requests(), 4);
    // Third failure: 40 s, then the service recovers.
    clock.advance(40 * SEC);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-5");
    assert_eq!(fake.requests(), 5);
}

#[tokio::test]
async fn stale_serving_stops_at_the_margin() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    let wg = ["wg-a"];
    cache.token(&wg).await.unwrap();
    fake.set_fallback(Reply::INTERNAL);
    clock.advance(58 * MIN);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-1");
    // 59 min: exactly the margin (60 s) remains, which is not enough.
    clock.advance(MIN);
    let err = cache.token(&wg).await.unwrap_err();
    assert!(err.is_retryable(), "a 500 is transient: {err}");
    assert_eq!(err.verdict().kind(), Some(RetryKind::Server));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_expired_token_and_a_failed_refresh_is_one_error_for_every_waiter() {
    let clock = ManualTimeSource::new(start_time());
    let fake = Fake::with_delay(&clock, Duration::from_millis(50));
    let cache = builder(&clock, &fake).build();
    let wg = ["wg-a"];
    cache.token(&wg).await.unwrap();
    clock.advance(2 * 60 * MIN);
    fake.push([Reply::THROTTLED]);

    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.token(&wg).await })
        })
        .collect();
    for task in tasks {
        let err = task.await.unwrap().unwrap_err();
        assert_eq!(err.verdict().kind(), Some(RetryKind::Throttling), "{err}");
        assert!(err.service_error().unwrap().is_throttling_exception());
    }
    assert_eq!(fake.requests(), 2, "the waiters shared one request");

    // A later call tries again.
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-3");
}

#[tokio::test]
async fn non_retryable_errors_say_so() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    fake.push([Reply::DENIED]);
    let err = cache.token(&["wg-a"]).await.unwrap_err();
    assert!(!err.is_retryable(), "{err}");
    assert!(err.service_error().unwrap().is_access_denied_exception());
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_token_inside_the_margin_is_never_returned() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).margin(2 * MIN).build();
    fake.push([Reply::Token(2 * MIN)]);
    let err = cache.token(&["wg-a"]).await.unwrap_err();
    assert!(matches!(err, TokenError::ExpiresTooSoon { .. }), "{err}");
    // Short but usable: handed out, and refreshed at half its usable life.
    fake.push([Reply::Token(4 * MIN)]);
    assert_eq!(
        cache.token(&["wg-a"]).await.unwrap().expose_secret(),
        "tok-2"
    );
    clock.advance(MIN);
    assert_eq!(
        cache.token(&["wg-a"]).await.unwrap().expose_secret(),
        "tok-3"
    );
}

#[tokio::test]
async fn the_secret_is_redacted_in_debug_and_display() {
    let (clock, fake) = setup();
    let cache = builder(&clock, &fake).build();
    let token = cache.token(&["wg-a"]).await.unwrap();
    assert_eq!(token.expose_secret(), "tok-1");
    let debug = format!("{token:?}");
    let display = token.to_string();
    for shown in [&debug, &display] {
        assert!(!shown.contains("tok-1"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    assert!(debug.contains("expires_at"), "{debug}");
    assert!(!format!("{cache:?}").contains("tok-1"));
}

/// A sleep that ignores the requested duration (the manual clock decides what is due),
/// yields briefly in real time, and counts sleeps that are still pending.
#[derive(Clone, Debug, Default)]
struct CountingSleep {
    started: Arc<AtomicUsize>,
    pending: Arc<AtomicUsize>,
}

struct PendingGuard(Arc<AtomicUsize>);

impl Drop for PendingGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AsyncSleep for CountingSleep {
    fn sleep(&self, _duration: Duration) -> Sleep {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.pending.fetch_add(1, Ordering::SeqCst);
        let guard = PendingGuard(self.pending.clone());
        Sleep::new(async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_millis(2)).await;
        })
    }
}

async fn wait_until(mut condition: impl FnMut() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("condition not reached in time");
}

#[tokio::test]
async fn background_refresh_keeps_tokens_fresh_and_stops_with_the_cache() {
    let (clock, fake) = setup();
    let sleep = CountingSleep::default();
    let cache = builder(&clock, &fake)
        .sleep_impl(sleep.clone())
        .background_refresh(true)
        .build();
    let wg = ["wg-a"];
    cache.token(&wg).await.unwrap();
    clock.advance(MIN);
    cache.token(&wg).await.unwrap(); // used during its life, so worth keeping fresh
    assert_eq!(fake.requests(), 1);

    clock.advance(55 * MIN); // past the refresh point (54 min)
    wait_until(|| fake.requests() == 2).await;
    // The caller gets the new token without waiting for a request.
    clock.advance(SEC);
    assert_eq!(cache.token(&wg).await.unwrap().expose_secret(), "tok-2");
    assert_eq!(fake.requests(), 2);

    clock.advance(55 * MIN);
    wait_until(|| fake.requests() == 3).await;
    // tok-3 is not used during its life, so it is left to expire.
    clock.advance(56 * MIN);
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(fake.requests(), 3);

    assert!(sleep.started.load(Ordering::SeqCst) > 0);
    drop(cache);
    wait_until(|| sleep.pending.load(Ordering::SeqCst) == 0).await;
    let started = sleep.started.load(Ordering::SeqCst);
    clock.advance(5 * 60 * MIN);
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(
        sleep.started.load(Ordering::SeqCst),
        started,
        "the task has ended"
    );
    assert_eq!(sleep.pending.load(Ordering::SeqCst), 0);
    assert_eq!(fake.requests(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_callers_at_expiry_make_one_request() {
    let clock = ManualTimeSource::new(start_time());
    let fake = Fake::with_delay(&clock, Duration::from_millis(20));
    let cache = builder(&clock, &fake).build();
    let wg = ["wg-a", "wg-b"];
    cache.token(&wg).await.unwrap();
    clock.advance(60 * MIN); // the moment of expiry

    let barrier = Arc::new(tokio::sync::Barrier::new(1000));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cache = cache.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                cache.token(&wg).await
            })
        })
        .collect();
    let mut first = None;
    for task in tasks {
        let token = task.await.unwrap().unwrap();
        assert_eq!(token.expose_secret(), "tok-2");
        let first = first.get_or_insert_with(|| token.clone());
        assert!(Arc::ptr_eq(first, &token), "everyone shares one token");
    }
    assert_eq!(fake.requests(), 2);
}
