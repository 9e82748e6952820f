//! `smithy.rules#operationContextParams` paths compiled to Rust over the typed input, as
//! smithy-rs compiles them (its `RustJmespathShapeTraversalGenerator`).
//!
//! Every value is an `Option` (`None` is JMESPath's null): a string is a `&str`, a boolean a
//! `bool`, a structure or map a reference to it, and a list a `Vec` of `Option`s of its
//! elements (a multi-select list keeps its null items; a projection drops them).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{ident, Ctx};
use crate::model::{OperationContextParam, PathExpr, PathNode, ShapeId, ShapeKind};
use crate::rules::{ParamType, Parameter};

/// `fn <param>_from_input(input: &Input) -> Option<T>`: the parameter's value, or `None` when
/// the path selects nothing.
pub fn function(
    cx: &Ctx,
    param: &OperationContextParam,
    p: &Parameter,
    input: &Ident,
) -> TokenStream {
    let name = format_ident!("{}_from_input", p.field);
    let doc = format!(
        " The `{}` endpoint parameter: `{}` over the input (`smithy.rules#operationContextParams`).",
        param.name, param.path
    );
    let mut names = Names(0);
    let value = expr(
        cx,
        &param.expr,
        &quote!(::std::option::Option::Some(input)),
        &mut names,
    );
    let (ty, body) = match p.ty {
        ParamType::String => (
            quote!(::std::string::String),
            quote!(#value.map(::std::borrow::ToOwned::to_owned)),
        ),
        ParamType::Boolean => (quote!(bool), value),
        // A null item (a multi-select list's member that is unset) leaves the parameter
        // unset, as the official crate's `?` does.
        ParamType::StringArray => (
            quote!(::std::vec::Vec<::std::string::String>),
            quote! {
                #value.and_then(|items| {
                    items
                        .into_iter()
                        .map(|item| item.map(::std::borrow::ToOwned::to_owned))
                        .collect::<::std::option::Option<::std::vec::Vec<_>>>()
                })
            },
        ),
    };
    quote! {
        #[doc = #doc]
        fn #name(input: &#input) -> ::std::option::Option<#ty> {
            #body
        }
    }
}

/// Fresh closure parameter names.
struct Names(usize);

impl Names {
    fn next(&mut self, stem: &str) -> Ident {
        self.0 += 1;
        format_ident!("{}_{}", stem, self.0)
    }
}

/// The node as an `Option` expression; `current` is the `Option` its `Current` stands for.
fn expr(cx: &Ctx, node: &PathNode, current: &TokenStream, names: &mut Names) -> TokenStream {
    match &node.expr {
        PathExpr::Current => current.clone(),
        PathExpr::Field {
            of,
            structure,
            member,
        } => {
            let of = expr(cx, of, current, names);
            field(cx, of, structure, member, names)
        }
        PathExpr::Keys(map) => {
            let map = expr(cx, map, current, names);
            let (m, k) = (names.next("map"), names.next("key"));
            quote! {
                #map.map(|#m| {
                    #m.keys()
                        .map(|#k| ::std::option::Option::Some(#k.as_str()))
                        .collect::<::std::vec::Vec<_>>()
                })
            }
        }
        PathExpr::Project { list, each } => {
            let list = expr(cx, list, current, names);
            let (items, item) = (names.next("items"), names.next("item"));
            // `list[*]` (or `list[]`) alone: the elements without the nulls.
            let each = match each.expr {
                PathExpr::Current => quote!(.flatten()),
                _ => {
                    let each = expr(cx, each, &quote!(#item), names);
                    quote!(.filter_map(|#item| #each))
                }
            };
            quote! {
                #list.map(|#items| {
                    #items
                        .into_iter()
                        #each
                        .map(::std::option::Option::Some)
                        .collect::<::std::vec::Vec<_>>()
                })
            }
        }
        PathExpr::Flatten(list) => {
            let list = expr(cx, list, current, names);
            let (items, item) = (names.next("items"), names.next("item"));
            // A null element stays one null element, as JMESPath's flatten keeps it.
            quote! {
                #list.map(|#items| {
                    #items
                        .into_iter()
                        .flat_map(|#item| #item.unwrap_or_else(|| ::std::vec![::std::option::Option::None]))
                        .collect::<::std::vec::Vec<_>>()
                })
            }
        }
        PathExpr::MultiList { of, items } => {
            let of = expr(cx, of, current, names);
            let v = names.next("value");
            let items = items
                .iter()
                .map(|i| expr(cx, i, &quote!(::std::option::Option::Some(#v)), names))
                .collect::<Vec<_>>();
            quote!(#of.map(|#v| ::std::vec![#(#items),*]))
        }
    }
}

/// A structure member of `of`, converted to the path's representation.
fn field(
    cx: &Ctx,
    of: TokenStream,
    structure: &ShapeId,
    member: &str,
    names: &mut Names,
) -> TokenStream {
    let m = cx
        .model
        .structure(structure)
        .members
        .iter()
        .find(|m| m.name == member)
        .expect("checked when lowered");
    let f = ident(&m.field);
    let s = names.next("structure");
    if m.nullable && matches!(cx.model.shape(&m.target).kind, ShapeKind::Boolean) {
        // A boolean is `Copy`: the member's `Option<bool>` is the value.
        quote!(#of.and_then(|#s| #s.#f))
    } else if m.nullable {
        let x = names.next("member");
        let get = if m.boxed {
            quote!(#of.and_then(|#s| #s.#f.as_deref()))
        } else {
            quote!(#of.and_then(|#s| #s.#f.as_ref()))
        };
        match convert(cx, &m.target, &quote!(#x), true, names) {
            None => get,
            Some(conv) => quote!(#get.map(|#x| #conv)),
        }
    } else if m.boxed {
        quote!(#of.map(|#s| &*#s.#f))
    } else {
        let conv =
            convert(cx, &m.target, &quote!(#s.#f), false, names).unwrap_or_else(|| quote!(&#s.#f));
        quote!(#of.map(|#s| #conv))
    }
}

/// A value of `shape` at `place` (a reference when `is_ref`) in the path's representation, or
/// `None` when the reference is that representation already (a structure or map reference).
fn convert(
    cx: &Ctx,
    shape: &ShapeId,
    place: &TokenStream,
    is_ref: bool,
    names: &mut Names,
) -> Option<TokenStream> {
    match &cx.model.shape(shape).kind {
        ShapeKind::String | ShapeKind::Enum(_) => Some(quote!(#place.as_str())),
        ShapeKind::Boolean if is_ref => Some(quote!(*#place)),
        ShapeKind::Boolean => Some(quote!(#place)),
        ShapeKind::List { member, .. } => {
            let e = names.next("element");
            let each = match convert(cx, member, &quote!(#e), true, names) {
                Some(conv) => quote!(.map(|#e| ::std::option::Option::Some(#conv))),
                None => quote!(.map(::std::option::Option::Some)),
            };
            Some(quote!(#place.iter() #each .collect::<::std::vec::Vec<_>>()))
        }
        _ if is_ref => None,
        _ => Some(quote!(&#place)),
    }
}
