//! The exact wording users see, pinned with insta. Inputs are built with the check functions
//! directly, the way generated code would.

use redshift_serverless_constraints::*;

static WORKGROUP_NAME: Pattern = Pattern::new("^[a-z0-9-]+$");
// The Smithy shape name, as the generated `Validate` impl reports it.
const SHAPE: &str = "GetIdentityCenterAuthTokenRequest";

fn names_at(out: &mut Violations, names: &[&str]) {
    let mut path = Path::new();
    path.push_member("workgroupNames");
    check_collection_length(&path, names.len(), Some(1), Some(20), out);
    for (i, name) in names.iter().enumerate() {
        path.push_index(i);
        check_string_length(&path, name, Some(3), Some(64), false, out);
        check_pattern(&path, name, &WORKGROUP_NAME, false, out);
        path.pop();
    }
    path.pop();
}

#[test]
fn one_violation() {
    let mut out = Violations::new();
    names_at(&mut out, &["analytics", "reporting", "Analytics_WG"]);
    let error = out.into_result(SHAPE).unwrap_err();
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn several_violations() {
    let mut names: Vec<String> = (0..21).map(|i| format!("wg-{i}")).collect();
    names[3] = "Analytics_WG".into();
    names[5] = "ab".into();
    // 65 characters but 130 bytes: too long by characters, not just by bytes.
    names[7] = "é".repeat(65);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut out = Violations::new();
    names_at(&mut out, &names);
    let error = out.into_result(SHAPE).unwrap_err();
    assert_eq!(error.len(), 5);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn sensitive_member() {
    let mut out = Violations::new();
    let mut path = Path::new();
    path.push_member("clientSecret");
    check_string_length(&path, "abc", Some(8), Some(128), true, &mut out);
    check_pattern(&path, "abc", &Pattern::new("^[A-Z]"), true, &mut out);
    path.pop();
    path.push_member("tags");
    path.push_key("owner");
    check_enum(&path, "abc", &["team-a", "team-b"], true, &mut out);
    let error = out.into_result("ConnectInput").unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("abc"));
    insta::assert_snapshot!(text);
}
