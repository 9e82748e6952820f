//! A call configured by aws-config: region, credentials, endpoint, retries and timeouts from
//! the environment and the shared config files, as every AWS SDK reads them.
//!
//! ```text
//! cargo run -p redshift-serverless-emulator -- --port 4566
//! AWS_ACCESS_KEY_ID=AKIDEMULATOREXAMPLE AWS_SECRET_ACCESS_KEY=emulator-secret-key \
//! AWS_REGION=us-east-1 AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS=http://127.0.0.1:4566 \
//!   cargo run -p redshift-serverless-client --example from_aws_config -- default
//! ```
//!
//! aws-config is used without its default features, with this workspace's HTTP client
//! passed in, so the program has one TLS stack (rustls with ring) for both aws-config's
//! credential providers (SSO, STS, IMDS) and the service client. The arguments are workgroup
//! names (default: `default`).

use aws_config::BehaviorVersion;
use redshift_serverless_client::Client;

#[tokio::main]
async fn main() -> Result<(), redshift_serverless_client::Error> {
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(redshift_serverless_http::default_client())
        .load()
        .await;
    let client = Client::new(&sdk_config);

    let mut workgroups: Vec<String> = std::env::args().skip(1).collect();
    if workgroups.is_empty() {
        workgroups.push("default".to_owned());
    }
    let output = client
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(workgroups))
        .send()
        .await?;
    // The token is a secret: print only its expiry.
    let expires = output.expiration_time().map(|t| t.to_string());
    println!(
        "got a token that expires at {}",
        expires.unwrap_or_default()
    );
    Ok(())
}
