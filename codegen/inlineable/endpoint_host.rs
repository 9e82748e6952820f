//! The `isValidHostLabel` rules function.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `endpoint_lib/host.rs` when the rule set calls `isValidHostLabel` or an
// operation has an `@endpoint` host prefix with labels. The rules are smithy-rs's
// `endpoint_lib::host`: 1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen;
// with `allow_dots`, several such labels separated by dots.

/// Whether `label` is a valid host label (or, with `allow_dots`, dot-separated labels).
pub(crate) fn is_valid_host_label(label: &str, allow_dots: bool) -> bool {
    if allow_dots {
        label.split('.').all(is_valid_segment)
    } else {
        is_valid_segment(label)
    }
}

fn is_valid_segment(segment: &str) -> bool {
    (1..=63).contains(&segment.len())
        && !segment.starts_with('-')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The value of the `@hostLabel` member `member` of `operation`'s input, which must be a host
/// label: 1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen.
// Called by the operations with a `@hostLabel`; a rule set may need this file without any.
#[allow(dead_code)]
pub(crate) fn host_label<'a>(
    operation: &str,
    member: &str,
    value: ::std::option::Option<&'a str>,
) -> ::std::result::Result<&'a str, ::aws_smithy_runtime_api::box_error::BoxError> {
    match value {
        ::std::option::Option::Some(v) if is_valid_host_label(v, false) => {
            ::std::result::Result::Ok(v)
        }
        ::std::option::Option::Some(v) => ::std::result::Result::Err(::std::format!(
            "{operation}: `{member}` is {v:?}, which is not a host label (1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen); it goes into the endpoint's host name"
        )
        .into()),
        ::std::option::Option::None => ::std::result::Result::Err(::std::format!(
            "{operation}: `{member}` must be set; it goes into the endpoint's host name"
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_host_label;

    #[test]
    fn labels_and_dotted_labels() {
        for (label, dots, valid) in [
            ("", false, false),
            ("", true, false),
            (".", true, false),
            ("a.b", true, true),
            ("a.b", false, false),
            ("a.b.", true, false),
            ("a_b", true, false),
            ("-a", false, false),
            ("a-", false, true),
            ("caf\u{e9}", false, false),
            ("abc123", false, true),
        ] {
            assert_eq!(is_valid_host_label(label, dots), valid, "{label:?} {dots}");
        }
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(is_valid_host_label(
            &format!("{}.{}", "a".repeat(63), "a".repeat(63)),
            true
        ));
    }
}
