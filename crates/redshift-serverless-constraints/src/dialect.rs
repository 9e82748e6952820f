//! How a Smithy `@pattern` reads in each engine.
//!
//! Smithy patterns are ECMA-262 expressions, but the services that publish them evaluate them
//! with Java's `java.util.regex`, and a few published patterns use Java syntax that ECMA-262
//! refuses. Two questions decide how a pattern is evaluated:
//!
//! - [`lite_agrees`]: is the expression inside the subset where `regex-lite` means exactly
//!   what ECMA-262 means? `regex-lite` differs elsewhere: its `.` matches `\r`, `\u{2028}`
//!   and `\u{2029}`, its `\s` is ASCII only, `[[:alpha:]]` is a POSIX class to it and a
//!   character set followed by `]` to ECMA-262, and it has nested classes and `&&`/`--`/`~~`.
//!   Anything outside the subset goes to the ECMA-262 engine, so client-side validation never
//!   refuses what the service accepts because of an engine's dialect.
//! - [`lookaheads_as_classes`]: can the expression's look-arounds be written as classes? A
//!   look-ahead that only constrains the next character (`(?!-)[a-z0-9-]{0,62}[a-z0-9]`, a
//!   host-name label) is a narrower first class; the result may then be in the subset.
//! - [`ecma262_source`]: the expression ECMA-262 should compile. Smithy does not say which
//!   flags apply; the services match code points, as ECMA-262's `u` mode does, and `\p{L}`
//!   means a Unicode category only in `u` mode (elsewhere it is the letters `p{L}`). So the
//!   engine compiles in `u` mode, after these rewrites of forms `u` mode refuses, each given
//!   the meaning Java (and ECMA-262's Annex B, where it has one) gives it:
//!   - an identity escape of ASCII punctuation (`\_`, `\@`, `\-` outside a class) is that
//!     character, written `\xHH`;
//!   - `\A` and `\z` are the start and end of the input (Java), written `^` and `$`;
//!   - a `-` next to a class escape inside a class (`[\p{L}-_]`) is a literal `-` (Annex B);
//!   - a quantified `^` or `$` (`${1,128}`) is the assertion itself (it consumes nothing), or
//!     nothing when the quantifier allows zero repetitions;
//!   - an inline `(?i)` (Java) becomes a modifier group `(?i:…)` running to the end of the
//!     enclosing group.
//!
//!   An expression `u` mode still refuses is compiled without `u` (Annex B), unless it uses
//!   `\p{…}`/`\P{…}`, whose meaning would change.

// The rewrite for ECMA-262 is called only with the `ecma262` feature (the engine is
// optional); it is compiled, and its tests run, either way.
#![cfg_attr(not(feature = "ecma262"), allow(dead_code))]

/// Whether `regex-lite` gives `source` exactly the meaning ECMA-262 gives it.
///
/// Deliberately conservative: it accepts only literals (any character but `.`), escaped ASCII
/// punctuation, `\d \D \w \W`, `\b \B` outside classes, `\n \r \t \f \v`, `\xHH`, classes of
/// those without nesting or set operations, `(…)` and `(?:…)` groups, `|`, `^`, `$`, and
/// well-formed quantifiers on something quantifiable. Whether `regex-lite` compiles it is a
/// separate question, asked by the caller.
pub(crate) fn lite_agrees(source: &str) -> bool {
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    // Whether the previous item can take a quantifier.
    let mut quantifiable = false;
    while i < chars.len() {
        match chars[i] {
            '.' | ']' | '}' => return false,
            '\\' => {
                let Some(used) = lite_escape(&chars, i, false) else {
                    return false;
                };
                quantifiable = !matches!(chars[i + 1], 'b' | 'B');
                i += used;
            }
            '[' => {
                let Some(used) = lite_class(&chars, i) else {
                    return false;
                };
                quantifiable = true;
                i += used;
            }
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    if chars.get(i + 2) != Some(&':') {
                        return false;
                    }
                    i += 3;
                } else {
                    i += 1;
                }
                quantifiable = false;
            }
            ')' => {
                quantifiable = true;
                i += 1;
            }
            '|' | '^' | '$' => {
                quantifiable = false;
                i += 1;
            }
            '*' | '+' | '?' | '{' => {
                let Some(Quantifier { len: used, .. }) = quantifier(&chars, i) else {
                    return false;
                };
                if !quantifiable {
                    return false;
                }
                // A lazy `?` may follow; a second quantifier may not.
                i += used;
                if chars.get(i) == Some(&'?') {
                    i += 1;
                }
                quantifiable = false;
            }
            _ => {
                quantifiable = true;
                i += 1;
            }
        }
    }
    true
}

