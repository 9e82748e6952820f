//! Behaviour and wording of each check function and of the error type.

use redshift_serverless_constraints::*;

fn at(members: &[&'static str]) -> Path {
    let mut path = Path::new();
    for m in members {
        path.push_member(m);
    }
    path
}

fn only(out: &Violations) -> &Violation {
    assert_eq!(out.len(), 1, "expected exactly one violation, got {out:?}");
    out.iter().next().unwrap()
}

#[test]
fn required() {
    let path = at(&["workgroupName"]);
    let mut out = Violations::new();
    assert!(check_required(&path, &Some(1), &mut out));
    assert!(out.is_empty());
    assert!(!check_required::<String>(&path, &None, &mut out));
    let v = only(&out);
    assert_eq!(v.rule(), &Rule::Required);
    assert_eq!(v.value(), &ObservedValue::Missing);
    assert_eq!(
        v.to_string(),
        "workgroupName: a value is required; got no value"
    );
}

#[test]
fn string_length_counts_scalar_values() {
    let path = at(&["name"]);
    let mut out = Violations::new();
    // 3 chars, 8 UTF-8 bytes, 4 UTF-16 units.
    let value = "é😀\u{301}";
    assert_eq!(value.len(), 8);
    assert_eq!(value.encode_utf16().count(), 4);
    check_string_length(&path, value, Some(3), Some(3), false, &mut out);
    assert!(out.is_empty(), "{out:?}");
    check_string_length(&path, value, Some(4), None, false, &mut out);
    check_string_length(&path, value, None, Some(2), false, &mut out);
    assert_eq!(out.len(), 2);
    let v: Vec<String> = out.iter().map(ToString::to_string).collect();
    // A lone combining mark is escaped by `{:?}`, so it cannot silently merge into the quote.
    assert_eq!(
        v[0],
        "name: length must be at least 4 characters; got \"é😀\\u{301}\" (3 characters)"
    );
    assert_eq!(
        v[1],
        "name: length must be at most 2 characters; got \"é😀\\u{301}\" (3 characters)"
    );
}

#[test]
fn string_length_bounds_are_inclusive_and_optional() {
    let path = Path::new();
    let mut out = Violations::new();
    check_string_length(&path, "abc", Some(3), Some(64), false, &mut out);
    check_string_length(&path, &"a".repeat(64), Some(3), Some(64), false, &mut out);
    check_string_length(&path, "", None, None, false, &mut out);
    check_string_length(&path, &"x".repeat(10_000), None, None, false, &mut out);
    assert!(out.is_empty());
    check_string_length(&path, "ab", Some(3), Some(64), false, &mut out);
    let v = only(&out);
    assert_eq!(
        v.rule(),
        &Rule::Length {
            min: Some(3),
            max: Some(64),
            unit: LengthUnit::Characters
        }
    );
    assert_eq!(v.value(), &ObservedValue::Text("ab".into()));
    assert_eq!(
        v.to_string(),
        "<input>: length must be between 3 and 64 characters; got \"ab\" (2 characters)"
    );
}

#[test]
fn sensitive_length_shows_only_the_count() {
    let path = at(&["secret"]);
    let mut out = Violations::new();
    check_string_length(&path, "abc", Some(8), None, true, &mut out);
    let v = only(&out);
    assert_eq!(v.value(), &ObservedValue::RedactedCount(3));
    assert_eq!(
        v.to_string(),
        "secret: length must be at least 8 characters; got a value of 3 characters (value redacted: sensitive)"
    );
    assert!(!format!("{v:?}").contains("abc"));
}

#[test]
fn collection_and_blob_length() {
    let path = at(&["workgroupNames"]);
    let mut out = Violations::new();
    check_collection_length(&path, 1, Some(1), Some(20), &mut out);
    check_collection_length(&path, 20, Some(1), Some(20), &mut out);
    check_blob_length(&path, 0, None, Some(0), &mut out);
    assert!(out.is_empty());
    check_collection_length(&path, 21, Some(1), Some(20), &mut out);
    check_collection_length(&path, 0, Some(1), None, &mut out);
    check_blob_length(&path, 2, None, Some(1), &mut out);
    check_blob_length(&path, 1, Some(4), Some(4), &mut out);
    let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "workgroupNames: length must be between 1 and 20 elements; got 21 elements",
            "workgroupNames: length must be at least 1 element; got 0 elements",
            "workgroupNames: length must be at most 1 byte; got 2 bytes",
            "workgroupNames: length must be exactly 4 bytes; got 1 byte",
        ]
    );
    assert_eq!(
        out.iter().next().unwrap().value(),
        &ObservedValue::Count(21)
    );
}

