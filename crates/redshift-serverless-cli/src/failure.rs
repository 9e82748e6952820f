//! Exit codes and the messages that go with them, following the AWS CLI's conventions.

use std::fmt;

use redshift_serverless_constraints::ConstraintViolations;

use crate::escape::escape_controls;

/// Process exit codes (the AWS CLI's).
pub mod code {
    /// The command succeeded.
    pub const SUCCESS: u8 = 0;
    /// The command line or the parameters are invalid (nothing was sent).
    pub const INVALID_PARAMETERS: u8 = 252;
    /// The environment lacks something needed to send: a region or credentials.
    pub const CONFIGURATION: u8 = 253;
    /// The service answered with an error.
    pub const SERVICE_ERROR: u8 = 254;
    /// Anything else: network failures, unreadable responses, bugs.
    pub const OTHER: u8 = 255;
}

/// Why the command failed; `Display` is the text printed to standard error (after an empty
/// line, as the AWS CLI prints its errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Bad parameters (exit 252).
    InvalidParameters(String),
    /// Missing or broken configuration (exit 253).
    Configuration(String),
    /// The service's error line (exit 254).
    Service(String),
    /// Anything else (exit 255).
    Other(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::InvalidParameters(_) => code::INVALID_PARAMETERS,
            Failure::Configuration(_) => code::CONFIGURATION,
            Failure::Service(_) => code::SERVICE_ERROR,
            Failure::Other(_) => code::OTHER,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::InvalidParameters(m)
            | Failure::Configuration(m)
            | Failure::Service(m)
            | Failure::Other(m) => f.write_str(m),
        }
    }
}

/// The AWS CLI's line for a service error of `operation` (the model's name,
/// `GetWorkgroup`). `retries` is set when the call ended because
/// every attempt was used on retryable errors; it is the number of retries (attempts − 1).
/// A missing code or message prints as `Unknown`, as botocore does. Both come from the
/// network, so their control characters are escaped (`escape.rs`).
pub fn service_error_line(
    operation: &str,
    code: Option<&str>,
    message: Option<&str>,
    retries: Option<u32>,
) -> String {
    let suffix = match retries {
        Some(n) => format!(" (reached max retries: {n})"),
        None => String::new(),
    };
    format!(
        "An error occurred ({}) when calling the {operation} operation{suffix}: {}",
        escape_controls(code.unwrap_or("Unknown")),
        escape_controls(message.unwrap_or("Unknown"))
    )
}

/// Every client-side violation, one per line, with the hint to skip the check.
pub fn violations_message(violations: &ConstraintViolations) -> String {
    let mut text = format!(
        "Parameter validation failed with {} violation{} (nothing was sent; --no-validate skips this check):",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" }
    );
    for v in violations.iter() {
        text.push_str("\n  - ");
        // A violation quotes the rejected value, which may hold anything.
        text.push_str(&escape_controls(&v.to_string()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPERATION: &str = "GetIdentityCenterAuthToken";

    #[test]
    fn error_lines() {
        assert_eq!(
            service_error_line(OPERATION, Some("ThrottlingException"), Some("Rate exceeded"), Some(2)),
            "An error occurred (ThrottlingException) when calling the GetIdentityCenterAuthToken operation (reached max retries: 2): Rate exceeded"
        );
        assert_eq!(
            service_error_line(OPERATION, Some("ValidationException"), Some("bad"), None),
            "An error occurred (ValidationException) when calling the GetIdentityCenterAuthToken operation: bad"
        );
        assert_eq!(
            service_error_line(OPERATION, None, None, None),
            "An error occurred (Unknown) when calling the GetIdentityCenterAuthToken operation: Unknown"
        );
        assert_eq!(
            service_error_line(OPERATION, Some("Bad\u{1b}[31m"), Some("line1\nline2\u{9b}"), None),
            "An error occurred (Bad\\u{1b}[31m) when calling the GetIdentityCenterAuthToken operation: line1\\nline2\\u{9b}"
        );
        assert_eq!(
            service_error_line("GetWorkgroup", Some("ResourceNotFoundException"), Some("Workgroup x was not found."), None),
            "An error occurred (ResourceNotFoundException) when calling the GetWorkgroup operation: Workgroup x was not found."
        );
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Failure::InvalidParameters(String::new()).exit_code(), 252);
        assert_eq!(Failure::Configuration(String::new()).exit_code(), 253);
        assert_eq!(Failure::Service(String::new()).exit_code(), 254);
        assert_eq!(Failure::Other(String::new()).exit_code(), 255);
    }
}
