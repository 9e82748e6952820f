//! An operation's parameters from the command line, as the AWS CLI gathers them.
//!
//! Everything here is driven by the operation's member table (`operation::Member`):
//! - a member's flag gives its value: `--workgroup-name NAME` for a string;
//!   `--workgroup-names a b` for a list, where a single value that starts with `[` is a JSON
//!   list (`--workgroup-names '["a","b"]'`), as for every AWS CLI list parameter;
//! - `--cli-input-json` / `--cli-input-yaml` (a literal, or `file://PATH`) give the
//!   parameters as an object keyed by the API's member names (`workgroupName`); a
//!   parameter given as a flag as well wins, as in the AWS CLI;
//! - the result is checked as botocore checks parameters before sending, in its order:
//!   missing required members, then unknown names, then wrong types, each reported in
//!   botocore's words (`Parameter validation failed:` then one line per problem), exit 252;
//! - the `input` and `yaml-input` skeletons list the members.
//!
//! The model's own constraints (name pattern and length, list size) are checked later, by
//! the client's validation, with the violation messages the CLI already prints.

use serde_json::{Map, Value};

use crate::escape::{escape_controls, excerpt};
use crate::failure::Failure;
use crate::operation::{Member, MemberKind, OperationArgs, Params};

/// The skeleton `--generate-cli-skeleton input` prints (with four-space indentation): each
/// member with an empty value of its type.
pub fn input_skeleton(members: &[Member]) -> Value {
    let mut map = Map::new();
    for member in members {
        let empty = match member.kind {
            MemberKind::String => Value::String(String::new()),
            MemberKind::StringList => Value::Array(vec![Value::String(String::new())]),
        };
        map.insert(member.name.to_owned(), empty);
    }
    Value::Object(map)
}

/// The YAML skeleton `--generate-cli-skeleton yaml-input` prints: the same, with each
/// member's documentation as a comment.
pub fn yaml_input_skeleton(members: &[Member]) -> String {
    let mut out = String::new();
    for member in members {
        let required = if member.required { "[REQUIRED] " } else { "" };
        match member.kind {
            MemberKind::String => out.push_str(&format!(
                "{}: ''  # {required}{}\n",
                member.name, member.doc
            )),
            MemberKind::StringList => out.push_str(&format!(
                "{}:  # {required}{}\n- ''\n",
                member.name, member.doc
            )),
        }
    }
    out
}

/// The parameters from the flags and the input document, checked against `members`, or
/// every problem found.
pub fn parameters(members: &[Member], args: &dyn OperationArgs) -> Result<Params, Failure> {
    // A flag's JSON is parsed first: a syntax error there is reported alone, as the AWS CLI
    // reports it while reading the command line.
    let mut from_flags = Vec::new();
    let mut problems = Vec::new();
    for member in members {
        if let Some(values) = args.flag(member.name) {
            match paramfile(member, values)? {
                Paramfile::Text(text) => {
                    from_flags.push((member, flag_value(member, &[text])?));
                }
                // Bytes are no string: botocore's type check refuses them (after the
                // missing and unknown members, as it orders its problems).
                Paramfile::Bytes(bytes) => problems.push(bytes_refused(member, &bytes)),
                Paramfile::None => from_flags.push((member, flag_value(member, values)?)),
            }
        }
    }
    let bytes_problems = std::mem::take(&mut problems);
    let document = input_document(args, members)?;
    let mut params = Map::new();
    let flag_of = |member: &Member| {
        from_flags
            .iter()
            .find(|(m, _)| m.name == member.name)
            .map(|(_, v)| v)
    };
    let doc_value = |name: &str| document.as_ref().and_then(|d| d.get(name));
    let given_as_bytes =
        |member: &Member| args.flag(member.name).is_some() && flag_of(member).is_none();
    for member in members {
        if member.required
            && flag_of(member).is_none()
            && !given_as_bytes(member)
            && doc_value(member.name).is_none()
        {
            problems.push(format!(
                "Missing required parameter in input: \"{}\"",
                member.name
            ));
        }
    }
    if let Some(doc) = &document {
        let names: Vec<&str> = members.iter().map(|m| m.name).collect();
        for key in doc.keys() {
            if !names.contains(&key.as_str()) {
                problems.push(format!(
                    "Unknown parameter in input: \"{}\", must be one of: {}",
                    excerpt(key),
                    names.join(", ")
                ));
            }
        }
    }
    problems.extend(bytes_problems);
    // The flag wins; the document's value is only looked at when the flag is absent.
    for member in members {
        if given_as_bytes(member) {
            continue;
        }
        let value = match (flag_of(member), doc_value(member.name)) {
            (Some(value), _) => value,
            (None, Some(value)) => value,
            (None, None) => continue,
        };
        if check_type(member.name, member.kind, value, &mut problems) {
            params.insert(member.name.to_owned(), value.clone());
        }
    }
    if problems.is_empty() {
        Ok(Params::new(params))
    } else {
        Err(validation_failed(&problems))
    }
}

