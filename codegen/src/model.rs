//! Stage 2: the checked semantic model.
//!
//! Lowering resolves every shape reference, gives each trait a typed meaning, rejects what
//! the generator does not implement, and computes every Rust name exactly once (through
//! [`crate::ident`]), keeping it beside the Smithy name and the wire name. Emitters read
//! only this model; they never look at raw JSON or recompute names.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::ast;
use crate::ident;
use crate::rules::RuleSet;
use crate::Error;

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

    fn is_prelude(&self) -> bool {
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
}

impl Model {
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

    /// Error shapes of all operations, in id order, without duplicates.
    pub fn error_shapes(&self) -> Vec<&Shape> {
        let ids: BTreeSet<&ShapeId> = self.operations.iter().flat_map(|o| &o.errors).collect();
        ids.into_iter().map(|id| self.shape(id)).collect()
    }
}

/// The wire protocol the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
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
    /// A resolved URL.
    Url(String),
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
    fn new(smithy: &str) -> Self {
        Names {
            smithy: smithy.to_owned(),
            rust_type: ident::upper_camel(smithy),
            snake: ident::snake(smithy),
        }
    }

    /// The names of a shape whose Rust type is called `rust_type` rather than after it.
    fn renamed(smithy: &str, rust_type: &str) -> Self {
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
    /// `@idempotent` or `@readonly`: safe to repeat after an ambiguous failure.
    pub idempotent: bool,
    /// Request protocol tests for the service's protocol.
    pub request_tests: Vec<RequestTest>,
    /// Success response protocol tests.
    pub response_tests: Vec<ResponseTest>,
    /// Unknown-error-code tests from the project-local trait.
    pub unhandled_error_tests: Vec<UnhandledErrorTest>,
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
    },
    /// A map with string keys.
    Map {
        /// The key's target (a string shape).
        key: ShapeId,
        /// The value's target.
        value: ShapeId,
    },
    /// A string.
    String,
    /// A string enum.
    Enum(Vec<EnumVariant>),
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

/// Traits that only document and never change generated behaviour.
const DOC_TRAITS: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#title",
    "smithy.api#externalDocumentation",
    "smithy.api#tags",
    "smithy.api#suppress",
];

fn docs(traits: &BTreeMap<String, Value>) -> Option<String> {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Checks that every trait on `owner` is one the caller knows how to honour.
fn check_traits(
    owner: &str,
    traits: &BTreeMap<String, Value>,
    supported: &[&str],
) -> Result<(), Error> {
    for name in traits.keys() {
        if !DOC_TRAITS.contains(&name.as_str()) && !supported.contains(&name.as_str()) {
            return Err(Error::UnsupportedTrait {
                shape: owner.to_owned(),
                name: name.clone(),
            });
        }
    }
    Ok(())
}

fn lower_constraints(owner: &str, traits: &BTreeMap<String, Value>) -> Result<Constraints, Error> {
    let mut c = Constraints::default();
    if let Some(v) = traits.get("smithy.api#length") {
        let bound = |k: &str| -> Result<Option<u64>, Error> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(n) => n.as_u64().map(Some).ok_or_else(|| {
                    Error::bad_trait(
                        owner,
                        "smithy.api#length",
                        format!("{k} must be a non-negative integer, got {n}"),
                    )
                }),
            }
        };
        let (min, max) = (bound("min")?, bound("max")?);
        if min.is_none() && max.is_none() {
            return Err(Error::bad_trait(
                owner,
                "smithy.api#length",
                "needs min or max",
            ));
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(Error::bad_trait(
                    owner,
                    "smithy.api#length",
                    format!("min {lo} is greater than max {hi}"),
                ));
            }
        }
        c.length = Some((min, max));
    }
    if let Some(v) = traits.get("smithy.api#pattern") {
        let p = v
            .as_str()
            .ok_or_else(|| Error::bad_trait(owner, "smithy.api#pattern", "must be a string"))?;
        c.pattern = Some(p.to_owned());
    }
    if let Some(v) = traits.get("smithy.api#range") {
        let bound = |k: &str| -> Result<Option<serde_json::Number>, Error> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(other) => Err(Error::bad_trait(
                    owner,
                    "smithy.api#range",
                    format!("{k} must be a number, got {other}"),
                )),
            }
        };
        let (min, max) = (bound("min")?, bound("max")?);
        if min.is_none() && max.is_none() {
            return Err(Error::bad_trait(
                owner,
                "smithy.api#range",
                "needs min or max",
            ));
        }
        c.range = Some((min, max));
    }
    Ok(c)
}

