//! The operation's parameters from the command line, as the AWS CLI gathers them.
//!
//! - `--workgroup-names a b` gives the names; a single value that starts with `[` is a JSON
//!   list (`--workgroup-names '["a","b"]'`), as for every AWS CLI list parameter.
//! - `--cli-input-json` / `--cli-input-yaml` (a literal, or `file://PATH`) give the
//!   parameters as an object keyed by the API's member names (`workgroupNames`); a
//!   parameter given as a flag as well wins, as in the AWS CLI.
//! - The result is checked as botocore checks parameters before sending: unknown names,
//!   wrong types and a missing required member are each reported, in botocore's words
//!   (`Parameter validation failed:` then one line per problem), exit 252.
//!
//! The model's own constraints (name pattern and length, list size) are checked later, by
//! the client's validation, with the violation messages the CLI already prints.

use serde_json::{Map, Value};

use crate::args::GetTokenArgs;
use crate::escape::{escape_controls, excerpt};
use crate::failure::Failure;

/// The input member this command takes, by its API name.
pub const WORKGROUP_NAMES: &str = "workgroupNames";

/// The skeleton `--generate-cli-skeleton input` prints (with four-space indentation).
pub fn input_skeleton() -> Value {
    serde_json::json!({ WORKGROUP_NAMES: [""] })
}

/// The YAML skeleton `--generate-cli-skeleton yaml-input` prints: the same, with the
/// member's documentation as a comment.
pub const YAML_INPUT_SKELETON: &str = "\
workgroupNames:  # [REQUIRED] Workgroups the token gives access to (1 to 20 names).
- ''
";

/// The workgroup names from the flags and the input document, or the first problem found.
pub fn workgroup_names(args: &GetTokenArgs) -> Result<Vec<String>, Failure> {
    let from_flag = match &args.workgroup_names {
        Some(values) => Some(flag_list("--workgroup-names", values)?),
        None => None,
    };
    let document = input_document(args)?;
    let mut problems = Vec::new();
    if let Some(doc) = &document {
        for key in doc.keys() {
            if key != WORKGROUP_NAMES {
                problems.push(format!(
                    "Unknown parameter in input: \"{}\", must be one of: {WORKGROUP_NAMES}",
                    excerpt(key)
                ));
            }
        }
    }
    // The flag wins; the document's value is only looked at when the flag is absent.
    let names = match (
        from_flag,
        document.as_ref().and_then(|d| d.get(WORKGROUP_NAMES)),
    ) {
        (Some(names), _) => Some(names),
        (None, Some(value)) => string_list(WORKGROUP_NAMES, value, &mut problems),
        (None, None) => {
            problems.push(format!(
                "Missing required parameter in input: \"{WORKGROUP_NAMES}\""
            ));
            None
        }
    };
    match names {
        Some(names) if problems.is_empty() => Ok(names),
        _ => Err(validation_failed(&problems)),
    }
}

/// botocore's report of parameter problems.
fn validation_failed(problems: &[String]) -> Failure {
    Failure::InvalidParameters(format!(
        "Parameter validation failed:\n{}",
        problems.join("\n")
    ))
}

/// The values of a list flag: each value a string, or one JSON list.
fn flag_list(flag: &str, values: &[String]) -> Result<Vec<String>, Failure> {
    let [single] = values else {
        return Ok(values.to_vec());
    };
    if !single.trim_start().starts_with('[') {
        return Ok(values.to_vec());
    }
    let parsed: Value = serde_json::from_str(single).map_err(|e| {
        Failure::InvalidParameters(format!(
            "Error parsing parameter '{flag}': Invalid JSON: {e}\nJSON received: {}",
            excerpt(single)
        ))
    })?;
    let mut problems = Vec::new();
    match string_list(WORKGROUP_NAMES, &parsed, &mut problems) {
        Some(names) if problems.is_empty() => Ok(names),
        _ => Err(validation_failed(&problems)),
    }
}

/// A JSON value that must be a list of strings; each wrong type is a problem.
fn string_list(name: &str, value: &Value, problems: &mut Vec<String>) -> Option<Vec<String>> {
    let Value::Array(items) = value else {
        problems.push(invalid_type(name, value, "<class 'list'>, <class 'tuple'>"));
        return None;
    };
    let mut names = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) => names.push(s.clone()),
            other => problems.push(invalid_type(
                &format!("{name}[{i}]"),
                other,
                "<class 'str'>",
            )),
        }
    }
    Some(names)
}

