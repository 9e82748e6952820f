//! Carving a slice of a Smithy model: the named operations and every shape they reach.
//!
//! A program that calls two operations of a 65-operation service should compile two
//! operations' worth of code, and the crates of this project should be generated from what
//! AWS publishes rather than from a copy assembled by hand. [`slice`] takes the published
//! model and returns a smaller model that holds exactly the closure of the named operations.
//!
//! It works on the JSON AST as a [`serde_json::Value`], not on [`crate::ast`], so that every
//! field of every shape it keeps (resource identifiers, mixins, traits this generator does not
//! read) survives unchanged: a slice is a Smithy model in its own right, for any tool.
//!
//! What a slice holds:
//! - the service shape, with only the named operations among its `operations`, its
//!   service-level `errors` and all of its traits (the endpoint rule set and tests included;
//!   an endpoint test's `operationInputs` for an operation left out are dropped);
//! - the resources through which a named operation is bound, pruned to the bindings that lead
//!   to one (see below);
//! - the named operations, and every shape reachable from them and from the service's errors:
//!   input, output, errors, members, list, set and map members, mixins, resource identifiers
//!   and properties, and trait shapes defined in the model and applied to a kept shape.
//!
//! Resource bindings are kept, not flattened into the service's `operations`. A resource says
//! more than "these operations exist": its identifiers bind input members, its lifecycle says
//! which operation reads or deletes, and its traits (`aws.api#arn`, `noReplace`) describe the
//! resource. Keeping them pruned keeps the slice a sub-model of the published one (every shape
//! in it is the published shape, or the published shape with bindings to left-out operations
//! removed), so a slice can be diffed against its source and re-sliced to the same result.
//! A resource is kept when a named operation is bound to it or to a resource nested in it; its
//! lifecycle bindings, `operations`, `collectionOperations` and `resources` keep only what
//! leads to a named operation.
//!
//! The output is deterministic: shapes sorted by id, every other key in input order, and the
//! order of the operation names does not matter. Trait values are copied, not searched for
//! shape ids.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::document::{shapes_of, with_shapes};
use crate::Error;

/// A resource's lifecycle bindings: each names one operation.
const LIFECYCLE: &[&str] = &["create", "put", "read", "update", "delete", "list"];

/// The namespace of Smithy's prelude, whose shapes a model never defines.
const PRELUDE: &str = "smithy.api#";

/// Returns the slice of `model` (a Smithy JSON AST document) that holds exactly the operations
/// named in `operations` (shape names such as `GetWorkgroup`, or absolute shape ids) and every
/// shape they reach.
///
/// `apply` shapes in the model are applied first (as [`crate::overlay::apply`] does). Names
/// that match no operation of the service are an error naming every one of them.
pub fn slice(model: &Value, operations: &[&str]) -> Result<Value, Error> {
    let model = crate::overlay::resolve_applies(model)?;
    let shapes = shapes_of(&model)?;
    let service_id = the_service(shapes)?;
    let bindings = Bindings::of(shapes, service_id)?;
    let wanted = bindings.resolve(shapes, service_id, operations)?;

    // The service and resources, pruned to bindings that lead to a wanted operation.
    let mut pruned: BTreeMap<String, Value> = BTreeMap::new();
    let kept_resources: BTreeSet<&str> = bindings
        .resources
        .keys()
        .map(String::as_str)
        .filter(|r| bindings.leads_to(r, &wanted))
        .collect();
    for resource in &kept_resources {
        let mut shape = shapes[*resource].clone();
        prune_bindings(&mut shape, &wanted, &kept_resources);
        pruned.insert((*resource).to_owned(), shape);
    }
    let mut service = shapes[service_id].clone();
    prune_bindings(&mut service, &wanted, &kept_resources);
    prune_endpoint_tests(&mut service, &wanted);
    pruned.insert(service_id.to_owned(), service);

    // Everything reachable from them.
    let mut kept: BTreeMap<String, Value> = BTreeMap::new();
    let mut queue: Vec<String> = pruned.keys().cloned().collect();
    queue.extend(wanted.iter().cloned());
    while let Some(id) = queue.pop() {
        if kept.contains_key(&id) {
            continue;
        }
        let shape = match pruned.remove(&id) {
            Some(shape) => shape,
            None => shapes[&id].clone(),
        };
        for (from, target) in references(&id, &shape)? {
            if kept.contains_key(&target) {
                continue;
            }
            if shapes.contains_key(&target) {
                queue.push(target);
            } else if !target.starts_with(PRELUDE) {
                return Err(Error::DanglingTarget { from, target });
            }
        }
        for name in applied_traits(&shape) {
            if shapes.contains_key(&name) && !kept.contains_key(&name) {
                queue.push(name);
            }
        }
        kept.insert(id, shape);
    }
    let ids: BTreeSet<String> = kept.keys().cloned().collect();
    if let Some(Value::Object(renames)) = kept.get_mut(service_id).and_then(|s| s.get_mut("rename"))
    {
        // A service's `rename` entries for shapes left out go with them.
        renames.retain(|id, _| ids.contains(id));
    }

    Ok(with_shapes(&model, kept))
}