/// `source` with every look-ahead that only constrains the next character written as a plain
/// class, or `None` when it has no look-around or one of another form.
///
/// A look-ahead of one character set `X`, negative (`(?!X)`) or positive (`(?=X)`), followed
/// by an atom `C` (a character or an ASCII class) with a greedy quantifier `{m,n}` (also `*`,
/// `+`, `?`, or none) and then a single atom `D`, constrains only the first character of
/// `C{m,n}D`, which is never empty. That first character is a `C` when `C` repeats at least
/// once and the `D` otherwise, so the four are rewritten as
///
/// - `[C'] C{m-1,n-1} D` when `m >= 1`, and
/// - `(?:[C'] C{0,n-1} D|[D'])` when `m = 0`,
///
/// where `C'` and `D'` are `C` and `D` less `X` (negative) or within `X` (positive).
/// Published host-name patterns have this form (`(?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9]`: a label
/// does not start with `-`), so such a model needs no ECMA-262 engine. Only ASCII sets are
/// computed; anything else is left to the ECMA-262 engine.
pub(crate) fn lookaheads_as_classes(source: &str) -> Option<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 16);
    let mut rewritten = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.extend(chars.get(i..i + 2)?);
                i += 2;
            }
            '[' => {
                let len = lite_class(&chars, i)?;
                out.extend(&chars[i..i + len]);
                i += len;
            }
            '(' if chars.get(i + 1) == Some(&'?')
                && matches!(chars.get(i + 2), Some('!' | '=')) =>
            {
                let negative = chars[i + 2] == '!';
                let (x, x_len) = ascii_atom(&chars, i + 3)?;
                let mut j = i + 3 + x_len;
                if chars.get(j) != Some(&')') {
                    return None;
                }
                j += 1;
                let (c, c_len) = ascii_atom(&chars, j)?;
                let c_text: String = chars[j..j + c_len].iter().collect();
                j += c_len;
                // No quantifier is exactly one `C`; a `{` that is not one is left alone.
                let (min, max) = match quantifier(&chars, j) {
                    Some(q) => {
                        j += q.len;
                        (q.min, q.max)
                    }
                    None if chars.get(j) == Some(&'{') => return None,
                    None => (1, Some(1)),
                };
                // A lazy or possessive suffix, or a quantifier that allows no `C`: left alone.
                if matches!(chars.get(j), Some('?' | '+')) || max == Some(0) {
                    return None;
                }
                let (d, d_len) = ascii_atom(&chars, j)?;
                let d_text: String = chars[j..j + d_len].iter().collect();
                j += d_len;
                if chars
                    .get(j)
                    .is_some_and(|&q| quantifier(&chars, j).is_some() || q == '?')
                {
                    return None;
                }
                let narrow = |set: u128| if negative { set & !x } else { set & x };
                let first_c = ascii_class_source(narrow(c))?;
                let rest = match (min.saturating_sub(1), max.map(|n| n - 1)) {
                    (_, Some(0)) => String::new(),
                    (lo, Some(hi)) if lo == hi => format!("{c_text}{{{lo}}}"),
                    (lo, Some(hi)) => format!("{c_text}{{{lo},{hi}}}"),
                    (lo, None) => format!("{c_text}{{{lo},}}"),
                };
                if min >= 1 {
                    out.push_str(&format!("{first_c}{rest}{d_text}"));
                } else {
                    let first_d = ascii_class_source(narrow(d))?;
                    out.push_str(&format!("(?:{first_c}{rest}{d_text}|{first_d})"));
                }
                rewritten = true;
                i = j;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    rewritten.then_some(out)
}

