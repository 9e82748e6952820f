//! Stage 3: Rust source from the checked model.
//!
//! Each submodule emits one crate. Emitters build `quote!` token streams; [`Files`] parses
//! and pretty-prints them in-process (prettyplease), so output never depends on which
//! rustfmt happens to be installed, and a generator bug that produces invalid Rust fails
//! here with the file's name.

pub mod client;
mod context_path;
pub mod endpoint;
pub mod inlineable;
pub mod protocol;
pub mod tests;
pub mod types;
pub mod waiters;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{
    Deprecated, Member, Model, Operation, Shape, ShapeId, ShapeKind, StructureRole, TimestampFormat,
};
use crate::Error;

/// Generated files by path relative to the workspace root, in path order, each opening with
/// the caller's header line.
#[derive(Debug)]
pub struct Files {
    header: String,
    files: BTreeMap<String, String>,
}

impl Files {
    /// No files yet; each file added will start with `header` (one line, without its `\n`).
    pub fn new(header: impl Into<String>) -> Self {
        Files {
            header: header.into(),
            files: BTreeMap::new(),
        }
    }

    /// The files by path.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.files
    }

    /// Formats `tokens` and stores it under `path` with the generated-file header.
    pub fn add(&mut self, path: impl Into<String>, tokens: TokenStream) -> Result<(), Error> {
        let path = path.into();
        let mut file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Emit {
            file: path.clone(),
            message: e.to_string(),
        })?;
        // Generated files are formatted by prettyplease; keep `cargo fmt` off them so the
        // formatter and `cargo xtask codegen --check` never disagree. Stable Rust only
        // accepts the skip on module items, plus a cfg'd inner attribute at crate roots.
        skip_rustfmt_on_modules(&mut file.items);
        let is_crate_root = path.ends_with("/src/lib.rs")
            || path
                .rsplit_once("/tests/")
                .is_some_and(|(_, f)| !f.contains('/'));
        if is_crate_root {
            file.attrs
                .insert(0, syn::parse_quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
        }
        let body = prettyplease::unparse(&file);
        self.files.insert(path, format!("{}\n{body}", self.header));
        Ok(())
    }
}

fn skip_rustfmt_on_modules(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Mod(m) = item {
            match &mut m.content {
                None => m.attrs.push(syn::parse_quote!(#[rustfmt::skip])),
                Some((_, inner)) => skip_rustfmt_on_modules(inner),
            }
        }
    }
}

/// What the builder method named after a member takes, in `krate`'s paths: one list item,
/// one map entry (an `Option` in a `@sparse` collection), or the member's value. The types crate's builders and the client's fluent
/// builders (which forward to them) both read it.
pub(crate) enum SetterArg {
    /// A list member: one item, appended.
    Item(TokenStream),
    /// A map member: one key and value, inserted.
    Entry(TokenStream, TokenStream),
    /// Any other member: the value, replacing what was set.
    Value(TokenStream),
}

/// See [`SetterArg`].
pub(crate) fn setter_arg(cx: &Ctx, m: &Member, krate: Crate) -> SetterArg {
    match &cx.model.shape(&m.target).kind {
        ShapeKind::List { member, sparse, .. } => {
            SetterArg::Item(cx.element_type_of(member, *sparse, krate))
        }
        ShapeKind::Map { key, value, sparse } => SetterArg::Entry(
            cx.type_of(key, krate),
            cx.element_type_of(value, *sparse, krate),
        ),
        _ => SetterArg::Value(cx.type_of(&m.target, krate)),
    }
}

/// Prints a bare name computed by [`crate::ident`] as an identifier, escaping keywords.
pub fn ident(bare: &str) -> Ident {
    let printed = crate::ident::escape(bare);
    match printed.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&printed, Span::call_site()),
    }
}

