//! The read timeout governs a stalled response body: with `timeout_config` setting a read
//! timeout and no `stalled_stream_protection`, the client runs stalled-stream protection with
//! the read timeout as its grace period, instead of the runtime's default 5 s. (Handwritten.)

use std::time::Duration;

use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::timeout::TimeoutConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::error::{DisplayErrorContext, SdkError};
use redshift_serverless_client::{Client, Config};
use redshift_serverless_emulator::{
    Emulator, EmulatorConfig, Fault, Faults, ScriptedFault, DEMO_ACCESS_KEY_ID,
    DEMO_SECRET_ACCESS_KEY,
};

/// Calls an emulator whose response sends part of its body, then nothing for `stall`, with
/// the given read timeout.
async fn call_through_a_stall(
    stall: Duration,
    read_timeout: Duration,
) -> Result<(), SdkError<impl std::error::Error + 'static>> {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    emulator
        .set_faults(Faults::script([ScriptedFault::once(Fault::StalledBody {
            stall_ms: u64::try_from(stall.as_millis()).expect("a short stall"),
        })]))
        .expect("the faults are valid");
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            DEMO_ACCESS_KEY_ID,
            DEMO_SECRET_ACCESS_KEY,
            None,
            None,
            "stalled-body",
        ))
        .endpoint_url(emulator.url())
        .retry_config(RetryConfig::disabled())
        .timeout_config(TimeoutConfig::builder().read_timeout(read_timeout).build())
        .build();
    let result = Client::from_conf(config)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .map(drop);
    assert_eq!(emulator.request_count(), 1);
    emulator.shutdown().await;
    result
}

/// A 7 s stall under a 10 s read timeout is waited out (the runtime's default grace period,
/// 5 s, failed it).
#[tokio::test]
async fn a_stall_shorter_than_the_read_timeout_is_waited_out() {
    let result = call_through_a_stall(Duration::from_secs(7), Duration::from_secs(10)).await;
    assert!(
        result.is_ok(),
        "{}",
        result
            .err()
            .map(|e| DisplayErrorContext(e).to_string())
            .unwrap_or_default()
    );
}

/// A 4 s stall under a 1 s read timeout fails as a stalled stream (the runtime's default
/// grace period, 5 s, let it through).
#[tokio::test]
async fn a_stall_longer_than_the_read_timeout_fails_the_call() {
    let result = call_through_a_stall(Duration::from_secs(4), Duration::from_secs(1)).await;
    let err = result.expect_err("the stall outlasts the read timeout");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let text = DisplayErrorContext(&err).to_string();
    assert!(
        text.contains(
            "minimum throughput was specified at 1 B/s, but throughput of 0 B/s was observed"
        ),
        "{text}"
    );
}
