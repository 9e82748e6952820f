//! The endpoint resolver: the rule set compiled to nested `if`s, and the partition table.
//!
//! Compiling (rather than interpreting) the rules means a rule set this generator does not
//! understand fails at generation time, and resolution costs a few comparisons.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ident::snake;
use crate::model::partitions::{Partition, PartitionOutputs};
use crate::rules::{
    arn_resource_index, array_index, Expr, ParamType, Parameter, Property, Rule, RuleBody, RuleSet,
    Template, TemplatePart, ARN_ATTRS, PARTITION_ATTRS,
};
use crate::Error;

/// The partition table (lowered into the model) as Rust statics.
pub fn partitions(partitions: &[Partition]) -> Result<TokenStream, Error> {
    let mut entries = Vec::new();
    for part in partitions {
        let PartitionOutputs {
            name,
            dns_suffix,
            dual_stack_dns_suffix,
            supports_fips,
            supports_dual_stack,
            implicit_global_region,
        } = &part.outputs;
        let regions = &part.regions;
        let id = &part.id;
        let re = &part.region_regex;
        entries.push(quote! {
            PartitionEntry {
                id: #id,
                region_regex: #re,
                regions: &[#(#regions),*],
                outputs: Partition {
                    name: #name,
                    dns_suffix: #dns_suffix,
                    dual_stack_dns_suffix: #dual_stack_dns_suffix,
                    supports_fips: #supports_fips,
                    supports_dual_stack: #supports_dual_stack,
                    implicit_global_region: #implicit_global_region,
                },
            },
        });
    }
    let n = partitions.len();
    super::inlineable::file(
        super::inlineable::PARTITION,
        quote! {
            /// The partition table, from `model/partitions.json`.
            pub(crate) static PARTITIONS: [PartitionEntry; #n] = [#(#entries)*];
        },
    )
}

/// What a name refers to while compiling a rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    /// A string known to be set: a `&str` local.
    Str,
    /// A string parameter that may be unset: an `Option<&str>` local.
    OptStr,
    /// A boolean: a `bool` local.
    Bool,
    /// A boolean parameter without a default, which may be unset: an `Option<bool>` local.
    OptBool,
    /// A partition result: a `&Partition` local.
    Partition,
    /// An `aws.parseArn` result: an `Arn` local.
    Arn,
    /// A string array known to be set: a `&[String]` local.
    Array,
    /// A string array parameter that may be unset: an `Option<&[String]>` local.
    OptArray,
}

struct Compiler;

fn local(name: &str) -> proc_macro2::Ident {
    ident(&snake(name))
}

impl Compiler {
    fn template(
        &self,
        t: &Template,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<TokenStream, Error> {
        let mut fmt = String::new();
        let mut args = Vec::new();
        for part in &t.0 {
            match part {
                TemplatePart::Text(s) => fmt.push_str(&s.replace('{', "{{").replace('}', "}}")),
                TemplatePart::Ref(r) => {
                    match scope.get(r) {
                        Some(Binding::Str) => {}
                        _ => {
                            return Err(Error::invalid(
                                "endpoint rules",
                                format!("template uses {r}, which is not a set string here"),
                            ))
                        }
                    }
                    fmt.push_str("{}");
                    let l = local(r);
                    args.push(quote!(#l));
                }
                TemplatePart::Attr(r, attr) => {
                    let (value, ty) = self.attr(r, attr, scope)?;
                    if ty != ParamType::String {
                        return Err(Error::invalid(
                            "endpoint rules",
                            format!("template uses {r}#{attr}, which is not a string"),
                        ));
                    }
                    fmt.push_str("{}");
                    args.push(value);
                }
            }
        }
        if args.is_empty() {
            Ok(quote!(::std::string::String::from(#fmt)))
        } else if fmt == "{}" {
            let arg = &args[0];
            Ok(quote!(::std::string::ToString::to_string(#arg)))
        } else {
            Ok(quote!(::std::format!(#fmt, #(#args),*)))
        }
    }

    /// `getAttr(r, attr)` where its value is always set: a partition's attribute, or an ARN's
    /// partition, service, region or account id.
    fn attr(
        &self,
        r: &str,
        attr: &str,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<(TokenStream, ParamType), Error> {
        let l = local(r);
        let a = ident(&snake(attr));
        match scope.get(r) {
            Some(Binding::Partition) => {
                let ty = PARTITION_ATTRS
                    .iter()
                    .find(|(p, _)| *p == attr)
                    .map(|(_, t)| *t)
                    .ok_or_else(|| {
                        Error::invalid(
                            "endpoint rules",
                            format!("{r} is a partition result, which has no attribute {attr:?}"),
                        )
                    })?;
                Ok((quote!(#l.#a), ty))
            }
            Some(Binding::Arn) if ARN_ATTRS.contains(&attr) => {
                Ok((quote!(#l.#a()), ParamType::String))
            }
            Some(Binding::Arn) => Err(Error::invalid(
                "endpoint rules",
                format!(
                    "getAttr({r}, {attr:?}) may be unset; it is supported only as an assigned condition"
                ),
            )),
            _ => Err(Error::invalid(
                "endpoint rules",
                format!("getAttr on {r}, which is not a partition or ARN result here"),
            )),
        }
    }

    /// An expression of boolean or string type.
    fn expr(
        &self,
        e: &Expr,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<(TokenStream, ParamType), Error> {
        Ok(match e {
            Expr::Bool(b) => (quote!(#b), ParamType::Boolean),
            Expr::Str(t) => {
                let s = self.template(t, scope)?;
                (quote!(#s.as_str()), ParamType::String)
            }
            Expr::Ref(r) => {
                let l = local(r);
                match scope.get(r) {
                    Some(Binding::Bool) => (quote!(#l), ParamType::Boolean),
                    Some(Binding::Str) => (quote!(#l), ParamType::String),
                    Some(Binding::Array | Binding::OptArray) => {
                        return Err(Error::invalid(
                            "endpoint rules",
                            format!("{r} is a string array, which only isSet and an assigned getAttr `[N]` take"),
                        ))
                    }
                    _ => {
                        return Err(Error::invalid(
                            "endpoint rules",
                            format!("{r} is used where it may be unset"),
                        ))
                    }
                }
            }
            Expr::GetAttr(r, attr) => self.attr(r, attr, scope)?,
            Expr::IsValidHostLabel(arg, allow_dots) => {
                let a = self.string_arg(arg, scope, "isValidHostLabel")?;
                (
                    quote!(crate::endpoint_lib::host::is_valid_host_label(#a, #allow_dots)),
                    ParamType::Boolean,
                )
            }
            Expr::ParseArn(_) | Expr::Substring(..) => {
                let (t, _) = self.optional(e, scope)?;
                (quote!((#t).is_some()), ParamType::Boolean)
            }
            Expr::Not(inner) => match inner.as_ref() {
                // `not(equals(a, b))` reads better, and lints cleaner, as `a != b`.
                Expr::BooleanEquals(a, b) => (
                    self.compare(a, b, ParamType::Boolean, quote!(!=), scope)?,
                    ParamType::Boolean,
                ),
                Expr::StringEquals(a, b) => (
                    self.compare(a, b, ParamType::String, quote!(!=), scope)?,
                    ParamType::Boolean,
                ),
                // `not(isSet(x))` as `x.is_none()`, for the same reason.
                Expr::IsSet(r)
                    if matches!(
                        scope.get(r),
                        Some(Binding::OptStr | Binding::OptBool | Binding::OptArray)
                    ) =>
                {
                    let l = local(r);
                    (quote!(#l.is_none()), ParamType::Boolean)
                }
                other => {
                    let (t, ty) = self.expr(other, scope)?;
                    if ty != ParamType::Boolean {
                        return Err(Error::invalid("endpoint rules", "not() takes a boolean"));
                    }
                    (quote!(!(#t)), ParamType::Boolean)
                }
            },
            Expr::BooleanEquals(a, b) => (
                self.compare(a, b, ParamType::Boolean, quote!(==), scope)?,
                ParamType::Boolean,
            ),
            Expr::StringEquals(a, b) => (
                self.compare(a, b, ParamType::String, quote!(==), scope)?,
                ParamType::Boolean,
            ),
            Expr::IsSet(r) => match scope.get(r) {
                Some(Binding::OptStr | Binding::OptBool | Binding::OptArray) => {
                    let l = local(r);
                    (quote!(#l.is_some()), ParamType::Boolean)
                }
                Some(_) => (quote!(true), ParamType::Boolean),
                None => {
                    return Err(Error::invalid(
                        "endpoint rules",
                        format!("isSet of unknown name {r}"),
                    ))
                }
            },
            Expr::Partition(_) => {
                return Err(Error::invalid(
                    "endpoint rules",
                    "aws.partition must be assigned",
                ))
            }
        })
    }

    /// `arg`, the argument of the rules function `name`, which must be a string.
    fn string_arg(
        &self,
        arg: &Expr,
        scope: &BTreeMap<String, Binding>,
        name: &str,
    ) -> Result<TokenStream, Error> {
        let (a, ty) = self.expr(arg, scope)?;
        if ty != ParamType::String {
            return Err(Error::invalid(
                "endpoint rules",
                format!("{name} takes a string"),
            ));
        }
        Ok(a)
    }

    /// A function whose result may be unset, as an `Option` expression, and what its value
    /// binds to when assigned.
    fn optional(
        &self,
        e: &Expr,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<(TokenStream, Binding), Error> {
        Ok(match e {
            Expr::ParseArn(arg) => {
                let a = self.string_arg(arg, scope, "aws.parseArn")?;
                (
                    quote!(crate::endpoint_lib::arn::parse_arn(#a)),
                    Binding::Arn,
                )
            }
            Expr::Substring(arg, start, stop, reverse) => {
                let a = self.string_arg(arg, scope, "substring")?;
                (
                    quote!(crate::endpoint_lib::substring::substring(#a, #start, #stop, #reverse)),
                    Binding::Str,
                )
            }
            Expr::GetAttr(r, attr) if scope.get(r) == Some(&Binding::Array) => {
                let index = array_index(attr).ok_or_else(|| {
                    Error::invalid(
                        "endpoint rules",
                        format!("getAttr({r}, {attr:?}): a string array takes only an index `[N]`"),
                    )
                })?;
                let l = local(r);
                let element = if index == 0 {
                    quote!(#l.first())
                } else {
                    quote!(#l.get(#index))
                };
                (
                    quote!(#element.map(::std::string::String::as_str)),
                    Binding::Str,
                )
            }
            Expr::GetAttr(r, attr) if scope.get(r) == Some(&Binding::Arn) => {
                let index = arn_resource_index(attr).ok_or_else(|| {
                    Error::invalid(
                        "endpoint rules",
                        format!("getAttr({r}, {attr:?}) is not supported"),
                    )
                })?;
                let l = local(r);
                (quote!(#l.resource_id(#index)), Binding::Str)
            }
            _ => return Err(Error::invalid(
                "endpoint rules",
                "only aws.partition, aws.parseArn, substring and getAttr results can be assigned",
            )),
        })
    }

    /// An endpoint property as an `aws_smithy_types::Document`, as the official crates build
    /// it (`authSchemes` is read from it by the runtime and handed to the signer).
    fn property(
        &self,
        p: &Property,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<TokenStream, Error> {
        let doc = quote!(::aws_smithy_types::Document);
        Ok(match p {
            Property::Str(t) => {
                let s = self.template(t, scope)?;
                quote!(#doc::String(#s))
            }
            Property::Bool(b) => quote!(#doc::Bool(#b)),
            Property::Int(n) => match u64::try_from(*n) {
                Ok(n) => quote!(#doc::Number(::aws_smithy_types::Number::PosInt(#n))),
                Err(_) => quote!(#doc::Number(::aws_smithy_types::Number::NegInt(#n))),
            },
            Property::Array(items) => {
                let items = items
                    .iter()
                    .map(|i| self.property(i, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#doc::Array(::std::vec![#(#items),*]))
            }
            Property::Object(fields) => {
                let mut entries = Vec::new();
                for (k, v) in fields {
                    let v = self.property(v, scope)?;
                    entries.push(quote!((::std::string::String::from(#k), #v)));
                }
                quote!(#doc::Object(::std::collections::HashMap::from([#(#entries),*])))
            }
        })
    }

    /// `a <op> b`, both of type `want`.
    fn compare(
        &self,
        a: &Expr,
        b: &Expr,
        want: ParamType,
        op: TokenStream,
        scope: &BTreeMap<String, Binding>,
    ) -> Result<TokenStream, Error> {
        let (ta, ya) = self.expr(a, scope)?;
        let (tb, yb) = self.expr(b, scope)?;
        if ya != want || yb != want {
            return Err(Error::invalid(
                "endpoint rules",
                "comparison of mismatched types",
            ));
        }
        Ok(quote!((#ta) #op (#tb)))
    }

    /// Compiles rules in order; each that applies returns.
    fn rules(
        &self,
        rules: &[Rule],
        scope: &BTreeMap<String, Binding>,
    ) -> Result<TokenStream, Error> {
        let mut out = Vec::new();
        for r in rules {
            out.push(self.rule(r, 0, scope.clone())?);
        }
        Ok(quote!(#(#out)*))
    }

    fn rule(
        &self,
        rule: &Rule,
        cond: usize,
        mut scope: BTreeMap<String, Binding>,
    ) -> Result<TokenStream, Error> {
        if let Some(c) = rule.conditions.get(cond) {
            // `isSet(x)` narrows an optional string or boolean to a set one inside the block.
            if let Expr::IsSet(r) = &c.call {
                let narrowed = match scope.get(r) {
                    Some(Binding::OptStr) => Some(Binding::Str),
                    Some(Binding::OptBool) => Some(Binding::Bool),
                    Some(Binding::OptArray) => Some(Binding::Array),
                    _ => None,
                };
                if let Some(narrowed) = narrowed {
                    let l = local(r);
                    scope.insert(r.clone(), narrowed);
                    let inner = self.rule(rule, cond + 1, scope)?;
                    return Ok(quote! {
                        if let ::std::option::Option::Some(#l) = #l {
                            #inner
                        }
                    });
                }
            }
            if let Expr::Partition(arg) = &c.call {
                let name = c.assign.as_ref().ok_or_else(|| {
                    Error::invalid("endpoint rules", "aws.partition result must be assigned")
                })?;
                let a = self.string_arg(arg, &scope, "aws.partition")?;
                let l = local(name);
                scope.insert(name.clone(), Binding::Partition);
                let inner = self.rule(rule, cond + 1, scope)?;
                return Ok(quote! {{
                    let #l = crate::endpoint_lib::partition::resolve(#a);
                    #inner
                }});
            }
            if let Some(name) = &c.assign {
                let l = local(name);
                // An attribute that is always set is a plain local.
                if let Expr::GetAttr(r, attr) = &c.call {
                    if let Ok((value, ty)) = self.attr(r, attr, &scope) {
                        scope.insert(
                            name.clone(),
                            match ty {
                                ParamType::String => Binding::Str,
                                ParamType::Boolean => Binding::Bool,
                                ParamType::StringArray => Binding::Array,
                            },
                        );
                        let inner = self.rule(rule, cond + 1, scope)?;
                        return Ok(quote! {{
                            let #l = #value;
                            #inner
                        }});
                    }
                }
                // A result that may be unset: the condition holds when it is set.
                let (value, binding) = self.optional(&c.call, &scope)?;
                scope.insert(name.clone(), binding);
                let inner = self.rule(rule, cond + 1, scope)?;
                return Ok(quote! {
                    if let ::std::option::Option::Some(#l) = #value {
                        #inner
                    }
                });
            }
            let (t, ty) = self.expr(&c.call, &scope)?;
            if ty != ParamType::Boolean {
                return Err(Error::invalid(
                    "endpoint rules",
                    "a condition must be boolean",
                ));
            }
            let inner = self.rule(rule, cond + 1, scope)?;
            return Ok(quote! {
                if #t {
                    #inner
                }
            });
        }
        Ok(match &rule.body {
            RuleBody::Endpoint(url, properties) => {
                let u = self.template(url, &scope)?;
                let mut props = Vec::new();
                for (name, value) in properties {
                    let value = self.property(value, &scope)?;
                    props.push(quote!(.property(#name, #value)));
                }
                quote! {
                    return ::std::result::Result::Ok(::aws_smithy_types::endpoint::Endpoint::builder().url(#u) #(#props)* .build());
                }
            }
            RuleBody::Error(msg) => {
                let m = self.template(msg, &scope)?;
                quote!(return ::std::result::Result::Err(EndpointError(#m));)
            }
            RuleBody::Tree(children) => {
                let inner = self.rules(children, &scope)?;
                // A tree whose conditions held must produce an outcome. Rule sets end each
                // tree with an unconditional rule, which makes this fallback unreachable; it
                // stays for a tree that does not.
                quote! {
                    #inner
                    #[allow(unreachable_code)]
                    return ::std::result::Result::Err(EndpointError(::std::string::String::from(
                        "no endpoint rule matched these parameters",
                    )));
                }
            }
        })
    }
}

/// `config/endpoint.rs` of the client crate: `Params`, the resolver trait and the default
/// resolver compiled from the rule set.
pub fn resolver(rules: &RuleSet, service_name: &str) -> Result<TokenStream, Error> {
    let params = params(rules);
    let params_builder = params_builder(rules);
    let support = resolver_support(service_name, account_id_finalizer(rules));
    let resolve = resolve_fn(rules)?;
    Ok(quote! {
        //! Endpoint resolution: the service's endpoint rule set, compiled.

        pub use ::aws_smithy_runtime_api::client::endpoint::{EndpointFuture, SharedEndpointResolver};
        pub use ::aws_smithy_types::endpoint::Endpoint;

        #params
        #params_builder
        #support
        #resolve
    })
}

/// A parameter's Rust type, the type its getter returns, the getter's body when the value
/// may be unset, and what its setter takes.
fn param_types(p: &Parameter) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
    let f = ident(&p.field);
    match p.ty {
        ParamType::String => (
            quote!(::std::string::String),
            quote!(::std::option::Option<&str>),
            quote!(self.#f.as_deref()),
            quote!(impl ::std::convert::Into<::std::string::String>),
        ),
        ParamType::Boolean => (
            quote!(bool),
            quote!(::std::option::Option<bool>),
            quote!(self.#f),
            quote!(impl ::std::convert::Into<bool>),
        ),
        ParamType::StringArray => (
            quote!(::std::vec::Vec<::std::string::String>),
            quote!(::std::option::Option<&[::std::string::String]>),
            quote!(self.#f.as_deref()),
            quote!(impl ::std::convert::Into<::std::vec::Vec<::std::string::String>>),
        ),
    }
}

fn param_docs(p: &Parameter) -> TokenStream {
    super::docs_or(p.docs.as_deref(), &format!("The {} parameter.", p.name))
}

/// `Params`: a parameter with a default is held without `Option`.
fn params(rules: &RuleSet) -> TokenStream {
    let mut fields = Vec::new();
    let mut getters = Vec::new();
    for p in &rules.parameters {
        let f = ident(&p.field);
        let doc = param_docs(p);
        let (ty, ret, get_body, _) = param_types(p);
        if p.always_set() {
            fields.push(quote!(pub(crate) #f: #ty,));
            let value = match p.ty {
                ParamType::String => quote!(self.#f.as_str()),
                ParamType::Boolean => quote!(self.#f),
                ParamType::StringArray => quote!(self.#f.as_slice()),
            };
            getters.push(
                quote!(#doc pub fn #f(&self) -> #ret { ::std::option::Option::Some(#value) }),
            );
        } else {
            fields.push(quote!(pub(crate) #f: ::std::option::Option<#ty>,));
            getters.push(quote!(#doc pub fn #f(&self) -> #ret { #get_body }));
        }
    }
    quote! {
        /// Inputs to endpoint resolution.
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::fmt::Debug)]
        pub struct Params {
            #(#fields)*
        }
        impl Params {
            /// A builder for [`Params`].
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }
            #(#getters)*
        }
    }
}

/// `ParamsBuilder`: setters, and `build()` filling defaults and refusing a missing required
/// parameter.
fn params_builder(rules: &RuleSet) -> TokenStream {
    let builder_fields = rules.parameters.iter().map(|p| {
        let f = ident(&p.field);
        let (ty, ..) = param_types(p);
        quote!(#f: ::std::option::Option<#ty>,)
    });
    let setters = rules.parameters.iter().map(|p| {
        let f = ident(&p.field);
        let set = format_ident!("set_{}", p.field);
        let doc = param_docs(p);
        let (ty, _, _, in_ty) = param_types(p);
        quote! {
            #doc
            pub fn #f(mut self, value: #in_ty) -> Self {
                self.#f = ::std::option::Option::Some(value.into());
                self
            }
            #doc
            pub fn #set(mut self, param: ::std::option::Option<#ty>) -> Self {
                self.#f = param;
                self
            }
        }
    });
    let build_fields = rules.parameters.iter().map(|p| {
        let f = ident(&p.field);
        let name = &p.name;
        match (&p.default_bool, &p.default_string, &p.default_array) {
            (Some(b), _, _) => quote!(#f: self.#f.unwrap_or(#b),),
            (_, Some(s), _) => quote!(#f: self.#f.unwrap_or_else(|| ::std::string::String::from(#s)),),
            (_, _, Some(items)) => quote!(#f: self.#f.unwrap_or_else(|| ::std::vec![#(::std::string::String::from(#items)),*]),),
            _ if p.required => quote!(#f: self.#f.ok_or(InvalidParams { field: #name })?,),
            _ => quote!(#f: self.#f,),
        }
    });
    quote! {
        /// A builder for [`Params`].
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, ::std::fmt::Debug)]
        pub struct ParamsBuilder {
            #(#builder_fields)*
        }
        impl ParamsBuilder {
            #(#setters)*
            /// Builds the parameters, filling defaults.
            pub fn build(self) -> ::std::result::Result<Params, InvalidParams> {
                ::std::result::Result::Ok(Params { #(#build_fields)* })
            }
        }
    }
}

/// For a rule set with an `AWS::Auth::AccountId` parameter: `finalize_params`, which the
/// runtime calls once the identity is resolved, setting the parameter to the credentials'
/// account ID (as smithy-rs does) unless the caller's parameters already hold one. Nothing
/// for other rule sets.
fn account_id_finalizer(rules: &RuleSet) -> TokenStream {
    let Some(p) = rules
        .parameters
        .iter()
        .find(|p| p.built_in.as_deref() == Some("AWS::Auth::AccountId"))
    else {
        return quote!();
    };
    let f = ident(&p.field);
    quote! {
        fn finalize_params<'a>(
            &'a self,
            params: &'a mut ::aws_smithy_runtime_api::client::endpoint::EndpointResolverParams,
        ) -> ::std::result::Result<(), ::aws_smithy_runtime_api::box_error::BoxError> {
            let account_id = params
                .get_property::<::aws_smithy_runtime_api::client::identity::Identity>()
                .and_then(|identity| identity.data::<::aws_credential_types::Credentials>())
                .and_then(|credentials| credentials.account_id())
                .map(|id| id.as_str().to_owned());
            if let ::std::option::Option::Some(params) = params.get_mut::<Params>() {
                if params.#f.is_none() {
                    params.#f = account_id;
                }
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// The errors, the `ResolveEndpoint` trait and `DefaultResolver`: the same for every rule set
/// but for the trait's documentation and, where the rule set reads the credentials' account
/// ID, `finalize`.
fn resolver_support(service_name: &str, finalize: TokenStream) -> TokenStream {
    let trait_doc = format!(" Resolves the endpoint of {service_name} from [`Params`].");
    quote! {
        /// A required parameter was missing.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct InvalidParams {
            field: &'static str,
        }
        impl ::std::fmt::Display for InvalidParams {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "the endpoint parameter `{}` is required but was not set", self.field)
            }
        }
        impl ::std::error::Error for InvalidParams {}

        /// A resolution error: the message the rule set gives.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct EndpointError(::std::string::String);
        impl EndpointError {
            /// The rule set's message.
            pub fn message(&self) -> &str {
                &self.0
            }
        }
        impl ::std::fmt::Display for EndpointError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl ::std::error::Error for EndpointError {}

        #[doc = #trait_doc]
        pub trait ResolveEndpoint: ::std::marker::Send + ::std::marker::Sync + ::std::fmt::Debug {
            /// Resolves an endpoint.
            fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a>;

            /// Wraps this resolver for the runtime, which hands it type-erased parameters.
            fn into_shared_resolver(self) -> SharedEndpointResolver
            where
                Self: ::std::marker::Sized + 'static,
            {
                SharedEndpointResolver::new(DowncastParams(self))
            }
        }

        #[derive(::std::fmt::Debug)]
        struct DowncastParams<T>(T);
        impl<T: ResolveEndpoint> ::aws_smithy_runtime_api::client::endpoint::ResolveEndpoint for DowncastParams<T> {
            fn resolve_endpoint<'a>(
                &'a self,
                params: &'a ::aws_smithy_runtime_api::client::endpoint::EndpointResolverParams,
            ) -> EndpointFuture<'a> {
                match params.get::<Params>() {
                    ::std::option::Option::Some(params) => self.0.resolve_endpoint(params),
                    ::std::option::Option::None => EndpointFuture::ready(::std::result::Result::Err(
                        "endpoint parameters of the expected type were not present".into(),
                    )),
                }
            }
            #finalize
        }

        /// The resolver generated from the model's rule set.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default)]
        pub struct DefaultResolver {
            _private: (),
        }
        impl DefaultResolver {
            /// Creates the resolver.
            pub fn new() -> Self {
                Self::default()
            }
            /// Resolves synchronously (resolution never waits on anything).
            pub(crate) fn resolve(&self, params: &Params) -> ::std::result::Result<Endpoint, EndpointError> {
                resolve_endpoint(params)
            }
        }
        impl ResolveEndpoint for DefaultResolver {
            fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
                EndpointFuture::ready(self.resolve(params).map_err(::std::convert::Into::into))
            }
        }

    }
}

/// `resolve_endpoint`: the parameters bound to locals, then the rules compiled.
fn resolve_fn(rules: &RuleSet) -> Result<TokenStream, Error> {
    let mut locals = Vec::new();
    let mut scope = BTreeMap::new();
    for p in &rules.parameters {
        let f = ident(&p.field);
        let binding = match (p.ty, p.always_set()) {
            (ParamType::Boolean, true) => {
                locals.push(quote!(let #f = params.#f;));
                Binding::Bool
            }
            (ParamType::String, true) => {
                locals.push(quote!(let #f = params.#f.as_str();));
                Binding::Str
            }
            (ParamType::String, false) => {
                locals.push(quote!(let #f = params.#f.as_deref();));
                Binding::OptStr
            }
            (ParamType::Boolean, false) => {
                locals.push(quote!(let #f = params.#f;));
                Binding::OptBool
            }
            (ParamType::StringArray, true) => {
                locals.push(quote!(let #f = params.#f.as_slice();));
                Binding::Array
            }
            (ParamType::StringArray, false) => {
                locals.push(quote!(let #f = params.#f.as_deref();));
                Binding::OptArray
            }
        };
        scope.insert(p.name.clone(), binding);
    }
    let body = Compiler.rules(&rules.rules, &scope)?;
    Ok(quote! {
        // One `if` per rule condition, and `booleanEquals(x, true)` kept as `x == true`, keep
        // the compiled code in the shape of the rule set, so it can be read side by side
        // with it.
        #[allow(clippy::collapsible_if, clippy::bool_comparison)]
        fn resolve_endpoint(params: &Params) -> ::std::result::Result<Endpoint, EndpointError> {
            #(#locals)*
            #body
            // Unreachable when the last top-level rule is unconditional, as it usually is.
            #[allow(unreachable_code)]
            ::std::result::Result::Err(EndpointError(::std::string::String::from(
                "no endpoint rule matched these parameters",
            )))
        }
    })
}
