//! The `jmespath` crate as the AWS CLI's jmespath.py behaves, for two things the crate does
//! otherwise; the crate still parses and evaluates every expression.
//!
//! - **Legacy literals.** jmespath.py reads a backtick literal that is not JSON
//!   (`` `running` ``, `` `:` ``) as the JSON string of its text with leading whitespace
//!   trimmed (JEP 12's deprecation period; its `PendingDeprecationWarning` is not shown by
//!   Python, so the AWS CLI prints nothing). The crate refuses it ("Unable to parse literal
//!   JSON"). [`legacy_literals`] rewrites such a literal into the JSON string literal
//!   jmespath.py reads it as (`` `"running"` ``) before the crate parses the expression.
//! - **Key order.** The crate keeps objects in sorted maps, so a multi-select hash
//!   (`{t: token, e: expirationTime}`), a literal object and an object from the data all come
//!   out with their keys sorted; Python keeps insertion order. [`Query::search`] puts each
//!   object of the result back in an order it knows for exactly that set of keys: the order
//!   written in the expression (multi-select hashes first, in the order they are written,
//!   then literal objects), else the order in the data. An object whose set of keys is in
//!   none of them (one built by `merge()`) keeps the crate's sorted order.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// A compiled `--query` and the key orders its result is put back in.
pub struct Query {
    expression: jmespath::Expression<'static>,
    /// Key orders written in the expression, in the order they take precedence.
    written: Vec<Vec<String>>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("expression", &self.expression.as_str())
            .finish_non_exhaustive()
    }
}

impl Query {
    /// Compiles `text`, legacy literals read as jmespath.py reads them. An error is the
    /// crate's for the text as written.
    pub fn compile(text: &str) -> Result<Query, jmespath::JmespathError> {
        let rewritten = legacy_literals(text);
        let expression = match jmespath::compile(&rewritten.text) {
            Ok(expression) => expression,
            // The error as the crate reports it for what the user wrote, when that fails too.
            Err(e) => return Err(jmespath::compile(text).err().unwrap_or(e)),
        };
        let mut written = Vec::new();
        multi_hash_orders(expression.as_ast(), &mut written);
        for literal in &rewritten.objects {
            key_orders(literal, &mut written);
        }
        Ok(Query {
            expression,
            written,
        })
    }

    /// `data` filtered by the expression, each object's keys in the order described in the
    /// module's documentation.
    pub fn search(&self, data: &Value) -> Result<Value, String> {
        let found = self.expression.search(data).map_err(|e| e.to_string())?;
        let mut result = serde_json::to_value(&*found).map_err(|e| e.to_string())?;
        let mut orders = self.written.clone();
        key_orders(data, &mut orders);
        let known = KnownOrders::new(orders);
        known.apply(&mut result);
        Ok(result)
    }
}

/// An expression with its legacy literals rewritten, and the objects its JSON literals hold.
struct Rewritten {
    text: String,
    objects: Vec<Value>,
}

/// `expression` with every backtick literal that is not JSON rewritten as the JSON string
/// jmespath.py reads it as; a literal that is neither is left for the crate to refuse.
/// Strings (`'...'`), quoted identifiers (`"..."`) and literals are scanned as the crate's
/// lexer scans them: a backslash takes the next character with it.
fn legacy_literals(expression: &str) -> Rewritten {
    let mut text = String::with_capacity(expression.len());
    let mut objects = Vec::new();
    let mut chars = expression.chars();
    while let Some(c) = chars.next() {
        if !matches!(c, '\'' | '"' | '`') {
            text.push(c);
            continue;
        }
        let mut body = String::new();
        let mut closed = false;
        while let Some(next) = chars.next() {
            if next == '\\' {
                body.push(next);
                if let Some(escaped) = chars.next() {
                    body.push(escaped);
                }
            } else if next == c {
                closed = true;
                break;
            } else {
                body.push(next);
            }
        }
        if c == '`' && closed {
            let unescaped = body.replace("\\`", "`");
            if let Ok(value) = serde_json::from_str::<Value>(&unescaped) {
                objects.push(value);
            } else if let Ok(string) =
                serde_json::from_str::<String>(&format!("\"{}\"", unescaped.trim_start()))
            {
                // Serialising a string cannot fail; its backticks escaped for the lexer.
                let json = serde_json::to_string(&string).unwrap_or_default();
                body = json.replace('`', "\\`");
            }
        }
        text.push(c);
        text.push_str(&body);
        if closed {
            text.push(c);
        }
    }
    Rewritten { text, objects }
}