/// `#[doc = ...]` lines for optional documentation (one attribute per paragraph line).
pub fn docs(text: Option<&str>) -> TokenStream {
    match text {
        None => quote!(),
        Some(t) => {
            let lines = t.lines().map(|l| format!(" {}", l.trim_end()));
            quote!(#(#[doc = #lines])*)
        }
    }
}

/// Documentation with a fallback for shapes the model leaves undocumented.
pub fn docs_or(text: Option<&str>, fallback: &str) -> TokenStream {
    docs(Some(text.unwrap_or(fallback)))
}

/// The three generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crate {
    /// Inputs, outputs, errors, shared shapes, builders and constraint checks.
    Types,
    /// Serialisers and deserialisers.
    Protocol,
    /// `Client`, `Config`, fluent builders and the endpoint resolver.
    Client,
}

impl Crate {
    fn suffix(self) -> &'static str {
        match self {
            Crate::Types => "types",
            Crate::Protocol => "protocol",
            Crate::Client => "client",
        }
    }
}

/// The handwritten runtime crates generated code calls: the one table of their names, read by
/// the emitters (paths) and by `cargo xtask generate` (manifests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// Smithy's constraint traits as checks (`Validate`, `check_*`).
    Constraints,
    /// Retry classification and the retry and clock-skew plug-ins.
    Retry,
    /// SigV4 signing.
    Signer,
    /// The default HTTP client (feature `default-https-client`).
    Http,
}

impl Runtime {
    /// Every runtime crate.
    pub const ALL: [Runtime; 4] = [
        Runtime::Constraints,
        Runtime::Retry,
        Runtime::Signer,
        Runtime::Http,
    ];

    /// The crate's package name, as in a manifest.
    pub fn package(self) -> &'static str {
        match self {
            Runtime::Constraints => "redshift-serverless-constraints",
            Runtime::Retry => "redshift-serverless-retry",
            Runtime::Signer => "redshift-serverless-signer",
            Runtime::Http => "redshift-serverless-http",
        }
    }

    /// The crate's root as generated code writes it (`::redshift_serverless_constraints`).
    pub fn path(self) -> TokenStream {
        let lib = format_ident!("{}", self.package().replace('-', "_"));
        quote!(::#lib)
    }
}

/// Choices that are not in the model: today, what the generated crates are called.
///
/// The runtime crates the generated code calls (`redshift-serverless-{constraints,retry,
/// signer,http}`) keep their names whatever the service; see ARCHITECTURE.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The stem of the generated crates' names: `redshift-serverless` gives
    /// `redshift-serverless-types`, `-protocol` and `-client`, under `crates/`.
    pub crate_stem: String,
    /// The first line of every generated file (a `//` comment saying where it comes from and
    /// what generates it); the caller's, since only it knows the model's path.
    pub header: String,
    /// Leave out the operations the generator cannot implement (event streams), which are
    /// otherwise an error; `Model::skipped` names them. Off by default.
    pub skip_unsupported: bool,
}

impl Settings {
    /// The settings for a service: crates named after its `sdkId`, lower-cased with every
    /// run of other characters turned into one `-` (`Redshift Serverless` ->
    /// `redshift-serverless-types`), every file starting with `header`.
    pub fn for_sdk_id(sdk_id: &str, header: impl Into<String>) -> Self {
        let mut stem = String::new();
        for c in sdk_id.chars() {
            if c.is_ascii_alphanumeric() {
                stem.push(c.to_ascii_lowercase());
            } else if !stem.is_empty() && !stem.ends_with('-') {
                stem.push('-');
            }
        }
        Settings {
            crate_stem: stem.trim_end_matches('-').to_owned(),
            header: header.into(),
            skip_unsupported: false,
        }
    }

    /// A generated crate's package name (`redshift-serverless-types`).
    pub fn package(&self, krate: Crate) -> String {
        format!("{}-{}", self.crate_stem, krate.suffix())
    }

    /// A generated crate's library name as written in paths (`redshift_serverless_types`).
    pub fn lib(&self, krate: Crate) -> Ident {
        ident(&self.package(krate).replace('-', "_"))
    }

    /// Where a generated crate's files go, relative to the workspace root
    /// (`crates/redshift-serverless-types`).
    pub fn dir(&self, krate: Crate) -> String {
        format!("crates/{}", self.package(krate))
    }
}

