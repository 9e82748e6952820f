//! How deeply a `--query` expression nests, judged before it is parsed.
//!
//! The `jmespath` crate parses, evaluates and drops an expression by recursion, one or more
//! stack frames per level of its syntax tree, so `!!!!…token` (ten thousand `!`), ten thousand
//! `[` or `(`, or a chain of ten thousand `.a` overflowed the stack and aborted the process.
//! [`nesting`] bounds the depth of the tree from the text alone, in one pass without
//! recursion, and the CLI refuses an expression whose bound exceeds [`MAX_NESTING`] before
//! the parser sees it. The bound counts each operator of a chain (`.`, `|`, `||`, `&&`, `!`,
//! `&`, a comparison, `*`, an index or projection after an expression) and each bracket inside
//! another; a comma or colon starts a new element of a list, hash or argument list. Strings
//! and literals (`"…"`, `'…'`, `` `…` ``) count as one operand.

/// The deepest `--query` accepted, by [`nesting`]. Real queries nest a few levels; the
/// `jmespath` crate handled more than 3 000 levels of every construct on an 8 MiB stack in a
/// debug build, so this leaves a wide margin for smaller stacks.
pub const MAX_NESTING: usize = 100;

#[derive(Debug, Default)]
struct Frame {
    /// Operators in the current element.
    ops: usize,
    /// The deepest bracketed group in the current element.
    operand: usize,
    /// The deepest element so far.
    best: usize,
}

impl Frame {
    fn end_element(&mut self) {
        self.best = self.best.max(self.ops + self.operand.max(1));
        self.ops = 0;
        self.operand = 0;
    }

    /// The depth of the bracketed group this frame was.
    fn close(mut self) -> usize {
        self.end_element();
        self.best + 1
    }
}

/// An upper bound on the depth of `expression`'s syntax tree (and so of the parser's and the
/// interpreter's recursion), from its text. Unbalanced brackets are closed at the end, as
/// the parser would have recursed into them before failing.
pub fn nesting(expression: &str) -> usize {
    let mut stack = vec![Frame::default()];
    // Whether the last token ended an operand, so that `[` or `(` applies to it (an index,
    // a projection, a filter or a call) rather than starting one.
    let mut after_operand = false;
    let mut chars = expression.chars();
    while let Some(c) = chars.next() {
        let top = stack.len() - 1;
        match c {
            '"' | '\'' | '`' => {
                // A string or literal: up to the next unescaped quote of the same kind.
                while let Some(next) = chars.next() {
                    if next == '\\' {
                        chars.next();
                    } else if next == c {
                        break;
                    }
                }
                after_operand = true;
            }
            '[' | '(' | '{' => {
                // Applied to an operand, a bracket is an index, a slice, a projection, a
                // filter or a flatten: up to two nodes (a projection and its own).
                if after_operand && c != '{' {
                    stack[top].ops += 2;
                }
                stack.push(Frame::default());
                after_operand = false;
            }
            ']' | ')' | '}' => {
                if top > 0 {
                    if let Some(group) = stack.pop() {
                        let depth = group.close();
                        let parent = &mut stack[top - 1];
                        parent.operand = parent.operand.max(depth);
                    }
                }
                after_operand = true;
            }
            ',' | ':' => {
                stack[top].end_element();
                after_operand = false;
            }
            '.' | '|' | '&' | '!' | '=' | '<' | '>' | '*' => {
                stack[top].ops += 1;
                after_operand = c == '*';
            }
            c if c.is_whitespace() => {}
            _ => after_operand = true,
        }
    }
    while stack.len() > 1 {
        if let Some(group) = stack.pop() {
            let depth = group.close();
            if let Some(parent) = stack.last_mut() {
                parent.operand = parent.operand.max(depth);
            }
        }
    }
    stack.pop().map_or(0, |root| root.close() - 1)
}

/// The start of `expression`, for messages: at most 40 characters, then `...`.
pub fn prefix(expression: &str) -> String {
    match expression.char_indices().nth(40) {
        Some((cut, _)) => format!("{}...", &expression[..cut]),
        None => expression.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_queries_nest_a_little() {
        let cases: &[(&str, usize)] = &[
            ("token", 1),
            ("", 1),
            ("a.b.c", 3),
            ("a || b", 3),
            ("!token", 2),
            ("[token, expirationTime]", 2),
            ("{t: token, e: expirationTime}", 2),
            ("'a.b.c'", 1),
            ("\"a.b\\\".c\"", 1),
            ("`[[[[1]]]]`", 1),
        ];
        for (query, expected) in cases {
            assert_eq!(nesting(query), *expected, "{query:?}");
        }
    }

    #[test]
    fn the_issues_queries_are_far_over_the_limit() {
        for query in [
            "!".repeat(10_000) + "token",
            "[".repeat(10_000) + "token" + &"]".repeat(10_000),
            "(".repeat(10_000) + "token" + &")".repeat(10_000),
            "{a:".repeat(10_000) + "token" + &"}".repeat(10_000),
            "a.".repeat(10_000) + "a",
            "a|".repeat(10_000) + "a",
            "[".repeat(10_000),
        ] {
            assert!(nesting(&query) >= 10_000, "{}", prefix(&query));
        }
    }

    /// The real depth of a parsed tree, walked without recursion.
    fn tree_depth(ast: &jmespath::ast::Ast) -> usize {
        let mut deepest = 0;
        let mut todo = vec![(ast, 1)];
        while let Some((node, depth)) = todo.pop() {
            deepest = deepest.max(depth);
            let children = crate::jmespath_ext::children(node);
            todo.extend(children.into_iter().map(|c| (c, depth + 1)));
        }
        deepest
    }

    /// Valid expressions of every construct, nested up to a few levels.
    fn expression() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            "[a-z]{1,3}",
            Just("@".to_owned()),
            Just("'raw.[('".to_owned()),
            Just("`[1, {\"a\": 2}]`".to_owned()),
            Just("\"quoted.id\"".to_owned()),
        ];
        leaf.prop_recursive(6, 64, 3, |inner| {
            prop_oneof![
                (inner.clone(), "[a-z]{1,2}").prop_map(|(e, f)| format!("{e}.{f}")),
                inner.clone().prop_map(|e| format!("{e}[0]")),
                inner.clone().prop_map(|e| format!("{e}[1:3]")),
                (inner.clone(), "[a-z]").prop_map(|(e, f)| format!("{e}[*].{f}")),
                inner.clone().prop_map(|e| format!("{e}[]")),
                (inner.clone(), "[a-z]").prop_map(|(e, f)| format!("{e}.*.{f}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[?{b}]")),
                inner.clone().prop_map(|e| format!("!{e}")),
                inner.clone().prop_map(|e| format!("({e})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{{k: {a}, l: {b}}}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} <= {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} != {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max_by({a}, &{b})")),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The bound is a bound: never below the depth of the tree the parser builds.
        #[test]
        fn nesting_bounds_the_parsed_depth(query in expression()) {
            let compiled = jmespath::compile(&query);
            proptest::prop_assert!(compiled.is_ok(), "{query}: {compiled:?}");
            if let Ok(expression) = compiled {
                let real = tree_depth(expression.as_ast());
                let bound = nesting(&query);
                proptest::prop_assert!(real <= bound, "{query}: depth {real}, bound {bound}");
            }
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix("token"), "token");
        assert_eq!(prefix(&"é".repeat(50)), format!("{}...", "é".repeat(40)));
    }
}
