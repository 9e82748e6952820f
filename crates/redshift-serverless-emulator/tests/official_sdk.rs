//! The official `aws-sdk-redshiftserverless` crate's requests are accepted as-is.

use aws_sdk_redshiftserverless::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_redshiftserverless::error::ProvideErrorMetadata;
use aws_sdk_redshiftserverless::Client;
use redshift_serverless_emulator::{
    AccessKey, Emulator, EmulatorConfig, ErrorKind, Fault, RunningEmulator, ScriptedFault,
};

fn client(emu: &RunningEmulator, creds: Credentials) -> Client {
    let http = aws_smithy_http_client::Builder::new().build_http();
    let config = aws_sdk_redshiftserverless::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(http)
        .credentials_provider(creds)
        .region(Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn official_client_gets_a_token() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let creds = Credentials::new(
        "AKIDEMULATOREXAMPLE",
        "emulator-secret-key",
        None,
        None,
        "test",
    );
    let out = client(&emu, creds)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .workgroup_names("analytics")
        .send()
        .await
        .expect("the emulator accepts the official client's request");
    assert!(out.token().is_some_and(|t| t.len() >= 64));
    let exp = out.expiration_time().expect("an expiration time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((exp.secs() - now - 900).abs() <= 5, "{exp:?}");
    // The SDK signs more than the minimum; all of it verified.
    let log = emu.requests();
    let auth = log[0].header("authorization").unwrap();
    assert!(auth.contains("x-amz-user-agent"), "{auth}");
    emu.shutdown().await;
}

#[tokio::test]
async fn official_client_with_session_token() {
    let key = AccessKey::new("ASIAEMULATOR", "temp-secret").with_session_token("a/session+token==");
    let emu = Emulator::start(EmulatorConfig::default().with_access_keys([key]))
        .await
        .unwrap();
    let creds = Credentials::new(
        "ASIAEMULATOR",
        "temp-secret",
        Some("a/session+token==".into()),
        None,
        "test",
    );
    let out = client(&emu, creds)
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("session credentials are accepted");
    assert!(out.token().is_some());
    assert!(out.expiration_time().is_some());
}

#[tokio::test]
async fn official_client_sees_modeled_errors() {
    let emu = Emulator::start(EmulatorConfig::default().with_workgroup("legacy", false))
        .await
        .unwrap();
    let c = client(
        &emu,
        Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "emulator-secret-key",
            None,
            None,
            "t",
        ),
    );
    let err = c
        .get_identity_center_auth_token()
        .workgroup_names("nope-wg")
        .send()
        .await
        .unwrap_err();
    let svc = err.into_service_error();
    assert!(svc.is_resource_not_found_exception(), "{svc:?}");

    let err = c
        .get_identity_center_auth_token()
        .workgroup_names("legacy")
        .send()
        .await
        .unwrap_err();
    // The body is {"__type":"AccessDeniedException","code":"AccessDenied",...}. The official
    // crate reads `code` before `__type`, so it does NOT recognise the modeled error: this
    // pins the difference the project's own client is meant to get right.
    let svc = err.into_service_error();
    assert!(!svc.is_access_denied_exception(), "{svc:?}");
    assert_eq!(svc.code(), Some("AccessDenied"));

    // A wrong secret is refused.
    let bad = client(
        &emu,
        Credentials::new("AKIDEMULATOREXAMPLE", "wrong", None, None, "t"),
    );
    let err = bad
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().code(),
        Some("InvalidSignatureException")
    );

    // The official crate retries a scripted InternalServerException and then succeeds.
    emu.push_fault(ScriptedFault::once(Fault::error(
        ErrorKind::InternalServerException,
    )))
    .expect("the faults are valid");
    let before = emu.request_count();
    let out = c
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await
        .expect("succeeds after one retry");
    assert!(out.token().is_some());
    assert_eq!(emu.request_count() - before, 2);
}
