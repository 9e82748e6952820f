//! Stage 2: the checked semantic model.
//!
//! Lowering resolves every shape reference, gives each trait a typed meaning, rejects what
//! the generator does not implement, and computes every Rust name exactly once (through
//! [`crate::ident`]), keeping it beside the Smithy name and the wire name. Emitters read
//! only this model; they never look at raw JSON or recompute names.

mod context_path;
mod lower;
pub mod partitions;
mod test_cases;
pub mod traits;
mod waiters;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::ident;
use crate::rules::RuleSet;
use crate::Error;

pub use context_path::{OperationContextParam, PathExpr, PathNode, PathType};
pub use lower::{lower, lower_with};
pub use waiters::{Acceptor, AcceptorState, Comparator, Matcher, PathMatcher, Waiter};

/// The project-local trait that carries "unknown error code" response tests (smithy.test
/// cannot express an unhandled error).
pub const UNHANDLED_ERROR_TESTS_TRAIT: &str =
    "com.amazonaws.redshiftserverless.slicetest#unhandledErrorResponseTests";

/// An absolute shape id, `namespace#Name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    /// The namespace, e.g. `com.amazonaws.redshiftserverless`.
    pub namespace: String,
    /// The shape name, e.g. `WorkgroupName`.
    pub name: String,
}

impl ShapeId {
    /// Parses `namespace#Name` (member ids with `$` are not shape ids).
    pub fn parse(id: &str) -> Result<Self, Error> {
        match id.split_once('#') {
            Some((ns, name))
                if !ns.is_empty()
                    && !name.is_empty()
                    && !name.contains('$')
                    && !name.contains('#') =>
            {
                Ok(ShapeId {
                    namespace: ns.to_owned(),
                    name: name.to_owned(),
                })
            }
            _ => Err(Error::BadShapeId(id.to_owned())),
        }
    }

    pub(crate) fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// The lowered model: one service, its operations and every shape they reach.
#[derive(Debug)]
pub struct Model {
    /// The service.
    pub service: Service,
    /// The service's operations, by name.
    pub operations: Vec<Operation>,
    /// Every shape reachable from the operations (prelude shapes included), by id.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// The shapes some member, list member or map key or value targets (so not only an
    /// operation's input or output): computed once by lowering, read by the emitters.
    pub nested: BTreeSet<ShapeId>,
    /// The partition table of the `aws.partition` rules function; empty until
    /// [`Model::with_partitions`] lowers one into the model.
    pub partitions: Vec<partitions::Partition>,
    /// The operations left out because the generator cannot implement them (only when asked
    /// to, with `Settings::skip_unsupported`), in id order.
    pub skipped: Vec<SkippedOperation>,
}

/// An operation left out of generation, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedOperation {
    /// The operation.
    pub id: ShapeId,
    /// What it uses that the generator does not implement.
    pub reason: String,
}

impl Model {
    /// Lowers the partition table (`model/partitions.json`) into the model.
    pub fn with_partitions(mut self, partitions_json: &str) -> Result<Self, Error> {
        self.partitions = partitions::lower(partitions_json)?;
        Ok(self)
    }

    /// Whether some operation has `@requestCompression`: the client then has the compression
    /// settings and interceptor, and depends on flate2.
    pub fn uses_request_compression(&self) -> bool {
        self.operations.iter().any(|op| op.request_compression)
    }

    /// Whether the rule set reads the credentials' account ID or its endpoint mode
    /// (`AWS::Auth::AccountId`, `AWS::Auth::AccountIdEndpointMode`): the client then has the
    /// mode setting and resolves the endpoint after the identity.
    pub fn uses_account_id_endpoint(&self) -> bool {
        self.service.rules.parameters.iter().any(|p| {
            matches!(
                p.built_in.as_deref(),
                Some("AWS::Auth::AccountId" | "AWS::Auth::AccountIdEndpointMode")
            )
        })
    }

    /// Whether some operation may be signed with SigV4a: the client then registers the
    /// SigV4a scheme and its signer needs aws-sigv4's `sigv4a` feature.
    pub fn uses_sigv4a(&self) -> bool {
        self.operations
            .iter()
            .any(|op| op.auth.contains(&AuthScheme::SigV4a))
    }