/// The ASCII set of the atom at `chars[i]` and its length: a character other than a syntax
/// character, an escape (`\d`, `\w`, `\xHH`, escaped punctuation), or a class of those and of
/// ranges between ASCII characters, not negated. `None` for anything else.
fn ascii_atom(chars: &[char], i: usize) -> Option<(u128, usize)> {
    let c = *chars.get(i)?;
    match c {
        '[' => {
            let len = lite_class(chars, i)?;
            let inner = &chars[i + 1..i + len - 1];
            if inner.first() == Some(&'^') {
                return None;
            }
            let mut set = 0u128;
            let mut k = 0;
            while k < inner.len() {
                let (lo, used) = class_member(inner, k)?;
                k += used;
                if inner.get(k) == Some(&'-') && k + 1 < inner.len() {
                    let (hi, used) = class_member(inner, k + 1)?;
                    let (lo, hi) = (single(lo)?, single(hi)?);
                    if hi < lo {
                        return None;
                    }
                    for b in lo..=hi {
                        set |= 1 << b;
                    }
                    k += 1 + used;
                } else {
                    set |= lo;
                }
            }
            Some((set, len))
        }
        '\\' => {
            let (set, used) = class_member(chars, i)?;
            Some((set, used))
        }
        c if c.is_ascii() && !r"^$\.*+?()[]{}|/".contains(c) => Some((1 << c as u32, 1)),
        _ => None,
    }
}

/// The ASCII set of one class member at `chars[k]` (a character or an escape) and its length.
fn class_member(chars: &[char], k: usize) -> Option<(u128, usize)> {
    let c = *chars.get(k)?;
    if c != '\\' {
        return c.is_ascii().then(|| (1u128 << c as u32, 1));
    }
    let range = |lo: u8, hi: u8| (lo..=hi).fold(0u128, |set, b| set | 1 << b);
    let e = *chars.get(k + 1)?;
    match e {
        'd' => Some((range(b'0', b'9'), 2)),
        'w' => Some((
            range(b'0', b'9') | range(b'A', b'Z') | range(b'a', b'z') | 1 << b'_',
            2,
        )),
        'n' => Some((1 << b'\n', 2)),
        'r' => Some((1 << b'\r', 2)),
        't' => Some((1 << b'\t', 2)),
        'x' => {
            let hex: String = chars.get(k + 2..k + 4)?.iter().collect();
            let b = u8::from_str_radix(&hex, 16).ok().filter(u8::is_ascii)?;
            Some((1 << b, 4))
        }
        e if e.is_ascii_punctuation() => Some((1 << e as u32, 2)),
        _ => None,
    }
}

/// The one character of a set that holds exactly one, as a byte.
fn single(set: u128) -> Option<u8> {
    (set.count_ones() == 1).then(|| set.trailing_zeros() as u8)
}

/// A class holding exactly `set` in the syntax both dialects share: runs of three or more
/// characters of one kind (digits, upper case, lower case, other) as ranges, escaped
/// punctuation, `\xHH` for the rest. `None` for the empty set.
fn ascii_class_source(set: u128) -> Option<String> {
    if set == 0 {
        return None;
    }
    let kind = |b: u8| {
        (
            b.is_ascii_digit(),
            b.is_ascii_uppercase(),
            b.is_ascii_lowercase(),
        )
    };
    let mut out = String::from("[");
    let mut b = 0u8;
    while b < 128 {
        if set & 1 << b == 0 {
            b += 1;
            continue;
        }
        let start = b;
        while b < 127 && set & 1 << (b + 1) != 0 && kind(b + 1) == kind(start) {
            b += 1;
        }
        if b - start >= 2 {
            push_range_end(&mut out, start);
            out.push('-');
            push_range_end(&mut out, b);
        } else {
            for c in start..=b {
                push_ascii(&mut out, c);
            }
        }
        b += 1;
    }
    out.push(']');
    Some(out)
}

/// One ASCII character as a class member.
fn push_ascii(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() {
        out.push(b as char);
    } else if b.is_ascii_punctuation() {
        out.push('\\');
        out.push(b as char);
    } else {
        out.push_str(&format!("\\x{b:02X}"));
    }
}

/// One end of a range: a letter or digit as itself, anything else as `\xHH`.
fn push_range_end(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() {
        out.push(b as char);
    } else {
        out.push_str(&format!("\\x{b:02X}"));
    }
}

