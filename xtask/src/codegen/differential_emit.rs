//! The per-operation differential harness's glue for one model: a test concern, so it lives
//! in xtask rather than in the published generator, and reads the generator's model.
//!
//! `tests/` compares a generated client with the official `aws-sdk-redshiftserverless`
//! operation by operation (`redshift_serverless_conformance::operations`). That harness is
//! model-independent; what it needs per model is emitted here, into one test module:
//!
//! - `SCHEMA`, the model as a static table (shapes with wire names and constraints,
//!   operations with errors and pagination) from which the harness derives proptest
//!   strategies and the value a correct client reads;
//! - for each crate, `mod ours` and `mod official`, the same text with a different crate
//!   root: a `Caller` that sends an operation from JSON input and reduces the result, and
//!   `FromJson` / `ToJson` for each structure, union and enum the operations reach;
//! - one `#[test]` per operation, in a second file (the `differential_operations` test).
//!
//! The two modules are one token stream printed twice, so the glue cannot favour either
//! crate, and it compiles only if both crates have the same API for every shape (the
//! drop-in promise, checked for the whole model). Nothing here is part of a generated
//! client; `cargo xtask codegen` writes it into the conformance crate.
//!
//! A `@paginated` token or items path must name a top-level member: the harness's page
//! scripts set and count those; a nested path is an error naming the operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use redshift_serverless_codegen::emit::{ident, Ctx, Files};
use redshift_serverless_codegen::model::{
    Constraints, Member, Model, Operation, ShapeId, ShapeKind, StructureRole, TimestampFormat,
};
use redshift_serverless_codegen::Error;

/// The client under test the glue is generated for.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    /// The schema's name in reports and messages (`slice`, `full-service`).
    pub name: &'a str,
    /// The glue's module under the conformance crate's `glue` module (`slice`).
    pub module: &'a str,
    /// The path of the generated client crate (`redshift_serverless_client`).
    pub ours_crate: &'a str,
    /// A function `fn(&Setup) -> Client` for our client.
    pub ours_client: &'a str,
    /// A function `fn(&Setup) -> Client` for the official client.
    pub official_client: &'a str,
}

/// The official crate's path.
const OFFICIAL_CRATE: &str = "aws_sdk_redshiftserverless";