    /// Every shape reachable from `roots` (the roots included), following structure and union
    /// members, list members and map keys and values: the one reachability walk every emitter
    /// filters by shape kind.
    pub fn closure<'a>(&self, roots: impl IntoIterator<Item = &'a ShapeId>) -> BTreeSet<ShapeId> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&ShapeId> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id.clone()) {
                stack.extend(self.shape(id).kind.targets());
            }
        }
        seen
    }

    /// Every shape an operation input reaches (the input structures themselves, their
    /// members' targets, list and map items, union variants): the shapes whose constraints a
    /// client checks. A constraint on a shape outside this set (one only outputs reach) is
    /// never checked, so nothing is generated for it.
    pub fn input_shapes(&self) -> BTreeSet<ShapeId> {
        self.closure(self.operations.iter().map(|op| &op.input))
    }

    /// Every shape an operation output or error reaches, those included: the shapes a client
    /// reads.
    pub fn output_shapes(&self) -> BTreeSet<ShapeId> {
        self.closure(
            self.operations
                .iter()
                .flat_map(|op| std::iter::once(&op.output).chain(&op.errors)),
        )
    }

    /// Whether some member, list member or map key or value targets `id`.
    pub fn is_nested(&self, id: &ShapeId) -> bool {
        self.nested.contains(id)
    }

    /// Every `@pattern` (owner, expression) of an input shape ([`Model::input_shapes`])
    /// that only the ECMA-262 engine compiles, in id order: the types crate of a model with
    /// any needs the constraints crate's `ecma262` feature (`cargo xtask codegen` turns it on
    /// in the crate's manifest).
    pub fn ecma262_patterns(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut note = |owner: String, pattern: &Option<String>| {
            if let Some(p) = pattern {
                if needs_ecma262(p) {
                    out.push((owner, p.clone()));
                }
            }
        };
        for id in self.input_shapes() {
            let shape = self.shape(&id);
            note(shape.id.to_string(), &shape.constraints.pattern);
            if let ShapeKind::Structure(st) = &shape.kind {
                for m in &st.members {
                    note(format!("{}${}", shape.id, m.name), &m.constraints.pattern);
                }
            }
        }
        out
    }

    /// Looks up a shape that lowering has proven to exist.
    pub fn shape(&self, id: &ShapeId) -> &Shape {
        // Lowering resolves every reference before a Model is returned, so a miss here is a
        // generator bug, not a model problem.
        self.shapes
            .get(id)
            .unwrap_or_else(|| panic!("lowering resolved {id}, so it must be present"))
    }

    /// The structure of a structure shape.
    pub fn structure(&self, id: &ShapeId) -> &Structure {
        match &self.shape(id).kind {
            ShapeKind::Structure(s) => s,
            other => panic!("{id} was checked to be a structure, found {other:?}"),
        }
    }

    /// The operation whose input or output `id` is (lowering binds each to one operation).
    pub fn io_operation(&self, id: &ShapeId) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| &o.input == id || &o.output == id)
    }

    /// Whether anything the generated code names is `@deprecated`.
    pub fn has_deprecated(&self) -> bool {
        self.operations.iter().any(|o| o.deprecated.is_some())
            || self.shapes.values().any(|s| {
                s.deprecated.is_some()
                    || match &s.kind {
                        ShapeKind::Structure(st) => {
                            st.members.iter().any(|m| m.deprecated.is_some())
                        }
                        ShapeKind::Union(vs) => vs.iter().any(|v| v.member.deprecated.is_some()),
                        ShapeKind::Enum(vs) => vs.iter().any(|v| v.deprecated.is_some()),
                        ShapeKind::IntEnum(vs) => vs.iter().any(|v| v.deprecated.is_some()),
                        _ => false,
                    }
            })
    }

    /// Whether some operation must be sent to a discovered endpoint.
    pub fn requires_endpoint_discovery(&self) -> bool {
        self.operations
            .iter()
            .any(|o| o.discovered_endpoint == Some(DiscoveredEndpoint::Required))
    }

    /// Whether any operation has a waiter (the client crate then has a `waiters` module and
    /// depends on `jmespath`).
    pub fn has_waiters(&self) -> bool {
        self.operations.iter().any(|o| !o.waiters.is_empty())
    }

    /// Error shapes of all operations, in id order, without duplicates.
    pub fn error_shapes(&self) -> Vec<&Shape> {
        let ids: BTreeSet<&ShapeId> = self.operations.iter().flat_map(|o| &o.errors).collect();
        ids.into_iter().map(|id| self.shape(id)).collect()
    }
}

