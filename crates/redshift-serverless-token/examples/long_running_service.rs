//! A long-running service that needs a Redshift token for (almost) every request.
//!
//! Each simulated request handler asks the shared cache for a token. The cache makes one
//! `GetIdentityCenterAuthToken` call per refresh window, whatever the request rate, and a
//! background task refreshes ahead of expiry so handlers do not wait.
//!
//! Against the local emulator (prints its URL when it starts):
//!
//! ```text
//! cargo run -p redshift-serverless-emulator -- --port 4566 --token-lifetime-secs 420
//! cargo run -p redshift-serverless-token --example long_running_service -- http://127.0.0.1:4566
//! ```
//!
//! Region, credentials and endpoint come from aws-config, as every AWS SDK reads them
//! (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS`, profiles, ...);
//! an endpoint URL as the first argument overrides the endpoint. Against the emulator, use
//! its demo key: `AWS_ACCESS_KEY_ID=AKIDEMULATOREXAMPLE AWS_SECRET_ACCESS_KEY=emulator-secret-key
//! AWS_REGION=us-east-1`. The workgroups come from `WORKGROUPS` (comma-separated, default
//! `default,analytics`), and the number of simulated requests from `REQUESTS` (default 50).
use std::env;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use redshift_serverless_client::{Client, Config};
use redshift_serverless_token::{TokenCache, TokenError};

fn var(name: &str, default: &str) -> String {
    env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// Stands in for real work: run a query with the token as the password.
async fn handle_request(id: usize, cache: &TokenCache, workgroups: &[String]) {
    match cache.token(workgroups).await {
        Ok(token) => {
            let left = token
                .expires_at()
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            // `token` prints as redacted; `expose_secret()` is what would go on the wire.
            println!(
                "request {id:>3}: {token}, {} bytes, valid for {}s more",
                token.expose_secret().len(),
                left.as_secs()
            );
        }
        Err(error) => report(id, &error),
    }
}

fn report(id: usize, error: &TokenError) {
    if error.is_retryable() {
        eprintln!("request {id:>3}: temporarily unavailable, try again: {error}");
    } else {
        eprintln!("request {id:>3}: failed: {error}");
    }
}

#[tokio::main]
async fn main() {
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(redshift_serverless_http::default_client())
        .load()
        .await;
    let mut config = Config::from(&sdk_config).to_builder();
    if let Some(url) = env::args().nth(1) {
        config = config.endpoint_url(url);
    }
    let client = Client::from_conf(config.build());

    // One cache for the whole process, built at start-up and shared by every handler.
    let cache = TokenCache::builder(client)
        .margin(Duration::from_secs(60))
        .background_refresh(true)
        .build();

    let workgroups: Arc<Vec<String>> = Arc::new(
        var("WORKGROUPS", "default,analytics")
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    );
    let requests: usize = var("REQUESTS", "50").parse().unwrap_or(50);

    // Requests arrive in small concurrent bursts, as in a web service.
    let mut handled = 0;
    while handled < requests {
        let burst: Vec<_> = (handled..requests.min(handled + 5))
            .map(|id| {
                let cache = cache.clone();
                let workgroups = workgroups.clone();
                tokio::spawn(async move { handle_request(id, &cache, &workgroups).await })
            })
            .collect();
        handled += burst.len();
        for task in burst {
            let _ = task.await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "{handled} requests served; cached workgroup sets: {}",
        cache.len()
    );
}
