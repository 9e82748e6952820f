//! Client-side enforcement of Smithy constraint traits.
//!
//! # Why this crate exists
//!
//! A Smithy model states what a service will accept: `@required`, `@length`, `@pattern`,
//! `@range`, enum values and `@uniqueItems`. The smithy-rs SDKs deliberately do not check
//! these on the client (smithy-rs RFC 0025): the service is the authority, and a model that
//! lags behind a relaxed service-side rule should not block valid requests.
//!
//! This client takes the opposite default. Every input is checked against its model before a
//! request is signed or sent, so a mistake is reported locally, at once, with every problem
//! listed together and the exact member path, instead of as a round trip that returns a
//! single terse `ValidationException`. The price of that choice is the RFC's concern, so the
//! checks can be switched off per client with [`ValidationMode::Off`], and every
//! [`ConstraintViolations`] message says so.
//!
//! # What is here
//!
//! This crate is the shape-agnostic rules engine; it knows nothing about Redshift. Generated
//! code implements [`Validate`] for each input shape by walking its members with a [`Path`]
//! and calling one `check_*` function per constraint trait, which append to [`Violations`]:
//!
//! ```
//! use redshift_serverless_constraints::{
//!     check_collection_length, check_pattern, check_string_length, Path, Pattern, Validate,
//!     Violations,
//! };
//!
//! static NAME: Pattern = Pattern::new("^[a-z0-9-]+$");
//!
//! struct Input {
//!     names: Vec<String>,
//! }
//!
//! impl Validate for Input {
//!     const SHAPE: &'static str = "Input";
//!
//!     fn validate_at(&self, path: &mut Path, out: &mut Violations) {
//!         path.push_member("names");
//!         check_collection_length(path, self.names.len(), Some(1), Some(20), out);
//!         for (i, name) in self.names.iter().enumerate() {
//!             path.push_index(i);
//!             check_string_length(path, name, Some(3), Some(64), false, out);
//!             check_pattern(path, name, &NAME, false, out);
//!             path.pop();
//!         }
//!         path.pop();
//!     }
//! }
//!
//! let bad = Input { names: vec!["ok-name".into(), "Bad_Name".into()] };
//! let error = bad.validate().unwrap_err();
//! assert_eq!(error.violations()[0].path(), "names[1]");
//! assert!(error.to_string().contains("ValidationMode::Off"));
//! ```
//!
//! Checking costs nothing but comparisons on valid input: the path stack and the collector
//! reuse their buffers, patterns compile once per process, and strings are only built for
//! the message once something is wrong. `@sensitive` values are never copied into a
//! violation, so they cannot surface in `Display` or `Debug` output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod checks;
mod dialect;
mod path;
mod pattern;
mod rule;
mod validate;
mod violation;

pub use checks::{
    check_blob_length, check_collection_length, check_enum, check_pattern, check_range_f64,
    check_range_i64, check_required, check_string_length, check_unique_items,
};
pub use path::Path;
#[cfg(feature = "ecma262")]
pub use pattern::engine_for;
pub use pattern::{Engine, Pattern, PatternError};
pub use rule::{LengthUnit, Rule};
pub use validate::{Validate, ValidationMode};
pub use violation::{ConstraintViolations, ObservedValue, Violation, Violations, MAX_SHOWN_CHARS};
