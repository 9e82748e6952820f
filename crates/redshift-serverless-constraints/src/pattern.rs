//! `@pattern` expressions: compiled once, on first use, with a fast path for the common shape.

use std::fmt;
use std::sync::OnceLock;

/// A Smithy `@pattern` expression that can live in a `static`.
///
/// Smithy patterns follow ECMA-262 and are **not** implicitly anchored: `[a-z]` accepts any
/// string containing a lowercase letter. [`Pattern::is_match`] therefore searches, and only
/// `^`/`$` in the expression pin it to the ends.
///
/// The expression is compiled at most once per process, when it is first used. An expression
/// in the subset where `regex-lite` reads it exactly as ECMA-262 does (no `.`, no `\s`, no
/// look-around, no POSIX or nested classes, ...: see the `dialect` module) goes to `regex-lite`,
/// as does one whose only look-arounds constrain the next character
/// (`(?!-)[a-z0-9-]{0,62}[a-z0-9]`), rewritten as classes; patterns of the form `^[class]+$`, `^[class]*$`, `^[class]?$` or `^[class]{m,n}$` (also
/// `{m}` and `{m,}`) whose class holds only ASCII literals, ASCII ranges, `\d` and `\w` are
/// answered from a 128-bit ASCII table instead: any non-ASCII character fails an ASCII-only
/// class under both ECMA-262 and `regex-lite`.
///
/// Every other expression goes to `regress`, an ECMA-262 engine, when the `ecma262` feature
/// is on, in `u` mode after rewriting the few Java forms published models use (`(?i)`,
/// `${1,128}`, `[\p{L}-_]`); without the feature it is a [`PatternError`]. So client-side
/// validation never refuses a value because an engine reads the expression in another
/// dialect. [`engine_for`] tells which engine an expression needs, so a code generator turns
/// the feature on only for the models that need it.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Matcher, PatternError>>,
}

enum Matcher {
    Ascii(AsciiRun),
    Regex(regex_lite::Regex),
    #[cfg(feature = "ecma262")]
    Ecma262(regress::Regex),
}

/// The engine that evaluates a `@pattern` expression (see [`engine_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// `regex-lite` (or the ASCII table): always available.
    RegexLite,
    /// `regress`, for ECMA-262 syntax `regex-lite` lacks: needs the `ecma262` feature.
    Ecma262,
}

/// Which engine `source` needs: `regex-lite` when the expression lies in the subset where
/// `regex-lite` reads it as ECMA-262 does (see the `dialect` module) and it compiles there;
/// else the ECMA-262 engine when that compiles it; `Err` with the engines' complaints when
/// neither does. A code generator calls this to turn the `ecma262` feature on for the crates
/// whose model needs it, and to reject a pattern nothing can evaluate.
#[cfg(feature = "ecma262")]
pub fn engine_for(source: &str) -> Result<Engine, String> {
    let lite = match lite_regex(source) {
        Ok(_) => return Ok(Engine::RegexLite),
        Err(lite) => lite,
    };
    match ecma262_regex(source) {
        Ok(_) => Ok(Engine::Ecma262),
        Err(ecma) => Err(format!("regex-lite: {lite}; ECMA-262 (regress): {ecma}")),
    }
}

/// `regex-lite`'s compiled expression, when it reads `source` as ECMA-262 does: as written, or
/// with its look-aheads of the next character written as classes (see the `dialect` module).
fn lite_regex(source: &str) -> Result<regex_lite::Regex, String> {
    let rewritten;
    let source = if crate::dialect::lite_agrees(source) {
        source
    } else {
        match crate::dialect::lookaheads_as_classes(source) {
            Some(r) if crate::dialect::lite_agrees(&r) => {
                rewritten = r;
                &rewritten
            }
            _ => return Err("reads the expression differently from ECMA-262".to_owned()),
        }
    };
    regex_lite::Regex::new(source).map_err(|e| one_line(&e.to_string()))
}

