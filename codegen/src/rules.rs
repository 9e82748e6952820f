//! The endpoint rule set (`smithy.rules#endpointRuleSet`), lowered into a typed tree.
//!
//! Only what AWS JSON services' rule sets use is supported: string, boolean and string-array
//! parameters, endpoint/error/tree rules, string templates, and the functions `isSet`, `not`,
//! `booleanEquals`, `stringEquals`, `getAttr` (on partition and ARN results, and `[N]` on a
//! string array), `aws.partition`,
//! `aws.parseArn`, `substring` and `isValidHostLabel`, and endpoint `properties`
//! (JSON whose strings are templates; an `authSchemes` entry must name a scheme the client
//! signs with). Anything else is an error naming the construct, so a new rule set never
//! resolves differently by accident.

use serde_json::Value;

use crate::ident;
use crate::Error;

/// A lowered rule set.
#[derive(Debug)]
pub struct RuleSet {
    /// Parameters, in declaration order.
    pub parameters: Vec<Parameter>,
    /// Top-level rules, evaluated in order.
    pub rules: Vec<Rule>,
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list of strings (`stringArray`).
    StringArray,
}

/// A rule-set parameter.
#[derive(Debug)]
pub struct Parameter {
    /// The name in the rule set (`UseFIPS`).
    pub name: String,
    /// The Rust field name (`use_fips`).
    pub field: String,
    /// Its type.
    pub ty: ParamType,
    /// The builtIn it is bound to (`AWS::Region`), if any.
    pub built_in: Option<String>,
    /// Whether it is required.
    pub required: bool,
    /// Default value for booleans.
    pub default_bool: Option<bool>,
    /// Default value for strings.
    pub default_string: Option<String>,
    /// Default value for string arrays.
    pub default_array: Option<Vec<String>>,
    /// Documentation.
    pub docs: Option<String>,
}

impl Parameter {
    /// True when the parameter always has a value at evaluation time.
    pub fn always_set(&self) -> bool {
        self.default_bool.is_some() || self.default_string.is_some() || self.default_array.is_some()
    }
}

/// A rule: conditions, then an outcome.
#[derive(Debug)]
pub struct Rule {
    /// All must hold for the rule to apply.
    pub conditions: Vec<Condition>,
    /// What applies when they do.
    pub body: RuleBody,
}

/// What a rule produces.
#[derive(Debug)]
pub enum RuleBody {
    /// An endpoint URL and its properties (`authSchemes`, ...), by name.
    Endpoint(Template, Vec<(String, Property)>),
    /// A resolution error.
    Error(Template),
    /// Nested rules; one of them must apply.
    Tree(Vec<Rule>),
}

/// A value of an endpoint's `properties`: JSON whose strings are templates.
#[derive(Debug, Clone, PartialEq)]
pub enum Property {
    /// A string, with `{Name}` holes.
    Str(Template),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A list.
    Array(Vec<Property>),
    /// An object, its keys in model order.
    Object(Vec<(String, Property)>),
}

/// The auth schemes an endpoint may name that the generated client can sign for.
const SUPPORTED_AUTH_SCHEMES: &[&str] = &["sigv4", "sigv4a"];

/// A condition: a function call, optionally binding its result to a name.
#[derive(Debug)]
pub struct Condition {
    /// The call.
    pub call: Expr,
    /// The name its (non-empty) result is bound to.
    pub assign: Option<String>,
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    /// A reference to a parameter or an assigned name.
    Ref(String),
    /// A string template.
    Str(Template),
    /// A boolean literal.
    Bool(bool),
    /// `isSet(ref)`.
    IsSet(String),
    /// `not(expr)`.
    Not(Box<Expr>),
    /// `booleanEquals(a, b)`.
    BooleanEquals(Box<Expr>, Box<Expr>),
    /// `stringEquals(a, b)`.
    StringEquals(Box<Expr>, Box<Expr>),
    /// `getAttr(ref, "attr")` on a partition result.
    GetAttr(String, String),
    /// `aws.partition(expr)`.
    Partition(Box<Expr>),
    /// `aws.parseArn(expr)`: an ARN, or nothing when the string is not one.
    ParseArn(Box<Expr>),
    /// `substring(expr, start, stop, reverse)`: nothing when out of range or not ASCII.
    Substring(Box<Expr>, usize, usize, bool),
    /// `isValidHostLabel(expr, allowSubDomains)`.
    IsValidHostLabel(Box<Expr>, bool),
}

/// A string with `{Name}` and `{Name#attr}` holes.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(pub Vec<TemplatePart>);

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// The value of a parameter or assigned name.
    Ref(String),
    /// An attribute of an assigned partition result.
    Attr(String, String),
}