/// The length of an escape at `chars[i]` (a `\`) that both dialects read alike, or `None`.
fn lite_escape(chars: &[char], i: usize, in_class: bool) -> Option<usize> {
    let c = *chars.get(i + 1)?;
    match c {
        'd' | 'D' | 'w' | 'W' | 'n' | 'r' | 't' | 'f' | 'v' => Some(2),
        'b' | 'B' if !in_class => Some(2),
        'x' => {
            let hex = chars.get(i + 2..i + 4)?;
            hex.iter().all(char::is_ascii_hexdigit).then_some(4)
        }
        // `\<` and `\>` are word boundaries to regex-lite and literals to ECMA-262.
        '<' | '>' => None,
        c if c.is_ascii_punctuation() => Some(2),
        _ => None,
    }
}

/// The length of a class at `chars[i]` (a `[`) that both dialects read alike, or `None`.
fn lite_class(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        j += 1;
    }
    // `[]…]` and `[^]…]` differ: ECMA-262's `[]` is an empty class.
    if chars.get(j) == Some(&']') {
        return None;
    }
    let start = j;
    loop {
        let c = *chars.get(j)?;
        match c {
            ']' => return Some(j + 1 - i),
            '[' => return None,
            '&' | '-' | '~' if chars.get(j + 1) == Some(&c) => return None,
            '\\' => {
                let used = lite_escape(chars, j, true)?;
                // A class escape at either end of a range is an error to one dialect and a
                // literal `-` to the other.
                let class_escape = matches!(chars[j + 1], 'd' | 'D' | 'w' | 'W');
                if class_escape
                    && (chars.get(j + used) == Some(&'-') && chars.get(j + used + 1) != Some(&']')
                        || j > start + 1 && chars[j - 1] == '-' && chars[j - 2] != '\\')
                {
                    return None;
                }
                j += used;
            }
            _ => j += 1,
        }
    }
}

/// A well-formed quantifier at `chars[i]` (`*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}` with
/// `n <= m`).
struct Quantifier {
    /// Its length in characters.
    len: usize,
    /// The fewest repetitions it allows.
    min: u64,
    /// The most, `None` for no bound.
    max: Option<u64>,
}

/// The quantifier at `chars[i]`, if one is there.
fn quantifier(chars: &[char], i: usize) -> Option<Quantifier> {
    let (len, min, max) = match *chars.get(i)? {
        '*' => (1, 0, None),
        '+' => (1, 1, None),
        '?' => (1, 0, Some(1)),
        '{' => {
            let close = chars[i..].iter().position(|&c| c == '}')? + i;
            let inner: String = chars[i + 1..close].iter().collect();
            let number = |s: &str| -> Option<u64> {
                (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse().ok())
                    .flatten()
            };
            let (min, max) = match inner.split_once(',') {
                None => {
                    let n = number(&inner)?;
                    (n, Some(n))
                }
                Some((min, "")) => (number(min)?, None),
                Some((min, max)) => {
                    let (min, max) = (number(min)?, number(max)?);
                    if max < min {
                        return None;
                    }
                    (min, Some(max))
                }
            };
            (close + 1 - i, min, max)
        }
        _ => return None,
    };
    Some(Quantifier { len, min, max })
}

/// The characters ECMA-262's `u` mode lets a backslash escape as themselves.
const SYNTAX: &str = r"^$\.*+?()[]{}|/";

