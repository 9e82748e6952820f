//! The protocol crate: awsJson 1.0/1.1 request serialisers, response and error deserialisers.
//!
//! The wire rules that matter (see the spec): `@jsonName` is ignored, date-time members
//! accept offsets, an empty body is an empty object, unknown members and null members are
//! skipped, a null in a dense list or map fails the parse (in a `@sparse` one it is `None`),
//! the error code comes from `X-Amzn-Errortype`, then `__type`, then `code`, and a required
//! member missing from a response gets a zero value instead of failing the parse.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_tokens, ident, inlineable, is_unboxed, timestamp_format, Crate, Ctx, Files};
use crate::model::{
    ErrorInfo, Model, Operation, Shape, ShapeId, ShapeKind, Structure, StructureRole,
    TimestampFormat, UnionVariant,
};
use crate::Error;

/// Emits every file of the protocol crate.
pub fn emit(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Protocol, "src");
    let op_mods: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.names.snake))
        .collect();
    let crate_doc = format!(
        " The {} wire protocol ({}): request serialisers and response deserialisers.",
        model.service.sdk_id,
        model.service.protocol.name()
    );
    let allow_deprecated = super::allow_deprecated(model);
    let query_compatible_mod = if model.service.query_compatible {
        quote!(
            mod query_compatible;
        )
    } else {
        quote!()
    };
    files.add(
        format!("{root}/lib.rs"),
        quote! {
            #![doc = #crate_doc]
            //!
            //! Every function here is sans-IO: bytes and headers in, typed values out. None of
            //! them panics on any input; malformed responses become errors.
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]
            #allow_deprecated

            pub mod json_errors;
            // A model uses only some of the readers.
            #[allow(dead_code)]
            mod json_read;
            #(pub mod #op_mods;)*
            mod protocol_operation;
            mod protocol_serde;
            #query_compatible_mod
        },
    )?;
    if model.service.query_compatible {
        files.add(
            format!("{root}/query_compatible.rs"),
            inlineable::file(inlineable::QUERY_COMPATIBLE, quote!())?,
        )?;
    }
    files.add(
        format!("{root}/json_errors.rs"),
        inlineable::file(inlineable::JSON_ERRORS, quote!())?,
    )?;
    files.add(
        format!("{root}/json_read.rs"),
        inlineable::file(inlineable::JSON_READ, quote!())?,
    )?;
    files.add(
        format!("{root}/protocol_operation.rs"),
        inlineable::file(inlineable::PROTOCOL_OPERATION, quote!())?,
    )?;

    let (ser, de) = serde_closures(model);
    let mut serde_mods = Vec::new();
    let all: BTreeSet<&ShapeId> = ser.iter().chain(de.iter()).collect();
    for id in all {
        let shape = model.shape(id);
        let module = format_ident!("shape_{}", shape.names.snake);
        let mut items = Vec::new();
        if ser.contains(id) {
            items.push(ser_fn(cx, shape));
        }
        if de.contains(id) {
            items.push(de_fn(cx, shape)?);
        }
        files.add(
            format!("{root}/protocol_serde/{module}.rs"),
            quote!(#(#items)*),
        )?;
        serde_mods.push(module);
    }
    files.add(
        format!("{root}/protocol_serde.rs"),
        quote! {
            //! JSON (de)serialisers, one module per shape.
            #(pub(crate) mod #serde_mods;)*

            /// awsJson treats an empty body as an empty object.
            pub(crate) fn or_empty_doc(data: &[u8]) -> &[u8] {
                if data.is_empty() { b"{}" } else { data }
            }
        },
    )?;
    for op in &model.operations {
        files.add(format!("{root}/{}.rs", op.names.snake), operation(cx, op)?)?;
    }
    Ok(())
}

/// Shapes that need a serialiser (reachable from inputs) and a deserialiser (from outputs and
/// errors). Only aggregates get functions; scalars are written inline. Serialisers write lists
/// and maps inline, so only structures and unions need a function; a deserialiser needs one
/// for every aggregate.
fn serde_closures(model: &Model) -> (BTreeSet<ShapeId>, BTreeSet<ShapeId>) {
    let kind = |id: &ShapeId| &model.shape(id).kind;
    let ser = model
        .input_shapes()
        .into_iter()
        .filter(|id| matches!(kind(id), ShapeKind::Structure(_) | ShapeKind::Union(_)))
        .collect();
    let de = model
        .output_shapes()
        .into_iter()
        .filter(|id| {
            matches!(
                kind(id),
                ShapeKind::Structure(_)
                    | ShapeKind::Union(_)
                    | ShapeKind::List { .. }
                    | ShapeKind::Map { .. }
            )
        })
        .collect();
    (ser, de)
}

fn fn_name(prefix: &str, shape: &Shape) -> proc_macro2::Ident {
    format_ident!("{}_{}", prefix, shape.names.snake)
}