/// Serialises a model as the project writes JSON AST files: two-space indentation and a
/// final newline, keys in the order the value holds them.
pub fn to_pretty_json(model: &Value) -> String {
    let mut text = serde_json::to_string_pretty(model).expect("a JSON value always serialises");
    text.push('\n');
    text
}

fn the_service(shapes: &Map<String, Value>) -> Result<&str, Error> {
    let services: Vec<&String> = shapes
        .iter()
        .filter(|(_, s)| kind(s) == "service")
        .map(|(id, _)| id)
        .collect();
    match services.as_slice() {
        [one] => Ok(one),
        _ => Err(Error::ServiceCount(services.len())),
    }
}

fn kind(shape: &Value) -> &str {
    shape.get("type").and_then(Value::as_str).unwrap_or("")
}

/// The `target` of a `{"target": ...}` reference, if it is one.
fn target(v: &Value) -> Option<&str> {
    v.get("target").and_then(Value::as_str)
}

/// The targets of a list of references (`operations`, `errors`, ...), or none.
fn targets<'a>(shape: &'a Value, field: &str) -> impl Iterator<Item = &'a str> {
    shape
        .get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(target)
}

/// How operations are bound to the service: directly, or through (nested) resources.
struct Bindings<'a> {
    /// Every operation bound to the service, by absolute id.
    operations: BTreeSet<&'a str>,
    /// Every resource bound to the service, with the operations bound to it or to a resource
    /// nested in it.
    resources: BTreeMap<String, BTreeSet<&'a str>>,
}

impl<'a> Bindings<'a> {
    fn of(shapes: &'a Map<String, Value>, service: &'a str) -> Result<Self, Error> {
        let mut bindings = Bindings {
            operations: targets(&shapes[service], "operations").collect(),
            resources: BTreeMap::new(),
        };
        for resource in targets(&shapes[service], "resources") {
            bindings.resource(shapes, service, resource, &mut Vec::new())?;
        }
        for op in targets(&shapes[service], "operations") {
            is_operation(shapes, service, op)?;
        }
        Ok(bindings)
    }