/// The attributes `aws.partition` results have, with their types.
pub const PARTITION_ATTRS: &[(&str, ParamType)] = &[
    ("name", ParamType::String),
    ("dnsSuffix", ParamType::String),
    ("dualStackDnsSuffix", ParamType::String),
    ("supportsFIPS", ParamType::Boolean),
    ("supportsDualStack", ParamType::Boolean),
    ("implicitGlobalRegion", ParamType::String),
];

/// The attributes `aws.parseArn` results have (all strings); `resourceId[N]` is the
/// resource id's `N`th `:`- or `/`-separated part, unset when there is none.
pub const ARN_ATTRS: &[&str] = &["partition", "service", "region", "accountId"];

/// The index of a `[N]` attribute path, which `getAttr` takes on a string array.
pub fn array_index(path: &str) -> Option<usize> {
    path.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// The index of a `resourceId[N]` attribute path.
pub fn arn_resource_index(path: &str) -> Option<usize> {
    path.strip_prefix("resourceId[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// A rules function whose Rust code is emitted only for the rule sets that call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LibFunction {
    /// `aws.parseArn`.
    ParseArn,
    /// `substring`.
    Substring,
    /// `isValidHostLabel`.
    IsValidHostLabel,
}

impl RuleSet {
    /// The rules functions with their own library module that the rule set calls.
    pub fn lib_functions(&self) -> std::collections::BTreeSet<LibFunction> {
        fn expr(e: &Expr, out: &mut std::collections::BTreeSet<LibFunction>) {
            match e {
                Expr::ParseArn(a) => {
                    out.insert(LibFunction::ParseArn);
                    expr(a, out);
                }
                Expr::Substring(a, ..) => {
                    out.insert(LibFunction::Substring);
                    expr(a, out);
                }
                Expr::IsValidHostLabel(a, _) => {
                    out.insert(LibFunction::IsValidHostLabel);
                    expr(a, out);
                }
                Expr::Not(a) | Expr::Partition(a) => expr(a, out),
                Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => {
                    expr(a, out);
                    expr(b, out);
                }
                Expr::Ref(_)
                | Expr::Str(_)
                | Expr::Bool(_)
                | Expr::IsSet(_)
                | Expr::GetAttr(..) => {}
            }
        }
        fn rules(rs: &[Rule], out: &mut std::collections::BTreeSet<LibFunction>) {
            for r in rs {
                for c in &r.conditions {
                    expr(&c.call, out);
                }
                if let RuleBody::Tree(children) = &r.body {
                    rules(children, out);
                }
            }
        }
        let mut out = std::collections::BTreeSet::new();
        rules(&self.rules, &mut out);
        out
    }

    /// Lowers the trait value found on `service`.
    pub fn lower(service: &str, v: &Value) -> Result<RuleSet, Error> {
        let owner = format!("{service} (smithy.rules#endpointRuleSet)");
        let params = v
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::invalid(&owner, "missing parameters"))?;
        let mut parameters = Vec::new();
        for (name, p) in params {
            let ty = match p.get("type").and_then(Value::as_str) {
                Some("string") | Some("String") => ParamType::String,
                Some("boolean") | Some("Boolean") => ParamType::Boolean,
                Some("stringArray") | Some("StringArray") => ParamType::StringArray,
                other => {
                    return Err(Error::invalid(
                        &owner,
                        format!("parameter {name}: unsupported type {other:?}"),
                    ))
                }
            };
            let default = p.get("default");
            let default_array = match (ty, default) {
                (ParamType::StringArray, Some(Value::Array(items))) => Some(
                    items
                        .iter()
                        .map(|i| {
                            i.as_str().map(str::to_owned).ok_or_else(|| {
                                Error::invalid(
                                    &owner,
                                    format!("parameter {name}: default {i} is not a string"),
                                )
                            })
                        })
                        .collect::<Result<Vec<_>, Error>>()?,
                ),
                _ => None,
            };
            let default_matches = match (ty, default) {
                (_, None | Some(Value::Null)) => true,
                (ParamType::String, Some(d)) => d.is_string(),
                (ParamType::Boolean, Some(d)) => d.is_boolean(),
                (ParamType::StringArray, Some(_)) => default_array.is_some(),
            };
            if !default_matches {
                return Err(Error::invalid(
                    &owner,
                    format!(
                        "parameter {name}: default {} is not a {ty:?}",
                        default.unwrap_or(&Value::Null)
                    ),
                ));
            }
            parameters.push(Parameter {
                name: name.clone(),
                field: ident::snake(name),
                ty,
                built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                default_bool: default.and_then(Value::as_bool),
                default_string: default.and_then(Value::as_str).map(str::to_owned),
                default_array,
                docs: p
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
            let last = parameters.last().expect("just pushed");
            if last.required && !last.always_set() {
                return Err(Error::invalid(
                    &owner,
                    format!("parameter {name}: required parameters need a default here"),
                ));
            }
        }
        let rules = lower_rules(&owner, v.get("rules"))?;
        Ok(RuleSet { parameters, rules })
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

fn lower_rules(owner: &str, v: Option<&Value>) -> Result<Vec<Rule>, Error> {
    let list = v
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid(owner, "rules must be a list"))?;
    list.iter().map(|r| lower_rule(owner, r)).collect()
}

fn lower_rule(owner: &str, r: &Value) -> Result<Rule, Error> {
    let conditions = r
        .get("conditions")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid(owner, "a rule needs a conditions list"))?
        .iter()
        .map(|c| {
            Ok(Condition {
                call: lower_call(owner, c)?,
                assign: c.get("assign").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let body = match r.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let ep = r
                .get("endpoint")
                .ok_or_else(|| Error::invalid(owner, "endpoint rule without endpoint"))?;
            if ep
                .get("headers")
                .and_then(Value::as_object)
                .is_some_and(|o| !o.is_empty())
            {
                return Err(Error::invalid(owner, "endpoint headers are not supported"));
            }
            let url = ep
                .get("url")
                .ok_or_else(|| Error::invalid(owner, "endpoint without url"))?;
            let properties = match ep.get("properties") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Object(o)) => o
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), property(owner, v)?)))
                    .collect::<Result<Vec<_>, Error>>()?,
                Some(other) => {
                    return Err(Error::invalid(
                        owner,
                        format!("endpoint properties must be an object, got {other}"),
                    ))
                }
            };
            check_auth_schemes(owner, &properties)?;
            RuleBody::Endpoint(template_of(owner, url)?, properties)
        }
        Some("error") => RuleBody::Error(template_of(
            owner,
            r.get("error")
                .ok_or_else(|| Error::invalid(owner, "error rule without error"))?,
        )?),
        Some("tree") => RuleBody::Tree(lower_rules(owner, r.get("rules"))?),
        other => {
            return Err(Error::invalid(
                owner,
                format!("unsupported rule type {other:?}"),
            ))
        }
    };
    Ok(Rule { conditions, body })
}

