//! Applying an overlay to a model: the project's own documentation and tests, kept apart from
//! what AWS publishes.
//!
//! The published model carries no documentation (the snapshot strips it) and none of this
//! project's protocol tests. Rather than editing a copy of it by hand, the project keeps them
//! in an overlay, itself a Smithy JSON AST document, and [`apply`] merges it into a slice.
//! The overlay uses Smithy's own form for adding traits to shapes defined elsewhere: shapes of
//! `"type": "apply"`, whose id names a shape (`ns#Shape`) or a member (`ns#Shape$member`).
//! Any other shape in the overlay is a new definition (such as a test trait and its shapes).
//!
//! A trait the target already has is merged by Smithy's trait conflict resolution: two lists
//! are concatenated, two equal values are one, and anything else is a conflict, reported with
//! the shape, the trait, the place inside it and both values. One extension: where both values
//! are objects, their members are merged by the same rules. That is how an overlay adds test
//! cases to `smithy.rules#endpointTests` and documentation to an endpoint parameter, which
//! are members of structure-valued traits. On every pair of values Smithy accepts, the
//! result is Smithy's.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::document::{shapes_of, with_shapes};
use crate::Error;

/// Returns `model` with `overlay` applied: its `apply` shapes merged into the shapes (and
/// members) they name, its other shapes added, its `metadata` merged. Shapes come out sorted by
/// id.
pub fn apply(model: &Value, overlay: &Value) -> Result<Value, Error> {
    let version = |doc: &Value| {
        let v = doc.get("smithy").and_then(Value::as_str).unwrap_or("");
        if v == "2" {
            "2.0".to_owned()
        } else {
            v.to_owned()
        }
    };
    if version(model) != version(overlay) {
        return Err(Error::invalid(
            "overlay",
            format!(
                "is Smithy {:?} but the model is Smithy {:?}; both must be the same version",
                version(overlay),
                version(model)
            ),
        ));
    }
    let mut shapes: BTreeMap<String, Value> = shapes_of(model)?
        .iter()
        .map(|(id, s)| (id.clone(), s.clone()))
        .collect();
    for (id, shape) in shapes_of(overlay)? {
        if shape.get("type").and_then(Value::as_str) == Some("apply") {
            apply_traits(&mut shapes, id, shape)?;
        } else {
            match shapes.get(id) {
                Some(existing) if existing != shape => {
                    return Err(Error::invalid(
                        id,
                        "is defined in both the model and the overlay, differently; an overlay adds traits to a model's shape with \"type\": \"apply\"",
                    ))
                }
                _ => {
                    shapes.insert(id.clone(), shape.clone());
                }
            }
        }
    }
    let mut out = with_shapes(model, shapes);
    if let Some(extra) = overlay.get("metadata").and_then(Value::as_object) {
        let doc = out.as_object_mut().expect("a model is an object");
        let metadata = doc
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(metadata) = metadata else {
            return Err(Error::Json(
                "the model's \"metadata\" is not an object".into(),
            ));
        };
        for (key, value) in extra {
            merge_into(metadata, key, value, &|path, a, b| {
                conflict("metadata", &format!("metadata key {key}"), path, a, b)
            })?;
        }
    }
    Ok(out)
}

/// Applies the `apply` shapes of a model to the model itself, as a Smithy loader does, so the
/// result holds only shape definitions.
pub fn resolve_applies(model: &Value) -> Result<Value, Error> {
    let shapes = shapes_of(model)?;
    let is_apply = |s: &Value| s.get("type").and_then(Value::as_str) == Some("apply");
    if !shapes.values().any(is_apply) {
        return Ok(model.clone());
    }
    let split = |want: bool| -> BTreeMap<String, Value> {
        shapes
            .iter()
            .filter(|(_, s)| is_apply(s) == want)
            .map(|(id, s)| (id.clone(), s.clone()))
            .collect()
    };
    let definitions = with_shapes(model, split(false));
    let mut applies = Map::new();
    applies.insert(
        "smithy".into(),
        model.get("smithy").cloned().unwrap_or(Value::Null),
    );
    applies.insert(
        "shapes".into(),
        Value::Object(split(true).into_iter().collect()),
    );
    apply(&definitions, &Value::Object(applies))
}

