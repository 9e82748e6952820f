//! Emulator configuration: credentials, workgroups, timing, throttling and faults, built
//! in code or loaded from a TOML/JSON file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use crate::faults::Faults;

/// Access key id of the built-in demo credentials.
pub const DEMO_ACCESS_KEY_ID: &str = "AKIDEMULATOREXAMPLE";
/// Secret of the built-in demo credentials.
pub const DEMO_SECRET_ACCESS_KEY: &str = "emulator-secret-key";
/// The Identity Center user of credentials that name none.
pub const DEFAULT_IDENTITY_USER: &str = "alice@example.com";
/// The largest config file read.
const MAX_CONFIG_FILE: u64 = 1 << 20;

/// The source of "now" for signature expiry, throttling and token expiration.
///
/// Tests fix or shift it instead of sleeping.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Clock(Arc::new(SystemTime::now))
    }

    /// Always the same instant.
    pub fn fixed(at: SystemTime) -> Self {
        Clock(Arc::new(move || at))
    }

    /// Any function, e.g. one reading an `Arc<Mutex<SystemTime>>` a test advances.
    pub fn from_fn(f: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Clock(Arc::new(f))
    }

    /// The current time by this clock.
    pub fn now(&self) -> SystemTime {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}

/// A credential the emulator accepts. `Debug` hides the secret and the session token.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct AccessKey {
    /// The access key id (the `Credential=` prefix in the Authorization header).
    pub access_key_id: String,
    /// The secret used to recompute signatures.
    pub secret_access_key: String,
    /// When set, requests with this key must carry and sign this `x-amz-security-token`.
    #[serde(default)]
    pub session_token: Option<String>,
    /// The Identity Center user these credentials map to: tokens issued to them sign SQL
    /// sessions in as this user. [`DEFAULT_IDENTITY_USER`] when `None`.
    #[serde(default)]
    pub identity_user: Option<String>,
}

impl AccessKey {
    /// A long-term key (no session token).
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        AccessKey {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            identity_user: None,
        }
    }

    /// Maps these credentials to an Identity Center user.
    pub fn with_identity_user(mut self, user: impl Into<String>) -> Self {
        self.identity_user = Some(user.into());
        self
    }

    /// The Identity Center user these credentials map to.
    pub fn identity_user(&self) -> &str {
        self.identity_user
            .as_deref()
            .unwrap_or(DEFAULT_IDENTITY_USER)
    }

    /// Temporary credentials: the same key plus a required session token.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// The built-in demo key, `AKIDEMULATOREXAMPLE` / `emulator-secret-key`.
    pub fn demo() -> Self {
        AccessKey::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY)
    }

    /// Parses `ID:SECRET` or `ID:SECRET:SESSION_TOKEN` (the CLI's `--access-key`).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ':');
        let id = parts.next().unwrap_or_default();
        let secret = parts.next().unwrap_or_default();
        if id.is_empty() || secret.is_empty() {
            return Err(format!(
                "expected ID:SECRET or ID:SECRET:SESSION_TOKEN, got {:?}",
                id
            ));
        }
        let key = AccessKey::new(id, secret);
        Ok(match parts.next() {
            Some(token) if !token.is_empty() => key.with_session_token(token),
            _ => key,
        })
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("identity_user", &self.identity_user())
            .finish()
    }
}