/// One endpoint property value, its strings parsed as templates.
fn property(owner: &str, v: &Value) -> Result<Property, Error> {
    Ok(match v {
        Value::String(s) => Property::Str(parse_template(owner, s)?),
        Value::Bool(b) => Property::Bool(*b),
        Value::Number(n) => Property::Int(n.as_i64().ok_or_else(|| {
            Error::invalid(
                owner,
                format!("endpoint property number {n} is not an integer"),
            )
        })?),
        Value::Array(items) => Property::Array(
            items
                .iter()
                .map(|i| property(owner, i))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => Property::Object(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), property(owner, v)?)))
                .collect::<Result<_, Error>>()?,
        ),
        Value::Null => return Err(Error::invalid(owner, "endpoint property is null")),
    })
}

/// Every auth scheme an endpoint names must be one the client signs with (SigV4 or SigV4a):
/// the runtime picks the first of the operation's schemes the endpoint lists and signs with
/// that entry's properties, so a scheme the client lacks would be passed over without a
/// word. A SigV4a entry's `signingRegionSet` must be a list of strings.
fn check_auth_schemes(owner: &str, properties: &[(String, Property)]) -> Result<(), Error> {
    let Some((_, schemes)) = properties.iter().find(|(k, _)| k == "authSchemes") else {
        return Ok(());
    };
    let Property::Array(schemes) = schemes else {
        return Err(Error::invalid(owner, "endpoint authSchemes must be a list"));
    };
    for scheme in schemes {
        let fields: &[(String, Property)] = match scheme {
            Property::Object(fields) => fields,
            _ => &[],
        };
        let name = fields.iter().find_map(|(k, v)| match (k.as_str(), v) {
            ("name", Property::Str(Template(parts))) => match parts.as_slice() {
                [TemplatePart::Text(name)] => Some(name.clone()),
                _ => None,
            },
            _ => None,
        });
        match name {
            Some(name) if SUPPORTED_AUTH_SCHEMES.contains(&name.as_str()) => {}
            Some(name) => {
                return Err(Error::invalid(
                    owner,
                    format!(
                        "endpoint auth scheme {name:?} is not supported (only SigV4 and SigV4a are)"
                    ),
                ))
            }
            None => {
                return Err(Error::invalid(
                    owner,
                    "an endpoint auth scheme needs a literal name",
                ))
            }
        }
        for (key, value) in fields {
            if key != "signingRegionSet" {
                continue;
            }
            let strings = matches!(value, Property::Array(items)
                if items.iter().all(|i| matches!(i, Property::Str(_))));
            if !strings {
                return Err(Error::invalid(
                    owner,
                    "an endpoint auth scheme's signingRegionSet must be a list of strings",
                ));
            }
        }
    }
    Ok(())
}

