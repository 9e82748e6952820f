//! Conformance suite: checks this workspace's client against `aws-sdk-redshiftserverless`.
//!
//! Test binaries (`tests/`): `drop_in` (same program compiles against both crates),
//! `differential_requests` (same bytes on the wire, both signatures verify),
//! `differential_responses` (same bytes in, same outputs and errors out, or a row of the
//! [`differences`] table), `differential_operations` (the same for every operation of a
//! generated client: [`operations`]), `faults` (broken servers end in classified errors
//! with the attempt count the retry crate's verdict implies), `fuzz` (nothing that reads
//! network input panics), `secrets` (no credential or token in logs or `Debug` output) and
//! `sdk_config` (both crates take the same settings from one `SdkConfig`, with effect).
//!
//! Running: `cargo xtask conformance` runs everything and prints a summary table;
//! `--extended` sets `CONFORMANCE_CASES=10000` for the generated differential tests (default
//! 128 request cases, 512 response cases) and `CONFORMANCE_OPERATION_CASES=500` for the
//! per-operation tests (default 24 requests, 24 outputs, 6 per modeled error, 8 pagination
//! conversations per operation; `CONFORMANCE_CASES` lowers them). `cargo xtask fuzz` sets
//! `CONFORMANCE_FUZZ_CASES=100000` (default 512). Reports go to
//! `$CONFORMANCE_REPORT_DIR`, else `target/conformance/`.
//!
//! Support code shared by those binaries:
//!
//! - [`capture`]: a local server that records requests and answers a canned response;
//! - [`sigv4`]: an independent SigV4 check of a captured request;
//! - [`outcome`]: one comparable shape for the results of both crates;
//! - [`differences`]: the table of deliberate differences and the classifier;
//! - [`report`]: per-test counts for `cargo xtask conformance`;
//! - [`clients`]: identically configured clients of both crates;
//! - [`runner`]: a proptest runner that counts agreements and explained differences;
//! - [`operations`]: the per-operation differential harness, with [`schema`] (the model as
//!   a table), [`values`] (strategies of wire JSON from it), [`json`] (both crates' values
//!   to and from JSON) and [`glue`] (generated per client under test).

pub mod capture;
pub mod clients;
pub mod differences;
pub mod glue;
pub mod json;
pub mod operations;
pub mod outcome;
pub mod report;
pub mod runner;
pub mod schema;
pub mod sigv4;

#[cfg(doctest)]
mod readmes;
pub mod values;
