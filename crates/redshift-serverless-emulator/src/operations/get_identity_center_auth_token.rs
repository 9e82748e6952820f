//! `GetIdentityCenterAuthToken`: input checks, workgroup checks, token minting, and the
//! grant the SQL front later checks the token against.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::{check_workgroup_name, not_found, quoted, serialization, type_name, violation};
use crate::error::{ErrorKind, ServiceError};
use crate::lifecycle::State;
use crate::time::{format_rfc3339, LATEST_TIMESTAMP_SECS};
use crate::tokens::Grant;

const MEMBER: &str = "workgroupNames";
const LIST_MIN: usize = 1;
const LIST_MAX: usize = 20;

/// Issues a token for the named workgroups to the caller's Identity Center user.
pub(crate) fn call(
    st: &mut State,
    caller: &str,
    input: &Map<String, Value>,
    now: SystemTime,
) -> Result<Vec<u8>, ServiceError> {
    let names = parse_input(input)?;
    check_workgroups(&names, &st.config.workgroups)?;
    let token = mint_token();
    let body = success_body(&token, now, st.config.token_lifetime);
    let grant = Grant {
        workgroups: names,
        user: st.config.identity_user_of(caller).to_owned(),
        expires: expiration(now, st.config.token_lifetime),
    };
    st.tokens.insert(&token, grant, now);
    Ok(body)
}

