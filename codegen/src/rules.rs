//! The endpoint rule set (`smithy.rules#endpointRuleSet`), lowered into a typed tree.
//!
//! Only what AWS JSON services' rule sets use is supported: string and boolean parameters,
//! endpoint/error/tree rules, string templates, and the functions `isSet`, `not`,
//! `booleanEquals`, `stringEquals`, `getAttr` and `aws.partition`. Anything else is an error
//! naming the construct, so a new rule set never resolves differently by accident.

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
    /// Documentation.
    pub docs: Option<String>,
}

impl Parameter {
    /// True when the parameter always has a value at evaluation time.
    pub fn always_set(&self) -> bool {
        self.default_bool.is_some() || self.default_string.is_some()
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
    /// An endpoint URL.
    Endpoint(Template),
    /// A resolution error.
    Error(Template),
    /// Nested rules; one of them must apply.
    Tree(Vec<Rule>),
}

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

impl RuleSet {
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
                other => {
                    return Err(Error::invalid(
                        &owner,
                        format!("parameter {name}: unsupported type {other:?}"),
                    ))
                }
            };
            let default = p.get("default");
            parameters.push(Parameter {
                name: name.clone(),
                field: ident::snake(name),
                ty,
                built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                default_bool: default.and_then(Value::as_bool),
                default_string: default.and_then(Value::as_str).map(str::to_owned),
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
            for k in ["properties", "headers"] {
                if ep
                    .get(k)
                    .and_then(Value::as_object)
                    .is_some_and(|o| !o.is_empty())
                {
                    return Err(Error::invalid(
                        owner,
                        format!("endpoint {k} are not supported"),
                    ));
                }
            }
            let url = ep
                .get("url")
                .ok_or_else(|| Error::invalid(owner, "endpoint without url"))?;
            RuleBody::Endpoint(template_of(owner, url)?)
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
            if !PARTITION_ATTRS.iter().any(|(a, _)| *a == attr) {
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
}
