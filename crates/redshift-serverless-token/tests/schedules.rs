//! Random schedules of calls, clock jumps, token lifetimes and failures, checked against a
//! model of the documented policy.

mod common;

use std::time::{Duration, SystemTime};

use aws_smithy_async::test_util::ManualTimeSource;
use aws_smithy_async::time::TimeSource;
use common::{start_time, Fake, Reply};
use proptest::prelude::*;
use redshift_serverless_token::TokenCache;

const MARGIN: Duration = Duration::from_secs(60);
const AHEAD: Duration = Duration::from_secs(300);
const FRACTION: f64 = 0.1;
const BACKOFF_INITIAL: Duration = Duration::from_secs(10);
const BACKOFF_MAX: Duration = Duration::from_secs(80);

#[derive(Clone, Copy, Debug)]
struct ModelToken {
    name: usize,
    expires: SystemTime,
    refresh_at: SystemTime,
    usable_until: SystemTime,
}

/// The policy as the crate documents it, written independently of the implementation.
#[derive(Debug)]
struct Model {
    token: Option<ModelToken>,
    next_attempt: SystemTime,
    failures: u32,
    requests: usize,
    script: std::collections::VecDeque<Reply>,
}

impl Model {
    /// Sends one request; returns the new token or `None` on failure.
    fn fetch(&mut self, now: SystemTime) -> Option<ModelToken> {
        self.requests += 1;
        let reply = self.script.pop_front().unwrap_or_else(Reply::hour);
        let fresh = match reply {
            Reply::Token(lifetime) if lifetime > MARGIN => {
                let expires = now + lifetime;
                let usable_until = expires - MARGIN;
                // Refresh when less than max(5 min, 10% of the lifetime) remains, but never
                // in the first half of the usable life.
                let ahead = AHEAD.max(lifetime.mul_f64(FRACTION));
                let halfway = now + (usable_until.duration_since(now).unwrap()) / 2;
                let refresh_at = expires
                    .checked_sub(ahead)
                    .map_or(halfway, |t| t.max(halfway))
                    .min(usable_until);
                Some(ModelToken {
                    name: self.requests,
                    expires,
                    refresh_at,
                    usable_until,
                })
            }
            _ => None,
        };
        match fresh {
            Some(t) => {
                self.token = Some(t);
                self.failures = 0;
                self.next_attempt = SystemTime::UNIX_EPOCH;
            }
            None => {
                self.failures += 1;
                let backoff = BACKOFF_INITIAL
                    .saturating_mul(1 << (self.failures - 1).min(20))
                    .min(BACKOFF_MAX);
                self.next_attempt = now + backoff;
            }
        }
        fresh
    }

    /// The token name a call at `now` returns, or `None` for an error.
    fn call(&mut self, now: SystemTime) -> Option<usize> {
        match self.token {
            Some(t) if now < t.refresh_at => Some(t.name),
            Some(t) if now < t.usable_until => {
                if now < self.next_attempt {
                    return Some(t.name);
                }
                Some(self.fetch(now).map_or(t.name, |fresh| fresh.name))
            }
            _ => self.fetch(now).map(|fresh| fresh.name),
        }
    }
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        7 => (30u64..3 * 3600).prop_map(|s| Reply::Token(Duration::from_secs(s))),
        2 => Just(Reply::INTERNAL),
        1 => Just(Reply::THROTTLED),
    ]
}

fn advance() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        4 => 1u64..600,
        3 => 600u64..2 * 3600,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_token_outlives_the_margin_and_requests_match_the_policy(
        steps in prop::collection::vec((advance(), 1usize..4), 1..60),
        replies in prop::collection::vec(reply(), 0..60),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let clock = ManualTimeSource::new(start_time());
        let fake = Fake::new(&clock);
        fake.push(replies.iter().copied());
        let cache = TokenCache::builder(fake.client())
            .time_source(clock.clone())
            .margin(MARGIN)
            .refresh_ahead(AHEAD)
            .refresh_ahead_fraction(FRACTION)
            .retry_backoff(BACKOFF_INITIAL, BACKOFF_MAX)
            .jitter(false)
            .build();
        let mut model = Model {
            token: None,
            next_attempt: SystemTime::UNIX_EPOCH,
            failures: 0,
            requests: 0,
            script: replies.into_iter().collect(),
        };

        for (secs, calls) in steps {
            clock.advance(Duration::from_secs(secs));
            for _ in 0..calls {
                let now = clock.now();
                let got = rt.block_on(cache.token(&["wg-b", "wg-a"]));
                let expected = model.call(now);
                match (&got, expected) {
                    (Ok(token), Some(name)) => {
                        prop_assert!(
                            token.expires_at() > now + MARGIN,
                            "handed out a token inside the margin"
                        );
                        prop_assert_eq!(token.expose_secret(), format!("tok-{name}"));
                        let model_token = model.token.unwrap();
                        if model_token.name == name {
                            prop_assert_eq!(token.expires_at(), model_token.expires);
                        }
                    }
                    (Err(_), None) => {}
                    (got, expected) => {
                        prop_assert!(false, "got {:?}, model expected {:?}", got, expected);
                    }
                }
                prop_assert_eq!(fake.requests(), model.requests);
            }
        }
    }
}