/// Validates the input, returning the workgroup names.
pub(crate) fn parse_input(obj: &Map<String, Value>) -> Result<Vec<String>, ServiceError> {
    let mut errors = Vec::new();
    let mut names = Vec::new();
    match obj.get(MEMBER) {
        None | Some(Value::Null) => errors.push(violation("null", MEMBER, "not be null")),
        Some(Value::Array(items)) => {
            let shown: Vec<String> = items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            let shown = quoted(&format!("[{}]", shown.join(", ")));
            if items.len() < LIST_MIN {
                errors.push(violation(
                    &shown,
                    MEMBER,
                    &format!("have length greater than or equal to {LIST_MIN}"),
                ));
            }
            if items.len() > LIST_MAX {
                errors.push(violation(
                    &shown,
                    MEMBER,
                    &format!("have length less than or equal to {LIST_MAX}"),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                let at = format!("{MEMBER}.{}.member", i + 1);
                match item {
                    Value::Null => errors.push(violation("null", &at, "not be null")),
                    Value::String(name) => {
                        check_workgroup_name(name, &at, &mut errors);
                        names.push(name.clone());
                    }
                    _ => {
                        return Err(serialization(format!(
                            "Expected a string at '{at}' but found {}.",
                            type_name(item)
                        )))
                    }
                }
            }
        }
        Some(other) => {
            return Err(serialization(format!(
                "Expected a list at '{MEMBER}' but found {}.",
                type_name(other)
            )))
        }
    }
    super::violations(errors)?;
    Ok(names)
}

/// Checks that every named workgroup exists and has Identity Center enabled.
pub(crate) fn check_workgroups(
    names: &[String],
    workgroups: &BTreeMap<String, bool>,
) -> Result<(), ServiceError> {
    if let Some(missing) = names.iter().find(|n| !workgroups.contains_key(*n)) {
        return Err(not_found(missing));
    }
    if let Some(disabled) = names.iter().find(|n| workgroups.get(*n) == Some(&false)) {
        return Err(ServiceError::new(
            ErrorKind::AccessDeniedException,
            format!(
                "Workgroup {disabled} is not integrated with IAM Identity Center, so no Identity Center token can be issued for it."
            ),
        ));
    }
    Ok(())
}

/// A fresh opaque token: 48 random bytes, hex encoded.
pub(crate) fn mint_token() -> String {
    let mut bytes = [0u8; 48];
    fastrand::fill(&mut bytes);
    hex::encode(bytes)
}

/// The success body. The token is only ever placed here, never logged or recorded.
///
/// `expirationTime` is `now + lifetime`, saturated at the latest instant the timestamp
/// format carries (9999-12-31T23:59:59Z): a lifetime too long for the clock, such as
/// `--token-lifetime-secs 18446744073709551615`, gives that rather than a panic.
pub(crate) fn success_body(token: &str, now: SystemTime, lifetime: Duration) -> Vec<u8> {
    let expires = expiration(now, lifetime);
    let body = serde_json::json!({
        "token": token,
        "expirationTime": format_rfc3339(expires),
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// `now + lifetime`, saturated at 9999-12-31T23:59:59Z.
fn expiration(now: SystemTime, lifetime: Duration) -> SystemTime {
    let latest = UNIX_EPOCH + Duration::from_secs(LATEST_TIMESTAMP_SECS);
    now.checked_add(lifetime).map_or(latest, |t| t.min(latest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Vec<String>, ServiceError> {
        super::super::parse_object(body.as_bytes()).and_then(|obj| parse_input(&obj))
    }

    fn err(body: &str) -> ServiceError {
        parse(body).unwrap_err()
    }

    #[test]
    fn valid_input() {
        assert_eq!(
            parse(r#"{"workgroupNames":["wg-1","abc"],"other":1}"#).unwrap(),
            ["wg-1", "abc"]
        );
    }

    #[test]
    fn constraint_messages() {
        let e = err("{}");
        assert_eq!(e.kind, ErrorKind::ValidationException);
        assert_eq!(e.message, "1 validation error detected: Value null at 'workgroupNames' failed to satisfy constraint: Member must not be null");
        assert!(err("").message.contains("must not be null"));
        assert!(err(r#"{"workgroupNames":[]}"#)
            .message
            .contains("Member must have length greater than or equal to 1"));
        let many: Vec<String> = (0..21).map(|i| format!("\"wg-{i}\"")).collect();
        assert!(err(&format!("{{\"workgroupNames\":[{}]}}", many.join(",")))
            .message
            .contains("Member must have length less than or equal to 20"));
        assert!(err(r#"{"workgroupNames":["ab"]}"#).message.contains(
            "Value 'ab' at 'workgroupNames.1.member' failed to satisfy constraint: Member must have length greater than or equal to 3"
        ));
        let long = "a".repeat(65);
        assert!(err(&format!("{{\"workgroupNames\":[\"{long}\"]}}"))
            .message
            .contains("Member must have length less than or equal to 64"));
        let e = err(r#"{"workgroupNames":["ok-1","Bad_Name"]}"#);
        assert_eq!(e.message, "1 validation error detected: Value 'Bad_Name' at 'workgroupNames.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9-]+$");
        let e = err(r#"{"workgroupNames":["A", null]}"#);
        assert!(
            e.message.starts_with("3 validation errors detected: "),
            "{}",
            e.message
        );
        // 64 multi-byte characters are 64 characters, not 128 bytes (but fail the pattern).
        let e = err(&format!("{{\"workgroupNames\":[\"{}\"]}}", "é".repeat(64)));
        assert!(
            e.message.starts_with("1 validation error detected"),
            "{}",
            e.message
        );
    }

    #[test]
    fn shape_errors_are_serialization_errors() {
        for body in [
            "{",
            "[]",
            "\"x\"",
            r#"{"workgroupNames":"wg"}"#,
            r#"{"workgroupNames":[1]}"#,
        ] {
            assert_eq!(err(body).kind, ErrorKind::SerializationException, "{body}");
        }
    }

    #[test]
    fn workgroup_checks() {
        let wgs = crate::config::default_workgroups();
        let mut wgs2 = wgs.clone();
        wgs2.insert("legacy".into(), false);
        assert!(check_workgroups(&["default".into()], &wgs).is_ok());
        let e = check_workgroups(&["default".into(), "nope".into()], &wgs).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ResourceNotFoundException);
        assert_eq!(e.member("resourceName").unwrap(), "nope");
        let e = check_workgroups(&["legacy".into()], &wgs2).unwrap_err();
        assert_eq!(e.kind, ErrorKind::AccessDeniedException);
        assert_eq!(e.member("code").unwrap(), "AccessDenied");
    }
}