/// The ECMA-262 engine's compiled expression: `source` rewritten for `u` mode and compiled
/// there, or without `u` when `u` mode refuses it and it has no `\p{…}` (see `dialect`).
#[cfg(feature = "ecma262")]
fn ecma262_regex(source: &str) -> Result<regress::Regex, String> {
    let rewritten = crate::dialect::ecma262_source(source);
    let unicode = match regress::Regex::with_flags(&rewritten, "u") {
        Ok(regex) => return Ok(regex),
        Err(e) => one_line(&e.to_string()),
    };
    if source.contains("\\p{") || source.contains("\\P{") {
        // Without `u`, `\p{L}` would silently mean the letters `p{L}`.
        return Err(unicode);
    }
    regress::Regex::with_flags(&rewritten, "").map_err(|e| one_line(&e.to_string()))
}

impl Pattern {
    /// Wraps an expression without compiling it.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Wraps an expression that only the ECMA-262 engine compiles ([`engine_for`] says
    /// [`Engine::Ecma262`]). The same as [`Pattern::new`], but it exists only with the
    /// `ecma262` feature, so generated code that needs the engine does not compile without it.
    #[cfg(feature = "ecma262")]
    pub const fn ecma262(source: &'static str) -> Self {
        Self::new(source)
    }

    /// The expression as written in the model.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn matcher(&self) -> &Result<Matcher, PatternError> {
        self.compiled.get_or_init(|| match lite_regex(self.source) {
            // The fast path answers only where the engine has compiled the expression, so an
            // expression that the engine rejects is rejected either way.
            Ok(regex) => Ok(match AsciiRun::parse(self.source) {
                Some(run) => Matcher::Ascii(run),
                None => Matcher::Regex(regex),
            }),
            Err(lite) => self.ecma262_matcher(lite),
        })
    }

    /// The ECMA-262 engine's matcher for an expression `regex-lite` cannot take (`lite` says
    /// why).
    #[cfg(feature = "ecma262")]
    fn ecma262_matcher(&self, lite: String) -> Result<Matcher, PatternError> {
        ecma262_regex(self.source)
            .map(Matcher::Ecma262)
            .map_err(|ecma| PatternError {
                pattern: self.source,
                message: format!("regex-lite: {lite}; ECMA-262 (regress): {ecma}"),
            })
    }

    /// Without the `ecma262` feature, what `regex-lite` refuses is an error.
    #[cfg(not(feature = "ecma262"))]
    fn ecma262_matcher(&self, lite: String) -> Result<Matcher, PatternError> {
        Err(PatternError {
            pattern: self.source,
            message: format!(
                "{lite} (an ECMA-262 expression regex-lite lacks needs the `ecma262` feature of redshift-serverless-constraints)"
            ),
        })
    }

    /// Compiles the expression now (if not yet done) and reports whether it is usable.
    ///
    /// Code generators and their tests can call this to reject a model whose patterns this
    /// crate cannot evaluate, instead of discovering it on a request.
    pub fn compile(&self) -> Result<(), PatternError> {
        match self.matcher() {
            Ok(_) => Ok(()),
            Err(error) => Err(error.clone()),
        }
    }

    /// Whether `value` contains a match; `Err` if the expression cannot be compiled.
    pub fn try_is_match(&self, value: &str) -> Result<bool, &PatternError> {
        match self.matcher() {
            Ok(Matcher::Ascii(run)) => Ok(run.is_match(value)),
            Ok(Matcher::Regex(regex)) => Ok(regex.is_match(value)),
            #[cfg(feature = "ecma262")]
            Ok(Matcher::Ecma262(regex)) => Ok(regex.find(value).is_some()),
            Err(error) => Err(error),
        }
    }

    /// Whether `value` contains a match. An expression that cannot be compiled matches
    /// nothing; [`check_pattern`](crate::check_pattern) reports that case separately.
    pub fn is_match(&self, value: &str) -> bool {
        self.try_is_match(value).unwrap_or(false)
    }

    /// Whether the ASCII table answers for this pattern instead of the regex engine. Exposed
    /// so tests can prove which path they exercise.
    pub fn uses_fast_path(&self) -> bool {
        matches!(self.matcher(), Ok(Matcher::Ascii(_)))
    }

    /// Which engine evaluates this pattern, or `None` if it cannot be compiled.
    pub fn engine(&self) -> Option<Engine> {
        match self.matcher() {
            Ok(Matcher::Ascii(_) | Matcher::Regex(_)) => Some(Engine::RegexLite),
            #[cfg(feature = "ecma262")]
            Ok(Matcher::Ecma262(_)) => Some(Engine::Ecma262),
            Err(_) => None,
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("source", &self.source)
            .field("compiled", &self.compiled.get().map(|c| c.is_ok()))
            .finish()
    }
}

