//! Signing the client's request: this crate's cached path next to aws-sigv4's `sign`, on
//! the same request, in the same process.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use criterion::{criterion_group, criterion_main, Criterion};
use redshift_serverless_signer::RequestSigner;
use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

fn request() -> HttpRequest {
    let req = http::Request::builder()
        .method("POST")
        .uri("https://redshift-serverless.us-east-1.amazonaws.com/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "RedshiftServerless.GetIdentityCenterAuthToken",
        )
        .header("content-length", "33")
        .header("user-agent", "aws-sdk-rust/0.0.0 os/linux lang/rust/1.95.0")
        .header(
            "x-amz-user-agent",
            "aws-sdk-rust/0.0.0 api/redshiftserverless/0.0.0",
        )
        .header(
            "amz-sdk-invocation-id",
            "0b5b8b53-7b7c-4d2e-9d9c-3a8a1f0c2d4e",
        )
        .header("amz-sdk-request", "attempt=1; max=3")
        .body(SdkBody::from(r#"{"workgroupNames":["analytics"]}"#))
        .expect("request");
    HttpRequest::try_from(req).expect("request")
}

fn bench(c: &mut Criterion) {
    let identity = Identity::from(Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    ));
    let time = UNIX_EPOCH + Duration::from_secs(1_795_842_000);
    let template = request();
    let mut group = c.benchmark_group("sign the client request");

    let signer = RequestSigner::new("us-east-1", "redshift-serverless");
    group.bench_function("redshift-serverless-signer (cached key)", |b| {
        b.iter(|| {
            let mut req = template.try_clone().expect("clonable");
            signer.sign(&mut req, &identity, time).expect("signs");
            black_box(req)
        })
    });

    group.bench_function("aws_sigv4::http_request::sign", |b| {
        b.iter(|| {
            let mut req = template.try_clone().expect("clonable");
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("redshift-serverless")
                .time(time)
                .settings(SigningSettings::default())
                .build()
                .expect("params");
            let body = SignableBody::Bytes(req.body().bytes().expect("in memory"));
            let signable =
                SignableRequest::new(req.method(), req.uri(), req.headers().iter(), body)
                    .expect("signable");
            let (instructions, _) = sign(signable, &SigningParams::V4(params))
                .expect("signs")
                .into_parts();
            for header in instructions.into_parts().0 {
                req.headers_mut()
                    .insert(header.name(), header.value().to_owned());
            }
            black_box(req)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
