//! Lowering: the JSON AST into the checked model.
//!
//! Every reference is resolved, every trait checked against [`super::traits::TABLE`] and given
//! a typed meaning, and every Rust name computed once. Test cases are lowered by
//! [`super::test_cases`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::test_cases::{
    lower_endpoint_tests, lower_request_tests, lower_response_tests, lower_unhandled_tests,
};
use super::traits::{self, docs, Place};
use super::*;
use crate::ast;
use crate::ident;
use crate::rules::RuleSet;
use crate::Error;

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
        // Smithy patterns are ECMA-262; one that neither regex-lite nor the ECMA-262 engine
        // compiles could never be checked, so it is refused here rather than on a request.
        redshift_serverless_constraints::engine_for(p).map_err(|e| {
            Error::bad_trait(
                owner,
                "smithy.api#pattern",
                format!("`{p}` cannot be compiled by any engine: {e}"),
            )
        })?;
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

/// The namespace of the input and output structures the generator makes for operations that
/// have none, or whose structure is not marked `@input` or `@output` ([`Lowerer::operation_io`]).
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";

/// The prelude's unit type: no input, no output, or a union member without a value.
const UNIT: &str = "smithy.api#Unit";

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

/// Parses an `@endpoint` host prefix: text with `{Label}` holes, each a host label once
/// substituted, and no empty label or nested brace.
fn host_prefix(op: &str, prefix: &str) -> Result<Vec<HostPrefixPart>, Error> {
    let bad = |why: &str| {
        Error::bad_trait(
            op,
            "smithy.api#endpoint",
            format!("hostPrefix {prefix:?}: {why}"),
        )
    };
    let mut parts = Vec::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        let (text, tail) = rest.split_at(open);
        if text.contains('}') {
            return Err(bad("unmatched }"));
        }
        if !text.is_empty() {
            parts.push(HostPrefixPart::Text(text.to_owned()));
        }
        let close = tail.find('}').ok_or_else(|| bad("unclosed {"))?;
        let label = &tail[1..close];
        if label.is_empty() || label.contains('{') {
            return Err(bad("a label must be a member name"));
        }
        parts.push(HostPrefixPart::Label(label.to_owned()));
        rest = &tail[close + 1..];
    }
    if rest.contains('}') {
        return Err(bad("unmatched }"));
    }
    if !rest.is_empty() {
        parts.push(HostPrefixPart::Text(rest.to_owned()));
    }
    // What is not a label goes into a host name as written.
    for part in &parts {
        if let HostPrefixPart::Text(t) = part {
            if !t
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                return Err(bad(
                    "only letters, digits, hyphens and dots may surround the labels",
                ));
            }
        }
    }
    Ok(parts)
}

struct Lowerer<'a> {
    doc: &'a ast::Document,
    shapes: BTreeMap<ShapeId, Shape>,
    /// Shapes being lowered, to stop recursion through a cycle.
    in_progress: BTreeSet<ShapeId>,
    /// Input and output structures already bound to an operation.
    bound_io: BTreeSet<ShapeId>,
    /// The service's protocol, whose protocol tests are kept.
    protocol: Protocol,
}

/// Lowers a parsed document into the checked model.
pub fn lower(doc: &ast::Document) -> Result<Model, Error> {
    lower_with(doc, false)
}

/// [`lower`], leaving out each operation the generator cannot implement (an event stream)
/// when `skip_unsupported` is set, with the reason in [`Model::skipped`]; without it, such an
/// operation is an error naming it.
pub fn lower_with(doc: &ast::Document, skip_unsupported: bool) -> Result<Model, Error> {
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
        protocol: protocol(service_id, service_shape)?,
    };
    let service = lowerer.service(service_id, service_shape)?;
    // Errors every operation can return (the service's `errors`), merged into each one.
    let mut service_errors = Vec::new();
    for e in &service_shape.errors {
        service_errors.push(lowerer.error_ref(service_id, &e.target)?);
    }
    let service_pagination = service_shape.traits.get("smithy.api#paginated");
    let mut operations = Vec::new();
    let mut skipped = Vec::new();
    for (op, bound_by) in lowerer.bound_operations(service_id, service_shape)? {
        if let Some(reason) = lowerer.unsupported_operation(&op) {
            if skip_unsupported {
                skipped.push(SkippedOperation {
                    id: ShapeId::parse(&op)?,
                    reason,
                });
                continue;
            }
            return Err(Error::invalid(
                &op,
                format!("{reason}; generate with --skip-unsupported to leave the operation out"),
            ));
        }
        operations.push(lowerer.operation(
            &bound_by,
            &op,
            &OperationContext {
                protocol: service.protocol,
                errors: &service_errors,
                pagination: service_pagination,
                rules: &service.rules,
                auth: ServiceAuth {
                    traits: &service_shape.traits,
                    schemes: &service.auth,
                },
            },
        )?);
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    let mut service = service;
    service.endpoint_discovery =
        lowerer.endpoint_discovery(service_id, service_shape, &operations)?;
    super::waiters::check_unique_names(&operations)?;
    check_required_cycles(&lowerer.shapes)?;
    box_recursion(&mut lowerer.shapes);
    separate_io_names(&mut lowerer.shapes, &lowerer.bound_io);
    let nested = lowerer
        .shapes
        .values()
        .flat_map(|s| s.kind.targets())
        .cloned()
        .collect();
    Ok(Model {
        service,
        operations,
        shapes: lowerer.shapes,
        nested,
        partitions: Vec::new(),
        skipped,
    })
}

