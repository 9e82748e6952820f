//! A plain call: static credentials and a region in code, no aws-config.
//!
//! ```text
//! cargo run -p redshift-serverless-emulator -- --port 4566
//! cargo run -p redshift-serverless-client --example plain_call -- http://127.0.0.1:4566 default
//! ```
//!
//! The first argument is the endpoint URL (the local emulator's; without it the call goes to
//! AWS), the others are workgroup names (default: `default`). The credentials are the
//! emulator's demo key.

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

/// Gets a token for `workgroups` from the service at `endpoint` (AWS when `None`) and
/// returns its expiry, as RFC 3339. The token itself is a secret: it is not printed.
pub async fn run(
    endpoint: Option<String>,
    workgroups: Vec<String>,
) -> Result<String, redshift_serverless_client::Error> {
    let mut config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "emulator-secret-key",
            None,
            None,
            "example",
        ));
    if let Some(url) = endpoint {
        config = config.endpoint_url(url);
    }
    let client = Client::from_conf(config.build());
    let output = client
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(workgroups))
        .send()
        .await?;
    Ok(output
        .expiration_time()
        .map(|t| t.to_string())
        .unwrap_or_default())
}

#[tokio::main]
async fn main() -> Result<(), redshift_serverless_client::Error> {
    let mut args = std::env::args().skip(1);
    let endpoint = args.next();
    let mut workgroups: Vec<String> = args.collect();
    if workgroups.is_empty() {
        workgroups.push("default".to_owned());
    }
    let expires = run(endpoint, workgroups).await?;
    println!("got a token that expires at {expires}");
    Ok(())
}
