//! The error shapes the emulator can answer with, and how each one goes on the wire.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every error code the emulator produces, with the HTTP status the real service uses.
///
/// The first seven are the operation's modeled errors; the rest come from the AWS
/// front end (authentication and protocol dispatch) and are not in the service model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the input broke a model constraint.
    ValidationException,
    /// 404: a named workgroup does not exist.
    ResourceNotFoundException,
    /// 403: the caller may not do this (here: Identity Center is not enabled).
    AccessDeniedException,
    /// 429: the request rate is too high.
    ThrottlingException,
    /// 500: the service failed.
    InternalServerException,
    /// 409: a conflicting operation is in progress.
    ConflictException,
    /// 400: a dry run would have succeeded (no `httpError` in the model: client default).
    DryRunException,
    /// 403: the signature does not match, or the request is too old or too new.
    InvalidSignatureException,
    /// 403: no `Authorization` header at all.
    MissingAuthenticationTokenException,
    /// 403: unknown access key id or invalid session token.
    UnrecognizedClientException,
    /// 400: the `X-Amz-Target`, content type, method or path names no operation.
    UnknownOperationException,
    /// 400: the body is not the JSON the operation expects.
    SerializationException,
    /// 400: the Authorization header cannot be parsed.
    IncompleteSignatureException,
}

impl ErrorKind {
    /// The seven errors modeled on `GetIdentityCenterAuthToken`.
    pub const MODELED: [ErrorKind; 7] = [
        ErrorKind::ValidationException,
        ErrorKind::ResourceNotFoundException,
        ErrorKind::AccessDeniedException,
        ErrorKind::ThrottlingException,
        ErrorKind::InternalServerException,
        ErrorKind::ConflictException,
        ErrorKind::DryRunException,
    ];

    /// The code sent in the body's `__type`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::ValidationException => "ValidationException",
            ErrorKind::ResourceNotFoundException => "ResourceNotFoundException",
            ErrorKind::AccessDeniedException => "AccessDeniedException",
            ErrorKind::ThrottlingException => "ThrottlingException",
            ErrorKind::InternalServerException => "InternalServerException",
            ErrorKind::ConflictException => "ConflictException",
            ErrorKind::DryRunException => "DryRunException",
            ErrorKind::InvalidSignatureException => "InvalidSignatureException",
            ErrorKind::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            ErrorKind::UnrecognizedClientException => "UnrecognizedClientException",
            ErrorKind::UnknownOperationException => "UnknownOperationException",
            ErrorKind::SerializationException => "SerializationException",
            ErrorKind::IncompleteSignatureException => "IncompleteSignatureException",
        }
    }

    /// The HTTP status the real service answers this error with.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::ValidationException
            | ErrorKind::DryRunException
            | ErrorKind::UnknownOperationException
            | ErrorKind::SerializationException
            | ErrorKind::IncompleteSignatureException => 400,
            ErrorKind::AccessDeniedException
            | ErrorKind::InvalidSignatureException
            | ErrorKind::MissingAuthenticationTokenException
            | ErrorKind::UnrecognizedClientException => 403,
            ErrorKind::ResourceNotFoundException => 404,
            ErrorKind::ConflictException => 409,
            ErrorKind::ThrottlingException => 429,
            ErrorKind::InternalServerException => 500,
        }
    }

    /// A message in the spirit of the real one, used when a fault gives none.
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorKind::ValidationException => "1 validation error detected",
            ErrorKind::ResourceNotFoundException => "The requested resource was not found.",
            ErrorKind::AccessDeniedException => {
                "You do not have sufficient access to perform this action."
            }
            ErrorKind::ThrottlingException => "Rate exceeded",
            ErrorKind::InternalServerException => {
                "The service encountered an internal error. Try again later."
            }
            ErrorKind::ConflictException => {
                "The request conflicts with an operation already in progress."
            }
            ErrorKind::DryRunException => {
                "The request would have succeeded, but this was a dry run."
            }
            ErrorKind::InvalidSignatureException => {
                "The request signature we calculated does not match the signature you provided."
            }
            ErrorKind::MissingAuthenticationTokenException => "Missing Authentication Token",
            ErrorKind::UnrecognizedClientException => {
                "The security token included in the request is invalid."
            }
            ErrorKind::UnknownOperationException => {
                "The requested operation is not recognized by this service."
            }
            ErrorKind::SerializationException => "The request body could not be deserialized.",
            ErrorKind::IncompleteSignatureException => "The Authorization header is malformed.",
        }
    }

    /// The `code` data member some modeled errors carry besides `__type`; included so
    /// clients must decide which of the two names the error (the `__type` one does).
    fn code_member(self) -> Option<&'static str> {
        match self {
            ErrorKind::AccessDeniedException => Some("AccessDenied"),
            ErrorKind::ThrottlingException => Some("Throttling"),
            _ => None,
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One error response: a kind, its message and any extra body members.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceError {
    /// Which error.
    pub kind: ErrorKind,
    /// The `message` member.
    pub message: String,
    /// Further body members (e.g. `resourceName`), in order.
    pub extra: Vec<(String, Value)>,
    /// Extra response headers (e.g. `x-amz-retry-after`).
    pub headers: Vec<(String, String)>,
}

impl ServiceError {
    /// An error with the given message and the usual extra members for its kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let mut extra = Vec::new();
        if let Some(code) = kind.code_member() {
            extra.push(("code".into(), Value::String(code.into())));
        }
        ServiceError {
            kind,
            message: message.into(),
            extra,
            headers: Vec::new(),
        }
    }

    /// Adds a body member.
    pub fn with_member(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.extra.retain(|(k, _)| k != name);
        self.extra.push((name.into(), value.into()));
        self
    }

    /// A body member by name.
    pub fn member(&self, name: &str) -> Option<&Value> {
        self.extra.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The JSON body: `{"__type": ..., "message": ..., <extra>}`.
    pub fn body(&self) -> Vec<u8> {
        let mut obj = Map::new();
        obj.insert("__type".into(), Value::String(self.kind.code().into()));
        obj.insert("message".into(), Value::String(self.message.clone()));
        for (k, v) in &self.extra {
            obj.insert(k.clone(), v.clone());
        }
        // Serialising a Map of plain values cannot fail; fall back to a fixed body anyway.
        serde_json::to_vec(&Value::Object(obj)).unwrap_or_else(|_| b"{}".to_vec())
    }
}