/// Everything the emulator needs to start.
///
/// `Default` gives: the demo key, region `us-east-1`, workgroups `default` and `analytics`
/// (both with Identity Center enabled), 15-minute tokens, no throttling, the system clock,
/// no faults, an ephemeral port.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Loopback port to bind; 0 picks a free one.
    pub port: u16,
    /// Accepted credentials.
    pub access_keys: Vec<AccessKey>,
    /// The region the credential scope must name.
    pub region: String,
    /// Known workgroups: name -> whether Identity Center integration is enabled.
    pub workgroups: BTreeMap<String, bool>,
    /// How long issued tokens live (`expirationTime` = now + this, at most
    /// 9999-12-31T23:59:59Z, so any `Duration` is accepted).
    pub token_lifetime: Duration,
    /// Requests per second allowed before `ThrottlingException`; `None` disables.
    pub throttle_rps: Option<f64>,
    /// How far `x-amz-date` may be from the clock before the signature counts as expired.
    pub max_clock_skew: Duration,
    /// The source of "now".
    pub clock: Clock,
    /// Initial fault configuration.
    pub faults: Faults,
    /// HTTP connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// How long a request body may take to arrive once its headers have; a connection
    /// whose body stalls longer is closed. (hyper bounds the headers at 30 s.)
    pub body_timeout: Duration,
    /// The SQL front, in front of a real PostgreSQL; `None` serves only the HTTP API.
    pub sql: Option<crate::SqlConfig>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            access_keys: vec![AccessKey::demo()],
            region: "us-east-1".into(),
            workgroups: default_workgroups(),
            token_lifetime: Duration::from_secs(15 * 60),
            throttle_rps: None,
            max_clock_skew: Duration::from_secs(15 * 60),
            clock: Clock::system(),
            faults: Faults::default(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            sql: None,
        }
    }
}

/// The default of [`EmulatorConfig::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// The default of [`EmulatorConfig::body_timeout`], the same as hyper's for the headers.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// `default` and `analytics`, both Identity Center enabled.
pub fn default_workgroups() -> BTreeMap<String, bool> {
    [
        ("default".to_string(), true),
        ("analytics".to_string(), true),
    ]
    .into_iter()
    .collect()
}

impl EmulatorConfig {
    /// Whether the emulator can start with this configuration; the error names the setting,
    /// the rule and the value.
    pub fn check(&self) -> Result<(), String> {
        if let Some(rps) = self.throttle_rps {
            check_throttle_rps(rps)?;
        }
        if self.max_connections == 0 {
            return Err("max_connections must be at least 1, not 0".into());
        }
        if self.body_timeout.is_zero() {
            return Err("body_timeout must be longer than 0 s".into());
        }
        for key in &self.access_keys {
            crate::sql::check_identity_user(key.identity_user())
                .map_err(|e| format!("identity_user of access key {}: {e}", key.access_key_id))?;
        }
        self.faults.check().map_err(|e| e.to_string())?;
        if let Some(sql) = &self.sql {
            sql.check()?;
        }
        Ok(())
    }

    /// The Identity Center user of the credentials with this access key id.
    pub fn identity_user_of(&self, access_key_id: &str) -> &str {
        self.access_keys
            .iter()
            .find(|k| k.access_key_id == access_key_id)
            .map_or(DEFAULT_IDENTITY_USER, AccessKey::identity_user)
    }

    /// Replaces the accepted credentials with exactly `keys`.
    pub fn with_access_keys(mut self, keys: impl IntoIterator<Item = AccessKey>) -> Self {
        self.access_keys = keys.into_iter().collect();
        self
    }

    /// Adds (or updates) a workgroup.
    pub fn with_workgroup(
        mut self,
        name: impl Into<String>,
        identity_center_enabled: bool,
    ) -> Self {
        self.workgroups.insert(name.into(), identity_center_enabled);
        self
    }

    /// Replaces the workgroups with exactly `workgroups`.
    pub fn with_workgroups<N: Into<String>>(
        mut self,
        workgroups: impl IntoIterator<Item = (N, bool)>,
    ) -> Self {
        self.workgroups = workgroups.into_iter().map(|(n, e)| (n.into(), e)).collect();
        self
    }

    /// Sets the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Sets the token lifetime.
    pub fn with_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Enables throttling above `rps` requests per second.
    pub fn with_throttle_rps(mut self, rps: f64) -> Self {
        self.throttle_rps = Some(rps);
        self
    }

    /// Sets the clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the initial faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Serves each workgroup's SQL endpoint in front of a PostgreSQL.
    pub fn with_sql(mut self, sql: crate::SqlConfig) -> Self {
        self.sql = Some(sql);
        self
    }