static LOWER: Pattern = Pattern::new("^[a-z0-9-]+$");
static UNANCHORED: Pattern = Pattern::new("[0-9]");
static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a+$");
static BROKEN: Pattern = Pattern::new("^[a-z(+$");
static ALTERNATION: Pattern = Pattern::new("^(dev|prod)-[a-z]+$");

#[test]
fn pattern_match_and_mismatch() {
    let mut path = at(&["workgroupNames"]);
    path.push_index(3);
    let mut out = Violations::new();
    check_pattern(&path, "analytics-wg", &LOWER, false, &mut out);
    assert!(out.is_empty());
    check_pattern(&path, "Analytics_WG", &LOWER, false, &mut out);
    let v = only(&out);
    assert_eq!(
        v.rule(),
        &Rule::Pattern {
            pattern: "^[a-z0-9-]+$"
        }
    );
    assert_eq!(
        v.to_string(),
        r#"workgroupNames[3]: must match the pattern ^[a-z0-9-]+$; got "Analytics_WG""#
    );
    assert!(LOWER.uses_fast_path());
}

#[test]
fn pattern_is_a_search_not_a_full_match() {
    let path = Path::new();
    let mut out = Violations::new();
    check_pattern(&path, "abc7def", &UNANCHORED, false, &mut out);
    assert!(out.is_empty());
    check_pattern(&path, "abcdef", &UNANCHORED, false, &mut out);
    assert_eq!(out.len(), 1);
    assert!(!UNANCHORED.uses_fast_path());
}

#[test]
fn pattern_through_the_regex_engine() {
    let path = Path::new();
    let mut out = Violations::new();
    assert!(!ALTERNATION.uses_fast_path());
    check_pattern(&path, "prod-east", &ALTERNATION, false, &mut out);
    assert!(out.is_empty());
    check_pattern(&path, "test-east", &ALTERNATION, false, &mut out);
    assert_eq!(out.len(), 1);
}

