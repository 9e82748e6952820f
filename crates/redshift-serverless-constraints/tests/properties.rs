//! Property tests: each check against an independent oracle, the pattern fast path against
//! `regex-lite`, and redaction of sensitive values.

use proptest::prelude::*;
use proptest::sample::select;
use redshift_serverless_constraints::*;

/// Characters that stress length counting and class matching: ASCII, 2/3/4-byte UTF-8,
/// combining marks, zero-width and control characters, plus anything at all.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => select(vec!['a', 'z', 'A', 'Z', '0', '9', '-', '_', '.', ' ', '/', '@', '^', ']', 'w', 'd']),
        2 => select(vec![
            'é', 'ß', '漢', '😀', '👩', '\u{301}', '\u{200d}', '\u{fe0f}', '\n', '\0', '\u{7f}',
            '\u{80}', '\u{ff}', '\u{fffd}', '٣', 'K'
        ]),
        1 => any::<char>(),
    ]
}

fn tricky_string(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..=max_len).prop_map(|c| c.into_iter().collect())
}

/// Strings mostly made of the characters of a pattern's own source and of printable ASCII (so
/// class members, and lengths around the quantifier's bounds, come up often), salted with
/// tricky characters.
fn string_near_pattern(source: &str, max_len: usize) -> impl Strategy<Value = String> {
    let own: Vec<char> = source.chars().collect();
    let c = prop_oneof![
        2 => select(own),
        2 => (b' '..=b'~').prop_map(char::from),
        1 => tricky_char(),
    ];
    prop::collection::vec(c, 0..=max_len).prop_map(|c| c.into_iter().collect())
}

/// Counts scalar values without `chars()`: every UTF-8 sequence has exactly one byte that is
/// not a continuation byte (`10xxxxxx`).
fn oracle_char_count(s: &str) -> u64 {
    s.as_bytes().iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64
}

/// A bound near `n`: `n - 2 ..= n + 2`, or absent.
fn near(n: u64) -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        Just(None),
        (0u64..=4).prop_map(move |d| Some((n + d).saturating_sub(2)))
    ]
}

proptest! {
    #[test]
    fn string_length_matches_oracle(
        (value, min, max) in tricky_string(24).prop_flat_map(|s| {
            let n = oracle_char_count(&s);
            (Just(s), near(n), near(n))
        })
    ) {
        let n = oracle_char_count(&value);
        let expected_ok = min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
        let mut path = Path::new();
        path.push_member("name");
        let mut out = Violations::new();
        check_string_length(&path, &value, min, max, false, &mut out);
        prop_assert_eq!(out.is_empty(), expected_ok);
        if let Some(v) = out.iter().next() {
            prop_assert_eq!(v.value(), &ObservedValue::Text(value.clone()));
            let (unit_plural, unit_singular) = ("characters)", "character)");
            let tail = format!(" ({n} {}", if n == 1 { unit_singular } else { unit_plural });
            let line = v.to_string();
            prop_assert!(line.ends_with(&tail), "{} does not end with {}", line, tail);
        }
        let mut sensitive = Violations::new();
        check_string_length(&path, &value, min, max, true, &mut sensitive);
        prop_assert_eq!(sensitive.len(), out.len());
        if let Some(v) = sensitive.iter().next() {
            prop_assert_eq!(v.value(), &ObservedValue::RedactedCount(n));
        }
    }

    #[test]
    fn collection_length_matches_oracle(len in 0usize..40, min in prop::option::of(0u64..40), max in prop::option::of(0u64..40)) {
        let mut out = Violations::new();
        check_collection_length(&Path::new(), len, min, max, &mut out);
        let n = len as u64;
        let ok = !matches!(min, Some(m) if n < m) && !matches!(max, Some(m) if n > m);
        prop_assert_eq!(out.is_empty(), ok);
    }

    #[test]
    fn unique_items_matches_oracle(items in prop::collection::vec(0u8..6, 0..12)) {
        // Oracle: among all equal pairs, the one with the smallest later index, then the
        // smallest earlier index.
        let mut expected = None;
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                if items[i] == items[j] && expected.is_none_or(|(ei, ej)| (j, i) < (ej, ei)) {
                    expected = Some((i, j));
                }
            }
        }
        let mut out = Violations::new();
        check_unique_items(&Path::new(), &items, &mut out);
        match expected {
            None => prop_assert!(out.is_empty()),
            Some((first, second)) => {
                prop_assert_eq!(out.len(), 1);
                let v = out.iter().next().unwrap();
                prop_assert_eq!(v.value(), &ObservedValue::Duplicate { first, second });
            }
        }
    }

    #[test]
    fn range_i64_matches_oracle(value in -50i64..50, min in prop::option::of(-50i64..50), max in prop::option::of(-50i64..50)) {
        let mut out = Violations::new();
        check_range_i64(&Path::new(), value, min, max, false, &mut out);
        let ok = !matches!(min, Some(m) if value < m) && !matches!(max, Some(m) if value > m);
        prop_assert_eq!(out.is_empty(), ok);
    }

    #[test]
    fn range_f64_matches_oracle(
        value in prop_oneof![4 => -10.0f64..10.0, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY), 1 => Just(f64::NEG_INFINITY)],
        min in prop::option::of(-10.0f64..10.0),
        max in prop::option::of(-10.0f64..10.0),
    ) {
        let mut out = Violations::new();
        check_range_f64(&Path::new(), value, min, max, false, &mut out);
        let bounded = min.is_some() || max.is_some();
        let ok = if value.is_nan() {
            !bounded
        } else {
            !matches!(min, Some(m) if value < m) && !matches!(max, Some(m) if value > m)
        };
        prop_assert_eq!(out.is_empty(), ok);
    }
}