/// The wire protocol the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
}

impl Protocol {
    /// The protocol trait's shape id, as protocol tests name it.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        }
    }

    /// The protocol's short name (`awsJson1_1`).
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
        }
    }

    /// The `Content-Type` of requests and responses.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// `@deprecated`: becomes `#[deprecated]` on what it marks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when (a date or version).
    pub since: Option<String>,
}

/// `@paginated`, merged with the service's defaults and checked against the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The input member that carries the continuation token.
    pub input_token: String,
    /// The output member path (member names) to the next token.
    pub output_token: Vec<String>,
    /// The output member path to the items of a page, if any.
    pub items: Option<Vec<String>>,
    /// The input member that limits a page's size, if any.
    pub page_size: Option<String>,
}

/// The service shape and its AWS traits.
#[derive(Debug)]
pub struct Service {
    /// The shape id.
    pub id: ShapeId,
    /// The API version (`2021-04-21`).
    pub version: String,
    /// `aws.api#service` sdkId, e.g. `Redshift Serverless`.
    pub sdk_id: String,
    /// The endpoint prefix (from `aws.api#service`, defaulting to the arnNamespace).
    pub endpoint_prefix: String,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The protocol.
    pub protocol: Protocol,
    /// The awsJson target prefix: the service shape's name.
    pub target_prefix: String,
    /// Documentation, if any.
    pub docs: Option<String>,
    /// The endpoint rule set.
    pub rules: RuleSet,
    /// The endpoint test cases.
    pub endpoint_tests: Vec<EndpointTest>,
    /// `aws.api#clientEndpointDiscovery`: the operation that discovers endpoints.
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// `aws.protocols#awsQueryCompatible`: error responses carry the code the service's
    /// awsQuery protocol used in `x-amzn-query-error`, and requests say so with
    /// `x-amzn-query-mode`.
    pub query_compatible: bool,
    /// The service's auth schemes in order of preference, for operations without their own
    /// `@auth`: its `smithy.api#auth` list, else every auth trait it carries, by shape id
    /// (Smithy's effective auth schemes).
    pub auth: Vec<AuthScheme>,
}

/// `aws.api#clientEndpointDiscovery` on the service, checked against the discovery
/// operation's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointDiscovery {
    /// The operation that returns endpoints (`DescribeEndpoints`): its output has
    /// `Endpoints`, a list of structures with `Address` and `CachePeriodInMinutes`.
    pub operation: ShapeId,
    /// The error a service returns for a stale discovered endpoint, if the trait names one.
    pub error: Option<ShapeId>,
}

/// `aws.api#clientDiscoveredEndpoint` on an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveredEndpoint {
    /// `required: false`: the operation works at the rule set's endpoint, and is generated
    /// without discovery, as the official Rust SDK generates it.
    Optional,
    /// `required: true`: the operation is sent to a discovered endpoint.
    Required,
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug)]
pub struct EndpointTest {
    /// What the case checks.
    pub docs: String,
    /// Parameter values by parameter name.
    pub params: BTreeMap<String, Value>,
    /// The expected outcome.
    pub expect: EndpointExpectation,
}

/// What an endpoint test expects.
#[derive(Debug)]
pub enum EndpointExpectation {
    /// A resolved URL, and the endpoint's properties when the case names them.
    Url {
        /// The URL.
        url: String,
        /// `expect.endpoint.properties`, as JSON.
        properties: Option<Value>,
    },
    /// A resolution error with this exact message.
    Error(String),
}

/// Names of one thing in each spelling the generator needs.
#[derive(Debug, Clone)]
pub struct Names {
    /// As written in the model.
    pub smithy: String,
    /// `UpperCamelCase` Rust type name.
    pub rust_type: String,
    /// `snake_case` Rust module / function / field name.
    pub snake: String,
}

