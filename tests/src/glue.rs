//! Generated glue of the per-operation differential tests, one module per client under
//! test (`cargo xtask codegen`, xtask's `codegen/differential_emit.rs`): the model as a
//! [`crate::schema::Schema`] table, and both crates reached by operation name through
//! [`crate::operations::Caller`]. The glue lives in this library rather than in the test,
//! so that its `FromJson` and `ToJson` impls for both crates' types are local impls.
//!
//! - [`slice`](mod@slice): the main crates, generated from `model/redshift-serverless.json`;
//! - [`full_service`]: the full-service fixture (`tests/fixtures/full-service`), generated
//!   from the published model, `model/upstream/redshift-serverless-2021-04-21.json`.

#[rustfmt::skip]
pub mod full_service;
#[rustfmt::skip]
pub mod slice;
