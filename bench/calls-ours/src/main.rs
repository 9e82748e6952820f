//! `calls-ours URL N [--hwm-at K]`: see `bench-common`.

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

#[global_allocator]
static ALLOCATOR: bench_common::Counting = bench_common::Counting;

fn main() {
    bench_common::run(
        "ours",
        |args| {
            let config = Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new(bench_common::REGION))
                .credentials_provider(Credentials::new(
                    bench_common::ACCESS_KEY_ID,
                    bench_common::SECRET_ACCESS_KEY,
                    None,
                    None,
                    "bench",
                ))
                .endpoint_url(&args.url)
                .build();
            Client::from_conf(config)
        },
        async |client: &Client| {
            let output = client
                .get_identity_center_auth_token()
                .workgroup_names(bench_common::WORKGROUP)
                .send()
                .await
                .map_err(|e| format!("{e:?}"))?;
            Ok(output.token.unwrap_or_default())
        },
    );
}
