//! A call with custom retries and timeouts: five attempts (standard mode), a 2 s
//! connect timeout, and a 10 s budget for the whole operation.
//!
//! ```text
//! cargo run -p redshift-serverless-emulator -- --port 4566
//! cargo run -p redshift-serverless-client --example retry_and_timeouts -- http://127.0.0.1:4566
//! ```
//!
//! Throttling (`ThrottlingException`, a bare 429) and transient failures are retried with
//! the retry crate's classification; a request the model forbids is never sent, so it is
//! never retried either.

use std::time::Duration;

use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::timeout::TimeoutConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

/// The configuration this example is about.
pub fn config(endpoint: Option<String>) -> Config {
    let retry = RetryConfig::standard()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_secs(5));
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(10))
        .build();
    let mut config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "emulator-secret-key",
            None,
            None,
            "example",
        ))
        .retry_config(retry)
        .timeout_config(timeouts);
    if let Some(url) = endpoint {
        config = config.endpoint_url(url);
    }
    config.build()
}

#[tokio::main]
async fn main() {
    let client = Client::from_conf(config(std::env::args().nth(1)));
    match client
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
    {
        Ok(output) => println!(
            "got a token that expires at {}",
            output
                .expiration_time()
                .map(|t| t.to_string())
                .unwrap_or_default()
        ),
        Err(error) => {
            // DisplayErrorContext prints the whole chain of causes.
            eprintln!(
                "no token: {}",
                redshift_serverless_client::error::DisplayErrorContext(&error)
            );
            std::process::exit(1);
        }
    }
}
