//! Client-side validation through the real client: the verdict equals an independent oracle,
//! a valid input reaches the wire unchanged, an invalid one never does. (Handwritten.)

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::error::ConstraintViolationExt;
use redshift_serverless_client::{Client, Config};

mod common;
use common::{error, success, Server};

/// The oracle, written from the model's text, not from the generated code: 1 to 20 names,
/// each 3 to 64 Unicode scalar values drawn only from a-z, 0-9 and '-'.
fn oracle_accepts(names: &[String]) -> bool {
    (1..=20).contains(&names.len())
        && names.iter().all(|n| {
            let count = n.chars().count();
            (3..=64).contains(&count)
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// Names of every kind the issue lists: valid, too short, too long, wrong characters,
/// multi-byte characters.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9-]{3,64}",
        1 => "[a-z0-9-]{0,2}",
        1 => "[a-z0-9-]{65,70}",
        1 => "[a-zA-Z0-9_ .]{3,20}",
        1 => "[a-z0-9é日🦀-]{2,66}",
        1 => ".{0,8}",
    ]
}

/// List sizes 0, 1, 20, 21 and everything between.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(0usize),
        Just(1),
        Just(20),
        Just(21),
        2usize..=19,
        22usize..=25
    ]
}

/// Lists of only valid names (so the size limits are reached with nothing else wrong),
/// and lists mixing every kind of name.
fn names() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        size().prop_flat_map(|n| proptest::collection::vec("[a-z0-9-]{3,64}", n)),
        size().prop_flat_map(|n| proptest::collection::vec(name(), n)),
    ]
}

fn client(server: &Server) -> Client {
    Client::from_conf(
        Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDVALIDATION",
                "validation-secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(server.url())
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn verdict_matches_the_oracle_and_only_valid_input_is_sent(names in names()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let server = Server::start(vec![success("tok", "2026-11-28T05:15:00Z")]).await;
            let result = client(&server)
                .get_identity_center_auth_token()
                .set_workgroup_names(Some(names.clone()))
                .send()
                .await;
            let requests = server.requests();
            if oracle_accepts(&names) {
                prop_assert!(result.is_ok(), "valid input rejected: {:?}", result.err().map(|e| e.to_string()));
                prop_assert_eq!(requests.len(), 1);
                let expected = serde_json::json!({ "workgroupNames": names }).to_string();
                prop_assert_eq!(std::str::from_utf8(&requests[0].body).unwrap(), expected.as_str());
            } else {
                let err = result.expect_err("invalid input must be rejected");
                prop_assert!(err.is_constraint_violation(), "{:?}", err);
                prop_assert_eq!(requests.len(), 0, "an invalid input reached the wire");
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn throttling_exception_is_retried_as_throttling() {
    let throttled =
        r#"{"__type":"ThrottlingException","code":"Throttled","message":"Rate exceeded"}"#;
    let server = Server::start(vec![
        error(429, throttled),
        error(429, throttled),
        success("tok-3", "2026-11-28T05:15:00Z"),
    ])
    .await;
    let (time, sleep) = aws_smithy_async::test_util::instant_time_and_sleep(SystemTime::now());
    let config = client(&server)
        .config()
        .to_builder()
        .retry_config(redshift_serverless_retry::retry_config(
            aws_smithy_types::retry::RetryMode::Standard,
            3,
        ))
        .time_source(time)
        .sleep_impl(sleep.clone())
        .timeout_config(redshift_serverless_client::config::timeout::TimeoutConfig::disabled())
        // Its throughput checks sleep too; only the backoff is measured here.
        .stalled_stream_protection(
            redshift_serverless_client::config::StalledStreamProtectionConfig::disabled(),
        )
        .build();
    let out = Client::from_conf(config)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(out.token(), Some("tok-3"));
    assert_eq!(server.requests().len(), 3);
    // Throttling backoff starts from a 1 s base (others from 50 ms): with full jitter the
    // two waits total up to 1 s + 2 s, and they are recorded, not slept.
    let slept: Duration = sleep.logs().iter().sum();
    assert!(slept <= Duration::from_secs(3), "{slept:?}");
}