impl Lowerer<'_> {
    /// Why the operation `op` cannot be generated, if it cannot: a member of its input or
    /// output targets a `@streaming` shape (an event stream, or a streaming blob).
    fn unsupported_operation(&self, op: &str) -> Option<String> {
        let shape = self.doc.shapes.get(op)?;
        for (side, io) in [("input", &shape.input), ("output", &shape.output)] {
            let Some(structure) = io.as_ref().and_then(|t| self.doc.shapes.get(&t.target)) else {
                continue;
            };
            for (name, member) in structure.members.iter().flatten() {
                let Some(target) = member.get("target").and_then(Value::as_str) else {
                    continue;
                };
                let streaming = self
                    .doc
                    .shapes
                    .get(target)
                    .is_some_and(|t| t.traits.contains_key("smithy.api#streaming"));
                if streaming {
                    let what = match self.doc.shapes[target].kind.as_str() {
                        "union" => "an event stream",
                        _ => "a streaming body",
                    };
                    let io_id = &io.as_ref().expect("found above").target;
                    return Some(format!(
                        "{side} member {io_id}${name} is {what} ({target}, smithy.api#streaming), which is not supported"
                    ));
                }
            }
        }
        None
    }

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
        traits::check(id, Place::Service, &shape.traits)?;
        let sid = ShapeId::parse(id)?;
        let protocol = self.protocol;
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
                    "missing aws.auth#sigv4 with a name (SigV4 is the scheme every client signs with)",
                )
            })?;
        // SigV4a signs with the service's one signing name, as the official SDK does (its
        // config holds the SigV4 name); a different SigV4a name would be silently unused.
        if let Some(sigv4a) = shape.traits.get("aws.auth#sigv4a") {
            let name = text(sigv4a, "name");
            if name.as_deref() != Some(signing_name.as_str()) {
                let message = format!(
                    "the signing name must be the SigV4 one, {signing_name:?}, got {name:?}"
                );
                return Err(Error::bad_trait(id, "aws.auth#sigv4a", message));
            }
        }
        let auth = service_auth(id, &shape.traits)?;
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
            // Set by `endpoint_discovery` once the operations are lowered.
            endpoint_discovery: None,
            query_compatible: shape
                .traits
                .contains_key("aws.protocols#awsQueryCompatible"),
            auth,
        })
    }

    /// Every operation bound to the service, directly or through its resources (lifecycle
    /// operations, `operations`, `collectionOperations`, nested resources), with the shape
    /// that binds it. Resource identifiers and properties are not read: awsJson puts every
    /// input member in the body by name, so they change nothing on the wire.
    fn bound_operations(
        &self,
        service: &str,
        shape: &ast::Shape,
    ) -> Result<Vec<(String, String)>, Error> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        let mut seen_resources = BTreeSet::new();
        let mut stack: Vec<(String, &ast::Shape)> = vec![(service.to_owned(), shape)];
        while let Some((owner, shape)) = stack.pop() {
            let lifecycle = [
                &shape.create,
                &shape.put,
                &shape.read,
                &shape.update,
                &shape.delete,
                &shape.list,
            ];
            let ops = lifecycle
                .into_iter()
                .flatten()
                .chain(&shape.operations)
                .chain(&shape.collection_operations);
            for op in ops {
                self.resolve(&owner, &op.target)?;
                if let Some(first) = out.insert(op.target.clone(), owner.clone()) {
                    if first != owner {
                        return Err(Error::invalid(
                            &op.target,
                            format!("is bound by both {first} and {owner}; an operation belongs to one place"),
                        ));
                    }
                }
            }
            for r in &shape.resources {
                self.resolve(&owner, &r.target)?;
                let resource = &self.doc.shapes[&r.target];
                if resource.kind != "resource" {
                    return Err(Error::invalid(
                        &r.target,
                        format!("listed as a resource of {owner} but is a {}", resource.kind),
                    ));
                }
                if !seen_resources.insert(r.target.clone()) {
                    return Err(Error::invalid(
                        &r.target,
                        "is bound as a resource more than once",
                    ));
                }
                traits::check(&r.target, Place::Resource, &resource.traits)?;
                stack.push((r.target.clone(), resource));
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Resolves an error reference and checks it is an `@error` structure.
    fn error_ref(&mut self, from: &str, target: &str) -> Result<ShapeId, Error> {
        let eid = self.shape_ref(from, target)?;
        match &self.shapes[&eid].kind {
            ShapeKind::Structure(Structure {
                role: StructureRole::Error(_),
                ..
            }) => Ok(eid),
            _ => Err(Error::invalid(
                &eid,
                "listed as an error but has no @error trait",
            )),
        }
    }

    fn operation(
        &mut self,
        bound_by: &str,
        target: &str,
        service: &OperationContext<'_>,
    ) -> Result<Operation, Error> {
        let OperationContext {
            protocol,
            errors: service_errors,
            pagination: service_pagination,
            rules,
            auth: ref service_auth,
        } = *service;
        let id = self.resolve(bound_by, target)?;
        let shape = &self.doc.shapes[target];
        if shape.kind != "operation" {
            return Err(Error::invalid(
                target,
                format!("listed as an operation but is a {}", shape.kind),
            ));
        }
        traits::check(target, Place::Operation, &shape.traits)?;
        // smithy-rs calls an operation's input and output `<Operation>Input` and
        // `<Operation>Output` whatever the shapes are named; the names are fixed here, with
        // every other Rust name, so the lowered model says what is emitted.
        let op_names = Names::new(&id.name);
        let input = self.operation_io(
            target,
            shape.input.as_ref(),
            StructureRole::Input,
            &op_names,
        )?;
        let output = self.operation_io(
            target,
            shape.output.as_ref(),
            StructureRole::Output,
            &op_names,
        )?;
        let mut errors = service_errors.to_vec();
        for e in &shape.errors {
            errors.push(self.error_ref(target, &e.target)?);
        }
        errors.sort();
        errors.dedup();
        let protocol_id = protocol.trait_id();
        let pagination = match shape.traits.get("smithy.api#paginated") {
            None => None,
            Some(op_level) => {
                Some(self.pagination(target, op_level, service_pagination, &input, &output)?)
            }
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
        let endpoint = self.operation_endpoint(target, shape, &input, rules)?;
        Ok(Operation {
            names: op_names,
            id,
            docs: docs(&shape.traits),
            input,
            output,
            errors,
            pagination,
            deprecated: deprecated(target, &shape.traits)?,
            request_tests,
            response_tests,
            unhandled_error_tests,
            auth: operation_auth(
                target,
                &shape.traits,
                service_auth.traits,
                service_auth.schemes,
            )?,
            request_compression: request_compression(target, &shape.traits)?,
            discovered_endpoint: discovered_endpoint(target, &shape.traits)?,
            endpoint,
            waiters: match shape.traits.get(super::waiters::TRAIT) {
                Some(v) => super::waiters::lower(target, v)?,
                None => Vec::new(),
            },
        })
    }

    /// What an operation adds to endpoint resolution: `staticContextParams` on it,
    /// `contextParam` and `hostLabel` on its input's members, and `@endpoint`. Each parameter
    /// must be one the rule set declares, of the value's type.
    fn operation_endpoint(
        &self,
        op: &str,
        shape: &ast::Shape,
        input: &ShapeId,
        rules: &RuleSet,
    ) -> Result<OperationEndpoint, Error> {
        // The input's members as lowered (a synthetic input keeps the members' traits of the
        // structure it copies, which are read from the document).
        let ShapeKind::Structure(structure) = &self.shapes[input].kind else {
            return Err(Error::invalid(op, "the input is not a structure"));
        };
        let source = shape
            .input
            .as_ref()
            .and_then(|t| self.doc.shapes.get(&t.target));
        let member_trait = |member: &str, name: &str| -> Option<&Value> {
            source?
                .members
                .as_ref()?
                .get(member)?
                .get("traits")?
                .get(name)
        };
        Ok(OperationEndpoint {
            static_params: static_context_params(op, shape, rules)?,
            operation_context_params: self.operation_context_params(op, shape, input, rules)?,
            context_params: self.context_params(input, structure, &member_trait, rules)?,
            host_prefix: self.host_prefix(op, shape, input, structure, &member_trait)?,
        })
    }

    /// `smithy.rules#operationContextParams`: each path compiled over the input, of the
    /// parameter's type.
    fn operation_context_params(
        &self,
        op: &str,
        shape: &ast::Shape,
        input: &ShapeId,
        rules: &RuleSet,
    ) -> Result<Vec<OperationContextParam>, Error> {
        use crate::rules::ParamType;
        const OPERATION: &str = super::context_path::TRAIT;
        let Some(v) = shape.traits.get(OPERATION) else {
            return Ok(Vec::new());
        };
        let params = v
            .as_object()
            .ok_or_else(|| Error::bad_trait(op, OPERATION, "must be an object"))?;
        let mut out = Vec::new();
        for (name, p) in params {
            let ty = param_type(rules, op, OPERATION, name)?;
            let path = p.get("path").and_then(Value::as_str).ok_or_else(|| {
                Error::bad_trait(op, OPERATION, format!("{name} needs a path string"))
            })?;
            let expr = super::context_path::lower(&self.shapes, op, name, path, input)?;
            let fits = match ty {
                ParamType::String => expr.ty == PathType::Str,
                ParamType::Boolean => expr.ty == PathType::Bool,
                ParamType::StringArray => expr.ty == PathType::List(Box::new(PathType::Str)),
            };
            if !fits {
                return Err(Error::bad_trait(
                    op,
                    OPERATION,
                    format!(
                        "parameter {name}: path {path:?} selects {}, which does not fit the {ty:?} parameter",
                        expr.ty
                    ),
                ));
            }
            out.push(OperationContextParam {
                name: name.clone(),
                path: path.to_owned(),
                expr,
            });
        }
        Ok(out)
    }

    /// `smithy.rules#contextParam` on the input's members: rule-set parameter and member, for
    /// members of the parameter's type.
    fn context_params<'a>(
        &self,
        input: &ShapeId,
        structure: &Structure,
        member_trait: &dyn Fn(&str, &str) -> Option<&'a Value>,
        rules: &RuleSet,
    ) -> Result<Vec<(String, String)>, Error> {
        use crate::rules::ParamType;
        const CONTEXT: &str = "smithy.rules#contextParam";
        let mut out = Vec::new();
        for m in &structure.members {
            let Some(v) = member_trait(&m.name, CONTEXT) else {
                continue;
            };
            let owner = format!("{input}${}", m.name);
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::bad_trait(&owner, CONTEXT, "needs a name"))?;
            let target = &self.shapes[&m.target].kind;
            let string_list = match target {
                ShapeKind::List { member, .. } => {
                    matches!(self.shapes[member].kind, ShapeKind::String)
                }
                _ => false,
            };
            match (param_type(rules, &owner, CONTEXT, name)?, target) {
                (ParamType::String, ShapeKind::String) | (ParamType::Boolean, ShapeKind::Boolean) => {}
                (ParamType::StringArray, ShapeKind::List { .. }) if string_list => {}
                (ty, _) => {
                    return Err(Error::bad_trait(
                        &owner,
                        CONTEXT,
                        format!(
                            "binds the {ty:?} parameter {name} to {}, which is not a plain string, boolean or list of strings of that type",
                            m.target
                        ),
                    ))
                }
            }
            out.push((name.to_owned(), m.name.clone()));
        }
        Ok(out)
    }

    /// `@endpoint(hostPrefix)`, whose labels must be the input's string members with
    /// `@hostLabel`, and every `@hostLabel` member used by it.
    fn host_prefix<'a>(
        &self,
        op: &str,
        shape: &ast::Shape,
        input: &ShapeId,
        structure: &Structure,
        member_trait: &dyn Fn(&str, &str) -> Option<&'a Value>,
    ) -> Result<Option<Vec<HostPrefixPart>>, Error> {
        const ENDPOINT: &str = "smithy.api#endpoint";
        let labels: Vec<&str> = structure
            .members
            .iter()
            .filter(|m| member_trait(&m.name, "smithy.api#hostLabel").is_some())
            .map(|m| m.name.as_str())
            .collect();
        let mut out = None;
        if let Some(v) = shape.traits.get(ENDPOINT) {
            let prefix = v
                .get("hostPrefix")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::bad_trait(op, ENDPOINT, "needs a hostPrefix string"))?;
            let parts = host_prefix(op, prefix)?;
            for part in &parts {
                if let HostPrefixPart::Label(label) = part {
                    let member = structure.members.iter().find(|m| &m.name == label);
                    let is_string = member
                        .is_some_and(|m| matches!(self.shapes[&m.target].kind, ShapeKind::String));
                    if !labels.contains(&label.as_str()) || !is_string {
                        return Err(Error::bad_trait(
                            op,
                            ENDPOINT,
                            format!(
                                "host prefix label {{{label}}} must name a string member of the input with @hostLabel"
                            ),
                        ));
                    }
                }
            }
            out = Some(parts);
        }
        for label in labels {
            let used = out
                .iter()
                .flatten()
                .any(|p| matches!(p, HostPrefixPart::Label(l) if l == label));
            if !used {
                return Err(Error::bad_trait(
                    format!("{input}${label}"),
                    "smithy.api#hostLabel",
                    "the operation's @endpoint host prefix has no such label",
                ));
            }
        }
        Ok(out)
    }

    /// An operation's input or output structure, renamed `<Operation>Input` or `...Output`.
    ///
    /// As smithy-rs's operation normalizer does, an operation without one (or with
    /// `smithy.api#Unit`) gets an empty structure, and one whose structure is not marked
    /// `@input` (or `@output`), as in models converted from Smithy 1.0, gets its own copy of
    /// it; both are synthetic shapes in the [`SYNTHETIC_NAMESPACE`], so the structure itself
    /// stays what it was for any member that targets it.
    fn operation_io(
        &mut self,
        op: &str,
        target: Option<&ast::Target>,
        want: StructureRole,
        op_names: &Names,
    ) -> Result<ShapeId, Error> {
        let (suffix, marker) = match want {
            StructureRole::Input => ("Input", "smithy.api#input"),
            _ => ("Output", "smithy.api#output"),
        };
        let rust_name = format!("{}{suffix}", op_names.rust_type);
        let synthetic = ShapeId {
            namespace: SYNTHETIC_NAMESPACE.to_owned(),
            name: rust_name.clone(),
        };
        let target = target.map_or(UNIT, |t| t.target.as_str());
        let id = if target == UNIT {
            self.shapes.insert(
                synthetic.clone(),
                Shape {
                    id: synthetic.clone(),
                    names: Names::renamed(&rust_name, &rust_name),
                    docs: None,
                    kind: ShapeKind::Structure(Structure {
                        members: Vec::new(),
                        role: want.clone(),
                        error_tests: Vec::new(),
                    }),
                    constraints: Constraints::default(),
                    sensitive: false,
                    deprecated: None,
                },
            );
            synthetic
        } else {
            let resolved = self.resolve(op, target)?;
            let ast_shape = self
                .doc
                .shapes
                .get(target)
                .filter(|s| s.kind == "structure");
            let unmarked = ast_shape.is_some_and(|s| {
                !["smithy.api#input", "smithy.api#output", "smithy.api#error"]
                    .iter()
                    .any(|t| s.traits.contains_key(*t))
            });
            match ast_shape {
                Some(ast_shape) if unmarked => {
                    let mut copy = self.named(&synthetic, ast_shape)?;
                    if let ShapeKind::Structure(s) = &mut copy.kind {
                        s.role = want.clone();
                    }
                    self.shapes.insert(synthetic.clone(), copy);
                    synthetic
                }
                _ => {
                    let id = self.shape_ref(op, target)?;
                    match &self.shapes[&id].kind {
                        ShapeKind::Structure(s) if s.role == want => {}
                        _ => {
                            return Err(Error::invalid(
                                &resolved,
                                format!(
                                    "an operation's {suffix} must be a structure marked @{}",
                                    marker.trim_start_matches("smithy.api#")
                                ),
                            ))
                        }
                    }
                    id
                }
            }
        };
        if !self.bound_io.insert(id.clone()) {
            return Err(Error::invalid(
                &id,
                "an @input or @output structure can belong to one operation only",
            ));
        }
        if let Some(io_shape) = self.shapes.get_mut(&id) {
            io_shape.names = Names::renamed(&io_shape.names.smithy, &rust_name);
        }
        Ok(id)
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
            deprecated: None,
        })
    }

    fn named(&mut self, id: &ShapeId, shape: &ast::Shape) -> Result<Shape, Error> {
        let sid = id.to_string();
        let traits = &shape.traits;
        let kind = match shape.kind.as_str() {
            "structure" => {
                traits::check(&sid, Place::Structure, traits)?;
                ShapeKind::Structure(self.structure(&sid, shape)?)
            }
            "set" => {
                return Err(Error::UnsupportedShape {
                    shape: sid,
                    kind: "set (Smithy 1.0; use a list with @uniqueItems)".into(),
                })
            }
            "list" => self.list(&sid, shape)?,
            "map" => self.map(&sid, shape)?,
            "union" => {
                traits::check(&sid, Place::Union, traits)?;
                ShapeKind::Union(self.union(&sid, shape)?)
            }
            "string" if traits.contains_key("smithy.api#enum") => {
                traits::check(&sid, Place::String, traits)?;
                ShapeKind::Enum(smithy1_enum(&sid, &traits["smithy.api#enum"])?)
            }
            "enum" => enum_kind(&sid, shape)?,
            "intEnum" => int_enum_kind(&sid, shape)?,
            other => {
                // An unknown type is the real problem; report it before its traits.
                simple_kind(&sid, other, None)?;
                let place = match other {
                    "string" => Place::String,
                    "blob" => Place::Blob,
                    "document" => Place::Document,
                    "boolean" => Place::Boolean,
                    "timestamp" => Place::Timestamp,
                    _ => Place::Number,
                };
                traits::check(&sid, place, traits)?;
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
            deprecated: deprecated(&sid, traits)?,
        })
    }

    /// A list: its member's target, `@uniqueItems` and `@sparse`.
    fn list(&mut self, sid: &str, shape: &ast::Shape) -> Result<ShapeKind, Error> {
        let traits = &shape.traits;
        traits::check(sid, Place::List, traits)?;
        let m = shape
            .member
            .as_ref()
            .ok_or_else(|| Error::invalid(sid, "list without a member"))?;
        traits::check(&format!("{sid}$member"), Place::ListMember, &m.traits)?;
        Ok(ShapeKind::List {
            member: self.shape_ref(&format!("{sid}$member"), &m.target)?,
            unique_items: traits.contains_key("smithy.api#uniqueItems"),
            sparse: traits.contains_key("smithy.api#sparse"),
        })
    }

    /// A map: string keys, its value's target, and `@sparse`.
    fn map(&mut self, sid: &str, shape: &ast::Shape) -> Result<ShapeKind, Error> {
        let traits = &shape.traits;
        traits::check(sid, Place::Map, traits)?;
        let k = shape
            .key
            .as_ref()
            .ok_or_else(|| Error::invalid(sid, "map without a key"))?;
        let v = shape
            .value
            .as_ref()
            .ok_or_else(|| Error::invalid(sid, "map without a value"))?;
        traits::check(&format!("{sid}$key"), Place::MapEntry, &k.traits)?;
        traits::check(&format!("{sid}$value"), Place::MapEntry, &v.traits)?;
        let key = self.shape_ref(&format!("{sid}$key"), &k.target)?;
        if !matches!(
            self.shapes[&key].kind,
            ShapeKind::String | ShapeKind::Enum(_)
        ) {
            return Err(Error::invalid(sid, "map keys must be strings"));
        }
        Ok(ShapeKind::Map {
            key,
            value: self.shape_ref(&format!("{sid}$value"), &v.target)?,
            sparse: traits.contains_key("smithy.api#sparse"),
        })
    }

    /// The Smithy type of a resolved target, read from the AST so it is known even while the
    /// target itself is being lowered (a recursive shape).
    fn kind_of(&self, id: &ShapeId) -> &str {
        if id.is_prelude() {
            PRELUDE
                .iter()
                .find(|(n, _)| *n == id.name)
                .map_or("unknown", |(_, k)| k)
        } else {
            &self.doc.shapes[&id.to_string()].kind
        }
    }

    /// A union member targeting `smithy.api#Unit`: a variant without a value, as smithy-rs
    /// generates it. Only documentation and `@deprecated` mean anything on it.
    fn unit_member(&self, sid: &str, name: String, m: &ast::Member) -> Result<Member, Error> {
        let owner = format!("{sid}${name}");
        traits::check(&owner, Place::UnionMember, &m.traits)?;
        let constraints = lower_constraints(&owner, &m.traits)?;
        if !constraints.is_empty() || m.traits.contains_key("smithy.api#timestampFormat") {
            return Err(Error::invalid(
                &owner,
                "a member targeting smithy.api#Unit has no value to constrain or format",
            ));
        }
        Ok(Member {
            field: ident::snake(&name),
            wire_name: name.clone(),
            json_name: None,
            target: ShapeId::parse(UNIT)?,
            required: false,
            default: None,
            nullable: true,
            client_optional: false,
            boxed: false,
            idempotency_token: false,
            deprecated: deprecated(&owner, &m.traits)?,
            docs: docs(&m.traits),
            timestamp_format: None,
            constraints,
            name,
        })
    }

    /// A structure or union member.
    fn member(
        &mut self,
        sid: &str,
        name: String,
        m: &ast::Member,
        place: Place,
    ) -> Result<Member, Error> {
        let owner = format!("{sid}${name}");
        traits::check(&owner, place, &m.traits)?;
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
        if timestamp_format.is_some() && self.kind_of(&target) != "timestamp" {
            return Err(Error::bad_trait(
                &owner,
                "smithy.api#timestampFormat",
                "applies only to timestamp members",
            ));
        }
        let default = match m.traits.get("smithy.api#default") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.clone()),
        };
        let required = m.traits.contains_key("smithy.api#required");
        let client_optional = m.traits.contains_key("smithy.api#clientOptional");
        let idempotency_token = m.traits.contains_key("smithy.api#idempotencyToken");
        if idempotency_token && self.kind_of(&target) != "string" {
            return Err(Error::bad_trait(
                &owner,
                "smithy.api#idempotencyToken",
                "applies only to string members",
            ));
        }
        let aggregate = matches!(self.kind_of(&target), "structure" | "union");
        let nullable = if client_optional {
            true
        } else if default.is_some() {
            false
        } else {
            !required || aggregate
        };
        Ok(Member {
            field: match place {
                Place::StructureMember => ident::structure_member(&name),
                _ => ident::snake(&name),
            },
            wire_name: name.clone(),
            json_name,
            target,
            required,
            default,
            nullable,
            client_optional,
            boxed: false,
            idempotency_token,
            deprecated: deprecated(&owner, &m.traits)?,
            docs: docs(&m.traits),
            timestamp_format,
            constraints: lower_constraints(&owner, &m.traits)?,
            name,
        })
    }

    /// A union's members: each becomes a variant.
    fn union(&mut self, sid: &str, shape: &ast::Shape) -> Result<Vec<UnionVariant>, Error> {
        let raw = shape
            .members
            .as_ref()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| Error::invalid(sid, "a union needs at least one member"))?;
        let mut variants = Vec::new();
        for (name, m) in ast::members(sid, raw)? {
            let unit = m.target == UNIT;
            let mut member = if unit {
                self.unit_member(sid, name, &m)?
            } else {
                self.member(sid, name, &m, Place::UnionMember)?
            };
            // `Unknown` holds a member this client does not know; a member of that name is
            // `UnknownValue`, with accessors `as_unknown_value` and `is_unknown_value` (the
            // union's own `is_unknown` is taken), as smithy-rs names them.
            let rust_name = ident::variant(&member.name);
            if rust_name != ident::upper_camel(&member.name) {
                member.field = ident::snake(&rust_name);
            }
            variants.push(UnionVariant {
                rust_name,
                member,
                unit,
            });
        }
        check_unique_variants(sid, variants.iter().map(|v| v.rust_name.as_str()))?;
        Ok(variants)
    }

    /// `@paginated` of an operation, merged over the service's, with every named member
    /// checked: the tokens are strings, the page size a number, the items a list or map.
    fn pagination(
        &self,
        op: &str,
        op_level: &Value,
        service_level: Option<&Value>,
        input: &ShapeId,
        output: &ShapeId,
    ) -> Result<Pagination, Error> {
        const TRAIT: &str = "smithy.api#paginated";
        let field = |k: &str| -> Result<Option<String>, Error> {
            match op_level
                .get(k)
                .or_else(|| service_level.and_then(|s| s.get(k)))
            {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(Error::bad_trait(
                    op,
                    TRAIT,
                    format!("{k} must be a string, got {other}"),
                )),
            }
        };
        let (input_token, output_token) = match (field("inputToken")?, field("outputToken")?) {
            (Some(i), Some(o)) => (i, o),
            _ => {
                return Err(Error::bad_trait(
                    op,
                    TRAIT,
                    "needs inputToken and outputToken (on the operation or the service)",
                ))
            }
        };
        // Walks `path` (`a.b`) from `start` through structure members; returns the member
        // names and the final target.
        let walk =
            |start: &ShapeId, path: &str, what: &str| -> Result<(Vec<String>, ShapeId), Error> {
                let mut at = start.clone();
                let mut names = Vec::new();
                for part in path.split('.') {
                    let ShapeKind::Structure(st) = &self.shapes[&at].kind else {
                        return Err(Error::bad_trait(
                            op,
                            TRAIT,
                            format!("{what} {path:?}: {at} is not a structure"),
                        ));
                    };
                    let m = st.members.iter().find(|m| m.name == part).ok_or_else(|| {
                        Error::bad_trait(
                            op,
                            TRAIT,
                            format!("{what} {path:?}: {at} has no member {part:?}"),
                        )
                    })?;
                    names.push(m.name.clone());
                    at = m.target.clone();
                }
                Ok((names, at))
            };
        let kind_is = |id: &ShapeId, want: &[&str]| want.contains(&self.kind_of(id));
        // A token is a string, or a map (DynamoDB's `ExclusiveStartKey`), which smithy-rs
        // pages with alike: an empty map ends the pages.
        let (input_path, input_t) = walk(input, &input_token, "inputToken")?;
        if input_path.len() != 1 || !kind_is(&input_t, &["string", "map"]) {
            return Err(Error::bad_trait(
                op,
                TRAIT,
                format!(
                    "inputToken {input_token:?} must be a top-level string or map member of the input"
                ),
            ));
        }
        let (output_path, t) = walk(output, &output_token, "outputToken")?;
        if kind_is(&input_t, &["string"]) && !kind_is(&t, &["string"]) {
            return Err(Error::bad_trait(
                op,
                TRAIT,
                format!("outputToken {output_token:?} must name a string member"),
            ));
        }
        if kind_is(&input_t, &["map"]) && t != input_t {
            return Err(Error::bad_trait(
                op,
                TRAIT,
                format!(
                    "outputToken {output_token:?} must name a member targeting {input_t}, as inputToken {input_token:?} does"
                ),
            ));
        }
        let items = match field("items")? {
            None => None,
            Some(items) => {
                let (path, t) = walk(output, &items, "items")?;
                if !kind_is(&t, &["list", "map"]) {
                    return Err(Error::bad_trait(
                        op,
                        TRAIT,
                        format!("items {items:?} must name a list or map member"),
                    ));
                }
                Some(path)
            }
        };
        let page_size = match field("pageSize")? {
            None => None,
            Some(size) => {
                let (path, t) = walk(input, &size, "pageSize")?;
                if path.len() != 1 || !kind_is(&t, &["byte", "short", "integer"]) {
                    return Err(Error::bad_trait(
                        op,
                        TRAIT,
                        format!(
                            "pageSize {size:?} must be a top-level integer member of the input"
                        ),
                    ));
                }
                Some(size)
            }
        };
        Ok(Pagination {
            input_token,
            output_token: output_path,
            items,
            page_size,
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
                // Smithy only says the status SHOULD be 4xx or 5xx (a 308 redirect error is
                // published). The client takes any status outside 2xx for an error and reads
                // its code from the body, so 300 to 599 work; a 1xx or 2xx error could never
                // be recognised, and anything else is not an HTTP status.
                Some(v) => v
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (300..=599).contains(s))
                    .ok_or_else(|| {
                        Error::bad_trait(
                            sid,
                            "smithy.api#httpError",
                            format!(
                                "must be a status from 300 to 599 (a client reads a 1xx or 2xx \
                                 response as a success), got {v}"
                            ),
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
                query_error: query_error(sid, traits)?,
            })
        } else {
            for t in [
                "smithy.api#httpError",
                "smithy.api#retryable",
                "smithy.test#httpResponseTests",
                "aws.protocols#awsQueryError",
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
            members.push(self.member(sid, name, &m, Place::StructureMember)?);
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
            Some(v) => lower_response_tests(sid, v, self.protocol.trait_id())?,
            None => Vec::new(),
        };
        Ok(Structure {
            members,
            role,
            error_tests,
        })
    }
}

/// Rejects a cycle of required structure members (`A$b` -> `B`, `B$a` -> `A`): no value of
/// such a shape can exist, and reading a response that lacks one would fill in empty values
/// forever. Smithy's own validator rejects these too.
/// An operation's input or output is renamed `<Operation>Input`/`Output`; when another shape
/// already has that name (glue's `TestConnectionInput` structure beside the TestConnection
/// operation's input), the two would share a serializer module and a file name, so the
/// operation's one takes `_operation` in its snake-case name. Type names stay as they are:
/// the two live in different modules (`operation::test_connection`, `types`).
fn separate_io_names(shapes: &mut BTreeMap<ShapeId, Shape>, io: &BTreeSet<ShapeId>) {
    let taken: BTreeSet<String> = shapes
        .iter()
        .filter(|(id, _)| !io.contains(*id))
        .map(|(_, s)| s.names.snake.clone())
        .collect();
    for id in io {
        if let Some(shape) = shapes.get_mut(id) {
            if taken.contains(&shape.names.snake) {
                shape.names.snake = format!("{}_operation", shape.names.snake);
            }
        }
    }
}

/// Boxes members until no cycle of structures and unions is left without indirection, as
/// smithy-rs's `RecursiveShapeBoxer` does: while some cycle runs only through structure and
/// union members (a list or a map is indirection already), the member of that cycle with
/// the smallest id (`ns#Shape$member`) is boxed.
fn box_recursion(shapes: &mut BTreeMap<ShapeId, Shape>) {
    while let Some(cycle) = unboxed_cycle(shapes) {
        let Some((owner, index)) = cycle.into_iter().min_by_key(|(owner, index)| {
            format!("{owner}${}", members(&shapes[owner])[*index].name)
        }) else {
            return;
        };
        if let Some(shape) = shapes.get_mut(&owner) {
            match &mut shape.kind {
                ShapeKind::Structure(st) => st.members[index].boxed = true,
                ShapeKind::Union(vs) => vs[index].member.boxed = true,
                _ => {}
            }
        }
    }
}

/// The members of a structure or union, in order (none for other shapes).
/// The type of the rule set's parameter `name`, which `owner`'s trait `t` names.
fn param_type(
    rules: &RuleSet,
    owner: &str,
    t: &str,
    name: &str,
) -> Result<crate::rules::ParamType, Error> {
    rules.parameter(name).map(|p| p.ty).ok_or_else(|| {
        Error::bad_trait(
            owner,
            t,
            format!("names {name:?}, which is not a parameter of the endpoint rule set"),
        )
    })
}

/// `smithy.rules#staticContextParams`: each value of its parameter's type.
fn static_context_params(
    op: &str,
    shape: &ast::Shape,
    rules: &RuleSet,
) -> Result<Vec<(String, StaticParam)>, Error> {
    use crate::rules::ParamType;
    const STATIC: &str = "smithy.rules#staticContextParams";
    let Some(v) = shape.traits.get(STATIC) else {
        return Ok(Vec::new());
    };
    let params = v
        .as_object()
        .ok_or_else(|| Error::bad_trait(op, STATIC, "must be an object"))?;
    let mut out = Vec::new();
    for (name, p) in params {
        let value = match (param_type(rules, op, STATIC, name)?, p.get("value")) {
            (ParamType::String, Some(Value::String(s))) => StaticParam::Str(s.clone()),
            (ParamType::Boolean, Some(Value::Bool(b))) => StaticParam::Bool(*b),
            (ParamType::StringArray, Some(Value::Array(items)))
                if items.iter().all(Value::is_string) =>
            {
                StaticParam::Array(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                )
            }
            (ty, other) => {
                return Err(Error::bad_trait(
                    op,
                    STATIC,
                    format!("{name} is a {ty:?} parameter; its value cannot be {other:?}"),
                ))
            }
        };
        out.push((name.clone(), value));
    }
    Ok(out)
}

fn members(shape: &Shape) -> Vec<&Member> {
    match &shape.kind {
        ShapeKind::Structure(st) => st.members.iter().collect(),
        ShapeKind::Union(vs) => vs.iter().map(|v| &v.member).collect(),
        _ => Vec::new(),
    }
}

/// One cycle of unboxed structure and union members, as (owner, member index) edges.
fn unboxed_cycle(shapes: &BTreeMap<ShapeId, Shape>) -> Option<Vec<(ShapeId, usize)>> {
    fn aggregate(shapes: &BTreeMap<ShapeId, Shape>, id: &ShapeId) -> bool {
        matches!(
            shapes.get(id).map(|s| &s.kind),
            Some(ShapeKind::Structure(_) | ShapeKind::Union(_))
        )
    }
    fn walk(
        shapes: &BTreeMap<ShapeId, Shape>,
        id: &ShapeId,
        path: &mut Vec<(ShapeId, usize)>,
        on_path: &mut Vec<ShapeId>,
        done: &mut BTreeSet<ShapeId>,
    ) -> Option<Vec<(ShapeId, usize)>> {
        if done.contains(id) {
            return None;
        }
        on_path.push(id.clone());
        for (index, m) in members(&shapes[id]).into_iter().enumerate() {
            if m.boxed || !aggregate(shapes, &m.target) {
                continue;
            }
            path.push((id.clone(), index));
            if let Some(start) = on_path.iter().position(|s| *s == m.target) {
                // The edges from the target's place on the path back to it.
                return Some(path[start..].to_vec());
            }
            if let Some(cycle) = walk(shapes, &m.target, path, on_path, done) {
                return Some(cycle);
            }
            path.pop();
        }
        on_path.pop();
        done.insert(id.clone());
        None
    }
    let mut done = BTreeSet::new();
    for id in shapes.keys() {
        if aggregate(shapes, id) {
            if let Some(cycle) = walk(shapes, id, &mut Vec::new(), &mut Vec::new(), &mut done) {
                return Some(cycle);
            }
        }
    }
    None
}

/// `aws.api#clientDiscoveredEndpoint` on an operation: `{required: bool}`.
fn discovered_endpoint(
    op: &str,
    traits: &BTreeMap<String, Value>,
) -> Result<Option<DiscoveredEndpoint>, Error> {
    const TRAIT: &str = "aws.api#clientDiscoveredEndpoint";
    let Some(v) = traits.get(TRAIT) else {
        return Ok(None);
    };
    match v.get("required") {
        Some(Value::Bool(true)) => Ok(Some(DiscoveredEndpoint::Required)),
        Some(Value::Bool(false)) | None => Ok(Some(DiscoveredEndpoint::Optional)),
        Some(other) => Err(Error::bad_trait(
            op,
            TRAIT,
            format!("required must be a boolean, got {other}"),
        )),
    }
}

/// `aws.protocols#awsQueryError` on an error: `{code: string, httpResponseCode: integer}`.
fn query_error(sid: &str, traits: &BTreeMap<String, Value>) -> Result<Option<QueryError>, Error> {
    const TRAIT: &str = "aws.protocols#awsQueryError";
    let Some(v) = traits.get(TRAIT) else {
        return Ok(None);
    };
    let code = v
        .get("code")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            Error::bad_trait(
                sid,
                TRAIT,
                format!("code must be a non-empty string, got {v}"),
            )
        })?;
    let http_status = v
        .get("httpResponseCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| {
            Error::bad_trait(
                sid,
                TRAIT,
                format!("httpResponseCode must be an HTTP status, got {v}"),
            )
        })?;
    Ok(Some(QueryError {
        code: code.to_owned(),
        http_status,
    }))
}