/// A URL or error message: a template string or a bare reference.
fn template_of(owner: &str, v: &Value) -> Result<Template, Error> {
    match v {
        Value::String(s) => parse_template(owner, s),
        Value::Object(o) if o.contains_key("ref") => Ok(Template(vec![TemplatePart::Ref(
            o["ref"]
                .as_str()
                .ok_or_else(|| Error::invalid(owner, "ref must be a string"))?
                .to_owned(),
        )])),
        other => Err(Error::invalid(
            owner,
            format!("unsupported url or message expression {other}"),
        )),
    }
}

fn lower_call(owner: &str, v: &Value) -> Result<Expr, Error> {
    let name = v
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid(owner, format!("expected a function call, got {v}")))?;
    let argv = v
        .get("argv")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid(owner, format!("{name}: missing argv")))?;
    let arity = |n: usize| -> Result<(), Error> {
        if argv.len() == n {
            Ok(())
        } else {
            Err(Error::invalid(
                owner,
                format!("{name} takes {n} arguments, got {}", argv.len()),
            ))
        }
    };
    Ok(match name {
        "isSet" => {
            arity(1)?;
            match lower_expr(owner, &argv[0])? {
                Expr::Ref(r) => Expr::IsSet(r),
                _ => return Err(Error::invalid(owner, "isSet takes a reference")),
            }
        }
        "not" => {
            arity(1)?;
            Expr::Not(Box::new(lower_expr(owner, &argv[0])?))
        }
        "booleanEquals" => {
            arity(2)?;
            Expr::BooleanEquals(
                Box::new(lower_expr(owner, &argv[0])?),
                Box::new(lower_expr(owner, &argv[1])?),
            )
        }
        "stringEquals" => {
            arity(2)?;
            Expr::StringEquals(
                Box::new(lower_expr(owner, &argv[0])?),
                Box::new(lower_expr(owner, &argv[1])?),
            )
        }
        "getAttr" => {
            arity(2)?;
            let target = match lower_expr(owner, &argv[0])? {
                Expr::Ref(r) => r,
                _ => {
                    return Err(Error::invalid(
                        owner,
                        "getAttr is supported on references only",
                    ))
                }
            };
            let attr = argv[1]
                .as_str()
                .ok_or_else(|| Error::invalid(owner, "getAttr path must be a string"))?;
            let known = PARTITION_ATTRS.iter().any(|(a, _)| *a == attr)
                || ARN_ATTRS.contains(&attr)
                || arn_resource_index(attr).is_some()
                || array_index(attr).is_some();
            if !known {
                return Err(Error::invalid(
                    owner,
                    format!("getAttr: unsupported attribute {attr:?}"),
                ));
            }
            Expr::GetAttr(target, attr.to_owned())
        }
        "aws.partition" => {
            arity(1)?;
            Expr::Partition(Box::new(lower_expr(owner, &argv[0])?))
        }
        "aws.parseArn" => {
            arity(1)?;
            Expr::ParseArn(Box::new(lower_expr(owner, &argv[0])?))
        }
        "substring" => {
            arity(4)?;
            let index = |v: &Value| {
                v.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        Error::invalid(
                            owner,
                            format!("substring: start and stop must be integers, got {v}"),
                        )
                    })
            };
            let (start, stop) = (index(&argv[1])?, index(&argv[2])?);
            let reverse = argv[3].as_bool().ok_or_else(|| {
                Error::invalid(owner, "substring: reverse must be a boolean literal")
            })?;
            Expr::Substring(Box::new(lower_expr(owner, &argv[0])?), start, stop, reverse)
        }
        "isValidHostLabel" => {
            arity(2)?;
            let allow_dots = argv[1].as_bool().ok_or_else(|| {
                Error::invalid(
                    owner,
                    "isValidHostLabel: allowSubDomains must be a boolean literal",
                )
            })?;
            Expr::IsValidHostLabel(Box::new(lower_expr(owner, &argv[0])?), allow_dots)
        }
        other => {
            return Err(Error::invalid(
                owner,
                format!("rules function {other:?} is not supported"),
            ))
        }
    })
}

