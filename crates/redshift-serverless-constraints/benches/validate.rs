//! What generated code does for a list of names with `@length` on the list and on each name,
//! plus a `@pattern` on each name: the cost that must stay far below one network call.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use redshift_serverless_constraints::{
    check_collection_length, check_pattern, check_string_length, Path, Pattern, Validate,
    Violations,
};

static NAME_FAST: Pattern = Pattern::new("^[a-z0-9-]+$");
// Same language, but the `|` keeps it off the fast path, so the regex engine answers.
static NAME_REGEX: Pattern = Pattern::new("^(?:[a-z0-9-]+|)$");

struct Input {
    names: Vec<String>,
    pattern: &'static Pattern,
}

impl Validate for Input {
    const SHAPE: &'static str = "BenchInput";

    fn validate_at(&self, path: &mut Path, out: &mut Violations) {
        path.push_member("workgroupNames");
        check_collection_length(path, self.names.len(), Some(1), Some(20), out);
        for (i, name) in self.names.iter().enumerate() {
            path.push_index(i);
            check_string_length(path, name, Some(3), Some(64), false, out);
            check_pattern(path, name, self.pattern, false, out);
            path.pop();
        }
        path.pop();
    }
}

fn names() -> Vec<String> {
    (0..20).map(|i| format!("analytics-wg-{i:07}")).collect()
}

fn bench(c: &mut Criterion) {
    let names = names();
    assert!(names.iter().all(|n| n.chars().count() == 20));
    for (label, pattern) in [("fast_path", &NAME_FAST), ("regex", &NAME_REGEX)] {
        assert_eq!(pattern.uses_fast_path(), label == "fast_path");
        let input = Input {
            names: names.clone(),
            pattern,
        };
        assert!(input.validate().is_ok());
        c.bench_function(&format!("validate_20_names/{label}"), |b| {
            b.iter(|| black_box(&input).validate())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