impl Lowerer<'_> {
    /// `aws.api#clientEndpointDiscovery` on the service, checked: the discovery operation is
    /// one of the service's and returns `Endpoints` (a list of structures with a string
    /// `Address` and a long `CachePeriodInMinutes`), needs no input, and does not itself
    /// need a discovered endpoint; an operation marked `clientDiscoveredEndpoint` needs the
    /// service's trait.
    fn endpoint_discovery(
        &mut self,
        service: &str,
        shape: &ast::Shape,
        operations: &[Operation],
    ) -> Result<Option<EndpointDiscovery>, Error> {
        const TRAIT: &str = "aws.api#clientEndpointDiscovery";
        let Some(v) = shape.traits.get(TRAIT) else {
            if let Some(op) = operations.iter().find(|o| o.discovered_endpoint.is_some()) {
                return Err(Error::bad_trait(
                    &op.id,
                    "aws.api#clientDiscoveredEndpoint",
                    format!("the service {service} has no {TRAIT} naming the discovery operation"),
                ));
            }
            return Ok(None);
        };
        let bad = |problem: String| Error::bad_trait(service, TRAIT, problem);
        let op_id = v
            .get("operation")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("operation must be a shape id, got {v}")))?;
        let op_id = ShapeId::parse(op_id)?;
        let op = operations.iter().find(|o| o.id == op_id).ok_or_else(|| {
            bad(format!(
                "operation {op_id} is not an operation of the service"
            ))
        })?;
        if op.discovered_endpoint == Some(DiscoveredEndpoint::Required) {
            return Err(bad(format!(
                "the discovery operation {op_id} cannot itself require a discovered endpoint"
            )));
        }
        if let Some(m) = self
            .structure_of(&op.input)
            .members
            .iter()
            .find(|m| m.required)
        {
            return Err(bad(format!(
                "the discovery operation {op_id} is called without input, but its input member {} is required",
                m.name
            )));
        }
        self.check_discovery_output(&op_id, &op.output)
            .map_err(bad)?;
        let error = match v.get("error") {
            None => None,
            Some(e) => {
                let e = e
                    .as_str()
                    .ok_or_else(|| bad(format!("error must be a shape id, got {e}")))?;
                Some(self.error_ref(service, e)?)
            }
        };
        Ok(Some(EndpointDiscovery {
            operation: op_id,
            error,
        }))
    }

    fn structure_of(&self, id: &ShapeId) -> &Structure {
        match &self.shapes[id].kind {
            ShapeKind::Structure(s) => s,
            other => panic!("{id} was lowered as a structure, found {other:?}"),
        }
    }

    /// The discovery output's `Endpoints`: a list of structures with a string `Address` and
    /// a long `CachePeriodInMinutes`.
    fn check_discovery_output(&self, op: &ShapeId, output: &ShapeId) -> Result<(), String> {
        let member = |st: &Structure, name: &str| {
            st.members
                .iter()
                .find(|m| m.name == name)
                .map(|m| m.target.clone())
        };
        let endpoints = member(self.structure_of(output), "Endpoints")
            .ok_or_else(|| format!("the output of {op} has no member Endpoints"))?;
        let item = match &self.shapes[&endpoints].kind {
            ShapeKind::List {
                member,
                sparse: false,
                ..
            } => member.clone(),
            ShapeKind::List { sparse: true, .. } => {
                return Err(format!(
                    "the output of {op}: Endpoints must be a list without @sparse"
                ))
            }
            _ => return Err(format!("the output of {op}: Endpoints must be a list")),
        };
        let ShapeKind::Structure(st) = &self.shapes[&item].kind else {
            return Err(format!(
                "the output of {op}: Endpoints must be a list of structures"
            ));
        };
        for (name, want) in [("Address", "string"), ("CachePeriodInMinutes", "long")] {
            let target = member(st, name)
                .ok_or_else(|| format!("the output of {op}: {item} has no member {name}"))?;
            let ok = matches!(
                (&self.shapes[&target].kind, want),
                (ShapeKind::String, "string") | (ShapeKind::Long, "long")
            );
            if !ok {
                return Err(format!(
                    "the output of {op}: {item}${name} must be a {want}"
                ));
            }
        }
        Ok(())
    }
}

