//! Rust identifiers computed from Smithy names, in one place.
//!
//! Every name the emitters print is computed here once, during lowering, and stored bare (a
//! keyword stays `type`) next to the Smithy name and the wire name. Escaping happens only
//! where a name is printed as an identifier ([`escape`], through `emit::ident`), so derived
//! names (`set_type`, `is_type`, `TypeBuilder`) are built from the bare name and casing and
//! keyword rules cannot drift between the types, protocol and client crates.

/// Words that cannot be plain Rust identifiers (2021 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Splits a Smithy name (or an enum value) into lower-case words at case and digit
/// boundaries and at any character that is not a letter or digit:
/// `GetIdentityCenterAuthToken` -> get/identity/center/auth/token, `HTTPStatus` -> http/status,
/// `ec2Instance` -> ec2/instance.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        // Any other character separates words (`application/json`, `t2.micro`, `a:b`).
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // A new word starts at an upper-case letter after a lower-case letter or digit,
            // or at the last capital of an acronym followed by lower case (`HTTPStatus`).
            if prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next_is_lower)
            {
                out.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `snake_case` for fields, functions and modules, bare (see [`escape`]).
pub fn snake(name: &str) -> String {
    start_with_letter(words(name).join("_"))
}

/// `UpperCamelCase` for types and variants, bare (see [`escape`]).
pub fn upper_camel(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    start_with_letter(joined)
}

/// Structure member names that would collide with a method every builder or fluent builder
/// has (`build`, `send`, ...), and what the member is called instead: smithy-rs's
/// `ClientReservedWords`, so the field, accessor and setters are named as in the official
/// crates (`build_value`, `set_build_value`).
const RESERVED_MEMBERS: &[(&str, &str)] = &[
    ("build", "build_value"),
    ("builder", "builder_value"),
    ("default", "default_value"),
    ("send", "send_value"),
    ("make_operation", "make_operation_value"),
    ("presigned", "presigned_value"),
    ("customize", "customize_value"),
    ("meta", "meta_value"),
];

/// Enum and union variant names that would collide with the `Unknown` variant every
/// generated enum and union has, renamed as smithy-rs renames them.
const RESERVED_VARIANTS: &[(&str, &str)] = &[
    ("Unknown", "UnknownValue"),
    ("UnknownValue", "UnknownValue_"),
];

fn rename(table: &[(&str, &str)], name: String) -> String {
    match table.iter().find(|(from, _)| *from == name) {
        Some((_, to)) => (*to).to_owned(),
        None => name,
    }
}

/// The field name of a structure member: [`snake`], then renamed if it is reserved.
pub fn structure_member(name: &str) -> String {
    rename(RESERVED_MEMBERS, snake(name))
}

/// The name of an enum, intEnum or union variant: [`upper_camel`], then renamed if it would
/// be taken for the `Unknown` variant.
pub fn variant(name: &str) -> String {
    rename(RESERVED_VARIANTS, upper_camel(name))
}

/// `SCREAMING_SNAKE_CASE` for statics.
pub fn screaming_snake(name: &str) -> String {
    words(name).join("_").to_uppercase()
}

/// A name that can start an identifier: `_2fa` for `2fa`, `_` for nothing.
fn start_with_letter(name: String) -> String {
    if name.is_empty() {
        return "_".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    name
}

/// How a bare name is printed as an identifier: `r#type`, `self_`, or unchanged.
pub fn escape(bare: &str) -> String {
    if NOT_RAW.contains(&bare) {
        return format!("{bare}_");
    }
    if KEYWORDS.contains(&bare) {
        return format!("r#{bare}");
    }
    bare.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_member_and_variant_names_are_renamed_as_smithy_rs_renames_them() {
        assert_eq!(structure_member("Build"), "build_value");
        assert_eq!(structure_member("send"), "send_value");
        assert_eq!(structure_member("Meta"), "meta_value");
        assert_eq!(structure_member("BuildId"), "build_id");
        assert_eq!(variant("UNKNOWN"), "UnknownValue");
        assert_eq!(variant("unknown"), "UnknownValue");
        assert_eq!(variant("UnknownValue"), "UnknownValue_");
        assert_eq!(variant("UNKNOWN_VALUE"), "UnknownValue_");
        assert_eq!(variant("UnknownError"), "UnknownError");
    }

    /// Checks the printed (escaped) names.
    fn check(name: &str, snake_expect: &str, camel_expect: &str) {
        assert_eq!(escape(&snake(name)), snake_expect, "snake of {name}");
        assert_eq!(
            escape(&upper_camel(name)),
            camel_expect,
            "upper camel of {name}"
        );
    }

    #[test]
    fn casing() {
        check(
            "GetIdentityCenterAuthToken",
            "get_identity_center_auth_token",
            "GetIdentityCenterAuthToken",
        );
        check("workgroupNames", "workgroup_names", "WorkgroupNames");
        check("expirationTime", "expiration_time", "ExpirationTime");
        check("HTTPStatusCode", "http_status_code", "HttpStatusCode");
        check("ec2Instance", "ec2_instance", "Ec2Instance");
        check("ARN", "arn", "Arn");
        check("UseFIPS", "use_fips", "UseFips");
        check("UseDualStack", "use_dual_stack", "UseDualStack");
        check("resource_name", "resource_name", "ResourceName");
        check(
            "AmazonResourceName",
            "amazon_resource_name",
            "AmazonResourceName",
        );
    }

    #[test]
    fn keywords_are_escaped() {
        check("type", "r#type", "Type");
        check("self", "self_", "Self_");
        check("Self", "self_", "Self_");
        check("crate", "crate_", "Crate");
        check("match", "r#match", "Match");
        check("async", "r#async", "Async");
        // Stored bare, so derived names need no unescaping.
        assert_eq!(snake("type"), "type");
        assert_eq!(upper_camel("self"), "Self");
    }

    #[test]
    fn leading_digits_and_empty() {
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake(""), "_");
        assert_eq!(screaming_snake("WorkgroupName"), "WORKGROUP_NAME");
    }
}