    /// Records `id` and what is bound under it; `path` guards against a resource cycle.
    fn resource(
        &mut self,
        shapes: &'a Map<String, Value>,
        from: &str,
        id: &'a str,
        path: &mut Vec<&'a str>,
    ) -> Result<BTreeSet<&'a str>, Error> {
        if path.contains(&id) {
            return Err(Error::invalid(
                id,
                format!("is bound inside itself ({})", path.join(" -> ")),
            ));
        }
        if let Some(done) = self.resources.get(id) {
            return Ok(done.clone());
        }
        let shape = match shapes.get(id) {
            Some(shape) if kind(shape) == "resource" => shape,
            Some(_) => return Err(Error::invalid(id, "is bound as a resource but is not one")),
            None => {
                return Err(Error::DanglingTarget {
                    from: from.to_owned(),
                    target: id.to_owned(),
                })
            }
        };
        let mut under: BTreeSet<&str> = LIFECYCLE
            .iter()
            .filter_map(|field| shape.get(*field).and_then(target))
            .chain(targets(shape, "operations"))
            .chain(targets(shape, "collectionOperations"))
            .collect();
        for op in &under {
            is_operation(shapes, id, op)?;
        }
        path.push(id);
        for child in targets(shape, "resources") {
            under.extend(self.resource(shapes, id, child, path)?);
        }
        path.pop();
        self.operations.extend(under.iter().copied());
        self.resources.insert(id.to_owned(), under.clone());
        Ok(under)
    }

    fn leads_to(&self, resource: &str, wanted: &BTreeSet<String>) -> bool {
        self.resources[resource]
            .iter()
            .any(|op| wanted.contains(*op))
    }

    /// Turns the requested names into operation ids; every name that matches nothing is
    /// reported at once, with a suggestion when only the case is wrong.
    fn resolve(
        &self,
        shapes: &Map<String, Value>,
        service: &str,
        names: &[&str],
    ) -> Result<BTreeSet<String>, Error> {
        if names.is_empty() {
            return Err(Error::invalid(service, "no operations were named to slice"));
        }
        let mut wanted = BTreeSet::new();
        let mut unknown: Vec<String> = Vec::new();
        for name in names {
            let matches: Vec<&str> = self
                .operations
                .iter()
                .copied()
                .filter(|op| *op == *name || short_name(op) == *name)
                .collect();
            match matches.as_slice() {
                [one] => {
                    wanted.insert((*one).to_owned());
                }
                [] => {
                    let unbound = shapes.iter().any(|(id, shape)| {
                        kind(shape) == "operation" && (id == name || short_name(id) == *name)
                    });
                    let hint = if unbound {
                        " (defined, but not bound to the service)".to_owned()
                    } else {
                        self.operations
                            .iter()
                            .find(|op| short_name(op).eq_ignore_ascii_case(name))
                            .map(|op| format!(" (did you mean {}?)", short_name(op)))
                            .unwrap_or_default()
                    };
                    let entry = format!("{name}{hint}");
                    if !unknown.contains(&entry) {
                        unknown.push(entry);
                    }
                }
                several => {
                    return Err(Error::invalid(
                        service,
                        format!(
                            "operation name {name} is ambiguous: it matches {}; name one by its absolute shape id",
                            several.join(", ")
                        ),
                    ))
                }
            }
        }
        if !unknown.is_empty() {
            return Err(Error::invalid(
                service,
                format!(
                    "has no operation named {}; it binds {} operations, named by shape name (case-sensitive) or absolute shape id",
                    unknown.join(", "),
                    self.operations.len(),
                ),
            ));
        }
        Ok(wanted)
    }
}

/// Checks that a binding in `from` names an operation the model defines.
fn is_operation(shapes: &Map<String, Value>, from: &str, op: &str) -> Result<(), Error> {
    match shapes.get(op) {
        Some(shape) if kind(shape) == "operation" => Ok(()),
        Some(_) => Err(Error::invalid(
            op,
            format!("is bound as an operation by {from} but is not one"),
        )),
        None => Err(Error::DanglingTarget {
            from: from.to_owned(),
            target: op.to_owned(),
        }),
    }
}

fn short_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Drops a service's or resource's bindings that lead to no wanted operation.
fn prune_bindings(shape: &mut Value, wanted: &BTreeSet<String>, kept_resources: &BTreeSet<&str>) {
    let Some(fields) = shape.as_object_mut() else {
        return;
    };
    for field in LIFECYCLE {
        if fields
            .get(*field)
            .and_then(target)
            .is_some_and(|op| !wanted.contains(op))
        {
            // shift_remove keeps the other keys in place (remove would swap the last one in).
            fields.shift_remove(*field);
        }
    }
    let mut retain = |field: &str, keep: &dyn Fn(&str) -> bool| {
        if let Some(Value::Array(list)) = fields.get_mut(field) {
            list.retain(|r| target(r).is_some_and(keep));
            if list.is_empty() {
                // As Smithy writes models: no empty binding lists.
                fields.shift_remove(field);
            }
        }
    };
    retain("operations", &|op| wanted.contains(op));
    retain("collectionOperations", &|op| wanted.contains(op));
    retain("resources", &|r| kept_resources.contains(r));
}

