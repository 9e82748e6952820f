//! A fake GetIdentityCenterAuthToken service behind the real client, driven by a manual
//! clock: no network, and every request counted.

#![allow(dead_code)] // each test binary uses a different part

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::rt::sleep::TokioSleep;
use aws_smithy_async::test_util::ManualTimeSource;
use aws_smithy_async::time::TimeSource;
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
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

/// 2026-11-28T05:00:00Z: whole seconds, so RFC 3339 round trips exactly.
pub const START: u64 = 1_795_842_000;

pub fn start_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(START)
}

/// What the fake service answers to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// 200 with a token that expires this long after "now" on the manual clock.
    Token(Duration),
    /// An error response with this status and `__type`.
    Error(u16, &'static str),
}

impl Reply {
    pub const INTERNAL: Reply = Reply::Error(500, "InternalServerException");
    pub const THROTTLED: Reply = Reply::Error(429, "ThrottlingException");
    pub const DENIED: Reply = Reply::Error(403, "AccessDeniedException");

    pub fn hour() -> Reply {
        Reply::Token(Duration::from_secs(3600))
    }
}

#[derive(Debug)]
struct State {
    clock: ManualTimeSource,
    script: Mutex<VecDeque<Reply>>,
    fallback: Mutex<Reply>,
    requests: AtomicUsize,
    bodies: Mutex<Vec<String>>,
    delay: Duration,
}

/// The fake service. Cheap to clone; clones share the counters.
#[derive(Clone, Debug)]
pub struct Fake {
    state: Arc<State>,
}

impl Fake {
    pub fn new(clock: &ManualTimeSource) -> Fake {
        Self::with_delay(clock, Duration::ZERO)
    }

    /// Each answer is delayed by `delay` of real (tokio) time, to widen races.
    pub fn with_delay(clock: &ManualTimeSource, delay: Duration) -> Fake {
        Fake {
            state: Arc::new(State {
                clock: clock.clone(),
                script: Mutex::new(VecDeque::new()),
                fallback: Mutex::new(Reply::hour()),
                requests: AtomicUsize::new(0),
                bodies: Mutex::new(Vec::new()),
                delay,
            }),
        }
    }

    /// Queues answers for the next requests; after them, the fallback is used.
    pub fn push(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.script.lock().unwrap().extend(replies);
    }

    pub fn set_fallback(&self, reply: Reply) {
        *self.state.fallback.lock().unwrap() = reply;
    }

    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    pub fn bodies(&self) -> Vec<String> {
        self.state.bodies.lock().unwrap().clone()
    }

    /// A client that sends to this fake, signs with static credentials, and does not retry.
    pub fn client(&self) -> Client {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url("http://localhost")
            .http_client(self.clone())
            .time_source(self.state.clock.clone())
            .sleep_impl(TokioSleep::new())
            .retry_config(RetryConfig::disabled())
            .build();
        Client::from_conf(config)
    }

    fn answer(&self, request: &HttpRequest) -> HttpResponse {
        let n = self.state.requests.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(body) = request.body().bytes() {
            self.state
                .bodies
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(body).into_owned());
        }
        let reply = self
            .state
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| *self.state.fallback.lock().unwrap());
        let (status, body) = match reply {
            Reply::Token(lifetime) => {
                let expires = DateTime::from(self.state.clock.now() + lifetime)
                    .fmt(Format::DateTime)
                    .unwrap();
                (
                    200,
                    format!(r#"{{"token":"tok-{n}","expirationTime":"{expires}"}}"#),
                )
            }
            Reply::Error(status, code) => (
                status,
                format!(r#"{{"__type":"com.amazonaws.redshiftserverless#{code}","message":"m"}}"#),
            ),
        };
        let mut response =
            HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        response
    }
}

impl HttpConnector for Fake {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let response = self.answer(&request);
        let delay = self.state.delay;
        HttpConnectorFuture::new(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Ok(response)
        })
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
