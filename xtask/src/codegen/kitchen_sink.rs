//! Target: `tests/fixtures/kitchen-sink/{types,protocol,client}`, generated from a model that
//! uses every shape kind and trait the generator supports, so that every emitter path is
//! compiled and tested, not only the ones the real slice happens to use.

use std::collections::BTreeMap;

use super::{header, Inputs};

pub(crate) const KITCHEN_SINK_MODEL: &str = "codegen/tests/fixtures/kitchen-sink.json";
pub(crate) const KITCHEN_SINK_MANIFEST: &str = "tests/fixtures/kitchen-sink/types/Cargo.toml";
const KITCHEN_SINK_CRATES: &[(&str, &str)] = &[
    (
        "crates/kitchen-sink-types/",
        "tests/fixtures/kitchen-sink/types/",
    ),
    (
        "crates/kitchen-sink-protocol/",
        "tests/fixtures/kitchen-sink/protocol/",
    ),
    (
        "crates/kitchen-sink-client/",
        "tests/fixtures/kitchen-sink/client/",
    ),
];

/// The three fixture crates.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    let generated = redshift_serverless_codegen::generate(
        &inputs.read(KITCHEN_SINK_MODEL)?,
        &inputs.partitions,
        &header(KITCHEN_SINK_MODEL),
    )
    .map_err(|e| format!("{KITCHEN_SINK_MODEL}: {e}"))?;
    Ok(generated
        .into_iter()
        .filter_map(|(path, text)| {
            KITCHEN_SINK_CRATES.iter().find_map(|(from, to)| {
                let rest = path.strip_prefix(from)?;
                Some((format!("{to}{rest}"), text.clone()))
            })
        })
        .collect())
}