#[test]
fn invalid_pattern_is_reported_not_panicked() {
    assert!(LOWER.compile().is_ok());
    let error = BROKEN.compile().unwrap_err();
    assert_eq!(error.pattern(), "^[a-z(+$");
    assert!(!error.message().contains('\n'));
    assert!(!BROKEN.is_match("aaa"));
    assert_eq!(BROKEN.engine(), None);
    let path = at(&["name"]);
    let mut out = Violations::new();
    check_pattern(&path, "aaa", &BROKEN, false, &mut out);
    let v = only(&out);
    match v.rule() {
        Rule::InvalidPattern { pattern, error } => {
            assert_eq!(*pattern, "^[a-z(+$");
            assert!(!error.is_empty());
        }
        other => panic!("unexpected rule {other:?}"),
    }
    let line = v.to_string();
    assert!(
        line.starts_with(
            "name: must match the pattern ^[a-z(+$, but that pattern cannot be compiled ("
        ),
        "{line}"
    );
    assert!(line.ends_with(r#"; got "aaa""#), "{line}");
    assert!(!line.contains('\n'));
}

/// Look-around needs the ECMA-262 engine: with the `ecma262` feature it is evaluated, without
/// it the pattern cannot be compiled and says which feature would do it.
#[test]
fn lookaround_needs_the_ecma262_feature() {
    if cfg!(feature = "ecma262") {
        assert_eq!(LOOKAHEAD.engine(), Some(Engine::Ecma262));
        assert!(LOOKAHEAD.is_match("aaa"));
        assert!(!LOOKAHEAD.is_match("baa"));
        assert!(!LOOKAHEAD.uses_fast_path());
    } else {
        let error = LOOKAHEAD.compile().unwrap_err();
        assert!(error.message().contains("`ecma262` feature"), "{error}");
    }
    assert_eq!(LOWER.engine(), Some(Engine::RegexLite));
}

#[cfg(feature = "ecma262")]
#[test]
fn engine_for_names_the_engine_each_pattern_needs() {
    use redshift_serverless_constraints::engine_for;
    assert_eq!(engine_for("^[a-z0-9-]+$"), Ok(Engine::RegexLite));
    assert_eq!(engine_for("(\\d{12})"), Ok(Engine::RegexLite));
    assert_eq!(engine_for("^(?!-)[a-z]+$"), Ok(Engine::Ecma262));
    assert_eq!(engine_for("^a+(?<!b)$"), Ok(Engine::Ecma262));
    assert_eq!(engine_for("^(a)\\1$"), Ok(Engine::Ecma262));
    let error = engine_for("^[a-z(+$").unwrap_err();
    assert!(
        error.contains("regex-lite: ") && error.contains("ECMA-262 (regress): "),
        "{error}"
    );
}

/// Where regex-lite would read a pattern differently from ECMA-262, the ECMA-262 engine
/// decides; the Java forms published models use mean what Java means; and `\p{L}` is a
/// Unicode category, never the letters `p{L}`.
#[cfg(feature = "ecma262")]
#[test]
fn patterns_mean_what_ecma262_and_the_service_mean() {
    use redshift_serverless_constraints::engine_for;
    let cases: &[(&'static str, &[(&str, bool)])] = &[
        // regex-lite's `.` matches `\r`; ECMA-262's does not.
        (
            "^.+$",
            &[("a b", true), ("a\rb", false), ("a\u{2028}", false)],
        ),
        // regex-lite's `\s` is ASCII only.
        (
            "^\\s$",
            &[
                (" ", true),
                ("\u{a0}", true),
                ("\u{3000}", true),
                ("a", false),
            ],
        ),
        // A POSIX class to regex-lite; a set then a `]` to ECMA-262.
        ("^[[:alpha:]]+$", &[("a]", true), ("ab", false)]),
        // Unicode categories, also beside a literal `-` (as Java reads it).
        (
            "^[\\p{L}\\p{Z}]+$",
            &[("é ü", true), ("漢字", true), ("p{L}", false), ("1", false)],
        ),
        (
            "^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$",
            &[("Café-2_x", true), (" a", false)],
        ),
        // A quantified end anchor is the anchor.
        (
            "^([\\p{L}_.:/=+\\-@]*)${1,128}$",
            &[("a:b=c", true), ("a!b", false)],
        ),
        // Java's inline flags, possessive fixed counts, POSIX classes and intersection.
        (
            "^(?![^:]*/action/|(?i).*<script>.*</script>.*)[^:]+$",
            &[("ok", true), ("a<SCRIPT>b</Script>", false)],
        ),
        ("^(?s).{1,3}$", &[("a\nb", true), ("abcd", false)]),
        ("^[0-9A-Z]{2}+$", &[("A1", true), ("A", false)]),
        ("^\\p{Alnum}+$", &[("aZ9", true), ("é", false)]),
        (
            "^[\\p{Print}&&[^|:/]]+$",
            &[("a b~", true), ("a:b", false), ("é", false)],
        ),
        ("^[\\p{LD}]+$", &[("é٣", true), ("_", false)]),
    ];
    for &(source, values) in cases {
        let pattern = Pattern::new(source);
        assert_eq!(pattern.compile(), Ok(()), "{source}");
        assert_eq!(engine_for(source), Ok(Engine::Ecma262), "{source}");
        for &(value, expected) in values {
            assert_eq!(pattern.is_match(value), expected, "{source} on {value:?}");
        }
    }
}

/// `customDomainName`'s pattern (the published model's one look-around pattern), as ECMA-262
/// reads it: dot-separated labels of letters, digits and `-`, none starting or ending with
/// `-`, and a final label of at least two characters.
#[cfg(feature = "ecma262")]
#[test]
fn custom_domain_name_pattern_as_ecma262_reads_it() {
    static DOMAIN: Pattern = Pattern::ecma262(
        "^(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
    );
    let cases = [
        ("data.example.com", true),
        ("a.bc", true),
        ("x-1.example-2.com", true),
        ("example.com", true),
        ("-data.example.com", false),
        ("data.-example.com", false),
        ("data-.example.com", false),
        ("data.example.c", false),
        ("example", false),
        ("data..com", false),
        ("data.example.com.", false),
        ("dat_a.example.com", false),
    ];
    for (name, accepted) in cases {
        assert_eq!(DOMAIN.is_match(name), accepted, "{name}");
    }
}

#[test]
fn sensitive_pattern_and_enum_are_redacted() {
    let path = at(&["token"]);
    let mut out = Violations::new();
    check_pattern(&path, "HUNTER2", &LOWER, true, &mut out);
    check_enum(&path, "HUNTER2", &["a"], true, &mut out);
    check_pattern(&path, "HUNTER2", &LOOKAHEAD, true, &mut out);
    assert_eq!(out.len(), 3);
    for v in &out {
        assert_eq!(v.value(), &ObservedValue::Redacted);
        assert!(!v.to_string().contains("HUNTER2"));
        assert!(!format!("{v:?}").contains("HUNTER2"));
    }
    assert_eq!(
        out.iter().next().unwrap().to_string(),
        "token: must match the pattern ^[a-z0-9-]+$; got a value (value redacted: sensitive)"
    );
}

#[test]
fn range_i64() {
    let path = at(&["durationSeconds"]);
    let mut out = Violations::new();
    check_range_i64(&path, 900, Some(900), Some(3600), false, &mut out);
    check_range_i64(&path, 3600, Some(900), Some(3600), false, &mut out);
    check_range_i64(&path, i64::MIN, None, Some(0), false, &mut out);
    check_range_i64(&path, i64::MAX, None, None, false, &mut out);
    assert!(out.is_empty());
    check_range_i64(&path, 899, Some(900), Some(3600), false, &mut out);
    check_range_i64(&path, -1, Some(0), None, false, &mut out);
    check_range_i64(&path, 11, None, Some(10), false, &mut out);
    check_range_i64(&path, 4, Some(5), Some(5), false, &mut out);
    check_range_i64(&path, 123_456, None, Some(10), true, &mut out);
    let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "durationSeconds: must be between 900 and 3600; got 899",
            "durationSeconds: must be at least 0; got -1",
            "durationSeconds: must be at most 10; got 11",
            "durationSeconds: must be exactly 5; got 4",
            "durationSeconds: must be at most 10; got a value (value redacted: sensitive)",
        ]
    );
    assert_eq!(
        out.iter().next().unwrap().rule(),
        &Rule::Range {
            min: Some("900".into()),
            max: Some("3600".into())
        }
    );
}

#[test]
fn range_f64_including_nan_and_infinities() {
    let path = at(&["ratio"]);
    let mut out = Violations::new();
    check_range_f64(&path, 0.5, Some(0.0), Some(1.0), false, &mut out);
    check_range_f64(&path, 1.0, Some(0.0), Some(1.0), false, &mut out);
    check_range_f64(&path, f64::NAN, None, None, false, &mut out);
    check_range_f64(&path, f64::INFINITY, Some(0.0), None, false, &mut out);
    assert!(out.is_empty());
    check_range_f64(&path, f64::NAN, Some(0.0), None, false, &mut out);
    check_range_f64(&path, f64::NAN, None, Some(1.0), false, &mut out);
    check_range_f64(&path, 1.5, Some(0.0), Some(1.0), false, &mut out);
    check_range_f64(
        &path,
        f64::NEG_INFINITY,
        Some(-1e300),
        None,
        false,
        &mut out,
    );
    let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "ratio: must be at least 0.0; got NaN",
            "ratio: must be at most 1.0; got NaN",
            "ratio: must be between 0.0 and 1.0; got 1.5",
            "ratio: must be at least -1e300; got -inf",
        ]
    );
}

