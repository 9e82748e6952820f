//! Target: the main model file, `model/redshift-serverless.json` (slice plus overlay), and the
//! three main crates generated from it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use redshift_serverless_codegen::{overlay, slice};

use super::{full_service::FULL_SERVICE_MODEL, header, Inputs};

/// The main crates' model: the slice of the published model for these operations, plus the
/// project's own documentation and tests from the overlay. `cargo xtask codegen` writes it;
/// `--check` reports it as stale when it is not exactly that.
pub(crate) const MAIN_MODEL: &str = "model/redshift-serverless.json";
pub(crate) const MAIN_OVERLAY: &str = "model/overlay.json";
const MAIN_OPERATIONS: &[&str] = &["GetIdentityCenterAuthToken", "GetWorkgroup"];

/// What `model/redshift-serverless.json` must hold: the slice of the published model (under
/// `root`) for [`MAIN_OPERATIONS`] with the overlay applied, as the project writes JSON AST.
pub fn main_model(root: &Path) -> Result<String, String> {
    let json = |p: &str| -> Result<serde_json::Value, String> {
        let text = fs::read_to_string(root.join(p)).map_err(|e| format!("reading {p}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{p}: not JSON: {e}"))
    };
    let sliced = slice::slice(&json(FULL_SERVICE_MODEL)?, MAIN_OPERATIONS)
        .map_err(|e| format!("slicing {FULL_SERVICE_MODEL}: {e}"))?;
    let merged = overlay::apply(&sliced, &json(MAIN_OVERLAY)?)
        .map_err(|e| format!("applying {MAIN_OVERLAY}: {e}"))?;
    Ok(slice::to_pretty_json(&merged))
}

/// How `--check` names a main model that is not slice plus overlay.
pub(crate) fn model_problem() -> String {
    format!(
        "{MAIN_MODEL} (it must be `cargo xtask slice` of {FULL_SERVICE_MODEL} for {} plus {MAIN_OVERLAY}; edit the overlay, not the model)",
        MAIN_OPERATIONS.join(",")
    )
}

/// The main crates, from the main model.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    redshift_serverless_codegen::generate(
        &inputs.main_model,
        &inputs.partitions,
        &header(MAIN_MODEL),
    )
    .map_err(|e| format!("{MAIN_MODEL}: {e}"))
}