/// botocore's report of parameter problems.
fn validation_failed(problems: &[String]) -> Failure {
    Failure::InvalidParameters(format!(
        "Parameter validation failed:\n{}",
        problems.join("\n")
    ))
}

/// A flag's value as JSON data: a string as typed; a list from each value, or from one JSON
/// list.
fn flag_value(member: &Member, values: &[String]) -> Result<Value, Failure> {
    let strings = || Value::Array(values.iter().cloned().map(Value::String).collect());
    match (member.kind, values) {
        (MemberKind::String, [.., last]) => Ok(Value::String(last.clone())),
        (MemberKind::String, []) => Ok(Value::String(String::new())),
        (MemberKind::StringList, [single]) if single.trim_start().starts_with('[') => {
            serde_json::from_str(single).map_err(|e| {
                Failure::InvalidParameters(format!(
                    "Error parsing parameter '{}': Invalid JSON: {e}\nJSON received: {}",
                    member.flag,
                    excerpt(single)
                ))
            })
        }
        (MemberKind::StringList, _) => Ok(strings()),
    }
}

/// Whether `value` has the JSON type of `kind`; each wrong type is a problem.
fn check_type(name: &str, kind: MemberKind, value: &Value, problems: &mut Vec<String>) -> bool {
    match (kind, value) {
        (MemberKind::String, Value::String(_)) => true,
        (MemberKind::String, other) => {
            problems.push(invalid_type(name, other, "<class 'str'>"));
            false
        }
        (MemberKind::StringList, Value::Array(items)) => {
            let before = problems.len();
            for (i, item) in items.iter().enumerate() {
                check_type(&format!("{name}[{i}]"), MemberKind::String, item, problems);
            }
            problems.len() == before
        }
        (MemberKind::StringList, other) => {
            problems.push(invalid_type(name, other, "<class 'list'>, <class 'tuple'>"));
            false
        }
    }
}

/// botocore's wording, with Python's names for the JSON types and Python's `str()` of the
/// value (a list or object as its `repr`: `['a', 1, True, None]`), so scripts that match
/// the AWS CLI's messages keep working.
fn invalid_type(name: &str, value: &Value, valid: &str) -> String {
    let python_type = match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    };
    let shown = match value {
        Value::String(s) => s.clone(),
        other => {
            let mut out = String::new();
            python_repr(other, &mut out);
            out
        }
    };
    format!(
        "Invalid type for parameter {name}, value: {}, type: <class '{python_type}'>, valid types: {valid}",
        excerpt(&shown)
    )
}

/// Python's `repr` of JSON data as `json.loads` gives it.
fn python_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(_) => out.push_str(&crate::scalar::python_str(value)),
        Value::String(s) => python_str_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str_repr(key, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr` of a string: single quotes unless it holds one and no double quote,
/// backslash escapes for the quote, `\\`, `\n`, `\r`, `\t`, and `\xNN` / `\uNNNN` for the
/// other characters Python does not print (controls, bidirectional controls, separators).
fn python_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if crate::escape::is_control(c) || c == '\u{a0}' || c == '\u{ad}' => {
                let code = u32::from(c);
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// The `--cli-input-json` or `--cli-input-yaml` object, if one was given.
fn input_document(
    args: &dyn OperationArgs,
    members: &[Member],
) -> Result<Option<Map<String, Value>>, Failure> {
    let input = args.input_args();
    let (flag, parsed) = match (&input.cli_input_json, &input.cli_input_yaml) {
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
             such as {}; got {}",
            example(members),
            json_type_name(&other)
        ))),
    }
}

/// An input document for the first required member, for messages:
/// `{"workgroupName": "default"}`.
fn example(members: &[Member]) -> String {
    let Some(member) = members.iter().find(|m| m.required).or(members.first()) else {
        return "{}".to_owned();
    };
    match member.kind {
        MemberKind::String => format!("{{\"{}\": \"default\"}}", member.name),
        MemberKind::StringList => format!("{{\"{}\": [\"default\"]}}", member.name),
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

/// A member flag's value as the AWS CLI's paramfile handler sees it.
enum Paramfile {
    /// Not a paramfile: the values as typed.
    None,
    /// `file://PATH`: the file's text, taken as if typed as the one value.
    Text(String),
    /// `fileb://PATH`: the file's bytes.
    Bytes(Vec<u8>),
}

