//! Stage 1: the Smithy JSON AST, read with serde exactly as it is written.
//!
//! Nothing here is interpreted: trait values stay `serde_json::Value` until lowering gives
//! them meaning. Unknown shape fields are tolerated here and rejected during lowering,
//! where the error can name the shape.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A whole Smithy JSON AST document.
#[derive(Debug, Deserialize)]
pub struct Document {
    /// The IDL version (`"2.0"`).
    pub smithy: String,
    /// Shapes by absolute shape id, in id order.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

/// A reference to another shape (`{"target": "ns#Name"}`).
#[derive(Debug, Deserialize, Clone)]
pub struct Target {
    /// The absolute id of the referenced shape.
    pub target: String,
}

/// A member of a structure, list, map, enum or union.
#[derive(Debug, Deserialize, Clone)]
pub struct Member {
    /// The absolute id of the member's target.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// Any shape. Which fields are meaningful depends on `kind`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The shape type: `structure`, `string`, `service`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Traits applied to the shape.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    /// Structure, union and enum members, in declaration order.
    #[serde(default)]
    pub members: Option<serde_json::Map<String, Value>>,
    /// A list's member.
    #[serde(default)]
    pub member: Option<Member>,
    /// A map's key.
    #[serde(default)]
    pub key: Option<Member>,
    /// A map's value.
    #[serde(default)]
    pub value: Option<Member>,
    /// A service's version.
    #[serde(default)]
    pub version: Option<String>,
    /// A service's or resource's operations.
    #[serde(default)]
    pub operations: Vec<Target>,
    /// A service's or resource's resources.
    #[serde(default)]
    pub resources: Vec<Target>,
    /// A resource's lifecycle operations.
    #[serde(default)]
    pub create: Option<Target>,
    /// A resource's `put` lifecycle operation.
    #[serde(default)]
    pub put: Option<Target>,
    /// A resource's `read` lifecycle operation.
    #[serde(default)]
    pub read: Option<Target>,
    /// A resource's `update` lifecycle operation.
    #[serde(default)]
    pub update: Option<Target>,
    /// A resource's `delete` lifecycle operation.
    #[serde(default)]
    pub delete: Option<Target>,
    /// A resource's `list` lifecycle operation.
    #[serde(default)]
    pub list: Option<Target>,
    /// A resource's operations on its collection rather than on an instance.
    #[serde(default)]
    pub collection_operations: Vec<Target>,
    /// An operation's input.
    #[serde(default)]
    pub input: Option<Target>,
    /// An operation's output.
    #[serde(default)]
    pub output: Option<Target>,
    /// An operation's (or service's) errors.
    #[serde(default)]
    pub errors: Vec<Target>,
}

/// Parses a JSON AST document.
pub fn parse(json: &str) -> Result<Document, crate::Error> {
    serde_json::from_str(json).map_err(|e| crate::Error::Json(e.to_string()))
}

/// Reads the members of a structure or enum, keeping their declaration order.
pub fn members(
    shape_id: &str,
    raw: &serde_json::Map<String, Value>,
) -> Result<Vec<(String, Member)>, crate::Error> {
    raw.iter()
        .map(|(name, value)| {
            serde_json::from_value::<Member>(value.clone())
                .map(|m| (name.clone(), m))
                .map_err(|e| crate::Error::invalid(format!("{shape_id}${name}"), e.to_string()))
        })
        .collect()
}
