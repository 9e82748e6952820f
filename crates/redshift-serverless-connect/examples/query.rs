//! One query as the Identity Center user, configured from the environment as any AWS
//! program is (credentials, region, endpoint): the workgroup's endpoint from GetWorkgroup, a
//! token, the sign-in, then tokio-postgres.
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=AKIDEMULATOREXAMPLE AWS_SECRET_ACCESS_KEY=emulator-secret-key \
//! AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:4566 \
//! WORKGROUP=default CA_BUNDLE=/tmp/emulator-ca.pem \
//!   cargo run -p redshift-serverless-connect --example query -- "select current_user"
//! ```

use redshift_serverless_connect::Connector;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sql = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "select current_user".into());
    let sdk_config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(redshift_serverless_http::default_client())
        .load()
        .await;
    let mut builder = Connector::builder(&sdk_config)
        .workgroup(std::env::var("WORKGROUP").unwrap_or_else(|_| "default".into()))
        .database(std::env::var("DATABASE").unwrap_or_else(|_| "dev".into()));
    if let Ok(path) = std::env::var("CA_BUNDLE") {
        builder = builder.ca_bundle_pem(std::fs::read(path)?);
    }
    let connector = builder.build()?;
    println!("endpoint (GetWorkgroup): {}", connector.endpoint().await?);
    let client = connector.connect_spawned().await?;
    for message in client.simple_query(&sql).await? {
        if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
            let values: Vec<&str> = (0..row.len())
                .map(|i| row.get(i).unwrap_or("NULL"))
                .collect();
            println!("{}", values.join(" | "));
        }
    }
    Ok(())
}
