//! Errors a model can produce while it is parsed and lowered.
//!
//! Every variant names the shape (and member or trait) at fault, so a bad model edit is
//! reported where it was made rather than as a failure deep inside emission.

/// A problem with the model that stops generation.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a Smithy JSON AST document.
    #[error("the model is not a valid Smithy JSON AST: {0}")]
    Json(String),
    /// The document declares a Smithy IDL version this generator does not read.
    #[error("unsupported Smithy version {0:?} (expected \"2.0\")")]
    SmithyVersion(String),
    /// A shape id is not of the form `namespace#Name`.
    #[error("{0:?} is not a valid absolute shape id")]
    BadShapeId(String),
    /// A member or relationship targets a shape that is not in the model.
    #[error("{from}: targets {target}, which is not defined in the model")]
    DanglingTarget {
        /// The shape (or member) holding the reference.
        from: String,
        /// The missing shape id.
        target: String,
    },
    /// The model has no service shape, or more than one.
    #[error("expected exactly one service shape, found {0}")]
    ServiceCount(usize),
    /// The service carries no protocol trait this generator implements.
    #[error("{service}: no supported protocol trait (supported: aws.protocols#awsJson1_1)")]
    NoProtocol {
        /// The service shape id.
        service: String,
    },
    /// A shape type this generator does not implement.
    #[error("{shape}: shape type {kind:?} is not supported")]
    UnsupportedShape {
        /// The shape id.
        shape: String,
        /// The Smithy shape type.
        kind: String,
    },
    /// A trait this generator does not implement (and would otherwise silently ignore).
    #[error("{shape}: trait {name} is not supported")]
    UnsupportedTrait {
        /// The shape or member id.
        shape: String,
        /// The trait's shape id.
        name: String,
    },
    /// A trait is applied with a value this generator cannot use.
    #[error("{shape}: trait {name} has an unsupported value: {problem}")]
    BadTraitValue {
        /// The shape or member id.
        shape: String,
        /// The trait's shape id.
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A structural rule of Smithy or of this generator is broken.
    #[error("{shape}: {problem}")]
    Invalid {
        /// The shape id.
        shape: String,
        /// What is wrong.
        problem: String,
    },
    /// Emitted Rust failed to parse (a generator bug, reported with the file it concerns).
    #[error("generated file {file} is not valid Rust: {message}")]
    Emit {
        /// The file being generated.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(shape: impl ToString, problem: impl Into<String>) -> Self {
        Error::Invalid {
            shape: shape.to_string(),
            problem: problem.into(),
        }
    }

    pub(crate) fn bad_trait(
        shape: impl ToString,
        name: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        Error::BadTraitValue {
            shape: shape.to_string(),
            name: name.into(),
            problem: problem.into(),
        }
    }
}
