//! The types crate: inputs, outputs, errors and shared shapes with their builders, the
//! operation error enums, and each shape's constraint checks.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{
    allow_deprecated, deprecated, docs_or, file_module, ident, is_fn, is_sensitive, is_unboxed,
    named_types, Crate, Ctx, Files,
};
use crate::ident::screaming_snake;
use crate::model::{
    Constraints, ErrorInfo, Fault, Member, Model, Operation, Shape, ShapeId, ShapeKind, Structure,
    StructureRole,
};
use crate::Error;

/// Emits every file of the types crate.
pub fn emit(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Types, "src");
    let op_mods: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.names.snake))
        .collect();
    let service_docs = format!(
        " Types of the {} client (API version {}): operation inputs and outputs, errors, and their builders.",
        model.service.sdk_id, model.service.version
    );
    let allow_deprecated = allow_deprecated(model);
    files.add(
        format!("{root}/lib.rs"),
        quote! {
            #![doc = #service_docs]
            //!
            //! Every structure is `#[non_exhaustive]` and built through its builder, so new
            //! members in a future model are not breaking changes.
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]
            #allow_deprecated

            pub mod constraints;
            pub mod error;
            pub mod operation;
            pub mod primitives;
            pub mod types;
        },
    )?;
    files.add(
        format!("{root}/operation.rs"),
        quote! {
            //! One module per operation: its input, output, error enum and builders.
            #(pub mod #op_mods;)*
        },
    )?;
    files.add(
        format!("{root}/primitives.rs"),
        quote! {
            //! Primitive types used by shapes.
            pub use ::aws_smithy_types::date_time::Format as DateTimeFormat;
            pub use ::aws_smithy_types::Blob;
            pub use ::aws_smithy_types::DateTime;
        },
    )?;
    files.add(
        format!("{root}/error.rs"),
        quote! {
            //! Errors shared by all operations.
            pub use ::aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
            pub use ::aws_smithy_types::error::operation::BuildError;

            /// Holds an error the model does not describe. Its fields stay private so that
            /// matching on it is never the way to handle a specific code: use
            /// `ProvideErrorMetadata::code()` instead, which keeps working when the code
            /// becomes a modeled error.
            pub mod sealed_unhandled {
                /// An error with a code the model does not know.
                #[derive(Debug)]
                pub struct Unhandled {
                    pub(crate) source: ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>,
                    pub(crate) meta: ::aws_smithy_types::error::ErrorMetadata,
                }
            }
        },
    )?;

    for op in &model.operations {
        emit_operation(cx, op, files)?;
    }
    emit_types_module(cx, files)?;
    emit_constraints(cx, files)?;
    Ok(())
}

