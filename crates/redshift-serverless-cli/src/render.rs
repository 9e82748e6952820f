//! Turning the operation's output into what the command prints: the response as data,
//! `--query` applied to it, then one of the AWS CLI's output formats.
//!
//! The data is what botocore would parse (`Operation::output_value`): the model's member
//! names as keys, in the order of the AWS CLI's model, absent members left out, and
//! timestamps already strings in the `cli_timestamp_format`. Each format then follows
//! the AWS CLI's rules (`awscli/formatter.py`, `text.py`, `table.py`):
//! - json: four-space indentation, non-ASCII kept, `{}` prints nothing, `null` prints `null`;
//! - text: a structure's scalar values on one line, tab-separated, in sorted key order, then
//!   its lists and structures below; scalars print as Python's `str()` does;
//! - table: see `table.rs`;
//! - yaml / yaml-stream: see `yaml.rs`; off: nothing.
//!
//! Network text is escaped for the terminal in text and table output (`escape.rs`); JSON
//! escapes control characters itself, and here also the rest of what `escape.rs` escapes
//! (`\u007f`, `\u009b`, `\u202e`, `\u2028`), which are still the same JSON strings.

use std::io;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

use crate::args::OutputFormat;
use crate::escape::{escape_controls, escape_terminal};
use crate::jmespath_ext::Query;
use crate::scalar::python_str;
use crate::settings::TimestampFormat;
pub use crate::table::TableStyle;

/// A timestamp as the AWS CLI prints it. `Iso8601` is Python's `isoformat()` of a UTC
/// time (`2026-11-28T05:00:00+00:00`, `.ffffff` only when the microseconds are not zero);
/// `Wire` is the member's wire format, `date-time` (`2026-11-28T05:00:00Z`). The calendar
/// arithmetic is aws-smithy-types'; a year outside 1 to 9999, which it does not format (the
/// wire format allows year 0, `0000-01-01T00:00:00Z`), is printed with ISO 8601's four
/// digits and a sign when it needs one (`0000-...`, `-0001-...`, `+10000-...`).
pub fn format_timestamp(t: DateTime, format: TimestampFormat) -> String {
    let (whole, year) = date_time_any_year(DateTime::from_secs(t.secs()));
    let base = whole.strip_suffix('Z').unwrap_or(&whole);
    let base = format!("{year}{}", base.get(4..).unwrap_or_default());
    match format {
        TimestampFormat::Wire => match t.subsec_nanos() / 1_000 {
            0 => format!("{base}Z"),
            // aws-smithy-types' fraction: the microseconds without trailing zeros.
            micros => format!("{base}.{}Z", format!("{micros:06}").trim_end_matches('0')),
        },
        TimestampFormat::Iso8601 => {
            // Python's fraction (microseconds, only when not zero) and offset.
            let micros = t.subsec_nanos() / 1_000;
            if micros == 0 {
                format!("{base}+00:00")
            } else {
                format!("{base}.{micros:06}+00:00")
            }
        }
    }
}

/// Seconds in 400 Gregorian years, after which the calendar repeats day for day.
const GREGORIAN_CYCLE_SECS: i128 = 146_097 * 86_400;

/// `t` (whole seconds) formatted as `date-time` by aws-smithy-types, and its year as ISO 8601
/// writes it. aws-smithy-types formats years 1 to 9999 only, so a time outside them is
/// moved by whole 400-year cycles into that range, formatted, and given its own year back.
fn date_time_any_year(t: DateTime) -> (String, String) {
    // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    const FIRST: i128 = -62_135_596_800;
    const LAST: i128 = 253_402_300_799;
    let secs = i128::from(t.secs());
    let cycles = if secs < FIRST {
        (FIRST - secs + GREGORIAN_CYCLE_SECS - 1) / GREGORIAN_CYCLE_SECS
    } else if secs > LAST {
        -((secs - LAST + GREGORIAN_CYCLE_SECS - 1) / GREGORIAN_CYCLE_SECS)
    } else {
        0
    };
    let shifted = i64::try_from(secs + cycles * GREGORIAN_CYCLE_SECS).unwrap_or_default();
    let text = DateTime::from_secs(shifted)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| "0001-01-01T00:00:00Z".to_owned());
    let shifted_year: i128 = text.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1);
    let year = shifted_year - 400 * cycles;
    let year = match year {
        0..=9999 => format!("{year:04}"),
        y if y < 0 => format!("-{:04}", -y),
        y => format!("+{y}"),
    };
    (text, year)
}

