//! Reading and rebuilding a Smithy JSON AST document as a `serde_json::Value`, shared by
//! [`crate::slice`] and [`crate::overlay`] (which uses neither of them).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Error;

/// The document's `shapes` object.
pub(crate) fn shapes_of(model: &Value) -> Result<&Map<String, Value>, Error> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::Json("the document has no \"shapes\" object".into()))
}

/// Returns `model` with its `shapes` replaced by `shapes` (sorted by id), every other
/// top-level key kept in place.
pub(crate) fn with_shapes(model: &Value, shapes: BTreeMap<String, Value>) -> Value {
    let mut out = Map::new();
    let mut shapes = Some(shapes);
    for (key, value) in model.as_object().into_iter().flatten() {
        if key == "shapes" {
            let sorted = shapes.take().unwrap_or_default().into_iter().collect();
            out.insert(key.clone(), Value::Object(sorted));
        } else {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}