/// `source` rewritten for ECMA-262's `u` mode, as the module documentation describes.
pub(crate) fn ecma262_source(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 8);
    // Per open group: how many modifier groups inline flags (`(?i)`) opened in it, to close
    // with it.
    let mut groups: Vec<usize> = vec![0];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if property(&chars, i).is_some_and(|(name, _)| java_class(&name).is_some()) => {
                let (name, end) = property(&chars, i).unwrap_or_default();
                out.push_str(if chars[i + 1] == 'P' { "[^" } else { "[" });
                out.push_str(java_class(&name).unwrap_or_default());
                out.push(']');
                i = end;
            }
            '\\' => match chars.get(i + 1) {
                Some('A') => {
                    out.push('^');
                    i = skip_assertion_quantifier(&chars, i + 2, &mut out);
                }
                Some('z') => {
                    out.push('$');
                    i = skip_assertion_quantifier(&chars, i + 2, &mut out);
                }
                Some(&e) if e.is_ascii_punctuation() && !SYNTAX.contains(e) => {
                    push_hex(&mut out, e);
                    i += 2;
                }
                Some(&e) => {
                    out.push('\\');
                    out.push(e);
                    i += 2;
                }
                None => {
                    out.push('\\');
                    i += 1;
                }
            },
            '[' => i = class_source(&chars, i, &mut out),
            '^' | '$' => {
                out.push(c);
                i = skip_assertion_quantifier(&chars, i + 1, &mut out);
            }
            '(' if inline_flags(&chars, i).is_some() => {
                let flags = inline_flags(&chars, i).unwrap_or_default();
                out.push_str("(?");
                out.push_str(&flags);
                out.push(':');
                if let Some(open) = groups.last_mut() {
                    *open += 1;
                }
                i += flags.len() + 3;
            }
            '(' => {
                out.push('(');
                groups.push(0);
                i += 1;
            }
            ')' => {
                if groups.len() > 1 {
                    for _ in 0..groups.pop().unwrap_or(0) {
                        out.push(')');
                    }
                }
                out.push(')');
                i += 1;
            }
            '*' | '+' | '?' | '{' if quantifier(&chars, i).is_some() => {
                let len = quantifier(&chars, i).map_or(1, |q| q.len);
                out.extend(&chars[i..i + len]);
                // Java's possessive form of a fixed count (`{2}+`) is the count itself:
                // nothing is left to give back.
                let fixed = chars[i] == '{' && !chars[i..i + len].contains(&',');
                i += len;
                if fixed && chars.get(i) == Some(&'+') {
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    for _ in 0..groups.first().copied().unwrap_or(0) {
        out.push(')');
    }
    out
}

/// The flags of an inline flag group at `chars[i]` (`(?s)`, `(?i)`, `(?is)`), or `None`.
fn inline_flags(chars: &[char], i: usize) -> Option<String> {
    if chars.get(i + 1) != Some(&'?') {
        return None;
    }
    let flags: String = chars[i + 2..]
        .iter()
        .take_while(|c| matches!(c, 'i' | 'm' | 's'))
        .collect();
    (!flags.is_empty() && chars.get(i + 2 + flags.len()) == Some(&')')).then_some(flags)
}

/// The members of Java's POSIX classes (US-ASCII, as Java reads them without
/// `UNICODE_CHARACTER_CLASS`) and of its `LD` category, as class contents; `None` for a name
/// ECMA-262 already knows or does not know.
fn java_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => r"\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E",
        "Graph" => r"\x21-\x7E",
        "Print" => r"\x20-\x7E",
        "Blank" => r"\x20\t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => r"\x20\t\n\x0B\f\r",
        "LD" => r"\p{L}\p{Nd}",
        _ => return None,
    })
}

/// The name of a `\p{Name}` or `\P{Name}` at `chars[i]` (the `\`), and where it ends.
fn property(chars: &[char], i: usize) -> Option<(String, usize)> {
    if !matches!(chars.get(i + 1), Some('p' | 'P')) || chars.get(i + 2) != Some(&'{') {
        return None;
    }
    let close = chars[i..].iter().position(|&c| c == '}')? + i;
    Some((chars[i + 3..close].iter().collect(), close + 1))
}

/// After an assertion: drops a quantifier on it. A quantifier allowing zero repetitions also
/// drops the assertion (the last character of `out`). Returns where reading resumes.
fn skip_assertion_quantifier(chars: &[char], i: usize, out: &mut String) -> usize {
    let Some(Quantifier { len, min, .. }) = quantifier(chars, i) else {
        return i;
    };
    if min == 0 {
        out.pop();
    }
    let mut next = i + len;
    if chars.get(next) == Some(&'?') {
        next += 1;
    }
    next
}

fn push_hex(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\x{:02X}", c as u32);
}

