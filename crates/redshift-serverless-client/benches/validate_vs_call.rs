//! Client-side validation of a 20-name input next to one full call against a local server,
//! measured in the same process so the ratio means something on a noisy machine.
//! Run: `cargo bench -p redshift-serverless-client --bench validate_vs_call`.

use criterion::{criterion_group, criterion_main, Criterion};
use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenInput;
use redshift_serverless_client::{Client, Config};
use redshift_serverless_constraints::Validate;

#[path = "../tests/common/mod.rs"]
mod common;

fn names() -> Vec<String> {
    (0..20).map(|i| format!("analytics-wg-{i:07}")).collect()
}

fn bench(c: &mut Criterion) {
    let input = GetIdentityCenterAuthTokenInput::builder()
        .set_workgroup_names(Some(names()))
        .build()
        .expect("valid input");
    assert!(input.validate().is_ok());
    c.bench_function("validate 20 names", |b| {
        b.iter(|| std::hint::black_box(&input).validate())
    });

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt.block_on(common::Server::start_repeating(common::success(
        "tok",
        "2026-11-28T05:15:00Z",
    )));
    let client = Client::from_conf(
        Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDBENCH",
                "bench-secret",
                None,
                None,
                "bench",
            ))
            .endpoint_url(server.url())
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let names = names();
    c.bench_function("full call, 20 names, local server", |b| {
        b.iter(|| {
            rt.block_on(
                client
                    .get_identity_center_auth_token()
                    .set_workgroup_names(Some(names.clone()))
                    .send(),
            )
            .expect("success")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
