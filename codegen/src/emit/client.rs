//! The client crate: `Client`, `Config`, fluent builders, and the runtime wiring.
//!
//! Each operation is assembled once per client, on its first call, with aws-smithy-runtime's
//! `Operation::builder()`, kept in a `OnceLock` of the client's shared handle, and only invoked
//! per call after that. What every operation shares (SigV4, endpoint, retries, timeouts,
//! interceptors) is one function of the runtime module, `assemble`
//! (`codegen/inlineable/client_runtime.rs`); an operation module adds only what differs: its
//! retry classifier (its modeled and retryable errors), serializer and deserializer. Every
//! operation is then the same type, `runtime::Assembled`, sent by one `runtime::invoke`, so
//! the orchestrator's call is compiled once, not once per operation. The public API mirrors the official
//! `aws-sdk-*` crates so code moves between them by changing the crate path.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{endpoint, ident, inlineable, Crate, Ctx, Files};
use crate::model::{
    AuthScheme, DiscoveredEndpoint, Model, Operation, Pagination, ShapeId, ShapeKind,
};
use crate::Error;

/// Emits every file of the client crate.
pub fn emit(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    let model = cx.model;
    let root = cx.path(Crate::Client, "src");
    let has_tokens = model.operations.iter().any(|o| {
        model
            .structure(&o.input)
            .members
            .iter()
            .any(|m| m.idempotency_token)
    });
    let needs_endpoint_settings = model.operations.iter().any(|o| !o.endpoint.is_empty());
    let discovery = endpoint_discovery_operation(model).map(|op| {
        let name = &op.names.smithy;
        quote! {
            /// The operation that discovers endpoints.
            pub(crate) const DISCOVERY_OPERATION: &str = #name;
        }
    });
    // The inlineable modules only some models need.
    let optional = [
        (
            discovery.is_some(),
            "endpoint_discovery",
            inlineable::ENDPOINT_DISCOVERY,
            discovery,
        ),
        (
            has_tokens,
            "idempotency_token",
            inlineable::IDEMPOTENCY_TOKEN,
            None,
        ),
        (
            needs_endpoint_settings,
            "operation_endpoint",
            inlineable::OPERATION_ENDPOINT,
            None,
        ),
        (
            model.uses_request_compression(),
            "request_compression",
            inlineable::REQUEST_COMPRESSION,
            None,
        ),
    ];
    let mut mods = Vec::new();
    for (needed, name, file, items) in optional {
        if needed {
            files.add(
                format!("{root}/{name}.rs"),
                inlineable::file(file, items.clone().unwrap_or_default())?,
            )?;
            let module = ident(name);
            // Endpoint discovery is public: its cache's settings are part of the API.
            mods.push(if items.is_some() {
                quote!(pub mod #module;)
            } else {
                quote!(mod #module;)
            });
        }
    }
    files.add(format!("{root}/lib.rs"), lib_rs(cx, &mods))?;
    endpoint_files(cx, files, &root)?;
    files.add(
        format!("{root}/config.rs"),
        inlineable::file_with(
            inlineable::CLIENT_CONFIG,
            quote!(
                pub mod endpoint;
            ),
            &sections(model),
        )?,
    )?;
    files.add(
        format!("{root}/response_body.rs"),
        inlineable::file(inlineable::RESPONSE_BODY, quote!())?,
    )?;
    let client_rs = client(model);
    let waiters_trait = super::waiters::client_trait(cx);
    files.add(
        format!("{root}/client.rs"),
        quote!(#client_rs #waiters_trait),
    )?;
    files.add(format!("{root}/runtime.rs"), runtime(cx)?)?;
    files.add(format!("{root}/error.rs"), error(cx)?)?;

    let op_mods: Vec<_> = model
        .operations
        .iter()
        .map(|o| ident(&o.names.snake))
        .collect();
    files.add(
        format!("{root}/operation.rs"),
        quote! {
            //! One module per operation: input, output, error enum and fluent builder.
            pub use ::aws_types::request_id::RequestId;
            #(pub mod #op_mods;)*
        },
    )?;
    for op in &model.operations {
        files.add(
            format!("{root}/operation/{}.rs", op.names.snake),
            operation(cx, op),
        )?;
    }
    super::waiters::emit(cx, files)
}

/// The client crate's `lib.rs`, with `optional`, the declarations of the inlineable modules
/// the model needs.
fn lib_rs(cx: &Ctx, optional: &[TokenStream]) -> TokenStream {
    let model = cx.model;
    let types = cx.crate_path(Crate::Types, Crate::Client);
    let svc = &model.service;
    let crate_doc = format!(
        " A client for {} (API version {}).",
        svc.sdk_id, svc.version
    );
    let example: Vec<String> = doc_example(cx).lines().map(|l| format!(" {l}")).collect();
    let allow_deprecated = super::allow_deprecated(model);
    let waiters_mod = super::waiters::lib_module(cx);
    quote! {
        #![doc = #crate_doc]
        //!
        #(#![doc = #example])*
        //!
        //! Unlike the official crate, every constraint trait of the model (lengths, patterns,
        //! ranges, enum values) is checked before a request is sent; see
        //! `config::ValidationMode` to turn that off for a model that lags the service.
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #allow_deprecated

        pub mod client;
        pub mod config;
        pub mod error;
        pub mod operation;
        #waiters_mod
        mod endpoint_lib;
        #(#optional)*
        mod response_body;
        mod runtime;

        pub use client::Client;
        pub use config::Config;
        pub use error::Error;

        /// Primitive types used by shapes.
        pub mod primitives {
            pub use #types::primitives::*;
        }
        /// Shapes shared between operations, and the modeled errors.
        pub mod types {
            pub use #types::types::*;
        }
    }
}

/// The endpoint rule set's resolver (`config/endpoint.rs`) and the functions it calls
/// (`endpoint_lib`, with the partition table).
fn endpoint_files(cx: &Ctx, files: &mut Files, root: &str) -> Result<(), Error> {
    let mut lib_mods = Vec::new();
    for (module, file) in endpoint_lib_modules(cx) {
        files.add(
            format!("{root}/endpoint_lib/{module}.rs"),
            inlineable::file(file, quote!())?,
        )?;
        let module = ident(module);
        lib_mods.push(quote!(pub(crate) mod #module;));
    }
    files.add(
        format!("{root}/endpoint_lib.rs"),
        quote! {
            //! Functions the endpoint rules call.
            #(#lib_mods)*
            pub(crate) mod partition;
        },
    )?;
    files.add(
        format!("{root}/endpoint_lib/partition.rs"),
        endpoint::partitions(&cx.model.partitions)?,
    )?;
    files.add(
        format!("{root}/config/endpoint.rs"),
        endpoint::resolver(&cx.model.service.rules, &cx.model.service.sdk_id)?,
    )
}

/// A compiled (not run) example calling the first operation, setting its first member
/// when that member takes a string or a list of strings.
fn doc_example(cx: &Ctx) -> String {
    let model = cx.model;
    use crate::model::ShapeKind;
    let client = cx.settings.lib(Crate::Client);
    let Some(op) = model.operations.first() else {
        return String::new();
    };
    let mut call = format!("client\n    .{}()", op.names.snake);
    if let Some(m) = model.structure(&op.input).members.first() {
        let takes_text = match &model.shape(&m.target).kind {
            ShapeKind::String => true,
            // A sparse list's item is an `Option<String>`, which `"example"` is not.
            ShapeKind::List {
                member,
                sparse: false,
                ..
            } => matches!(model.shape(member).kind, ShapeKind::String),
            _ => false,
        };
        if takes_text {
            call.push_str(&format!("\n    .{}(\"example\")", m.field));
        }
    }
    [
        "```no_run",
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {",
        &format!("use {client}::config::{{BehaviorVersion, Credentials, Region}};"),
        &format!("let config = {client}::Config::builder()"),
        "    .behavior_version(BehaviorVersion::latest())",
        "    .region(Region::new(\"us-east-1\"))",
        "    .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"example\"))",
        "    .build();",
        &format!("let client = {client}::Client::from_conf(config);"),
        &format!("let _output = {call}\n    .send()\n    .await?;"),
        "# Ok(()) }",
        "```",
    ]
    .join("\n")
}

/// The discovery operation, when some operation requires a discovered endpoint (lowering
/// checked the service names one).
fn endpoint_discovery_operation(model: &Model) -> Option<&Operation> {
    if !model.requires_endpoint_discovery() {
        return None;
    }
    let discovery = model.service.endpoint_discovery.as_ref()?;
    model
        .operations
        .iter()
        .find(|o| o.id == discovery.operation)
}

/// What the client adds for endpoint discovery: the handle's cache field, its initialiser
/// (a call of the discovery operation through the handle, held weakly so the cache does not
/// keep the client alive), the configuration of the operations that require it, and
/// `with_endpoint_discovery_enabled`, as the official crate names it.
struct DiscoveryParts {
    field: TokenStream,
    init: TokenStream,
    handle_methods: TokenStream,
    client_methods: TokenStream,
}

fn discovery_parts(model: &Model) -> Option<DiscoveryParts> {
    let op = endpoint_discovery_operation(model)?;
    let snake = ident(&op.names.snake);
    // Lowering checked the output: `Endpoints`, a list of structures with `Address` and
    // `CachePeriodInMinutes`.
    let member = |st: &crate::model::Structure, name: &str| {
        st.members
            .iter()
            .find(|m| m.name == name)
            .cloned()
            .expect("lowering checked the discovery output")
    };
    let endpoints = member(model.structure(&op.output), "Endpoints");
    let item = match &model.shape(&endpoints.target).kind {
        ShapeKind::List { member, .. } => member.clone(),
        _ => unreachable!("lowering checked Endpoints is a list"),
    };
    let endpoints_field = ident(&endpoints.field);
    let endpoints = if endpoints.nullable {
        quote!(output.#endpoints_field.unwrap_or_default())
    } else {
        quote!(output.#endpoints_field)
    };
    let value = |name: &str| {
        let m = member(model.structure(&item), name);
        let f = ident(&m.field);
        if m.nullable {
            quote!(e.#f)
        } else {
            quote!(::std::option::Option::Some(e.#f))
        }
    };
    let address = value("Address");
    let period = value("CachePeriodInMinutes");
    Some(DiscoveryParts {
        field: quote! {
            /// The discovered endpoint of the operations that require one.
            endpoint_discovery: crate::endpoint_discovery::EndpointCache,
        },
        init: quote! {
            endpoint_discovery: crate::endpoint_discovery::EndpointCache::new(
                {
                    let handle = handle.clone();
                    ::std::sync::Arc::new(move || {
                        let handle = handle.clone();
                        ::std::boxed::Box::pin(async move {
                            let handle = handle
                                .upgrade()
                                .ok_or("the client was dropped during endpoint discovery")?;
                            let output = Client { handle }.#snake().send().await?;
                            ::std::result::Result::Ok(
                                ::std::iter::IntoIterator::into_iter(#endpoints)
                                    .next()
                                    .map(|e| crate::endpoint_discovery::Discovered {
                                        address: #address,
                                        cache_period_in_minutes: #period,
                                    }),
                            )
                        })
                    })
                },
                conf.time_source.clone(),
            ),
        },
        handle_methods: quote! {
            /// The configuration of an operation that requires a discovered endpoint: the
            /// endpoint cache is its resolver, unless an `endpoint_url` is configured.
            fn discovered_conf(&self) -> crate::Config {
                let mut conf = self.conf.clone();
                if conf.endpoint_url.is_none() {
                    conf.endpoint_resolver = ::std::option::Option::Some(
                        crate::config::SharedEndpointResolverHolder(self.endpoint_discovery.resolver()),
                    );
                }
                conf
            }
        },
        client_methods: quote! {
            /// Discovers the endpoint now rather than on the first call that needs it, and
            /// reports a failure here, as the official crate's method of this name does (with
            /// an `endpoint_url` configured there is nothing to discover). The client
            /// discovers and refreshes its endpoint by itself, so calling this is optional.
            pub async fn with_endpoint_discovery_enabled(
                self,
            ) -> ::std::result::Result<
                (Self, crate::endpoint_discovery::ReloadEndpoint),
                ::aws_smithy_runtime_api::box_error::BoxError,
            > {
                if self.handle.conf.endpoint_url.is_none() {
                    self.handle.endpoint_discovery.endpoint().await?;
                }
                let reload = crate::endpoint_discovery::ReloadEndpoint::new(
                    self.handle.endpoint_discovery.clone(),
                );
                ::std::result::Result::Ok((self, reload))
            }
        },
    })
}

/// `Handle`'s getter of an operation: assembled on its first use, with the endpoint cache as
/// its resolver when the operation requires a discovered endpoint.
fn handle_getter(op: &Operation) -> TokenStream {
    let snake = ident(&op.names.snake);
    let getter_doc = format!(" `{}`, assembled on its first use.", op.names.smithy);
    let conf = if op.discovered_endpoint == Some(DiscoveredEndpoint::Required) {
        quote!(&handle.discovered_conf())
    } else {
        quote!(&handle.conf)
    };
    quote! {
        #[doc = #getter_doc]
        pub(crate) fn #snake(&self) -> &crate::runtime::Assembled {
            self.assemble_once(&self.#snake, |handle| {
                crate::operation::#snake::build_operation(#conf, handle.http_client.clone())
            })
        }
    }
}

/// `Client`'s method that starts an operation's fluent builder.
fn client_method(op: &Operation) -> TokenStream {
    let snake = ident(&op.names.snake);
    let fluent = format_ident!("{}FluentBuilder", op.names.rust_type);
    let doc = super::docs_or(op.docs.as_deref(), "Calls the operation.");
    let dep = super::deprecated(op.deprecated.as_ref());
    quote! {
        #doc
        #dep
        pub fn #snake(&self) -> crate::operation::#snake::builders::#fluent {
            crate::operation::#snake::builders::#fluent::new(self.handle.clone())
        }
    }
}

/// `Client`, and `Handle`, the state its clones share: the configuration, the HTTP client and
/// one lazily assembled operation per operation of the model.
fn client(model: &Model) -> TokenStream {
    let snakes: Vec<Ident> = model
        .operations
        .iter()
        .map(|op| ident(&op.names.snake))
        .collect();
    let smithy_names = model.operations.iter().map(|op| &op.names.smithy);
    let fields = quote!(#(#snakes: ::std::sync::OnceLock<crate::runtime::Assembled>,)*);
    let inits = quote!(#(#snakes: ::std::sync::OnceLock::new(),)*);
    let getters = model.operations.iter().map(handle_getter);
    let assembled = quote! {
        #(
            if self.#snakes.get().is_some() {
                names.push(#smithy_names);
            }
        )*
    };
    let methods = model.operations.iter().map(client_method);
    let doc = format!(" A client for {}.", model.service.sdk_id);
    let discovery = discovery_parts(model);
    let discovery_field = discovery.as_ref().map(|d| &d.field);
    let discovery_methods = discovery.as_ref().map(|d| &d.handle_methods);
    let client_methods = discovery.as_ref().map(|d| &d.client_methods);
    let make_handle = match &discovery {
        Some(d) => {
            let init = &d.init;
            quote! {
                let http_client = crate::runtime::http_client(&conf);
                let handle = ::std::sync::Arc::new_cyclic(|handle: &::std::sync::Weak<Handle>| Handle {
                    #inits
                    #init
                    http_client,
                    conf,
                });
                Client { handle }
            }
        }
        None => quote! {
            let handle = Handle {
                #inits
                http_client: crate::runtime::http_client(&conf),
                conf,
            };
            Client { handle: ::std::sync::Arc::new(handle) }
        },
    };
    quote! {
        //! The client.

        #[doc = #doc]
        ///
        /// Cheap to create and to clone: clones share the configuration, the connection
        /// pool and the operations. Each operation (serializer, deserializer, retry
        /// classifier, SigV4, endpoint, interceptors) is assembled once, on its first call,
        /// so a client of many operations pays only for those it calls. Its `Debug` output
        /// lists the operations assembled so far.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            handle: ::std::sync::Arc<Handle>,
        }

        pub(crate) struct Handle {
            pub(crate) conf: crate::Config,
            /// Resolved once in `from_conf`, so every operation shares one connection pool.
            http_client: ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient>,
            #discovery_field
            #fields
        }

        impl Handle {
            #discovery_methods

            /// The operation in `slot`, assembled by `build` on its first use. Every
            /// operation's getter calls this one function (`build` is a plain function
            /// pointer), so the lazy initialisation is compiled once, not once per operation.
            fn assemble_once<'a>(
                &'a self,
                slot: &'a ::std::sync::OnceLock<crate::runtime::Assembled>,
                build: fn(&Handle) -> crate::runtime::Assembled,
            ) -> &'a crate::runtime::Assembled {
                slot.get_or_init(|| build(self))
            }

            #(#getters)*

            /// The names of the operations assembled so far, in model order.
            fn assembled(&self) -> ::std::vec::Vec<&'static str> {
                let mut names = ::std::vec::Vec::new();
                #assembled
                names
            }
        }

        impl ::std::fmt::Debug for Handle {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Handle")
                    .field("conf", &self.conf)
                    .field("assembled_operations", &self.assembled())
                    .finish()
            }
        }

        impl Client {
            /// Creates a client from an `SdkConfig` loaded by `aws-config`.
            pub fn new(sdk_config: &::aws_types::SdkConfig) -> Self {
                Self::from_conf(crate::Config::new(sdk_config))
            }
            /// Creates a client from a [`Config`](crate::Config).
            ///
            /// Missing settings (region, credentials, HTTP client) and unusable ones (a region
            /// that is not a region name, an endpoint URL without a host) are reported when a
            /// request is sent, as an error naming the setting; this never panics.
            pub fn from_conf(conf: crate::Config) -> Self {
                #make_handle
            }
            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                &self.handle.conf
            }
            #client_methods
            #(#methods)*
        }
    }
}

/// The `endpoint_lib` modules beside `partition` that the rule set (or a host prefix) calls,
/// with their inlineable files.
fn endpoint_lib_modules(cx: &Ctx) -> Vec<(&'static str, (&'static str, &'static str))> {
    use crate::rules::LibFunction;
    let used = cx.model.service.rules.lib_functions();
    let mut out = Vec::new();
    if used.contains(&LibFunction::ParseArn) {
        out.push(("arn", inlineable::ENDPOINT_ARN));
    }
    let host_labels = cx.model.operations.iter().any(|o| {
        o.endpoint
            .host_prefix
            .iter()
            .flatten()
            .any(|p| matches!(p, crate::model::HostPrefixPart::Label(_)))
    });
    if used.contains(&LibFunction::IsValidHostLabel) || host_labels {
        out.push(("host", inlineable::ENDPOINT_HOST));
    }
    if used.contains(&LibFunction::Substring) {
        out.push(("substring", inlineable::ENDPOINT_SUBSTRING));
    }
    out
}

/// Sets each rule-set parameter bound to a builtIn from the client configuration.
fn endpoint_param_setters(model: &Model) -> Result<Vec<TokenStream>, Error> {
    let mut out = Vec::new();
    for p in &model.service.rules.parameters {
        let set = format_ident!("set_{}", p.field);
        let value = match p.built_in.as_deref() {
            Some("AWS::Region") => quote!(conf.region.as_ref().map(|r| r.as_ref().to_owned())),
            Some("AWS::UseFIPS") => quote!(conf.use_fips),
            Some("AWS::UseDualStack") => quote!(conf.use_dual_stack),
            Some("SDK::Endpoint") => quote!(conf.endpoint_url.clone()),
            // As smithy-rs: the configured mode, else `preferred`.
            Some("AWS::Auth::AccountIdEndpointMode") => quote!(::std::option::Option::Some(
                conf.account_id_endpoint_mode
                    .clone()
                    .unwrap_or_default()
                    .to_string()
            )),
            // The credentials' account ID: set once the identity is resolved, by the
            // resolver's `finalize_params` (`emit/endpoint.rs`).
            Some("AWS::Auth::AccountId") => continue,
            Some(other) => {
                return Err(Error::invalid(
                    &model.service.id,
                    format!(
                        "endpoint parameter {} uses builtIn {other:?}, which is not supported",
                        p.name
                    ),
                ))
            }
            // Not settable from the configuration: the rule set's default applies.
            None => continue,
        };
        out.push(quote!(.#set(#value)));
    }
    Ok(out)
}

/// The runtime wiring every operation shares (`codegen/inlineable/client_runtime.rs`), after
/// what depends on the model: the service's names and the endpoint parameters.
fn runtime(cx: &Ctx) -> Result<TokenStream, Error> {
    let model = cx.model;
    let setters = endpoint_param_setters(model)?;
    let client_crate = cx.settings.package(Crate::Client);
    let svc = &model.service;
    let signing_name = &svc.signing_name;
    let service_id = svc.sdk_id.to_lowercase().replace(' ', "");
    let service_name = &svc.sdk_id;
    inlineable::file_with(
        inlineable::CLIENT_RUNTIME,
        quote! {
            /// The SigV4 signing name.
            pub(crate) const SIGNING_NAME: &str = #signing_name;
            /// The service name used for telemetry.
            pub(crate) const SERVICE_NAME: &str = #service_name;
            /// The service id in the user agent and the retry partition.
            pub(crate) const SERVICE_ID: &str = #service_id;
            /// The client crate, naming its configuration layer and runtime components.
            pub(crate) const CLIENT_CRATE: &str = #client_crate;

            /// The endpoint parameters this configuration implies.
            pub(crate) fn endpoint_params(conf: &crate::Config) -> ::std::result::Result<crate::config::endpoint::Params, crate::config::endpoint::InvalidParams> {
                crate::config::endpoint::Params::builder()
                    #(#setters)*
                    .build()
            }
        },
        &sections(model),
    )
}

/// The sections of the client's inlineable files this model needs.
fn sections(model: &Model) -> Vec<inlineable::Section> {
    let mut out = Vec::new();
    if model.uses_sigv4a() {
        out.push(inlineable::Section::SigV4a);
    }
    if model.uses_request_compression() {
        out.push(inlineable::Section::RequestCompression);
    }
    if model.uses_account_id_endpoint() {
        out.push(inlineable::Section::AccountIdEndpoint);
    }
    out
}

/// The client's `error` module (`codegen/inlineable/client_error.rs`), after the re-export of
/// the protocol crate's error-code types.
fn error(cx: &Ctx) -> Result<TokenStream, Error> {
    let protocol = cx.crate_path(Crate::Protocol, Crate::Client);
    inlineable::file(
        inlineable::CLIENT_ERROR,
        quote! {
            /// A success response that could not be read (the source of a response error), an
            /// error response without a code (the source of an `Unhandled` error), and what
            /// both say about the response.
            pub use #protocol::json_errors::{NoErrorCode, ResponseSummary, UnreadableResponse};
        },
    )
}

/// The names an operation's module uses, computed once.
struct OpNames {
    /// The module, client method and handle getter (`get_workgroup`).
    snake: Ident,
    /// The input, output and error types, and the input's builder.
    input: Ident,
    output: Ident,
    err: Ident,
    input_builder: Ident,
    /// The fluent builder.
    fluent: Ident,
    /// The operation's module in the types crate.
    types_mod: TokenStream,
    /// The operation's module in the protocol crate.
    proto: TokenStream,
}

impl OpNames {
    fn of(cx: &Ctx, op: &Operation) -> OpNames {
        let snake = ident(&op.names.snake);
        let types = cx.crate_path(Crate::Types, Crate::Client);
        let protocol = cx.crate_path(Crate::Protocol, Crate::Client);
        let name = &op.names.rust_type;
        OpNames {
            input: format_ident!("{name}Input"),
            output: format_ident!("{name}Output"),
            err: format_ident!("{name}Error"),
            input_builder: format_ident!("{name}InputBuilder"),
            fluent: format_ident!("{name}FluentBuilder"),
            types_mod: quote!(#types::operation::#snake),
            proto: quote!(#protocol::#snake),
            snake,
        }
    }
}

/// An operation's module: its types re-exported, its assembly, `prepare`, its paginator and
/// its fluent builder.
fn operation(cx: &Ctx, op: &Operation) -> TokenStream {
    let n = OpNames::of(cx, op);
    let OpNames {
        input,
        output,
        err,
        fluent,
        types_mod,
        ..
    } = &n;
    let (into_paginator, paginator) = match &op.pagination {
        Some(p) => (into_paginator(op), paginator(cx, op, p, &n)),
        None => (quote!(), quote!()),
    };
    let build_operation = build_operation(cx, op, &n);
    let prepare = prepare(op, cx.model, &n);
    let fluent_builder = fluent_builder(cx, op, &n, into_paginator);
    quote! {
        //! The operation: its types, and the fluent builder that sends it.

        pub use #types_mod::{#err, #input, #output};

        /// Builders for the input, the output and the request.
        pub mod builders {
            pub use #types_mod::builders::*;
            pub use super::#fluent;
        }

        #build_operation
        #prepare
        #paginator
        #fluent_builder
    }
}

/// `build_operation`: what every operation shares (`crate::runtime::assemble`), with what
/// differs: the retry classifier's facts, the serializer and the deserializer.
fn build_operation(cx: &Ctx, op: &Operation, n: &OpNames) -> TokenStream {
    let rt_retry = super::Runtime::Retry.path();
    let model = cx.model;
    let OpNames {
        input, err, proto, ..
    } = n;
    let smithy = &op.names.smithy;
    // A sensitive output must not reach the runtime's TRACE log of response bodies.
    let output_shape = model.shape(&op.output);
    let output_sensitive = output_shape.sensitive
        || model
            .structure(&op.output)
            .members
            .iter()
            .any(|m| super::is_sensitive(model, output_shape, m));
    let (serializer, endpoint_fn) = if op.endpoint.is_empty() {
        (
            quote!(crate::runtime::Serializer(#proto::ser_erased)),
            quote!(),
        )
    } else {
        (
            quote!(crate::operation_endpoint::Serializer::<#input> {
                serialize: #proto::ser_request,
                endpoint: endpoint_settings,
            }),
            endpoint_settings(cx, op, input),
        )
    };
    let rt_signer = super::Runtime::Signer.path();
    let auth = op.auth.iter().map(|scheme| match scheme {
        AuthScheme::SigV4 => quote!(#rt_signer::SCHEME_ID),
        AuthScheme::SigV4a => quote!(#rt_signer::SIGV4A_SCHEME_ID),
        AuthScheme::NoAuth => {
            quote!(::aws_smithy_runtime::client::auth::no_auth::NO_AUTH_SCHEME_ID)
        }
    });
    // Only a client with compressed operations has the field.
    let compression = if model.uses_request_compression() {
        let on = op.request_compression;
        quote!(request_compression: #on,)
    } else {
        quote!()
    };
    quote! {
        /// Assembles the operation, once per client on its first call: what every operation
        /// shares (`crate::runtime::assemble`), with this one's retry classifier, serializer
        /// and deserializer.
        pub(crate) fn build_operation(
            conf: &crate::Config,
            http_client: ::std::option::Option<::aws_smithy_runtime_api::client::http::SharedHttpClient>,
        ) -> crate::runtime::Assembled {
            /// The auth schemes the operation may be called with, in order of preference.
            const AUTH_SCHEMES: &[::aws_smithy_runtime_api::client::auth::AuthSchemeId] = &[#(#auth),*];
            crate::runtime::assemble(
                conf,
                http_client,
                crate::runtime::OperationFacts {
                    name: #smithy,
                    sensitive_output: #output_sensitive,
                    auth_schemes: AUTH_SCHEMES,
                    #compression
                },
                ::aws_smithy_runtime_api::client::retries::classifiers::SharedRetryClassifier::new(
                    #rt_retry::RedshiftRetryClassifier::<#err>::new(
                        #rt_retry::ModeledErrors::new(#err::MODELED_ERROR_CODES, #err::RETRYABLE_ERRORS),
                        // Every AWS SDK repeats an attempt whose outcome is unknown; minting a
                        // short-lived token twice is harmless.
                        #rt_retry::RetryPolicy::default(),
                    ),
                ),
                ::aws_smithy_runtime_api::client::ser_de::SharedRequestSerializer::new(
                    #serializer,
                ),
                ::aws_smithy_runtime_api::client::ser_de::SharedResponseDeserializer::new(
                    crate::runtime::Deserializer(#proto::de_erased),
                ),
            )
        }
        #endpoint_fn
    }
}

/// The default of a parameter that has one, as a Rust value.
fn param_default(p: &crate::rules::Parameter) -> TokenStream {
    match (&p.default_string, p.default_bool, &p.default_array) {
        (Some(s), _, _) => quote!(::std::string::String::from(#s)),
        (_, Some(b), _) => quote!(#b),
        (_, _, Some(items)) => quote!(::std::vec![#(::std::string::String::from(#items)),*]),
        _ => unreachable!("a parameter always set has a default"),
    }
}

/// `endpoint_settings`: the operation's static and input-bound endpoint parameters set on the
/// configuration's, and its host prefix, for `operation_endpoint::Serializer`.
fn endpoint_settings(cx: &Ctx, op: &Operation, input: &Ident) -> TokenStream {
    use crate::model::{HostPrefixPart, StaticParam};
    let rules = &cx.model.service.rules;
    let structure = cx.model.structure(&op.input);
    let member = |name: &str| {
        structure
            .members
            .iter()
            .find(|m| m.name == name)
            .expect("checked when lowered")
    };
    let param = |name: &str| rules.parameter(name).expect("checked when lowered");
    let mut sets = Vec::new();
    for (name, value) in &op.endpoint.static_params {
        let p = param(name);
        let f = ident(&p.field);
        let value = match value {
            StaticParam::Str(s) => quote!(::std::string::String::from(#s)),
            StaticParam::Bool(b) => quote!(#b),
            StaticParam::Array(items) => {
                quote!(::std::vec![#(::std::string::String::from(#items)),*])
            }
        };
        sets.push(if p.always_set() {
            quote!(params.#f = #value;)
        } else {
            quote!(params.#f = ::std::option::Option::Some(#value);)
        });
    }
    let mut path_fns = Vec::new();
    for bound in &op.endpoint.operation_context_params {
        let p = param(&bound.name);
        let f = ident(&p.field);
        path_fns.push(super::context_path::function(cx, bound, p, input));
        let get = format_ident!("{}_from_input", p.field);
        sets.push(if p.always_set() {
            let default = param_default(p);
            quote!(params.#f = #get(input).unwrap_or_else(|| #default);)
        } else {
            quote!(params.#f = #get(input);)
        });
    }
    for (name, member_name) in &op.endpoint.context_params {
        let p = param(name);
        let f = ident(&p.field);
        let m = member(member_name);
        let field = ident(&m.field);
        let value = quote!(input.#field.clone());
        sets.push(match (p.always_set(), m.nullable) {
            (false, true) => quote!(params.#f = #value;),
            (false, false) => quote!(params.#f = ::std::option::Option::Some(#value);),
            (true, false) => quote!(params.#f = #value;),
            (true, true) => {
                let default = param_default(p);
                quote!(params.#f = #value.unwrap_or_else(|| #default);)
            }
        });
    }
    let smithy = &op.names.smithy;
    let prefix = match &op.endpoint.host_prefix {
        None => quote!(::std::option::Option::None),
        Some(parts) => {
            let mut fmt = String::new();
            let mut args = Vec::new();
            for part in parts {
                match part {
                    HostPrefixPart::Text(t) => {
                        fmt.push_str(&t.replace('{', "{{").replace('}', "}}"))
                    }
                    HostPrefixPart::Label(label) => {
                        fmt.push_str("{}");
                        let m = member(label);
                        let field = ident(&m.field);
                        let value = if m.nullable {
                            quote!(input.#field.as_deref())
                        } else {
                            quote!(::std::option::Option::Some(input.#field.as_str()))
                        };
                        args.push(
                            quote!(crate::endpoint_lib::host::host_label(#smithy, #label, #value)?),
                        );
                    }
                }
            }
            quote!(::std::option::Option::Some(
                ::aws_smithy_runtime_api::client::endpoint::EndpointPrefix::new(
                    ::std::format!(#fmt, #(#args),*)
                )?
            ))
        }
    };
    let unused = if sets.is_empty() {
        quote!(let _ = params;)
    } else {
        quote!()
    };
    let unused_input = if op.endpoint.context_params.is_empty()
        && op.endpoint.operation_context_params.is_empty()
        && !op
            .endpoint
            .host_prefix
            .iter()
            .flatten()
            .any(|p| matches!(p, HostPrefixPart::Label(_)))
    {
        quote!(let _ = input;)
    } else {
        quote!()
    };
    quote! {
        /// Sets the endpoint parameters this operation and its input imply on those of the
        /// configuration, and gives the host prefix, before the endpoint is resolved.
        fn endpoint_settings(
            input: &#input,
            params: &mut crate::config::endpoint::Params,
        ) -> ::std::result::Result<
            ::std::option::Option<::aws_smithy_runtime_api::client::endpoint::EndpointPrefix>,
            ::aws_smithy_runtime_api::box_error::BoxError,
        > {
            #(#path_fns)*
            #unused
            #unused_input
            #(#sets)*
            ::std::result::Result::Ok(#prefix)
        }
    }
}

/// `prepare`: everything `send()` and the paginator do before any I/O.
fn prepare(op: &Operation, model: &Model, n: &OpNames) -> TokenStream {
    // An operation that may be called unsigned sends without credentials.
    let needs_credentials = !op.auth.contains(&AuthScheme::NoAuth);
    let rt_constraints = super::Runtime::Constraints.path();
    let OpNames {
        input,
        input_builder,
        types_mod,
        ..
    } = n;
    let fill_tokens = fill_idempotency_tokens(model, op);
    // A waiter of the operation builds its input the same way.
    let vis = if op.waiters.is_empty() {
        quote!()
    } else {
        quote!(pub(crate))
    };
    quote! {
        /// Everything `send()` does before any I/O: builds the input (filling unset
        /// idempotency tokens), validates it unless validation is off, and checks the client
        /// can send. Shared by `send()` and the paginator; any error is a construction
        /// failure.
        #vis fn prepare(
            handle: &crate::client::Handle,
            builder: #types_mod::builders::#input_builder,
        ) -> ::std::result::Result<#input, ::aws_smithy_runtime_api::box_error::BoxError> {
            #fill_tokens
            let input = builder.build()?;
            if handle.conf.validation_mode.is_enforced() {
                #rt_constraints::Validate::validate(&input)?;
            }
            if let ::std::option::Option::Some(problem) = crate::runtime::missing_setting(&handle.conf, #needs_credentials) {
                return ::std::result::Result::Err(problem);
            }
            ::std::result::Result::Ok(input)
        }
    }
}

/// `@idempotencyToken` members the caller left unset get a fresh UUID v4, as the official
/// SDKs do, before validation sees the input.
fn fill_idempotency_tokens(model: &Model, op: &Operation) -> TokenStream {
    let tokens: Vec<_> = model
        .structure(&op.input)
        .members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|m| {
            let get = format_ident!("get_{}", m.field);
            let set = format_ident!("set_{}", m.field);
            quote! {
                if builder.#get().is_none() {
                    builder = builder.#set(::std::option::Option::Some(crate::idempotency_token::uuid_v4()));
                }
            }
        })
        .collect();
    if tokens.is_empty() {
        quote!()
    } else {
        quote!(let mut builder = builder; #(#tokens)*)
    }
}

/// The fluent builder: `send()`, the paginator when there is one, and a setter, `set_*` and
/// `get_*` per input member, forwarding to the input builder.
fn fluent_builder(
    cx: &Ctx,
    op: &Operation,
    n: &OpNames,
    into_paginator: TokenStream,
) -> TokenStream {
    let OpNames {
        snake,
        output,
        err,
        input_builder,
        fluent,
        types_mod,
        ..
    } = n;
    let fluent_doc = format!(" Builds and sends a `{}` request.", op.names.smithy);
    let setters = cx
        .model
        .structure(&op.input)
        .members
        .iter()
        .map(|m| fluent_setters(cx, m));
    quote! {
        #[doc = #fluent_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<crate::client::Handle>,
            inner: #types_mod::builders::#input_builder,
        }

        impl #fluent {
            pub(crate) fn new(handle: ::std::sync::Arc<crate::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            /// The input built so far.
            pub fn as_input(&self) -> &#types_mod::builders::#input_builder {
                &self.inner
            }
            /// Validates the input against the model's constraints (unless validation is
            /// off), then sends it, retrying as the retry configuration allows.
            pub async fn send(self) -> ::std::result::Result<#output, crate::error::SdkError<#err>> {
                let input = prepare(&self.handle, self.inner)
                    .map_err(crate::error::SdkError::construction_failure)?;
                crate::runtime::send(self.handle.#snake(), input).await
            }
            #into_paginator
            #(#setters)*
        }
    }
}

/// One input member's fluent methods, forwarding to the input builder's: the one named after
/// the member (taking what the builder's does: a list item, a map entry or the value),
/// `set_*` and `get_*`.
pub(super) fn fluent_setters(cx: &Ctx, m: &crate::model::Member) -> TokenStream {
    let field = ident(&m.field);
    let set = format_ident!("set_{}", m.field);
    let get = format_ident!("get_{}", m.field);
    let ty = cx.type_of(&m.target, Crate::Client);
    let doc = super::docs_or(m.docs.as_deref(), &format!("The `{}` member.", m.name));
    let doc = {
        let dep = super::deprecated(m.deprecated.as_ref());
        quote!(#doc #dep)
    };
    let add = match super::setter_arg(cx, m, Crate::Client) {
        super::SetterArg::Item(item) => quote! {
            #doc
            ///
            /// Appends one item; call repeatedly to add more.
            pub fn #field(mut self, input: impl ::std::convert::Into<#item>) -> Self {
                self.inner = self.inner.#field(input);
                self
            }
        },
        super::SetterArg::Entry(k, v) => quote! {
            #doc
            pub fn #field(mut self, k: impl ::std::convert::Into<#k>, v: impl ::std::convert::Into<#v>) -> Self {
                self.inner = self.inner.#field(k, v);
                self
            }
        },
        super::SetterArg::Value(_) => quote! {
            #doc
            pub fn #field(mut self, input: impl ::std::convert::Into<#ty>) -> Self {
                self.inner = self.inner.#field(input);
                self
            }
        },
    };
    quote! {
        #add
        #doc
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
        #doc
        pub fn #get(&self) -> &::std::option::Option<#ty> {
            self.inner.#get()
        }
    }
}

/// The fluent builder's `into_paginator()`.
fn into_paginator(op: &Operation) -> TokenStream {
    let pager = format_ident!("{}Paginator", op.names.rust_type);
    quote! {
        /// A paginator over every page of results, starting from this request.
        pub fn into_paginator(self) -> paginator::#pager {
            paginator::#pager::new(self.handle, self.inner)
        }
    }
}

/// A member `@paginated` names (lowering checked it exists).
fn paginated_member(st: &crate::model::Structure, name: &str) -> crate::model::Member {
    st.members
        .iter()
        .find(|m| m.name == name)
        .cloned()
        .expect("lowering checked the paginated members")
}

/// Statements following a member path through the output (bound to `value`): by reference
/// for the token, by value for the items; and the shape the path ends at.
fn output_path(
    model: &Model,
    op: &Operation,
    path: &[String],
    by_ref: bool,
) -> (TokenStream, ShapeId) {
    let mut at = op.output.clone();
    let mut steps = Vec::new();
    for name in path {
        let m = paginated_member(model.structure(&at), name);
        let f = ident(&m.field);
        steps.push(match (by_ref, m.nullable) {
            (true, true) => quote!(let value = value.#f.as_ref()?;),
            (true, false) => quote!(let value = &value.#f;),
            (false, true) => quote!(let value = value.#f?;),
            (false, false) => quote!(let value = value.#f;),
        });
        at = m.target.clone();
    }
    (quote!(#(#steps)*), at)
}

/// An operation's paginator, as the official crate has: `into_paginator()` on the fluent
/// builder (see [`into_paginator`]), `send()` for pages and `items()` for the items of every
/// page: the `paginator` module.
fn paginator(cx: &Ctx, op: &Operation, p: &Pagination, n: &OpNames) -> TokenStream {
    let OpNames {
        output,
        input_builder,
        types_mod,
        ..
    } = n;
    let pager = format_ident!("{}Paginator", op.names.rust_type);
    let pager_doc = format!(
        " Pages of `{}`: each request carries the previous response's `{}` as `{}`.",
        op.names.smithy,
        p.output_token.join("."),
        p.input_token
    );
    let page_size = page_size(cx.model, op, p);
    let items_method = p.items.as_ref().map(|path| items_method(op, path));
    let items_type = p.items.as_ref().map(|path| items_type(cx, op, path, n));
    let pages = pages(cx.model, op, p, n);
    let (token_steps, token_target) = output_path(cx.model, op, &p.output_token, true);
    // A string, or the map both tokens target.
    let token_ty = cx.type_of(&token_target, Crate::Client);
    quote! {
        /// The paginator of the operation.
        pub mod paginator {
            #[doc = #pager_doc]
            ///
            /// It stops after a page without a next token (or with an empty one), after an
            /// error, and, unless told otherwise, when the service repeats the token it was
            /// sent (which would otherwise loop forever).
            #[derive(::std::fmt::Debug)]
            pub struct #pager {
                handle: ::std::sync::Arc<crate::client::Handle>,
                builder: #types_mod::builders::#input_builder,
                stop_on_duplicate_token: bool,
            }

            impl #pager {
                pub(crate) fn new(
                    handle: ::std::sync::Arc<crate::client::Handle>,
                    builder: #types_mod::builders::#input_builder,
                ) -> Self {
                    Self { handle, builder, stop_on_duplicate_token: true }
                }
                #page_size
                #items_method
                /// Whether to stop when the service returns the token it was sent (default:
                /// true). Turn off only for an operation that tails a changing source.
                pub fn stop_on_duplicate_token(mut self, stop_on_duplicate_token: bool) -> Self {
                    self.stop_on_duplicate_token = stop_on_duplicate_token;
                    self
                }
                #pages
            }

            #items_type

            fn next_token(value: &#types_mod::#output) -> ::std::option::Option<&#token_ty> {
                #token_steps
                ::std::option::Option::Some(value)
            }
        }
    }
}

/// The paginator's `page_size()`, when `@paginated` names a page size member.
fn page_size(model: &Model, op: &Operation, p: &Pagination) -> Option<TokenStream> {
    let name = p.page_size.as_ref()?;
    let m = paginated_member(model.structure(&op.input), name);
    let set = format_ident!("set_{}", m.field);
    let doc = format!(" The page size: sets `{}` on every request.", m.name);
    Some(quote! {
        #[doc = #doc]
        pub fn page_size(mut self, limit: i32) -> Self {
            self.builder = self.builder.#set(::std::option::Option::Some(limit));
            self
        }
    })
}

/// The paginator's `send()`: the stream of pages, each request carrying the previous
/// response's token.
fn pages(model: &Model, op: &Operation, p: &Pagination, n: &OpNames) -> TokenStream {
    let OpNames {
        snake,
        input,
        output,
        err,
        types_mod,
        ..
    } = n;
    // The input token: read it to compare, write the next one.
    let token = paginated_member(model.structure(&op.input), &p.input_token);
    let token_field = ident(&token.field);
    let (current_token, set_token) = if token.nullable {
        (
            quote!(input.#token_field.as_ref()),
            quote!(input.#token_field = new_token.cloned();),
        )
    } else {
        (
            quote!(::std::option::Option::Some(&input.#token_field)),
            quote!(input.#token_field = new_token.cloned().unwrap_or_default();),
        )
    };
    quote! {
        /// The stream of pages. No request is sent until it is polled; the input is
        /// built and validated once, before the first request.
        pub fn send(
            self,
        ) -> ::aws_smithy_async::future::pagination_stream::PaginationStream<
            ::std::result::Result<#types_mod::#output, crate::error::SdkError<#types_mod::#err>>,
        > {
            let Self { handle, builder, stop_on_duplicate_token } = self;
            ::aws_smithy_async::future::pagination_stream::PaginationStream::new(
                ::aws_smithy_async::future::pagination_stream::fn_stream::FnStream::new(move |tx| {
                    ::std::boxed::Box::pin(async move {
                        let mut input: #types_mod::#input = match super::prepare(&handle, builder) {
                            ::std::result::Result::Ok(input) => input,
                            ::std::result::Result::Err(e) => {
                                let e = crate::error::SdkError::construction_failure(e);
                                let _ = tx.send(::std::result::Result::Err(e)).await;
                                return;
                            }
                        };
                        loop {
                            let response = crate::runtime::send::<_, #types_mod::#output, #types_mod::#err>(handle.#snake(), input.clone()).await;
                            let done = match &response {
                                ::std::result::Result::Ok(page) => {
                                    let new_token = next_token(page);
                                    let is_empty = new_token.is_none_or(|t| t.is_empty());
                                    if !is_empty && new_token == #current_token && stop_on_duplicate_token {
                                        true
                                    } else {
                                        #set_token
                                        is_empty
                                    }
                                }
                                ::std::result::Result::Err(_) => true,
                            };
                            if tx.send(response).await.is_err() {
                                // The stream was dropped.
                                return;
                            }
                            if done {
                                return;
                            }
                        }
                    })
                }),
            )
        }
    }
}

/// The paginator's `items()`.
fn items_method(op: &Operation, path: &[String]) -> TokenStream {
    let pager_items = format_ident!("{}PaginatorItems", op.names.rust_type);
    let doc = format!(
        " The items of every page (`{}`), fetched lazily page by page.",
        path.join(".")
    );
    quote! {
        #[doc = #doc]
        pub fn items(self) -> #pager_items {
            #pager_items(self)
        }
    }
}

/// The items stream `items()` returns, and the function that takes a page's items.
fn items_type(cx: &Ctx, op: &Operation, path: &[String], n: &OpNames) -> TokenStream {
    let OpNames {
        output,
        err,
        types_mod,
        ..
    } = n;
    let pager = format_ident!("{}Paginator", op.names.rust_type);
    let pager_items = format_ident!("{}PaginatorItems", op.names.rust_type);
    let (steps, target) = output_path(cx.model, op, path, false);
    let item_ty = match &cx.model.shape(&target).kind {
        // A sparse collection's items are `Option`s, as smithy-rs's paginators yield them.
        ShapeKind::List { member, sparse, .. } => {
            cx.element_type_of(member, *sparse, Crate::Client)
        }
        ShapeKind::Map { key, value, sparse } => {
            let k = cx.type_of(key, Crate::Client);
            let v = cx.element_type_of(value, *sparse, Crate::Client);
            quote!((#k, #v))
        }
        _ => unreachable!("lowering checked items names a list or map"),
    };
    let doc = format!(" The items of every page; made by [`{pager}::items`].");
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug)]
        pub struct #pager_items(#pager);

        impl #pager_items {
            /// The stream of items. No request is sent until it is polled; an error
            /// ends it after being yielded.
            pub fn send(
                self,
            ) -> ::aws_smithy_async::future::pagination_stream::PaginationStream<
                ::std::result::Result<#item_ty, crate::error::SdkError<#types_mod::#err>>,
            > {
                ::aws_smithy_async::future::pagination_stream::TryFlatMap::new(self.0.send())
                    .flat_map(|page| items(page).unwrap_or_default().into_iter())
            }
        }

        fn items(value: #types_mod::#output) -> ::std::option::Option<::std::vec::Vec<#item_ty>> {
            #steps
            ::std::option::Option::Some(::std::iter::IntoIterator::into_iter(value).collect())
        }
    }
}