/// A `@pattern` expression that cannot be compiled: `regex-lite` refused it and, with the
/// `ecma262` feature, so did the ECMA-262 engine (without the feature, look-around and
/// back-references, which ECMA-262 allows and `regex-lite` lacks, end here too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pattern: &'static str,
    message: String,
}

impl PatternError {
    /// The offending expression.
    pub fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// The compiler's complaint, on one line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid pattern {}: {}", self.pattern, self.message)
    }
}

impl std::error::Error for PatternError {}

/// Collapses whitespace runs (including newlines) so the error fits in a one-line violation.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `^[class]{min,max}$` over ASCII: a membership table plus length bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AsciiRun {
    class: u128,
    min: usize,
    max: Option<usize>,
}

/// Punctuation that may be escaped inside a class and means itself in both dialects.
const ESCAPABLE: &[u8] = br"\]\[-.^$*+?(){}|/";

const DIGITS: u128 = ((1u128 << 10) - 1) << b'0';
const UPPER: u128 = ((1u128 << 26) - 1) << b'A';
const LOWER: u128 = ((1u128 << 26) - 1) << b'a';
const WORD: u128 = DIGITS | UPPER | LOWER | (1u128 << b'_');

/// The largest repetition bound the fast path accepts; larger ones are left to the engine.
const MAX_REPEAT: usize = 100_000;

impl AsciiRun {
    fn is_match(&self, value: &str) -> bool {
        // Any non-ASCII character fails the class, so byte length equals character length
        // whenever the verdict could be a match.
        let len = value.len();
        if len < self.min || self.max.is_some_and(|max| len > max) {
            return false;
        }
        value.bytes().all(|b| b < 128 && (self.class >> b) & 1 == 1)
    }

    /// Recognises the fast-path shape, or `None` for anything that needs the real engine.
    /// Deliberately conservative: any construct whose meaning could differ between ECMA-262
    /// and `regex-lite` (negation, a leading `]`, `&&`/`--`/`~~`, nested classes, unusual
    /// escapes) is declined.
    fn parse(source: &str) -> Option<Self> {
        let bytes = source.strip_prefix("^[")?.as_bytes();
        let mut class = 0u128;
        let mut i = 0;
        // The previous item, if it was a single character that could start a range.
        let mut range_start: Option<u8> = None;
        loop {
            let b = *bytes.get(i)?;
            match b {
                b']' if i > 0 => {
                    i += 1;
                    break;
                }
                b']' | b'^' if i == 0 => return None,
                b'-' => {
                    let next = *bytes.get(i + 1)?;
                    if i == 0 || next == b']' {
                        if next == b'-' {
                            return None;
                        }
                        class |= 1 << b'-';
                        range_start = None;
                        i += 1;
                    } else {
                        let lo = range_start.take()?;
                        let (hi, used) = single(bytes, i + 1)?;
                        if hi < lo {
                            return None;
                        }
                        for c in lo..=hi {
                            class |= 1 << c;
                        }
                        i += 1 + used;
                    }
                }
                b'\\' if matches!(bytes.get(i + 1), Some(b'd' | b'w')) => {
                    class |= if bytes.get(i + 1) == Some(&b'd') {
                        DIGITS
                    } else {
                        WORD
                    };
                    range_start = None;
                    i += 2;
                }
                _ => {
                    let (c, used) = single(bytes, i)?;
                    class |= 1 << c;
                    range_start = Some(c);
                    i += used;
                }
            }
        }
        let (min, max) = quantifier(bytes.get(i..)?)?;
        Some(Self { class, min, max })
    }
}

