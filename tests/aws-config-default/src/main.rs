//! The README's first call, configured entirely by aws-config with its default features:
//! region, credentials and endpoint from the environment and the shared config files.
//! It prints the expiry of the token it gets for the workgroup `default`.

use redshift_serverless_client::Client;

#[tokio::main]
async fn main() -> Result<(), redshift_serverless_client::Error> {
    let client = Client::new(&aws_config::load_from_env().await);
    let output = client
        .get_identity_center_auth_token()
        .workgroup_names("default")
        .send()
        .await?;
    // The token is a secret: only its expiry is printed.
    let expires = output.expiration_time().map(ToString::to_string);
    println!(
        "got a token that expires at {}",
        expires.unwrap_or_default()
    );
    Ok(())
}