impl Names {
    pub(crate) fn new(smithy: &str) -> Self {
        Names {
            smithy: smithy.to_owned(),
            rust_type: ident::upper_camel(smithy),
            snake: ident::snake(smithy),
        }
    }

    /// The names of a shape whose Rust type is called `rust_type` rather than after it.
    pub(crate) fn renamed(smithy: &str, rust_type: &str) -> Self {
        Names {
            smithy: smithy.to_owned(),
            rust_type: ident::upper_camel(rust_type),
            snake: ident::snake(rust_type),
        }
    }
}

/// An operation.
#[derive(Debug)]
pub struct Operation {
    /// The shape id.
    pub id: ShapeId,
    /// Its names.
    pub names: Names,
    /// Documentation.
    pub docs: Option<String>,
    /// The input structure.
    pub input: ShapeId,
    /// The output structure.
    pub output: ShapeId,
    /// Error structures, in id order.
    pub errors: Vec<ShapeId>,
    /// `@paginated`.
    pub pagination: Option<Pagination>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// Request protocol tests for the service's protocol.
    pub request_tests: Vec<RequestTest>,
    /// Success response protocol tests.
    pub response_tests: Vec<ResponseTest>,
    /// Unknown-error-code tests from the project-local trait.
    pub unhandled_error_tests: Vec<UnhandledErrorTest>,
    /// The auth schemes the operation may be called with, in order of preference.
    pub auth: Vec<AuthScheme>,
    /// `@requestCompression` with `gzip` among its encodings: the body is gzipped.
    pub request_compression: bool,
    /// `aws.api#clientDiscoveredEndpoint`, if the operation has it.
    pub discovered_endpoint: Option<DiscoveredEndpoint>,
    /// What the operation adds to endpoint resolution: parameters and a host prefix.
    pub endpoint: OperationEndpoint,
    /// `smithy.waiters#waitable`: the waiters polling this operation, in model order.
    pub waiters: Vec<Waiter>,
}

/// What an operation adds to endpoint resolution, applied to each request before its
/// endpoint is resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationEndpoint {
    /// `smithy.rules#staticContextParams`: rule-set parameter name and value.
    pub static_params: Vec<(String, StaticParam)>,
    /// `smithy.rules#operationContextParams`: parameters computed from the input by a path,
    /// in the trait's order; applied after the static ones and before `contextParam`, as
    /// smithy-rs applies them.
    pub operation_context_params: Vec<OperationContextParam>,
    /// `smithy.rules#contextParam` on input members: rule-set parameter name and the member's
    /// name, in member order.
    pub context_params: Vec<(String, String)>,
    /// `@endpoint(hostPrefix)`: the prefix put before the endpoint's host.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
}

impl OperationEndpoint {
    /// True when the operation changes nothing in endpoint resolution.
    pub fn is_empty(&self) -> bool {
        self.static_params.is_empty()
            && self.operation_context_params.is_empty()
            && self.context_params.is_empty()
            && self.host_prefix.is_none()
    }
}

/// The value of a static context parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum StaticParam {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    Array(Vec<String>),
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum HostPrefixPart {
    /// Literal text.
    Text(String),
    /// `{Label}`: the value of the input member of that name (`@hostLabel`), which must be a
    /// host label.
    Label(String),
}

/// An auth scheme an operation may be called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// SigV4 (`aws.auth#sigv4`), the service's scheme.
    SigV4,
    /// SigV4a (`aws.auth#sigv4a`): ECDSA P-256 signatures valid in a set of regions.
    SigV4a,
    /// No signature (`@auth([])`, or as a fallback with `@optionalAuth`).
    NoAuth,
}

/// A `smithy.test#httpRequestTests` case.
#[derive(Debug, Clone)]
pub struct RequestTest {
    /// Unique id.
    pub id: String,
    /// What it checks.
    pub docs: Option<String>,
    /// Expected method.
    pub method: String,
    /// Expected URI.
    pub uri: String,
    /// Headers that must be present with these values.
    pub headers: BTreeMap<String, String>,
    /// Expected body, if any.
    pub body: Option<String>,
    /// Media type used to compare bodies (`application/json` compares as JSON).
    pub body_media_type: Option<String>,
    /// Input parameters.
    pub params: Value,
    /// Tags, e.g. `validation-off`.
    pub tags: Vec<String>,
}

