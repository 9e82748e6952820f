//! `smithy.rules#operationContextParams`: JMESPath paths over an operation's input that give
//! endpoint parameters, parsed and typed against the input's shapes.
//!
//! As smithy-rs does, the path is compiled into Rust over the typed input at generation time
//! (`emit::client`), so only the subset of JMESPath that the rules-engine specification allows
//! is accepted: identifiers and sub-expressions, `[*]` projections over lists, the flatten
//! operator `[]`, multi-select lists, and `keys(...)` over a map. Anything else is an error
//! naming the operation, the parameter and the path.

use std::collections::BTreeMap;

use jmespath::ast::Ast;

use super::{Shape, ShapeId, ShapeKind};
use crate::Error;

/// The trait's id.
pub const TRAIT: &str = "smithy.rules#operationContextParams";

/// One parameter bound by `smithy.rules#operationContextParams`.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationContextParam {
    /// The rule-set parameter's name.
    pub name: String,
    /// The path as the model writes it.
    pub path: String,
    /// The path, typed.
    pub expr: PathNode,
}

/// A typed path expression.
#[derive(Debug, Clone, PartialEq)]
pub struct PathNode {
    /// What it computes.
    pub expr: PathExpr,
    /// The type of its value (which may also be null).
    pub ty: PathType,
}

/// A path expression. Each evaluates to a value or to null; a null propagates.
#[derive(Debug, Clone, PartialEq)]
pub enum PathExpr {
    /// The value the enclosing expression is evaluated against: the input at the top, an
    /// element inside a projection, the selected value inside a multi-select list.
    Current,
    /// A member of a structure.
    Field {
        /// The structure.
        of: Box<PathNode>,
        /// The structure's shape id.
        structure: ShapeId,
        /// The member's name in the model.
        member: String,
    },
    /// `keys(map)`: the map's keys, as strings.
    Keys(Box<PathNode>),
    /// `list[*].each`: `each` evaluated against every element, its null results dropped.
    Project {
        /// The list.
        list: Box<PathNode>,
        /// Evaluated against each element (as [`PathExpr::Current`]).
        each: Box<PathNode>,
    },
    /// `list[]` where the elements are lists: their elements, one level flatter.
    Flatten(Box<PathNode>),
    /// `of.[a, b]`: a list of each item evaluated against `of` (null items kept).
    MultiList {
        /// The value the items are evaluated against.
        of: Box<PathNode>,
        /// The items.
        items: Vec<PathNode>,
    },
}

/// The type of a path's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathType {
    /// A string (a string or enum shape).
    Str,
    /// A boolean.
    Bool,
    /// A structure.
    Structure(ShapeId),
    /// A map (of that shape id).
    Map(ShapeId),
    /// A list whose elements (possibly null) have this type.
    List(Box<PathType>),
}

impl std::fmt::Display for PathType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathType::Str => f.write_str("a string"),
            PathType::Bool => f.write_str("a boolean"),
            PathType::Structure(id) => write!(f, "the structure {id}"),
            PathType::Map(id) => write!(f, "the map {id}"),
            PathType::List(item) => write!(f, "a list of {item}"),
        }
    }
}

/// The type of a value of the shape `id`, or why a path cannot select it.
pub fn shape_type(shapes: &BTreeMap<ShapeId, Shape>, id: &ShapeId) -> Result<PathType, String> {
    let shape = shapes
        .get(id)
        .ok_or_else(|| format!("{id} is not a shape of the model"))?;
    Ok(match &shape.kind {
        ShapeKind::String | ShapeKind::Enum(_) => PathType::Str,
        ShapeKind::Boolean => PathType::Bool,
        ShapeKind::Structure(_) => PathType::Structure(id.clone()),
        ShapeKind::Map { .. } => PathType::Map(id.clone()),
        ShapeKind::List { member, .. } => PathType::List(Box::new(shape_type(shapes, member)?)),
        _ => {
            return Err(format!(
                "it selects {id}, which is not a string, enum, boolean, structure, list or map"
            ))
        }
    })
}

/// Parses and types `path` over the input structure `input`.
pub fn lower(
    shapes: &BTreeMap<ShapeId, Shape>,
    op: &str,
    name: &str,
    path: &str,
    input: &ShapeId,
) -> Result<PathNode, Error> {
    let fail = |problem: String| {
        Error::bad_trait(
            op,
            TRAIT,
            format!("parameter {name}: path {path:?}: {problem}"),
        )
    };
    let ast = jmespath::parse(path).map_err(|e| fail(format!("is not JMESPath: {e}")))?;
    let current = PathNode {
        expr: PathExpr::Current,
        ty: PathType::Structure(input.clone()),
    };
    lower_ast(shapes, &ast, current).map_err(fail)
}

