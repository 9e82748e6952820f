//! Calls GetIdentityCenterAuthToken once and prints the token. Optional argument: an
//! endpoint URL (e.g. the local emulator's); without it the call goes to AWS.

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
    let result = runtime.block_on(
        client
            .get_identity_center_auth_token()
            .workgroup_names("default")
            .send(),
    );
    match result {
        Ok(output) => println!("{}", output.token().unwrap_or_default()),
        Err(error) => {
            eprintln!("error: {error:?}");
            std::process::exit(1);
        }
    }
}
