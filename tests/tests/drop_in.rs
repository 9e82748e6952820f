//! Code written against `aws-sdk-redshiftserverless` for this operation compiles against
//! `redshift_serverless_client` with only the crate path changed: the same program body is
//! instantiated for both crates, and both are run against the local emulator.

macro_rules! program {
    ($name:ident, $sdk:ident) => {
        /// Calls the operation the way a user of the official crate would.
        #[allow(dead_code)]
        async fn $name(
            endpoint: &str,
        ) -> Result<(String, i64), Box<dyn std::error::Error + Send + Sync>> {
            use $sdk::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
            use $sdk::config::{BehaviorVersion, Credentials, Region};
            use $sdk::error::{ProvideErrorMetadata, SdkError};
            use $sdk::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenError;
            use $sdk::operation::RequestId;

            let creds = Credentials::new(
                "AKIDEMULATOREXAMPLE",
                "emulator-secret-key",
                None,
                None,
                "drop-in",
            );
            let config = $sdk::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(creds)
                .endpoint_url(endpoint)
                .http_client(aws_smithy_http_client::Builder::new().build_http())
                .build();
            let client = $sdk::Client::from_conf(config);
            let output = client
                .get_identity_center_auth_token()
                .workgroup_names("default")
                .set_workgroup_names(Some(vec!["default".to_string()]))
                .send()
                .await?;
            let token = output.token().unwrap_or_default().to_string();
            let expires = output
                .expiration_time()
                .map(|t| t.secs())
                .unwrap_or_default();
            let _request_id: Option<&str> = output.request_id();

            // Error handling as documented for the official crate.
            let result = client
                .get_identity_center_auth_token()
                .workgroup_names("no-such-wg")
                .send()
                .await;
            match result {
                Err(err) => {
                    let _: &SdkError<GetIdentityCenterAuthTokenError> = &err;
                    let service: GetIdentityCenterAuthTokenError = err.into_service_error();
                    assert!(service.is_resource_not_found_exception(), "{service:?}");
                    let _code: Option<&str> = service.code();
                    let _message: Option<&str> = service.message();
                    let _request_id: Option<&str> = service.request_id();
                    if let GetIdentityCenterAuthTokenError::ResourceNotFoundException(e) = &service
                    {
                        let _ = e.message();
                    }
                }
                Ok(_) => panic!("an unknown workgroup must fail"),
            }

            // The endpoint resolver.
            let params = Params::builder()
                .region("us-east-1")
                .use_fips(false)
                .use_dual_stack(false)
                .build()?;
            let endpoint = DefaultResolver::new().resolve_endpoint(&params).await?;
            assert_eq!(
                endpoint.url(),
                "https://redshift-serverless.us-east-1.amazonaws.com"
            );

            // A custom endpoint is returned as given.
            let params = Params::builder()
                .region("us-east-1")
                .use_fips(false)
                .use_dual_stack(false)
                .endpoint("https://redshift.example.internal:8443")
                .build()?;
            let endpoint = DefaultResolver::new().resolve_endpoint(&params).await?;
            assert_eq!(endpoint.url(), "https://redshift.example.internal:8443");

            // And from an SdkConfig, as aws-config produces it.
            let sdk_config = aws_types::SdkConfig::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .build();
            let _client = $sdk::Client::new(&sdk_config);
            Ok((token, expires))
        }
    };
}

program!(with_ours, redshift_serverless_client);
program!(with_official, aws_sdk_redshiftserverless);

#[tokio::test]
async fn the_same_program_runs_on_both_crates() {
    let emulator = redshift_serverless_emulator::Emulator::start(Default::default())
        .await
        .expect("emulator starts");
    let (ours, ours_exp) = with_ours(&emulator.url()).await.expect("ours works");
    let (theirs, theirs_exp) = with_official(&emulator.url())
        .await
        .expect("official works");
    assert!(!ours.is_empty() && !theirs.is_empty());
    assert_ne!(ours, theirs, "each call mints a fresh token");
    assert!(
        (ours_exp - theirs_exp).abs() < 60,
        "both expirations are now + lifetime"
    );
    emulator.shutdown().await;
}