/// Endpoint tests stay whole, except for `operationInputs` naming an operation left out: they
/// are dropped, and so is the key when none is left (the test's `params` still apply).
fn prune_endpoint_tests(service: &mut Value, wanted: &BTreeSet<String>) {
    let Some(cases) = service
        .pointer_mut("/traits/smithy.rules#endpointTests/testCases")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let names: BTreeSet<&str> = wanted.iter().map(|op| short_name(op)).collect();
    for case in cases.iter_mut().filter_map(Value::as_object_mut) {
        let Some(Value::Array(inputs)) = case.get_mut("operationInputs") else {
            continue;
        };
        inputs.retain(|input| {
            input
                .get("operationName")
                .and_then(Value::as_str)
                .is_some_and(|name| names.contains(name))
        });
        if inputs.is_empty() {
            case.shift_remove("operationInputs");
        }
    }
}

/// Every shape a shape refers to, as (where the reference is, target).
fn references(id: &str, shape: &Value) -> Result<Vec<(String, String)>, Error> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |from: String, reference: &Value| -> Result<(), Error> {
        let t = target(reference).ok_or_else(|| {
            Error::invalid(
                &from,
                format!("expected a {{\"target\": ...}} reference, found {reference}"),
            )
        })?;
        out.push((from, t.to_owned()));
        Ok(())
    };
    let list = |field: &str| {
        shape
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    let named = |field: &str| {
        shape
            .get(field)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    };
    for mixin in list("mixins") {
        push(id.to_owned(), mixin)?;
    }
    match kind(shape) {
        "blob" | "boolean" | "string" | "byte" | "short" | "integer" | "long" | "float"
        | "double" | "bigInteger" | "bigDecimal" | "timestamp" | "document" => {}
        "structure" | "union" | "enum" | "intEnum" => {
            for (name, member) in named("members") {
                push(format!("{id}${name}"), member)?;
            }
        }
        "list" | "set" => {
            if let Some(m) = shape.get("member") {
                push(format!("{id}$member"), m)?;
            }
        }
        "map" => {
            for field in ["key", "value"] {
                if let Some(m) = shape.get(field) {
                    push(format!("{id}${field}"), m)?;
                }
            }
        }
        "operation" => {
            for field in ["input", "output"] {
                if let Some(io) = shape.get(field) {
                    push(id.to_owned(), io)?;
                }
            }
            for e in list("errors") {
                push(id.to_owned(), e)?;
            }
        }
        "resource" | "service" => {
            for field in ["identifiers", "properties"] {
                for (name, r) in named(field) {
                    push(format!("{id} {field} {name}"), r)?;
                }
            }
            for field in LIFECYCLE {
                if let Some(op) = shape.get(*field) {
                    push(id.to_owned(), op)?;
                }
            }
            for field in ["operations", "collectionOperations", "resources", "errors"] {
                for r in list(field) {
                    push(id.to_owned(), r)?;
                }
            }
        }
        other => {
            return Err(Error::UnsupportedShape {
                shape: id.to_owned(),
                kind: other.to_owned(),
            })
        }
    }
    Ok(out)
}

/// The ids of the traits applied to a shape and to its members.
fn applied_traits(shape: &Value) -> Vec<String> {
    let traits = |v: &Value| -> Vec<String> {
        v.get("traits")
            .and_then(Value::as_object)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut out = traits(shape);
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        out.extend(members.values().flat_map(traits));
    }
    for field in ["member", "key", "value"] {
        if let Some(m) = shape.get(field) {
            out.extend(traits(m));
        }
    }
    out
}
