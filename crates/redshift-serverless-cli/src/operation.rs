//! The operations the command calls, each described once: its name, its input members
//! (from which `input.rs` gathers and checks the parameters and makes the skeletons), how
//! the typed input is built and sent, how the output becomes the AWS CLI's data, and the
//! errors the model gives it. `run.rs` runs any [`Operation`] the same way.
//!
//! Adding an operation: a module here implementing [`Operation`], a variant in
//! `args::Command` with an [`OperationArgs`] struct, and one line in `run::run`.

use std::future::Future;

use redshift_serverless_client::error::{BuildError, ProvideErrorMetadata, SdkError};
use redshift_serverless_client::Client;
use redshift_serverless_constraints::Validate;
use redshift_serverless_retry::ModeledErrors;
use serde_json::{Map, Value};

use crate::args::InputArgs;
use crate::settings::TimestampFormat;

pub mod get_identity_center_auth_token;
pub mod get_workgroup;

pub use get_identity_center_auth_token::GetIdentityCenterAuthToken;
pub use get_workgroup::GetWorkgroup;

/// One operation of the service, as the command line calls it.
pub trait Operation {
    /// The operation's name in the model: in service error lines and as the table title.
    const NAME: &'static str;
    /// The input members, in the model's order.
    const MEMBERS: &'static [Member];
    /// The facts about its errors the retry classifier needs (the generated
    /// `<Operation>Error::MODELED_ERROR_CODES` and `RETRYABLE_ERRORS`).
    const ERRORS: ModeledErrors<'static>;

    /// The subcommand's arguments.
    type Args: OperationArgs;
    /// The generated input.
    type Input: Validate;
    /// The generated output.
    type Output;
    /// The generated error.
    type Error: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static;

    /// The typed input from parameters `input::parameters` has checked against
    /// [`Operation::MEMBERS`] (each present member has its kind's JSON type).
    fn input(params: &Params) -> Result<Self::Input, BuildError>;

    /// Sends `input` with `client`.
    fn send(
        client: &Client,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>>;

    /// The output as the AWS CLI's data: the model's member names as keys, in the order of
    /// the AWS CLI's model, absent members left out, timestamps as `timestamps` says.
    fn output_value(output: &Self::Output, timestamps: TimestampFormat) -> Value;

    /// What `--generate-cli-skeleton output` prints: botocore's `ArgumentGenerator` with
    /// member names (a string is its member's name, a list item its shape's name, a number
    /// 0, a boolean true, a timestamp the epoch as a naive ISO time).
    fn output_skeleton() -> Value;
}

/// The arguments of an operation's subcommand, as `input.rs` reads them.
pub trait OperationArgs {
    /// `--cli-input-json`, `--cli-input-yaml`, `--generate-cli-skeleton`.
    fn input_args(&self) -> &InputArgs;
    /// The values given to the flag of the member named `member` (its API name), as typed
    /// on the command line; `None` when the flag was not given.
    fn flag(&self, member: &str) -> Option<&[String]>;
}

/// An input member: what the command line and the input documents know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The API name, the key in `--cli-input-json` (`workgroupName`).
    pub name: &'static str,
    /// The flag (`--workgroup-name`).
    pub flag: &'static str,
    /// Its JSON type.
    pub kind: MemberKind,
    /// Whether the model requires it.
    pub required: bool,
    /// One line on it, for the YAML input skeleton's comment.
    pub doc: &'static str,
}

/// The JSON types an input member can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A string (`--workgroup-name NAME`).
    String,
    /// A list of strings (`--workgroup-names A B`, or one JSON list).
    StringList,
}

/// Checked parameters, by API name: each present member has its kind's JSON type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(Map<String, Value>);

impl Params {
    /// Parameters from a checked object.
    pub fn new(map: Map<String, Value>) -> Self {
        Params(map)
    }

    /// A string member's value.
    pub fn string(&self, name: &str) -> Option<String> {
        self.0.get(name).and_then(Value::as_str).map(str::to_owned)
    }

    /// A string list member's value.
    pub fn string_list(&self, name: &str) -> Option<Vec<String>> {
        let items = self.0.get(name)?.as_array()?;
        Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )
    }
}

/// Builds a structure's data in the AWS CLI's member order, leaving absent members out, as
/// botocore's parser does.
#[derive(Debug, Default)]
pub struct Object(Map<String, Value>);

impl Object {
    /// An empty structure.
    pub fn new() -> Self {
        Object::default()
    }

    /// A member, when present.
    pub fn member(mut self, name: &str, value: Option<Value>) -> Self {
        if let Some(value) = value {
            self.0.insert(name.to_owned(), value);
        }
        self
    }

    /// A string member.
    pub fn string(self, name: &str, value: Option<&str>) -> Self {
        self.member(name, value.map(|v| Value::String(v.to_owned())))
    }

    /// An integer member.
    pub fn integer(self, name: &str, value: Option<i32>) -> Self {
        self.member(name, value.map(Value::from))
    }

    /// A boolean member.
    pub fn boolean(self, name: &str, value: Option<bool>) -> Self {
        self.member(name, value.map(Value::Bool))
    }

    /// A timestamp member, printed as the `cli_timestamp_format` says.
    pub fn timestamp(
        self,
        name: &str,
        value: Option<&aws_smithy_types::DateTime>,
        timestamps: TimestampFormat,
    ) -> Self {
        self.member(
            name,
            value.map(|t| Value::String(crate::render::format_timestamp(*t, timestamps))),
        )
    }

    /// A list member: present (and possibly empty) when the response had it.
    pub fn list<T>(self, name: &str, items: Option<&[T]>, each: impl Fn(&T) -> Value) -> Self {
        self.member(
            name,
            items.map(|items| Value::Array(items.iter().map(each).collect())),
        )
    }

    /// A list of strings member: present (and possibly empty) when the response had it.
    pub fn strings(self, name: &str, items: Option<&[String]>) -> Self {
        self.list(name, items, |s| Value::String(s.clone()))
    }

    /// The structure's data.
    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}