/// A `smithy.test#httpResponseTests` case.
#[derive(Debug, Clone)]
pub struct ResponseTest {
    /// Unique id.
    pub id: String,
    /// What it checks.
    pub docs: Option<String>,
    /// HTTP status.
    pub code: u16,
    /// Response headers.
    pub headers: BTreeMap<String, String>,
    /// Response body.
    pub body: String,
    /// Expected output (or error) members.
    pub params: Value,
}

/// A case of the project-local unhandled-error test trait.
#[derive(Debug, Clone)]
pub struct UnhandledErrorTest {
    /// Unique id.
    pub id: String,
    /// What it checks.
    pub docs: Option<String>,
    /// HTTP status.
    pub code: u16,
    /// Response headers.
    pub headers: BTreeMap<String, String>,
    /// Response body.
    pub body: String,
    /// Expected error code, if any.
    pub expected_code: Option<String>,
    /// Expected message, if any.
    pub expected_message: Option<String>,
    /// Expected request id, if any.
    pub expected_request_id: Option<String>,
}

/// A shape, lowered.
#[derive(Debug)]
pub struct Shape {
    /// The shape id.
    pub id: ShapeId,
    /// Its names (for prelude shapes these are unused).
    pub names: Names,
    /// Documentation.
    pub docs: Option<String>,
    /// What kind of shape it is.
    pub kind: ShapeKind,
    /// Constraint traits applied to the shape.
    pub constraints: Constraints,
    /// `@sensitive`: values never appear in Debug output or messages.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// Shape kinds the generator supports.
#[derive(Debug)]
pub enum ShapeKind {
    /// A structure.
    Structure(Structure),
    /// A list.
    List {
        /// The member's target.
        member: ShapeId,
        /// `@uniqueItems`.
        unique_items: bool,
        /// `@sparse`: an item may be null (`Vec<Option<T>>`, as smithy-rs holds it).
        sparse: bool,
    },
    /// A map with string keys.
    Map {
        /// The key's target (a string shape).
        key: ShapeId,
        /// The value's target.
        value: ShapeId,
        /// `@sparse`: a value may be null (`HashMap<K, Option<V>>`, as smithy-rs holds it).
        sparse: bool,
    },
    /// A string.
    String,
    /// A string enum (an `enum` shape, or a string with Smithy 1.0's `@enum`).
    Enum(Vec<EnumVariant>),
    /// A union: exactly one of its members is set.
    Union(Vec<UnionVariant>),
    /// An integer enum.
    IntEnum(Vec<IntEnumVariant>),
    /// A boolean.
    Boolean,
    /// A 32-bit integer (also byte and short).
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A timestamp, with the shape-level format if one is set.
    Timestamp(Option<TimestampFormat>),
    /// Binary data.
    Blob,
    /// A document: untyped JSON-like data (`aws_smithy_types::Document`).
    Document,
}

impl ShapeKind {
    /// The shapes this one refers to: structure and union members' targets, a list's member,
    /// a map's key and value (in that order).
    pub fn targets(&self) -> Vec<&ShapeId> {
        match self {
            ShapeKind::Structure(st) => st.members.iter().map(|m| &m.target).collect(),
            ShapeKind::Union(vs) => vs
                .iter()
                .filter(|v| !v.unit)
                .map(|v| &v.member.target)
                .collect(),
            ShapeKind::List { member, .. } => vec![member],
            ShapeKind::Map { key, value, .. } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

/// A string enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: String,
    /// Documentation.
    pub docs: Option<String>,
    /// `@deprecated` (or `deprecated: true` in a Smithy 1.0 `@enum` entry).
    pub deprecated: Option<Deprecated>,
}

/// A union member: a Rust enum variant holding the member's value.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name (`UpperCamelCase` of the member name).
    pub rust_name: String,
    /// The member (never required, never defaulted, always set when it is the variant).
    pub member: Member,
    /// The member targets `smithy.api#Unit`: a variant without a value, written as `{}`
    /// (its `member.target` is `smithy.api#Unit`, which is no shape of the model).
    pub unit: bool,
}

/// An intEnum value.
#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: i32,
    /// Documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// Timestamp serialisation formats (`@timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch, possibly fractional (awsJson's default).
    EpochSeconds,
    /// RFC 3339.
    DateTime,
    /// RFC 7231 IMF-fixdate.
    HttpDate,
}

/// What a structure is for.
#[derive(Debug, Clone, PartialEq)]
pub enum StructureRole {
    /// An operation input (`@input`).
    Input,
    /// An operation output (`@output`).
    Output,
    /// An error (`@error`).
    Error(ErrorInfo),
    /// Any other structure.
    Plain,
}

/// The error traits of an error structure.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    /// Whose fault it is.
    pub fault: Fault,
    /// The HTTP status (`@httpError`, or 400/500 by fault).
    pub http_status: u16,
    /// `@retryable`, with its `throttling` flag.
    pub retryable: Option<Retryable>,
    /// `aws.protocols#awsQueryError`: the code (and status) the service's awsQuery protocol
    /// gives the error; under `awsQueryCompatible` it is the error's `code()`.
    pub query_error: Option<QueryError>,
}

