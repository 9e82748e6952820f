//! Conformance suite support code.
