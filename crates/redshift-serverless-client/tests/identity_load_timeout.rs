//! A call with a huge `max_attempts` does constant work before sending. Its own test binary:
//! it reads the runtime's DEBUG events through a thread-local subscriber, and tracing caches
//! a callsite's interest process-wide, so another test hitting the same callsite first on a
//! thread without a subscriber could hide the event (it did, beside the wire tests).

use redshift_serverless_client::config::retry::RetryConfig;
use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_client::{Client, Config};

mod common;
use common::{success, Server};

const ACCESS_KEY: &str = "AKIDWIRETEST";
const SECRET: &str = "wire-test-secret-key";

/// A `MakeWriter` appending to a shared buffer.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Any `max_attempts`, `u32::MAX` included, costs constant work before the request: the
/// runtime's identity cache used to loop over the attempts on every call to derive its load
/// timeout (321 s of CPU for `u32::MAX` in the CLI). The client now gives the cache a load
/// timeout computed once from the bounded configuration, which the runtime logs at DEBUG.
#[test]
fn a_huge_max_attempts_completes_a_call_with_a_bounded_identity_load_timeout() {
    let logs = Logs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Another test may have hit these callsites first, with no subscriber on its thread; the
    // cached "never" would hide them from this one (the test was flaky beside others).
    tracing::callsite::rebuild_interest_cache();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for attempts in [50_000_000, u32::MAX] {
            let server = Server::start(vec![success("t", "2026-11-28T05:15:00Z")]).await;
            let config = Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new(ACCESS_KEY, SECRET, None, None, "wire"))
                .endpoint_url(server.url())
                .retry_config(RetryConfig::standard().with_max_attempts(attempts))
                .build();
            let out = Client::from_conf(config)
                .get_identity_center_auth_token()
                .workgroup_names("default")
                .send()
                .await
                .expect("the call completes");
            assert_eq!(out.token(), Some("t"), "{attempts}");
        }
    });
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let loads: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("identity cache load timeout"))
        .collect();
    assert_eq!(loads.len(), 2, "{logs}");
    for line in loads {
        // 100 attempts: backoffs 1+2+4+8+16 s and 94 x 20 s, plus 100 x 6.2 s.
        assert!(
            line.contains("load_timeout=2531s explicitly_configured=true"),
            "{line}"
        );
    }
    assert_eq!(
        redshift_serverless_retry::MAX_ATTEMPTS,
        100,
        "the bound the expected value is computed for"
    );
}
