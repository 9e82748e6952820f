//! Smithy JSON AST slice -> checked semantic model -> formatted Rust source.
//!
//! The pipeline has three visible stages, each its own module:
//!
//! 1. [`ast`]: parse the JSON AST into serde structs, uninterpreted;
//! 2. [`model`] (with [`rules`]): lower into a checked semantic model where every reference
//!    is resolved, every trait is typed, unsupported constructs are errors naming the shape,
//!    and Rust names are computed once by [`ident`];
//! 3. [`emit`]: build `quote!` token streams and format them in-process with prettyplease.
//!
//! Beside the pipeline, [`slice`] and [`overlay`] turn one JSON AST document into another:
//! carving the closure of some operations out of a published model, and applying a project's
//! own documentation and tests to it.
//!
//! [`generate`] is pure: model text in, file contents out, in a deterministic order. Writing
//! files is the caller's business (`cargo xtask codegen`).

#![forbid(unsafe_code)]

pub mod ast;
mod document;
pub mod emit;
mod error;
pub mod ident;
pub mod model;
pub mod overlay;
pub mod rules;
pub mod slice;

pub use emit::{Crate, Settings};
pub use error::Error;

use std::collections::BTreeMap;

/// Parses and lowers a model without emitting anything.
pub fn lower(model_json: &str) -> Result<model::Model, Error> {
    model::lower(&ast::parse(model_json)?)
}

/// [`lower`], leaving out the operations the generator cannot implement (event streams) when
/// `skip_unsupported` is set; [`model::Model::skipped`] names each with the reason.
pub fn lower_with(model_json: &str, skip_unsupported: bool) -> Result<model::Model, Error> {
    model::lower_with(&ast::parse(model_json)?, skip_unsupported)
}

/// Generates every file of the generated crates, keyed by path relative to the workspace
/// root, from the model and the partition table, with the crates named after the service's
/// `sdkId` ([`Settings::for_sdk_id`]) and every file starting with `header`.
pub fn generate(
    model_json: &str,
    partitions_json: &str,
    header: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let model = lower(model_json)?.with_partitions(partitions_json)?;
    let settings = Settings::for_sdk_id(&model.service.sdk_id, header);
    emit_all(&model, &settings)
}

/// [`generate`] with explicit settings (for example other crate names).
pub fn generate_with(
    model_json: &str,
    partitions_json: &str,
    settings: &Settings,
) -> Result<BTreeMap<String, String>, Error> {
    emit_all(
        &lower_with(model_json, settings.skip_unsupported)?.with_partitions(partitions_json)?,
        settings,
    )
}

/// Emits every file of the generated crates from an already lowered model, its partition
/// table included (what [`generate`] does after lowering; the benchmark times the stages
/// apart).
pub fn emit_all(
    model: &model::Model,
    settings: &Settings,
) -> Result<BTreeMap<String, String>, Error> {
    let cx = emit::Ctx { model, settings };
    let mut files = emit::Files::new(&settings.header);
    emit::types::emit(&cx, &mut files)?;
    emit::protocol::emit(&cx, &mut files)?;
    emit::client::emit(&cx, &mut files)?;
    emit::tests::emit(&cx, &mut files)?;
    Ok(files.into_map())
}
