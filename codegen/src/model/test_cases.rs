//! Test-case lowering: `smithy.test` protocol tests, the project-local unhandled-error tests
//! and `smithy.rules#endpointTests`, checked and typed like every other trait.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{EndpointExpectation, EndpointTest, RequestTest, ResponseTest, UnhandledErrorTest};
use crate::rules::{ParamType, RuleSet};
use crate::Error;

fn string_map(owner: &str, v: Option<&Value>) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    if let Some(v) = v {
        let obj = v
            .as_object()
            .ok_or_else(|| Error::invalid(owner, "headers must be an object"))?;
        for (k, v) in obj {
            let s = v
                .as_str()
                .ok_or_else(|| Error::invalid(owner, format!("header {k} must be a string")))?;
            out.insert(k.clone(), s.to_owned());
        }
    }
    Ok(out)
}

fn str_field(owner: &str, case: &Value, key: &str) -> Result<String, Error> {
    case.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid(owner, format!("test case is missing the string {key:?}")))
}

fn status_field(owner: &str, case: &Value) -> Result<u16, Error> {
    case.get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| {
            Error::invalid(
                owner,
                "test case needs an HTTP status \"code\" from 100 to 599",
            )
        })
}

/// Keeps the cases for `protocol` that concern a client.
fn client_cases<'v>(owner: &str, v: &'v Value, protocol: &str) -> Result<Vec<&'v Value>, Error> {
    let cases = v
        .as_array()
        .ok_or_else(|| Error::invalid(owner, "protocol tests must be a list"))?;
    Ok(cases
        .iter()
        .filter(|c| c.get("protocol").and_then(Value::as_str) == Some(protocol))
        .filter(|c| c.get("appliesTo").and_then(Value::as_str) != Some("server"))
        .collect())
}

pub(crate) fn lower_request_tests(
    owner: &str,
    v: &Value,
    protocol: &str,
) -> Result<Vec<RequestTest>, Error> {
    client_cases(owner, v, protocol)?
        .into_iter()
        .map(|c| {
            Ok(RequestTest {
                id: str_field(owner, c, "id")?,
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                method: str_field(owner, c, "method")?,
                uri: str_field(owner, c, "uri")?,
                headers: string_map(owner, c.get("headers"))?,
                body: c.get("body").and_then(Value::as_str).map(str::to_owned),
                body_media_type: c
                    .get("bodyMediaType")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                params: c
                    .get("params")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
                tags: c
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

pub(crate) fn lower_response_tests(
    owner: &str,
    v: &Value,
    protocol: &str,
) -> Result<Vec<ResponseTest>, Error> {
    client_cases(owner, v, protocol)?
        .into_iter()
        .map(|c| {
            Ok(ResponseTest {
                id: str_field(owner, c, "id")?,
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                code: status_field(owner, c)?,
                headers: string_map(owner, c.get("headers"))?,
                body: c
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                params: c
                    .get("params")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
            })
        })
        .collect()
}

pub(crate) fn lower_unhandled_tests(
    owner: &str,
    v: &Value,
) -> Result<Vec<UnhandledErrorTest>, Error> {
    let cases = v
        .as_array()
        .ok_or_else(|| Error::invalid(owner, "unhandled error tests must be a list"))?;
    let opt = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    cases
        .iter()
        .map(|c| {
            Ok(UnhandledErrorTest {
                id: str_field(owner, c, "id")?,
                docs: opt(c, "documentation"),
                code: status_field(owner, c)?,
                headers: string_map(owner, c.get("headers"))?,
                body: opt(c, "body").unwrap_or_default(),
                expected_code: opt(c, "expectedCode"),
                expected_message: opt(c, "expectedMessage"),
                expected_request_id: opt(c, "expectedRequestId"),
            })
        })
        .collect()
}

pub(crate) fn lower_endpoint_tests(
    owner: &str,
    v: &Value,
    rules: &RuleSet,
) -> Result<Vec<EndpointTest>, Error> {
    let cases = v
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::bad_trait(owner, "smithy.rules#endpointTests", "missing testCases")
        })?;
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let where_ = format!("{owner} endpoint test #{i}");
            let params: BTreeMap<String, Value> = c
                .get("params")
                .and_then(Value::as_object)
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            for (name, value) in &params {
                let Some(p) = rules.parameter(name) else {
                    return Err(Error::invalid(&where_, format!("unknown parameter {name}")));
                };
                let fits = match p.ty {
                    ParamType::String => value.is_string(),
                    ParamType::Boolean => value.is_boolean(),
                    ParamType::StringArray => value
                        .as_array()
                        .is_some_and(|items| items.iter().all(Value::is_string)),
                };
                if !fits {
                    return Err(Error::invalid(
                        &where_,
                        format!(
                            "parameter {name} is a {:?}; its value cannot be {value}",
                            p.ty
                        ),
                    ));
                }
            }
            let expect = c
                .get("expect")
                .ok_or_else(|| Error::invalid(&where_, "missing expect"))?;
            let expect = if let Some(url) = expect.pointer("/endpoint/url").and_then(Value::as_str)
            {
                EndpointExpectation::Url {
                    url: url.to_owned(),
                    properties: expect
                        .pointer("/endpoint/properties")
                        .filter(|p| p.as_object().is_some_and(|o| !o.is_empty()))
                        .cloned(),
                }
            } else if let Some(e) = expect.get("error").and_then(Value::as_str) {
                EndpointExpectation::Error(e.to_owned())
            } else {
                return Err(Error::invalid(
                    &where_,
                    "expect needs endpoint.url or error",
                ));
            };
            Ok(EndpointTest {
                docs: c
                    .get("documentation")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                params,
                expect,
            })
        })
        .collect()
}
