//! The operations the HTTP API serves, each checking its input independently of any
//! client (the model's constraints, phrased as AWS's front ends phrase them).

pub(crate) mod get_identity_center_auth_token;
pub(crate) mod get_workgroup;

use std::sync::OnceLock;
use std::time::SystemTime;

use serde_json::Value;

use crate::error::{ErrorKind, ServiceError};
use crate::lifecycle::State;

/// An operation the emulator serves, chosen by `X-Amz-Target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operation {
    GetIdentityCenterAuthToken,
    GetWorkgroup,
}

impl Operation {
    const ALL: [Operation; 2] = [
        Operation::GetIdentityCenterAuthToken,
        Operation::GetWorkgroup,
    ];

    pub(crate) fn target(self) -> &'static str {
        match self {
            Operation::GetIdentityCenterAuthToken => crate::TARGET,
            Operation::GetWorkgroup => crate::GET_WORKGROUP_TARGET,
        }
    }

    pub(crate) fn from_target(target: &[u8]) -> Option<Operation> {
        Self::ALL
            .into_iter()
            .find(|op| op.target().as_bytes() == target)
    }

    pub(crate) fn targets() -> Vec<&'static str> {
        Self::ALL.into_iter().map(Operation::target).collect()
    }
}

/// Runs `operation` for the caller (the access key id that signed the request).
pub(crate) fn call(
    operation: Operation,
    st: &mut State,
    caller: &str,
    body: &[u8],
    now: SystemTime,
) -> Result<Vec<u8>, ServiceError> {
    let input = parse_object(body)?;
    match operation {
        Operation::GetIdentityCenterAuthToken => {
            get_identity_center_auth_token::call(st, caller, &input, now)
        }
        Operation::GetWorkgroup => get_workgroup::call(st, &input),
    }
}

/// The request body as a JSON object; awsJson clients send `{}` for empty input, and a
/// wholly empty body is tolerated as that too.
fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, ServiceError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| serialization(format!("The request body is not valid JSON: {e}")))?
    };
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(serialization("The request body must be a JSON object.")),
    }
}

pub(crate) fn serialization(msg: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::SerializationException, msg)
}

/// One broken constraint, phrased the way AWS front ends phrase them.
pub(crate) fn violation(value: &str, at: &str, constraint: &str) -> String {
    format!("Value {value} at '{at}' failed to satisfy constraint: Member must {constraint}")
}

pub(crate) fn quoted(s: &str) -> String {
    format!("'{s}'")
}

/// The one `ValidationException` for every broken constraint, or `Ok` when there are none.
pub(crate) fn violations(errors: Vec<String>) -> Result<(), ServiceError> {
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let plural = if n == 1 { "" } else { "s" };
    Err(ServiceError::new(
        ErrorKind::ValidationException,
        format!(
            "{n} validation error{plural} detected: {}",
            errors.join("; ")
        ),
    ))
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

const NAME_MIN: usize = 3;
const NAME_MAX: usize = 64;
const NAME_PATTERN: &str = "^[a-z0-9-]+$";

fn name_regex() -> &'static regex_lite::Regex {
    static RE: OnceLock<regex_lite::Regex> = OnceLock::new();
    RE.get_or_init(|| regex_lite::Regex::new(NAME_PATTERN).expect("constant pattern compiles"))
}

/// The `WorkgroupName` shape's constraints: 3 to 64 characters of `^[a-z0-9-]+$`.
pub(crate) fn check_workgroup_name(name: &str, at: &str, errors: &mut Vec<String>) {
    let len = name.chars().count();
    if len < NAME_MIN {
        errors.push(violation(
            &quoted(name),
            at,
            &format!("have length greater than or equal to {NAME_MIN}"),
        ));
    }
    if len > NAME_MAX {
        errors.push(violation(
            &quoted(name),
            at,
            &format!("have length less than or equal to {NAME_MAX}"),
        ));
    }
    if !name_regex().is_match(name) {
        errors.push(violation(
            &quoted(name),
            at,
            &format!("satisfy regular expression pattern: {NAME_PATTERN}"),
        ));
    }
}

/// A workgroup that does not exist.
pub(crate) fn not_found(name: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::ResourceNotFoundException,
        format!("Workgroup {name} was not found."),
    )
    .with_member("resourceName", name.to_owned())
}
