//! The examples in `examples/`, run against the emulator: each module below is the example
//! file itself, so what is tested is what a reader copies. (`from_aws_config` reads the
//! environment, so it runs in child processes: `tests/tests/aws_config.rs` in the
//! conformance crate.)

use redshift_serverless_client::Client;
use redshift_serverless_emulator::{Emulator, EmulatorConfig, Faults};

#[allow(dead_code)] // `main` is for `cargo run --example`.
#[path = "../examples/plain_call.rs"]
mod plain_call;

#[allow(dead_code)]
#[path = "../examples/retry_and_timeouts.rs"]
mod retry_and_timeouts;

#[tokio::test]
async fn plain_call_gets_a_token() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let expires = plain_call::run(Some(emulator.url()), vec!["default".to_owned()])
        .await
        .expect("the emulator issues a token");
    // RFC 3339, in the future.
    assert!(expires.ends_with('Z'), "{expires}");
    assert_eq!(emulator.request_count(), 1);
    emulator.shutdown().await;
}

#[tokio::test]
async fn retry_and_timeouts_rides_out_throttling() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emulator
        .set_faults(Faults::throttle_next(2))
        .expect("the faults are valid");
    let client = Client::from_conf(retry_and_timeouts::config(Some(emulator.url())));
    let output = client
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("the third attempt succeeds");
    assert!(output.token().is_some_and(|t| !t.is_empty()));
    assert_eq!(emulator.request_count(), 3);
    assert_eq!(
        client.config().retry_config().map(|r| r.max_attempts()),
        Some(5)
    );
    emulator.shutdown().await;
}
