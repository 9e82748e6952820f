//! Target: `tests/fixtures/full-service/{types,protocol,client}`, the published model (all 65
//! operations) in three crates named `full-service-{types,protocol,client}` (the sdkId's names
//! are the main crates'), so the whole service is compiled, linted and its endpoint tests run.

use std::collections::BTreeMap;

use super::{header, Inputs};

pub(crate) const FULL_SERVICE_MODEL: &str = "model/upstream/redshift-serverless-2021-04-21.json";
pub(crate) const FULL_SERVICE_MANIFEST: &str = "tests/fixtures/full-service/types/Cargo.toml";
const FULL_SERVICE_STEM: &str = "full-service";
const FULL_SERVICE_DIR: &str = "tests/fixtures/full-service";

/// The three fixture crates.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    let generated = redshift_serverless_codegen::generate_with(
        &inputs.read(FULL_SERVICE_MODEL)?,
        &inputs.partitions,
        &redshift_serverless_codegen::Settings {
            crate_stem: FULL_SERVICE_STEM.to_owned(),
            header: header(FULL_SERVICE_MODEL),
            skip_unsupported: false,
        },
    )
    .map_err(|e| format!("{FULL_SERVICE_MODEL}: {e}"))?;
    generated
        .into_iter()
        .map(|(path, text)| {
            let rest = path
                .strip_prefix(&format!("crates/{FULL_SERVICE_STEM}-"))
                .ok_or_else(|| format!("{path} is outside the full-service crates"))?;
            Ok((format!("{FULL_SERVICE_DIR}/{rest}"), text))
        })
        .collect()
}
