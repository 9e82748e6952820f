//! The client crate's waiters (`smithy.waiters#waitable`), shaped as smithy-rs generates them:
//! a `Waiters` trait in `client` whose `wait_until_<waiter>()` returns the waiter's fluent
//! builder (`waiters::<waiter>::<Waiter>FluentBuilder`), which takes the operation's input
//! and polls it with `wait(max_wait)` through aws-smithy-runtime's `WaiterOrchestrator`.
//!
//! Unlike smithy-rs, which compiles each JMESPath expression into Rust over the typed
//! output, the acceptors are evaluated by the `jmespath` crate over a JSON view of the typed
//! output and input (`JsonView`, generated here for every shape they reach; see
//! `codegen/inlineable/waiters.rs`), so every expression the language allows works.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, inlineable, Crate, Ctx, Files};
use crate::model::{
    AcceptorState, Comparator, Matcher, Operation, ShapeId, ShapeKind, TimestampFormat, Waiter,
};
use crate::Error;

/// The waiter's fluent builder type.
fn fluent(w: &Waiter) -> proc_macro2::Ident {
    format_ident!("{}FluentBuilder", w.names.rust_type)
}

/// Emits `src/waiters.rs` and one file per waiter, when the model has waiters.
pub fn emit(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    if !model.has_waiters() {
        return Ok(());
    }
    let root = cx.path(Crate::Client, "src");
    let mut mods = Vec::new();
    for op in &model.operations {
        for w in &op.waiters {
            let m = ident(&w.names.snake);
            let doc = format!(" Supporting types for the `{}` waiter.", w.names.snake);
            mods.push(quote!(#[doc = #doc] pub mod #m;));
            files.add(
                format!("{root}/waiters/{}.rs", w.names.snake),
                waiter(cx, op, w),
            )?;
        }
    }
    let views = views(cx);
    files.add(
        format!("{root}/waiters.rs"),
        inlineable::file(
            inlineable::WAITERS,
            quote! {
                #(#mods)*
                #(#views)*
            },
        )?,
    )
}

/// `pub mod waiters;` for the client's `lib.rs`, when the model has waiters.
pub fn lib_module(cx: &Ctx) -> TokenStream {
    if cx.model.has_waiters() {
        quote!(
            pub mod waiters;
        )
    } else {
        quote!()
    }
}

/// The `Waiters` trait and its implementation for `Client`, for `client.rs`.
pub fn client_trait(cx: &Ctx) -> TokenStream {
    if !cx.model.has_waiters() {
        return quote!();
    }
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for op in &cx.model.operations {
        for w in &op.waiters {
            let f = format_ident!("wait_until_{}", w.names.snake);
            let m = ident(&w.names.snake);
            let b = fluent(w);
            let doc = super::docs_or(w.docs.as_deref(), &format!("Wait for `{}`", w.names.snake));
            let dep = if w.deprecated {
                quote!(#[deprecated])
            } else {
                quote!()
            };
            decls.push(quote! {
                #doc
                #dep
                fn #f(&self) -> crate::waiters::#m::#b;
            });
            impls.push(quote! {
                fn #f(&self) -> crate::waiters::#m::#b {
                    crate::waiters::#m::#b::new(self.handle.clone())
                }
            });
        }
    }
    quote! {
        /// Waiter functions for the client.
        ///
        /// Import this trait to get `wait_until` methods on the client.
        pub trait Waiters {
            #(#decls)*
        }

        impl Waiters for Client {
            #(#impls)*
        }
    }
}

/// One waiter's module: its fluent builder with `wait`, and the final poll and error types.
fn waiter(cx: &Ctx, op: &Operation, w: &Waiter) -> TokenStream {
    let model = cx.model;
    let snake = ident(&op.names.snake);
    let output = cx.type_of(&op.output, Crate::Client);
    let err = cx.operation_error(op, Crate::Client);
    let input_builder = cx.builder_of(&op.input, Crate::Client);
    let b = fluent(w);
    let final_poll = format_ident!("{}FinalPoll", w.names.rust_type);
    let waiter_error = format_ident!("WaitUntil{}Error", w.names.rust_type);
    let wait_doc = super::docs_or(w.docs.as_deref(), &format!("Wait for `{}`", w.names.snake));
    let fluent_doc = [
        format!(" Fluent builder for the `{}` waiter.", w.names.snake),
        String::new(),
        " This builder is intended to be used similar to the other fluent builders for".into(),
        " normal operations on the client. However, instead of a `send` method, it has".into(),
        " a `wait` method that takes a maximum amount of time to wait.".into(),
        String::new(),
        " Construct this fluent builder using the client by importing the".into(),
        " [`Waiters`](crate::client::Waiters) trait and calling the methods".into(),
        " prefixed with `wait_until`.".into(),
    ];
    let wait_details = format!(
        " Polls `{}` (first at once, then after {} s, backing off to at most {} s between \
         polls, with jitter) until an acceptor matches or `max_wait` has passed. The input is \
         built and validated once, as `send()` does; a problem with it is a construction \
         failure.",
        op.names.smithy, w.min_delay, w.max_delay
    );
    let as_input_doc = format!(" Access the {} input as a reference.", op.names.smithy);
    let setters = model
        .structure(&op.input)
        .members
        .iter()
        .map(|m| super::client::fluent_setters(cx, m));

    let Acceptors {
        docs: acceptor_docs,
        paths_static,
        input_view,
        closure_body,
    } = acceptors(w);
    let min_delay = w.min_delay;
    let max_delay = w.max_delay;
    let waiter_error_path = quote!(::aws_smithy_runtime_api::client::waiters::error::WaiterError);
    quote! {
        #(#[doc = #fluent_doc])*
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #b {
            handle: ::std::sync::Arc<crate::client::Handle>,
            inner: #input_builder,
        }

        impl #b {
            /// Creates the builder, for the client's `Waiters` method.
            pub(crate) fn new(handle: ::std::sync::Arc<crate::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            #[doc = #as_input_doc]
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }
            #wait_doc
            ///
            #[doc = #wait_details]
            ///
            /// The acceptors, tried in this order (the first that matches decides; when none
            /// does, a success polls again and an error ends the wait):
            #(#[doc = #acceptor_docs])*
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<#final_poll, #waiter_error> {
                #paths_static
                let input = crate::operation::#snake::prepare(&self.handle, self.inner)
                    .map_err(#waiter_error_path::construction_failure)?;
                #input_view
                let acceptor = move |result: ::std::result::Result<&#output, &#err>| {
                    #closure_body
                };
                let handle = self.handle.clone();
                let operation = move || {
                    let input = input.clone();
                    let handle = handle.clone();
                    async move {
                        crate::runtime::send::<_, #output, #err>(handle.#snake(), input).await
                    }
                };
                crate::waiters::wait(&self.handle.conf, (#min_delay, #max_delay), max_wait, acceptor, operation).await
            }
            #(#setters)*
        }

        /// Successful return type for the waiter.
        pub type #final_poll = ::aws_smithy_runtime_api::client::waiters::FinalPoll<
            #output,
            ::aws_smithy_runtime_api::client::result::SdkError<
                #err,
                ::aws_smithy_runtime_api::client::orchestrator::HttpResponse,
            >,
        >;

        /// Error type for the waiter.
        pub type #waiter_error = #waiter_error_path<#output, #err>;
    }
}

/// A waiter's acceptors as the `wait` method uses them.
struct Acceptors {
    /// One line of documentation per acceptor.
    docs: Vec<String>,
    /// The `PATHS` static: every JMESPath expression, compiled once per process.
    paths_static: TokenStream,
    /// The input's JSON view, for `inputOutput` matchers.
    input_view: TokenStream,
    /// The acceptor closure's body: the views it reads, then one condition per acceptor.
    closure_body: TokenStream,
}

/// The acceptors: each path compiled once per process, each matcher one condition.
fn acceptors(w: &Waiter) -> Acceptors {
    let mut paths = Vec::new();
    let mut conditions = Vec::new();
    let mut docs = Vec::new();
    for a in &w.acceptors {
        let (state, state_name) = match a.state {
            AcceptorState::Success => (quote!(Success), "success"),
            AcceptorState::Failure => (quote!(Failure), "failure"),
            AcceptorState::Retry => (quote!(Retry), "retry"),
        };
        docs.push(format!(" - {state_name} on `{}`", a.matcher.to_json()));
        let condition = match &a.matcher {
            Matcher::Output(p) | Matcher::InputOutput(p) => {
                let i = paths.len();
                let text = &p.path;
                paths.push(quote!(crate::waiters::Path::new(#text)));
                let data = if matches!(a.matcher, Matcher::Output(_)) {
                    quote!(output)
                } else {
                    quote!(input_output)
                };
                let comparator = match p.comparator {
                    Comparator::StringEquals => quote!(StringEquals),
                    Comparator::BooleanEquals => quote!(BooleanEquals),
                    Comparator::AllStringEquals => quote!(AllStringEquals),
                    Comparator::AnyStringEquals => quote!(AnyStringEquals),
                };
                let expected = &p.expected;
                quote! {
                    #data.as_ref().is_some_and(|data| {
                        PATHS[#i].matches(data, crate::waiters::Comparator::#comparator, #expected)
                    })
                }
            }
            Matcher::Success(true) => quote!(result.is_ok()),
            Matcher::Success(false) => quote!(result.is_err()),
            Matcher::ErrorType(code) => quote!(crate::waiters::error_type(result, #code)),
        };
        conditions.push(quote! {
            if #condition {
                return ::aws_smithy_runtime::client::waiters::AcceptorState::#state;
            }
        });
    }
    let reads_output = w
        .acceptors
        .iter()
        .any(|a| matches!(a.matcher, Matcher::Output(_) | Matcher::InputOutput(_)));
    let reads_input = w
        .acceptors
        .iter()
        .any(|a| matches!(a.matcher, Matcher::InputOutput(_)));
    let n_paths = paths.len();
    let paths_static = (!paths.is_empty()).then(|| {
        quote! {
            /// The acceptors' JMESPath expressions, compiled once per process on first use.
            static PATHS: [crate::waiters::Path; #n_paths] = [#(#paths),*];
        }
    });
    let input_view = reads_input.then(|| {
        quote! {
            let input_view = ::jmespath::Rcvar::new(crate::waiters::JsonView::json_view(&input));
        }
    });
    let output_view = reads_output.then(|| {
        quote! {
            let output = result.ok().map(|o| ::jmespath::Rcvar::new(crate::waiters::JsonView::json_view(o)));
        }
    });
    let input_output_view = reads_input.then(|| {
        quote! {
            let input_output = output.as_ref().map(|o| crate::waiters::input_output(&input_view, o));
        }
    });
    Acceptors {
        docs,
        paths_static: quote!(#paths_static),
        input_view: quote!(#input_view),
        closure_body: quote! {
            #output_view
            #input_output_view
            #(#conditions)*
            ::aws_smithy_runtime::client::waiters::AcceptorState::NoAcceptorsMatched
        },
    }
}

/// `impl JsonView` for every structure and union the waiters' acceptors read: the outputs
/// of operations with waiters, the inputs of those with `inputOutput` matchers, and every
/// shape they reach.
fn views(cx: &Ctx) -> Vec<TokenStream> {
    let model = cx.model;
    let mut roots: Vec<&ShapeId> = Vec::new();
    for op in model.operations.iter().filter(|o| !o.waiters.is_empty()) {
        roots.push(&op.output);
        let reads_input = op.waiters.iter().any(|w| {
            w.acceptors
                .iter()
                .any(|a| matches!(a.matcher, Matcher::InputOutput(_)))
        });
        if reads_input {
            roots.push(&op.input);
        }
    }
    let mut out = Vec::new();
    for id in model.closure(roots) {
        let shape = model.shape(&id);
        let ty = cx.type_of(&id, Crate::Client);
        let body = match &shape.kind {
            ShapeKind::Structure(st) => {
                let members = st.members.iter().map(|m| {
                    let name = &m.name;
                    let f = ident(&m.field);
                    let fmt = super::timestamp_format(model, m);
                    let view = value_view(cx, &m.target, fmt, quote!(v));
                    let value = match (m.nullable, m.boxed) {
                        (true, true) => quote!(self.#f.as_deref().map(|v| #view)),
                        (true, false) => quote!(self.#f.as_ref().map(|v| #view)),
                        (false, _) => {
                            quote!(::std::option::Option::Some({ let v = &self.#f; #view }))
                        }
                    };
                    quote!((#name, #value))
                });
                quote!(crate::waiters::structure([#(#members),*]))
            }
            ShapeKind::Union(variants) => {
                let arms = variants.iter().map(|v| {
                    let variant = ident(&v.rust_name);
                    let name = &v.member.name;
                    if v.unit {
                        // A variant without a value reads as `{}`, as it is written.
                        return quote! {
                            Self::#variant => crate::waiters::structure([(#name, ::std::option::Option::Some(crate::waiters::structure([])))]),
                        };
                    }
                    let fmt = super::timestamp_format(model, &v.member);
                    let view = value_view(cx, &v.member.target, fmt, quote!(v));
                    let unbox = if v.member.boxed {
                        quote!(let v = &**v;)
                    } else {
                        quote!()
                    };
                    quote! {
                        Self::#variant(v) => {
                            #unbox
                            crate::waiters::structure([(#name, ::std::option::Option::Some(#view))])
                        }
                    }
                });
                quote! {
                    match self {
                        #(#arms)*
                        // A member this client does not know: its name and value are gone.
                        _ => ::jmespath::Variable::Null,
                    }
                }
            }
            _ => continue,
        };
        out.push(quote! {
            impl JsonView for #ty {
                fn json_view(&self) -> ::jmespath::Variable {
                    #body
                }
            }
        });
    }
    out
}

/// The view of `v`, a `&T` of shape `target`; `format` is the member's timestamp format.
fn value_view(cx: &Ctx, target: &ShapeId, format: TimestampFormat, v: TokenStream) -> TokenStream {
    let model = cx.model;
    // The format of a list item or map value: its shape's, else epoch seconds.
    let own_format = |id: &ShapeId| match model.shape(id).kind {
        ShapeKind::Timestamp(Some(f)) => f,
        _ => TimestampFormat::EpochSeconds,
    };
    match &model.shape(target).kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            quote!(crate::waiters::JsonView::json_view(#v))
        }
        ShapeKind::String => quote!(crate::waiters::string(#v)),
        ShapeKind::Enum(_) => quote!(crate::waiters::string(#v.as_str())),
        ShapeKind::IntEnum(_) => quote!(crate::waiters::integer(#v.as_i32())),
        ShapeKind::Boolean => quote!(crate::waiters::boolean(*#v)),
        ShapeKind::Integer | ShapeKind::Long => quote!(crate::waiters::integer(*#v)),
        ShapeKind::Float | ShapeKind::Double => quote!(crate::waiters::float(*#v)),
        ShapeKind::Timestamp(_) => {
            let f = super::format_tokens(format);
            quote!(crate::waiters::timestamp(#v, #f))
        }
        ShapeKind::Blob => quote!(crate::waiters::blob(#v)),
        ShapeKind::Document => quote!(crate::waiters::document(#v)),
        ShapeKind::List { member, sparse, .. } => {
            let item = value_view(cx, member, own_format(member), quote!(v));
            let item = null_if_none(*sparse, item);
            quote!(crate::waiters::array(#v.iter().map(|v| #item)))
        }
        ShapeKind::Map { value, sparse, .. } => {
            let item = value_view(cx, value, own_format(value), quote!(v));
            let item = null_if_none(*sparse, item);
            quote!(crate::waiters::map(#v.iter().map(|(k, v)| (k.as_str(), #item))))
        }
    }
}

/// The view of an item or value `v` of a collection: in a `@sparse` one `v` is an
/// `&Option<T>`, and `None` is JSON's `null`.
fn null_if_none(sparse: bool, item: TokenStream) -> TokenStream {
    if sparse {
        quote! {
            match v {
                ::std::option::Option::Some(v) => #item,
                ::std::option::Option::None => ::jmespath::Variable::Null,
            }
        }
    } else {
        item
    }
}