/// The key order of every multi-select hash in `ast`, in the order they are written.
fn multi_hash_orders(ast: &jmespath::ast::Ast, out: &mut Vec<Vec<String>>) {
    use jmespath::ast::Ast;
    // Depth first, children in written order, without recursion (an expression may nest up
    // to `query::MAX_NESTING` levels, well within any stack, but the walk needs no stack).
    let mut todo = vec![ast];
    while let Some(node) = todo.pop() {
        if let Ast::MultiHash { elements, .. } = node {
            out.push(elements.iter().map(|kv| kv.key.clone()).collect());
        }
        let children = children(node);
        todo.extend(children.into_iter().rev());
    }
}

/// The nodes `node` holds, in written order.
pub(crate) fn children(node: &jmespath::ast::Ast) -> Vec<&jmespath::ast::Ast> {
    use jmespath::ast::Ast;
    match node {
        Ast::Comparison { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => vec![lhs, rhs],
        Ast::Condition {
            predicate, then, ..
        } => vec![predicate, then],
        Ast::Expref { ast, .. } => vec![ast],
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
            vec![node]
        }
        Ast::Function { args, .. } => args.iter().collect(),
        Ast::MultiList { elements, .. } => elements.iter().collect(),
        Ast::MultiHash { elements, .. } => elements.iter().map(|kv| &kv.value).collect(),
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => vec![],
    }
}