fn emit_operation(cx: &Ctx, op: &Operation, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Types, "src");
    let dir = format!("{root}/operation/{}", op.names.snake);
    let mut mods = Vec::new();
    let mut reexports = Vec::new();
    let mut builders = Vec::new();
    for id in [&op.input, &op.output] {
        let shape = model.shape(id);
        let name = shape.names.rust_type.clone();
        let module = format_ident!("_{}", shape.names.snake);
        let ty = ident(&name);
        let builder = format_ident!("{}Builder", name);
        files.add(format!("{dir}/{module}.rs"), structure(cx, shape, &name)?)?;
        mods.push(quote!(mod #module;));
        reexports.push(quote!(pub use self::#module::#ty;));
        builders.push(quote!(pub use super::#module::#builder;));
    }
    let error_enum = operation_error(cx, op);
    files.add(
        format!("{root}/operation/{}.rs", op.names.snake),
        quote! {
            //! Input, output and errors of the operation.
            #(#reexports)*
            #(#mods)*

            /// Builders for the input and output.
            pub mod builders {
                #(#builders)*
            }

            #error_enum
        },
    )?;
    Ok(())
}

fn emit_types_module(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Types, "src");
    let mut mods = Vec::new();
    let mut reexports = Vec::new();
    let mut builders = Vec::new();
    for shape in named_types(model) {
        let module = file_module(shape);
        let ty = ident(&shape.names.rust_type);
        let tokens = match &shape.kind {
            ShapeKind::Structure(_) => {
                let builder = format_ident!("{}Builder", shape.names.rust_type);
                builders.push(quote!(pub use super::#module::#builder;));
                structure(cx, shape, &shape.names.rust_type)?
            }
            ShapeKind::Union(vs) => union(cx, shape, vs),
            _ => enumeration(shape),
        };
        files.add(format!("{root}/types/{module}.rs"), tokens)?;
        mods.push(quote!(mod #module;));
        reexports.push(quote!(pub use self::#module::#ty;));
    }
    files.add(
        format!("{root}/types.rs"),
        quote! {
            //! Shapes shared between operations, and the modeled errors.
            pub mod error;
            #(#reexports)*
            #(#mods)*

            /// Builders for the shared structures.
            pub mod builders {
                #(#builders)*
            }
        },
    )?;

    let mut err_mods = Vec::new();
    let mut err_reexports = Vec::new();
    let mut err_builders = Vec::new();
    for shape in model.error_shapes() {
        let module = file_module(shape);
        let ty = ident(&shape.names.rust_type);
        let builder = format_ident!("{}Builder", shape.names.rust_type);
        files.add(
            format!("{root}/types/error/{module}.rs"),
            structure(cx, shape, &shape.names.rust_type)?,
        )?;
        err_mods.push(quote!(mod #module;));
        err_reexports.push(quote!(pub use self::#module::#ty;));
        err_builders.push(quote!(pub use super::#module::#builder;));
    }
    files.add(
        format!("{root}/types/error.rs"),
        quote! {
            //! The modeled errors.
            #(#err_reexports)*
            #(#err_mods)*

            /// Builders for the modeled errors.
            pub mod builders {
                #(#err_builders)*
            }
        },
    )?;
    Ok(())
}

/// The type a member holds its value in: the target's type, in a `Box` for a member that
/// closes a recursive cycle (`Member::boxed`), as smithy-rs holds it.
fn held_ty(cx: &Ctx, m: &Member) -> TokenStream {
    let ty = cx.type_of(&m.target, Crate::Types);
    if m.boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    }
}

/// Accessor return type and body for a member.
fn accessor(cx: &Ctx, m: &Member) -> (TokenStream, TokenStream) {
    let model = cx.model;
    let field = ident(&m.field);
    let shape = model.shape(&m.target);
    let boxed = !is_unboxed(m);
    match (&shape.kind, boxed) {
        (ShapeKind::String, false) => (quote!(&str), quote!(self.#field.as_str())),
        (ShapeKind::String, true) => (
            quote!(::std::option::Option<&str>),
            quote!(self.#field.as_deref()),
        ),
        (ShapeKind::List { member, sparse, .. }, false) => {
            let inner = cx.element_type_of(member, *sparse, Crate::Types);
            (quote!(&[#inner]), quote!(&self.#field))
        }
        (ShapeKind::List { member, sparse, .. }, true) => {
            let inner = cx.element_type_of(member, *sparse, Crate::Types);
            // An unset list reads as empty, as in the AWS SDKs.
            (
                quote!(&[#inner]),
                quote!(self.#field.as_deref().unwrap_or_default()),
            )
        }
        (
            ShapeKind::Boolean
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double,
            false,
        ) => {
            let ty = cx.type_of(&m.target, Crate::Types);
            (ty, quote!(self.#field))
        }
        (
            ShapeKind::Boolean
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double,
            true,
        ) => {
            let ty = cx.type_of(&m.target, Crate::Types);
            (quote!(::std::option::Option<#ty>), quote!(self.#field))
        }
        (_, false) => {
            let ty = cx.type_of(&m.target, Crate::Types);
            (quote!(&#ty), quote!(&self.#field))
        }
        (_, true) => {
            let ty = cx.type_of(&m.target, Crate::Types);
            // `as_deref` reads through the `Box` of a recursive member.
            let read = if m.boxed {
                quote!(self.#field.as_deref())
            } else {
                quote!(self.#field.as_ref())
            };
            (quote!(::std::option::Option<&#ty>), read)
        }
    }
}

/// A Rust expression for a member's `@default` value.
fn default_expr(cx: &Ctx, owner: &Shape, m: &Member, v: &Value) -> Result<TokenStream, Error> {
    let model = cx.model;
    let shape = model.shape(&m.target);
    let bad = || {
        Error::bad_trait(
            format!("{}${}", owner.id, m.name),
            "smithy.api#default",
            format!("unsupported default value {v}"),
        )
    };
    Ok(match (&shape.kind, v) {
        (ShapeKind::Boolean, Value::Bool(b)) => quote!(#b),
        (ShapeKind::Integer, Value::Number(n)) => {
            let lit = Literal::i32_unsuffixed(
                n.as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(bad)?,
            );
            quote!(#lit)
        }
        (ShapeKind::Long, Value::Number(n)) => {
            let lit = Literal::i64_unsuffixed(n.as_i64().ok_or_else(bad)?);
            quote!(#lit)
        }
        (ShapeKind::Float | ShapeKind::Double, Value::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64().ok_or_else(bad)?);
            quote!(#lit)
        }
        (ShapeKind::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        (ShapeKind::Enum(_), Value::String(s)) => {
            let ty = cx.type_of(&m.target, Crate::Types);
            quote!(<#ty as ::std::convert::From<&str>>::from(#s))
        }
        (ShapeKind::List { .. }, Value::Array(a)) if a.is_empty() => quote!(::std::vec::Vec::new()),
        (ShapeKind::Map { .. }, Value::Object(o)) if o.is_empty() => {
            quote!(::std::collections::HashMap::new())
        }
        (ShapeKind::Timestamp(_), Value::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64().ok_or_else(bad)?);
            quote!(::aws_smithy_types::DateTime::from_secs_f64(#lit))
        }
        _ => return Err(bad()),
    })
}

/// A structure with its builder, accessors, Debug (redacting sensitive members) and, for
/// errors, the error traits: assembled from one function per item, as prost-build assembles
/// a message.
fn structure(cx: &Ctx, shape: &Shape, type_name: &str) -> Result<TokenStream, Error> {
    let ShapeKind::Structure(st) = &shape.kind else {
        unreachable!("structure() is only called for structures")
    };
    let ty = ident(type_name);
    let builder_ty = format_ident!("{}Builder", type_name);
    let role = RoleItems::of(cx.model, shape, st, &ty);
    // A hand-written Debug only where something must be redacted; otherwise the derive
    // prints the same fields (including `_request_id` and `meta`).
    let redacts = st.members.iter().any(|m| is_sensitive(cx.model, shape, m));
    let struct_def = struct_def(cx, shape, st, &ty, &role, redacts);
    let accessors = accessors(cx, st, &ty);
    let builder_fn_doc = format!(" Creates a new builder for [`{type_name}`].");
    let debug_impl = redacting_debug(cx.model, shape, st, &ty, type_name, &role, redacts);
    let role_impls = &role.impls;
    let builder_def = builder_def(cx, st, &builder_ty, type_name, &role, redacts);
    let builder_impl = builder_impl(cx, shape, st, &builder_ty, type_name, &role)?;
    let builder_debug_impl = redacting_debug(
        cx.model,
        shape,
        st,
        &builder_ty,
        &format!("{type_name}Builder"),
        &role,
        redacts,
    );
    Ok(quote! {
        #struct_def
        #accessors
        impl #ty {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder_ty {
                #builder_ty::default()
            }
        }
        #debug_impl
        #role_impls

        #builder_def
        #builder_impl
        #builder_debug_impl
    })
}

/// What a structure's role adds to it and its builder beyond its members: an output's
/// `_request_id`, an error's `meta` and error traits.
#[derive(Default)]
struct RoleItems {
    /// The field of the structure.
    field: TokenStream,
    /// The field of the builder.
    builder_field: TokenStream,
    /// Its initialiser in `build()`.
    build: TokenStream,
    /// Its line in a hand-written `Debug` (both the structure's and the builder's).
    debug: TokenStream,
    /// The builder's setters.
    setters: TokenStream,
    /// Trait implementations.
    impls: TokenStream,
}

impl RoleItems {
    fn of(model: &Model, shape: &Shape, st: &Structure, ty: &Ident) -> RoleItems {
        match &st.role {
            StructureRole::Output => RoleItems::request_id(ty),
            StructureRole::Error(info) => RoleItems {
                field: quote!(pub(crate) meta: ::aws_smithy_types::error::ErrorMetadata,),
                builder_field: quote!(meta: ::std::option::Option<::aws_smithy_types::error::ErrorMetadata>,),
                build: quote!(meta: self.meta.unwrap_or_default(),),
                debug: quote!(formatter.field("meta", &self.meta);),
                setters: quote! {
                    /// Sets the error metadata (code, message, request id).
                    pub fn meta(mut self, meta: ::aws_smithy_types::error::ErrorMetadata) -> Self {
                        self.meta = ::std::option::Option::Some(meta);
                        self
                    }
                    /// Sets or clears the error metadata.
                    pub fn set_meta(&mut self, meta: ::std::option::Option<::aws_smithy_types::error::ErrorMetadata>) -> &mut Self {
                        self.meta = meta;
                        self
                    }
                },
                impls: error_impls(model, shape, st, info, ty),
            },
            _ => RoleItems::default(),
        }
    }

    fn request_id(ty: &Ident) -> RoleItems {
        RoleItems {
            field: quote!(_request_id: ::std::option::Option<::std::string::String>,),
            builder_field: quote!(_request_id: ::std::option::Option<::std::string::String>,),
            build: quote!(_request_id: self._request_id,),
            debug: quote!(formatter.field("_request_id", &self._request_id);),
            setters: quote! {
                /// Records the request id the service returned (`x-amzn-requestid`), for the
                /// protocol crate. Named `_set_request_id`, as the official crates'
                /// (crate-private) setter is, so a member called `RequestId` keeps
                /// `set_request_id`.
                #[doc(hidden)]
                pub fn _set_request_id(mut self, request_id: ::std::option::Option<::std::string::String>) -> Self {
                    self._request_id = request_id;
                    self
                }
            },
            impls: quote! {
                impl ::aws_types::request_id::RequestId for #ty {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        self._request_id.as_deref()
                    }
                }
            },
        }
    }
}

/// A member's documentation, with `#[deprecated]` when the member is.
fn member_docs(m: &Member) -> TokenStream {
    let docs = docs_or(m.docs.as_deref(), &format!("The `{}` member.", m.name));
    let dep = deprecated(m.deprecated.as_ref());
    quote!(#docs #dep)
}

/// The structure's definition.
fn struct_def(
    cx: &Ctx,
    shape: &Shape,
    st: &Structure,
    ty: &Ident,
    role: &RoleItems,
    redacts: bool,
) -> TokenStream {
    let docs = docs_or(
        shape.docs.as_deref(),
        &format!("The `{}` structure.", shape.id.name),
    );
    let dep = deprecated(shape.deprecated.as_ref());
    let derive = if redacts {
        quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq)])
    } else {
        quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::fmt::Debug)])
    };
    let fields = st.members.iter().map(|m| {
        let docs = member_docs(m);
        let field = ident(&m.field);
        let target_ty = held_ty(cx, m);
        let field_ty = if is_unboxed(m) {
            quote!(#target_ty)
        } else {
            quote!(::std::option::Option<#target_ty>)
        };
        quote!(#docs pub #field: #field_ty,)
    });
    let role_field = &role.field;
    quote! {
        #docs #dep
        #[non_exhaustive]
        #derive
        pub struct #ty {
            #(#fields)*
            #role_field
        }
    }
}

/// The structure's accessors, one per member.
fn accessors(cx: &Ctx, st: &Structure, ty: &Ident) -> TokenStream {
    let accessors = st.members.iter().map(|m| {
        let docs = member_docs(m);
        let field = ident(&m.field);
        let (ret, body) = accessor(cx, m);
        quote! {
            #docs
            pub fn #field(&self) -> #ret { #body }
        }
    });
    quote! {
        impl #ty {
            #(#accessors)*
        }
    }
}

/// A hand-written `Debug` for the structure or its builder (`ty`, printed as `name`) that
/// redacts sensitive members; nothing when nothing is redacted (the derive prints the same).
fn redacting_debug(
    model: &Model,
    shape: &Shape,
    st: &Structure,
    ty: &Ident,
    name: &str,
    role: &RoleItems,
    redacts: bool,
) -> TokenStream {
    if !redacts {
        return quote!();
    }
    let lines = st.members.iter().map(|m| {
        let fname = &m.field;
        let field = ident(&m.field);
        if is_sensitive(model, shape, m) {
            quote!(formatter.field(#fname, &"*** Sensitive Data Redacted ***");)
        } else {
            quote!(formatter.field(#fname, &self.#field);)
        }
    });
    let role_line = &role.debug;
    quote! {
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(#name);
                #(#lines)*
                #role_line
                formatter.finish()
            }
        }
    }
}

/// The builder's definition: every member optional.
fn builder_def(
    cx: &Ctx,
    st: &Structure,
    builder_ty: &Ident,
    type_name: &str,
    role: &RoleItems,
    redacts: bool,
) -> TokenStream {
    let doc = format!(" A builder for [`{type_name}`].");
    let derive = if redacts {
        quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default)])
    } else {
        quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, ::std::fmt::Debug)])
    };
    let fields = st.members.iter().map(|m| {
        let field = ident(&m.field);
        let target_ty = held_ty(cx, m);
        quote!(pub(crate) #field: ::std::option::Option<#target_ty>,)
    });
    let role_field = &role.builder_field;
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #derive
        pub struct #builder_ty {
            #(#fields)*
            #role_field
        }
    }
}

/// The builder's methods: each member's setters and getter, the role's setters, `build()`.
fn builder_impl(
    cx: &Ctx,
    shape: &Shape,
    st: &Structure,
    builder_ty: &Ident,
    type_name: &str,
    role: &RoleItems,
) -> Result<TokenStream, Error> {
    let setters = st.members.iter().map(|m| member_setters(cx, m));
    let role_setters = &role.setters;
    let build_fn = build_fn(cx, shape, st, type_name, role)?;
    Ok(quote! {
        impl #builder_ty {
            #(#setters)*
            #role_setters
            #build_fn
        }
    })
}

/// A member's builder methods: the one that sets (or, for a collection, adds to) it,
/// `set_*` and `get_*`.
fn member_setters(cx: &Ctx, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let set_fn = format_ident!("set_{}", m.field);
    let get_fn = format_ident!("get_{}", m.field);
    let target_ty = held_ty(cx, m);
    let add_setter = add_setter(cx, m);
    let set_doc = format!(" Sets or clears `{}`.", m.field);
    let get_doc = format!(" The value of `{}` set so far.", m.field);
    let dep = deprecated(m.deprecated.as_ref());
    quote! {
        #add_setter
        #[doc = #set_doc]
        #dep
        pub fn #set_fn(mut self, input: ::std::option::Option<#target_ty>) -> Self {
            self.#field = input;
            self
        }
        #[doc = #get_doc]
        #dep
        pub fn #get_fn(&self) -> &::std::option::Option<#target_ty> {
            &self.#field
        }
    }
}

/// The builder method named after a member: appends to a list, inserts into a map, else
/// sets the value.
fn add_setter(cx: &Ctx, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let set_fn = format_ident!("set_{}", m.field);
    match super::setter_arg(cx, m, Crate::Types) {
        super::SetterArg::Item(item) => {
            let doc = format!(
                " Appends one item to `{}`; use `{}` to replace the whole list.",
                m.field, set_fn
            );
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, input: impl ::std::convert::Into<#item>) -> Self {
                    let mut v = self.#field.unwrap_or_default();
                    v.push(input.into());
                    self.#field = ::std::option::Option::Some(v);
                    self
                }
            }
        }
        super::SetterArg::Entry(k, v) => {
            let doc = format!(
                " Inserts one entry into `{}`; use `{}` to replace the whole map.",
                m.field, set_fn
            );
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, k: impl ::std::convert::Into<#k>, v: impl ::std::convert::Into<#v>) -> Self {
                    let mut hash_map = self.#field.unwrap_or_default();
                    hash_map.insert(k.into(), v.into());
                    self.#field = ::std::option::Option::Some(hash_map);
                    self
                }
            }
        }
        super::SetterArg::Value(target_ty) => {
            let docs = member_docs(m);
            let hold = super::held(m, quote!(input.into()));
            quote! {
                #docs
                pub fn #field(mut self, input: impl ::std::convert::Into<#target_ty>) -> Self {
                    self.#field = ::std::option::Option::Some(#hold);
                    self
                }
            }
        }
    }
}

/// `build()`: fallible when a required member has no default.
fn build_fn(
    cx: &Ctx,
    shape: &Shape,
    st: &Structure,
    type_name: &str,
    role: &RoleItems,
) -> Result<TokenStream, Error> {
    let ty = ident(type_name);
    let fields = st
        .members
        .iter()
        .map(|m| build_field(cx, shape, type_name, m))
        .collect::<Result<Vec<_>, Error>>()?;
    let role_build = &role.build;
    Ok(if super::build_is_fallible(st) {
        quote! {
            /// Builds the value, failing if a required member was not set.
            pub fn build(self) -> ::std::result::Result<#ty, ::aws_smithy_types::error::operation::BuildError> {
                ::std::result::Result::Ok(#ty { #(#fields)* #role_build })
            }
        }
    } else {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #ty {
                #ty { #(#fields)* #role_build }
            }
        }
    })
}

/// A member's initialiser in `build()`: its default when unset, an error when required, else
/// the builder's value.
fn build_field(cx: &Ctx, shape: &Shape, type_name: &str, m: &Member) -> Result<TokenStream, Error> {
    let field = ident(&m.field);
    let fname = &m.field;
    // A default fills a member held as a plain value; a `@clientOptional` one stays an
    // `Option` and is left unset, as the client must not assume the server's default.
    let default = m.default.as_ref().filter(|_| is_unboxed(m));
    Ok(if let Some(d) = default {
        let d = default_expr(cx, shape, m, d)?;
        // A literal is as cheap as a closure; anything that allocates waits for `None`.
        let literal = matches!(
            cx.model.shape(&m.target).kind,
            ShapeKind::Boolean
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double
        );
        if literal {
            quote!(#field: self.#field.unwrap_or(#d),)
        } else {
            quote!(#field: self.#field.unwrap_or_else(|| #d),)
        }
    } else if m.required && !m.nullable {
        let msg = format!(
            "{} was not specified but it is required when building {}",
            m.field, type_name
        );
        quote! {
            #field: self.#field.ok_or_else(|| {
                ::aws_smithy_types::error::operation::BuildError::missing_field(#fname, #msg)
            })?,
        }
    } else {
        quote!(#field: self.#field,)
    })
}

fn error_impls(
    model: &Model,
    shape: &Shape,
    st: &Structure,
    info: &ErrorInfo,
    ty: &proc_macro2::Ident,
) -> TokenStream {
    let name = &shape.id.name;
    let message = st
        .members
        .iter()
        .find(|m| m.name == "message" || m.name == "Message");
    let display_message = match message {
        Some(m) if is_sensitive(model, shape, m) => quote!(),
        Some(m) if is_unboxed(m) => {
            let f = ident(&m.field);
            quote!(::std::write!(f, ": {}", &self.#f)?;)
        }
        Some(m) => {
            let f = ident(&m.field);
            quote! {
                if let ::std::option::Option::Some(msg) = &self.#f {
                    ::std::write!(f, ": {msg}")?;
                }
            }
        }
        None => quote!(),
    };
    let kind = match (info.retryable, info.fault) {
        (Some(r), _) if r.throttling => {
            quote!(::aws_smithy_types::retry::ErrorKind::ThrottlingError)
        }
        (_, Fault::Client) => quote!(::aws_smithy_types::retry::ErrorKind::ClientError),
        (_, Fault::Server) => quote!(::aws_smithy_types::retry::ErrorKind::ServerError),
    };
    let retryable = if info.retryable.is_some() {
        quote! {
            impl #ty {
                /// The retry kind the model's `@retryable` trait gives this error. The
                /// client's retry classifier refines it (a throttling code is throttling
                /// whatever the trait says).
                pub fn retryable_error_kind(&self) -> ::aws_smithy_types::retry::ErrorKind {
                    #kind
                }
            }
        }
    } else {
        quote!()
    };
    let status = info.http_status;
    let status_doc = format!(" The HTTP status the model gives this error ({status}).");
    quote! {
        impl #ty {
            #[doc = #status_doc]
            pub const HTTP_STATUS: u16 = #status;
        }
        impl ::std::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, #name)?;
                #display_message
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for #ty {}
        impl ::aws_types::request_id::RequestId for #ty {
            fn request_id(&self) -> ::std::option::Option<&str> {
                use ::aws_smithy_types::error::metadata::ProvideErrorMetadata;
                self.meta().request_id()
            }
        }
        impl ::aws_smithy_types::error::metadata::ProvideErrorMetadata for #ty {
            fn meta(&self) -> &::aws_smithy_types::error::ErrorMetadata {
                &self.meta
            }
        }
        #retryable
    }
}

/// An operation's error enum: a variant per modeled error and `Unhandled`, its helpers and
/// the error traits.
fn operation_error(cx: &Ctx, op: &Operation) -> TokenStream {
    let errors: Vec<ModeledError> = op
        .errors
        .iter()
        .map(|id| ModeledError::of(cx, id))
        .collect();
    let enum_name = format_ident!("{}Error", op.names.rust_type);
    let def = error_enum_def(op, &errors, &enum_name);
    let inherent = error_enum_inherent(&errors, &enum_name);
    let traits = error_enum_traits(&errors, &enum_name);
    quote!(#def #inherent #traits)
}

/// One modeled error of an operation, as its error enum names it.
struct ModeledError<'a> {
    shape: &'a Shape,
    /// The variant.
    variant: Ident,
    /// The error structure's type.
    ty: TokenStream,
    /// `@retryable`'s `throttling`, when the error is retryable.
    retryable: Option<bool>,
    /// The codes `code()` may report for it: its name, and under awsQueryCompatible its
    /// `awsQueryError` code (the `x-amzn-query-error` header's).
    codes: Vec<&'a str>,
}

impl<'a> ModeledError<'a> {
    fn of(cx: &'a Ctx, id: &ShapeId) -> ModeledError<'a> {
        let shape = cx.model.shape(id);
        let (retryable, query_error) = match &shape.kind {
            ShapeKind::Structure(Structure {
                role: StructureRole::Error(info),
                ..
            }) => (
                info.retryable.map(|r| r.throttling),
                info.query_error.as_ref(),
            ),
            _ => (None, None),
        };
        let mut codes = vec![shape.id.name.as_str()];
        if let Some(q) = query_error {
            if cx.model.service.query_compatible && q.code != shape.id.name {
                codes.push(q.code.as_str());
            }
        }
        ModeledError {
            shape,
            variant: ident(&shape.names.rust_type),
            ty: cx.type_of(id, Crate::Types),
            retryable,
            codes,
        }
    }
}

/// The enum itself.
fn error_enum_def(op: &Operation, errors: &[ModeledError], enum_name: &Ident) -> TokenStream {
    let enum_doc = format!(" Every error `{}` can return.", op.names.smithy);
    let variants = errors.iter().map(|e| {
        let (v, ty) = (&e.variant, &e.ty);
        let doc = docs_or(e.shape.docs.as_deref(), "A modeled error.");
        quote!(#doc #v(#ty),)
    });
    quote! {
    #[doc = #enum_doc]
    #[non_exhaustive]
    #[derive(::std::fmt::Debug)]
    pub enum #enum_name {
        #(#variants)*
        /// An error whose code the model does not describe. Match on `code()` rather
        /// than on this variant: it keeps working if the code becomes a modeled error.
        Unhandled(crate::error::sealed_unhandled::Unhandled),
    }
    }
}

/// The codes, the constructors of unhandled errors, `meta` and the `is_*` helpers.
fn error_enum_inherent(errors: &[ModeledError], enum_name: &Ident) -> TokenStream {
    let names: Vec<&Ident> = errors.iter().map(|e| &e.variant).collect();
    let codes = errors.iter().flat_map(|e| &e.codes);
    let retryable = errors.iter().flat_map(|e| {
        e.retryable
            .into_iter()
            .flat_map(|throttling| e.codes.iter().map(move |code| quote!((#code, #throttling))))
    });
    let is_fns = errors.iter().map(|e| {
        let v = &e.variant;
        let isf = is_fn(&e.shape.names.snake);
        let doc = format!(" True if the error is a `{}`.", e.shape.id.name);
        quote! {
            #[doc = #doc]
            pub fn #isf(&self) -> bool { ::std::matches!(self, Self::#v(_)) }
        }
    });
    quote! {
    impl #enum_name {
        /// The codes of the modeled errors, which the protocol maps to variants.
        pub const MODELED_ERROR_CODES: &'static [&'static str] = &[#(#codes),*];
        /// The modeled errors that carry `@retryable`, as `(code, throttling)`: the
        /// facts the client's retry classifier takes from the model.
        pub const RETRYABLE_ERRORS: &'static [(&'static str, bool)] = &[#(#retryable),*];

        /// Wraps an error the model does not describe.
        pub fn unhandled(
            err: impl ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>>,
        ) -> Self {
            Self::Unhandled(crate::error::sealed_unhandled::Unhandled {
                source: err.into(),
                meta: ::std::default::Default::default(),
            })
        }
        /// An unhandled error that only has metadata (code, message, request id).
        pub fn generic(err: ::aws_smithy_types::error::ErrorMetadata) -> Self {
            Self::Unhandled(crate::error::sealed_unhandled::Unhandled {
                source: err.clone().into(),
                meta: err,
            })
        }
        /// The error's metadata.
        pub fn meta(&self) -> &::aws_smithy_types::error::ErrorMetadata {
            match self {
                #(Self::#names(e) => ::aws_smithy_types::error::metadata::ProvideErrorMetadata::meta(e),)*
                Self::Unhandled(e) => &e.meta,
            }
        }
        #(#is_fns)*
    }
    }
}

/// `Error`, `Display`, `ProvideErrorKind`, `ProvideErrorMetadata`, `CreateUnhandledError` and
/// `RequestId`.
fn error_enum_traits(errors: &[ModeledError], enum_name: &Ident) -> TokenStream {
    let names: Vec<&Ident> = errors.iter().map(|e| &e.variant).collect();
    let kinds: Vec<TokenStream> = errors
        .iter()
        .filter(|e| e.retryable.is_some())
        .map(|e| {
            let v = &e.variant;
            quote!(Self::#v(inner) => ::std::option::Option::Some(inner.retryable_error_kind()),)
        })
        .collect();
    let retryable_kind = if kinds.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        quote! {
            match self {
                #(#kinds)*
                _ => ::std::option::Option::None,
            }
        }
    };
    quote! {
    impl ::std::error::Error for #enum_name {
        fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
            match self {
                #(Self::#names(inner) => ::std::option::Option::Some(inner),)*
                Self::Unhandled(inner) => ::std::option::Option::Some(&*inner.source),
            }
        }
    }
    impl ::std::fmt::Display for #enum_name {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                #(Self::#names(inner) => inner.fmt(f),)*
                Self::Unhandled(_) => {
                    if let ::std::option::Option::Some(code) = ::aws_smithy_types::error::metadata::ProvideErrorMetadata::code(self) {
                        ::std::write!(f, "unhandled error ({code})")
                    } else {
                        f.write_str("unhandled error")
                    }
                }
            }
        }
    }
    impl ::aws_smithy_types::retry::ProvideErrorKind for #enum_name {
        fn code(&self) -> ::std::option::Option<&str> {
            ::aws_smithy_types::error::metadata::ProvideErrorMetadata::code(self)
        }
        fn retryable_error_kind(&self) -> ::std::option::Option<::aws_smithy_types::retry::ErrorKind> {
            #retryable_kind
        }
    }
    impl ::aws_smithy_types::error::metadata::ProvideErrorMetadata for #enum_name {
        fn meta(&self) -> &::aws_smithy_types::error::ErrorMetadata {
            #enum_name::meta(self)
        }
    }
    impl ::aws_smithy_runtime_api::client::result::CreateUnhandledError for #enum_name {
        fn create_unhandled_error(
            source: ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>,
            meta: ::std::option::Option<::aws_smithy_types::error::ErrorMetadata>,
        ) -> Self {
            Self::Unhandled(crate::error::sealed_unhandled::Unhandled {
                source,
                meta: meta.unwrap_or_default(),
            })
        }
    }
    impl ::aws_types::request_id::RequestId for #enum_name {
        fn request_id(&self) -> ::std::option::Option<&str> {
            self.meta().request_id()
        }
    }
    }
}

/// A union: one variant per member, and `Unknown` for a member this version of the model
/// does not know (as the official SDKs do). Reading one keeps the response usable; sending
/// one is a serialisation error, never a panic.
fn union(cx: &Ctx, shape: &Shape, variants: &[crate::model::UnionVariant]) -> TokenStream {
    let model = cx.model;
    let ty = ident(&shape.names.rust_type);
    let doc = docs_or(
        shape.docs.as_deref(),
        &format!("The `{}` union: exactly one of its members.", shape.id.name),
    );
    let dep = deprecated(shape.deprecated.as_ref());
    let mut decls = Vec::new();
    let mut methods = Vec::new();
    let mut debug_arms = Vec::new();
    let mut any_sensitive = false;
    for v in variants {
        let name = ident(&v.rust_name);
        let m = &v.member;
        if v.unit {
            // A member targeting `smithy.api#Unit`: a variant without a value, whose
            // accessor gives `&()`, as smithy-rs generates it.
            let vdoc = docs_or(m.docs.as_deref(), &format!("The `{}` member.", m.name));
            let vdep = deprecated(m.deprecated.as_ref());
            decls.push(quote!(#vdoc #vdep #name,));
            let as_fn = format_ident!("as_{}", m.field);
            let is_fn = format_ident!("is_{}", m.field);
            let as_doc = format!(
                " `Ok(&())` if the `{}` member is set, else `Err(self)`.",
                m.name
            );
            let is_doc = format!(" True if the `{}` member is set.", m.name);
            methods.push(quote! {
                #[doc = #as_doc]
                pub fn #as_fn(&self) -> ::std::result::Result<&(), &Self> {
                    if let #ty::#name = self {
                        ::std::result::Result::Ok(&())
                    } else {
                        ::std::result::Result::Err(self)
                    }
                }
                #[doc = #is_doc]
                pub fn #is_fn(&self) -> bool {
                    self.#as_fn().is_ok()
                }
            });
            let variant_str = v.rust_name.clone();
            debug_arms.push(quote!(#ty::#name => f.write_str(#variant_str),));
            continue;
        }
        let t = cx.type_of(&m.target, Crate::Types);
        let held = held_ty(cx, m);
        let vdoc = docs_or(m.docs.as_deref(), &format!("The `{}` member.", m.name));
        let vdep = deprecated(m.deprecated.as_ref());
        decls.push(quote!(#vdoc #vdep #name(#held),));
        let read = if m.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let as_fn = format_ident!("as_{}", m.field);
        let is_fn = format_ident!("is_{}", m.field);
        let as_doc = format!(
            " The `{}` value, or `Err(self)` if another member is set.",
            m.name
        );
        let is_doc = format!(" True if the `{}` member is set.", m.name);
        methods.push(quote! {
            #[doc = #as_doc]
            pub fn #as_fn(&self) -> ::std::result::Result<&#t, &Self> {
                if let #ty::#name(value) = self {
                    ::std::result::Result::Ok(#read)
                } else {
                    ::std::result::Result::Err(self)
                }
            }
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        });
        let variant_str = v.rust_name.clone();
        let sensitive = shape.sensitive || super::target_is_sensitive(model, &m.target);
        any_sensitive |= sensitive;
        debug_arms.push(if sensitive {
            quote!(#ty::#name(_) => f.debug_tuple(#variant_str).field(&"*** Sensitive Data Redacted ***").finish(),)
        } else {
            quote!(#ty::#name(value) => f.debug_tuple(#variant_str).field(value).finish(),)
        });
    }
    let (derive, debug_impl) = if any_sensitive {
        (
            quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq)]),
            quote! {
                impl ::std::fmt::Debug for #ty {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            #(#debug_arms)*
                            #ty::Unknown => f.write_str("Unknown"),
                        }
                    }
                }
            },
        )
    } else {
        (
            quote!(#[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::fmt::Debug)]),
            quote!(),
        )
    };
    quote! {
        #doc
        #dep
        #[non_exhaustive]
        #derive
        pub enum #ty {
            #(#decls)*
            /// A member this version of the model does not know, read from a response.
            /// Sending it is an error: the client cannot know what it held.
            Unknown,
        }
        impl #ty {
            #(#methods)*
            /// True for a member this version of the model does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, #ty::Unknown)
            }
        }
        #debug_impl
    }
}

/// A string enum or intEnum, forward compatible through an `Unknown` variant.
fn enumeration(shape: &Shape) -> TokenStream {
    let ty = ident(&shape.names.rust_type);
    let doc = docs_or(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.id.name),
    );
    let doc = {
        let dep = deprecated(shape.deprecated.as_ref());
        quote!(#doc #dep)
    };
    match &shape.kind {
        ShapeKind::Enum(vs) => {
            let names: Vec<_> = vs.iter().map(|v| ident(&v.rust_name)).collect();
            let values: Vec<_> = vs.iter().map(|v| v.value.clone()).collect();
            let vdocs: Vec<_> = vs
                .iter()
                .map(|v| {
                    let doc = docs_or(v.docs.as_deref(), &format!("`{}`", v.value));
                    let dep = deprecated(v.deprecated.as_ref());
                    quote!(#doc #dep)
                })
                .collect();
            quote! {
                #doc
                #[non_exhaustive]
                #[derive(::std::clone::Clone, ::std::cmp::Eq, ::std::cmp::Ord, ::std::cmp::PartialEq, ::std::cmp::PartialOrd, ::std::fmt::Debug, ::std::hash::Hash)]
                pub enum #ty {
                    #(#vdocs #names,)*
                    /// A value this version of the model does not know.
                    Unknown(::std::string::String),
                }
                impl ::std::str::FromStr for #ty {
                    type Err = ::std::convert::Infallible;
                    fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(<#ty as ::std::convert::From<&str>>::from(s))
                    }
                }
                impl ::std::convert::From<&str> for #ty {
                    fn from(s: &str) -> Self {
                        match s {
                            #(#values => #ty::#names,)*
                            other => #ty::Unknown(other.to_owned()),
                        }
                    }
                }
                impl #ty {
                    /// The wire value.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#ty::#names => #values,)*
                            #ty::Unknown(s) => s.as_str(),
                        }
                    }
                    /// Every value the model defines.
                    pub const fn values() -> &'static [&'static str] {
                        &[#(#values),*]
                    }
                }
                impl ::std::convert::AsRef<str> for #ty {
                    fn as_ref(&self) -> &str { self.as_str() }
                }
                impl ::std::fmt::Display for #ty {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        }
        ShapeKind::IntEnum(vs) => {
            let names: Vec<_> = vs.iter().map(|v| ident(&v.rust_name)).collect();
            let values: Vec<_> = vs
                .iter()
                .map(|v| Literal::i32_unsuffixed(v.value))
                .collect();
            let vdocs: Vec<_> = vs
                .iter()
                .map(|v| {
                    let doc = docs_or(v.docs.as_deref(), &format!("`{}`", v.value));
                    let dep = deprecated(v.deprecated.as_ref());
                    quote!(#doc #dep)
                })
                .collect();
            quote! {
                #doc
                #[non_exhaustive]
                #[derive(::std::clone::Clone, ::std::cmp::Eq, ::std::cmp::Ord, ::std::cmp::PartialEq, ::std::cmp::PartialOrd, ::std::fmt::Debug, ::std::hash::Hash)]
                pub enum #ty {
                    #(#vdocs #names,)*
                    /// A value this version of the model does not know.
                    Unknown(i32),
                }
                impl ::std::convert::From<i32> for #ty {
                    fn from(v: i32) -> Self {
                        match v {
                            #(#values => #ty::#names,)*
                            other => #ty::Unknown(other),
                        }
                    }
                }
                impl #ty {
                    /// The wire value.
                    pub fn as_i32(&self) -> i32 {
                        match self {
                            #(#ty::#names => #values,)*
                            #ty::Unknown(v) => *v,
                        }
                    }
                }
            }
        }
        _ => unreachable!("enumeration() is only called for enums"),
    }
}

// ---- constraints ----

/// Member-level traits override the target's traits of the same name.
fn effective(model: &Model, target: &ShapeId, member: Option<&Constraints>) -> Constraints {
    let base = &model.shape(target).constraints;
    match member {
        None => base.clone(),
        Some(m) => Constraints {
            length: m.length.or(base.length),
            pattern: m.pattern.clone().or_else(|| base.pattern.clone()),
            range: m.range.clone().or_else(|| base.range.clone()),
        },
    }
}

/// Whether a value of `target` has anything to check (following lists, maps, structures).
fn has_checks(model: &Model, target: &ShapeId, seen: &mut BTreeSet<ShapeId>) -> bool {
    let shape = model.shape(target);
    if !shape.constraints.is_empty() {
        return true;
    }
    if !seen.insert(target.clone()) {
        return false;
    }
    match &shape.kind {
        ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => true,
        ShapeKind::List {
            member,
            unique_items,
            ..
        } => *unique_items || has_checks(model, member, seen),
        ShapeKind::Map { key, value, .. } => {
            has_checks(model, key, seen) || has_checks(model, value, seen)
        }
        ShapeKind::Structure(st) => st.members.iter().any(|m| {
            !m.constraints.is_empty() || checks_presence(m) || has_checks(model, &m.target, seen)
        }),
        ShapeKind::Union(vs) => vs
            .iter()
            .filter(|v| !v.unit)
            .any(|v| !v.member.constraints.is_empty() || has_checks(model, &v.member.target, seen)),
        _ => false,
    }
}

/// Whether `Validate` checks that a member is set: a required member held as `Option`
/// (one targeting a structure or union), unless `@clientOptional` says a client must not.
/// Other required members are enforced by the builder's `build()`.
fn checks_presence(m: &Member) -> bool {
    m.required && m.nullable && !m.client_optional
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}

/// The static holding a compiled pattern for `owner`.
/// `pub static NAME: Pattern = ...;`: `Pattern::ecma262` for a pattern only the ECMA-262
/// engine compiles (it exists only with the constraints crate's `ecma262` feature, so a
/// manifest without it fails to build rather than refusing every value), else `Pattern::new`.
fn pattern_static_item(name: &proc_macro2::Ident, doc: &str, pattern: &str) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let constructor = if crate::model::needs_ecma262(pattern) {
        quote!(ecma262)
    } else {
        quote!(new)
    };
    quote!(#[doc = #doc] pub static #name: #k::Pattern = #k::Pattern::#constructor(#pattern);)
}

fn pattern_static(owner: &str) -> proc_macro2::Ident {
    format_ident!("{}_PATTERN", screaming_snake(owner))
}

/// Checks for one value at the current path. `value` is an expression of type `&T`.
fn value_checks(
    cx: &Ctx,
    target: &ShapeId,
    c: &Constraints,
    pattern_owner: &str,
    value: TokenStream,
    sensitive: bool,
    depth: usize,
) -> TokenStream {
    let shape = cx.model.shape(target);
    let v = Checked {
        cx,
        target,
        value,
        sensitive: sensitive || shape.sensitive,
        depth,
    };
    match &shape.kind {
        ShapeKind::String => string_checks(&v, c, pattern_owner),
        ShapeKind::Blob => blob_checks(&v, c),
        // Smithy allows no constraint trait on a document.
        ShapeKind::Document => quote!(),
        // `@length` and `@pattern` on an enum bound its value as on a string.
        ShapeKind::Enum(vs) => {
            let values = enum_checks(&v, vs.iter().map(|e| e.value.clone()).collect(), false);
            let value = &v.value;
            let as_str = Checked {
                value: quote!(#value.as_str()),
                ..v
            };
            let string = string_checks(&as_str, c, pattern_owner);
            quote!(#values #string)
        }
        ShapeKind::IntEnum(vs) => {
            enum_checks(&v, vs.iter().map(|e| e.value.to_string()).collect(), true)
        }
        ShapeKind::Integer | ShapeKind::Long => int_range_checks(&v, c),
        ShapeKind::Float | ShapeKind::Double => float_range_checks(&v, c),
        ShapeKind::List {
            member,
            unique_items,
            sparse,
        } => list_checks(&v, c, member, *unique_items, *sparse),
        ShapeKind::Map { key, value, sparse } => map_checks(&v, c, key, value, *sparse),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            if has_checks(cx.model, target, &mut BTreeSet::new()) {
                let k = super::Runtime::Constraints.path();
                let value = &v.value;
                quote!(#k::Validate::validate_at(#value, path, out);)
            } else {
                quote!()
            }
        }
        ShapeKind::Boolean | ShapeKind::Timestamp(_) => quote!(),
    }
}

/// A value [`value_checks`] checks: its shape, the expression that reads it (`&T`), whether
/// it is sensitive (violations then omit it), and its depth in collections (which names the
/// loop variables).
struct Checked<'a> {
    cx: &'a Ctx<'a>,
    target: &'a ShapeId,
    value: TokenStream,
    sensitive: bool,
    depth: usize,
}

/// A string's `@length` and `@pattern`.
fn string_checks(v: &Checked, c: &Constraints, pattern_owner: &str) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let Checked {
        value, sensitive, ..
    } = v;
    let length = c.length.map(|(min, max)| {
        let (min, max) = (opt_u64(min), opt_u64(max));
        quote!(#k::check_string_length(path, #value, #min, #max, #sensitive, out);)
    });
    let pattern = c.pattern.as_ref().map(|_| {
        let p = pattern_static(pattern_owner);
        quote!(#k::check_pattern(path, #value, &#p, #sensitive, out);)
    });
    quote!(#length #pattern)
}

/// A blob's `@length`.
fn blob_checks(v: &Checked, c: &Constraints) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let value = &v.value;
    let length = c.length.map(|(min, max)| {
        let (min, max) = (opt_u64(min), opt_u64(max));
        quote!(#k::check_blob_length(path, #value.as_ref().len(), #min, #max, out);)
    });
    quote!(#length)
}

/// An enum's or int enum's values: a value the model does not list is a violation.
fn enum_checks(v: &Checked, values: Vec<String>, int_enum: bool) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let Checked {
        value, sensitive, ..
    } = v;
    if int_enum {
        let ty = v.cx.type_of(v.target, Crate::Types);
        quote! {
            if ::std::matches!(#value, #ty::Unknown(_)) {
                #k::check_enum(path, &#value.as_i32().to_string(), &[#(#values),*], #sensitive, out);
            }
        }
    } else {
        quote!(#k::check_enum(path, #value.as_str(), &[#(#values),*], #sensitive, out);)
    }
}

/// An integer's or long's `@range`.
fn int_range_checks(v: &Checked, c: &Constraints) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let Checked {
        value, sensitive, ..
    } = v;
    let Some((min, max)) = &c.range else {
        return quote!();
    };
    let b = |n: &Option<serde_json::Number>| match n.as_ref().and_then(|n| n.as_i64()) {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let (min, max) = (b(min), b(max));
    let read = if matches!(v.cx.model.shape(v.target).kind, ShapeKind::Long) {
        quote!(*#value)
    } else {
        quote!(i64::from(*#value))
    };
    quote!(#k::check_range_i64(path, #read, #min, #max, #sensitive, out);)
}

/// A float's or double's `@range`.
fn float_range_checks(v: &Checked, c: &Constraints) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let Checked {
        value, sensitive, ..
    } = v;
    let Some((min, max)) = &c.range else {
        return quote!();
    };
    let b = |n: &Option<serde_json::Number>| match n.as_ref().and_then(|n| n.as_f64()) {
        Some(v) => {
            let lit = Literal::f64_unsuffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    };
    let (min, max) = (b(min), b(max));
    let read = if matches!(v.cx.model.shape(v.target).kind, ShapeKind::Double) {
        quote!(*#value)
    } else {
        quote!(f64::from(*#value))
    };
    quote!(#k::check_range_f64(path, #read, #min, #max, #sensitive, out);)
}

/// A list's `@length` and `@uniqueItems`, then its items' checks (in a `@sparse` list, the
/// items that are not null: a null item has no value to constrain; `@length` counts it and
/// `@uniqueItems` compares it, as it compares every item).
fn list_checks(
    v: &Checked,
    c: &Constraints,
    member: &ShapeId,
    unique_items: bool,
    sparse: bool,
) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let model = v.cx.model;
    let Checked { value, depth, .. } = v;
    let length = c.length.map(|(min, max)| {
        let (min, max) = (opt_u64(min), opt_u64(max));
        quote!(#k::check_collection_length(path, #value.len(), #min, #max, out);)
    });
    let unique = unique_items.then(|| quote!(#k::check_unique_items(path, #value, out);));
    let items = has_checks(model, member, &mut BTreeSet::new()).then(|| {
        let item = format_ident!("item_{}", depth);
        let i = format_ident!("i_{}", depth);
        let mc = effective(model, member, None);
        let member_owner = model.shape(member).id.name.clone();
        let inner = value_checks(
            v.cx,
            member,
            &mc,
            &member_owner,
            quote!(#item),
            v.sensitive,
            depth + 1,
        );
        let checked = quote! {
            path.push_index(#i);
            #inner
            path.pop();
        };
        let checked = if sparse {
            quote! {
                if let ::std::option::Option::Some(#item) = #item {
                    #checked
                }
            }
        } else {
            checked
        };
        quote! {
            for (#i, #item) in #value.iter().enumerate() {
                #checked
            }
        }
    });
    quote!(#length #unique #items)
}

/// A map's `@length`, then its keys' and values' checks, in key order (in a `@sparse` map,
/// the checks of the values that are not null).
fn map_checks(
    v: &Checked,
    c: &Constraints,
    key: &ShapeId,
    value_target: &ShapeId,
    sparse: bool,
) -> TokenStream {
    let k = super::Runtime::Constraints.path();
    let model = v.cx.model;
    let Checked { value, depth, .. } = v;
    let length = c.length.map(|(min, max)| {
        let (min, max) = (opt_u64(min), opt_u64(max));
        quote!(#k::check_collection_length(path, #value.len(), #min, #max, out);)
    });
    let key_checks = has_checks(model, key, &mut BTreeSet::new());
    let value_checks_needed = has_checks(model, value_target, &mut BTreeSet::new());
    if !key_checks && !value_checks_needed {
        return quote!(#length);
    }
    // A side with nothing to check is bound to `_`.
    let kk = if key_checks {
        format_ident!("key_{}", depth)
    } else {
        format_ident!("_key_{}", depth)
    };
    let vv = if value_checks_needed {
        format_ident!("value_{}", depth)
    } else {
        format_ident!("_value_{}", depth)
    };
    let side = |target: &ShapeId, binding: &Ident| {
        let c = effective(model, target, None);
        let owner = model.shape(target).id.name.clone();
        value_checks(
            v.cx,
            target,
            &c,
            &owner,
            quote!(#binding),
            v.sensitive,
            depth + 1,
        )
    };
    let kcheck = side(key, &kk);
    let vcheck = side(value_target, &vv);
    let vcheck = if sparse && value_checks_needed {
        quote! {
            if let ::std::option::Option::Some(#vv) = #vv {
                #vcheck
            }
        }
    } else {
        vcheck
    };
    // Map iteration order is random; sort the keys so violations are reported
    // in a stable order.
    quote! {
        #length
        let mut entries: ::std::vec::Vec<_> = #value.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, #vv) in entries {
            let #kk = key;
            path.push_key(key.as_str());
            #kcheck
            #vcheck
            path.pop();
        }
    }
}

/// The structures and unions reachable from operation inputs: the ones a client validates.
fn input_closure(model: &Model) -> BTreeSet<ShapeId> {
    model
        .input_shapes()
        .into_iter()
        .filter(|id| {
            matches!(
                model.shape(id).kind,
                ShapeKind::Structure(_) | ShapeKind::Union(_)
            )
        })
        .collect()
}

/// The checks of one member's value (bound to `value: &T`), or `None` when it has none.
/// A member-level `@pattern` gets its own compiled static, pushed onto `statics`.
fn member_checks(
    cx: &Ctx,
    shape: &Shape,
    m: &Member,
    statics: &mut Vec<TokenStream>,
) -> Option<TokenStream> {
    let model = cx.model;
    let c = effective(model, &m.target, Some(&m.constraints));
    if c.is_empty() && !has_checks(model, &m.target, &mut BTreeSet::new()) {
        return None;
    }
    let pattern_owner = if let Some(p) = &m.constraints.pattern {
        let owner = format!("{}_{}", shape.id.name, m.name);
        let name = pattern_static(&owner);
        let doc = format!(
            " `@pattern` of `{}${}`, compiled on first use.",
            shape.id, m.name
        );
        statics.push(pattern_static_item(&name, &doc, p));
        owner
    } else {
        model.shape(&m.target).id.name.clone()
    };
    let sensitive = is_sensitive(model, shape, m);
    Some(value_checks(
        cx,
        &m.target,
        &c,
        &pattern_owner,
        quote!(value),
        sensitive,
        0,
    ))
}

fn emit_constraints(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Types, "src");
    let k = super::Runtime::Constraints.path();
    let mut statics = Vec::new();
    // Shape-level patterns of input shapes, then member-level ones, each in id order.
    for id in model.input_shapes() {
        let shape = model.shape(&id);
        if let Some(p) = &shape.constraints.pattern {
            let name = pattern_static(&shape.id.name);
            let doc = format!(" `@pattern` of `{}`, compiled on first use.", shape.id);
            statics.push(pattern_static_item(&name, &doc, p));
        }
    }
    let mut impls = Vec::new();
    for id in input_closure(model) {
        let shape = model.shape(&id);
        let ty = cx.type_of(&id, Crate::Types);
        let mut body = Vec::new();
        match &shape.kind {
            ShapeKind::Structure(st) => {
                for m in &st.members {
                    let checks = member_checks(cx, shape, m, &mut statics);
                    if checks.is_none() && !checks_presence(m) {
                        continue;
                    }
                    let field = ident(&m.field);
                    let wire = &m.wire_name;
                    let check = if let (None, true) = (&checks, checks_presence(m)) {
                        quote!(#k::check_required(path, &self.#field, out);)
                    } else if is_unboxed(m) {
                        quote! {{
                            let value = &self.#field;
                            #checks
                        }}
                    } else if checks_presence(m) {
                        let checks = checks.unwrap_or_default();
                        quote! {
                            if #k::check_required(path, &self.#field, out) {
                                if let ::std::option::Option::Some(value) = &self.#field {
                                    #checks
                                }
                            }
                        }
                    } else {
                        let checks = checks.unwrap_or_default();
                        quote! {
                            if let ::std::option::Option::Some(value) = &self.#field {
                                #checks
                            }
                        }
                    };
                    body.push(quote! {
                        path.push_member(#wire);
                        #check
                        path.pop();
                    });
                }
            }
            ShapeKind::Union(vs) => {
                // Only the set member is checked; `Unknown` cannot be sent at all.
                let mut arms = Vec::new();
                let mut any_checks = false;
                for v in vs {
                    let m = &v.member;
                    let name = ident(&v.rust_name);
                    let wire = &m.wire_name;
                    if v.unit {
                        arms.push(quote!(Self::#name => {}));
                        continue;
                    }
                    match member_checks(cx, shape, m, &mut statics) {
                        Some(checks) => {
                            any_checks = true;
                            arms.push(quote! {
                                Self::#name(value) => {
                                    path.push_member(#wire);
                                    #checks
                                    path.pop();
                                }
                            })
                        }
                        None => arms.push(quote!(Self::#name(_) => {})),
                    }
                }
                if any_checks {
                    body.push(quote! {
                        match self {
                            #(#arms)*
                            Self::Unknown => {}
                        }
                    });
                }
            }
            _ => unreachable!("input_closure holds structures and unions"),
        }
        let shape_name = &shape.id.name;
        let (path, out) = if body.is_empty() {
            (quote!(_path), quote!(_out))
        } else {
            (quote!(path), quote!(out))
        };
        impls.push(quote! {
            impl #k::Validate for #ty {
                const SHAPE: &'static str = #shape_name;
                fn validate_at(&self, #path: &mut #k::Path, #out: &mut #k::Violations) {
                    #(#body)*
                }
            }
        });
    }
    files.add(
        format!("{root}/constraints.rs"),
        quote! {
            //! The model's constraint traits (`@length`, `@pattern`, `@range`, enum values,
            //! `@uniqueItems`) as checks on input shapes, run by the client before a request
            //! is serialised. The rules themselves live in `redshift_serverless_constraints`;
            //! this file only says which rule applies where.
            #(#statics)*
            #(#impls)*
        },
    )?;
    Ok(())
}
