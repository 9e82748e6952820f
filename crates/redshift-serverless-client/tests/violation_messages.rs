//! The violation messages users see, pinned with insta, taken from real `send()` errors of
//! the client (the generated `Validate` impl, not hand-written checks). (Handwritten.)
//!
//! The output shape is the only sensitive one and it is not validated, so a sensitive
//! member cannot be shown through this operation; the constraints crate's snapshots cover it.

use std::fmt::Write;

use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::error::{ConstraintViolationExt, DisplayErrorContext, SdkError};
use redshift_serverless_client::{Client, Config};

/// A client whose endpoint is a closed local port: a violation never sends a request, and
/// if one were sent it would fail as a dispatch error, not as a violation.
fn client() -> Client {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port();
    Client::from_conf(
        Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDVIOLATIONS",
                "violations-secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

/// What a user prints (the source's `Display`) and what a caller matches on (the
/// `constraint_violations()` list), for the error `send()` returns for `names`.
async fn rejected(names: Vec<String>) -> (String, String) {
    let err = client()
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(names))
        .send()
        .await
        .expect_err("the input breaks the model's constraints");
    assert!(
        matches!(err, SdkError::ConstructionFailure(_)),
        "{}",
        DisplayErrorContext(&err)
    );
    let source = std::error::Error::source(&err)
        .expect("a source")
        .to_string();
    assert!(
        DisplayErrorContext(&err).to_string().contains(&source),
        "the full error chain shows the violations"
    );
    let violations = err
        .constraint_violations()
        .expect("the source is the violation list");
    let mut list = format!("shape: {}\n", violations.shape());
    for v in violations {
        writeln!(list, "{} | {:?} | {:?}", v.path(), v.rule(), v.value()).unwrap();
    }
    (source, list)
}

#[tokio::test]
async fn one_bad_name() {
    let (message, list) = rejected(vec![
        "analytics".into(),
        "reporting".into(),
        "Analytics_WG".into(),
    ])
    .await;
    insta::assert_snapshot!("one_bad_name_message", message);
    insta::assert_snapshot!("one_bad_name_violations", list);
}

#[tokio::test]
async fn several_violations_at_once() {
    let mut names: Vec<String> = (0..21).map(|i| format!("wg-{i}")).collect();
    names[4] = "Reporting".into();
    names[9] = "a".repeat(70);
    let (message, list) = rejected(names).await;
    insta::assert_snapshot!("several_violations_message", message);
    insta::assert_snapshot!("several_violations_violations", list);
}

#[tokio::test]
async fn empty_list() {
    let (message, list) = rejected(Vec::new()).await;
    insta::assert_snapshot!("empty_list_message", message);
    insta::assert_snapshot!("empty_list_violations", list);
}