/// The key order of every object in `value`, outer objects first.
fn key_orders(value: &Value, out: &mut Vec<Vec<String>>) {
    let mut todo = vec![value];
    while let Some(value) = todo.pop() {
        match value {
            Value::Object(map) => {
                out.push(map.keys().cloned().collect());
                todo.extend(map.values().rev());
            }
            Value::Array(items) => todo.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// For each set of keys (as a sorted list), the first order seen for it.
struct KnownOrders(HashMap<Vec<String>, Vec<String>>);

impl KnownOrders {
    fn new(orders: Vec<Vec<String>>) -> Self {
        let mut known = HashMap::new();
        for order in orders {
            let mut set = order.clone();
            set.sort();
            set.dedup();
            // A hash that names a key twice has one key fewer: not an order for that set.
            if set.len() == order.len() {
                known.entry(set).or_insert(order);
            }
        }
        KnownOrders(known)
    }

    /// Reorders every object in `value` whose set of keys has a known order.
    fn apply(&self, value: &mut Value) {
        let mut todo = vec![value];
        while let Some(value) = todo.pop() {
            match value {
                Value::Object(map) => {
                    let mut set: Vec<String> = map.keys().cloned().collect();
                    set.sort();
                    if let Some(order) = self.0.get(&set) {
                        let mut old = std::mem::take(map);
                        let mut reordered = Map::with_capacity(old.len());
                        for key in order {
                            if let Some(v) = old.remove(key) {
                                reordered.insert(key.clone(), v);
                            }
                        }
                        *map = reordered;
                    }
                    todo.extend(map.values_mut());
                }
                Value::Array(items) => todo.extend(items.iter_mut()),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(query: &str, data: &Value) -> Value {
        match Query::compile(query) {
            Ok(q) => q.search(data).unwrap_or_else(|e| panic!("{query}: {e}")),
            Err(e) => panic!("{query}: {e}"),
        }
    }

    /// jmespath.py's reading of each literal (`jmespath.search(q, {})` in Python 3).
    #[test]
    fn legacy_literals_are_strings_as_in_jmespath_py() {
        let data = json!({"State": "running", "n": 3});
        for (query, expected) in [
            ("`running`", json!("running")),
            ("`  padded`", json!("padded")),
            ("`trailing  `", json!("trailing  ")),
            ("`:`", json!(":")),
            ("join(`:`, [`a`,`b`])", json!("a:b")),
            ("State == `running`", json!(true)),
            ("[?@ == `running`]", json!(null)),
            ("`a\\`b`", json!("a`b")),
            ("`a\\u0041`", json!("aA")),
            ("`it's`", json!("it's")),
            // JSON stays JSON.
            ("`1`", json!(1)),
            ("`\"x\"`", json!("x")),
            ("`[1, \"a\"]`", json!([1, "a"])),
            ("`true`", json!(true)),
            ("`null`", json!(null)),
            // Backticks inside strings and quoted identifiers are not literals.
            ("'a`b'", json!("a`b")),
            ("join(`-`, ['`x`', `y`])", json!("`x`-y")),
        ] {
            assert_eq!(search(query, &data), expected, "{query}");
        }
    }

    #[test]
    fn literals_neither_json_nor_a_string_are_refused_as_written() {
        // `"` inside cannot be a JSON string's content: jmespath.py refuses it too.
        let err = Query::compile("`a\"b`").err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.contains("Unable to parse literal JSON"), "{err}");
        assert!(err.contains("`a\"b`"), "the text as written: {err}");
        // An error elsewhere is reported on the text as written, not the rewritten one.
        let err = Query::compile("join(`:`, [`a`,`b`]")
            .err()
            .map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("join(`:`, [`a`,`b`]"));
    }

    #[test]
    fn hashes_and_literal_objects_keep_the_written_order() {
        let data = json!({"token": "t", "expirationTime": "e", "z": {"b": 1, "a": 2}});
        let text = |v: Value| v.to_string();
        assert_eq!(
            text(search("{t: token, e: expirationTime}", &data)),
            r#"{"t":"t","e":"e"}"#
        );
        assert_eq!(
            text(search("[{z: token, a: expirationTime}]", &data)),
            r#"[{"z":"t","a":"e"}]"#
        );
        assert_eq!(
            text(search("{outer: {y: token, x: token}, b: z}", &data)),
            r#"{"outer":{"y":"t","x":"t"},"b":{"b":1,"a":2}}"#
        );
        assert_eq!(
            text(search("`{\"b\": 1, \"a\": 2}`", &data)),
            r#"{"b":1,"a":2}"#
        );
        // An object from the data keeps the data's order.
        assert_eq!(text(search("z", &data)), r#"{"b":1,"a":2}"#);
        assert_eq!(text(search("@", &data)), data.to_string());
        // merge() builds a set of keys nobody wrote: sorted, as the crate gives it.
        assert_eq!(
            text(search("merge(z, `{\"c\": 3}`)", &data)),
            r#"{"a":2,"b":1,"c":3}"#
        );
    }

    fn key() -> impl proptest::strategy::Strategy<Value = String> {
        "[a-z][a-z0-9]{0,5}"
    }

    proptest::proptest! {
        /// Whatever keys a multi-select hash names, in whatever order, and whatever the data
        /// holds, the result has them in the written order.
        #[test]
        fn a_hash_keeps_its_written_order(
            keys in proptest::collection::vec(key(), 1..8),
            data in proptest::collection::btree_map(key(), 0u32..5, 0..8),
        ) {
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            proptest::prop_assume!(unique.len() == keys.len());
            let fields: Vec<String> = data.keys().cloned().collect();
            let pairs: Vec<String> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let field = fields.get(i % fields.len().max(1)).cloned().unwrap_or_else(|| "x".into());
                    format!("{k}: {field}")
                })
                .collect();
            let query = format!("{{{}}}", pairs.join(", "));
            let data = serde_json::to_value(&data).unwrap_or_default();
            let result = Query::compile(&query).map_err(|e| e.to_string()).and_then(|q| q.search(&data));
            proptest::prop_assert!(result.is_ok(), "{query}: {result:?}");
            if let Ok(Value::Object(map)) = result {
                let got: Vec<&String> = map.keys().collect();
                let expected: Vec<&String> = keys.iter().collect();
                proptest::prop_assert_eq!(got, expected, "{}", query);
            }
        }

        /// A legacy literal of any text without `"`, `\` or `` ` `` reads as that text,
        /// leading whitespace trimmed, unless the text is JSON.
        #[test]
        fn a_legacy_literal_reads_as_its_text(body in "[^\"\\\\`\\x00-\\x1f]{0,12}") {
            let query = format!("`{body}`");
            let result = Query::compile(&query).map_err(|e| e.to_string()).and_then(|q| q.search(&json!({})));
            let expected = serde_json::from_str::<Value>(&body)
                .unwrap_or_else(|_| Value::String(body.trim_start().to_owned()));
            proptest::prop_assert_eq!(result, Ok(expected), "{}", query);
        }
    }
}