/// What every emitter reads: the checked model and the settings.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The checked model.
    pub model: &'a Model,
    /// The settings.
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    /// The path of a generated crate as seen from crate `from`: `crate` inside it,
    /// `::redshift_serverless_types` elsewhere.
    pub fn crate_path(&self, of: Crate, from: Crate) -> TokenStream {
        if of == from {
            quote!(crate)
        } else {
            let lib = self.settings.lib(of);
            quote!(::#lib)
        }
    }

    /// The module of the types crate that holds a named shape (a structure or enum), as
    /// seen from `from`: `operation::<op>` for inputs and outputs, `types::error` for errors,
    /// `types` for the rest. The one place that knows where a type lives.
    fn module_of(&self, id: &ShapeId, from: Crate) -> TokenStream {
        self.module_in(&self.crate_path(Crate::Types, from), id)
    }

    /// The module that holds a named shape under `root`, a crate laid out like the types
    /// crate: the generated client re-exports its modules, and the official crate has the
    /// same layout (the differential tests reach both this way).
    pub fn module_in(&self, root: &TokenStream, id: &ShapeId) -> TokenStream {
        let shape = self.model.shape(id);
        match &shape.kind {
            ShapeKind::Structure(st) => match &st.role {
                StructureRole::Input | StructureRole::Output => {
                    let op = self
                        .model
                        .io_operation(id)
                        .expect("lowering binds every input and output to its operation");
                    let m = ident(&op.names.snake);
                    quote!(#root::operation::#m)
                }
                StructureRole::Error(_) => quote!(#root::types::error),
                StructureRole::Plain => quote!(#root::types),
            },
            _ => quote!(#root::types),
        }
    }

    /// The Rust type of a value of shape `id` (without `Option`), as written in crate `from`.
    pub fn type_of(&self, id: &ShapeId, from: Crate) -> TokenStream {
        let shape = self.model.shape(id);
        match &shape.kind {
            ShapeKind::String => quote!(::std::string::String),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::Timestamp(_) => quote!(::aws_smithy_types::DateTime),
            ShapeKind::Blob => quote!(::aws_smithy_types::Blob),
            ShapeKind::Document => quote!(::aws_smithy_types::Document),
            ShapeKind::List { member, sparse, .. } => {
                let inner = self.element_type_of(member, *sparse, from);
                quote!(::std::vec::Vec<#inner>)
            }
            ShapeKind::Map { key, value, sparse } => {
                let k = self.type_of(key, from);
                let v = self.element_type_of(value, *sparse, from);
                quote!(::std::collections::HashMap<#k, #v>)
            }
            ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::Union(_)
            | ShapeKind::Structure(_) => {
                let module = self.module_of(id, from);
                let name = ident(&shape.names.rust_type);
                quote!(#module::#name)
            }
        }
    }

    /// The Rust type of a list's item or a map's value of shape `id`, as written in crate
    /// `from`: the value's type, in an `Option` when the collection is `@sparse` (a null item
    /// or value is `None`), as smithy-rs holds it.
    pub fn element_type_of(&self, id: &ShapeId, sparse: bool, from: Crate) -> TokenStream {
        let ty = self.type_of(id, from);
        if sparse {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    }

    /// The builder of structure `id`, as written in crate `from`.
    pub fn builder_of(&self, id: &ShapeId, from: Crate) -> TokenStream {
        let module = self.module_of(id, from);
        let builder = format_ident!("{}Builder", self.model.shape(id).names.rust_type);
        quote!(#module::builders::#builder)
    }

    /// The error enum of an operation, as written in crate `from`.
    pub fn operation_error(&self, op: &Operation, from: Crate) -> TokenStream {
        let root = self.crate_path(Crate::Types, from);
        let m = ident(&op.names.snake);
        let name = format_ident!("{}Error", op.names.rust_type);
        quote!(#root::operation::#m::#name)
    }

    /// A generated file's path: `rest` under crate `krate`'s directory (`src/lib.rs`).
    pub fn path(&self, krate: Crate, rest: &str) -> String {
        format!("{}/{rest}", self.settings.dir(krate))
    }
}

/// Whether a member is held without `Option` in its structure (see `Member::nullable`).
///
/// Inputs enforce such a `@required` member in `build()`; outputs and errors fill a zero
/// value for a missing one while deserialising (a real service sometimes omits one, and that
/// must not turn a modeled error into a parse failure). `@default` members always hold a
/// value.
pub fn is_unboxed(member: &Member) -> bool {
    !member.nullable
}

/// `value` as member `m` holds it: in a `Box` for a member that closes a recursive cycle
/// (`Member::boxed`), else as it is.
pub fn held(m: &Member, value: TokenStream) -> TokenStream {
    if m.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

/// Whether a structure's builder `build()` returns a `Result`: when a member it must hold
/// as a plain value is required and has no default, and always for an operation input (as
/// in the official SDKs, so adding a required member later is not a breaking change).
pub fn build_is_fallible(st: &crate::model::Structure) -> bool {
    st.role == StructureRole::Input
        || st
            .members
            .iter()
            .any(|m| m.required && !m.nullable && m.default.is_none())
}

/// `#[deprecated]` for something the model marks `@deprecated`.
pub fn deprecated(d: Option<&Deprecated>) -> TokenStream {
    match d {
        None => quote!(),
        Some(Deprecated {
            message: None,
            since: None,
        }) => quote!(#[deprecated]),
        // Smithy's `since` is often a date, and `#[deprecated(since)]` wants a semver
        // version, so it goes into the note.
        Some(Deprecated { message, since }) => {
            let note = match (message, since) {
                (Some(m), Some(s)) => format!("{m} (deprecated since {s})"),
                (Some(m), None) => m.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => unreachable!("matched above"),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// `#![allow(deprecated)]` for a generated crate root when the model deprecates anything:
/// the generated code itself must keep building, reading and writing deprecated items; a
/// user's use of them still warns, in the user's crate.
pub fn allow_deprecated(model: &Model) -> TokenStream {
    if model.has_deprecated() {
        quote!(#![allow(deprecated)])
    } else {
        quote!()
    }
}

/// Whether values of this member must never be shown.
pub fn is_sensitive(model: &Model, container: &Shape, member: &Member) -> bool {
    container.sensitive || target_is_sensitive(model, &member.target)
}

/// Whether values of shape `id` must never be shown (following lists and maps).
pub fn target_is_sensitive(model: &Model, id: &ShapeId) -> bool {
    let shape = model.shape(id);
    shape.sensitive
        || match &shape.kind {
            ShapeKind::List { member, .. } => target_is_sensitive(model, member),
            ShapeKind::Map { value, .. } => target_is_sensitive(model, value),
            _ => false,
        }
}

/// The timestamp format of a member: member trait, then target trait, then the protocol
/// default (epoch seconds for awsJson 1.0 and 1.1).
pub fn timestamp_format(model: &Model, member: &Member) -> TimestampFormat {
    member
        .timestamp_format
        .or(match model.shape(&member.target).kind {
            ShapeKind::Timestamp(f) => f,
            _ => None,
        })
        .unwrap_or(TimestampFormat::EpochSeconds)
}

/// `aws_smithy_types::date_time::Format` for a timestamp format.
pub fn format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => {
            quote!(::aws_smithy_types::date_time::Format::EpochSeconds)
        }
        TimestampFormat::DateTime => quote!(::aws_smithy_types::date_time::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::aws_smithy_types::date_time::Format::HttpDate),
    }
}

/// Module name of a structure's own file (`_get_identity_center_auth_token_input`).
pub fn file_module(shape: &Shape) -> Ident {
    format_ident!("_{}", shape.names.snake)
}

/// Converts a snake name into the `is_*` helper name for an error variant.
pub fn is_fn(snake: &str) -> Ident {
    format_ident!("is_{}", snake)
}

/// Plain structures, enums, intEnums and unions: each gets a file under `types/`.
pub fn named_types(model: &Model) -> Vec<&Shape> {
    model
        .shapes
        .values()
        .filter(|s| match &s.kind {
            ShapeKind::Structure(st) => st.role == StructureRole::Plain,
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) | ShapeKind::Union(_) => true,
            _ => false,
        })
        .collect()
}
