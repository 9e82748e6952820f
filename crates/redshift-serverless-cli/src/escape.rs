//! Terminal safety: the one function that escapes text for a terminal, applied to every
//! byte of network and child-process text the command prints.
//!
//! A service message, an error code, a token or a `credential_process`'s standard error is
//! only data, but printed raw an ESC byte starts a terminal control sequence (retitle the
//! window, rewrite the screen, on some terminals answer back), a bidirectional override
//! (U+202E) makes the text after it read backwards, and a newline, U+2028 or a tab inside a
//! value breaks a table's lines and columns or an error line. So every
//! character [`is_control`] matches (C0 controls with tab and newline, DEL, C1 controls, the
//! Unicode Bidi_Control characters, and the line and paragraph separators U+2028 and U+2029)
//! is written as a Rust-style escape (`\n`, `\t`, `\r`, `\u{1b}`, `\u{202e}`) by
//! [`escape_controls`], in table and error output. Text output is the exception for TAB
//! and newline inside a value, which it prints as they are, as the AWS CLI does
//! ([`escape_terminal`]): neither acts on a terminal, and scripts written against the AWS
//! CLI expect them. A backslash is left alone: it is
//! harmless on a terminal, and the values this command prints (tokens, timestamps, codes)
//! never hold one. JSON output escapes the same characters as JSON escapes (`\u001b`,
//! `\u202e`), so it stays valid JSON; YAML output quotes and escapes such strings.
//!
//! Standard error gets the same treatment once more at the boundary (`stdio.rs`), line by
//! line ([`escape_lines`]), and so does the `--debug` log, so that text a message forgot to
//! escape still cannot act on the terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is a character a terminal could act on or that would reorder or break the
/// lines around it: a C0 or C1 control or DEL (`char::is_control`), one of the twelve
/// Unicode Bidi_Control characters (ALM U+061C, LRM U+200E, RLM U+200F, the embeddings and
/// overrides U+202A to U+202E, the isolates U+2066 to U+2069), or the line and paragraph
/// separators U+2028 and U+2029.
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
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

/// `s` for a value in text output: every control character escaped as by
/// [`escape_controls`] except TAB and newline, which the AWS CLI prints as they are in
/// `--output text` and scripts that read it expect; neither acts on a terminal.
pub fn escape_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\t' && c != '\n' && is_control(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' | '\n' => out.push(c),
            c => out.push_str(&escape_controls(c.encode_utf8(&mut [0; 4]))),
        }
    }
    Cow::Owned(out)
}

/// `text` with its line breaks kept and everything else [`escape_controls`] escapes escaped:
/// for a whole message, whose own lines are structure (the text it quotes was escaped where
/// it was quoted, so a newline from the network is already `\n`).
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_control(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape_controls).collect();
    Cow::Owned(lines.join("\n"))
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
            ("exe.\u{202e}fdp", "exe.\\u{202e}fdp"),
            (
                "a\u{2066}b\u{2069}c\u{200f}d\u{61c}",
                "a\\u{2066}b\\u{2069}c\\u{200f}d\\u{61c}",
            ),
            (
                "line\u{2028}sep\u{2029}para\u{85}nel",
                "line\\u{2028}sep\\u{2029}para\\u{85}nel",
            ),
            // Joiners and other format characters are kept: emoji and scripts need them.
            ("👩\u{200d}💻", "👩\u{200d}💻"),
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

    #[test]
    fn whole_messages_keep_their_lines() {
        assert_eq!(escape_lines("a\nb"), "a\nb");
        assert!(matches!(escape_lines("plain\ntext"), Cow::Borrowed(_)));
        assert_eq!(
            escape_lines("one\u{1b}]0;t\u{7}\ntwo\u{202e}\r"),
            "one\\u{1b}]0;t\\u{7}\ntwo\\u{202e}\\r"
        );
    }

    #[test]
    fn text_values_keep_tab_and_newline() {
        assert_eq!(escape_terminal("a\tb\nc"), "a\tb\nc");
        assert!(matches!(escape_terminal("a\tb\nc"), Cow::Borrowed(_)));
        assert_eq!(
            escape_terminal("\u{1b}[2J\t\r\u{202e}\u{2028}\n"),
            "\\u{1b}[2J\t\\r\\u{202e}\\u{2028}\n"
        );
    }

    proptest::proptest! {
        /// Whatever the value, text output keeps its TABs and newlines and lets no other
        /// control character through; without those two, it is `escape_controls`.
        #[test]
        fn text_values_are_terminal_safe(s in "(\\PC|[\t\n\r\u{1b}\u{7f}\u{9b}\u{202e}\u{2028}])*") {
            let out = escape_terminal(&s);
            proptest::prop_assert!(!out.chars().any(|c| c != '\t' && c != '\n' && is_control(c)), "{out:?}");
            for kept in ['\t', '\n'] {
                proptest::prop_assert_eq!(
                    out.matches(kept).count(),
                    s.matches(kept).count()
                );
            }
            let pieces: Vec<String> = s.split(['\t', '\n']).map(|p| escape_controls(p).into_owned()).collect();
            let rejoined: Vec<&str> = out.split(['\t', '\n']).collect();
            proptest::prop_assert_eq!(pieces, rejoined);
        }
    }
}