/// `aws.protocols#awsQueryError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The awsQuery error code (`AWS.SimpleQueueService.NonExistentQueue`).
    pub code: String,
    /// The awsQuery HTTP status.
    pub http_status: u16,
}

/// `@error` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The caller's fault.
    Client,
    /// The service's fault.
    Server,
}

/// `@retryable` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    /// `throttling: true`.
    pub throttling: bool,
}

/// A structure.
#[derive(Debug)]
pub struct Structure {
    /// Members, in declaration order.
    pub members: Vec<Member>,
    /// What the structure is for.
    pub role: StructureRole,
    /// Response tests applied to an error structure.
    pub error_tests: Vec<ResponseTest>,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The Rust field / accessor name.
    pub field: String,
    /// The key on the wire. awsJson1_1 ignores `@jsonName`, so this is always the member name.
    pub wire_name: String,
    /// `@jsonName`, kept only so the model round-trips; never used on the wire.
    pub json_name: Option<String>,
    /// The target shape.
    pub target: ShapeId,
    /// `@required`.
    pub required: bool,
    /// `@default`, if set to a non-null value.
    pub default: Option<Value>,
    /// Held as `Option` in Rust. A member is not when it has a default, or is required
    /// without `@clientOptional` and targets neither a structure nor a union (the rule of
    /// smithy-rs clients: an aggregate member stays optional, so a response that lacks it
    /// still parses).
    pub nullable: bool,
    /// `@clientOptional`: required on the server, but a client neither requires it when
    /// building nor checks it before sending.
    pub client_optional: bool,
    /// Held in a `Box`: the member closes a cycle of structures and unions with no list or
    /// map between them, which Rust could not size otherwise (see `lower::box_recursion`).
    pub boxed: bool,
    /// `@idempotencyToken`: filled with a fresh UUID v4 when the caller leaves it unset.
    pub idempotency_token: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// Documentation.
    pub docs: Option<String>,
    /// Member-level `@timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// Member-level constraint traits (in addition to the target's).
    pub constraints: Constraints,
}

/// Constraint traits on a shape or member.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length(min, max)`.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@pattern`.
    pub pattern: Option<String>,
    /// `@range(min, max)`, as written (numbers kept exact).
    pub range: Option<(Option<serde_json::Number>, Option<serde_json::Number>)>,
}

impl Constraints {
    /// True when no constraint trait is present.
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.pattern.is_none() && self.range.is_none()
    }
}

/// Whether `pattern` needs the ECMA-262 engine (`regex-lite` cannot compile it). Lowering
/// has refused every pattern that no engine compiles.
pub fn needs_ecma262(pattern: &str) -> bool {
    matches!(
        redshift_serverless_constraints::engine_for(pattern),
        Ok(redshift_serverless_constraints::Engine::Ecma262)
    )
}
