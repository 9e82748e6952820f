//! The generator's boundaries: lowering (snapshot of the semantic model, errors for bad
//! models) and emission (snapshots of small fragments, determinism).

use std::fmt::Write;

use redshift_serverless_codegen::model::{Model, ShapeKind, StructureRole};
use serde_json::Value;

const MODEL: &str = include_str!("../../model/redshift-serverless.json");
const PARTITIONS: &str = include_str!("../../model/partitions.json");

/// A compact, reviewable rendering of the lowered model.
fn render(model: &Model) -> String {
    let mut out = String::new();
    let s = &model.service;
    writeln!(
        out,
        "service {} v{} sdkId={:?} prefix={} signing={} target={} protocol={:?}",
        s.id, s.version, s.sdk_id, s.endpoint_prefix, s.signing_name, s.target_prefix, s.protocol
    )
    .unwrap();
    let params: Vec<String> = s
        .rules
        .parameters
        .iter()
        .map(|p| {
            format!(
                "{}:{:?}{}",
                p.name,
                p.ty,
                if p.always_set() { "=default" } else { "" }
            )
        })
        .collect();
    writeln!(
        out,
        "  endpoint params [{}], {} top-level rules, {} endpoint tests",
        params.join(", "),
        s.rules.rules.len(),
        s.endpoint_tests.len()
    )
    .unwrap();
    for op in &model.operations {
        writeln!(
            out,
            "operation {} (rust {} / {}) input={} output={} idempotent={}",
            op.id, op.names.rust_type, op.names.snake, op.input.name, op.output.name, op.idempotent
        )
        .unwrap();
        writeln!(
            out,
            "  errors: {}",
            op.errors
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .unwrap();
        writeln!(
            out,
            "  tests: {} request, {} response, {} unhandled-error",
            op.request_tests.len(),
            op.response_tests.len(),
            op.unhandled_error_tests.len()
        )
        .unwrap();
    }
    for shape in model.shapes.values() {
        let kind = match &shape.kind {
            ShapeKind::Structure(st) => match &st.role {
                StructureRole::Error(e) => format!(
                    "structure error({:?}, {}, retryable={:?}) [{} tests]",
                    e.fault,
                    e.http_status,
                    e.retryable.map(|r| r.throttling),
                    st.error_tests.len()
                ),
                role => format!("structure {role:?}"),
            },
            ShapeKind::List {
                member,
                unique_items,
            } => format!("list of {} unique={unique_items}", member.name),
            ShapeKind::Map { key, value } => format!("map {} -> {}", key.name, value.name),
            ShapeKind::Timestamp(f) => format!("timestamp {f:?}"),
            other => format!("{other:?}").to_lowercase(),
        };
        let mut flags = String::new();
        if shape.sensitive {
            flags.push_str(" sensitive");
        }
        if !shape.constraints.is_empty() {
            write!(flags, " {:?}", shape.constraints).unwrap();
        }
        writeln!(
            out,
            "shape {} = {} (rust {}){}",
            shape.id, kind, shape.names.rust_type, flags
        )
        .unwrap();
        if let ShapeKind::Structure(st) = &shape.kind {
            for m in &st.members {
                writeln!(
                    out,
                    "  .{} -> field {} wire {:?} jsonName {:?} target {}{}{}{}",
                    m.name,
                    m.field,
                    m.wire_name,
                    m.json_name,
                    m.target.name,
                    if m.required { " required" } else { "" },
                    m.timestamp_format
                        .map(|f| format!(" format {f:?}"))
                        .unwrap_or_default(),
                    if m.constraints.is_empty() {
                        String::new()
                    } else {
                        format!(" {:?}", m.constraints)
                    },
                )
                .unwrap();
            }
        }
    }
    out
}

#[test]
fn lowered_model() {
    let model = redshift_serverless_codegen::lower(MODEL).expect("the model lowers");
    insta::assert_snapshot!(render(&model));
}

fn generated(path_suffix: &str) -> String {
    let files =
        redshift_serverless_codegen::generate(MODEL, PARTITIONS).expect("generation succeeds");
    let (_, text) = files
        .iter()
        .find(|(p, _)| p.ends_with(path_suffix))
        .unwrap_or_else(|| panic!("no generated file ends with {path_suffix}"));
    text.clone()
}

#[test]
fn fragment_constraints() {
    insta::assert_snapshot!(generated("redshift-serverless-types/src/constraints.rs"));
}

#[test]
fn fragment_input_serializer() {
    insta::assert_snapshot!(generated(
        "protocol_serde/shape_get_identity_center_auth_token_input.rs"
    ));
}

#[test]
fn fragment_sensitive_output() {
    let text = generated("/_get_identity_center_auth_token_output.rs");
    // Only the Debug impls: the part that decides what a log line can show.
    let debug: Vec<&str> = text
        .split("impl ::std::fmt::Debug")
        .skip(1)
        .map(|s| s.split("\n}\n").next().unwrap_or(s))
        .collect();
    assert_eq!(debug.len(), 2, "the output and its builder both redact");
    insta::assert_snapshot!(debug.join("\n---\n"));
}

#[test]
fn every_generated_file_starts_with_the_header() {
    let files = redshift_serverless_codegen::generate(MODEL, PARTITIONS).unwrap();
    assert!(files.len() > 30);
    // xtask deletes files that carry the header and the model no longer produces, so the
    // header must open every generated file exactly once, and generated files must live
    // only where no handwritten file carries it: the generated crates' src/ and the two
    // generated test files.
    let generated_tests = [
        "crates/redshift-serverless-protocol/tests/protocol_tests.rs",
        "crates/redshift-serverless-client/tests/endpoint_tests.rs",
    ];
    let header = redshift_serverless_codegen::emit::HEADER;
    for (path, text) in &files {
        assert!(text.starts_with(header), "{path}");
        assert_eq!(text.matches(header).count(), 1, "{path}");
        let in_generated_src = ["types", "protocol", "client"]
            .iter()
            .any(|c| path.starts_with(&format!("crates/redshift-serverless-{c}/src/")));
        assert!(
            in_generated_src || generated_tests.contains(&path.as_str()),
            "{path} is outside the generated crates' src/ and the generated test files"
        );
    }
    for path in generated_tests {
        assert!(files.contains_key(path), "{path} is generated");
    }
}

#[test]
fn generation_is_deterministic() {
    let a = redshift_serverless_codegen::generate(MODEL, PARTITIONS).unwrap();
    let b = redshift_serverless_codegen::generate(MODEL, PARTITIONS).unwrap();
    assert_eq!(a, b);
}

#[test]
fn json_name_is_kept_but_not_used_on_the_wire() {
    let model = redshift_serverless_codegen::lower(MODEL).unwrap();
    let output = model.structure(&model.operations[0].output);
    for m in &output.members {
        assert!(
            m.json_name.is_some(),
            "{} carries @jsonName in the model",
            m.name
        );
        assert_eq!(m.wire_name, m.name, "awsJson1_1 ignores @jsonName");
    }
}

// ---- bad models: one `check` per case, each naming the shape and the problem ----

/// Applies `edit` to the model, lowers it, and checks the error message contains `expect`.
fn check(edit: impl FnOnce(&mut Value), expect: &str) {
    let mut v: Value = serde_json::from_str(MODEL).unwrap();
    edit(&mut v);
    let err = redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS)
        .expect_err("the edit must be rejected");
    let msg = err.to_string();
    assert!(msg.contains(expect), "expected {expect:?} in: {msg}");
}