fn serde_path(shape: &Shape) -> TokenStream {
    let module = format_ident!("shape_{}", shape.names.snake);
    quote!(crate::protocol_serde::#module)
}

/// Writes `value` (an expression of type `&T`) into the JSON value writer `writer`.
fn write_value(
    model: &Model,
    target: &ShapeId,
    fmt: TimestampFormat,
    writer: TokenStream,
    value: TokenStream,
    depth: usize,
) -> TokenStream {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::String => quote!(#writer.string(#value.as_str());),
        ShapeKind::Enum(_) => quote!(#writer.string(#value.as_str());),
        ShapeKind::IntEnum(_) => {
            quote!(#writer.number(::aws_smithy_types::Number::NegInt(i64::from(#value.as_i32())));)
        }
        ShapeKind::Boolean => quote!(#writer.boolean(*#value);),
        ShapeKind::Integer => {
            quote!(#writer.number(::aws_smithy_types::Number::NegInt(i64::from(*#value)));)
        }
        ShapeKind::Long => quote!(#writer.number(::aws_smithy_types::Number::NegInt(*#value));),
        ShapeKind::Float => {
            quote!(#writer.number(::aws_smithy_types::Number::Float(f64::from(*#value)));)
        }
        ShapeKind::Double => quote!(#writer.number(::aws_smithy_types::Number::Float(*#value));),
        ShapeKind::Timestamp(_) => {
            let f = format_tokens(fmt);
            quote!(#writer.date_time(#value, #f)?;)
        }
        ShapeKind::Blob => {
            quote!(#writer.string_unchecked(&::aws_smithy_types::base64::encode(#value));)
        }
        ShapeKind::Document => quote!(#writer.document(#value);),
        ShapeKind::List { member, sparse, .. } => {
            let array = format_ident!("array_{}", depth);
            let item = format_ident!("item_{}", depth);
            let inner = write_value(
                model,
                member,
                TimestampFormat::EpochSeconds,
                quote!(#array.value()),
                quote!(#item),
                depth + 1,
            );
            // A null item of a sparse list is written as `null`, as smithy-rs writes it.
            let inner = if *sparse {
                quote! {
                    match #item {
                        ::std::option::Option::Some(#item) => { #inner }
                        ::std::option::Option::None => #array.value().null(),
                    }
                }
            } else {
                inner
            };
            quote! {
                let mut #array = #writer.start_array();
                for #item in #value {
                    #inner
                }
                #array.finish();
            }
        }
        ShapeKind::Map {
            value: v, sparse, ..
        } => {
            let object = format_ident!("object_{}", depth);
            let key = format_ident!("key_{}", depth);
            let val = format_ident!("value_{}", depth);
            let inner = write_value(
                model,
                v,
                TimestampFormat::EpochSeconds,
                quote!(#object.key(#key.as_str())),
                quote!(#val),
                depth + 1,
            );
            // A null value of a sparse map is written as `null`, as smithy-rs writes it.
            let inner = if *sparse {
                quote! {
                    match #val {
                        ::std::option::Option::Some(#val) => { #inner }
                        ::std::option::Option::None => #object.key(#key.as_str()).null(),
                    }
                }
            } else {
                inner
            };
            quote! {
                let mut #object = #writer.start_object();
                for (#key, #val) in #value {
                    #inner
                }
                #object.finish();
            }
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let object = format_ident!("object_{}", depth);
            let path = serde_path(shape);
            let f = fn_name("ser", shape);
            quote! {
                let mut #object = #writer.start_object();
                #path::#f(&mut #object, #value)?;
                #object.finish();
            }
        }
    }
}

fn ser_fn(cx: &Ctx, shape: &Shape) -> TokenStream {
    let model = cx.model;
    let f = fn_name("ser", shape);
    match &shape.kind {
        ShapeKind::Structure(st) => {
            let ty = cx.type_of(&shape.id, Crate::Protocol);
            let mut body = Vec::new();
            for m in &st.members {
                let field = ident(&m.field);
                let wire = &m.wire_name;
                let write = write_value(
                    model,
                    &m.target,
                    timestamp_format(model, m),
                    quote!(object.key(#wire)),
                    quote!(value),
                    0,
                );
                body.push(if is_unboxed(m) {
                    quote! {{
                        let value = &input.#field;
                        #write
                    }}
                } else {
                    quote! {
                        if let ::std::option::Option::Some(value) = &input.#field {
                            #write
                        }
                    }
                });
            }
            let (object, input) = if st.members.is_empty() {
                (quote!(_object), quote!(_input))
            } else {
                (quote!(object), quote!(input))
            };
            quote! {
                /// Writes the members of the structure into an open JSON object.
                pub(crate) fn #f(
                    #object: &mut ::aws_smithy_json::serialize::JsonObjectWriter,
                    #input: &#ty,
                ) -> ::std::result::Result<(), ::aws_smithy_types::error::operation::SerializationError> {
                    #(#body)*
                    ::std::result::Result::Ok(())
                }
            }
        }
        ShapeKind::Union(vs) => {
            let ty = cx.type_of(&shape.id, Crate::Protocol);
            let name = &shape.id.name;
            let arms = vs.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let wire = &v.member.wire_name;
                if v.unit {
                    // A unit member is an empty object on the wire.
                    return quote!(#ty::#variant => { object.key(#wire).start_object().finish(); });
                }
                let write = write_value(
                    model,
                    &v.member.target,
                    timestamp_format(model, &v.member),
                    quote!(object.key(#wire)),
                    quote!(value),
                    0,
                );
                quote!(#ty::#variant(value) => { #write })
            });
            quote! {
                /// Writes the union's one member into an open JSON object. `Unknown` (a
                /// member read from a response that this client does not know) cannot be
                /// written back: that is an error, not a panic.
                pub(crate) fn #f(
                    object: &mut ::aws_smithy_json::serialize::JsonObjectWriter,
                    input: &#ty,
                ) -> ::std::result::Result<(), ::aws_smithy_types::error::operation::SerializationError> {
                    match input {
                        #(#arms)*
                        // `Unknown` (the type is `#[non_exhaustive]`, so it is named `_` here).
                        _ => {
                            return ::std::result::Result::Err(
                                ::aws_smithy_types::error::operation::SerializationError::unknown_variant(#name),
                            )
                        }
                    }
                    ::std::result::Result::Ok(())
                }
            }
        }
        // Lists and maps are written inline by their containers.
        _ => quote!(),
    }
}

/// Reads one value of `target` from `tokens`; the expression has type `Option<T>`.
fn read_value(cx: &Ctx, target: &ShapeId, fmt: TimestampFormat) -> TokenStream {
    let read = read_result(cx, target, fmt);
    quote!(#read?)
}

/// Reads one value of `target` from `tokens`; the expression has type
/// `Result<Option<T>, DeserializeError>`. Scalars are read by the crate's `json_read`
/// functions or aws-smithy-json's, aggregates by their own reader: always one call.
fn read_result(cx: &Ctx, target: &ShapeId, fmt: TimestampFormat) -> TokenStream {
    let shape = cx.model.shape(target);
    let t = quote!(::aws_smithy_json::deserialize::token);
    let read = |f: &str| {
        let f = format_ident!("{f}");
        quote!(crate::json_read::#f(tokens.next()))
    };
    match &shape.kind {
        ShapeKind::String => read("string"),
        ShapeKind::Enum(_) => {
            let ty = cx.type_of(target, Crate::Protocol);
            quote!(crate::json_read::string_enum::<#ty>(tokens.next()))
        }
        ShapeKind::IntEnum(_) => {
            let ty = cx.type_of(target, Crate::Protocol);
            quote!(crate::json_read::int_enum::<#ty>(tokens.next()))
        }
        ShapeKind::Boolean => quote!(#t::expect_bool_or_null(tokens.next())),
        ShapeKind::Integer => read("integer"),
        ShapeKind::Long => read("long"),
        ShapeKind::Float => read("float"),
        ShapeKind::Double => read("double"),
        ShapeKind::Timestamp(_) => {
            // A response may carry an offset (`+01:00`) even though Smithy's date-time
            // forbids one; accepting it loses nothing.
            let f = match fmt {
                TimestampFormat::DateTime => {
                    quote!(::aws_smithy_types::date_time::Format::DateTimeWithOffset)
                }
                other => format_tokens(other),
            };
            quote!(#t::expect_timestamp_or_null(tokens.next(), #f))
        }
        ShapeKind::Blob => quote!(#t::expect_blob_or_null(tokens.next())),
        // A JSON `null` is a document too (`Document::Null`), as smithy-rs reads it.
        ShapeKind::Document => {
            quote!(#t::expect_document(tokens).map(::std::option::Option::Some))
        }
        ShapeKind::List { .. }
        | ShapeKind::Map { .. }
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => {
            let path = serde_path(shape);
            let f = fn_name("de", shape);
            quote!(#path::#f(tokens))
        }
    }
}

/// The JSON a member targeting `target` needs, for error messages.
fn expected_json(cx: &Ctx, target: &ShapeId, fmt: TimestampFormat) -> String {
    let shape = cx.model.shape(target);
    match &shape.kind {
        ShapeKind::String | ShapeKind::Enum(_) => "a string".into(),
        ShapeKind::IntEnum(_) | ShapeKind::Integer | ShapeKind::Long => "an integer".into(),
        ShapeKind::Float | ShapeKind::Double => "a number".into(),
        ShapeKind::Boolean => "a boolean".into(),
        ShapeKind::Timestamp(_) => match fmt {
            TimestampFormat::DateTime => "a date-time string".into(),
            TimestampFormat::HttpDate => "an http-date string".into(),
            TimestampFormat::EpochSeconds => "a number of seconds since the epoch".into(),
        },
        ShapeKind::Blob => "a base64 string".into(),
        ShapeKind::Document => "any JSON value".into(),
        ShapeKind::List { .. } => "an array".into(),
        ShapeKind::Map { .. } => "an object".into(),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            format!("a {} object", shape.names.rust_type)
        }
    }
}

/// A value for a required member that a response left out.
fn zero_value(
    cx: &Ctx,
    owner: &Shape,
    member: &crate::model::Member,
) -> Result<TokenStream, Error> {
    let model = cx.model;
    let shape = model.shape(&member.target);
    Ok(match &shape.kind {
        ShapeKind::String => quote!(::std::string::String::new()),
        ShapeKind::Boolean => quote!(false),
        ShapeKind::Integer | ShapeKind::Long => quote!(0),
        ShapeKind::Float | ShapeKind::Double => quote!(0.0),
        ShapeKind::Timestamp(_) => quote!(::aws_smithy_types::DateTime::from_secs(0)),
        ShapeKind::Blob => quote!(::aws_smithy_types::Blob::new(::std::vec::Vec::new())),
        ShapeKind::Document => quote!(::aws_smithy_types::Document::Null),
        ShapeKind::List { .. } => quote!(::std::vec::Vec::new()),
        ShapeKind::Map { .. } => quote!(::std::collections::HashMap::new()),
        ShapeKind::Enum(_) => {
            let ty = cx.type_of(&member.target, Crate::Protocol);
            quote!(<#ty as ::std::convert::From<&str>>::from(""))
        }
        ShapeKind::IntEnum(_) => {
            let ty = cx.type_of(&member.target, Crate::Protocol);
            quote!(<#ty as ::std::convert::From<i32>>::from(0))
        }
        // Members targeting aggregates are held as `Option` (see `Member::nullable`), so a
        // zero value is never asked for.
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            return Err(Error::invalid(
                format!("{}${}", owner.id, member.name),
                "internal: a zero value asked for an aggregate member",
            ))
        }
    })
}

/// The object-reading loop shared by nested and top-level structures: fills `builder`.
fn object_loop(cx: &Ctx, shape: &Shape) -> TokenStream {
    let model = cx.model;
    let ShapeKind::Structure(st) = &shape.kind else {
        unreachable!()
    };
    let shape_name = &shape.names.rust_type;
    let arms = st.members.iter().map(|m| {
        let wire = &m.wire_name;
        let set = format_ident!("set_{}", m.field);
        let format = timestamp_format(model, m);
        let read = read_result(cx, &m.target, format);
        let expected = expected_json(cx, &m.target, format);
        // A recursive member is held in a `Box`.
        let held = if m.boxed {
            quote!(value.map(::std::boxed::Box::new))
        } else {
            quote!(value)
        };
        // A failure names the member and the JSON it needs (the parser's own errors do not).
        quote! {
            #wire => {
                let value = crate::json_read::member(#read, #shape_name, #wire, #expected)?;
                builder = builder.#set(#held);
            }
        }
    });
    // A structure without members skips every value.
    let body = if st.members.is_empty() {
        quote!(::aws_smithy_json::deserialize::token::skip_value(tokens)?;)
    } else {
        quote! {
            match key.as_ref() {
                #(#arms)*
                _ => ::aws_smithy_json::deserialize::token::skip_value(tokens)?,
            }
        }
    };
    let key = if st.members.is_empty() {
        quote!(_key)
    } else {
        quote!(key)
    };
    quote! {
        while let ::std::option::Option::Some(#key) = crate::json_read::next_key(tokens.next())? {
            #body
        }
    }
}

/// Whether a response that lacks member `m` gets a value in its place: a required member
/// without a default, held as a plain value (a zero value) or targeting a structure (an
/// empty one). A union has no empty value and `@clientOptional` says "may be absent": both
/// stay `None`.
fn corrected(cx: &Ctx, m: &crate::model::Member) -> bool {
    m.required
        && m.default.is_none()
        && !m.client_optional
        && (!m.nullable || matches!(cx.model.shape(&m.target).kind, ShapeKind::Structure(_)))
}

/// Fills zero values for missing required members, then builds.
fn finish_build(cx: &Ctx, shape: &Shape) -> Result<TokenStream, Error> {
    let ShapeKind::Structure(st) = &shape.kind else {
        unreachable!()
    };
    let mut fixes = Vec::new();
    let mut fallible = false;
    for m in st.members.iter().filter(|m| corrected(cx, m)) {
        let get = format_ident!("get_{}", m.field);
        let set = format_ident!("set_{}", m.field);
        let value = if m.nullable {
            // A required structure the service left out reads as an empty one (its own
            // required members filled the same way), as the official SDKs' error
            // correction does.
            let target = cx.model.shape(&m.target);
            let path = serde_path(target);
            let builder = cx.builder_of(&m.target, Crate::Protocol);
            quote!(#path::finish(#builder::default())?)
        } else {
            fallible = true;
            zero_value(cx, shape, m)?
        };
        let value = super::held(m, value);
        fixes.push(quote! {
            if builder.#get().is_none() {
                builder = builder.#set(::std::option::Option::Some(#value));
            }
        });
    }
    let build = if fallible {
        quote! {
            builder.build().map_err(|e| ::aws_smithy_json::deserialize::error::DeserializeError::custom(e.to_string()))
        }
    } else {
        quote!(::std::result::Result::Ok(builder.build()))
    };
    Ok(quote! {
        #(#fixes)*
        #build
    })
}

/// A shape's deserialiser functions: one small emitter per kind of aggregate.
fn de_fn(cx: &Ctx, shape: &Shape) -> Result<TokenStream, Error> {
    Ok(match &shape.kind {
        ShapeKind::Structure(st) => de_structure(cx, shape, st)?,
        ShapeKind::Union(vs) => de_union(cx, shape, vs),
        ShapeKind::List { member, sparse, .. } => de_list(cx, shape, member, *sparse),
        ShapeKind::Map { key, value, sparse } => de_map(cx, shape, key, value, *sparse),
        _ => quote!(),
    })
}

/// The bound on a token reader's iterator.
fn token_bound() -> TokenStream {
    quote! {
        I: ::std::iter::Iterator<Item = ::std::result::Result<::aws_smithy_json::deserialize::Token<'a>, ::aws_smithy_json::deserialize::error::DeserializeError>>
    }
}

/// The JSON reader's error type.
fn json_error() -> TokenStream {
    quote!(::aws_smithy_json::deserialize::error::DeserializeError)
}

/// A structure's readers: from tokens when it is nested, from a whole body when it is an
/// output or error, its `finish`, and an error's `error` function.
fn de_structure(cx: &Ctx, shape: &Shape, st: &Structure) -> Result<TokenStream, Error> {
    // Only a structure that is some member's target needs the token-level reader;
    // a top-level output or error only needs the whole-body one.
    let nested = cx
        .model
        .is_nested(&shape.id)
        .then(|| de_nested(cx, shape, st));
    let top_level = matches!(st.role, StructureRole::Output | StructureRole::Error(_));
    let payload = top_level.then(|| de_payload(cx, shape, st));
    let finish = de_finish(cx, shape, st)?;
    let error = match st.role {
        StructureRole::Error(_) => error_fn(
            shape,
            st,
            &cx.builder_of(&shape.id, Crate::Protocol),
            &cx.type_of(&shape.id, Crate::Protocol),
        ),
        _ => quote!(),
    };
    Ok(quote!(#nested #payload #finish #error))
}

/// `builder` or `mut builder`: a structure without members never writes to its builder.
fn builder_binding(st: &Structure) -> TokenStream {
    if st.members.is_empty() {
        quote!(builder)
    } else {
        quote!(mut builder)
    }
}

/// A nested structure's reader, from a JSON object (or `null`).
fn de_nested(cx: &Ctx, shape: &Shape, st: &Structure) -> TokenStream {
    let f = fn_name("de", shape);
    let token_bound = token_bound();
    let err = json_error();
    let ty = cx.type_of(&shape.id, Crate::Protocol);
    let builder_ty = cx.builder_of(&shape.id, Crate::Protocol);
    let builder_binding = builder_binding(st);
    let object_loop = object_loop(cx, shape);
    quote! {
        /// Reads the structure from a JSON object (or `null`).
        pub(crate) fn #f<'a, I>(
            tokens: &mut ::std::iter::Peekable<I>,
        ) -> ::std::result::Result<::std::option::Option<#ty>, #err>
        where
            #token_bound,
        {
            if !crate::json_read::start_object(tokens.next())? {
                return ::std::result::Result::Ok(::std::option::Option::None);
            }
            let #builder_binding = #builder_ty::default();
            #object_loop
            finish(builder).map(::std::option::Option::Some)
        }
    }
}

/// An output's or error's reader, from a whole response body.
fn de_payload(cx: &Ctx, shape: &Shape, st: &Structure) -> TokenStream {
    let payload = format_ident!("{}_payload", fn_name("de", shape));
    let err = json_error();
    let builder_ty = cx.builder_of(&shape.id, Crate::Protocol);
    // A structure without members only skips what the body holds.
    let builder_param = builder_binding(st);
    let object_loop = object_loop(cx, shape);
    quote! {
        /// Reads a whole response body into `builder` (an empty body is `{}`).
        pub(crate) fn #payload(
            value: &[u8],
            #builder_param: #builder_ty,
        ) -> ::std::result::Result<#builder_ty, #err> {
            let mut tokens_owned = ::aws_smithy_json::deserialize::json_token_iter(crate::protocol_serde::or_empty_doc(value)).peekable();
            let tokens = &mut tokens_owned;
            ::aws_smithy_json::deserialize::token::expect_start_object(tokens.next())?;
            #object_loop
            if tokens.next().is_some() {
                return ::std::result::Result::Err(#err::custom("found more JSON tokens after completing parsing"));
            }
            ::std::result::Result::Ok(builder)
        }
    }
}

/// `finish`: fills values for required members the service left out, then builds.
fn de_finish(cx: &Ctx, shape: &Shape, st: &Structure) -> Result<TokenStream, Error> {
    let err = json_error();
    let ty = cx.type_of(&shape.id, Crate::Protocol);
    let builder_ty = cx.builder_of(&shape.id, Crate::Protocol);
    let finish = finish_build(cx, shape)?;
    let finish_param = if st.members.iter().any(|m| corrected(cx, m)) {
        quote!(mut builder)
    } else {
        quote!(builder)
    };
    Ok(quote! {
        /// Fills values for required members the service left out, then builds.
        pub(crate) fn finish(#finish_param: #builder_ty) -> ::std::result::Result<#ty, #err> {
            #finish
        }
    })
}

/// A union's reader, from a JSON object (or `null`).
fn de_union(cx: &Ctx, shape: &Shape, vs: &[UnionVariant]) -> TokenStream {
    let model = cx.model;
    let f = fn_name("de", shape);
    let token_bound = token_bound();
    let err = json_error();
    let ty = cx.type_of(&shape.id, Crate::Protocol);
    let shape_name = &shape.names.rust_type;
    let arms = vs.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.member.wire_name;
        if v.unit {
            // Whatever the value (`{}` on the wire), as smithy-rs reads a unit member.
            return quote! {
                #wire => {
                    ::aws_smithy_json::deserialize::token::skip_value(tokens)?;
                    #ty::#variant
                }
            };
        }
        let format = timestamp_format(model, &v.member);
        let read = read_result(cx, &v.member.target, format);
        let expected = expected_json(cx, &v.member.target, format);
        let null = format!("value for '{wire}' cannot be null");
        let read_member = quote! {
            crate::json_read::member(#read, #shape_name, #wire, #expected)?
                .ok_or_else(|| #err::custom(#null))?
        };
        let held = super::held(&v.member, read_member);
        quote! {
            #wire => #ty::#variant(#held),
        }
    });
    quote! {
        /// Reads the union from a JSON object (or `null`), as the official SDKs do:
        /// members set to `null` and `__type` are skipped, exactly one member must
        /// remain, and a member this client does not know reads as `Unknown`.
        pub(crate) fn #f<'a, I>(
            tokens: &mut ::std::iter::Peekable<I>,
        ) -> ::std::result::Result<::std::option::Option<#ty>, #err>
        where
            #token_bound,
        {
            let mut variant = ::std::option::Option::None;
            match tokens.next().transpose()? {
                ::std::option::Option::Some(::aws_smithy_json::deserialize::Token::ValueNull { .. }) => {
                    return ::std::result::Result::Ok(::std::option::Option::None)
                }
                ::std::option::Option::Some(::aws_smithy_json::deserialize::Token::StartObject { .. }) => loop {
                    match tokens.next().transpose()? {
                        ::std::option::Option::Some(::aws_smithy_json::deserialize::Token::EndObject { .. }) => break,
                        ::std::option::Option::Some(::aws_smithy_json::deserialize::Token::ObjectKey { key, .. }) => {
                            if let ::std::option::Option::Some(::std::result::Result::Ok(::aws_smithy_json::deserialize::Token::ValueNull { .. })) = tokens.peek() {
                                tokens.next().transpose()?;
                                continue;
                            }
                            let key = key.to_unescaped()?;
                            if key == "__type" {
                                ::aws_smithy_json::deserialize::token::skip_value(tokens)?;
                                continue;
                            }
                            if variant.is_some() {
                                return ::std::result::Result::Err(#err::custom("encountered mixed variants in union"));
                            }
                            variant = ::std::option::Option::Some(match key.as_ref() {
                                #(#arms)*
                                _ => {
                                    ::aws_smithy_json::deserialize::token::skip_value(tokens)?;
                                    #ty::Unknown
                                }
                            });
                        }
                        other => {
                            return ::std::result::Result::Err(#err::custom(::std::format!(
                                "expected object key or end object, found: {other:?}"
                            )))
                        }
                    }
                },
                _ => return ::std::result::Result::Err(#err::custom("expected start object or null")),
            }
            match variant {
                ::std::option::Option::Some(v) => ::std::result::Result::Ok(::std::option::Option::Some(v)),
                ::std::option::Option::None => ::std::result::Result::Err(#err::custom("Union did not contain a valid variant.")),
            }
        }
    }
}

/// A list's reader, from a JSON array (or `null`).
fn de_list(cx: &Ctx, shape: &Shape, member: &ShapeId, sparse: bool) -> TokenStream {
    let f = fn_name("de", shape);
    let token_bound = token_bound();
    let err = json_error();
    let item_ty = cx.element_type_of(member, sparse, Crate::Protocol);
    let read = read_value(cx, member, TimestampFormat::EpochSeconds);
    let (doc, push) = if sparse {
        (
            quote! {
                /// Reads the list from a JSON array (or `null`). The list is sparse: a
                /// `null` item is `None`.
            },
            quote!(items.push(#read)),
        )
    } else {
        let null_item = format!("dense list {} cannot contain null values", shape.id.name);
        (
            quote! {
                /// Reads the list from a JSON array (or `null`). The list is dense (not
                /// `@sparse`), so a `null` item fails the parse, as in the official SDKs.
            },
            quote! {
                match #read {
                    ::std::option::Option::Some(value) => items.push(value),
                    ::std::option::Option::None => {
                        return ::std::result::Result::Err(#err::custom(#null_item))
                    }
                }
            },
        )
    };
    quote! {
        #doc
        pub(crate) fn #f<'a, I>(
            tokens: &mut ::std::iter::Peekable<I>,
        ) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<#item_ty>>, #err>
        where
            #token_bound,
        {
            if !crate::json_read::start_array(tokens.next())? {
                return ::std::result::Result::Ok(::std::option::Option::None);
            }
            let mut items = ::std::vec::Vec::new();
            while !crate::json_read::end_of_array(tokens) {
                #push
            }
            ::std::result::Result::Ok(::std::option::Option::Some(items))
        }
    }
}

/// A map's reader, from a JSON object (or `null`).
fn de_map(
    cx: &Ctx,
    shape: &Shape,
    key_shape: &ShapeId,
    value: &ShapeId,
    sparse: bool,
) -> TokenStream {
    let f = fn_name("de", shape);
    let token_bound = token_bound();
    let err = json_error();
    let key_ty = cx.type_of(key_shape, Crate::Protocol);
    // An enum key is read as the enum (`From<&str>` keeps an unknown value), as smithy-rs
    // reads it; a string key as a string.
    let key_from = match &cx.model.shape(key_shape).kind {
        ShapeKind::Enum(_) => quote!(#key_ty::from(key.as_ref())),
        _ => quote!(key.into_owned()),
    };
    let value_ty = cx.element_type_of(value, sparse, Crate::Protocol);
    let read = read_value(cx, value, TimestampFormat::EpochSeconds);
    let (doc, insert) = if sparse {
        (
            quote! {
                /// Reads the map from a JSON object (or `null`). The map is sparse: a
                /// `null` value is `None`.
            },
            quote! {
                map.insert(key, #read);
            },
        )
    } else {
        let null_value = format!(
            "dense map {} cannot contain null values (key {{:?}})",
            shape.id.name
        );
        (
            quote! {
                /// Reads the map from a JSON object (or `null`). The map is dense, so a
                /// `null` value fails the parse, as in the official SDKs.
            },
            quote! {
                match #read {
                    ::std::option::Option::Some(value) => {
                        map.insert(key, value);
                    }
                    ::std::option::Option::None => {
                        return ::std::result::Result::Err(#err::custom(
                            ::std::format!(#null_value, key),
                        ))
                    }
                }
            },
        )
    };
    quote! {
        #doc
        pub(crate) fn #f<'a, I>(
            tokens: &mut ::std::iter::Peekable<I>,
        ) -> ::std::result::Result<::std::option::Option<::std::collections::HashMap<#key_ty, #value_ty>>, #err>
        where
            #token_bound,
        {
            if !crate::json_read::start_object(tokens.next())? {
                return ::std::result::Result::Ok(::std::option::Option::None);
            }
            let mut map = ::std::collections::HashMap::new();
            while let ::std::option::Option::Some(key) = crate::json_read::next_key(tokens.next())? {
                let key = #key_from;
                #insert
            }
            ::std::result::Result::Ok(::std::option::Option::Some(map))
        }
    }
}

/// Reads an error response's body into the error structure, with the generic metadata and
/// the message the body carried (`message` or `Message`), so `de_error`'s arms stay short.
fn error_fn(
    shape: &Shape,
    st: &crate::model::Structure,
    builder_ty: &TokenStream,
    ty: &TokenStream,
) -> TokenStream {
    let de = format_ident!("{}_error", fn_name("de", shape));
    let payload = format_ident!("{}_payload", fn_name("de", shape));
    let err = quote!(::aws_smithy_json::deserialize::error::DeserializeError);
    // The body's `message`/`Message` is already in the metadata; use it when the member
    // itself was not read (e.g. the capitalised key).
    let message = st.members.iter().find(|m| m.name == "message");
    let (error, message_param, message_fix) = match message {
        Some(m) => {
            let f = ident(&m.field);
            let fix = if is_unboxed(m) {
                quote! {
                    if error.#f.is_empty() {
                        if let ::std::option::Option::Some(message) = message {
                            error.#f = message;
                        }
                    }
                }
            } else {
                quote! {
                    if error.#f.is_none() {
                        error.#f = message;
                    }
                }
            };
            (quote!(mut error), quote!(message), fix)
        }
        None => (quote!(error), quote!(_message), quote!()),
    };
    quote! {
        /// Reads the error from a response body, with the response's error metadata.
        pub(crate) fn #de(
            body: &[u8],
            meta: ::aws_smithy_types::error::ErrorMetadata,
            #message_param: ::std::option::Option<::std::string::String>,
        ) -> ::std::result::Result<#ty, #err> {
            let mut builder = #payload(body, #builder_ty::default())?;
            builder.set_meta(::std::option::Option::Some(meta));
            let #error = finish(builder)?;
            #message_fix
            ::std::result::Result::Ok(error)
        }
    }
}

/// An operation's module: its target, serialisers and deserialisers.
fn operation(cx: &Ctx, op: &Operation) -> Result<TokenStream, Error> {
    let ser = op_ser(cx, op);
    let de_response = op_de_response(cx, op);
    let de_success = op_de_success(cx, op);
    let de_error = op_de_error(cx, op);
    let erased = op_erased(cx, op);
    Ok(quote! {
        //! Wire format of the operation.

        #ser
        #de_response
        #de_success
        #de_error
        #erased
    })
}

/// `ser_erased` and `de_erased`: `ser_request` and `de_response` with the runtime's
/// type-erased input, output and error, as the orchestrator calls them. The erasure of an
/// operation's types is compiled here, alongside the HTTP client, rather than in the client
/// crate, which is built after both.
fn op_erased(cx: &Ctx, op: &Operation) -> TokenStream {
    let input_ty = cx.type_of(&op.input, Crate::Protocol);
    let context = quote!(::aws_smithy_runtime_api::client::interceptors::context);
    quote! {
        /// [`ser_request`] for the orchestrator: the input as the runtime erased it (it is
        /// always this operation's input).
        pub fn ser_erased(
            input: #context::Input,
        ) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, ::aws_smithy_runtime_api::box_error::BoxError> {
            crate::protocol_operation::ser_erased::<#input_ty>(input, ser_request)
        }

        /// [`de_response`] for the orchestrator: the output or the operation error erased.
        pub fn de_erased(
            response: &::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        ) -> ::std::result::Result<
            #context::Output,
            ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError<#context::Error>,
        > {
            crate::protocol_operation::de_erased(response, de_response)
        }
    }
}

/// `TARGET`, `CONTENT_TYPE`, `ser_body` and `ser_request`.
fn op_ser(cx: &Ctx, op: &Operation) -> TokenStream {
    let model = cx.model;
    let input_ty = cx.type_of(&op.input, Crate::Protocol);
    let target = format!("{}.{}", model.service.target_prefix, op.names.smithy);
    let input_shape = model.shape(&op.input);
    let ser_path = serde_path(input_shape);
    let ser = fn_name("ser", input_shape);
    let content_type = model.service.protocol.content_type();
    // A query-compatible service's requests also carry `x-amzn-query-mode`.
    let request = if model.service.query_compatible {
        quote!(crate::query_compatible::request)
    } else {
        quote!(crate::protocol_operation::request)
    };
    let doc_ser = format!(
        " Serialises `{}` into an HTTP request: `POST /` with the {} headers.",
        op.names.smithy,
        model.service.protocol.name()
    );
    quote! {
    /// The `X-Amz-Target` header value.
    pub const TARGET: &str = #target;
    /// The `Content-Type` of requests and responses.
    pub const CONTENT_TYPE: &str = #content_type;

    /// Serialises the input into its JSON body.
    pub fn ser_body(input: &#input_ty) -> ::std::result::Result<::std::string::String, ::aws_smithy_types::error::operation::SerializationError> {
        let mut out = ::std::string::String::new();
        let mut object = ::aws_smithy_json::serialize::JsonObjectWriter::new(&mut out);
        #ser_path::#ser(&mut object, input)?;
        object.finish();
        ::std::result::Result::Ok(out)
    }

    #[doc = #doc_ser]
    pub fn ser_request(
        input: &#input_ty,
    ) -> ::std::result::Result<::aws_smithy_runtime_api::http::Request, ::aws_smithy_runtime_api::box_error::BoxError> {
        #request(ser_body(input)?, CONTENT_TYPE, TARGET)
    }
    }
}

/// `de_response`: a success or the operation's error.
fn op_de_response(cx: &Ctx, op: &Operation) -> TokenStream {
    let output_ty = cx.type_of(&op.output, Crate::Protocol);
    let error_ty = cx.operation_error(op, Crate::Protocol);
    let doc_de = format!(
        " Turns an HTTP response into the output of `{}` or its typed error.",
        op.names.smithy
    );
    quote! {
    #[doc = #doc_de]
    ///
    /// Any 2xx status is a success; anything else is an error, whose code is read from
    /// `X-Amzn-Errortype`, `__type` or `code` (in that order) and sanitised, and which
    /// is an operation error. A success whose body cannot be read is a response error
    /// whose source is a [`crate::json_errors::UnreadableResponse`]: the service did not
    /// report an error, so it is not reported as one (the official crate reports it as
    /// an unhandled service error).
    // The modeled error enum is the operation's public error type; it is returned by
    // value, as the AWS SDKs do, rather than boxed.
    #[allow(clippy::result_large_err)]
    pub fn de_response(
        status: u16,
        headers: &::aws_smithy_runtime_api::http::Headers,
        body: &[u8],
    ) -> ::std::result::Result<#output_ty, ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError<#error_ty>> {
        if (200..300).contains(&status) {
            de_success(status, headers, body).map_err(|e| {
                ::aws_smithy_runtime_api::client::orchestrator::OrchestratorError::response(::std::boxed::Box::new(e))
            })
        } else {
            ::std::result::Result::Err(::aws_smithy_runtime_api::client::orchestrator::OrchestratorError::operation(
                de_error(status, headers, body),
            ))
        }
    }
    }
}

/// `de_success`: the output, with the request id.
fn op_de_success(cx: &Ctx, op: &Operation) -> TokenStream {
    let output_ty = cx.type_of(&op.output, Crate::Protocol);
    let output_builder = cx.builder_of(&op.output, Crate::Protocol);
    let output_shape = cx.model.shape(&op.output);
    let de_path = serde_path(output_shape);
    let de_payload = format_ident!("{}_payload", fn_name("de", output_shape));
    let output_name = &output_shape.names.rust_type;
    quote! {
    /// Reads a success response; a body that is not the output names the response and
    /// what failed (the member and the JSON it needs), never the body's bytes.
    pub fn de_success(
        status: u16,
        headers: &::aws_smithy_runtime_api::http::Headers,
        body: &[u8],
    ) -> ::std::result::Result<#output_ty, crate::json_errors::UnreadableResponse> {
        let unreadable = |e| crate::json_errors::UnreadableResponse::new(
            crate::json_errors::ResponseSummary::new(status, headers, body),
            #output_name,
            e,
        );
        let builder = #de_path::#de_payload(body, #output_builder::default()).map_err(unreadable)?;
        let builder = builder._set_request_id(
            ::aws_types::request_id::RequestId::request_id(headers).map(::std::borrow::ToOwned::to_owned),
        );
        #de_path::finish(builder).map_err(unreadable)
    }
    }
}

/// `de_error`: the shared error reading, then the code matched against the operation's
/// modeled errors.
fn op_de_error(cx: &Ctx, op: &Operation) -> TokenStream {
    let error_ty = cx.operation_error(op, Crate::Protocol);
    let query_compatible = cx.model.service.query_compatible;
    let names: Vec<&str> = op.errors.iter().map(|id| id.name.as_str()).collect();
    let arms = op.errors.iter().map(|id| {
        let shape = cx.model.shape(id);
        let name = &shape.id.name;
        // Under awsQueryCompatible, a response whose body names no error is chosen by the
        // `x-amzn-query-error` code, which `awsQueryError` gives the error.
        let query_code = match &shape.kind {
            ShapeKind::Structure(Structure {
                role: StructureRole::Error(ErrorInfo { query_error: Some(q), .. }),
                ..
            }) if query_compatible && !names.contains(&q.code.as_str()) => Some(&q.code),
            _ => None,
        };
        let code = match query_code {
            Some(q) => quote!(#name | #q),
            None => quote!(#name),
        };
        let v = ident(&shape.names.rust_type);
        let path = serde_path(shape);
        let de = format_ident!("{}_error", fn_name("de", shape));
        // A body that names a modeled error but cannot be read as it is still that error's
        // code (and request id): an unhandled error with the code keeps what the service said
        // for retry classification and messages, with the parse failure as its source.
        quote! {
            #code => match #path::#de(body, generic.clone(), error_message) {
                ::std::result::Result::Ok(e) => #error_ty::#v(e),
                ::std::result::Result::Err(e) => <#error_ty as ::aws_smithy_runtime_api::client::result::CreateUnhandledError>::create_unhandled_error(
                    ::std::boxed::Box::new(e),
                    ::std::option::Option::Some(generic),
                ),
            },
        }
    });
    let read_error = if query_compatible {
        quote!(crate::query_compatible::read_error)
    } else {
        quote!(crate::protocol_operation::read_error)
    };
    quote! {
    /// Reads an error response into the matching modeled error, or an unhandled one that
    /// still carries the code, message and request id. An unhandled error without a code
    /// has a [`crate::json_errors::NoErrorCode`] as its source, naming the status.
    pub fn de_error(
        status: u16,
        headers: &::aws_smithy_runtime_api::http::Headers,
        body: &[u8],
    ) -> #error_ty {
        let (code, error_message, generic) = match #read_error(status, headers, body) {
            crate::protocol_operation::ErrorResponse::Coded { code, message, meta } => (code, message, meta),
            crate::protocol_operation::ErrorResponse::Unhandled { source, meta } => {
                return <#error_ty as ::aws_smithy_runtime_api::client::result::CreateUnhandledError>::create_unhandled_error(
                    source,
                    ::std::option::Option::Some(meta),
                );
            }
        };
        match code.as_str() {
            #(#arms)*
            _ => #error_ty::generic(generic),
        }
    }
    }
}