fn lower_ast(
    shapes: &BTreeMap<ShapeId, Shape>,
    ast: &Ast,
    current: PathNode,
) -> Result<PathNode, String> {
    Ok(match ast {
        Ast::Identity { .. } => current,
        Ast::Field { name, .. } => {
            let PathType::Structure(id) = &current.ty else {
                return Err(format!(
                    "selects {name:?} from {}, which is not a structure",
                    current.ty
                ));
            };
            let ShapeKind::Structure(structure) = &shapes[id].kind else {
                return Err(format!("{id} is not a structure"));
            };
            let member = structure
                .members
                .iter()
                .find(|m| &m.name == name)
                .ok_or_else(|| format!("{id} has no member {name:?}"))?;
            let ty = shape_type(shapes, &member.target)?;
            PathNode {
                expr: PathExpr::Field {
                    structure: id.clone(),
                    of: Box::new(current),
                    member: name.clone(),
                },
                ty,
            }
        }
        Ast::Subexpr { lhs, rhs, .. } => {
            let lhs = lower_ast(shapes, lhs, current)?;
            lower_ast(shapes, rhs, lhs)?
        }
        Ast::Projection { lhs, rhs, .. } => {
            let list = lower_ast(shapes, lhs, current)?;
            let PathType::List(item) = &list.ty else {
                return Err(format!(
                    "projects over {}, which is not a list (only `[*]` over a list is supported)",
                    list.ty
                ));
            };
            let each = lower_ast(
                shapes,
                rhs,
                PathNode {
                    expr: PathExpr::Current,
                    ty: (**item).clone(),
                },
            )?;
            // `list[*]` alone is the list, without its nulls.
            let ty = PathType::List(Box::new(each.ty.clone()));
            PathNode {
                expr: PathExpr::Project {
                    list: Box::new(list),
                    each: Box::new(each),
                },
                ty,
            }
        }
        Ast::Flatten { node, .. } => {
            let list = lower_ast(shapes, node, current)?;
            match &list.ty {
                PathType::List(item) => match item.as_ref() {
                    PathType::List(inner) => {
                        let ty = PathType::List(inner.clone());
                        PathNode {
                            expr: PathExpr::Flatten(Box::new(list)),
                            ty,
                        }
                    }
                    // A list of other values is already flat.
                    _ => list,
                },
                other => return Err(format!("flattens {other}, which is not a list")),
            }
        }
        Ast::MultiList { elements, .. } => {
            if matches!(current.ty, PathType::List(_)) {
                return Err(format!(
                    "a multi-select list over {} is not supported (only over a structure)",
                    current.ty
                ));
            }
            let item_current = PathNode {
                expr: PathExpr::Current,
                ty: current.ty.clone(),
            };
            let items = elements
                .iter()
                .map(|e| lower_ast(shapes, e, item_current.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            let Some(first) = items.first() else {
                return Err("an empty multi-select list".to_owned());
            };
            let item_ty = first.ty.clone();
            if let Some(other) = items.iter().find(|i| i.ty != item_ty) {
                return Err(format!(
                    "a multi-select list mixes {item_ty} and {} (its items must have one type)",
                    other.ty
                ));
            }
            PathNode {
                expr: PathExpr::MultiList {
                    of: Box::new(current),
                    items,
                },
                ty: PathType::List(Box::new(item_ty)),
            }
        }
        Ast::Function { name, args, .. } if name == "keys" => {
            let [arg] = args.as_slice() else {
                return Err(format!("keys takes one argument, got {}", args.len()));
            };
            let map = lower_ast(shapes, arg, current)?;
            if !matches!(map.ty, PathType::Map(_)) {
                return Err(format!(
                    "keys of {}, which is not a map (only a map's keys are supported)",
                    map.ty
                ));
            }
            PathNode {
                expr: PathExpr::Keys(Box::new(map)),
                ty: PathType::List(Box::new(PathType::Str)),
            }
        }
        Ast::Function { name, .. } => {
            return Err(format!(
                "the function {name}() is not supported (only keys() is)"
            ))
        }
        other => {
            return Err(format!(
                "{} is not supported (only identifiers, sub-expressions, `[*]`, `[]`, multi-select lists and keys() are)",
                construct(other)
            ))
        }
    })
}

/// What a JMESPath construct is called, for an error.
fn construct(ast: &Ast) -> &'static str {
    match ast {
        Ast::Comparison { .. } => "a comparison",
        Ast::Condition { .. } => "a filter expression",
        Ast::Identity { .. } => "`@`",
        Ast::Expref { .. } => "an expression reference",
        Ast::Flatten { .. } => "a flatten",
        Ast::Function { .. } => "a function",
        Ast::Field { .. } => "an identifier",
        Ast::Index { .. } => "an index expression",
        Ast::Literal { .. } => "a literal",
        Ast::MultiList { .. } => "a multi-select list",
        Ast::MultiHash { .. } => "a multi-select hash",
        Ast::Not { .. } => "a not expression",
        Ast::Projection { .. } => "a projection",
        Ast::ObjectValues { .. } => "an object wildcard `*`",
        Ast::And { .. } => "an and expression",
        Ast::Or { .. } => "an or expression",
        Ast::Slice { .. } => "a slice",
        Ast::Subexpr { .. } => "a sub-expression",
    }
}
