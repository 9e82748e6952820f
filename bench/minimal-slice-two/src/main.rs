//! Looks a workgroup up with GetWorkgroup, then asks GetIdentityCenterAuthToken for a token
//! for it, through the two-operation client, and prints the workgroup's endpoint and the
//! token. Optional argument: an endpoint URL; without it the calls go to AWS.

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

fn main() {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEMULATOREXAMPLE",
            "emulator-secret-key",
            None,
            None,
            "static",
        ));
    let config = match std::env::args().nth(1) {
        Some(url) => config.endpoint_url(url),
        None => config,
    };
    let client = Client::from_conf(config.build());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async {
        let found = client
            .get_workgroup()
            .workgroup_name("default")
            .send()
            .await?;
        let address = found
            .workgroup()
            .and_then(|w| w.endpoint())
            .and_then(|e| e.address())
            .unwrap_or_default()
            .to_owned();
        let token = client
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send()
            .await?;
        Ok::<_, Box<dyn std::error::Error>>((address, token))
    });
    match result {
        Ok((address, output)) => {
            println!("{address}");
            println!("{}", output.token().unwrap_or_default());
        }
        Err(error) => {
            eprintln!("error: {error:?}");
            std::process::exit(1);
        }
    }
}