fn shape<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    v.pointer_mut(&format!("/shapes/com.amazonaws.redshiftserverless#{name}"))
        .unwrap_or_else(|| panic!("no shape {name}"))
}

#[test]
fn dangling_target_names_the_member() {
    check(
        |v| shape(v, "GetIdentityCenterAuthTokenRequest")["members"]["workgroupNames"]["target"] = "com.amazonaws.redshiftserverless#Nope".into(),
        "com.amazonaws.redshiftserverless#GetIdentityCenterAuthTokenRequest$workgroupNames: targets com.amazonaws.redshiftserverless#Nope, which is not defined",
    );
}

#[test]
fn unsupported_shape_type_is_named() {
    check(
        |v| shape(v, "WorkgroupName")["type"] = "document".into(),
        "com.amazonaws.redshiftserverless#WorkgroupName: shape type \"document\" is not supported",
    );
    check(
        |v| shape(v, "WorkgroupNameList")["type"] = "set".into(),
        "WorkgroupNameList: shape type \"set",
    );
}

#[test]
fn unsupported_trait_is_named() {
    check(
        |v| {
            shape(v, "GetIdentityCenterAuthToken")["traits"]["smithy.api#paginated"] = serde_json::json!({});
        },
        "com.amazonaws.redshiftserverless#GetIdentityCenterAuthToken: trait smithy.api#paginated is not supported",
    );
    check(
        |v| {
            shape(v, "GetIdentityCenterAuthTokenResponse")["members"]["token"]["traits"]
                ["smithy.api#httpHeader"] = "x-token".into();
        },
        "GetIdentityCenterAuthTokenResponse$token: trait smithy.api#httpHeader is not supported",
    );
}

#[test]
fn bad_trait_values_are_named() {
    check(|v| shape(v, "WorkgroupName")["traits"]["smithy.api#length"] = serde_json::json!({"min": 9, "max": 3}), "WorkgroupName: trait smithy.api#length has an unsupported value: min 9 is greater than max 3");
    check(
        |v| shape(v, "ValidationException")["traits"]["smithy.api#httpError"] = 200.into(),
        "ValidationException: trait smithy.api#httpError has an unsupported value",
    );
    check(
        |v| shape(v, "ValidationException")["traits"]["smithy.api#error"] = "nobody".into(),
        "ValidationException: trait smithy.api#error",
    );
    check(
        |v| {
            shape(v, "GetIdentityCenterAuthTokenResponse")["members"]["token"]["traits"]
                ["smithy.api#timestampFormat"] = "date-time".into()
        },
        "applies only to timestamp members",
    );
}