/// A single `file://PATH` or `fileb://PATH` value of a member's flag, read as the AWS CLI
/// reads every parameter's (`awscli/paramfile.py`); several values are never files.
fn paramfile(member: &Member, values: &[String]) -> Result<Paramfile, Failure> {
    let [value] = values else {
        return Ok(Paramfile::None);
    };
    if let Some(path) = value.strip_prefix("fileb://") {
        return read_paramfile(member.flag, value, path).map(Paramfile::Bytes);
    }
    if value.starts_with("file://") {
        return load_param(member.flag, value).map(Paramfile::Text);
    }
    Ok(Paramfile::None)
}

/// botocore's refusal of bytes where a string or a list is expected.
fn bytes_refused(member: &Member, bytes: &[u8]) -> String {
    let valid = match member.kind {
        MemberKind::String => "<class 'str'>",
        MemberKind::StringList => "<class 'list'>, <class 'tuple'>",
    };
    let shown: String = bytes
        .iter()
        .flat_map(|b| std::ascii::escape_default(*b))
        .map(char::from)
        .collect();
    format!(
        "Invalid type for parameter {}, value: b'{}', type: <class 'bytes'>, valid types: {valid}",
        member.name,
        excerpt(&shown)
    )
}

/// A parameter value, read from a file for `file://PATH` (the AWS CLI's paramfile form).
fn load_param(flag: &str, value: &str) -> Result<String, Failure> {
    let Some(path) = value.strip_prefix("file://") else {
        return Ok(value.to_owned());
    };
    let bytes = read_paramfile(flag, value, path)?;
    String::from_utf8(bytes).map_err(|e| unable_to_load(flag, value, &e))
}

/// The bytes of a paramfile's `path`; an error in the AWS CLI's words, the system's error
/// as Python words it (`[Errno 2] No such file or directory: 'names.json'`).
fn read_paramfile(flag: &str, value: &str, path: &str) -> Result<Vec<u8>, Failure> {
    crate::files::read(std::path::Path::new(path)).map_err(|e| match &e {
        crate::files::ReadError::Io(io) => match io.raw_os_error() {
            Some(code) => {
                let text = io.to_string();
                let text = text
                    .strip_suffix(&format!(" (os error {code})"))
                    .unwrap_or(&text);
                unable_to_load(
                    flag,
                    value,
                    &format!("[Errno {code}] {text}: '{}'", escape_controls(path)),
                )
            }
            None => unable_to_load(flag, value, &e),
        },
        crate::files::ReadError::TooLarge { .. } => unable_to_load(flag, value, &e),
    })
}