fn lower_timestamp_format(
    owner: &str,
    traits: &BTreeMap<String, Value>,
) -> Result<Option<TimestampFormat>, Error> {
    match traits.get("smithy.api#timestampFormat") {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("epoch-seconds") => Ok(Some(TimestampFormat::EpochSeconds)),
            Some("date-time") => Ok(Some(TimestampFormat::DateTime)),
            Some("http-date") => Ok(Some(TimestampFormat::HttpDate)),
            _ => Err(Error::bad_trait(
                owner,
                "smithy.api#timestampFormat",
                format!("unknown format {v}"),
            )),
        },
    }
}

const PRELUDE: &[(&str, &str)] = &[
    ("String", "string"),
    ("Boolean", "boolean"),
    ("PrimitiveBoolean", "boolean"),
    ("Byte", "byte"),
    ("PrimitiveByte", "byte"),
    ("Short", "short"),
    ("PrimitiveShort", "short"),
    ("Integer", "integer"),
    ("PrimitiveInteger", "integer"),
    ("Long", "long"),
    ("PrimitiveLong", "long"),
    ("Float", "float"),
    ("PrimitiveFloat", "float"),
    ("Double", "double"),
    ("PrimitiveDouble", "double"),
    ("Timestamp", "timestamp"),
    ("Blob", "blob"),
    ("Document", "document"),
    ("BigInteger", "bigInteger"),
    ("BigDecimal", "bigDecimal"),
];

struct Lowerer<'a> {
    doc: &'a ast::Document,
    shapes: BTreeMap<ShapeId, Shape>,
    /// Shapes being lowered, to stop recursion through a cycle.
    in_progress: BTreeSet<ShapeId>,
    /// Input and output structures already bound to an operation.
    bound_io: BTreeSet<ShapeId>,
}

/// Lowers a parsed document into the checked model.
pub fn lower(doc: &ast::Document) -> Result<Model, Error> {
    if doc.smithy != "2.0" && doc.smithy != "2" {
        return Err(Error::SmithyVersion(doc.smithy.clone()));
    }
    let services: Vec<(&String, &ast::Shape)> = doc
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == "service")
        .collect();
    let [(service_id, service_shape)] = services.as_slice() else {
        return Err(Error::ServiceCount(services.len()));
    };
    let mut lowerer = Lowerer {
        doc,
        shapes: BTreeMap::new(),
        in_progress: BTreeSet::new(),
        bound_io: BTreeSet::new(),
    };
    let service = lowerer.service(service_id, service_shape)?;
    let mut operations = Vec::new();
    for op in &service_shape.operations {
        operations.push(lowerer.operation(service_id, &op.target, service.protocol)?);
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Model {
        service,
        operations,
        shapes: lowerer.shapes,
    })
}