/// Copies the class at `chars[i]` (a `[`), rewriting what `u` mode refuses; returns where
/// reading resumes. An unterminated class is copied as is, for the engine to refuse.
fn class_source(chars: &[char], i: usize, out: &mut String) -> usize {
    if let Some((left, right, end)) = intersection(chars, i) {
        // Java's `[A&&[B]]` is one character in both: a look-ahead for the first.
        out.push_str("(?:(?=");
        class_source(&left, 0, out);
        out.push(')');
        class_source(&right, 0, out);
        out.push(')');
        return end;
    }
    // The class's items as written, each with whether it is a class escape (`\d`, `\p{L}`).
    let mut items: Vec<(String, bool)> = Vec::new();
    let mut j = i + 1;
    let mut head = String::from("[");
    if chars.get(j) == Some(&'^') {
        head.push('^');
        j += 1;
    }
    let mut closed = false;
    while j < chars.len() {
        let c = chars[j];
        if c == ']' && !items.is_empty() {
            closed = true;
            j += 1;
            break;
        }
        if c == ']' {
            // `[]` or `[^]`: leave it to the engine.
            closed = true;
            j += 1;
            break;
        }
        if c == '\\' {
            match chars.get(j + 1) {
                Some('p' | 'P') if property(chars, j).is_some() => {
                    let (name, end) = property(chars, j).unwrap_or_default();
                    let text = match java_class(&name) {
                        // A negated Java class inside a class has no ECMA-262 spelling in
                        // `u` mode: it is left for the engine to refuse.
                        Some(members) if chars[j + 1] == 'p' => members.to_owned(),
                        _ => chars[j..end].iter().collect(),
                    };
                    items.push((text, true));
                    j = end;
                }
                Some(&e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => {
                    items.push((format!("\\{e}"), true));
                    j += 2;
                }
                Some(&e) if e.is_ascii_punctuation() && !SYNTAX.contains(e) && e != '-' => {
                    let mut text = String::new();
                    push_hex(&mut text, e);
                    items.push((text, false));
                    j += 2;
                }
                Some(&e) => {
                    items.push((format!("\\{e}"), false));
                    j += 2;
                }
                None => {
                    items.push(("\\".to_owned(), false));
                    j += 1;
                }
            }
            continue;
        }
        items.push((c.to_string(), false));
        j += 1;
    }
    out.push_str(&head);
    for (k, (text, _)) in items.iter().enumerate() {
        let next_to_class_escape = |k: usize| items.get(k).is_some_and(|(_, class)| *class);
        let dash_beside_class_escape = text == "-"
            && k > 0
            && k + 1 < items.len()
            && (next_to_class_escape(k - 1) || next_to_class_escape(k + 1));
        if dash_beside_class_escape {
            out.push_str("\\x2D");
        } else {
            out.push_str(text);
        }
    }
    if closed {
        out.push(']');
    }
    j
}

/// Java's class intersection `[A&&[B]]` at `chars[i]`, with neither part holding a bracket:
/// the two classes `[A]` and `[B]`, and where reading resumes.
fn intersection(chars: &[char], i: usize) -> Option<(Vec<char>, Vec<char>, usize)> {
    let mut j = i + 1;
    let mut left = vec!['['];
    while chars.get(j..j + 3)? != ['&', '&', '['] {
        match chars[j] {
            '[' | ']' => return None,
            '\\' => {
                left.extend(chars.get(j..j + 2)?);
                j += 2;
            }
            c => {
                left.push(c);
                j += 1;
            }
        }
    }
    left.push(']');
    j += 2;
    let mut right = vec![];
    loop {
        match *chars.get(j)? {
            ']' => break,
            '\\' => {
                right.extend(chars.get(j..j + 2)?);
                j += 2;
            }
            c if j > i && c == '[' && !right.is_empty() => return None,
            c => {
                right.push(c);
                j += 1;
            }
        }
    }
    right.push(']');
    (chars.get(j + 1) == Some(&']')).then_some((left, right, j + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_regex_lite_shares_with_ecma262() {
        for agrees in [
            "^[a-z0-9-]+$",
            r"^[\w+=,.@-]+$",
            r"arn:aws:[a-z]+:(\d{12})?",
            r"^(?:ipv4|dualstack)$",
            r"^\x41[^:]*?$",
            "^é+$",
            "[-a]",
            "[a-]",
        ] {
            assert!(lite_agrees(agrees), "{agrees} is in the shared subset");
        }
        for differs in [
            "^.*$",
            r"^\s+$",
            "^[[:alpha:]]+$",
            "^[a&&b]$",
            "^[a--b]$",
            r"^\p{L}+$",
            "(?i)abc",
            "(?!-)a",
            "a{,3}",
            "a]",
            "a}",
            r"\A\z",
            r"[\w-z]",
            r"[a-\d]",
            r"[\b]",
            r"\u0041",
            r"\1",
            "^*",
            "a**",
            "[]a]",
            "[^]a]",
        ] {
            assert!(
                !lite_agrees(differs),
                "{differs} must go to the ECMA-262 engine"
            );
        }
    }

    #[test]
    fn java_forms_are_rewritten_for_ecma262_u_mode() {
        for (java, ecma) in [
            // Unchanged.
            ("^[a-z]+$", "^[a-z]+$"),
            (r"^\p{L}\.\-$", r"^\p{L}\.\x2D$"),
            // Identity escapes of punctuation.
            (r"^\_\@$", r"^\x5F\x40$"),
            (r"[\_\-]", r"[\x5F\-]"),
            // Java anchors.
            (r"\A[a-z]+\z", r"^[a-z]+$"),
            // A dash beside a class escape is literal.
            (r"[\p{L}\p{N}\p{Z}-_]", r"[\p{L}\p{N}\p{Z}\x2D_]"),
            (r"[a-\d]", r"[a\x2D\d]"),
            (r"[a-z\d-]", r"[a-z\d-]"),
            // Quantified assertions.
            (r"^([a-z]*)${1,128}$", r"^([a-z]*)$$"),
            ("^?a", "a"),
            // Inline case-insensitivity runs to the end of its group.
            ("(a|(?i)b|c)d", "(a|(?i:b|c))d"),
            ("x(?i)ab", "x(?i:ab)"),
            ("(?i)a(?s)b", "(?i:a(?s:b))"),
            ("^(?s).{0,3}$", "^(?s:.{0,3}$)"),
            // Possessive fixed counts.
            (r"^[A-Z]{2}+-\d{12}+$", r"^[A-Z]{2}-\d{12}$"),
            ("a{1,2}+", "a{1,2}+"),
            // Java's POSIX classes and its LD category.
            (r"^\p{Alnum}\P{Digit}$", r"^[a-zA-Z0-9][^0-9]$"),
            (r"[\p{Alnum}\-]+", r"[a-zA-Z0-9\-]+"),
            (r"[\p{LD}_]", r"[\p{L}\p{Nd}_]"),
            // Class intersection.
            (r"^[\p{Print}&&[^|:/]]+$", r"^(?:(?=[\x20-\x7E])[^|:/])+$"),
        ] {
            assert_eq!(ecma262_source(java), ecma, "{java}");
        }
    }

    #[test]
    fn look_aheads_of_the_next_character_become_classes() {
        for (source, classes) in [
            // Redshift Serverless `customDomainName`: no label starts with `-`.
            (
                r"^(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
                r"^(((?:[0-9A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]|[0-9A-Za-z]))\.)+([0-9A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9])$",
            ),
            // Positive: the first character within the set.
            (
                r"^(?=[a-z0-9])[a-z0-9-]{1,48}[a-z0-9]$",
                r"^[0-9a-z][a-z0-9-]{0,47}[a-z0-9]$",
            ),
            // No quantifier, `*`, `+`, `?`, `{m}`, `{m,}`.
            ("^(?!a)[ab]c$", "^[b]c$"),
            ("^(?!a)[ab]*c$", "^(?:[b][ab]{0,}c|[c])$"),
            ("^(?!a)[ab]+c$", "^[b][ab]{0,}c$"),
            ("^(?!c)[ab]?[cd]$", "^(?:[ab][cd]|[d])$"),
            ("^(?!a)[ab]{3}c$", "^[b][ab]{2}c$"),
            (r"^(?!\d)\w{2,}x$", r"^[A-Z\_a-z]\w{1,}x$"),
            // Punctuation and control characters are escaped in the classes written.
            (
                r"^(?![\-.])[\x01-\x2F]{0,2}_",
                r"^(?:[\x01-\x2C\/][\x01-\x2F]{0,1}_|[\_])",
            ),
            (r"^(?![b-y])[a-z_]c", r"^[\_az]c"),
        ] {
            assert_eq!(
                lookaheads_as_classes(source).as_deref(),
                Some(classes),
                "{source}"
            );
            assert!(lite_agrees(classes), "{classes}");
        }
        for left in [
            // No look-around at all.
            "^[a-z]+$",
            // Look-behind, a look-ahead of more than one character, or followed by something
            // other than `C{m,n}D`.
            "^[a-z]+(?<!-)$",
            "^(?!aws:)[a-z:]+$",
            r"^(?!\s*$).+$",
            "^(?!-)[a-z-]+$",
            "^(?!-)[a-z-]{0,3}?[a-z]$",
            "^(?!-)[a-z-]{1,3}[a-z]+$",
            // Nothing left of the first character: the pattern never matches there.
            "^(?!a)ab$",
            // Non-ASCII or negated classes are not computed.
            "^(?!é)[a-zé]{1,3}b$",
            "^(?!-)[^a]{1,3}b$",
        ] {
            assert_eq!(lookaheads_as_classes(left), None, "{left}");
        }
    }

    /// A pattern with a next-character look-ahead in the rewritten form, or close to it.
    fn look_ahead_pattern() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let atom = prop::sample::select(vec![
            "a", "b", "-", r"\.", r"\d", r"\w", "[ab]", "[a-c]", "[b-]", r"[\-.]", "[0-9a]",
        ]);
        let quantifier = prop::sample::select(vec![
            "", "*", "+", "?", "{0,2}", "{1,3}", "{2}", "{0,}", "{2,}", "{1,2}?",
        ]);
        (
            prop::sample::select(vec!["", "^", "x", "^(", "(?:"]),
            prop::sample::select(vec!["?!", "?="]),
            atom.clone(),
            atom.clone(),
            quantifier,
            atom,
            prop::sample::select(vec!["", "$", "b", ")", ")+$", "|c"]),
        )
            .prop_map(|(before, kind, x, c, q, d, after)| {
                let close =
                    if before.ends_with('(') || before.ends_with(':') && !after.starts_with(')') {
                        ")"
                    } else {
                        ""
                    };
                format!("{before}({kind}{x}){c}{q}{d}{after}{close}")
            })
    }

    proptest::proptest! {
        /// Over generated patterns of the rewritten form: the rewrite never panics, and where
        /// it applies and both engines compile, regex-lite on the rewrite agrees with regress
        /// on the original.
        #[test]
        fn generated_look_aheads_mean_what_ecma262_says(
            source in look_ahead_pattern(),
            values in proptest::collection::vec("[ab.\\-0-9cx_]{0,6}", 8),
        ) {
            let rewritten = lookaheads_as_classes(&source);
            let (Some(rewritten), Ok(ecma)) = (rewritten, regress::Regex::with_flags(&source, "u")) else {
                return Ok(());
            };
            if !lite_agrees(&rewritten) {
                return Ok(());
            }
            let lite = regex_lite::Regex::new(&rewritten).expect("regex-lite compiles the rewrite");
            for value in &values {
                proptest::prop_assert_eq!(
                    lite.is_match(value),
                    ecma.find(value).is_some(),
                    "{} as {} on {:?}", source, rewritten, value
                );
            }
        }

        /// The rewritten expression (regex-lite) and the original (ECMA-262, regress) agree on
        /// every string of the characters that matter to them.
        #[test]
        fn rewritten_look_aheads_mean_what_ecma262_says(
            value in "[a-zA-Z0-9.\\-_ ]{0,20}|([a-z0-9-]{0,6}\\.){1,3}[a-z0-9-]{0,6}"
        ) {
            for source in [
                r"^(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
                r"^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
                r"^(?=[a-z0-9])[a-z0-9-]{1,4}[a-z0-9]$",
                r"(?!a)[ab]*c",
                r"^x(?!\d)\w?[-.]",
            ] {
                let ecma = regress::Regex::with_flags(source, "u").expect("regress compiles it");
                let rewritten = lookaheads_as_classes(source).expect("a next-character look-ahead");
                let lite = regex_lite::Regex::new(&rewritten).expect("regex-lite compiles it");
                proptest::prop_assert_eq!(
                    lite.is_match(&value),
                    ecma.find(&value).is_some(),
                    "{} as {} on {:?}", source, rewritten, value
                );
            }
        }
    }
}