/// `@requestCompression`: whether the body is gzipped. As smithy-rs reads it (and as the
/// Smithy spec asks: a client ignores encodings it does not support), the first supported
/// encoding applies, and gzip is the only one; an empty list is invalid.
fn request_compression(op: &str, traits: &BTreeMap<String, Value>) -> Result<bool, Error> {
    const TRAIT: &str = "smithy.api#requestCompression";
    let Some(value) = traits.get(TRAIT) else {
        return Ok(false);
    };
    let encodings = value
        .get("encodings")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::bad_trait(op, TRAIT, "needs a list of encodings"))?;
    if encodings.is_empty() {
        return Err(Error::bad_trait(
            op,
            TRAIT,
            "the list of encodings is empty",
        ));
    }
    let mut gzip = false;
    for e in encodings {
        let e = e
            .as_str()
            .ok_or_else(|| Error::bad_trait(op, TRAIT, format!("encoding {e} is not a string")))?;
        gzip |= e.eq_ignore_ascii_case("gzip");
    }
    Ok(gzip)
}

/// What an operation's auth schemes default to and are checked against: the service's
/// traits and its effective auth schemes.
#[derive(Clone, Copy)]
struct ServiceAuth<'a> {
    traits: &'a BTreeMap<String, Value>,
    schemes: &'a [AuthScheme],
}