fn unable_to_load(flag: &str, value: &str, e: &dyn std::fmt::Display) -> Failure {
    Failure::InvalidParameters(format!(
        "Error parsing parameter '{flag}': Unable to load paramfile {}: {e}",
        escape_controls(value)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command, GetTokenArgs, GetWorkgroupArgs};
    use crate::operation::{GetIdentityCenterAuthToken, GetWorkgroup, Operation};
    use clap::Parser;

    fn workgroup_names(args: &GetTokenArgs) -> Result<Vec<String>, Failure> {
        parameters(GetIdentityCenterAuthToken::MEMBERS, args)
            .map(|p| p.string_list("workgroupNames").unwrap_or_default())
    }

    fn workgroup_name(args: &GetWorkgroupArgs) -> Result<Option<String>, Failure> {
        parameters(GetWorkgroup::MEMBERS, args).map(|p| p.string("workgroupName"))
    }

    /// The subcommand `name` parsed from `argv`.
    fn command(name: &str, argv: &[&str]) -> Command {
        let full = ["redshift-serverless", name]
            .into_iter()
            .chain(argv.iter().copied());
        match Cli::try_parse_from(full) {
            Ok(cli) => cli.command,
            Err(e) => panic!("{e}"),
        }
    }

    fn workgroup_args(argv: &[&str]) -> GetWorkgroupArgs {
        match command("get-workgroup", argv) {
            Command::GetWorkgroup(args) => args,
            other => panic!("{other:?}"),
        }
    }

    fn args(argv: &[&str]) -> GetTokenArgs {
        match command("get-identity-center-auth-token", argv) {
            Command::GetIdentityCenterAuthToken(args) => args,
            other => panic!("{other:?}"),
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
        let members = GetIdentityCenterAuthToken::MEMBERS;
        let json = serde_json::to_string(&input_skeleton(members)).expect("JSON");
        assert_eq!(
            workgroup_names(&args(&["--cli-input-json", &json])).ok(),
            Some(vec![String::new()])
        );
        let yaml = yaml_input_skeleton(members);
        assert_eq!(
            workgroup_names(&args(&["--cli-input-yaml", &yaml])).ok(),
            Some(vec![String::new()])
        );
        let members = GetWorkgroup::MEMBERS;
        let json = serde_json::to_string(&input_skeleton(members)).expect("JSON");
        assert_eq!(json, r#"{"workgroupName":""}"#);
        assert_eq!(
            workgroup_name(&workgroup_args(&["--cli-input-json", &json])).ok(),
            Some(Some(String::new()))
        );
        let yaml = yaml_input_skeleton(members);
        assert_eq!(
            yaml,
            "workgroupName: ''  # [REQUIRED] The name of the workgroup to return information for.\n"
        );
        assert_eq!(
            workgroup_name(&workgroup_args(&["--cli-input-yaml", &yaml])).ok(),
            Some(Some(String::new()))
        );
    }

    /// `get-workgroup`'s one string member, in each form and each of botocore's problems,
    /// in its order: missing, unknown, wrong type (messages checked against awscli 1.46.2).
    #[test]
    fn a_string_member_in_every_form() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("input.yaml");
        std::fs::write(&file, "workgroupName: from-file\n").expect("write");
        let file_arg = format!("file://{}", file.display());
        type Expected<'a> = Result<&'a str, &'a str>;
        let cases: Vec<(Vec<&str>, Expected)> = vec![
            (vec!["--workgroup-name", "wg1"], Ok("wg1")),
            // A string flag is taken as typed, JSON-looking or not.
            (vec!["--workgroup-name", r#"["a"]"#], Ok(r#"["a"]"#)),
            (vec!["--workgroup-name", "a", "--workgroup-name", "b"], Ok("b")),
            (vec!["--cli-input-json", r#"{"workgroupName":"j1"}"#], Ok("j1")),
            (vec!["--cli-input-yaml", &file_arg], Ok("from-file")),
            (
                vec!["--cli-input-json", r#"{"workgroupName":"j1"}"#, "--workgroup-name", "f1"],
                Ok("f1"),
            ),
            // The flag wins: the document's wrong type is never looked at.
            (
                vec!["--cli-input-json", r#"{"workgroupName":3}"#, "--workgroup-name", "f1"],
                Ok("f1"),
            ),
            (
                vec![],
                Err("Parameter validation failed:\nMissing required parameter in input: \"workgroupName\"\n"),
            ),
            (
                vec!["--cli-input-json", r#"{"bogus":1,"zz":[1]}"#],
                Err("Parameter validation failed:\nMissing required parameter in input: \"workgroupName\"\n\
                     Unknown parameter in input: \"bogus\", must be one of: workgroupName\n\
                     Unknown parameter in input: \"zz\", must be one of: workgroupName\n"),
            ),
            (
                vec!["--cli-input-json", r#"{"workgroupName":3}"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupName, value: 3, type: <class 'int'>, valid types: <class 'str'>\n"),
            ),
            (
                vec!["--cli-input-json", r#"{"workgroupName":["default"]}"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupName, value: ['default'], type: <class 'list'>, valid types: <class 'str'>\n"),
            ),
            (
                vec!["--cli-input-json", r#"{"workgroupName":{"a":[1,true,null,1.5,"x\ny"]}}"#],
                Err("Parameter validation failed:\nInvalid type for parameter workgroupName, value: {'a': [1, True, None, 1.5, 'x\\ny']}, type: <class 'dict'>, valid types: <class 'str'>\n"),
            ),
            (
                vec!["--cli-input-json", "[1]"],
                Err("Error parsing parameter 'cli-input-json': the input must be an object of parameters, such as {\"workgroupName\": \"default\"}; got a list\n"),
            ),
        ];
        for (argv, expected) in cases {
            let got = workgroup_name(&workgroup_args(&argv));
            match (got, expected) {
                (Ok(name), Ok(want)) => assert_eq!(name.as_deref(), Some(want), "{argv:?}"),
                (Err(failure), Err(want)) => {
                    assert_eq!(failure.exit_code(), 252, "{argv:?}");
                    assert_eq!(format!("{failure}\n"), want, "{argv:?}");
                }
                (got, want) => panic!("{argv:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn python_reprs() {
        let cases = [
            (
                serde_json::json!(["a", 1, 1e16, true, null]),
                "['a', 1, 1e+16, True, None]",
            ),
            (
                serde_json::json!({"k": {"it's": "say \"hi\""}}),
                r#"{'k': {"it's": 'say "hi"'}}"#,
            ),
            (
                serde_json::json!(["both ' and \"", "tab\tback\\"]),
                r#"['both \' and "', 'tab\tback\\']"#,
            ),
            (
                serde_json::json!(["\u{1b}\u{9b}\u{202e}"]),
                r"['\x1b\x9b\u202e']",
            ),
        ];
        for (value, expected) in cases {
            let mut out = String::new();
            python_repr(&value, &mut out);
            assert_eq!(out, expected, "{value}");
        }
    }

    /// `file://` and `fileb://` for a member's flag, as the AWS CLI reads every parameter's
    /// (messages checked against awscli 1.46.2).
    #[test]
    fn member_flags_read_paramfiles() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(path("names.json"), "[\"a1\", \"b2\"]\n").expect("write");
        std::fs::write(path("name.txt"), "wg1").expect("write");
        std::fs::write(path("name-nl.txt"), "wg1\n").expect("write");
        let file = |name: &str| format!("file://{}", path(name));
        let fileb = |name: &str| format!("fileb://{}", path(name));

        let names = |argv: &[&str]| workgroup_names(&args(argv)).map_err(|f| f.to_string());
        assert_eq!(
            names(&["--workgroup-names", &file("names.json")]),
            Ok(vec!["a1".to_owned(), "b2".to_owned()])
        );
        // Not JSON: the text is the one name, its newline included, as the AWS CLI sends it.
        assert_eq!(
            names(&["--workgroup-names", &file("name-nl.txt")]),
            Ok(vec!["wg1\n".to_owned()])
        );
        // Several values are names, never files.
        assert_eq!(
            names(&["--workgroup-names", &file("names.json"), "x"]),
            Ok(vec![file("names.json"), "x".to_owned()])
        );
        assert_eq!(
            names(&["--workgroup-names", &file("missing.json")]),
            Err(format!(
                "Error parsing parameter '--workgroup-names': Unable to load paramfile {}: \
                 [Errno 2] No such file or directory: '{}'",
                file("missing.json"),
                path("missing.json")
            ))
        );
        assert_eq!(
            names(&["--workgroup-names", &fileb("name.txt")]),
            Err("Parameter validation failed:\nInvalid type for parameter workgroupNames, \
                 value: b'wg1', type: <class 'bytes'>, valid types: <class 'list'>, <class 'tuple'>"
                .to_owned())
        );

        let name = |argv: &[&str]| workgroup_name(&workgroup_args(argv)).map_err(|f| f.to_string());
        assert_eq!(
            name(&["--workgroup-name", &file("name.txt")]),
            Ok(Some("wg1".to_owned()))
        );
        assert_eq!(
            name(&["--workgroup-name", &fileb("name-nl.txt")]),
            Err(
                "Parameter validation failed:\nInvalid type for parameter workgroupName, \
                 value: b'wg1\\n', type: <class 'bytes'>, valid types: <class 'str'>"
                    .to_owned()
            )
        );
        // A directory, as Python words it.
        let err = name(&[
            "--workgroup-name",
            &format!("file://{}", dir.path().display()),
        ]);
        assert!(
            err.as_ref().is_err_and(|e| e.ends_with(&format!(
                "[Errno 21] Is a directory: '{}'",
                dir.path().display()
            ))),
            "{err:?}"
        );
    }
}
