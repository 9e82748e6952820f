//! The cost of a cache hit, and of 1000 concurrent callers arriving when the token expires.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::time::{SharedTimeSource, SystemTimeSource, TimeSource};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use criterion::{criterion_group, criterion_main, Criterion};
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};
use redshift_serverless_token::TokenCache;

/// A clock that the bench moves forward by hand; cheap to read.
#[derive(Clone, Debug, Default)]
struct Clock(Arc<AtomicU64>);

const START: u64 = 1_795_842_000;

impl Clock {
    fn advance(&self, secs: u64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl TimeSource for Clock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(START + self.0.load(Ordering::Relaxed))
    }
}

/// Answers every request with a token valid for one hour from `clock`, and counts requests.
/// `clock` must be the cache's clock, or every token would look expired (or far away).
#[derive(Clone, Debug)]
struct Fake {
    clock: SharedTimeSource,
    requests: Arc<AtomicU64>,
}

impl HttpConnector for Fake {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        let expires = DateTime::from(self.clock.now() + Duration::from_secs(3600))
            .fmt(Format::DateTime)
            .unwrap();
        let body = format!(r#"{{"token":"tok-{n}","expirationTime":"{expires}"}}"#);
        let response = HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from(body));
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Fake {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }
}

fn cache(clock: &Clock, fake: &Fake) -> TokenCache {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
        .endpoint_url("http://localhost")
        .http_client(fake.clone())
        .time_source(clock.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    TokenCache::builder(Client::from_conf(config))
        .time_source(clock.clone())
        .build()
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let clock = Clock::default();
    let fake = Fake {
        clock: SharedTimeSource::new(clock.clone()),
        requests: Arc::default(),
    };

    // Hit: the system clock, as in production (and for the fake's expiry times too).
    let hit_cache = {
        let config_fake = Fake {
            clock: SharedTimeSource::new(SystemTimeSource::new()),
            requests: fake.requests.clone(),
        };
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
            .endpoint_url("http://localhost")
            .http_client(config_fake)
            .retry_config(RetryConfig::disabled())
            .build();
        TokenCache::new(Client::from_conf(config))
    };
    let wg = ["analytics", "default"];
    let unsorted = ["default", "analytics", "default"];
    rt.block_on(hit_cache.token(&wg)).unwrap();
    c.bench_function("hit/sorted", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(hit_cache.token(black_box(&wg)).await.unwrap()) })
    });
    c.bench_function("hit/unsorted_with_duplicate", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(hit_cache.token(black_box(&unsorted)).await.unwrap()) })
    });

    // 1000 callers at the moment of expiry: each iteration moves the clock to the expiry of
    // the current token, then releases 1000 tasks at once.
    let cache = cache(&clock, &fake);
    rt.block_on(cache.token(&wg)).unwrap();
    let mut group = c.benchmark_group("expiry");
    group.sample_size(30);
    group.bench_function("1000_concurrent_callers", |b| {
        b.to_async(&rt).iter(|| {
            let cache = cache.clone();
            let clock = clock.clone();
            async move {
                clock.advance(3600);
                let tasks: Vec<_> = (0..1000)
                    .map(|_| {
                        let cache = cache.clone();
                        tokio::spawn(async move { cache.token(&wg).await.map(drop) })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap().unwrap();
                }
            }
        })
    });
    group.finish();
    let requests = fake.requests.load(Ordering::SeqCst);
    let expiries = clock.0.load(Ordering::SeqCst) / 3600;
    println!("expiry bench: {requests} requests for {expiries} expiries (+2 warm-up fetches)");
    assert_eq!(requests, expiries + 2, "one request per expiry");
}

criterion_group!(cache_benches, benches);
criterion_main!(cache_benches);