/// Compiles a `--query` expression; the error is the AWS CLI's. An expression nested more
/// deeply than [`crate::query::MAX_NESTING`] is refused before the parser, whose recursion
/// it would overflow, sees it.
pub fn compile_query(expression: &str) -> Result<Query, String> {
    let depth = crate::query::nesting(expression);
    if depth > crate::query::MAX_NESTING {
        return Err(format!(
            "Bad value for --query {}: it nests {depth} levels deep (each operator, bracket and \
             `!` inside another counts); at most {} are supported",
            escape_controls(&crate::query::prefix(expression)),
            crate::query::MAX_NESTING
        ));
    }
    // The expression is the user's own text, and the parser's message points into it over
    // several lines, as the AWS CLI's does: printed as is.
    Query::compile(expression).map_err(|e| {
        format!("Bad value for --query {expression}: Invalid jmespath expression: {e}")
    })
}

/// `data` filtered by `query`; a runtime error (a function given the wrong type) is the
/// AWS CLI's failure too.
pub fn apply_query(query: &Query, data: &Value) -> Result<Value, String> {
    query
        .search(data)
        .map_err(|e| format!("Error evaluating --query: {}", escape_controls(&e)))
}

/// The text written to standard output for `data` in `format`; `title` heads a table (the
/// operation's name, as in the AWS CLI).
pub fn render(title: &str, data: &Value, format: OutputFormat, table: TableStyle) -> String {
    match format {
        OutputFormat::Json => json(data),
        OutputFormat::Text => {
            let mut out = String::new();
            text(data, None, None, &mut out);
            out
        }
        OutputFormat::Table => crate::table::render(title, data, table),
        OutputFormat::Yaml => crate::yaml::emit(data, false),
        OutputFormat::YamlStream => crate::yaml::emit(data, true),
        OutputFormat::Off => String::new(),
    }
}

fn json(data: &Value) -> String {
    if data.as_object().is_some_and(Map::is_empty) {
        return String::new();
    }
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, TerminalSafeJson::new());
    // Serializing a Value into a Vec cannot fail.
    if serde::Serialize::serialize(data, &mut ser).is_err() {
        return format!("{data}\n");
    }
    format!("{}\n", String::from_utf8_lossy(&buf))
}

/// serde_json's pretty printer with four spaces, writing DEL, C1 controls, bidirectional
/// controls and U+2028/U+2029 as `\u` escapes (serde_json escapes only C0): the same JSON
/// string, safe on a terminal.
struct TerminalSafeJson(serde_json::ser::PrettyFormatter<'static>);

impl TerminalSafeJson {
    fn new() -> Self {
        TerminalSafeJson(serde_json::ser::PrettyFormatter::with_indent(b"    "))
    }
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $name<W: ?Sized + io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(writer $(, $arg)*)
        })*
    };
}