/// Emits the glue for `model` as the file `glue_path` (a module of the conformance
/// library, where its trait impls are local) and one `#[test]` per operation as the file
/// `tests_path` (a module of the `differential_operations` test).
pub fn emit(
    cx: &Ctx<'_>,
    settings: &Target<'_>,
    glue_path: &str,
    tests_path: &str,
    files: &mut Files,
) -> Result<(), Error> {
    let model = cx.model;
    let index = ShapeIndex::new(model);
    let schema = schema(model, settings, &index)?;
    let ours = glue(cx, &path_tokens(settings.ours_crate));
    let official = glue(cx, &path_tokens(OFFICIAL_CRATE));
    let ours_client = path_tokens(settings.ours_client);
    let official_client = path_tokens(settings.official_client);
    let doc = [
        format!(
            " Differential glue for `{}`: the model as a table, and both crates reached by",
            settings.name
        ),
        " operation name (see `crate::operations`).".to_owned(),
    ];
    files.add(
        glue_path,
        quote! {
            #(#![doc = #doc])*
            // The glue reaches every member and operation, deprecated ones too.
            #![allow(deprecated)]
            use crate::clients::Setup;
            use crate::operations::Sides;
            use crate::schema::*;

            // This module's own conversion traits, implemented below for both crates.
            crate::conversions!();

            #schema

            /// Both clients, configured from `setup`.
            pub fn sides(setup: &Setup) -> Sides {
                Sides {
                    ours: ::std::boxed::Box::new(ours::Client(#ours_client(setup))),
                    official: ::std::boxed::Box::new(official::Client(#official_client(setup))),
                }
            }

            /// This workspace's client.
            pub mod ours {
                #ours
            }

            /// `aws-sdk-redshiftserverless`.
            pub mod official {
                #official
            }
        },
    )?;
    let module = ident(settings.module);
    let tests = model.operations.iter().map(|op| {
        let f = ident(&op.names.snake);
        let name = &op.id.name;
        quote! {
            #[test]
            fn #f() {
                check_operation(&SCHEMA, #name, sides);
            }
        }
    });
    let doc = format!(" Every operation of `{}`, both crates.", settings.name);
    files.add(
        tests_path,
        quote! {
            #![doc = #doc]
            use redshift_serverless_conformance::glue::#module::{sides, SCHEMA};
            use redshift_serverless_conformance::operations::check_operation;

            #(#tests)*
        },
    )
}

/// A path as written (`crate::clients::ours`), or from the root for a crate name.
fn path_tokens(path: &str) -> TokenStream {
    match path.strip_prefix("crate::") {
        Some(rest) => {
            let segments = rest.split("::").map(ident);
            quote!(crate::#(#segments)::*)
        }
        None => {
            let segments = path.split("::").map(ident);
            quote!(::#(#segments)::*)
        }
    }
}

// ---------------------------------------------------------------------------------------
// The schema table
// ---------------------------------------------------------------------------------------

/// Shapes in the order of the table, so members can refer to them by index.
struct ShapeIndex<'m> {
    ids: Vec<&'m ShapeId>,
}

impl<'m> ShapeIndex<'m> {
    fn new(model: &'m Model) -> Self {
        ShapeIndex {
            ids: model.shapes.keys().collect(),
        }
    }

    /// The index of `id`, as an unsuffixed literal.
    fn of(&self, id: &ShapeId) -> Literal {
        let i = self
            .ids
            .binary_search(&id)
            .unwrap_or_else(|_| panic!("{id} is in the model"));
        Literal::usize_unsuffixed(i)
    }
}

fn schema(
    model: &Model,
    settings: &Target<'_>,
    index: &ShapeIndex<'_>,
) -> Result<TokenStream, Error> {
    let mut shapes = Vec::new();
    for id in &index.ids {
        let shape = model.shape(id);
        let kind = kind(model, &shape.kind, &shape.constraints, index).map_err(|e| match e {
            // `kind` sees no shape id; the error names the shape here.
            Error::Invalid { problem, .. } => Error::Invalid {
                shape: id.to_string(),
                problem,
            },
            other => other,
        })?;
        let id = id.to_string();
        shapes.push(quote!(Shape::new(#id, #kind)));
    }
    let operations = model
        .operations
        .iter()
        .map(|op| operation(model, op, index))
        .collect::<Result<Vec<_>, _>>()?;
    let name = settings.name;
    let prefix = &model.service.target_prefix;
    let content_type = model.service.protocol.content_type();
    Ok(quote! {
        /// The model, as the harness reads it: shapes by index, then operations.
        pub static SCHEMA: Schema = Schema {
            name: #name,
            target_prefix: #prefix,
            content_type: #content_type,
            shapes: &[#(#shapes),*],
            operations: &[#(#operations),*],
        };
    })
}

fn length(bounds: (Option<u64>, Option<u64>)) -> TokenStream {
    let min = bounds.0.map(|n| {
        let n = Literal::u64_unsuffixed(n);
        quote!(.min(#n))
    });
    let max = bounds.1.map(|n| {
        let n = Literal::u64_unsuffixed(n);
        quote!(.max(#n))
    });
    quote!(Length::NONE #min #max)
}

fn range(bounds: &(Option<serde_json::Number>, Option<serde_json::Number>)) -> TokenStream {
    let f = |n: &Option<serde_json::Number>| {
        n.as_ref()
            .and_then(serde_json::Number::as_f64)
            .map(Literal::f64_unsuffixed)
    };
    let min = f(&bounds.0).map(|n| quote!(.min(#n)));
    let max = f(&bounds.1).map(|n| quote!(.max(#n)));
    quote!(Range::NONE #min #max)
}

fn optional_range(c: &Constraints) -> TokenStream {
    match &c.range {
        Some(r) => range(r),
        None => quote!(Range::NONE),
    }
}

fn format_token(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => quote!(TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(TimestampFormat::HttpDate),
    }
}

fn kind(
    _model: &Model,
    kind: &ShapeKind,
    c: &Constraints,
    index: &ShapeIndex<'_>,
) -> Result<TokenStream, Error> {
    let string_rules = |values: Option<TokenStream>| {
        let length = c.length.map(|l| {
            let l = length(l);
            quote!(.length(#l))
        });
        let pattern = c.pattern.as_ref().map(|p| quote!(.pattern(#p)));
        let values = values.map(|v| quote!(.values(&[#v])));
        quote!(StringRules::PLAIN #length #pattern #values)
    };
    let collection_length = || length(c.length.unwrap_or((None, None)));
    Ok(match kind {
        ShapeKind::Structure(s) => {
            let members = s.members.iter().map(|m| member(m, index));
            quote!(Kind::Structure(&[#(#members),*]))
        }
        ShapeKind::Union(variants) => {
            if let Some(unit) = variants.iter().find(|v| v.unit) {
                return Err(Error::Invalid {
                    shape: format!(
                        "a union member targeting smithy.api#Unit ({})",
                        unit.member.name
                    ),
                    problem: "the differential harness generates no unit union members yet".into(),
                });
            }
            let members = variants.iter().map(|v| member(&v.member, index));
            quote!(Kind::Union(&[#(#members),*]))
        }
        ShapeKind::List { sparse: true, .. } | ShapeKind::Map { sparse: true, .. } => {
            return Err(Error::Invalid {
                shape: "a @sparse list or map".into(),
                problem: "the differential harness generates no sparse collections yet".into(),
            })
        }
        ShapeKind::List {
            member,
            unique_items,
            sparse: false,
        } => {
            let member = index.of(member);
            let length = collection_length();
            quote!(Kind::List { member: #member, length: #length, unique: #unique_items })
        }
        ShapeKind::Map {
            key,
            value,
            sparse: false,
        } => {
            let (key, value) = (index.of(key), index.of(value));
            let length = collection_length();
            quote!(Kind::Map { key: #key, value: #value, length: #length })
        }
        ShapeKind::String => {
            let rules = string_rules(None);
            quote!(Kind::String(#rules))
        }
        ShapeKind::Enum(variants) => {
            let values = variants.iter().map(|v| &v.value);
            let rules = string_rules(Some(quote!(#(#values),*)));
            quote!(Kind::String(#rules))
        }
        ShapeKind::IntEnum(variants) => {
            let values = variants.iter().map(|v| v.value);
            quote!(Kind::IntEnum(&[#(#values),*]))
        }
        ShapeKind::Boolean => quote!(Kind::Boolean),
        ShapeKind::Document => {
            return Err(Error::Invalid {
                shape: "a document shape".into(),
                problem: "the differential harness generates no document values yet".into(),
            })
        }
        ShapeKind::Integer => {
            let r = optional_range(c);
            quote!(Kind::Integer(#r))
        }
        ShapeKind::Long => {
            let r = optional_range(c);
            quote!(Kind::Long(#r))
        }
        ShapeKind::Float => {
            let r = optional_range(c);
            quote!(Kind::Float(#r))
        }
        ShapeKind::Double => {
            let r = optional_range(c);
            quote!(Kind::Double(#r))
        }
        ShapeKind::Timestamp(f) => {
            let f = format_token(f.unwrap_or(TimestampFormat::EpochSeconds));
            quote!(Kind::Timestamp(#f))
        }
        ShapeKind::Blob => {
            let length = collection_length();
            quote!(Kind::Blob(#length))
        }
    })
}

fn member(m: &Member, index: &ShapeIndex<'_>) -> TokenStream {
    let name = &m.wire_name;
    let target = index.of(&m.target);
    let required = m.required.then(|| quote!(.required()));
    let token = m.idempotency_token.then(|| quote!(.idempotency_token()));
    let default = m.default.as_ref().map(|d| {
        let text = d.to_string();
        quote!(.default(#text))
    });
    let format = m.timestamp_format.map(|f| {
        let f = format_token(f);
        quote!(.timestamp(#f))
    });
    let c = &m.constraints;
    let length = c.length.map(|l| {
        let l = length(l);
        quote!(.length(#l))
    });
    let pattern = c.pattern.as_ref().map(|p| quote!(.pattern(#p)));
    let range = c.range.as_ref().map(|r| {
        let r = range(r);
        quote!(.range(#r))
    });
    quote!(Member::new(#name, #target) #required #token #default #format #length #pattern #range)
}

fn operation(model: &Model, op: &Operation, index: &ShapeIndex<'_>) -> Result<TokenStream, Error> {
    let name = &op.id.name;
    let (input, output) = (index.of(&op.input), index.of(&op.output));
    let errors = op.errors.iter().map(|e| {
        let code = &e.name;
        let status = match &model.structure(e).role {
            StructureRole::Error(info) => info.http_status,
            _ => 400,
        };
        let status = Literal::u16_unsuffixed(status);
        let shape = index.of(e);
        quote!(ErrorShape { code: #code, status: #status, shape: #shape })
    });
    let pagination = match &op.pagination {
        None => quote!(::std::option::Option::None),
        Some(p) => {
            let input_token = &p.input_token;
            let output_token = single(op, "outputToken", &p.output_token)?;
            let items = match &p.items {
                Some(path) => {
                    let m = single(op, "items", path)?;
                    quote!(::std::option::Option::Some(#m))
                }
                None => quote!(::std::option::Option::None),
            };
            let page_size = match &p.page_size {
                Some(m) => quote!(::std::option::Option::Some(#m)),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                ::std::option::Option::Some(Pagination {
                    input_token: #input_token,
                    output_token: #output_token,
                    items: #items,
                    page_size: #page_size,
                })
            }
        }
    };
    Ok(quote! {
        Operation {
            name: #name,
            input: #input,
            output: #output,
            errors: &[#(#errors),*],
            pagination: #pagination,
        }
    })
}

/// A `@paginated` member path of one member (the harness reads no nested paths).
fn single<'p>(op: &Operation, what: &str, path: &'p [String]) -> Result<&'p str, Error> {
    match path {
        [one] => Ok(one),
        _ => Err(Error::Invalid {
            shape: op.id.to_string(),
            problem: format!(
                "@paginated {what} `{}`: the differential harness reads top-level members only",
                path.join(".")
            ),
        }),
    }
}

// ---------------------------------------------------------------------------------------
// The glue, once per crate
// ---------------------------------------------------------------------------------------

/// The Rust path of a named shape under `root` (a client crate).
fn type_path(cx: &Ctx<'_>, root: &TokenStream, id: &ShapeId) -> TokenStream {
    let module = cx.module_in(root, id);
    let name = ident(&cx.model.shape(id).names.rust_type);
    quote!(#module::#name)
}

fn glue(cx: &Ctx<'_>, root: &TokenStream) -> TokenStream {
    let model = cx.model;
    let from = from_json_impls(cx, root, &model.input_shapes());
    let to = to_json_impls(cx, root, &model.output_shapes());
    let caller = caller(cx, root);
    let error_fns = error_fns(cx, root);
    let FromJsonImpls {
        impls: from_impls,
        infallible,
        uses_from_json,
        uses_variant,
    } = from;
    let ToJsonImpls {
        impls: to_impls,
        uses_one,
    } = to;
    let impls = from_impls.into_iter().chain(to_impls);
    // Import only what this model's glue uses, so the module has no unused imports.
    let from_json = (!infallible.is_empty() || uses_from_json).then(|| quote!(FromJson,));
    let into_built = (!infallible.is_empty()).then(|| quote!(IntoBuilt,));
    let one = uses_one.then(|| quote!(one, unknown_variant,));
    let variant = uses_variant.then(|| quote!(variant,));
    let infallible =
        (!infallible.is_empty()).then(|| quote!(crate::infallible_build!(#(#infallible),*);));
    quote! {
        use super::{opt, put, #from_json #into_built ToJson};
        use crate::json::{members, #one #variant};
        use crate::operations::{Called, Caller};
        use serde_json::{Map, Value};
        use tokio::runtime::Runtime;

        #caller

        #error_fns

        #infallible

        #(#impls)*
    }
}

/// The `FromJson` impls of the shapes inputs reach, and what they use (so the module imports
/// exactly that).
#[derive(Default)]
struct FromJsonImpls {
    impls: Vec<TokenStream>,
    /// Structures whose builder cannot fail (`infallible_build!`).
    infallible: Vec<TokenStream>,
    uses_from_json: bool,
    uses_variant: bool,
}

fn from_json_impls(
    cx: &Ctx<'_>,
    root: &TokenStream,
    inputs: &std::collections::BTreeSet<ShapeId>,
) -> FromJsonImpls {
    let model = cx.model;
    let FromJsonImpls {
        mut impls,
        mut infallible,
        mut uses_from_json,
        mut uses_variant,
    } = FromJsonImpls::default();
    for id in inputs {
        let path = type_path(cx, root, id);
        match &model.shape(id).kind {
            ShapeKind::Structure(s) if s.role == StructureRole::Plain => {
                let sets = s.members.iter().map(|m| {
                    let set = format_ident!("set_{}", m.field);
                    let wire = &m.wire_name;
                    quote!(.#set(opt(members(v).get(#wire))))
                });
                impls.push(quote! {
                    impl FromJson for #path {
                        fn from_json(v: &Value) -> Self {
                            Self::builder() #(#sets)* .build().into_built()
                        }
                    }
                });
                infallible.push(path);
            }
            ShapeKind::Union(variants) => {
                uses_from_json = true;
                uses_variant = true;
                let arms = variants.iter().map(|var| {
                    let wire = &var.member.wire_name;
                    let name = ident(&var.rust_name);
                    quote!(#wire => Self::#name(FromJson::from_json(value)),)
                });
                impls.push(quote! {
                    impl FromJson for #path {
                        fn from_json(v: &Value) -> Self {
                            let (member, value) = variant(v);
                            match member {
                                #(#arms)*
                                other => panic!("generated a union member {other} the model does not have"),
                            }
                        }
                    }
                });
            }
            ShapeKind::Enum(_) => {
                uses_from_json = true;
                impls.push(quote! {
                    impl FromJson for #path {
                        fn from_json(v: &Value) -> Self {
                            Self::from(<::std::string::String as FromJson>::from_json(v).as_str())
                        }
                    }
                });
            }
            ShapeKind::IntEnum(_) => {
                uses_from_json = true;
                impls.push(quote! {
                    impl FromJson for #path {
                        fn from_json(v: &Value) -> Self {
                            Self::from(<i32 as FromJson>::from_json(v))
                        }
                    }
                });
            }
            _ => {}
        }
    }
    FromJsonImpls {
        impls,
        infallible,
        uses_from_json,
        uses_variant,
    }
}

/// The `ToJson` impls of the shapes outputs and errors reach, and whether they use `one`.
struct ToJsonImpls {
    impls: Vec<TokenStream>,
    uses_one: bool,
}

fn to_json_impls(
    cx: &Ctx<'_>,
    root: &TokenStream,
    outputs: &std::collections::BTreeSet<ShapeId>,
) -> ToJsonImpls {
    let model = cx.model;
    let mut impls = Vec::new();
    let mut uses_one = false;
    for id in outputs {
        let path = type_path(cx, root, id);
        match &model.shape(id).kind {
            ShapeKind::Structure(s) => {
                let puts = s.members.iter().map(|m| {
                    let field = ident(&m.field);
                    let wire = &m.wire_name;
                    quote!(put(&mut m, #wire, &self.#field);)
                });
                let body = if s.members.is_empty() {
                    quote!(Value::Object(Map::new()))
                } else {
                    quote! {
                        let mut m = Map::new();
                        #(#puts)*
                        Value::Object(m)
                    }
                };
                impls.push(quote! {
                    impl ToJson for #path {
                        fn to_json(&self) -> Value {
                            #body
                        }
                    }
                });
            }
            ShapeKind::Union(variants) => {
                uses_one = true;
                let arms = variants.iter().map(|var| {
                    let wire = &var.member.wire_name;
                    let name = ident(&var.rust_name);
                    quote!(Self::#name(x) => one(#wire, x.to_json()),)
                });
                impls.push(quote! {
                    impl ToJson for #path {
                        fn to_json(&self) -> Value {
                            // `Unknown`: a member newer than the model.
                            #[allow(unreachable_patterns)]
                            match self {
                                #(#arms)*
                                _ => unknown_variant(),
                            }
                        }
                    }
                });
            }
            ShapeKind::Enum(_) => impls.push(quote! {
                impl ToJson for #path {
                    fn to_json(&self) -> Value {
                        Value::from(self.as_str())
                    }
                }
            }),
            ShapeKind::IntEnum(_) => impls.push(quote! {
                impl ToJson for #path {
                    fn to_json(&self) -> Value {
                        Value::from(self.as_i32())
                    }
                }
            }),
            _ => {}
        }
    }
    ToJsonImpls { impls, uses_one }
}

/// The name of an operation's error-reducing function.
fn error_fn(op: &Operation) -> proc_macro2::Ident {
    format_ident!("error_{}", op.names.snake)
}

/// `Client` and its `Caller` impl: each operation's call, pages and items, by name.
fn caller(cx: &Ctx<'_>, root: &TokenStream) -> TokenStream {
    let model = cx.model;
    let calls = model.operations.iter().map(|op| {
        let name = &op.id.name;
        let send = fluent(model, op);
        let error_fn = error_fn(op);
        quote! {
            #name => rt.block_on(async {
                Called::from_result(#send.send().await, ToJson::to_json, #error_fn)
            }),
        }
    });
    let paginated: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .collect();
    let page_arms = paginated.iter().map(|op| {
        let name = &op.id.name;
        let send = fluent(model, op);
        let error_fn = error_fn(op);
        quote! {
            #name => rt.block_on(async {
                let mut p = #send.into_paginator();
                if let ::std::option::Option::Some(n) = page_size {
                    p = p.page_size(n);
                }
                let mut stream = p.send();
                let mut out = ::std::vec::Vec::new();
                while let ::std::option::Option::Some(r) = stream.next().await {
                    out.push(Called::from_result(r, ToJson::to_json, #error_fn));
                }
                out
            }),
        }
    });
    let item_arms: Vec<TokenStream> = paginated
        .iter()
        .filter(|op| op.pagination.as_ref().is_some_and(|p| p.items.is_some()))
        .map(|op| {
            let name = &op.id.name;
            let send = fluent(model, op);
            let error_fn = error_fn(op);
            quote! {
                #name => rt.block_on(async {
                    let mut stream = #send.into_paginator().items().send();
                    let mut out = ::std::vec::Vec::new();
                    while let ::std::option::Option::Some(r) = stream.next().await {
                        out.push(Called::from_item(r, ToJson::to_json, #error_fn));
                    }
                    out
                }),
            }
        })
        .collect();
    // Without a paginated operation the walks only panic; their parameters go unused.
    let unused = |used: bool, name: &str| {
        let name = if used {
            name.to_owned()
        } else {
            format!("_{name}")
        };
        format_ident!("{}", name)
    };
    let pages_used = !paginated.is_empty();
    let items_used = !item_arms.is_empty();
    let (page_rt, page_input, page_size) = (
        unused(pages_used, "rt"),
        unused(pages_used, "input"),
        unused(pages_used, "page_size"),
    );
    let (item_rt, item_input) = (unused(items_used, "rt"), unused(items_used, "input"));
    let pages_body = if pages_used {
        let page_arms = page_arms.collect::<Vec<_>>();
        quote! {
            let v = input;
            match op {
                #(#page_arms)*
                _ => panic!("{op} is not paginated"),
            }
        }
    } else {
        quote!(panic!("{op} is not paginated"))
    };
    let items_body = if items_used {
        quote! {
            let v = input;
            match op {
                #(#item_arms)*
                _ => panic!("{op} has no paginated items"),
            }
        }
    } else {
        quote!(panic!("{op} has no paginated items"))
    };
    quote! {
        /// The client, reached by operation name.
        #[derive(Debug)]
        pub struct Client(pub #root::Client);

        impl Caller for Client {
            fn call(&self, rt: &Runtime, op: &str, input: &Value) -> Called {
                let v = input;
                match op {
                    #(#calls)*
                    _ => panic!("no operation {op}"),
                }
            }

            fn pages(
                &self,
                #page_rt: &Runtime,
                op: &str,
                #page_input: &Value,
                #page_size: ::std::option::Option<i32>,
            ) -> ::std::vec::Vec<Called> {
                #pages_body
            }

            fn items(&self, #item_rt: &Runtime, op: &str, #item_input: &Value) -> ::std::vec::Vec<Called> {
                #items_body
            }
        }
    }
}

/// One function per operation reducing its error to `(code, JSON)`.
fn error_fns(cx: &Ctx<'_>, root: &TokenStream) -> TokenStream {
    let model = cx.model;
    let fns = model.operations.iter().map(|op| {
        let module = cx.module_in(root, &op.output);
        let error = format_ident!("{}Error", op.names.rust_type);
        let error_fn = error_fn(op);
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&model.shape(e).names.rust_type);
            let code = &e.name;
            quote!(E::#variant(x) => (#code, x.to_json()),)
        });
        quote! {
            fn #error_fn(e: &#module::#error) -> (&'static str, Value) {
                use #module::#error as E;
                #[allow(unreachable_patterns)]
                match e {
                    #(#arms)*
                    _ => ("Unhandled", Value::Null),
                }
            }
        }
    });
    quote!(#(#fns)*)
}

/// `self.0.<op>().set_<m>(opt(v.get("<wire>")))...` for every input member.
fn fluent(model: &Model, op: &Operation) -> TokenStream {
    let f = ident(&op.names.snake);
    let sets = model.structure(&op.input).members.iter().map(|m| {
        let set = format_ident!("set_{}", m.field);
        let wire = &m.wire_name;
        quote!(.#set(opt(members(v).get(#wire))))
    });
    quote!(self.0.#f() #(#sets)*)
}

/// It generates for the published model and the kitchen sink, covers every operation, error
/// and paginator, and refuses a pagination path the harness cannot follow. (Its output for the
/// main crates is compiled and run by the conformance crate; these tests cover models with
/// every construct.)
#[cfg(test)]
mod tests {
    use super::{emit, Target};
    use redshift_serverless_codegen::emit::{Ctx, Files};
    use redshift_serverless_codegen::Settings;

    const PUBLISHED: &str =
        include_str!("../../../model/upstream/redshift-serverless-2021-04-21.json");
    const KITCHEN_SINK: &str = include_str!("../../../codegen/tests/fixtures/kitchen-sink.json");

    const TARGET: Target<'static> = Target {
        name: "test",
        module: "test",
        ours_crate: "ours_client",
        ours_client: "crate::clients::ours",
        official_client: "crate::clients::official",
    };

    /// (glue, tests) generated for `model_json`.
    fn generate(model_json: &str) -> Result<(String, String), String> {
        let model = redshift_serverless_codegen::lower(model_json).map_err(|e| e.to_string())?;
        let settings = Settings::for_sdk_id(&model.service.sdk_id, "// test");
        let cx = Ctx {
            model: &model,
            settings: &settings,
        };
        let mut files = Files::new("// test");
        emit(&cx, &TARGET, "glue.rs", "tests.rs", &mut files).map_err(|e| e.to_string())?;
        let files = files.into_map();
        Ok((files["glue.rs"].clone(), files["tests.rs"].clone()))
    }

    #[test]
    fn the_published_model_gets_a_test_per_operation_and_walks_every_paginator() {
        let model = redshift_serverless_codegen::lower(PUBLISHED).unwrap();
        let (glue, tests) = generate(PUBLISHED).unwrap();
        assert_eq!(tests.matches("#[test]").count(), 65);
        for op in &model.operations {
            let arm = format!("\"{}\" => ", op.id.name);
            // Both crates: one call arm, and a pages arm (and an items arm, if it has items) if
            // the operation is paginated.
            let arms = glue.matches(&arm).count();
            let paginated = op
                .pagination
                .as_ref()
                .map_or(0, |p| 1 + usize::from(p.items.is_some()));
            assert_eq!(arms, 2 * (1 + paginated), "{}", op.id.name);
            for e in &op.errors {
                let arm = format!("E::{}(x) =>", e.name);
                assert!(glue.contains(&arm), "{}: no {arm}", op.id.name);
            }
        }
        // The unions and an idempotency token are in the table.
        assert!(glue.contains("Kind::Union("));
        assert!(glue.contains(".idempotency_token()"));
        assert!(glue.contains("content_type: \"application/x-amz-json-1.1\""));
    }

    /// The kitchen sink (awsJson1_0) generates once its nested pagination paths, its
    /// document member, its unit union member and its sparse collections, which the harness
    /// refuses (below), are taken out.
    #[test]
    fn the_kitchen_sink_generates() {
        let mut doc: serde_json::Value = serde_json::from_str(KITCHEN_SINK).unwrap();
        let err = generate(&doc.to_string()).unwrap_err();
        assert!(err.contains("no unit union members"), "{err}");
        doc.pointer_mut("/shapes/com.example.kitchensink#Choice/members")
            .and_then(|m| m.as_object_mut())
            .unwrap()
            .remove("none");
        let err = generate(&doc.to_string()).unwrap_err();
        assert!(
            err.contains("com.example.kitchensink#SparseNotes")
                && err.contains("no sparse collections"),
            "{err}"
        );
        for (owner, member) in [
            ("Everything", "notes"),
            ("Everything", "scores"),
            ("EchoInput", "notes"),
        ] {
            doc.pointer_mut(&format!("/shapes/com.example.kitchensink#{owner}/members"))
                .and_then(|m| m.as_object_mut())
                .unwrap()
                .remove(member);
        }
        let err = generate(&doc.to_string()).unwrap_err();
        assert!(err.contains("document"), "{err}");
        for shape in doc["shapes"].as_object_mut().unwrap().values_mut() {
            if let Some(traits) = shape.get_mut("traits").and_then(|t| t.as_object_mut()) {
                traits.remove("smithy.api#paginated");
            }
        }
        let everything = doc
            .pointer_mut("/shapes/com.example.kitchensink#Everything/members")
            .and_then(|m| m.as_object_mut())
            .unwrap();
        everything.remove("extra");
        let (glue, _) = generate(&doc.to_string()).unwrap();
        assert!(glue.contains("content_type: \"application/x-amz-json-1.0\""));
        assert!(glue.contains("Kind::IntEnum("));
    }

    #[test]
    fn a_nested_pagination_path_is_refused_by_name() {
        let mut doc: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        let paginated = doc
            .pointer_mut(
                "/shapes/com.amazonaws.redshiftserverless#ListWorkgroups/traits/smithy.api#paginated",
            )
            .unwrap();
        paginated["items"] = "workgroups.inner".into();
        let err = generate(&doc.to_string()).unwrap_err();
        assert!(
            err.contains("ListWorkgroups") && err.contains("workgroups.inner"),
            "{err}"
        );
    }
}