#[test]
fn enum_values() {
    static ALLOWED: &[&str] = &["AVAILABLE", "CREATING", "DELETING"];
    let path = at(&["status"]);
    let mut out = Violations::new();
    check_enum(&path, "CREATING", ALLOWED, false, &mut out);
    assert!(out.is_empty());
    check_enum(&path, "creating", ALLOWED, false, &mut out);
    check_enum(&path, "x", &[], false, &mut out);
    let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            r#"status: must be one of "AVAILABLE", "CREATING", "DELETING"; got "creating""#,
            r#"status: must be one of an empty set of values; got "x""#,
        ]
    );
}

#[test]
fn long_enum_lists_are_summarised() {
    static MANY: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
    let rule = Rule::Enum { allowed: MANY };
    assert_eq!(
        rule.to_string(),
        r#"must be one of "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", … (2 more)"#
    );
}

#[test]
fn unique_items_reports_first_duplicate() {
    let path = at(&["workgroupNames"]);
    let mut out = Violations::new();
    check_unique_items(&path, &["a", "b", "c"], &mut out);
    check_unique_items::<u8>(&path, &[], &mut out);
    assert!(out.is_empty());
    // (1,3) and (0,4) are both duplicates; the pair completed first (j = 3) wins.
    check_unique_items(&path, &["x", "a", "b", "a", "x"], &mut out);
    let v = only(&out);
    assert_eq!(
        v.value(),
        &ObservedValue::Duplicate {
            first: 1,
            second: 3
        }
    );
    assert_eq!(
        v.to_string(),
        "workgroupNames: items must be unique; got equal items at [1] and [3]"
    );
}

