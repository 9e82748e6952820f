//! The Rust blocks of the READMEs, compiled as doctests (and run, unless marked `no_run`):
//! `cargo test -p redshift-serverless-conformance --doc`. They live here, in one crate that
//! depends on all the others, because three of the crates' `lib.rs` are generated and
//! several READMEs use crates their own crate does not depend on (aws-config, the HTTP
//! client, the token cache).

/// `README.md`.
#[doc = include_str!("../../README.md")]
pub struct Root;

/// `codegen/README.md`.
#[doc = include_str!("../../codegen/README.md")]
pub struct Codegen;

/// `crates/redshift-serverless-client/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-client/README.md")]
pub struct Client;

/// `crates/redshift-serverless-types/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-types/README.md")]
pub struct Types;

/// `crates/redshift-serverless-protocol/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-protocol/README.md")]
pub struct Protocol;

/// `crates/redshift-serverless-constraints/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-constraints/README.md")]
pub struct Constraints;

/// `crates/redshift-serverless-retry/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-retry/README.md")]
pub struct Retry;

/// `crates/redshift-serverless-signer/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-signer/README.md")]
pub struct Signer;

/// `crates/redshift-serverless-http/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-http/README.md")]
pub struct Http;

/// `crates/redshift-serverless-token/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-token/README.md")]
pub struct Token;

/// `crates/redshift-serverless-emulator/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-emulator/README.md")]
pub struct EmulatorReadme;

/// `crates/redshift-serverless-cli/README.md` (shell only; kept so a Rust block added
/// later is compiled too).
#[doc = include_str!("../../crates/redshift-serverless-cli/README.md")]
pub struct Cli;

/// `crates/redshift-serverless-connect/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-connect/README.md")]
pub struct Connect;

/// `crates/redshift-serverless-pgwire/README.md`.
#[doc = include_str!("../../crates/redshift-serverless-pgwire/README.md")]
pub struct Pgwire;
