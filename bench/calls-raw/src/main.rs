//! `calls-raw URL N [--hwm-at K]`: the least work a correct call needs. Serialize the
//! input with serde, sign the request with aws-sigv4, send it on a pooled keep-alive
//! hyper connection, check the status and parse the JSON body. No retries, no endpoint
//! rules, no interceptors, no validation.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

#[global_allocator]
static ALLOCATOR: bench_common::Counting = bench_common::Counting;

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Input<'a> {
    workgroup_names: &'a [&'a str],
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    token: Option<String>,
    #[allow(dead_code)] // parsed to do the work a client does; not used
    expiration_time: Option<String>,
}

struct Raw {
    http: Client<HttpConnector, Full<Bytes>>,
    uri: http::Uri,
    host: String,
    identity: Identity,
}

impl Raw {
    fn new(url: &str) -> Raw {
        let uri: http::Uri = url.parse().expect("URL");
        let host = uri.authority().expect("URL with a host").to_string();
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Raw {
            http: Client::builder(TokioExecutor::new()).build(connector),
            uri,
            host,
            identity: Credentials::new(
                bench_common::ACCESS_KEY_ID,
                bench_common::SECRET_ACCESS_KEY,
                None,
                None,
                "bench",
            )
            .into(),
        }
    }

    async fn call(&self) -> Result<String, String> {
        let body = serde_json::to_vec(&Input {
            workgroup_names: &[bench_common::WORKGROUP],
        })
        .map_err(|e| e.to_string())?;
        let mut request = http::Request::builder()
            .method("POST")
            .uri(self.uri.clone())
            .header("host", &self.host)
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "RedshiftServerless.GetIdentityCenterAuthToken",
            )
            .body(())
            .map_err(|e| e.to_string())?;
        let params = SigningParams::builder()
            .identity(&self.identity)
            .region(bench_common::REGION)
            .name("redshift-serverless")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            "POST",
            &uri,
            request
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str(), v.to_str().unwrap_or_default())),
            SignableBody::Bytes(&body),
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        instructions.apply_to_request_http1x(&mut request);
        let request = request.map(|()| Full::new(Bytes::from(body)));

        let response = self
            .http
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
        }
        let output: Output = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        Ok(output.token.unwrap_or_default())
    }
}

fn main() {
    bench_common::run(
        "raw",
        |args| Raw::new(&args.url),
        async |raw: &Raw| raw.call().await,
    );
}
