//! A set proxy variable is reported, since this client connects directly. (Its own test
//! binary: it changes the process environment.)

use aws_smithy_runtime_api::client::http::{HttpClient, HttpConnectorSettings};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_set_https_proxy_is_warned_about_once() {
    std::env::set_var("HTTPS_PROXY", "http://proxy.invalid:3128");
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let components = RuntimeComponentsBuilder::for_tests().build().unwrap();
        for _ in 0..2 {
            let client = redshift_serverless_http::Builder::new().build_client();
            let _ = client.http_connector(&HttpConnectorSettings::default(), &components);
        }
    });
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert_eq!(text.matches("proxy variables are set").count(), 1, "{text}");
    assert!(text.contains("HTTPS_PROXY"), "{text}");
    assert!(
        !text.contains("proxy.invalid"),
        "the value is not logged: {text}"
    );
}