/// What lowering an operation needs from its service.
#[derive(Clone, Copy)]
struct OperationContext<'a> {
    protocol: Protocol,
    /// The service's errors, every operation's.
    errors: &'a [ShapeId],
    /// The service's `@paginated` defaults.
    pagination: Option<&'a Value>,
    rules: &'a RuleSet,
    auth: ServiceAuth<'a>,
}

/// The auth traits the generated client can sign with, by shape id.
const AUTH_TRAITS: &[(&str, AuthScheme)] = &[
    ("aws.auth#sigv4", AuthScheme::SigV4),
    ("aws.auth#sigv4a", AuthScheme::SigV4a),
];

/// The service's effective auth schemes (Smithy's `ServiceIndex::getEffectiveAuthSchemes`):
/// its `@auth` list, else every auth trait it carries, in shape-id order. Each must be an
/// auth trait the service carries.
fn service_auth(service: &str, traits: &BTreeMap<String, Value>) -> Result<Vec<AuthScheme>, Error> {
    match traits.get("smithy.api#auth") {
        Some(list) => auth_list(service, list, traits),
        None => Ok(AUTH_TRAITS
            .iter()
            .filter(|(id, _)| traits.contains_key(*id))
            .map(|(_, scheme)| *scheme)
            .collect()),
    }
}