    /// Sets the port (0 = ephemeral).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Applies a config file on top of this configuration (see [`FileConfig`]).
    pub fn apply_file(mut self, file: FileConfig) -> Self {
        if let Some(region) = file.region {
            self.region = region;
        }
        if let Some(keys) = file.access_keys {
            self.access_keys = keys;
        }
        if let Some(wgs) = file.workgroups {
            self.workgroups = wgs
                .into_iter()
                .map(|(name, wg)| (name, wg.identity_center_enabled()))
                .collect();
        }
        if let Some(secs) = file.token_lifetime_secs {
            self.token_lifetime = Duration::from_secs(secs);
        }
        if let Some(rps) = file.throttle_rps {
            self.throttle_rps = Some(rps);
        }
        if let Some(secs) = file.max_clock_skew_secs {
            self.max_clock_skew = Duration::from_secs(secs);
        }
        if let Some(port) = file.port {
            self.port = port;
        }
        if let Some(faults) = file.faults {
            self.faults = faults;
        }
        if let Some(n) = file.max_connections {
            self.max_connections = n;
        }
        self
    }
}

/// A throttle rate must be a finite number of requests per second, zero or more.
pub(crate) fn check_throttle_rps(rps: f64) -> Result<(), String> {
    if rps.is_finite() && rps >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "throttle_rps must be a finite number of requests per second, 0 or more, not {rps}; \
             leave it out for no limit"
        ))
    }
}

/// A workgroup entry in a config file: either `name = true` or a table.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum FileWorkgroup {
    /// `name = true|false`: whether Identity Center is enabled.
    Enabled(bool),
    /// `[workgroups.name] identity_center_enabled = true|false`.
    Table {
        /// Whether Identity Center is enabled (default true).
        #[serde(default = "yes")]
        identity_center_enabled: bool,
    },
}

fn yes() -> bool {
    true
}

impl FileWorkgroup {
    fn identity_center_enabled(&self) -> bool {
        match self {
            FileWorkgroup::Enabled(b) => *b,
            FileWorkgroup::Table {
                identity_center_enabled,
            } => *identity_center_enabled,
        }
    }
}

/// The config file, TOML or JSON. Every key is optional; absent ones keep their defaults.
///
/// ```toml
/// region = "us-east-1"
/// token_lifetime_secs = 900
/// throttle_rps = 20
/// [[access_keys]]
/// access_key_id = "AKIDEXAMPLE"
/// secret_access_key = "secret"
/// [workgroups]
/// default = true
/// legacy = false
/// [faults]
/// seed = 1
/// [[faults.script]]
/// kind = "error"
/// error = "ThrottlingException"
/// times = 2
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Port to bind.
    pub port: Option<u16>,
    /// Region.
    pub region: Option<String>,
    /// Accepted credentials (replace the demo key).
    pub access_keys: Option<Vec<AccessKey>>,
    /// Workgroups (replace the defaults).
    pub workgroups: Option<BTreeMap<String, FileWorkgroup>>,
    /// Token lifetime in seconds.
    pub token_lifetime_secs: Option<u64>,
    /// Throttle rate.
    pub throttle_rps: Option<f64>,
    /// Allowed clock skew in seconds.
    pub max_clock_skew_secs: Option<u64>,
    /// Initial faults.
    pub faults: Option<Faults>,
    /// HTTP connections served at once.
    pub max_connections: Option<usize>,
}