impl serde_json::ser::Formatter for TerminalSafeJson {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        // serde_json has escaped C0 already; the rest of what `escape.rs` escapes (DEL, C1,
        // bidirectional controls, U+2028, U+2029) is escaped here, as `\uXXXX`.
        while let Some(at) = rest.find(crate::escape::is_control) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{7f}');
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// A scalar in text output: as Python's `str()` prints it, with TAB and newline printed as
/// they are, as the AWS CLI prints them, and every other control character escaped
/// (`escape::escape_terminal`).
fn text_cell(value: &Value) -> String {
    escape_terminal(&python_str(value)).into_owned()
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// `awscli/text.py`: `identifier` is the key a nested value came from (printed upper-case
/// before its scalars); `scalar_keys` are the columns shared by a list of structures.
fn text(item: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match item {
        Value::Object(map) => text_object(map, identifier, scalar_keys, out),
        Value::Array(items) => text_list(items, identifier, out),
        scalar => {
            out.push_str(&text_cell(scalar));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let mut keys: Vec<String> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| {
                m.iter()
                    .filter(|(_, v)| is_scalar(v))
                    .map(|(k, _)| k.clone())
            })
            .collect();
        keys.sort();
        keys.dedup();
        for item in items {
            text(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            text_scalars(&scalars, identifier, out);
        }
        for item in nested {
            text(item, identifier, None, out);
        }
    } else {
        text_scalars(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
}

fn text_scalars(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&escape_terminal(&id.to_uppercase()));
                out.push('\t');
                out.push_str(&text_cell(item));
                out.push('\n');
            }
        }
        None => {
            let cells: Vec<String> = items.iter().map(|v| text_cell(v)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn text_object(
    map: &Map<String, Value>,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (mut cells, nested): (Vec<String>, Vec<(&String, &Value)>) = match scalar_keys {
        None => (
            sorted
                .iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(_, v)| text_cell(v))
                .collect(),
            sorted.into_iter().filter(|(_, v)| !is_scalar(v)).collect(),
        ),
        Some(keys) => (
            keys.iter()
                .map(|k| map.get(k).map_or_else(String::new, text_cell))
                .collect(),
            sorted
                .into_iter()
                .filter(|(k, _)| !keys.contains(k))
                .collect(),
        ),
    };
    if !cells.is_empty() {
        if let Some(id) = identifier {
            cells.insert(0, escape_terminal(&id.to_uppercase()).into_owned());
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        text(value, Some(key), None, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_like_the_aws_cli() {
        use TimestampFormat::*;
        let cases: &[(i64, u32, TimestampFormat, &str)] = &[
            (0, 0, Iso8601, "1970-01-01T00:00:00+00:00"),
            // 2026-11-28T05:00:00Z, the spec's example.
            (1_795_842_000, 0, Iso8601, "2026-11-28T05:00:00+00:00"),
            (951_782_400, 0, Iso8601, "2000-02-29T00:00:00+00:00"),
            (4_107_542_399, 0, Iso8601, "2100-02-28T23:59:59+00:00"),
            (
                1_795_842_000,
                120_000_000,
                Iso8601,
                "2026-11-28T05:00:00.120000+00:00",
            ),
            // Below a microsecond is dropped, as Python's datetime does.
            (1_795_842_000, 999, Iso8601, "2026-11-28T05:00:00+00:00"),
            (-1, 0, Iso8601, "1969-12-31T23:59:59+00:00"),
            (1_795_842_000, 0, Wire, "2026-11-28T05:00:00Z"),
            (1_795_842_000, 500_000_000, Wire, "2026-11-28T05:00:00.5Z"),
            // Years aws-smithy-types does not format: year 0 (which the wire format allows),
            // before it, and after 9999, in ISO 8601's expanded form.
            (-62_167_219_200, 0, Iso8601, "0000-01-01T00:00:00+00:00"),
            (-62_167_219_200, 0, Wire, "0000-01-01T00:00:00Z"),
            (-62_135_596_801, 0, Wire, "0000-12-31T23:59:59Z"),
            (
                -62_198_755_200,
                250_000_000,
                Iso8601,
                "-0001-01-01T00:00:00.250000+00:00",
            ),
            (253_402_300_799, 0, Wire, "9999-12-31T23:59:59Z"),
            (253_402_300_800, 0, Iso8601, "+10000-01-01T00:00:00+00:00"),
            (400_000_000_000, 0, Iso8601, "+14645-06-30T15:06:40+00:00"),
            (i64::MIN, 0, Wire, "-292277022657-01-27T08:29:52Z"),
            (i64::MAX, 0, Wire, "+292277026596-12-04T15:30:07Z"),
        ];
        for &(secs, nanos, format, expected) in cases {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(
                format_timestamp(t, format),
                expected,
                "{secs} {nanos} {format:?}"
            );
        }
    }

    proptest::proptest! {
        /// Every instant from year 0 (which the wire format allows) to 9999 prints in the
        /// wire format as text that aws-smithy-types reads back as the same instant, and
        /// from year 1 on exactly as aws-smithy-types prints it.
        #[test]
        fn wire_timestamps_read_back(
            secs in -62_167_219_200i64..=253_402_300_799,
            nanos in proptest::prop_oneof![proptest::strategy::Just(0u32), 0u32..1_000_000_000],
        ) {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            let text = format_timestamp(t, TimestampFormat::Wire);
            let back = DateTime::from_str(&text, Format::DateTime);
            // To the microsecond, as aws-smithy-types prints it.
            let micros = DateTime::from_secs_and_nanos(secs, nanos / 1_000 * 1_000);
            proptest::prop_assert_eq!(back.ok(), Some(micros), "{}", text);
            if let Ok(theirs) = t.fmt(Format::DateTime) {
                proptest::prop_assert_eq!(text, theirs);
            }
        }
    }

    fn data() -> Value {
        json!({"expirationTime": "2026-11-28T05:00:00+00:00", "token": "tok"})
    }

    const TITLE: &str = "GetIdentityCenterAuthToken";

    const NARROW: TableStyle = TableStyle {
        color: false,
        width: 80,
    };

    #[test]
    fn json_and_text_like_the_aws_cli() {
        let cases: Vec<(Value, OutputFormat, &str)> = vec![
            (
                data(),
                OutputFormat::Json,
                "{\n    \"expirationTime\": \"2026-11-28T05:00:00+00:00\",\n    \"token\": \"tok\"\n}\n",
            ),
            // Sorted scalar keys: expiration first, so `cut -f2` is the token.
            (data(), OutputFormat::Text, "2026-11-28T05:00:00+00:00\ttok\n"),
            (json!({}), OutputFormat::Json, ""),
            (json!(null), OutputFormat::Json, "null\n"),
            (json!(null), OutputFormat::Text, "None\n"),
            (json!("tok"), OutputFormat::Json, "\"tok\"\n"),
            (json!("tok"), OutputFormat::Text, "tok\n"),
            (json!([]), OutputFormat::Json, "[]\n"),
            (json!(["a", "b"]), OutputFormat::Text, "a\tb\n"),
            (json!([true, 1, 1.5, 1e16]), OutputFormat::Text, "True\t1\t1.5\t1e+16\n"),
            (
                json!({"b": "2", "a": "1", "l": ["x", "y"], "o": {"k": "v"}}),
                OutputFormat::Text,
                "1\t2\nL\tx\nL\ty\nO\tv\n",
            ),
            (
                json!({"items": [{"n": "1", "z": "a"}, {"n": "2"}]}),
                OutputFormat::Text,
                "ITEMS\t1\ta\nITEMS\t2\t\n",
            ),
            // TAB and newline as the AWS CLI prints them; what a terminal acts on, escaped.
            (
                json!({"k": "a\u{1b}[2J\tb\nc\rd"}),
                OutputFormat::Text,
                "a\\u{1b}[2J\tb\nc\\rd\n",
            ),
            (
                json!({"k": "a\u{1b}\u{7f}\u{9b}é"}),
                OutputFormat::Json,
                "{\n    \"k\": \"a\\u001b\\u007f\\u009bé\"\n}\n",
            ),
            (
                json!({"k": "exe.\u{202e}fdp\u{2028}x"}),
                OutputFormat::Json,
                "{\n    \"k\": \"exe.\\u202efdp\\u2028x\"\n}\n",
            ),
            (
                json!({"k": "exe.\u{202e}fdp\u{2028}x"}),
                OutputFormat::Text,
                "exe.\\u{202e}fdp\\u{2028}x\n",
            ),
            (data(), OutputFormat::Off, ""),
        ];
        for (value, format, expected) in cases {
            assert_eq!(
                render(TITLE, &value, format, NARROW),
                expected,
                "{value} as {format:?}"
            );
        }
    }

    /// Tables and text printed by the AWS CLI's own formatters for the same data
    /// (`tests/fixtures/aws-cli-output.py` regenerates the file).
    #[test]
    fn tables_and_text_match_the_aws_cli_formatters() {
        let fixture: Value =
            serde_json::from_str(include_str!("../tests/fixtures/aws-cli-output.json"))
                .expect("fixture JSON");
        let tables = fixture["tables"].as_array().expect("tables");
        let texts = fixture["texts"].as_array().expect("texts");
        assert!(tables.len() > 20 && texts.len() > 10);
        for case in tables {
            let width = case["width"].as_u64().expect("width") as usize;
            let style = TableStyle {
                color: false,
                width,
            };
            assert_eq!(
                render(TITLE, &case["data"], OutputFormat::Table, style),
                case["table"].as_str().expect("table"),
                "{} at width {width}",
                case["data"]
            );
        }
        for case in texts {
            assert_eq!(
                render(TITLE, &case["data"], OutputFormat::Text, NARROW),
                case["text"].as_str().expect("text"),
                "{}",
                case["data"]
            );
        }
    }

    #[test]
    fn queries() {
        let q = compile_query("token").expect("compiles");
        assert_eq!(apply_query(&q, &data()), Ok(json!("tok")));
        let q = compile_query("[expirationTime, token]").expect("compiles");
        assert_eq!(
            apply_query(&q, &data()),
            Ok(json!(["2026-11-28T05:00:00+00:00", "tok"]))
        );
        let q = compile_query("nosuch").expect("compiles");
        assert_eq!(apply_query(&q, &data()), Ok(Value::Null));
        let err = compile_query("tok[").err().unwrap_or_default();
        assert!(
            err.starts_with("Bad value for --query tok[: Invalid jmespath expression: "),
            "{err}"
        );
        let q = compile_query("abs(token)").expect("compiles");
        assert!(apply_query(&q, &data()).is_err());
    }
}
