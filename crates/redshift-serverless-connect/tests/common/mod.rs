//! What the connector's and the proxy's tests share: the emulator with a SQL front before
//! the private PostgreSQL, a client for its API, and a capture of every log event.

#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use redshift_serverless_client::config::{BehaviorVersion, Credentials, Region};
use redshift_serverless_emulator::{
    Emulator, EmulatorConfig, RunningEmulator, SqlConfig, DEMO_ACCESS_KEY_ID,
    DEMO_SECRET_ACCESS_KEY,
};
use redshift_serverless_testkit::Postgres;

/// Every event at TRACE, from every crate, into one buffer (once per test binary).
pub fn log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Capture(writer.clone()))
            .try_init();
        buf
    })
}

pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Setup {
    pub emu: RunningEmulator,
    pub client: redshift_serverless_client::Client,
}

impl Setup {
    pub async fn start(pg: &Postgres) -> Setup {
        Self::with(pg, EmulatorConfig::default()).await
    }

    pub async fn with(pg: &Postgres, config: EmulatorConfig) -> Setup {
        log();
        let emu = Emulator::start(config.with_sql(SqlConfig::new(pg.url())))
            .await
            .expect("the emulator starts");
        let config = redshift_serverless_client::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(emu.url())
            .credentials_provider(Credentials::new(
                DEMO_ACCESS_KEY_ID,
                DEMO_SECRET_ACCESS_KEY,
                None,
                None,
                "test",
            ))
            .build();
        let client = redshift_serverless_client::Client::from_conf(config);
        Setup { emu, client }
    }

    pub fn connector(&self, workgroup: &str) -> redshift_serverless_connect::Builder {
        redshift_serverless_connect::Builder::from_client(self.client.clone())
            .workgroup(workgroup)
            .ca_bundle_pem(self.emu.sql_ca_pem().expect("a SQL front"))
    }

    pub fn calls(&self, target: &str) -> usize {
        self.emu
            .requests()
            .iter()
            .filter(|r| r.target.as_deref() == Some(target) && r.status == Some(200))
            .count()
    }
}
