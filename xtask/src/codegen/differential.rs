//! Target: the per-operation differential tests (`differential_emit`): for each client under
//! test, its glue in the conformance library and its tests in `differential_operations`.

use std::collections::BTreeMap;

use super::differential_emit::{emit, Target};
use super::full_service::FULL_SERVICE_MODEL;
use super::main_crates::MAIN_MODEL;
use super::{header, Inputs};

pub(crate) const DIFFERENTIAL_GLUE_DIR: &str = "tests/src/glue";
pub(crate) const DIFFERENTIAL_DIR: &str = "tests/tests/differential_operations";

/// The main crates against the official crate.
const DIFFERENTIAL_SLICE: Target<'static> = Target {
    name: "slice",
    module: "slice",
    ours_crate: "redshift_serverless_client",
    ours_client: "crate::clients::ours",
    official_client: "crate::clients::official",
};

/// The full-service fixture against the official crate, every operation.
const DIFFERENTIAL_FULL_SERVICE: Target<'static> = Target {
    name: "full-service",
    module: "full_service",
    ours_crate: "full_service_client",
    ours_client: "crate::clients::full_service",
    official_client: "crate::clients::official",
};

/// The glue and tests for both clients under test.
pub(crate) fn files(inputs: &Inputs) -> Result<BTreeMap<String, String>, String> {
    let mut files = one(&inputs.main_model, MAIN_MODEL, &DIFFERENTIAL_SLICE)?;
    files.extend(one(
        &inputs.read(FULL_SERVICE_MODEL)?,
        FULL_SERVICE_MODEL,
        &DIFFERENTIAL_FULL_SERVICE,
    )?);
    Ok(files)
}

/// The differential glue and tests for one client under test, generated from `model_json`
/// (read from `source`).
fn one(
    model_json: &str,
    source: &str,
    target: &Target<'_>,
) -> Result<BTreeMap<String, String>, String> {
    let model = redshift_serverless_codegen::lower(model_json).map_err(|e| e.to_string())?;
    let settings =
        redshift_serverless_codegen::Settings::for_sdk_id(&model.service.sdk_id, header(source));
    let mut files = redshift_serverless_codegen::emit::Files::new(&settings.header);
    emit(
        &redshift_serverless_codegen::emit::Ctx {
            model: &model,
            settings: &settings,
        },
        target,
        &format!("{DIFFERENTIAL_GLUE_DIR}/{}.rs", target.module),
        &format!("{DIFFERENTIAL_DIR}/{}.rs", target.module),
        &mut files,
    )
    .map_err(|e| format!("differential glue for {}: {e}", target.name))?;
    Ok(files.into_map())
}