fn lower_expr(owner: &str, v: &Value) -> Result<Expr, Error> {
    match v {
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::String(s) => Ok(Expr::Str(parse_template(owner, s)?)),
        Value::Object(o) if o.contains_key("ref") => Ok(Expr::Ref(
            o["ref"]
                .as_str()
                .ok_or_else(|| Error::invalid(owner, "ref must be a string"))?
                .to_owned(),
        )),
        Value::Object(o) if o.contains_key("fn") => lower_call(owner, v),
        other => Err(Error::invalid(
            owner,
            format!("unsupported expression {other}"),
        )),
    }
}

/// Parses `https://x.{Region}.{PartitionResult#dnsSuffix}`; `{{` and `}}` are literal braces.
pub fn parse_template(owner: &str, s: &str) -> Result<Template, Error> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => {
                            return Err(Error::invalid(
                                owner,
                                format!("unclosed {{ in template {s:?}"),
                            ))
                        }
                    }
                }
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                match name.split_once('#') {
                    Some((var, attr)) => {
                        parts.push(TemplatePart::Attr(var.to_owned(), attr.to_owned()))
                    }
                    None => parts.push(TemplatePart::Ref(name)),
                }
            }
            '}' => {
                return Err(Error::invalid(
                    owner,
                    format!("unmatched }} in template {s:?}"),
                ))
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Ok(Template(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let t =
            parse_template("t", "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}").unwrap();
        assert_eq!(
            t.0,
            vec![
                TemplatePart::Text("https://svc-fips.".into()),
                TemplatePart::Ref("Region".into()),
                TemplatePart::Text(".".into()),
                TemplatePart::Attr("PartitionResult".into(), "dnsSuffix".into()),
            ]
        );
        assert_eq!(
            parse_template("t", "a{{b}}").unwrap().0,
            vec![TemplatePart::Text("a{b}".into())]
        );
        assert!(parse_template("t", "a{b").is_err());
        assert!(parse_template("t", "a}b").is_err());
    }

    #[test]
    fn unsupported_function_is_named() {
        let v = serde_json::json!({"parameters": {}, "rules": [
            {"conditions": [{"fn": "parseURL", "argv": [{"ref": "Endpoint"}]}], "error": "x", "type": "error"}
        ]});
        let err = RuleSet::lower("ns#S", &v).unwrap_err();
        assert!(
            err.to_string().contains("\"parseURL\" is not supported"),
            "{err}"
        );
    }

    fn endpoint_with(properties: serde_json::Value) -> Result<RuleSet, Error> {
        let v = serde_json::json!({"parameters": {}, "rules": [
            {"conditions": [], "endpoint": {"url": "https://x", "properties": properties}, "type": "endpoint"}
        ]});
        RuleSet::lower("ns#S", &v)
    }

    #[test]
    fn endpoint_properties_are_lowered_and_unsigned_schemes_refused() {
        let rules = endpoint_with(serde_json::json!({
            "authSchemes": [
                {"name": "sigv4a", "signingRegionSet": ["*", "{Region}"]},
                {"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}
            ],
            "metricValues": ["O"],
            "n": -3
        }))
        .unwrap();
        let RuleBody::Endpoint(_, props) = &rules.rules[0].body else {
            panic!("an endpoint rule");
        };
        let names: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["authSchemes", "metricValues", "n"]);
        assert_eq!(props[2].1, Property::Int(-3));

        for (props, expect) in [
            (
                serde_json::json!({"authSchemes": [{"name": "sigv4-s3express"}]}),
                "endpoint auth scheme \"sigv4-s3express\" is not supported",
            ),
            (
                serde_json::json!({"authSchemes": [{"name": "sigv4a", "signingRegionSet": "*"}]}),
                "signingRegionSet must be a list of strings",
            ),
            (
                serde_json::json!({"authSchemes": [{"name": "sigv4a", "signingRegionSet": [1]}]}),
                "signingRegionSet must be a list of strings",
            ),
            (
                serde_json::json!({"authSchemes": [{"name": "{Region}"}]}),
                "needs a literal name",
            ),
            (
                serde_json::json!({"authSchemes": "sigv4"}),
                "must be a list",
            ),
            (serde_json::json!({"x": 1.5}), "is not an integer"),
        ] {
            let err = endpoint_with(props).unwrap_err().to_string();
            assert!(err.contains("ns#S") && err.contains(expect), "{err}");
        }
    }
}
