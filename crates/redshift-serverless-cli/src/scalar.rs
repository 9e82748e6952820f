//! A scalar as Python's `str()` prints it: how the AWS CLI writes a value in text output
//! and in a table cell. Shared by `render.rs` (text) and `table.rs`, each of which escapes
//! it for the terminal by its own rule.

use std::borrow::Cow;

use serde_json::Value;

/// `value` as Python's `str()` prints it (`None`, `True`, `1.5`, `1e+16`, a string as is),
/// not escaped.
pub fn python_str(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Null => Cow::Borrowed("None"),
        Value::Bool(true) => Cow::Borrowed("True"),
        Value::Bool(false) => Cow::Borrowed("False"),
        Value::Number(n) => Cow::Owned(python_number(n)),
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Python's `repr` of a float keeps a `.0` and writes large exponents as `1e+16`.
fn python_number(n: &serde_json::Number) -> String {
    if n.is_f64() {
        let f = n.as_f64().unwrap_or(f64::NAN);
        let debug = format!("{f:?}");
        match debug.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp:0>2}"),
            Some((mantissa, exp)) => format!("{mantissa}e-{:0>2}", &exp[1..]),
            None => debug,
        }
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn as_python_prints_them() {
        for (value, expected) in [
            (json!(null), "None"),
            (json!(true), "True"),
            (json!(false), "False"),
            (json!(1), "1"),
            (json!(1.5), "1.5"),
            (json!(1e16), "1e+16"),
            (json!(1e-7), "1e-07"),
            (json!("a\tb\u{1b}"), "a\tb\u{1b}"),
        ] {
            assert_eq!(python_str(&value), expected, "{value}");
        }
    }
}