#[test]
fn missing_protocol_is_an_error() {
    check(
        |v| {
            shape(v, "RedshiftServerless")["traits"]
                .as_object_mut()
                .unwrap()
                .remove("aws.protocols#awsJson1_1");
        },
        "no supported protocol trait",
    );
    check(
        |v| {
            shape(v, "RedshiftServerless")["traits"]["aws.protocols#restJson1"] =
                serde_json::json!({});
        },
        "trait aws.protocols#restJson1 is not supported",
    );
}

#[test]
fn structural_errors() {
    check(
        |v| {
            v["shapes"]
                .as_object_mut()
                .unwrap()
                .remove("com.amazonaws.redshiftserverless#RedshiftServerless");
        },
        "expected exactly one service shape, found 0",
    );
    check(
        |v| v["smithy"] = "1.0".into(),
        "unsupported Smithy version \"1.0\"",
    );
    check(
        |v| {
            shape(v, "ValidationException")["traits"]
                .as_object_mut()
                .unwrap()
                .remove("smithy.api#error");
        },
        "trait smithy.api#httpError has an unsupported value: only valid on an @error structure",
    );
    check(
        |v| {
            // A second operation reusing the first one's input and output.
            let op = shape(v, "GetIdentityCenterAuthToken").clone();
            v["shapes"]["com.amazonaws.redshiftserverless#GetIdentityCenterAuthTokenAgain"] = op;
            let service = shape(v, "RedshiftServerless");
            service["operations"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({"target": "com.amazonaws.redshiftserverless#GetIdentityCenterAuthTokenAgain"}));
        },
        "com.amazonaws.redshiftserverless#GetIdentityCenterAuthTokenRequest: an @input or @output structure can belong to one operation only",
    );
}

#[test]
fn unsupported_endpoint_rule_function() {
    check(
        |v| {
            let rules = shape(v, "RedshiftServerless")
                .pointer_mut("/traits/smithy.rules#endpointRuleSet/rules/0/conditions/0")
                .unwrap();
            rules["fn"] = "parseURL".into();
        },
        "rules function \"parseURL\" is not supported",
    );
}

#[test]
fn a_constraint_edit_changes_the_emitted_limit() {
    let mut v: Value = serde_json::from_str(MODEL).unwrap();
    shape(&mut v, "WorkgroupNameList")["traits"]["smithy.api#length"]["max"] = 30.into();
    let files = redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS).unwrap();
    let constraints = files
        .iter()
        .find(|(p, _)| p.ends_with("types/src/constraints.rs"))
        .unwrap()
        .1;
    assert!(
        constraints.contains("Some(30u64)") || constraints.contains("Some(30)"),
        "{constraints}"
    );
    assert!(
        !constraints.contains("Some(20u64)") && !constraints.contains("Some(20)"),
        "{constraints}"
    );
}

#[test]
fn crate_names_come_from_the_sdk_id() {
    use redshift_serverless_codegen::{Crate, Settings};
    for (sdk_id, stem) in [
        ("Redshift Serverless", "redshift-serverless"),
        ("Kitchen Sink", "kitchen-sink"),
        ("DynamoDB", "dynamodb"),
        ("Route 53", "route-53"),
        ("  Odd -- Name! ", "odd-name"),
    ] {
        assert_eq!(Settings::for_sdk_id(sdk_id).crate_stem, stem, "{sdk_id:?}");
    }
    let settings = Settings::for_sdk_id("Redshift Serverless");
    assert_eq!(settings.package(Crate::Types), "redshift-serverless-types");
    assert_eq!(
        settings.lib(Crate::Client).to_string(),
        "redshift_serverless_client"
    );

    // Another service's crates, and every path between them, carry its own names.
    let kitchen_sink = include_str!("fixtures/kitchen-sink.json");
    let files = redshift_serverless_codegen::generate(kitchen_sink, PARTITIONS).unwrap();
    for (path, text) in &files {
        assert!(
            ["types", "protocol", "client"]
                .iter()
                .any(|c| path.starts_with(&format!("crates/kitchen-sink-{c}/"))),
            "{path}"
        );
        assert!(!text.contains("redshift_serverless_types"), "{path}");
        assert!(!text.contains("redshift_serverless_protocol"), "{path}");
        assert!(!text.contains("redshift_serverless_client"), "{path}");
    }
    let protocol = &files["crates/kitchen-sink-protocol/src/echo.rs"];
    assert!(protocol.contains("::kitchen_sink_types::operation::echo::EchoInput"));
}
