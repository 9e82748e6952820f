//! The model's protocol tests and endpoint tests, as Rust tests of the generated crates.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{ident, Crate, Ctx, Files};
use crate::model::{
    EndpointExpectation, Operation, RequestTest, ResponseTest, ShapeId, ShapeKind, StructureRole,
    UnhandledErrorTest,
};
use crate::Error;

/// Emits the protocol test file of the protocol crate and the endpoint test file of the
/// client crate.
pub fn emit(cx: &Ctx, files: &mut Files) -> Result<(), Error> {
    files.add(
        cx.path(Crate::Protocol, "tests/protocol_tests.rs"),
        protocol_tests(cx)?,
    )?;
    files.add(
        cx.path(Crate::Client, "tests/endpoint_tests.rs"),
        endpoint_tests(cx),
    )?;
    Ok(())
}

fn test_name(id: &str) -> proc_macro2::Ident {
    ident(&crate::ident::snake(id))
}

/// A DateTime from a JSON number, exactly (no f64 rounding of the fraction).
fn datetime(owner: &str, n: &serde_json::Number) -> Result<TokenStream, Error> {
    let text = n.to_string();
    let (secs, frac) = text.split_once('.').unwrap_or((&text, ""));
    let secs: i64 = secs
        .parse()
        .map_err(|_| Error::invalid(owner, format!("bad timestamp {text}")))?;
    if frac.len() > 9 || secs < 0 && !frac.is_empty() {
        return Err(Error::invalid(
            owner,
            format!("unsupported timestamp {text}"),
        ));
    }
    let nanos: u32 = format!("{frac:0<9}")
        .parse()
        .map_err(|_| Error::invalid(owner, format!("bad timestamp {text}")))?;
    Ok(quote!(::aws_smithy_types::DateTime::from_secs_and_nanos(#secs, #nanos)))
}

/// A list item or map value of `target` built from test params: in a `@sparse` collection an
/// `Option`, `None` for a JSON `null`.
fn element(
    cx: &Ctx,
    owner: &str,
    target: &ShapeId,
    sparse: bool,
    v: &Value,
) -> Result<TokenStream, Error> {
    Ok(match (sparse, v) {
        (false, _) => value(cx, owner, target, v)?,
        (true, Value::Null) => quote!(::std::option::Option::None),
        (true, v) => {
            let v = value(cx, owner, target, v)?;
            quote!(::std::option::Option::Some(#v))
        }
    })
}

/// A Rust value of `target` built from test params.
fn value(cx: &Ctx, owner: &str, target: &ShapeId, v: &Value) -> Result<TokenStream, Error> {
    let model = cx.model;
    let shape = model.shape(target);
    let bad = || Error::invalid(owner, format!("param {v} does not fit {}", shape.id));
    Ok(match (&shape.kind, v) {
        (ShapeKind::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        (ShapeKind::Enum(_), Value::String(s)) => {
            let ty = cx.type_of(target, Crate::Protocol);
            quote!(<#ty as ::std::convert::From<&str>>::from(#s))
        }
        (ShapeKind::IntEnum(_), Value::Number(n)) => {
            let ty = cx.type_of(target, Crate::Protocol);
            let i = i32::try_from(n.as_i64().ok_or_else(bad)?).map_err(|_| bad())?;
            quote!(<#ty as ::std::convert::From<i32>>::from(#i))
        }
        (ShapeKind::Blob, Value::String(s)) => {
            quote!(::aws_smithy_types::Blob::new(#s.as_bytes().to_vec()))
        }
        (
            ShapeKind::Map {
                value: v, sparse, ..
            },
            Value::Object(o),
        ) => {
            let keys: Vec<&String> = o.keys().collect();
            let values = o
                .values()
                .map(|x| element(cx, owner, v, *sparse, x))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::collections::HashMap::from([#((::std::string::String::from(#keys), #values)),*]))
        }
        (ShapeKind::Boolean, Value::Bool(b)) => quote!(#b),
        (ShapeKind::Integer, Value::Number(n)) => {
            let i = i32::try_from(n.as_i64().ok_or_else(bad)?).map_err(|_| bad())?;
            quote!(#i)
        }
        (ShapeKind::Long, Value::Number(n)) => {
            let i = n.as_i64().ok_or_else(bad)?;
            quote!(#i)
        }
        (ShapeKind::Float, Value::Number(n)) => {
            let f = n.as_f64().ok_or_else(bad)? as f32;
            quote!(#f)
        }
        (ShapeKind::Double, Value::Number(n)) => {
            let f = n.as_f64().ok_or_else(bad)?;
            quote!(#f)
        }
        (ShapeKind::Timestamp(_), Value::Number(n)) => datetime(owner, n)?,
        (ShapeKind::List { member, sparse, .. }, Value::Array(items)) => {
            let items = items
                .iter()
                .map(|i| element(cx, owner, member, *sparse, i))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::vec![#(#items),*])
        }
        (ShapeKind::Union(vs), Value::Object(o)) if o.len() == 1 => {
            let ty = cx.type_of(target, Crate::Protocol);
            let (k, v) = o.iter().next().expect("one entry");
            let variant = vs.iter().find(|x| &x.member.name == k).ok_or_else(|| {
                Error::invalid(owner, format!("param {k} is not a member of {}", shape.id))
            })?;
            let name = ident(&variant.rust_name);
            if variant.unit {
                return Ok(quote!(#ty::#name));
            }
            let val = value(cx, owner, &variant.member.target, v)?;
            let val = super::held(&variant.member, val);
            quote!(#ty::#name(#val))
        }
        (ShapeKind::Structure(st), Value::Object(o)) => {
            let name = ident(&model.shape(target).names.rust_type.clone());
            let ty = cx.type_of(target, Crate::Protocol);
            let _ = name;
            let mut sets = Vec::new();
            for (k, v) in o {
                let m = st.members.iter().find(|m| &m.name == k).ok_or_else(|| {
                    Error::invalid(owner, format!("param {k} is not a member of {}", shape.id))
                })?;
                let set = format_ident!("set_{}", m.field);
                let val = super::held(m, value(cx, owner, &m.target, v)?);
                sets.push(quote!(.#set(::std::option::Option::Some(#val))));
            }
            let build = if super::build_is_fallible(st) {
                quote!(.build().expect("the test params set every required member"))
            } else {
                quote!(.build())
            };
            quote!(#ty::builder() #(#sets)* #build)
        }
        (ShapeKind::Document, v) => document(v),
        _ => return Err(bad()),
    })
}

/// An `aws_smithy_types::Document` built from a JSON test param.
fn document(v: &Value) -> TokenStream {
    let doc = quote!(::aws_smithy_types::Document);
    match v {
        Value::Null => quote!(#doc::Null),
        Value::Bool(b) => quote!(#doc::Bool(#b)),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => quote!(#doc::Number(::aws_smithy_types::Number::PosInt(#u))),
            (_, Some(i), _) => quote!(#doc::Number(::aws_smithy_types::Number::NegInt(#i))),
            (_, _, f) => {
                let f = f.unwrap_or_default();
                quote!(#doc::Number(::aws_smithy_types::Number::Float(#f)))
            }
        },
        Value::String(s) => quote!(#doc::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(#doc::Array(::std::vec![#(#items),*]))
        }
        Value::Object(o) => {
            let entries = o.iter().map(|(k, v)| {
                let v = document(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#doc::Object(::std::collections::HashMap::from([#(#entries),*])))
        }
    }
}

/// Assertions that each member named in `params` equals the expected value.
fn member_asserts(
    cx: &Ctx,
    owner: &str,
    shape_id: &ShapeId,
    actual: TokenStream,
    params: &Value,
) -> Result<Vec<TokenStream>, Error> {
    let model = cx.model;
    let st = model.structure(shape_id);
    let obj = params.as_object().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for m in &st.members {
        let field = ident(&m.field);
        let name = &m.name;
        let unboxed = super::is_unboxed(m);
        match obj.get(&m.name) {
            Some(v) => {
                let val = value(cx, owner, &m.target, v)?;
                let expected = if unboxed { val } else { quote!(::std::option::Option::Some(#val)) };
                out.push(quote!(assert_eq!(#actual.#field, #expected, "member {}", #name);));
            }
            None if !unboxed => out.push(quote!(assert_eq!(#actual.#field, ::std::option::Option::None, "member {} should be absent", #name);)),
            None => {}
        }
    }
    Ok(out)
}

fn headers_expr(headers: &std::collections::BTreeMap<String, String>) -> TokenStream {
    let (k, v): (Vec<_>, Vec<_>) = headers
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.clone()))
        .unzip();
    if k.is_empty() {
        return quote!(::aws_smithy_runtime_api::http::Headers::new());
    }
    quote! {{
        let mut headers = ::aws_smithy_runtime_api::http::Headers::new();
        #(headers.insert(#k, #v);)*
        headers
    }}
}

/// The model's protocol tests, a module per operation: an error's tests run for every
/// operation that can return it, under the same test ids.
fn protocol_tests(cx: &Ctx) -> Result<TokenStream, Error> {
    let model = cx.model;
    let mut tests = Vec::new();
    for op in &model.operations {
        let mut op_tests = Vec::new();
        for t in &op.request_tests {
            op_tests.push(request_test(cx, op, t)?);
        }
        for t in &op.response_tests {
            op_tests.push(response_test(cx, op, t)?);
        }
        for eid in &op.errors {
            op_tests.extend(error_tests(cx, op, eid)?);
        }
        for t in &op.unhandled_error_tests {
            op_tests.push(unhandled_error_test(cx, op, t));
        }
        if !op_tests.is_empty() {
            let snake = ident(&op.names.snake);
            let doc = format!(" The protocol tests of `{}`.", op.id.name);
            tests.push(quote! {
                #[doc = #doc]
                mod #snake {
                    #(#op_tests)*
                }
            });
        }
    }
    let allow_deprecated = super::allow_deprecated(model);
    Ok(quote! {
        //! The model's `smithy.test` protocol tests (and the project-local unhandled-error
        //! tests), run against the generated serialisers and deserialisers.
        #allow_deprecated
        #(#tests)*
    })
}

/// The operation's module in the protocol crate, as the client crate's tests reach it.
fn proto_path(cx: &Ctx, op: &Operation) -> TokenStream {
    let snake = ident(&op.names.snake);
    let protocol = cx.crate_path(Crate::Protocol, Crate::Client);
    quote!(#protocol::#snake)
}

/// An `httpRequestTests` case: the serialised request's method, URI, headers and body.
fn request_test(cx: &Ctx, op: &Operation, t: &RequestTest) -> Result<TokenStream, Error> {
    let proto = proto_path(cx, op);
    let name = test_name(&t.id);
    let doc = super::docs(t.docs.as_deref());
    let input = value(cx, &t.id, &op.input, &t.params)?;
    let method = &t.method;
    let uri = &t.uri;
    let (hk, hv): (Vec<_>, Vec<_>) = t
        .headers
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.clone()))
        .unzip();
    let body_check = match (&t.body, t.body_media_type.as_deref()) {
        (Some(body), Some("application/json")) => quote! {
            let actual: ::serde_json::Value = ::serde_json::from_slice(body).expect("the body is JSON");
            let expected: ::serde_json::Value = ::serde_json::from_str(#body).expect("the model's body is JSON");
            assert_eq!(actual, expected, "body as JSON");
            assert_eq!(::std::str::from_utf8(body).expect("UTF-8"), #body, "body bytes");
        },
        (Some(body), _) => {
            quote!(assert_eq!(::std::str::from_utf8(body).expect("UTF-8"), #body);)
        }
        (None, _) => quote!(),
    };
    Ok(quote! {
        #doc
        #[test]
        fn #name() {
            let input = #input;
            let request = #proto::ser_request(&input).expect("serialises");
            assert_eq!(request.method(), #method);
            assert_eq!(request.uri(), #uri);
            #(assert_eq!(request.headers().get(#hk), ::std::option::Option::Some(#hv), "header {}", #hk);)*
            let body = request.body().bytes().expect("an in-memory body");
            #body_check
        }
    })
}

/// An `httpResponseTests` case of the output: the deserialised output's members.
fn response_test(cx: &Ctx, op: &Operation, t: &ResponseTest) -> Result<TokenStream, Error> {
    let proto = proto_path(cx, op);
    let name = test_name(&t.id);
    let doc = super::docs(t.docs.as_deref());
    let headers = headers_expr(&t.headers);
    let code = t.code;
    let body = &t.body;
    let asserts = member_asserts(cx, &t.id, &op.output, quote!(output), &t.params)?;
    // A case with no params only checks that the response reads.
    let output = if asserts.is_empty() {
        quote!(_output)
    } else {
        quote!(output)
    };
    Ok(quote! {
        #doc
        #[test]
        fn #name() {
            let headers = #headers;
            let #output = #proto::de_response(#code, &headers, #body.as_bytes()).expect("a success");
            #(#asserts)*
        }
    })
}

/// The `httpResponseTests` cases of one of the operation's errors: each reads as that
/// error, with its members and request id.
fn error_tests(cx: &Ctx, op: &Operation, eid: &ShapeId) -> Result<Vec<TokenStream>, Error> {
    let proto = proto_path(cx, op);
    let err_path = cx.operation_error(op, Crate::Client);
    let shape = cx.model.shape(eid);
    let ShapeKind::Structure(st) = &shape.kind else {
        unreachable!()
    };
    let StructureRole::Error(_) = &st.role else {
        unreachable!()
    };
    let variant = ident(&shape.names.rust_type);
    let mut tests = Vec::new();
    for t in &st.error_tests {
        let name = test_name(&t.id);
        let doc = super::docs(t.docs.as_deref());
        let headers = headers_expr(&t.headers);
        let code = t.code;
        let body = &t.body;
        let asserts = member_asserts(cx, &t.id, eid, quote!(e), &t.params)?;
        let rid = t
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"))
            .map(|(_, v)| quote!(assert_eq!(::aws_types::request_id::RequestId::request_id(&e), ::std::option::Option::Some(#v));));
        let code_name = &shape.id.name;
        tests.push(quote! {
            #doc
            #[test]
            fn #name() {
                let headers = #headers;
                assert!(
                    #proto::de_response(#code, &headers, #body.as_bytes()).expect_err("an error").is_operation_error(),
                    "an error response is an operation error",
                );
                let err = #proto::de_error(#code, &headers, #body.as_bytes());
                assert_eq!(::aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err), ::std::option::Option::Some(#code_name));
                match err {
                    #err_path::#variant(e) => {
                        #(#asserts)*
                        #rid
                    }
                    other => panic!("expected {}, got {other:?}", #code_name),
                }
            }
        });
    }
    Ok(tests)
}

/// A project-local unhandled-error case: an unknown code reads as `Unhandled` with the code,
/// message and request id the response carried.
fn unhandled_error_test(cx: &Ctx, op: &Operation, t: &UnhandledErrorTest) -> TokenStream {
    let proto = proto_path(cx, op);
    let err_path = cx.operation_error(op, Crate::Client);
    let name = test_name(&t.id);
    let doc = super::docs(t.docs.as_deref());
    let headers = headers_expr(&t.headers);
    let code = t.code;
    let body = &t.body;
    let opt = |v: &Option<String>| match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    };
    let (ec, em, er) = (
        opt(&t.expected_code),
        opt(&t.expected_message),
        opt(&t.expected_request_id),
    );
    quote! {
        #doc
        #[test]
        fn #name() {
            use ::aws_smithy_types::error::metadata::ProvideErrorMetadata;
            let headers = #headers;
            assert!(
                    #proto::de_response(#code, &headers, #body.as_bytes()).expect_err("an error").is_operation_error(),
                    "an error response is an operation error",
                );
                let err = #proto::de_error(#code, &headers, #body.as_bytes());
            assert!(::std::matches!(err, #err_path::Unhandled(_)), "expected an unhandled error, got {err:?}");
            assert_eq!(err.code(), #ec, "code");
            assert_eq!(err.message(), #em, "message");
            assert_eq!(::aws_types::request_id::RequestId::request_id(&err), #er, "request id");
        }
    }
}

fn endpoint_tests(cx: &Ctx) -> TokenStream {
    let model = cx.model;
    let client = cx.settings.lib(Crate::Client);
    let mut tests = Vec::new();
    let mut uses_properties = false;
    for (i, t) in model.service.endpoint_tests.iter().enumerate() {
        let name = format_ident!("endpoint_case_{:02}", i + 1);
        let doc = super::docs(Some(&t.docs).filter(|d| !d.is_empty()).map(String::as_str));
        let mut sets = Vec::new();
        for (k, v) in &t.params {
            if let Some(p) = model.service.rules.parameter(k) {
                let f = ident(&p.field);
                match v {
                    Value::Bool(b) => sets.push(quote!(.#f(#b))),
                    Value::String(s) => sets.push(quote!(.#f(#s))),
                    Value::Array(items) => {
                        let items = items.iter().filter_map(Value::as_str);
                        sets.push(
                            quote!(.#f(::std::vec![#(::std::string::String::from(#items)),*])),
                        )
                    }
                    _ => {}
                }
            }
        }
        let check = match &t.expect {
            EndpointExpectation::Url {
                url,
                properties: None,
            } => quote! {
                let endpoint = result.expect("resolves");
                assert_eq!(endpoint.url(), #url);
            },
            EndpointExpectation::Url {
                url,
                properties: Some(properties),
            } => {
                uses_properties = true;
                let properties = properties.to_string();
                quote! {
                    let endpoint = result.expect("resolves");
                    assert_eq!(endpoint.url(), #url);
                    let expected: ::serde_json::Value = ::serde_json::from_str(#properties).expect("the model's properties are JSON");
                    assert_eq!(properties_json(&endpoint), expected, "endpoint properties");
                }
            }
            EndpointExpectation::Error(msg) => quote! {
                let error = result.expect_err("fails");
                assert_eq!(error.to_string(), #msg);
            },
        };
        tests.push(quote! {
            #doc
            #[test]
            fn #name() {
                let params = Params::builder() #(#sets)* .build().expect("valid parameters");
                let result = resolve(&params);
                #check
            }
        });
    }
    // Compared as JSON, so the test reads as the model's `expect.endpoint.properties`.
    let properties_json = if uses_properties {
        quote! {
            /// The endpoint's properties as JSON (a `Document` and JSON have the same shape).
            fn properties_json(endpoint: &Endpoint) -> ::serde_json::Value {
                fn json(d: &::aws_smithy_types::Document) -> ::serde_json::Value {
                    use ::aws_smithy_types::{Document, Number};
                    match d {
                        Document::Object(o) => ::serde_json::Value::Object(o.iter().map(|(k, v)| (k.clone(), json(v))).collect()),
                        Document::Array(a) => ::serde_json::Value::Array(a.iter().map(json).collect()),
                        Document::Number(Number::PosInt(n)) => (*n).into(),
                        Document::Number(Number::NegInt(n)) => (*n).into(),
                        Document::Number(Number::Float(f)) => (*f).into(),
                        Document::String(s) => s.clone().into(),
                        Document::Bool(b) => (*b).into(),
                        Document::Null => ::serde_json::Value::Null,
                    }
                }
                ::serde_json::Value::Object(endpoint.properties().iter().map(|(k, v)| (k.to_string(), json(v))).collect())
            }
        }
    } else {
        quote!()
    };
    quote! {
        //! The model's `smithy.rules#endpointTests`, run against the generated resolver.
        use #client::config::endpoint::{DefaultResolver, Endpoint, Params, ResolveEndpoint};

        #properties_json

        /// Resolution never waits, so the future is ready on its first poll.
        fn resolve(params: &Params) -> ::std::result::Result<Endpoint, ::aws_smithy_runtime_api::box_error::BoxError> {
            use ::std::future::Future;
            let resolver = DefaultResolver::new();
            let mut fut = ::std::pin::pin!(resolver.resolve_endpoint(params));
            let mut cx = ::std::task::Context::from_waker(::std::task::Waker::noop());
            match fut.as_mut().poll(&mut cx) {
                ::std::task::Poll::Ready(r) => r,
                ::std::task::Poll::Pending => panic!("endpoint resolution should not wait"),
            }
        }

        #(#tests)*
    }
}
