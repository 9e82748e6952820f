//! YAML in (`--cli-input-yaml`) and out (`--output yaml` / `yaml-stream`), by saphyr, a
//! maintained pure-Rust YAML 1.2 parser and emitter (the successor of yaml-rust2).
//!
//! Both directions go through `serde_json::Value`, the one data model the rest of the CLI
//! uses: a document that JSON cannot hold (an alias, a non-scalar key, a NaN) is refused
//! naming what it is. On output the emitter quotes any string YAML would read as something
//! else (a timestamp, a number, `true`) and escapes C0 controls and DEL in double quotes;
//! C1 and bidirectional controls and U+2028/U+2029, which it would write raw, are escaped
//! first (see `escape.rs`).

use std::fmt;

use saphyr::{LoadableYamlNode, Mapping, Scalar, ScalarStyle, Yaml, YamlEmitter};
use serde_json::{Map, Number, Value};

/// Why a YAML document cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(String);

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for YamlError {}

/// The single document in `text`, as JSON data.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let docs = Yaml::load_from_str(text).map_err(|e| YamlError(e.to_string()))?;
    match docs.as_slice() {
        [] => Ok(Value::Null),
        [doc] => to_json(doc),
        more => Err(YamlError(format!(
            "expected one document, found {}",
            more.len()
        ))),
    }
}

fn to_json(node: &Yaml<'_>) -> Result<Value, YamlError> {
    Ok(match node {
        Yaml::Value(scalar) => scalar_to_json(scalar)?,
        // Left unresolved by the loader: its text is the value.
        Yaml::Representation(text, _, _) => Value::String(text.to_string()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Yaml::Mapping(map) => {
            let mut object = Map::new();
            for (key, value) in map {
                let key = match to_json(key)? {
                    Value::String(s) => s,
                    scalar @ (Value::Number(_) | Value::Bool(_)) => scalar.to_string(),
                    other => {
                        return Err(YamlError(format!(
                            "a mapping key must be a string, not {other}"
                        )))
                    }
                };
                object.insert(key, to_json(value)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(_, inner) => to_json(inner)?,
        Yaml::Alias(_) => return Err(YamlError("aliases (*name) are not supported".into())),
        Yaml::BadValue => return Err(YamlError("a value could not be read".into())),
    })
}

fn scalar_to_json(scalar: &Scalar<'_>) -> Result<Value, YamlError> {
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            .ok_or_else(|| {
                YamlError(format!("{} is not a number JSON can hold", f.into_inner()))
            })?,
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

/// `value` as a YAML document, without the `---` line, ending in a newline. With `stream`,
/// the document is one item of a list, as `--output yaml-stream` writes each response.
pub fn emit(value: &Value, stream: bool) -> String {
    let node = to_yaml(value);
    let node = if stream {
        Yaml::Sequence(vec![node])
    } else {
        node
    };
    let mut out = String::new();
    // Emitting into a String fails only on a formatter error, which String never returns.
    let _ = YamlEmitter::new(&mut out).dump(&node);
    let body = out
        .strip_prefix("---\n")
        .unwrap_or(out.trim_start_matches("---"));
    let body = body.trim_start_matches(' ');
    format!("{}\n", body.trim_end_matches('\n'))
}

fn to_yaml(value: &Value) -> Yaml<'static> {
    match value {
        // `null` rather than the emitter's `~`, as the AWS CLI v2 prints it.
        Value::Null => Yaml::Representation("null".into(), ScalarStyle::Plain, None),
        Value::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(f64::NAN).into())),
        },
        Value::String(s) => Yaml::Value(Scalar::String(escape_c1(s).into())),
        Value::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        Value::Object(map) => {
            let mut mapping = Mapping::new();
            for (key, value) in map {
                mapping.insert(
                    Yaml::Value(Scalar::String(escape_c1(key).into())),
                    to_yaml(value),
                );
            }
            Yaml::Mapping(mapping)
        }
    }
}

/// The emitter escapes C0 and DEL itself; the rest of what `escape.rs` escapes (C1 controls,
/// bidirectional controls, U+2028, U+2029) it would write raw.
fn escape_c1(s: &str) -> String {
    if s.chars()
        .any(|c| crate::escape::is_control(c) && !c.is_ascii_control())
    {
        crate::escape::escape_controls(s).into_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emits_block_yaml_quoting_what_would_read_back_as_another_type() {
        let cases = [
            (
                json!({"expirationTime": "2026-11-28T05:00:00+00:00", "token": "abc123"}),
                "expirationTime: \"2026-11-28T05:00:00+00:00\"\ntoken: abc123\n",
            ),
            (json!("abc"), "abc\n"),
            (json!(["a1", "b2"]), "- a1\n- b2\n"),
            (
                json!({"n": "12", "t": "true", "e": ""}),
                "n: \"12\"\nt: \"true\"\ne: \"\"\n",
            ),
            (
                json!({"k": [1, 2.5, null, false]}),
                "k:\n  - 1\n  - 2.5\n  - null\n  - false\n",
            ),
            (json!(null), "null\n"),
            (json!({}), "{}\n"),
            (json!({"m": "\u{1b}[2J\ttab"}), "m: \"\\u001b[2J\\ttab\"\n"),
            (json!({"c1": "\u{9b}2J"}), "c1: \"\\\\u{9b}2J\"\n"),
            (json!({"bidi": "a\u{202e}b"}), "bidi: \"a\\\\u{202e}b\"\n"),
        ];
        for (value, expected) in cases {
            assert_eq!(emit(&value, false), expected, "{value}");
        }
    }

    #[test]
    fn stream_wraps_the_document_in_a_list() {
        assert_eq!(emit(&json!({"token": "abc"}), true), "- token: abc\n");
    }

    #[test]
    fn emitted_yaml_reads_back_as_the_same_data() {
        let value = json!({
            "expirationTime": "2026-11-28T05:00:00+00:00",
            "token": "t0k-EN_/+=",
            "list": ["yes", "no", "1.5", "null", "~", "- dash", "# hash", "a: b", "'q'"],
            "nested": {"deep": [{"x": 1}]},
            "ctl": "a\u{1b}b\nc",
        });
        assert_eq!(parse(&emit(&value, false)), Ok(value));
    }

    #[test]
    fn parse_errors_name_the_problem() {
        assert!(parse("a: [1, 2").is_err());
        // The loader resolves aliases itself.
        assert_eq!(parse("a: &x 1\nb: *x\n"), Ok(json!({"a": 1, "b": 1})));
        assert!(parse("? [1, 2]\n: v\n").is_err());
        assert!(parse("---\na: 1\n---\nb: 2\n").is_err());
        assert_eq!(
            parse("workgroupNames: [a1]"),
            Ok(json!({"workgroupNames": ["a1"]}))
        );
        assert_eq!(parse(""), Ok(Value::Null));
    }
}