impl Lowerer<'_> {
    fn resolve(&self, from: &str, target: &str) -> Result<ShapeId, Error> {
        let id = ShapeId::parse(target)?;
        if id.is_prelude() {
            if PRELUDE.iter().any(|(n, _)| *n == id.name) {
                return Ok(id);
            }
        } else if self.doc.shapes.contains_key(target) {
            return Ok(id);
        }
        Err(Error::DanglingTarget {
            from: from.to_owned(),
            target: target.to_owned(),
        })
    }

    fn service(&mut self, id: &str, shape: &ast::Shape) -> Result<Service, Error> {
        check_traits(
            id,
            &shape.traits,
            &[
                "aws.api#service",
                "aws.auth#sigv4",
                "aws.protocols#awsJson1_1",
                "smithy.rules#endpointRuleSet",
                "smithy.rules#endpointTests",
            ],
        )?;
        if !shape.resources.is_empty() {
            return Err(Error::invalid(id, "service resources are not supported"));
        }
        if !shape.errors.is_empty() {
            return Err(Error::invalid(id, "service-level errors are not supported"));
        }
        let sid = ShapeId::parse(id)?;
        let protocol = if shape.traits.contains_key("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1
        } else {
            return Err(Error::NoProtocol {
                service: id.to_owned(),
            });
        };
        let aws = shape
            .traits
            .get("aws.api#service")
            .ok_or_else(|| Error::invalid(id, "missing aws.api#service"))?;
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let sdk_id = text(aws, "sdkId")
            .ok_or_else(|| Error::bad_trait(id, "aws.api#service", "missing sdkId"))?;
        let endpoint_prefix = text(aws, "endpointPrefix")
            .or_else(|| text(aws, "arnNamespace"))
            .ok_or_else(|| {
                Error::bad_trait(
                    id,
                    "aws.api#service",
                    "missing endpointPrefix and arnNamespace",
                )
            })?;
        let signing_name = shape
            .traits
            .get("aws.auth#sigv4")
            .and_then(|v| text(v, "name"))
            .ok_or_else(|| {
                Error::invalid(
                    id,
                    "missing aws.auth#sigv4 with a name (only SigV4 is supported)",
                )
            })?;
        let version = shape
            .version
            .clone()
            .ok_or_else(|| Error::invalid(id, "service has no version"))?;
        let rules_value = shape
            .traits
            .get("smithy.rules#endpointRuleSet")
            .ok_or_else(|| Error::invalid(id, "missing smithy.rules#endpointRuleSet"))?;
        let rules = RuleSet::lower(id, rules_value)?;
        let endpoint_tests = match shape.traits.get("smithy.rules#endpointTests") {
            None => Vec::new(),
            Some(v) => lower_endpoint_tests(id, v, &rules)?,
        };
        Ok(Service {
            target_prefix: sid.name.clone(),
            id: sid,
            version,
            sdk_id,
            endpoint_prefix,
            signing_name,
            protocol,
            docs: docs(&shape.traits),
            rules,
            endpoint_tests,
        })
    }

    fn operation(
        &mut self,
        service: &str,
        target: &str,
        protocol: Protocol,
    ) -> Result<Operation, Error> {
        let id = self.resolve(service, target)?;
        let shape = &self.doc.shapes[target];
        if shape.kind != "operation" {
            return Err(Error::invalid(
                target,
                format!("listed as an operation but is a {}", shape.kind),
            ));
        }
        check_traits(
            target,
            &shape.traits,
            &[
                "smithy.api#idempotent",
                "smithy.api#readonly",
                "smithy.test#httpRequestTests",
                "smithy.test#httpResponseTests",
                UNHANDLED_ERROR_TESTS_TRAIT,
            ],
        )?;
        let input_target = shape
            .input
            .as_ref()
            .map(|t| t.target.as_str())
            .ok_or_else(|| {
                Error::invalid(
                    target,
                    "operations without an input structure are not supported",
                )
            })?;
        let output_target = shape
            .output
            .as_ref()
            .map(|t| t.target.as_str())
            .ok_or_else(|| {
                Error::invalid(
                    target,
                    "operations without an output structure are not supported",
                )
            })?;
        let input = self.shape_ref(target, input_target)?;
        let output = self.shape_ref(target, output_target)?;
        for (io, want) in [
            (&input, StructureRole::Input),
            (&output, StructureRole::Output),
        ] {
            match &self.shapes[io].kind {
                ShapeKind::Structure(s) if s.role == want => {}
                _ => {
                    return Err(Error::invalid(
                        io,
                        format!(
                            "an operation's {want:?} must be a structure marked @{}",
                            format!("{want:?}").to_lowercase()
                        ),
                    ))
                }
            }
        }
        // smithy-rs calls an operation's input and output `<Operation>Input` and
        // `<Operation>Output` whatever the shapes are named; the names are fixed here, with
        // every other Rust name, so the lowered model says what is emitted.
        let op_names = Names::new(&id.name);
        for (io, suffix) in [(&input, "Input"), (&output, "Output")] {
            if !self.bound_io.insert(io.clone()) {
                return Err(Error::invalid(
                    io,
                    "an @input or @output structure can belong to one operation only",
                ));
            }
            if let Some(io_shape) = self.shapes.get_mut(io) {
                io_shape.names = Names::renamed(
                    &io_shape.names.smithy,
                    &format!("{}{suffix}", op_names.rust_type),
                );
            }
        }
        let mut errors = Vec::new();
        for e in &shape.errors {
            let eid = self.shape_ref(target, &e.target)?;
            match &self.shapes[&eid].kind {
                ShapeKind::Structure(Structure {
                    role: StructureRole::Error(_),
                    ..
                }) => errors.push(eid),
                _ => {
                    return Err(Error::invalid(
                        &eid,
                        "listed as an error but has no @error trait",
                    ))
                }
            }
        }
        errors.sort();
        let protocol_id = match protocol {
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        };
        let request_tests = match shape.traits.get("smithy.test#httpRequestTests") {
            Some(v) => lower_request_tests(target, v, protocol_id)?,
            None => Vec::new(),
        };
        let response_tests = match shape.traits.get("smithy.test#httpResponseTests") {
            Some(v) => lower_response_tests(target, v, protocol_id)?,
            None => Vec::new(),
        };
        let unhandled_error_tests = match shape.traits.get(UNHANDLED_ERROR_TESTS_TRAIT) {
            Some(v) => lower_unhandled_tests(target, v)?,
            None => Vec::new(),
        };
        Ok(Operation {
            names: op_names,
            id,
            docs: docs(&shape.traits),
            input,
            output,
            errors,
            idempotent: shape.traits.contains_key("smithy.api#idempotent")
                || shape.traits.contains_key("smithy.api#readonly"),
            request_tests,
            response_tests,
            unhandled_error_tests,
        })
    }

    /// Resolves `target` from `from` and lowers it (once).
    fn shape_ref(&mut self, from: &str, target: &str) -> Result<ShapeId, Error> {
        let id = self.resolve(from, target)?;
        if self.shapes.contains_key(&id) || self.in_progress.contains(&id) {
            return Ok(id);
        }
        self.in_progress.insert(id.clone());
        let shape = if id.is_prelude() {
            self.prelude(&id)?
        } else {
            self.named(&id, &self.doc.shapes[target])?
        };
        self.in_progress.remove(&id);
        self.shapes.insert(id.clone(), shape);
        Ok(id)
    }

    fn prelude(&self, id: &ShapeId) -> Result<Shape, Error> {
        let kind_name = PRELUDE
            .iter()
            .find(|(n, _)| *n == id.name)
            .map(|(_, k)| *k)
            .unwrap_or("unknown");
        Ok(Shape {
            id: id.clone(),
            names: Names::new(&id.name),
            docs: None,
            kind: simple_kind(&id.to_string(), kind_name, None)?,
            constraints: Constraints::default(),
            sensitive: false,
        })
    }

    fn named(&mut self, id: &ShapeId, shape: &ast::Shape) -> Result<Shape, Error> {
        let sid = id.to_string();
        let traits = &shape.traits;
        let kind = match shape.kind.as_str() {
            "structure" => {
                let allowed = [
                    "smithy.api#input",
                    "smithy.api#output",
                    "smithy.api#error",
                    "smithy.api#httpError",
                    "smithy.api#retryable",
                    "smithy.api#sensitive",
                    "smithy.test#httpResponseTests",
                ];
                check_traits(&sid, traits, &allowed)?;
                ShapeKind::Structure(self.structure(&sid, shape)?)
            }
            "list" | "set" => {
                if shape.kind == "set" {
                    return Err(Error::UnsupportedShape {
                        shape: sid,
                        kind: "set (Smithy 1.0; use a list with @uniqueItems)".into(),
                    });
                }
                check_traits(
                    &sid,
                    traits,
                    &[
                        "smithy.api#length",
                        "smithy.api#uniqueItems",
                        "smithy.api#sensitive",
                    ],
                )?;
                let m = shape
                    .member
                    .as_ref()
                    .ok_or_else(|| Error::invalid(&sid, "list without a member"))?;
                check_traits(&format!("{sid}$member"), &m.traits, &[])?;
                ShapeKind::List {
                    member: self.shape_ref(&format!("{sid}$member"), &m.target)?,
                    unique_items: traits.contains_key("smithy.api#uniqueItems"),
                }
            }
            "map" => {
                check_traits(&sid, traits, &["smithy.api#length", "smithy.api#sensitive"])?;
                let k = shape
                    .key
                    .as_ref()
                    .ok_or_else(|| Error::invalid(&sid, "map without a key"))?;
                let v = shape
                    .value
                    .as_ref()
                    .ok_or_else(|| Error::invalid(&sid, "map without a value"))?;
                check_traits(&format!("{sid}$key"), &k.traits, &[])?;
                check_traits(&format!("{sid}$value"), &v.traits, &[])?;
                let key = self.shape_ref(&format!("{sid}$key"), &k.target)?;
                if !matches!(
                    self.shapes[&key].kind,
                    ShapeKind::String | ShapeKind::Enum(_)
                ) {
                    return Err(Error::invalid(&sid, "map keys must be strings"));
                }
                ShapeKind::Map {
                    key,
                    value: self.shape_ref(&format!("{sid}$value"), &v.target)?,
                }
            }
            "enum" => {
                check_traits(&sid, traits, &["smithy.api#sensitive"])?;
                let raw = shape
                    .members
                    .as_ref()
                    .ok_or_else(|| Error::invalid(&sid, "enum without members"))?;
                let mut variants = Vec::new();
                for (name, m) in ast::members(&sid, raw)? {
                    let owner = format!("{sid}${name}");
                    check_traits(&owner, &m.traits, &["smithy.api#enumValue"])?;
                    let value = match m.traits.get("smithy.api#enumValue") {
                        None => name.clone(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => {
                            return Err(Error::bad_trait(
                                &owner,
                                "smithy.api#enumValue",
                                format!("must be a string, got {other}"),
                            ))
                        }
                    };
                    variants.push(EnumVariant {
                        rust_name: ident::upper_camel(&name),
                        value,
                        docs: docs(&m.traits),
                    });
                }
                check_unique_variants(&sid, variants.iter().map(|v| v.rust_name.as_str()))?;
                ShapeKind::Enum(variants)
            }
            "intEnum" => {
                check_traits(&sid, traits, &["smithy.api#sensitive"])?;
                let raw = shape
                    .members
                    .as_ref()
                    .ok_or_else(|| Error::invalid(&sid, "intEnum without members"))?;
                let mut variants = Vec::new();
                for (name, m) in ast::members(&sid, raw)? {
                    let owner = format!("{sid}${name}");
                    check_traits(&owner, &m.traits, &["smithy.api#enumValue"])?;
                    let value = m
                        .traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_i64)
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| {
                            Error::bad_trait(
                                &owner,
                                "smithy.api#enumValue",
                                "intEnum members need a 32-bit integer value",
                            )
                        })?;
                    variants.push(IntEnumVariant {
                        rust_name: ident::upper_camel(&name),
                        value,
                        docs: docs(&m.traits),
                    });
                }
                check_unique_variants(&sid, variants.iter().map(|v| v.rust_name.as_str()))?;
                ShapeKind::IntEnum(variants)
            }
            other => {
                // An unknown type is the real problem; report it before its traits.
                simple_kind(&sid, other, None)?;
                let mut allowed: Vec<&str> = vec!["smithy.api#sensitive"];
                match other {
                    "string" => {
                        allowed.extend_from_slice(&["smithy.api#length", "smithy.api#pattern"])
                    }
                    "blob" => allowed.push("smithy.api#length"),
                    "byte" | "short" | "integer" | "long" | "float" | "double" => {
                        allowed.push("smithy.api#range")
                    }
                    "timestamp" => allowed.push("smithy.api#timestampFormat"),
                    _ => {}
                }
                check_traits(&sid, traits, &allowed)?;
                simple_kind(&sid, other, lower_timestamp_format(&sid, traits)?)?
            }
        };
        Ok(Shape {
            names: Names::new(&id.name),
            id: id.clone(),
            docs: docs(traits),
            kind,
            constraints: lower_constraints(&sid, traits)?,
            sensitive: traits.contains_key("smithy.api#sensitive"),
        })
    }

    fn structure(&mut self, sid: &str, shape: &ast::Shape) -> Result<Structure, Error> {
        let traits = &shape.traits;
        let role = if let Some(fault) = traits.get("smithy.api#error") {
            let fault = match fault.as_str() {
                Some("client") => Fault::Client,
                Some("server") => Fault::Server,
                _ => {
                    return Err(Error::bad_trait(
                        sid,
                        "smithy.api#error",
                        format!("must be \"client\" or \"server\", got {fault}"),
                    ))
                }
            };
            let http_status = match traits.get("smithy.api#httpError") {
                None => match fault {
                    Fault::Client => 400,
                    Fault::Server => 500,
                },
                Some(v) => v
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (400..=599).contains(s))
                    .ok_or_else(|| {
                        Error::bad_trait(
                            sid,
                            "smithy.api#httpError",
                            format!("must be a status from 400 to 599, got {v}"),
                        )
                    })?,
            };
            let retryable = match traits.get("smithy.api#retryable") {
                None => None,
                Some(v) => Some(Retryable {
                    throttling: match v.get("throttling") {
                        None => false,
                        Some(Value::Bool(b)) => *b,
                        Some(other) => {
                            return Err(Error::bad_trait(
                                sid,
                                "smithy.api#retryable",
                                format!("throttling must be a boolean, got {other}"),
                            ))
                        }
                    },
                }),
            };
            StructureRole::Error(ErrorInfo {
                fault,
                http_status,
                retryable,
            })
        } else {
            for t in [
                "smithy.api#httpError",
                "smithy.api#retryable",
                "smithy.test#httpResponseTests",
            ] {
                if traits.contains_key(t) {
                    return Err(Error::bad_trait(
                        sid,
                        t,
                        "only valid on an @error structure",
                    ));
                }
            }
            match (
                traits.contains_key("smithy.api#input"),
                traits.contains_key("smithy.api#output"),
            ) {
                (true, true) => {
                    return Err(Error::invalid(
                        sid,
                        "a structure cannot be both @input and @output",
                    ))
                }
                (true, false) => StructureRole::Input,
                (false, true) => StructureRole::Output,
                (false, false) => StructureRole::Plain,
            }
        };
        let raw = shape.members.clone().unwrap_or_default();
        let mut members = Vec::new();
        for (name, m) in ast::members(sid, &raw)? {
            let owner = format!("{sid}${name}");
            check_traits(
                &owner,
                &m.traits,
                &[
                    "smithy.api#required",
                    "smithy.api#default",
                    "smithy.api#jsonName",
                    "smithy.api#timestampFormat",
                    "smithy.api#length",
                    "smithy.api#pattern",
                    "smithy.api#range",
                    "smithy.api#clientOptional",
                ],
            )?;
            let target = self.shape_ref(&owner, &m.target)?;
            let json_name = match m.traits.get("smithy.api#jsonName") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(Error::bad_trait(
                        &owner,
                        "smithy.api#jsonName",
                        format!("must be a string, got {other}"),
                    ))
                }
            };
            let timestamp_format = lower_timestamp_format(&owner, &m.traits)?;
            if timestamp_format.is_some() {
                if let Some(t) = self.shapes.get(&target) {
                    if !matches!(t.kind, ShapeKind::Timestamp(_)) {
                        return Err(Error::bad_trait(
                            &owner,
                            "smithy.api#timestampFormat",
                            "applies only to timestamp members",
                        ));
                    }
                }
            }
            let default = match m.traits.get("smithy.api#default") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.clone()),
            };
            members.push(Member {
                field: ident::snake(&name),
                wire_name: name.clone(),
                json_name,
                target,
                required: m.traits.contains_key("smithy.api#required"),
                default,
                docs: docs(&m.traits),
                timestamp_format,
                constraints: lower_constraints(&owner, &m.traits)?,
                name,
            });
        }
        let mut seen = BTreeSet::new();
        for m in &members {
            if !seen.insert(m.field.clone()) {
                return Err(Error::invalid(
                    sid,
                    format!("two members map to the Rust field {}", m.field),
                ));
            }
        }
        let error_tests = match traits.get("smithy.test#httpResponseTests") {
            Some(v) => lower_response_tests(sid, v, "aws.protocols#awsJson1_1")?,
            None => Vec::new(),
        };
        Ok(Structure {
            members,
            role,
            error_tests,
        })
    }
}