/// A literal class member at `bytes[i]`: a printable ASCII character or an escaped
/// punctuation character. Returns the character and how many bytes it took.
fn single(bytes: &[u8], i: usize) -> Option<(u8, usize)> {
    match *bytes.get(i)? {
        b'\\' => {
            let c = *bytes.get(i + 1)?;
            ESCAPABLE.contains(&c).then_some((c, 2))
        }
        b'[' | b']' | b'-' | b'&' | b'~' | b'^' => None,
        c @ b' '..=b'~' => Some((c, 1)),
        _ => None,
    }
}

/// The quantifier and closing `$` after the class.
fn quantifier(rest: &[u8]) -> Option<(usize, Option<usize>)> {
    match rest {
        b"+$" => Some((1, None)),
        b"*$" => Some((0, None)),
        b"?$" => Some((0, Some(1))),
        [b'{', inner @ .., b'}', b'$'] => {
            let inner = std::str::from_utf8(inner).ok()?;
            let (min, max) = match inner.split_once(',') {
                None => {
                    let n = number(inner)?;
                    (n, Some(n))
                }
                Some((min, "")) => (number(min)?, None),
                Some((min, max)) => (number(min)?, Some(number(max)?)),
            };
            if max.is_some_and(|max| max < min) {
                return None;
            }
            Some((min, max))
        }
        _ => None,
    }
}

fn number(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&n| n <= MAX_REPEAT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> Option<AsciiRun> {
        AsciiRun::parse(source)
    }

    #[test]
    fn recognises_common_shapes() {
        let r = run("^[a-z0-9-]+$").unwrap();
        assert_eq!((r.min, r.max), (1, None));
        assert!(r.is_match("abc-123"));
        assert!(!r.is_match("ABC"));
        assert!(!r.is_match(""));
        let r = run("^[A-Za-z_.]{3,64}$").unwrap();
        assert_eq!((r.min, r.max), (3, Some(64)));
        let r = run(r"^[\w\-]*$").unwrap();
        assert!(r.is_match(""));
        assert!(r.is_match("a_B-9"));
        assert!(!r.is_match("é"));
        let r = run("^[-a]{2}$").unwrap();
        assert!(r.is_match("-a"));
        assert!(!r.is_match("a"));
        let r = run("^[a-]{1,}$").unwrap();
        assert!(r.is_match("a-a"));
    }

    #[test]
    fn declines_everything_else() {
        for source in [
            "[a-z]+",
            "^[a-z]+",
            "[a-z]+$",
            "^[^a-z]+$",
            "^[]a]+$",
            "^[a-z]+?$",
            "^[a-z]{,3}$",
            "^[a-z]{3,1}$",
            "^[z-a]+$",
            "^[a&&b]+$",
            "^[a--b]+$",
            "^[--a]+$",
            "^[a~~b]+$",
            "^[[:alpha:]]+$",
            r"^[\s]+$",
            r"^[\d-z]+$",
            r"^[a-\d]+$",
            "^[é]+$",
            "^[a-z]+$x",
            "^[a-z]+$$",
            "^[a-z]",
            "^(a|b)+$",
            "^[a-z]{1000000}$",
        ] {
            assert_eq!(run(source), None, "{source} must not take the fast path");
        }
    }
}