/// An `@auth` list: every id an auth trait of the service that the client can sign with.
fn auth_list(
    owner: &str,
    list: &Value,
    service_traits: &BTreeMap<String, Value>,
) -> Result<Vec<AuthScheme>, Error> {
    let Value::Array(ids) = list else {
        return Err(Error::bad_trait(
            owner,
            "smithy.api#auth",
            format!("must be a list of auth scheme ids, got {list}"),
        ));
    };
    ids.iter()
        .map(|id| {
            let known = AUTH_TRAITS
                .iter()
                .find(|(name, _)| Some(*name) == id.as_str());
            match known {
                Some((name, scheme)) if service_traits.contains_key(*name) => Ok(*scheme),
                Some((name, _)) => Err(Error::bad_trait(
                    owner,
                    "smithy.api#auth",
                    format!("auth scheme {name} is not an auth trait of the service"),
                )),
                None => Err(Error::bad_trait(
                    owner,
                    "smithy.api#auth",
                    format!(
                        "auth scheme {id} is not supported (only aws.auth#sigv4 and aws.auth#sigv4a are)"
                    ),
                )),
            }
        })
        .collect()
}

/// The auth schemes of an operation, as smithy-rs reads `@auth` and `@optionalAuth`: its own
/// `@auth([...])` list (an empty list means no signature), else the service's; `@optionalAuth`
/// adds "no signature" as the last choice.
fn operation_auth(
    op: &str,
    traits: &BTreeMap<String, Value>,
    service_traits: &BTreeMap<String, Value>,
    service_auth: &[AuthScheme],
) -> Result<Vec<AuthScheme>, Error> {
    let mut schemes = match traits.get("smithy.api#auth") {
        None => service_auth.to_vec(),
        Some(list) => auth_list(op, list, service_traits)?,
    };
    if schemes.is_empty() || traits.contains_key("smithy.api#optionalAuth") {
        schemes.push(AuthScheme::NoAuth);
    }
    Ok(schemes)
}

