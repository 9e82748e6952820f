//! Target: the types crates' manifests, whose constraints dependency asks for the `ecma262`
//! feature exactly when the crate's model has a `@pattern` only the ECMA-262 engine compiles.

use std::collections::BTreeMap;

use super::full_service::{FULL_SERVICE_MANIFEST, FULL_SERVICE_MODEL};
use super::kitchen_sink::{KITCHEN_SINK_MANIFEST, KITCHEN_SINK_MODEL};
use super::{list_max_30, Inputs};

/// The main types crate's manifest.
pub(crate) const MAIN_TYPES_MANIFEST: &str = "crates/redshift-serverless-types/Cargo.toml";

/// Every types crate's manifest, with the feature set as its model needs.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for (manifest, model_json) in [
        (MAIN_TYPES_MANIFEST, inputs.main_model.clone()),
        (list_max_30::FIXTURE_MANIFEST, list_max_30::model(inputs)?),
        (KITCHEN_SINK_MANIFEST, inputs.read(KITCHEN_SINK_MODEL)?),
        (FULL_SERVICE_MANIFEST, inputs.read(FULL_SERVICE_MODEL)?),
    ] {
        let needs = !redshift_serverless_codegen::lower(&model_json)
            .map_err(|e| format!("{manifest}: {e}"))?
            .ecma262_patterns()
            .is_empty();
        let text = with_constraints_feature(&inputs.read(manifest)?, needs)
            .map_err(|e| format!("{manifest}: {e}"))?;
        files.insert(manifest.to_owned(), text);
    }
    Ok(files)
}

/// `manifest` with its `redshift-serverless-constraints` dependency line asking for the
/// `ecma262` feature exactly when `needs_ecma262`; an error when there is no such line.
pub(crate) fn with_constraints_feature(
    manifest: &str,
    needs_ecma262: bool,
) -> Result<String, String> {
    let wanted = if needs_ecma262 {
        r#"redshift-serverless-constraints = { workspace = true, features = ["ecma262"] }"#
    } else {
        "redshift-serverless-constraints.workspace = true"
    };
    let mut found = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        if line.starts_with("redshift-serverless-constraints") {
            found = true;
            out.push_str(wanted);
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    if found {
        Ok(out)
    } else {
        Err("no `redshift-serverless-constraints` dependency line to set the feature on".into())
    }
}
