//! The region becomes part of the endpoint's host name, so `send()` refuses a region that is
//! not a region name (botocore's rule) before the endpoint is resolved, the request signed or
//! a connection opened. (Handwritten.)

use proptest::prelude::*;
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{
    check_region, BehaviorVersion, Credentials, InvalidRegion, Region, REGION_NAME_RULE,
};
use redshift_serverless_client::error::SdkError;
use redshift_serverless_client::{Client, Config};

mod common;
use common::{success, Server, TEST_CA};

const SESSION_TOKEN: &str = "region-test-session-token";

/// A client trusting the test CA, so a request that reached the TLS server would succeed.
fn client(region: &str, endpoint_url: Option<String>) -> Client {
    let http = redshift_serverless_http::Builder::new()
        .ca_bundle_pem(TEST_CA)
        .expect("the test CA")
        .build();
    let mut config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            "AKIDREGIONTEST",
            "region-test-secret",
            Some(SESSION_TOKEN.to_owned()),
            None,
            "region-test",
        ))
        .http_client(http)
        .retry_config(RetryConfig::disabled());
    if let Some(url) = endpoint_url {
        config = config.endpoint_url(url);
    }
    Client::from_conf(config.build())
}

/// Regions that would put another host, port, path or label into the endpoint URL, or that
/// are not region names at all. `{port}` is the test server's port.
const HOSTILE: &[&str] = &[
    "x@127.0.0.1:{port}#",
    "x@localhost:{port}/",
    "127.0.0.1:{port}#",
    "us-east-1.127.0.0.1.nip.io:{port}#",
    "us-east-1.example.com",
    "us-east-1/",
    "us-east-1?",
    "us-east-1\n",
    "us east 1",
    "-us-east-1",
    "us-east-1-",
    "",
    "us‐east‐1",
    "us-east-1\u{202e}",
];

#[tokio::test]
async fn a_hostile_region_sends_nothing_to_the_host_it_names() {
    let server = Server::start_tls(vec![success("leaked-token", "2026-11-28T05:15:00Z")]).await;
    let port = server.addr.port().to_string();
    for template in HOSTILE {
        let region = template.replace("{port}", &port);
        let result = client(&region, None)
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await;
        let err = match result {
            Ok(_) => panic!("{region:?}: the call succeeded"),
            Err(err) => err,
        };
        assert!(
            matches!(err, SdkError::ConstructionFailure(_)),
            "{region:?}: {err:?}"
        );
        let invalid = std::error::Error::source(&err)
            .and_then(|s| s.downcast_ref::<InvalidRegion>())
            .unwrap_or_else(|| panic!("{region:?}: not an InvalidRegion: {err:?}"));
        assert_eq!(invalid.region(), region);
        let message = invalid.to_string();
        assert!(
            message.starts_with(&format!("region {region:?} is not a valid region name")),
            "{message}"
        );
        assert!(message.contains(REGION_NAME_RULE), "{message}");
    }
    assert_eq!(
        server.connections(),
        0,
        "a hostile region opened a connection to the host it names"
    );
    // The server is reachable: the same client with a valid region and the server as its
    // endpoint gets the token over TLS, so the zero above is the check's doing.
    let output = client("us-east-1", Some(server.url()))
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("a valid region reaches the server");
    assert_eq!(output.token(), Some("leaked-token"));
    assert_eq!(server.connections(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-amz-security-token"),
        Some(SESSION_TOKEN)
    );
}

#[tokio::test]
async fn a_hostile_region_is_refused_with_an_endpoint_url_too() {
    // botocore checks the region whatever the endpoint: the region still signs the request.
    let server = Server::start(vec![]).await;
    let err = client("x@127.0.0.1:1#", Some(server.url()))
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect_err("refused");
    let source = std::error::Error::source(&err).expect("a source");
    assert!(source.is::<InvalidRegion>(), "{err:?}");
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn region_names_of_every_shape_botocore_accepts_are_sent() {
    let server = Server::start(vec![]).await;
    for region in [
        "us-east-1",
        "eu-west-3",
        "us-gov-west-1",
        "cn-north-1",
        "a",
        "A1",
        "local",
        "x-y",
        &"a".repeat(63),
    ] {
        let err = client(region, Some(server.url()))
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await
            .expect_err("the server answers 500 once its script is empty");
        assert!(
            matches!(err, SdkError::ServiceError(_)),
            "{region}: {err:?}"
        );
    }
    assert_eq!(server.requests().len(), 9);
}

/// The rule as botocore writes it, compiled by a regex engine: the oracle.
fn botocore_rule() -> regex_lite::Regex {
    regex_lite::Regex::new(REGION_NAME_RULE).expect("botocore's pattern compiles")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn check_region_is_botocores_rule(
        region in prop_oneof![
            "[a-zA-Z0-9-]{0,66}",
            "[a-z]{2}-[a-z]{2,10}-[0-9]{1,2}",
            "[a-zA-Z0-9.@:#/?\\- ]{0,20}",
            any::<String>(),
        ]
    ) {
        let accepted = check_region(&region).is_ok();
        prop_assert_eq!(accepted, botocore_rule().is_match(&region), "{:?}", region);
        if let Err(e) = check_region(&region) {
            prop_assert_eq!(e.region(), region.as_str());
        }
    }
}

#[test]
fn the_length_limits_are_botocores() {
    assert!(check_region(&"a".repeat(63)).is_ok());
    assert!(check_region(&"a".repeat(64)).is_err());
    assert!(check_region("a").is_ok());
    assert!(check_region("").is_err());
}