fn check_required_cycles(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    fn next<'a>(
        shapes: &'a BTreeMap<ShapeId, Shape>,
        id: &ShapeId,
    ) -> impl Iterator<Item = &'a Member> + 'a {
        let members = match &shapes[id].kind {
            ShapeKind::Structure(st) => st.members.as_slice(),
            _ => &[],
        };
        members.iter().filter(move |m| {
            m.required
                && m.default.is_none()
                && !m.client_optional
                && matches!(shapes[&m.target].kind, ShapeKind::Structure(_))
        })
    }
    fn walk(
        shapes: &BTreeMap<ShapeId, Shape>,
        id: &ShapeId,
        path: &mut Vec<String>,
        on_path: &mut BTreeSet<ShapeId>,
        done: &mut BTreeSet<ShapeId>,
    ) -> Result<(), Error> {
        if done.contains(id) {
            return Ok(());
        }
        on_path.insert(id.clone());
        for m in next(shapes, id) {
            path.push(format!("{id}${}", m.name));
            if on_path.contains(&m.target) {
                return Err(Error::invalid(
                    id,
                    format!(
                        "required structure members form a cycle ({} -> {}); no value could be built",
                        path.join(" -> "),
                        m.target
                    ),
                ));
            }
            walk(shapes, &m.target, path, on_path, done)?;
            path.pop();
        }
        on_path.remove(id);
        done.insert(id.clone());
        Ok(())
    }
    let mut done = BTreeSet::new();
    for id in shapes.keys() {
        walk(shapes, id, &mut Vec::new(), &mut BTreeSet::new(), &mut done)?;
    }
    Ok(())
}