/// Merges the traits of one `apply` shape into the shape or member it names.
fn apply_traits(
    shapes: &mut BTreeMap<String, Value>,
    id: &str,
    apply: &Value,
) -> Result<(), Error> {
    let traits = match apply.get("traits") {
        Some(Value::Object(traits)) => traits,
        None => return Ok(()),
        Some(other) => {
            return Err(Error::invalid(
                id,
                format!("an apply's \"traits\" must be an object, found {other}"),
            ))
        }
    };
    let (shape_id, member) = match id.split_once('$') {
        Some((shape, member)) => (shape, Some(member)),
        None => (id, None),
    };
    let shape = shapes.get_mut(shape_id).ok_or_else(|| {
        Error::invalid(
            id,
            "the overlay applies traits to it, but the model has no such shape",
        )
    })?;
    let target = match member {
        None => shape,
        Some(member) => member_mut(shape, member).ok_or_else(|| {
            Error::invalid(
                id,
                format!("the overlay applies traits to it, but {shape_id} has no member {member}"),
            )
        })?,
    };
    let Value::Object(target) = target else {
        return Err(Error::invalid(id, "is not a JSON object"));
    };
    let existing = target
        .entry("traits")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(existing) = existing else {
        return Err(Error::invalid(id, "its \"traits\" is not an object"));
    };
    for (name, value) in traits {
        merge_into(existing, name, value, &|path, a, b| {
            conflict(id, name, path, a, b)
        })?;
    }
    Ok(())
}

/// The member `name` of a structure, union or enum, or a list's `member`, or a map's `key` or
/// `value`.
fn member_mut<'a>(shape: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    if shape.get("members").is_some() {
        return shape.get_mut("members")?.get_mut(name);
    }
    match name {
        "member" | "key" | "value" => shape.get_mut(name),
        _ => None,
    }
}

type Conflict<'a> = &'a dyn Fn(&str, &Value, &Value) -> Error;

/// Merges `value` into `map[key]` by the rules in the module docs.
fn merge_into(
    map: &mut Map<String, Value>,
    key: &str,
    value: &Value,
    on_conflict: Conflict,
) -> Result<(), Error> {
    match map.get_mut(key) {
        None => {
            map.insert(key.to_owned(), value.clone());
            Ok(())
        }
        Some(existing) => merge(existing, value, "", on_conflict),
    }
}

fn merge(
    existing: &mut Value,
    value: &Value,
    path: &str,
    on_conflict: Conflict,
) -> Result<(), Error> {
    match (existing, value) {
        (Value::Array(list), Value::Array(more)) => {
            list.extend(more.iter().cloned());
            Ok(())
        }
        (existing, value) if *existing == *value => Ok(()),
        (Value::Object(members), Value::Object(more)) => {
            for (key, value) in more {
                match members.get_mut(key) {
                    None => {
                        members.insert(key.clone(), value.clone());
                    }
                    Some(existing) => {
                        merge(existing, value, &format!("{path}/{key}"), on_conflict)?
                    }
                }
            }
            Ok(())
        }
        (existing, value) => Err(on_conflict(path, existing, value)),
    }
}

fn conflict(id: &str, name: &str, path: &str, model: &Value, overlay: &Value) -> Error {
    let at = if path.is_empty() {
        String::new()
    } else {
        format!(" at {path}")
    };
    Error::invalid(
        id,
        format!(
            "trait {name}{at}: the model has {} and the overlay {}; only lists concatenate and objects merge, other values must be equal",
            brief(model),
            brief(overlay)
        ),
    )
}

/// A value short enough for an error message.
fn brief(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