fn check_unique_variants<'a>(sid: &str, names: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Error::invalid(
                sid,
                format!("two enum members map to the Rust variant {n}"),
            ));
        }
    }
    Ok(())
}

fn simple_kind(sid: &str, kind: &str, format: Option<TimestampFormat>) -> Result<ShapeKind, Error> {
    Ok(match kind {
        "string" => ShapeKind::String,
        "boolean" => ShapeKind::Boolean,
        "byte" | "short" | "integer" => ShapeKind::Integer,
        "long" => ShapeKind::Long,
        "float" => ShapeKind::Float,
        "double" => ShapeKind::Double,
        "timestamp" => ShapeKind::Timestamp(format),
        "blob" => ShapeKind::Blob,
        other => {
            return Err(Error::UnsupportedShape {
                shape: sid.to_owned(),
                kind: other.to_owned(),
            })
        }
    })
}

fn string_map(owner: &str, v: Option<&Value>) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    if let Some(v) = v {
        let obj = v
            .as_object()
            .ok_or_else(|| Error::invalid(owner, "headers must be an object"))?;
        for (k, v) in obj {
            let s = v
                .as_str()
                .ok_or_else(|| Error::invalid(owner, format!("header {k} must be a string")))?;
            out.insert(k.clone(), s.to_owned());
        }
    }
    Ok(out)
}