/// Anchored single-class patterns written the way models write them.
const FAST_PATTERNS: &[&str] = &[
    "^[a-z0-9-]+$",
    "^[a-zA-Z0-9_.-]{3,64}$",
    r"^[\w\-]*$",
    "^[A-Z]{2}$",
    r"^[a-z\d]{0,5}$",
    "^[-a-c]{2,}$",
    r"^[\]\[\\\^]?$",
    r"^[ -/]{1,3}$",
    r"^[\w.@/ ]+$",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fast_path_agrees_with_regex_lite_on_fixed_patterns(
        (source, value) in select(FAST_PATTERNS)
            .prop_flat_map(|p| (Just(p), string_near_pattern(p, 8)))
    ) {
        let pattern = Pattern::new(source);
        prop_assert!(pattern.uses_fast_path(), "{} should take the fast path", source);
        let regex = regex_lite::Regex::new(source).unwrap();
        prop_assert_eq!(pattern.is_match(&value), regex.is_match(&value), "{} on {:?}", source, value);
    }

    #[test]
    fn fast_path_agrees_with_regex_lite_on_generated_classes(
        (source, value) in generated_class_pattern().prop_flat_map(|p| {
            let value = string_near_pattern(&p, 7);
            (Just(p), value)
        })
    ) {
        let leaked: &'static str = Box::leak(source.clone().into_boxed_str());
        let pattern = Pattern::new(leaked);
        prop_assert!(pattern.uses_fast_path(), "{} should take the fast path", source);
        let regex = regex_lite::Regex::new(&source).unwrap();
        prop_assert_eq!(pattern.is_match(&value), regex.is_match(&value), "{} on {:?}", source, value);
    }
}

/// Builds `^[...]<quantifier>$` from pieces the fast path promises to understand.
fn generated_class_pattern() -> impl Strategy<Value = String> {
    // Printable ASCII that needs no escape inside a class in either dialect.
    let plain: Vec<char> = "abcmxyzABMZ0159_.@#%:,;=!/ '\"<>`{}()|*+?$"
        .chars()
        .collect();
    let range_ends: Vec<char> = "!\"#$%'()*+,./09:;<=>?@AZ_`az{|}".chars().collect();
    let item = prop_oneof![
        3 => select(plain).prop_map(String::from),
        1 => select(vec![
            r"\.", r"\-", r"\\", r"\]", r"\[", r"\^", r"\$", r"\*", r"\+", r"\?", r"\(",
            r"\)", r"\{", r"\}", r"\|", r"\/",
        ])
        .prop_map(String::from),
        1 => select(vec![r"\d", r"\w"]).prop_map(String::from),
        3 => (select(range_ends.clone()), select(range_ends)).prop_map(|(a, b)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            format!("{lo}-{hi}")
        }),
    ];
    let quantifier = prop_oneof![
        Just("+".to_string()),
        Just("*".to_string()),
        Just("?".to_string()),
        (0usize..6).prop_map(|n| format!("{{{n}}}")),
        (0usize..6).prop_map(|n| format!("{{{n},}}")),
        (0usize..5, 0usize..4).prop_map(|(m, d)| format!("{{{m},{}}}", m + d)),
    ];
    (
        any::<bool>(),
        prop::collection::vec(item, 1..5),
        any::<bool>(),
        quantifier,
    )
        .prop_map(|(lead, items, trail, q)| {
            format!(
                "^[{}{}{}]{q}$",
                if lead { "-" } else { "" },
                items.concat(),
                if trail { "-" } else { "" }
            )
        })
}

static LOWER: Pattern = Pattern::new("^[a-z0-9-]+$");
static BROKEN: Pattern = Pattern::new(r"^(\w)\1$");
static ALLOWED: &[&str] = &["alpha", "beta"];

proptest! {
    #[test]
    fn sensitive_values_never_leak(
        tail in "[A-Za-z0-9é漢]{4,30}",
        number in prop_oneof![1_000_000_007i64..i64::MAX, i64::MIN..-1_000_000_007i64],
    ) {
        let secret = format!("ZQXSECRET{tail}");
        let mut path = Path::new();
        path.push_member("secretToken");
        let mut out = Violations::new();
        check_string_length(&path, &secret, None, Some(3), true, &mut out);
        check_string_length(&path, &secret, Some(1000), None, true, &mut out);
        check_pattern(&path, &secret, &LOWER, true, &mut out);
        check_pattern(&path, &secret, &BROKEN, true, &mut out);
        check_enum(&path, &secret, ALLOWED, true, &mut out);
        check_range_i64(&path, number, Some(-100), Some(100), true, &mut out);
        check_range_f64(&path, number as f64, Some(-100.0), Some(100.0), true, &mut out);
        prop_assert_eq!(out.len(), 7);
        let number_text = number.to_string();
        let float_text = format!("{:?}", number as f64);
        let mut rendered = vec![format!("{out:?}")];
        for v in &out {
            rendered.push(v.to_string());
            rendered.push(format!("{v:?}"));
            rendered.push(format!("{:?}", v.value()));
            rendered.push(v.value().to_string());
        }
        let error = out.into_result("SecretInput").unwrap_err();
        rendered.push(error.to_string());
        rendered.push(format!("{error:?}"));
        rendered.push(format!("{error:#?}"));
        for text in &rendered {
            prop_assert!(!text.contains("ZQXSECRET"), "secret leaked: {}", text);
            // Only whole-value checks: a short random tail could occur in the wording by chance.
            prop_assert!(!text.contains(&secret), "secret leaked: {}", text);
            prop_assert!(!text.contains(&number_text), "number leaked: {}", text);
            prop_assert!(!text.contains(&float_text), "number leaked: {}", text);
        }
    }
}
