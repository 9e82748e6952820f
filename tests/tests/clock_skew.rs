//! Clock skew, end to end: a client whose clock is far behind the service's has its first
//! request rejected, learns the skew from the response's `Date`, re-signs with the corrected
//! time and succeeds; later calls on the same client are signed right the first time.
//!
//! The emulator's clock is moved, not the client's: the client runs on the real clock, as it
//! would in production, and the emulator dates its answers by its own clock like the service.

use std::time::{Duration, SystemTime};

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::error::ProvideErrorMetadata;
use redshift_serverless_client::{Client, Config};
use redshift_serverless_emulator::{parse_amz_date, Clock, Emulator, EmulatorConfig};

fn client(url: String) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "emulator-secret-key",
            None,
            None,
            "skew-test",
        ))
        .endpoint_url(url)
        .build();
    Client::from_conf(config)
}

/// Seconds between a request's `x-amz-date` and `reference`.
fn signed_offset(
    req: &redshift_serverless_emulator::RecordedRequest,
    reference: SystemTime,
) -> u64 {
    let signed = parse_amz_date(req.header("x-amz-date").expect("signed")).expect("x-amz-date");
    match signed.duration_since(reference) {
        Ok(d) => d.as_secs(),
        Err(e) => e.duration().as_secs(),
    }
}

async fn call(client: &Client) -> Result<String, String> {
    client
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .map(|o| o.token().unwrap_or_default().to_owned())
        .map_err(|e| {
            e.as_service_error()
                .and_then(|s| s.code())
                .unwrap_or("not a service error")
                .to_owned()
        })
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_and_the_request_resigned() {
    // 20 minutes: beyond the emulator's 15-minute signature window and the 4-minute
    // threshold above which a signature error counts as clock skew.
    let ahead = Duration::from_secs(20 * 60);
    let emu = Emulator::start(
        EmulatorConfig::default().with_clock(Clock::from_fn(move || SystemTime::now() + ahead)),
    )
    .await
    .expect("emulator");
    let client = client(emu.url());

    let token = call(&client)
        .await
        .expect("the retry is signed at the corrected time");
    assert!(!token.is_empty());
    let log = emu.requests();
    assert_eq!(log.len(), 2, "{log:#?}");
    assert_eq!(
        log[0].error_code.as_deref(),
        Some("InvalidSignatureException")
    );
    assert_eq!(log[1].status, Some(200));
    // The first attempt was signed by the client's clock, the retry by the service's.
    assert!(signed_offset(&log[0], log[0].received_at) >= 19 * 60);
    assert!(signed_offset(&log[1], log[1].received_at) <= 60);

    // The skew is kept by the client: the next call needs one request.
    call(&client).await.expect("second call");
    assert_eq!(emu.request_count(), 3);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_signature_error_without_skew_is_not_retried() {
    // A wrong secret gives the same error code, but the clocks agree: retrying cannot help.
    let emu = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "not-the-secret",
            None,
            None,
            "skew-test",
        ))
        .endpoint_url(emu.url())
        .build();
    let code = call(&Client::from_conf(config))
        .await
        .expect_err("wrong secret");
    assert_eq!(code, "InvalidSignatureException");
    assert_eq!(emu.request_count(), 1);
    emu.shutdown().await;
}