/// The service's protocol trait.
fn protocol(id: &str, shape: &ast::Shape) -> Result<Protocol, Error> {
    match (
        shape.traits.contains_key("aws.protocols#awsJson1_0"),
        shape.traits.contains_key("aws.protocols#awsJson1_1"),
    ) {
        (true, false) => Ok(Protocol::AwsJson1_0),
        (false, true) => Ok(Protocol::AwsJson1_1),
        (true, true) => Err(Error::invalid(
            id,
            "has both awsJson1_0 and awsJson1_1; a client speaks one protocol",
        )),
        (false, false) => Err(Error::NoProtocol {
            service: id.to_owned(),
        }),
    }
}

/// `@deprecated`, if present.
fn deprecated(owner: &str, traits: &BTreeMap<String, Value>) -> Result<Option<Deprecated>, Error> {
    let Some(v) = traits.get("smithy.api#deprecated") else {
        return Ok(None);
    };
    let text = |k: &str| -> Result<Option<String>, Error> {
        match v.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::bad_trait(
                owner,
                "smithy.api#deprecated",
                format!("{k} must be a string, got {other}"),
            )),
        }
    };
    Ok(Some(Deprecated {
        message: text("message")?,
        since: text("since")?,
    }))
}

/// Smithy 1.0's `@enum` on a string: a list of `{value, name?, documentation?, deprecated?}`,
/// generated like an `enum` shape. Variants are named after `name`, else after the value.
fn smithy1_enum(sid: &str, v: &Value) -> Result<Vec<EnumVariant>, Error> {
    const TRAIT: &str = "smithy.api#enum";
    let entries = v
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::bad_trait(sid, TRAIT, "must be a non-empty list"))?;
    let mut variants = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let value = e.get("value").and_then(Value::as_str).ok_or_else(|| {
            Error::bad_trait(sid, TRAIT, format!("entry {i} has no string value"))
        })?;
        let name = match e.get("name") {
            None => value,
            Some(Value::String(n)) => n.as_str(),
            Some(other) => {
                return Err(Error::bad_trait(
                    sid,
                    TRAIT,
                    format!("entry {i}: name must be a string, got {other}"),
                ))
            }
        };
        let deprecated = match e.get("deprecated") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(Deprecated::default()),
            Some(other) => {
                return Err(Error::bad_trait(
                    sid,
                    TRAIT,
                    format!("entry {i}: deprecated must be a boolean, got {other}"),
                ))
            }
        };
        variants.push(EnumVariant {
            rust_name: ident::variant(name),
            value: value.to_owned(),
            docs: e
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_owned),
            deprecated,
        });
    }
    check_unique_variants(sid, variants.iter().map(|v| v.rust_name.as_str()))?;
    Ok(variants)
}

/// An `enum` shape's variants (`@enumValue`, else the member name, as the value).
fn enum_kind(sid: &str, shape: &ast::Shape) -> Result<ShapeKind, Error> {
    let traits = &shape.traits;
    traits::check(sid, Place::Enum, traits)?;
    let raw = shape
        .members
        .as_ref()
        .ok_or_else(|| Error::invalid(sid, "enum without members"))?;
    let mut variants = Vec::new();
    for (name, m) in ast::members(sid, raw)? {
        let owner = format!("{sid}${name}");
        traits::check(&owner, Place::EnumMember, &m.traits)?;
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
            rust_name: ident::variant(&name),
            value,
            docs: docs(&m.traits),
            deprecated: deprecated(&owner, &m.traits)?,
        });
    }
    check_unique_variants(sid, variants.iter().map(|v| v.rust_name.as_str()))?;
    Ok(ShapeKind::Enum(variants))
}

/// An `intEnum` shape's variants (each needs a 32-bit `@enumValue`).
fn int_enum_kind(sid: &str, shape: &ast::Shape) -> Result<ShapeKind, Error> {
    let traits = &shape.traits;
    traits::check(sid, Place::IntEnum, traits)?;
    let raw = shape
        .members
        .as_ref()
        .ok_or_else(|| Error::invalid(sid, "intEnum without members"))?;
    let mut variants = Vec::new();
    for (name, m) in ast::members(sid, raw)? {
        let owner = format!("{sid}${name}");
        traits::check(&owner, Place::EnumMember, &m.traits)?;
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
            rust_name: ident::variant(&name),
            value,
            docs: docs(&m.traits),
            deprecated: deprecated(&owner, &m.traits)?,
        });
    }
    check_unique_variants(sid, variants.iter().map(|v| v.rust_name.as_str()))?;
    Ok(ShapeKind::IntEnum(variants))
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
        "document" => ShapeKind::Document,
        other => {
            return Err(Error::UnsupportedShape {
                shape: sid.to_owned(),
                kind: other.to_owned(),
            })
        }
    })
}