fn str_field(owner: &str, case: &Value, key: &str) -> Result<String, Error> {
    case.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid(owner, format!("test case is missing the string {key:?}")))
}

fn status_field(owner: &str, case: &Value) -> Result<u16, Error> {
    case.get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| {
            Error::invalid(
                owner,
                "test case needs an HTTP status \"code\" from 100 to 599",
            )
        })
}

/// Keeps the cases for `protocol` that concern a client.
fn client_cases<'v>(owner: &str, v: &'v Value, protocol: &str) -> Result<Vec<&'v Value>, Error> {
    let cases = v
        .as_array()
        .ok_or_else(|| Error::invalid(owner, "protocol tests must be a list"))?;
    Ok(cases
        .iter()
        .filter(|c| c.get("protocol").and_then(Value::as_str) == Some(protocol))
        .filter(|c| c.get("appliesTo").and_then(Value::as_str) != Some("server"))
        .collect())
}

fn lower_request_tests(owner: &str, v: &Value, protocol: &str) -> Result<Vec<RequestTest>, Error> {
    client_cases(owner, v, protocol)?
        .into_iter()
        .map(|c| {
            Ok(RequestTest {
                id: str_field(owner, c, "id")?,
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                method: str_field(owner, c, "method")?,
                uri: str_field(owner, c, "uri")?,
                headers: string_map(owner, c.get("headers"))?,
                body: c.get("body").and_then(Value::as_str).map(str::to_owned),
                body_media_type: c
                    .get("bodyMediaType")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                params: c
                    .get("params")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
                tags: c
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn lower_response_tests(
    owner: &str,
    v: &Value,
    protocol: &str,
) -> Result<Vec<ResponseTest>, Error> {
    client_cases(owner, v, protocol)?
        .into_iter()
        .map(|c| {
            Ok(ResponseTest {
                id: str_field(owner, c, "id")?,
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                code: status_field(owner, c)?,
                headers: string_map(owner, c.get("headers"))?,
                body: c
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                params: c
                    .get("params")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
            })
        })
        .collect()
}

fn lower_unhandled_tests(owner: &str, v: &Value) -> Result<Vec<UnhandledErrorTest>, Error> {
    let cases = v
        .as_array()
        .ok_or_else(|| Error::invalid(owner, "unhandled error tests must be a list"))?;
    let opt = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    cases
        .iter()
        .map(|c| {
            Ok(UnhandledErrorTest {
                id: str_field(owner, c, "id")?,
                docs: opt(c, "documentation"),
                code: status_field(owner, c)?,
                headers: string_map(owner, c.get("headers"))?,
                body: opt(c, "body").unwrap_or_default(),
                expected_code: opt(c, "expectedCode"),
                expected_message: opt(c, "expectedMessage"),
                expected_request_id: opt(c, "expectedRequestId"),
            })
        })
        .collect()
}

fn lower_endpoint_tests(
    owner: &str,
    v: &Value,
    rules: &RuleSet,
) -> Result<Vec<EndpointTest>, Error> {
    let cases = v
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::bad_trait(owner, "smithy.rules#endpointTests", "missing testCases")
        })?;
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let where_ = format!("{owner} endpoint test #{i}");
            let params: BTreeMap<String, Value> = c
                .get("params")
                .and_then(Value::as_object)
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            for name in params.keys() {
                if !rules.parameters.iter().any(|p| &p.name == name) {
                    return Err(Error::invalid(&where_, format!("unknown parameter {name}")));
                }
            }
            let expect = c
                .get("expect")
                .ok_or_else(|| Error::invalid(&where_, "missing expect"))?;
            let expect = if let Some(url) = expect.pointer("/endpoint/url").and_then(Value::as_str)
            {
                EndpointExpectation::Url(url.to_owned())
            } else if let Some(e) = expect.get("error").and_then(Value::as_str) {
                EndpointExpectation::Error(e.to_owned())
            } else {
                return Err(Error::invalid(
                    &where_,
                    "expect needs endpoint.url or error",
                ));
            };
            Ok(EndpointTest {
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                params,
                expect,
            })
        })
        .collect()
}
