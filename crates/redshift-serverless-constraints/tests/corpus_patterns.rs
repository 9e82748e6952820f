//! The differential the `@pattern` engines answer to: every `@pattern` in the vendored corpus
//! of published awsJson models (`model/corpus/awsjson/`), evaluated by [`Pattern`] and by
//! `regress` (an ECMA-262 engine) on generated strings, Unicode included.
//!
//! Where `regress` compiles the expression as written (in `u` mode, else without `u` when it
//! has no `\p{…}`), [`Pattern`] must give the same verdict on every string, whichever engine
//! it routed the expression to. The Java forms that `regress` refuses as written are rewritten
//! by the crate; their meaning is pinned by the `dialect` unit tests. Every pattern must
//! compile.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::{Config, TestRunner};
use redshift_serverless_constraints::{Engine, Pattern};

/// Every distinct `@pattern` of the corpus, on shapes and on members.
fn corpus_patterns() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../model/corpus/awsjson");
    let mut patterns = BTreeSet::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".json.gz") {
            continue;
        }
        let mut json = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_string(&mut json)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let model: serde_json::Value = serde_json::from_str(&json).unwrap();
        let shapes = model["shapes"].as_object().expect("a model has shapes");
        for shape in shapes.values() {
            let members = shape["members"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values());
            for traits in std::iter::once(shape).chain(members).map(|s| &s["traits"]) {
                if let Some(p) = traits["smithy.api#pattern"].as_str() {
                    patterns.insert(p.to_owned());
                }
            }
        }
    }
    patterns
}

/// `regress` on the expression as written: `u` mode, else Annex B unless `\p` is used.
fn reference(source: &str) -> Option<regress::Regex> {
    regress::Regex::with_flags(source, "u").ok().or_else(|| {
        (!source.contains("\\p{") && !source.contains("\\P{"))
            .then(|| regress::Regex::new(source).ok())
            .flatten()
    })
}

/// Characters on which the dialects disagree: line terminators, Unicode spaces, letters and
/// digits outside ASCII, astral characters, and the POSIX-class letters.
const TRICKY: &[char] = &[
    '\r', '\n', '\t', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}', '\u{2028}',
    '\u{2029}', '\u{202f}', '\u{3000}', '\u{feff}', 'é', 'ß', 'ſ', 'K', 'Ω', '漢', '٣', '😀',
    '\u{301}', '\u{0}', ':', '[', ']', '-', '_', '<', 'A', 'z', ' ',
];

/// Strings that match the expression (read by `regex-syntax`, when it can) with a few
/// characters replaced or inserted, or strings made of the expression's own characters and
/// the tricky ones.
fn values(source: &str) -> BoxedStrategy<String> {
    let own: Vec<char> = source.chars().collect();
    let c = prop_oneof![
        3 => select(own),
        2 => select(TRICKY),
        1 => any::<char>(),
    ];
    let near = prop::collection::vec(c.clone(), 0..=12)
        .prop_map(|c| c.into_iter().collect::<String>())
        .boxed();
    let Ok(matching) = proptest::string::string_regex(source) else {
        return near;
    };
    let mutated = (
        matching,
        prop::collection::vec((any::<prop::sample::Index>(), c, any::<bool>()), 0..3),
    )
        .prop_map(|(s, edits)| {
            let mut chars: Vec<char> = s.chars().collect();
            for (at, c, insert) in edits {
                let i = at.index(chars.len() + 1);
                if insert || i == chars.len() {
                    chars.insert(i, c);
                } else {
                    chars[i] = c;
                }
            }
            chars.into_iter().collect::<String>()
        });
    prop_oneof![2 => mutated, 1 => near].boxed()
}

#[test]
fn every_corpus_pattern_means_what_ecma262_says() {
    let patterns = corpus_patterns();
    assert!(
        patterns.len() > 1000,
        "the corpus has {} patterns",
        patterns.len()
    );
    let mut runner = TestRunner::new(Config {
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let (mut compared, mut by_lite, mut disagreements) = (0usize, 0usize, Vec::new());
    for source in &patterns {
        let leaked: &'static str = Box::leak(source.clone().into_boxed_str());
        let pattern = Pattern::new(leaked);
        if let Err(e) = pattern.compile() {
            disagreements.push(format!("{source:?} does not compile: {e}"));
            continue;
        }
        let Some(reference) = reference(source) else {
            continue;
        };
        compared += 1;
        by_lite += usize::from(pattern.engine() == Some(Engine::RegexLite));
        let strategy = values(source);
        for _ in 0..48 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            let expected = reference.find(&value).is_some();
            if pattern.is_match(&value) != expected {
                disagreements.push(format!(
                    "{source:?} on {value:?}: ECMA-262 says {expected}, {:?} says {}",
                    pattern.engine(),
                    !expected
                ));
                break;
            }
        }
    }
    println!(
        "{} corpus patterns; {compared} compared with regress as written ({by_lite} on regex-lite)",
        patterns.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