impl FileConfig {
    /// Parses file text: JSON when it starts with `{` or the name ends in `.json`,
    /// TOML otherwise.
    pub fn parse(text: &str, json: bool) -> Result<Self, String> {
        if json || text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| format!("invalid JSON config: {e}"))
        } else {
            toml::from_str(text).map_err(|e| format!("invalid TOML config: {e}"))
        }
    }

    /// Reads and parses a config file of at most 1 MiB.
    pub fn load(path: &Path) -> Result<Self, String> {
        use std::io::Read;
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(cannot)?
            .take(MAX_CONFIG_FILE + 1)
            .read_to_string(&mut text)
            .map_err(cannot)?;
        if text.len() as u64 > MAX_CONFIG_FILE {
            return Err(format!(
                "cannot read {}: a config file is at most {MAX_CONFIG_FILE} bytes",
                path.display()
            ));
        }
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Self::parse(&text, json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::Fault;

    #[test]
    fn toml_and_json_files() {
        let toml = r#"
            region = "eu-west-1"
            throttle_rps = 5.0
            [[access_keys]]
            access_key_id = "AK"
            secret_access_key = "S"
            session_token = "T"
            [workgroups]
            default = true
            legacy = false
            other = { identity_center_enabled = false }
            [[faults.script]]
            kind = "connection_reset"
            times = 2
        "#;
        let cfg = EmulatorConfig::default().apply_file(FileConfig::parse(toml, false).unwrap());
        assert_eq!(cfg.region, "eu-west-1");
        assert_eq!(cfg.throttle_rps, Some(5.0));
        assert_eq!(cfg.access_keys[0].session_token.as_deref(), Some("T"));
        assert_eq!(cfg.workgroups.get("legacy"), Some(&false));
        assert_eq!(cfg.workgroups.get("other"), Some(&false));
        assert_eq!(cfg.workgroups.get("analytics"), None);
        assert_eq!(cfg.faults.script[0].fault, Fault::ConnectionReset);
        assert_eq!(cfg.faults.script[0].times, 2);

        let json = r#"{"workgroups":{"wg-1":true},"token_lifetime_secs":60}"#;
        let cfg = EmulatorConfig::default().apply_file(FileConfig::parse(json, true).unwrap());
        assert_eq!(cfg.token_lifetime, Duration::from_secs(60));
        assert_eq!(cfg.workgroups.len(), 1);
        assert!(FileConfig::parse("bogus_key = 1", false).is_err());
    }

    #[test]
    fn access_key_parsing_and_debug() {
        let k = AccessKey::parse("AK:SECRET:TOKEN").unwrap();
        assert_eq!(k.session_token.as_deref(), Some("TOKEN"));
        assert!(AccessKey::parse("AK").is_err());
        assert!(AccessKey::parse(":x").is_err());
        let dbg = format!("{k:?}");
        assert!(!dbg.contains("SECRET") && !dbg.contains("TOKEN"), "{dbg}");
        assert_eq!(k.identity_user(), DEFAULT_IDENTITY_USER);
    }

    #[test]
    fn identity_users_come_from_the_access_keys() {
        let cfg = EmulatorConfig::default().apply_file(
            FileConfig::parse(
                r#"
                [[access_keys]]
                access_key_id = "AKBOB"
                secret_access_key = "S"
                identity_user = "bob@example.com"
                [[access_keys]]
                access_key_id = "AKANY"
                secret_access_key = "S"
                "#,
                false,
            )
            .unwrap(),
        );
        assert_eq!(cfg.identity_user_of("AKBOB"), "bob@example.com");
        assert_eq!(cfg.identity_user_of("AKANY"), DEFAULT_IDENTITY_USER);
        assert!(cfg.check().is_ok());
    }

    #[test]
    fn check_names_the_setting_and_the_value() {
        for rps in [f64::NAN, f64::INFINITY, -1.0] {
            let e = EmulatorConfig::default()
                .with_throttle_rps(rps)
                .check()
                .unwrap_err();
            assert!(e.starts_with("throttle_rps must be a finite number"), "{e}");
            assert!(e.contains(&format!("not {rps}")), "{e}");
        }
        assert!(EmulatorConfig::default()
            .with_throttle_rps(0.0)
            .check()
            .is_ok());
        let e = EmulatorConfig::default()
            .with_access_keys([AccessKey::demo().with_identity_user("")])
            .check()
            .unwrap_err();
        assert!(
            e.starts_with("identity_user of access key AKIDEMULATOREXAMPLE: "),
            "{e}"
        );
    }

    #[test]
    fn a_config_file_is_read_up_to_a_limit() {
        let dir = std::env::temp_dir().join(format!("emu-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.toml");
        std::fs::write(&path, "#".repeat(MAX_CONFIG_FILE as usize + 1)).unwrap();
        let e = FileConfig::load(&path).unwrap_err();
        assert!(e.ends_with("a config file is at most 1048576 bytes"), "{e}");
        std::fs::write(&path, "region = \"eu-west-1\"").unwrap();
        assert_eq!(
            FileConfig::load(&path).unwrap().region.as_deref(),
            Some("eu-west-1")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