#[test]
fn long_and_control_text_is_escaped_and_truncated() {
    let path = at(&["name"]);
    let mut out = Violations::new();
    check_pattern(&path, "a\nb\u{0}\"", &LOWER, false, &mut out);
    let long = format!("{}Z", "é".repeat(100));
    check_pattern(&path, &long, &LOWER, false, &mut out);
    let exactly_80 = "Q".repeat(80);
    check_pattern(&path, &exactly_80, &LOWER, false, &mut out);
    check_pattern(&path, &"Q".repeat(81), &LOWER, false, &mut out);
    let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines[0],
        r#"name: must match the pattern ^[a-z0-9-]+$; got "a\nb\0\"""#
    );
    assert_eq!(
        lines[1],
        format!(
            "name: must match the pattern ^[a-z0-9-]+$; got {:?}…(21 more characters)",
            "é".repeat(80)
        )
    );
    assert!(lines[2].ends_with(&format!("got {exactly_80:?}")));
    assert!(lines[3].ends_with("…(1 more character)"), "{}", lines[3]);
}

#[test]
fn error_lists_every_violation_and_names_the_opt_out() {
    let mut path = at(&["workgroupNames"]);
    let mut out = Violations::new();
    check_collection_length(&path, 21, Some(1), Some(20), &mut out);
    path.push_index(3);
    check_pattern(&path, "Analytics_WG", &LOWER, false, &mut out);
    let error = out
        .into_result("GetIdentityCenterAuthTokenRequest")
        .unwrap_err();
    assert_eq!(error.shape(), "GetIdentityCenterAuthTokenRequest");
    assert_eq!(error.len(), 2);
    assert!(!error.is_empty());
    assert_eq!(error.violations()[1].path(), "workgroupNames[3]");
    assert_eq!(
        error.to_string(),
        "GetIdentityCenterAuthTokenRequest failed client-side validation with 2 violations \
         (nothing was sent; the model's constraints can be switched off with ValidationMode::Off):\n  \
         - workgroupNames: length must be between 1 and 20 elements; got 21 elements\n  \
         - workgroupNames[3]: must match the pattern ^[a-z0-9-]+$; got \"Analytics_WG\""
    );
    let cloned = error.clone();
    assert_eq!(cloned, error);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.to_string().contains("ValidationMode::Off"));
}

#[test]
fn singular_violation_and_empty_result() {
    assert_eq!(Violations::new().into_result("S"), Ok(()));
    let mut out = Violations::new();
    check_required::<()>(&Path::new(), &None, &mut out);
    let message = out.into_result("S").unwrap_err().to_string();
    assert!(
        message.starts_with("S failed client-side validation with 1 violation (nothing"),
        "{message}"
    );
    assert!(message.ends_with("\n  - <input>: a value is required; got no value"));
}

#[test]
fn validation_mode() {
    assert_eq!(ValidationMode::default(), ValidationMode::Enforce);
    assert!(ValidationMode::Enforce.is_enforced());
    assert!(!ValidationMode::Off.is_enforced());
}

struct Item {
    name: String,
}

impl Validate for Item {
    const SHAPE: &'static str = "Item";

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        path.push_member("name");
        check_string_length(path, &self.name, Some(2), None, false, out);
        path.pop();
    }
}

struct Outer {
    items: Option<Vec<Item>>,
    tags: std::collections::BTreeMap<String, Item>,
}

impl Validate for Outer {
    const SHAPE: &'static str = "Outer";

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        path.push_member("items");
        self.items.validate_at(path, out);
        path.pop();
        path.push_member("tags");
        self.tags.validate_at(path, out);
        path.pop();
    }
}

#[test]
fn blanket_impls_build_nested_paths() {
    let outer = Outer {
        items: Some(vec![Item { name: "ok".into() }, Item { name: "x".into() }]),
        tags: [("env".to_string(), Item { name: "y".into() })].into(),
    };
    let error = outer.validate().unwrap_err();
    let paths: Vec<&str> = error.iter().map(Violation::path).collect();
    assert_eq!(paths, ["items[1].name", r#"tags["env"].name"#]);
    assert_eq!(outer.validate_with(ValidationMode::Off), Ok(()));
    assert!(outer.validate_with(ValidationMode::Enforce).is_err());

    let fine = Outer {
        items: None,
        tags: Default::default(),
    };
    assert_eq!(fine.validate(), Ok(()));
    assert_eq!(<Option<Vec<Item>> as Validate>::SHAPE, "Item");
}