/// botocore's wording, with Python's names for the JSON types, so scripts that match the
/// AWS CLI's messages keep working.
fn invalid_type(name: &str, value: &Value, valid: &str) -> String {
    let (shown, python_type) = match value {
        Value::Null => ("None".to_owned(), "NoneType"),
        Value::Bool(true) => ("True".to_owned(), "bool"),
        Value::Bool(false) => ("False".to_owned(), "bool"),
        Value::Number(n) if n.is_f64() => (n.to_string(), "float"),
        Value::Number(n) => (n.to_string(), "int"),
        Value::String(s) => (s.clone(), "str"),
        Value::Array(_) => (value.to_string(), "list"),
        Value::Object(_) => (value.to_string(), "dict"),
    };
    format!(
        "Invalid type for parameter {name}, value: {}, type: <class '{python_type}'>, valid types: {valid}",
        excerpt(&shown)
    )
}

/// The `--cli-input-json` or `--cli-input-yaml` object, if one was given.
fn input_document(args: &GetTokenArgs) -> Result<Option<Map<String, Value>>, Failure> {
    let (flag, parsed) = match (&args.cli_input_json, &args.cli_input_yaml) {
        (Some(json), _) => {
            let text = load_param("--cli-input-json", json)?;
            let parsed = serde_json::from_str::<Value>(&text).map_err(|e| {
                Failure::InvalidParameters(format!(
                    "Error parsing parameter 'cli-input-json': Invalid JSON: {e}\nJSON received: {}",
                    excerpt(&text)
                ))
            })?;
            ("cli-input-json", parsed)
        }
        (None, Some(yaml)) => {
            let text = load_param("--cli-input-yaml", yaml)?;
            let parsed = crate::yaml::parse(&text).map_err(|e| {
                Failure::InvalidParameters(format!(
                    "Error parsing parameter 'cli-input-yaml': Invalid YAML: {e}"
                ))
            })?;
            ("cli-input-yaml", parsed)
        }
        (None, None) => return Ok(None),
    };
    match parsed {
        Value::Object(map) => Ok(Some(map)),
        other => Err(Failure::InvalidParameters(format!(
            "Error parsing parameter '{flag}': the input must be an object of parameters, \
             such as {{\"{WORKGROUP_NAMES}\": [\"default\"]}}; got {}",
            json_type_name(&other)
        ))),
    }
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A parameter value, read from a file for `file://PATH` (the AWS CLI's paramfile form).
fn load_param(flag: &str, value: &str) -> Result<String, Failure> {
    let Some(path) = value.strip_prefix("file://") else {
        return Ok(value.to_owned());
    };
    let unable = |e: &dyn std::fmt::Display| {
        Failure::InvalidParameters(format!(
            "Error parsing parameter '{flag}': Unable to load paramfile {}: {e}",
            escape_controls(value)
        ))
    };
    let bytes = crate::files::read(std::path::Path::new(path)).map_err(|e| unable(&e))?;
    String::from_utf8(bytes).map_err(|e| unable(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command};
    use clap::Parser;

    fn args(argv: &[&str]) -> GetTokenArgs {
        let full = ["redshift-serverless", "get-identity-center-auth-token"]
            .into_iter()
            .chain(argv.iter().copied());
        match Cli::try_parse_from(full) {
            Ok(Cli {
                command: Command::GetIdentityCenterAuthToken(args),
                ..
            }) => args,
            Ok(other) => panic!("{other:?}"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn every_input_form_and_its_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("input.json");
        std::fs::write(&file, r#"{"workgroupNames": ["from-file"]}"#).expect("write");
        let file_arg = format!("file://{}", file.display());
        let yaml_file = dir.path().join("input.yaml");
        std::fs::write(&yaml_file, "workgroupNames:\n- from-yaml\n").expect("write");
        let yaml_file_arg = format!("file://{}", yaml_file.display());
        let missing = format!("file://{}", dir.path().join("nope.json").display());

        type Expected<'a> = Result<Vec<&'a str>, &'a str>;
        let cases: Vec<(Vec<&str>, Expected)> = vec![
            (vec!["--workgroup-names", "a1", "b2"], Ok(vec!["a1", "b2"])),
            (vec!["--workgroup-names", r#"["a1","b2"]"#], Ok(vec!["a1", "b2"])),
            (vec!["--workgroup-names", r#"  [ "a1" ]"#], Ok(vec!["a1"])),
            // Only a single value is JSON; two values are names, brackets and all.
            (vec!["--workgroup-names", "[x", "y"], Ok(vec!["[x", "y"])),
            // Not split on commas: the AWS CLI sends "a,b" as one name too.
            (vec!["--workgroup-names", "a,b"], Ok(vec!["a,b"])),
            (
                vec!["--workgroup-names", "[default"],
                Err("Error parsing parameter '--workgroup-names': Invalid JSON: "),
            ),
            (
                vec!["--workgroup-names", r#"["default", 3]"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupNames[1], value: 3, type: <class 'int'>, valid types: <class 'str'>"),
            ),
            (vec!["--cli-input-json", r#"{"workgroupNames":["j1"]}"#], Ok(vec!["j1"])),
            (vec!["--cli-input-json", &file_arg], Ok(vec!["from-file"])),
            (vec!["--cli-input-yaml", "workgroupNames: [y1, y2]"], Ok(vec!["y1", "y2"])),
            (vec!["--cli-input-yaml", &yaml_file_arg], Ok(vec!["from-yaml"])),
            // The flag wins over the document.
            (
                vec!["--cli-input-json", r#"{"workgroupNames":["j1"]}"#, "--workgroup-names", "f1"],
                Ok(vec!["f1"]),
            ),
            (
                vec!["--cli-input-json", r#"{"workgroupNames":["j1"],"bogus":1}"#],
                Err("Parameter validation failed:\nUnknown parameter in input: \"bogus\", must be one of: workgroupNames"),
            ),
            // An unknown member is reported even when the flag gives the names.
            (
                vec!["--cli-input-json", r#"{"bogus":1}"#, "--workgroup-names", "f1"],
                Err("Parameter validation failed:\nUnknown parameter in input: \"bogus\""),
            ),
            (
                vec!["--cli-input-json", "{}"],
                Err("Parameter validation failed:\nMissing required parameter in input: \"workgroupNames\""),
            ),
            (vec![], Err("Parameter validation failed:\nMissing required parameter in input: \"workgroupNames\"")),
            (
                vec!["--cli-input-json", r#"{"workgroupNames":"one"}"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupNames, value: one, type: <class 'str'>, valid types: <class 'list'>, <class 'tuple'>"),
            ),
            (
                vec!["--cli-input-json", r#"{"workgroupNames":[null, true]}"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupNames[0], value: None, type: <class 'NoneType'>, valid types: <class 'str'>\nInvalid type for parameter workgroupNames[1], value: True"),
            ),
            (
                vec!["--cli-input-json", "notjson"],
                Err("Error parsing parameter 'cli-input-json': Invalid JSON: expected ident at line 1 column 2\nJSON received: notjson"),
            ),
            (
                vec!["--cli-input-json", "[1]"],
                Err("Error parsing parameter 'cli-input-json': the input must be an object of parameters, such as {\"workgroupNames\": [\"default\"]}; got a list"),
            ),
            (vec!["--cli-input-json", &missing], Err("Error parsing parameter '--cli-input-json': Unable to load paramfile file://")),
            (vec!["--cli-input-yaml", "workgroupNames: [unclosed"], Err("Error parsing parameter 'cli-input-yaml': Invalid YAML: ")),
            (vec!["--cli-input-yaml", "- a list"], Err("Error parsing parameter 'cli-input-yaml': the input must be an object of parameters")),
            // Network-free, but still a terminal: control characters in input are escaped.
            (
                vec!["--cli-input-json", "{\"b\\u001b[2J\": 1, \"workgroupNames\": [\"a1\"]}"],
                Err("Parameter validation failed:\nUnknown parameter in input: \"b\\u{1b}[2J\""),
            ),
        ];
        for (argv, expected) in cases {
            let got = workgroup_names(&args(&argv));
            match (got, expected) {
                (Ok(names), Ok(want)) => assert_eq!(names, want, "{argv:?}"),
                (Err(failure), Err(prefix)) => {
                    assert_eq!(failure.exit_code(), 252, "{argv:?}");
                    assert!(
                        failure.to_string().starts_with(prefix),
                        "{argv:?}:\n{failure}\ndoes not start with\n{prefix}"
                    );
                }
                (got, want) => panic!("{argv:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn the_skeletons_are_accepted_as_input() {
        let json = serde_json::to_string(&input_skeleton()).expect("JSON");
        assert_eq!(
            workgroup_names(&args(&["--cli-input-json", &json])).ok(),
            Some(vec![String::new()])
        );
        assert_eq!(
            workgroup_names(&args(&["--cli-input-yaml", YAML_INPUT_SKELETON])).ok(),
            Some(vec![String::new()])
        );
    }
}
