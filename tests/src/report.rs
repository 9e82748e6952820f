//! Per-test counts for `cargo xtask conformance`.
//!
//! Each reporting test writes one small text file into the report directory
//! (`$CONFORMANCE_REPORT_DIR`, else `<workspace>/target/conformance`): a `summary` line with
//! the counts, then one `difference` line per table row seen. Plain `key=value` words keep
//! the xtask parser free of dependencies.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::differences::Difference;

/// Counts for one test.
#[derive(Debug, Default)]
pub struct Report {
    category: &'static str,
    test: String,
    /// Cases run.
    pub cases: u64,
    /// Cases where both sides (or the expectation) agreed.
    pub agreements: u64,
    /// Cases explained by the differences table.
    pub differences: u64,
    /// Cases that failed.
    pub failures: u64,
    rows: BTreeMap<&'static str, u64>,
}

impl Report {
    /// An empty report for `test` in `category`.
    pub fn new(category: &'static str, test: impl Into<String>) -> Self {
        Report {
            category,
            test: test.into(),
            ..Default::default()
        }
    }

    /// Records an agreement.
    pub fn agree(&mut self) {
        self.cases += 1;
        self.agreements += 1;
    }

    /// Records a case explained by `rows`.
    pub fn differ(&mut self, rows: &[&'static Difference]) {
        self.cases += 1;
        self.differences += 1;
        for r in rows {
            *self.rows.entry(r.id).or_default() += 1;
        }
    }

    /// Records a failure.
    pub fn fail(&mut self) {
        self.cases += 1;
        self.failures += 1;
    }

    /// Writes the report file; errors are ignored (the report is a convenience, the test
    /// result is what counts).
    pub fn write(&self) {
        let dir = report_dir();
        let _ = std::fs::create_dir_all(&dir);
        let mut text = format!(
            "summary category={} test={} cases={} agreements={} differences={} failures={}\n",
            self.category, self.test, self.cases, self.agreements, self.differences, self.failures
        );
        for (id, n) in &self.rows {
            text.push_str(&format!(
                "difference category={} id={id} count={n}\n",
                self.category
            ));
        }
        let _ = std::fs::write(
            dir.join(format!("{}--{}.txt", self.category, self.test)),
            text,
        );
    }
}

/// Where reports go.
pub fn report_dir() -> PathBuf {
    match std::env::var_os("CONFORMANCE_REPORT_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/conformance"),
    }
}

/// Number of generated cases: `$CONFORMANCE_CASES` if set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("CONFORMANCE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
