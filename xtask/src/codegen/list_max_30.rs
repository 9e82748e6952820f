//! Target: `tests/fixtures/list-max-30`, a copy of the main types crate generated from the
//! main model with one edit (the workgroup list may hold 30 names instead of 20): its tests
//! prove a model edit alone moves the enforced limit.

use std::collections::BTreeMap;

use super::{header, main_crates::MAIN_MODEL, Inputs};

pub(crate) const FIXTURE_DIR: &str = "tests/fixtures/list-max-30/src";
pub(crate) const FIXTURE_SHAPE: &str = "com.amazonaws.redshiftserverless#WorkgroupNameList";
pub(crate) const FIXTURE_MANIFEST: &str = "tests/fixtures/list-max-30/Cargo.toml";

/// The edited model.
pub(crate) fn model(inputs: &Inputs) -> Result<String, String> {
    with_length_max(&inputs.main_model, FIXTURE_SHAPE, 30)
}

/// The fixture's types crate.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    let header = format!(
        "{} Fixture: {FIXTURE_SHAPE} has @length(max: 30).",
        header(MAIN_MODEL)
    );
    let generated =
        redshift_serverless_codegen::generate(&model(inputs)?, &inputs.partitions, &header)
            .map_err(|e| format!("{MAIN_MODEL} with {FIXTURE_SHAPE} edited: {e}"))?;
    Ok(generated
        .into_iter()
        .filter_map(|(path, text)| {
            let rest = path.strip_prefix("crates/redshift-serverless-types/src/")?;
            Some((format!("{FIXTURE_DIR}/{rest}"), text))
        })
        .collect())
}

/// Returns the model with `@length(max)` of `shape` set to `max`.
pub(crate) fn with_length_max(model_json: &str, shape: &str, max: u64) -> Result<String, String> {
    let mut doc: serde_json::Value = serde_json::from_str(model_json).map_err(|e| e.to_string())?;
    let length = doc
        .pointer_mut(&format!(
            "/shapes/{}/traits/smithy.api#length",
            shape.replace('~', "~0").replace('/', "~1")
        ))
        .ok_or_else(|| format!("{shape} has no @length trait to edit"))?;
    length["max"] = max.into();
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}
