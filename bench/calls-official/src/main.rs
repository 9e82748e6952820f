//! `calls-official URL N [--hwm-at K]`: see `bench-common`.

use aws_sdk_redshiftserverless::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_redshiftserverless::{Client, Config};
use aws_smithy_http_client::tls;

#[global_allocator]
static ALLOCATOR: bench_common::Counting = bench_common::Counting;

fn main() {
    bench_common::run(
        "official",
        |args| {
            let http_client = aws_smithy_http_client::Builder::new()
                .tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::Ring,
                ))
                .build_https();
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
                .http_client(http_client)
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
