//! Terminal safety: text from the network is escaped before a human-readable format
//! prints it.
//!
//! A service message, an error code or a token is only data, but printed raw an ESC byte
//! starts a terminal control sequence (retitle the window, rewrite the screen, on some
//! terminals answer back), and a newline or tab inside a value breaks the line-and-tab
//! structure scripts parse from `--output text`. So every C0 control character (tab and
//! newline included), DEL and every C1 control character is written as a Rust-style escape
//! (`\n`, `\t`, `\r`, `\u{1b}`) in text, table and error output. A backslash is left alone:
//! it is harmless on a terminal, and the values this command prints (tokens, timestamps,
//! codes) never hold one. JSON output escapes on its own (`\u001b`), so it stays valid
//! JSON; YAML output quotes and escapes such strings itself.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is a control character a terminal could act on.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// `s` with every control character escaped; borrowed when there is none (the usual case).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control(c) => {
                // Writing into a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The most characters of a user's input echoed in a message.
pub const EXCERPT_CHARS: usize = 200;

/// `s` for a message that quotes it: its first [`EXCERPT_CHARS`] characters, escaped, then
/// `... (N characters)` when there were more. A bad `--cli-input-json` file used to be echoed
/// whole (52 MB of escapes for a 10 MB file of NUL bytes).
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        None => escape_controls(s).into_owned(),
        Some((cut, _)) => format!(
            "{}... ({} characters)",
            escape_controls(&s[..cut]),
            s.chars().count()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_everything_else_kept() {
        let cases: &[(&str, &str)] = &[
            ("plain-token_0123", "plain-token_0123"),
            ("", ""),
            ("a\tb", "a\\tb"),
            ("line1\nline2\r", "line1\\nline2\\r"),
            ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
            ("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}"),
            ("nul\0", "nul\\u{0}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("back\\slash", "back\\slash"),
            ("ünïcødé ✓ 日本", "ünïcødé ✓ 日本"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_controls(input), *expected, "{input:?}");
        }
        assert!(matches!(escape_controls("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("short\u{1b}"), "short\\u{1b}");
        let long = "\0".repeat(10_000_000);
        let quoted = excerpt(&long);
        assert!(quoted.len() < 2_000, "{} bytes", quoted.len());
        assert!(quoted.starts_with("\\u{0}\\u{0}"));
        assert!(quoted.ends_with("... (10000000 characters)"), "{quoted}");
        assert_eq!(
            excerpt(&"é".repeat(EXCERPT_CHARS)),
            "é".repeat(EXCERPT_CHARS)
        );
    }
}
