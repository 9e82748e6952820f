//! The `substring` rules function.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `endpoint_lib/substring.rs` when the rule set calls `substring`. The rules
// are the Smithy rules engine's, as smithy-rs's `endpoint_lib::substring` implements them.

/// `input[start..stop]`, counted from the end when `reverse`; `None` when `start >= stop`,
/// the input is shorter than `stop` or is not ASCII.
pub(crate) fn substring(
    input: &str,
    start: usize,
    stop: usize,
    reverse: bool,
) -> ::std::option::Option<&str> {
    if start >= stop || !input.is_ascii() || input.len() < stop {
        return ::std::option::Option::None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to)
}

#[cfg(test)]
mod tests {
    use super::substring;

    #[test]
    fn forwards_backwards_and_out_of_range() {
        assert_eq!(substring("hello", 0, 2, false), Some("he"));
        assert_eq!(substring("hello", 0, 2, true), Some("lo"));
        assert_eq!(substring("hello", 0, 5, false), Some("hello"));
        assert_eq!(substring("hello", 1, 4, true), Some("ell"));
        assert_eq!(substring("hello", 0, 6, false), None);
        assert_eq!(substring("hello", 2, 2, false), None);
        assert_eq!(substring("hello", 3, 2, true), None);
        assert_eq!(substring("a\u{1f431}b", 0, 1, false), None);
    }
}
