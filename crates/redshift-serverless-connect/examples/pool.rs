//! A bb8 pool of sessions as the Identity Center user, configured from the environment as
//! any AWS program is (`aws_config`): credentials, region and endpoint.
//!
//! ```sh
//! # Against the emulator (see the README's "Querying as the Identity Center user"):
//! AWS_ACCESS_KEY_ID=AKIDEMULATOREXAMPLE AWS_SECRET_ACCESS_KEY=emulator-secret-key \
//! AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:4566 \
//! WORKGROUP=default CA_BUNDLE=/tmp/emulator-ca.pem \
//!   cargo run -p redshift-serverless-connect --features bb8 --example pool
//! ```

use redshift_serverless_connect::pool::ConnectionManager;
use redshift_serverless_connect::Connector;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    let pool = bb8::Pool::builder()
        .max_size(4)
        .retry_connection(false)
        .build(ConnectionManager::new(builder.build()?))
        .await?;

    // Eight queries over at most four sessions, all signed in with one token.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let session = pool.get().await?;
            let row = session
                .query_one("select current_user, $1::int4 * 2", &[&i])
                .await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((
                row.get::<_, String>(0),
                row.get::<_, i32>(1),
            ))
        }));
    }
    for task in tasks {
        let (user, doubled) = task.await?.map_err(|e| e.to_string())?;
        println!("{user}: {doubled}");
    }
    Ok(())
}
