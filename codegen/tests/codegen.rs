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
            "operation {} (rust {} / {}) input={} output={}",
            op.id, op.names.rust_type, op.names.snake, op.input.name, op.output.name
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
            shape(v, "GetIdentityCenterAuthToken")["traits"]["smithy.waiters#waitable"] = serde_json::json!({});
        },
        "com.amazonaws.redshiftserverless#GetIdentityCenterAuthToken: trait smithy.waiters#waitable is not supported",
    );
    check(
        |v| {
            shape(v, "GetIdentityCenterAuthTokenResponse")["members"]["token"]["traits"]
                ["smithy.api#eventHeader"] = serde_json::json!({});
        },
        "GetIdentityCenterAuthTokenResponse$token: trait smithy.api#eventHeader is not supported",
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
fn a_pattern_no_engine_compiles_is_named() {
    check(
        |v| shape(v, "WorkgroupName")["traits"]["smithy.api#pattern"] = "^[a-z(+$".into(),
        "com.amazonaws.redshiftserverless#WorkgroupName: trait smithy.api#pattern has an unsupported value: `^[a-z(+$` cannot be compiled by any engine: regex-lite: ",
    );
}

#[test]
fn a_lookaround_pattern_is_generated_for_the_ecma262_engine() {
    let mut v: serde_json::Value = serde_json::from_str(MODEL).expect("the model is JSON");
    shape(&mut v, "WorkgroupName")["traits"]["smithy.api#pattern"] = "^(?!-)[a-z0-9-]+$".into();
    let model = redshift_serverless_codegen::lower(&v.to_string()).expect("lowers");
    assert_eq!(
        model.ecma262_patterns(),
        [(
            "com.amazonaws.redshiftserverless#WorkgroupName".to_owned(),
            "^(?!-)[a-z0-9-]+$".to_owned()
        )]
    );
    let files =
        redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS).expect("generates");
    let constraints = &files["crates/redshift-serverless-types/src/constraints.rs"];
    assert!(
        constraints.contains("Pattern::ecma262(") && constraints.contains(r#""^(?!-)[a-z0-9-]+$""#),
        "{constraints}"
    );
    // The published slice needs only regex-lite, so the main client does without the engine.
    let plain = redshift_serverless_codegen::lower(MODEL).expect("lowers");
    assert!(plain.ecma262_patterns().is_empty());
}

/// A constraint only outputs reach is never checked (clients validate inputs), so it gets no
/// compiled pattern, and a look-around one there does not pull the ECMA-262 engine in.
#[test]
fn a_pattern_only_outputs_reach_generates_nothing() {
    let mut v: serde_json::Value = serde_json::from_str(MODEL).expect("the model is JSON");
    shape(&mut v, "GetIdentityCenterAuthTokenResponse")["members"]["token"]["traits"]
        ["smithy.api#pattern"] = "^(?!-)[a-z0-9-]+$".into();
    let model = redshift_serverless_codegen::lower(&v.to_string()).expect("lowers");
    assert!(model.ecma262_patterns().is_empty());
    let files =
        redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS).expect("generates");
    let constraints = &files["crates/redshift-serverless-types/src/constraints.rs"];
    assert!(!constraints.contains("(?!-)"), "{constraints}");
    assert!(
        constraints.contains("WORKGROUP_NAME_PATTERN"),
        "{constraints}"
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

// ---- the constructs of published models, on the kitchen-sink fixture ----

const KITCHEN_SINK: &str = include_str!("fixtures/kitchen-sink.json");

/// Applies `edit` to the kitchen-sink model and checks generation fails with `expect`.
fn check_kitchen_sink(edit: impl FnOnce(&mut Value), expect: &str) {
    let mut v: Value = serde_json::from_str(KITCHEN_SINK).unwrap();
    edit(&mut v);
    let err = redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS)
        .expect_err("the edit must be rejected");
    let msg = err.to_string();
    assert!(msg.contains(expect), "expected {expect:?} in: {msg}");
}

fn ks<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    v.pointer_mut(&format!("/shapes/com.example.kitchensink#{name}"))
        .unwrap_or_else(|| panic!("no shape {name}"))
}

/// Every construct the generator rejects, with the shape and the trait or rule it names.
#[test]
fn rejected_constructs_name_the_shape_and_trait() {
    use serde_json::json;
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit, &str)] = &[
        (
            "paginated without tokens",
            |v| ks(v, "KitchenSink")["traits"].as_object_mut().unwrap().remove("smithy.api#paginated").map(drop).unwrap(),
            "com.example.kitchensink#ListWidgets: trait smithy.api#paginated has an unsupported value: needs inputToken and outputToken",
        ),
        (
            "paginated inputToken not in the input",
            |v| ks(v, "ListParts")["traits"]["smithy.api#paginated"]["inputToken"] = "cursor".into(),
            "com.example.kitchensink#ListParts: trait smithy.api#paginated has an unsupported value: inputToken \"cursor\": com.example.kitchensink#ListPartsInput has no member \"cursor\"",
        ),
        (
            "paginated outputToken not a string",
            |v| ks(v, "ListParts")["traits"]["smithy.api#paginated"]["outputToken"] = "page.parts".into(),
            "ListParts: trait smithy.api#paginated has an unsupported value: outputToken \"page.parts\" must name a string member",
        ),
        (
            "paginated outputToken through a non-structure",
            |v| ks(v, "ListParts")["traits"]["smithy.api#paginated"]["outputToken"] = "page.next.more".into(),
            "outputToken \"page.next.more\": smithy.api#String is not a structure",
        ),
        (
            "paginated items not a collection",
            |v| ks(v, "ListParts")["traits"]["smithy.api#paginated"]["items"] = "page.next".into(),
            "ListParts: trait smithy.api#paginated has an unsupported value: items \"page.next\" must name a list or map member",
        ),
        (
            "paginated pageSize not an integer",
            |v| ks(v, "ListParts")["traits"]["smithy.api#paginated"]["pageSize"] = "after".into(),
            "ListParts: trait smithy.api#paginated has an unsupported value: pageSize \"after\" must be a top-level integer member of the input",
        ),
        (
            "an empty union",
            |v| ks(v, "Choice")["members"] = json!({}),
            "com.example.kitchensink#Choice: a union needs at least one member",
        ),
        (
            "a required union member",
            |v| ks(v, "Choice")["members"]["label"]["traits"] = json!({"smithy.api#required": {}}),
            "com.example.kitchensink#Choice$label: trait smithy.api#required is not supported",
        ),
        (
            "two union members with one Rust name",
            |v| ks(v, "Choice")["members"]["Label"] = json!({"target": "smithy.api#String"}),
            "com.example.kitchensink#Choice: two enum members map to the Rust variant Label",
        ),
        (
            "@enum that is not a list",
            |v| ks(v, "Size")["traits"]["smithy.api#enum"] = json!({"value": "small"}),
            "com.example.kitchensink#Size: trait smithy.api#enum has an unsupported value: must be a non-empty list",
        ),
        (
            "@enum entry without a value",
            |v| ks(v, "Size")["traits"]["smithy.api#enum"][1] = json!({"name": "BIG"}),
            "Size: trait smithy.api#enum has an unsupported value: entry 1 has no string value",
        ),
        (
            "@enum entries with one Rust name",
            |v| ks(v, "Size")["traits"]["smithy.api#enum"][1]["name"] = "small".into(),
            "com.example.kitchensink#Size: two enum members map to the Rust variant Small",
        ),
        (
            "@enum deprecated not a boolean",
            |v| ks(v, "Size")["traits"]["smithy.api#enum"][2]["deprecated"] = "yes".into(),
            "Size: trait smithy.api#enum has an unsupported value: entry 2: deprecated must be a boolean",
        ),
        (
            "@deprecated message not a string",
            |v| ks(v, "ListParts")["traits"]["smithy.api#deprecated"]["message"] = 3.into(),
            "ListParts: trait smithy.api#deprecated has an unsupported value: message must be a string",
        ),
        (
            "@idempotencyToken on a number",
            |v| ks(v, "CreateWidgetInput")["members"]["clientToken"]["target"] = "smithy.api#Integer".into(),
            "com.example.kitchensink#CreateWidgetInput$clientToken: trait smithy.api#idempotencyToken has an unsupported value: applies only to string members",
        ),
        (
            "an HTTP binding on a list member",
            |v| ks(v, "WidgetList")["member"]["traits"] = json!({"smithy.api#httpHeader": "x"}),
            "com.example.kitchensink#WidgetList$member: trait smithy.api#httpHeader is not supported",
        ),
        (
            "a resource that is not a resource",
            |v| ks(v, "KitchenSink")["resources"] = json!([{"target": "com.example.kitchensink#Item"}]),
            "com.example.kitchensink#Item: listed as a resource of com.example.kitchensink#KitchenSink but is a structure",
        ),
        (
            "an operation bound twice",
            |v| ks(v, "KitchenSink")["operations"].as_array_mut().unwrap().push(json!({"target": "com.example.kitchensink#GetWidget"})),
            "com.example.kitchensink#GetWidget: is bound by both",
        ),
        (
            "a resource bound twice",
            |v| ks(v, "Widget")["resources"].as_array_mut().unwrap().push(json!({"target": "com.example.kitchensink#Part"})),
            "com.example.kitchensink#Part: is bound as a resource more than once",
        ),
        (
            "an unknown trait on a resource",
            |v| ks(v, "Part")["traits"] = json!({"example.made#up": {}}),
            "com.example.kitchensink#Part: trait example.made#up is not supported",
        ),
        (
            "two protocols",
            |v| ks(v, "KitchenSink")["traits"]["aws.protocols#awsJson1_1"] = json!({}),
            "com.example.kitchensink#KitchenSink: has both awsJson1_0 and awsJson1_1",
        ),
        (
            "a service error without @error",
            |v| ks(v, "KitchenSink")["errors"] = json!([{"target": "com.example.kitchensink#Item"}]),
            "com.example.kitchensink#Item: listed as an error but has no @error trait",
        ),
        (
            "required structure members in a cycle",
            |v| ks(v, "Item")["members"]["again"] = json!({"target": "com.example.kitchensink#Item", "traits": {"smithy.api#required": {}}}),
            "com.example.kitchensink#Item: required structure members form a cycle (com.example.kitchensink#Item$again -> com.example.kitchensink#Item)",
        ),
    ];
    for (what, edit, expect) in cases {
        let mut v: Value = serde_json::from_str(KITCHEN_SINK).unwrap();
        edit(&mut v);
        let err =
            redshift_serverless_codegen::generate(&v.to_string(), PARTITIONS).expect_err(what);
        let msg = err.to_string();
        assert!(
            msg.contains(expect),
            "{what}: expected {expect:?} in: {msg}"
        );
    }
    // A recursive structure whose recursion is optional is fine.
    check_kitchen_sink(
        |v| {
            ks(v, "Item")["members"]["again"] = json!({"target": "com.example.kitchensink#Item", "traits": {"smithy.api#jsonName": 1}})
        },
        "jsonName",
    );
}

/// Operations reach the client through every kind of resource binding.
#[test]
fn operations_bound_through_resources_are_generated() {
    let model = redshift_serverless_codegen::lower(KITCHEN_SINK).unwrap();
    let names: Vec<&str> = model
        .operations
        .iter()
        .map(|o| o.id.name.as_str())
        .collect();
    // Echo, Ping and Touch from the service, CreateWidget/GetWidget/ListWidgets from Widget's
    // lifecycle, ListParts from the nested Part's collection operations.
    assert_eq!(
        names,
        [
            "CreateWidget",
            "Echo",
            "GetWidget",
            "ListParts",
            "ListWidgets",
            "Ping",
            "Touch"
        ]
    );
    // The service's errors are every operation's.
    for op in &model.operations {
        assert!(
            op.errors.iter().any(|e| e.name == "Unavailable"),
            "{}",
            op.id
        );
    }
}

/// The published model: all 65 operations lower, and the crates generate.
#[test]
fn the_published_model_generates() {
    let model_json = include_str!("../../model/upstream/redshift-serverless-2021-04-21.json");
    let model = redshift_serverless_codegen::lower(model_json).expect("the published model lowers");
    assert_eq!(model.operations.len(), 65);
    let paginated = model
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .count();
    assert_eq!(paginated, 14);
    let files = redshift_serverless_codegen::generate(model_json, PARTITIONS).unwrap();
    assert!(
        files.contains_key("crates/redshift-serverless-client/src/operation/list_workgroups.rs")
    );
}

fn kitchen_sink_file(path_suffix: &str) -> String {
    let files = redshift_serverless_codegen::generate(KITCHEN_SINK, PARTITIONS).unwrap();
    files
        .iter()
        .find(|(p, _)| p.ends_with(path_suffix))
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| panic!("no generated file ends with {path_suffix}"))
}

#[test]
fn fragment_union_type() {
    insta::assert_snapshot!(kitchen_sink_file("kitchen-sink-types/src/types/_choice.rs"));
}

#[test]
fn fragment_union_serde() {
    insta::assert_snapshot!(kitchen_sink_file("protocol_serde/shape_choice.rs"));
}

#[test]
fn fragment_smithy1_enum() {
    insta::assert_snapshot!(kitchen_sink_file("kitchen-sink-types/src/types/_size.rs"));
}

#[test]
fn fragment_paginator() {
    let text = kitchen_sink_file("kitchen-sink-client/src/operation/list_parts.rs");
    let start = text.find("pub mod paginator").expect("a paginator module");
    let end = text[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    insta::assert_snapshot!(&text[start..end]);
}

#[test]
fn fragment_idempotency_token_and_deprecation() {
    let text = kitchen_sink_file("kitchen-sink-client/src/operation/create_widget.rs");
    let start = text.find("fn prepare").expect("prepare");
    let end = text[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    insta::assert_snapshot!(&text[start..end]);
    let client = kitchen_sink_file("kitchen-sink-client/src/client.rs");
    assert!(
        client.contains(
            "#[deprecated(note = \"Parts are listed with their widget.\")]\n    pub fn list_parts"
        ),
        "{client}"
    );
    let everything = kitchen_sink_file("kitchen-sink-types/src/types/_everything.rs");
    assert!(everything.contains(
        "#[deprecated(note = \"Use text. (deprecated since 2030-02-01)\")]\n    pub legacy:"
    ));
}

/// The model's error facts the retry classifier takes: every modeled code, and the
/// `@retryable` ones with their `throttling` flag (`ListWidgets` models one of each kind,
/// plus the service's `@retryable` `Unavailable`).
#[test]
fn fragment_modeled_error_facts() {
    let text = kitchen_sink_file("kitchen-sink-types/src/operation/list_widgets.rs");
    let start = text
        .find("    /// The codes of the modeled errors")
        .expect("the codes");
    let end = text[start..]
        .find("    /// Wraps an error")
        .map(|e| start + e)
        .unwrap();
    insta::assert_snapshot!(&text[start..end]);
    let client = kitchen_sink_file("kitchen-sink-client/src/operation/list_widgets.rs");
    assert!(
        client.contains("ModeledErrors::new(\n                    ListWidgetsError::MODELED_ERROR_CODES,\n                    ListWidgetsError::RETRYABLE_ERRORS,"),
        "{client}"
    );
}

#[test]
fn fragment_required_structure_correction() {
    insta::assert_snapshot!(kitchen_sink_file(
        "protocol_serde/shape_get_widget_output.rs"
    ));
}

#[test]
fn aws_json_1_0_content_type() {
    let text = kitchen_sink_file("kitchen-sink-protocol/src/echo.rs");
    assert!(text.contains(r#"pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";"#));
    let main = generated("redshift-serverless-protocol/src/get_identity_center_auth_token.rs");
    assert!(main.contains(r#"pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";"#));
}

/// The table of accepted traits, as a reviewable list: a new row shows up here.
#[test]
fn trait_table() {
    use redshift_serverless_codegen::model::traits::{Handling, TABLE};
    let rows: Vec<String> = TABLE
        .iter()
        .map(|r| match r.handling {
            Handling::Implemented => format!("{} on {:?}: implemented", r.name, r.places),
            Handling::Ignored(why) => format!("{} on {:?}: ignored, {why}", r.name, r.places),
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}

/// Recursion without a list or map between the shapes is boxed, one member per cycle (the one
/// with the smallest id, as smithy-rs's `RecursiveShapeBoxer` picks), and a cycle through a
/// list needs no box.
#[test]
fn recursive_members_are_boxed_once_per_cycle() {
    let mut v: Value = serde_json::from_str(KITCHEN_SINK).unwrap();
    let shapes = v["shapes"].as_object_mut().unwrap();
    shapes.insert(
        "com.example.kitchensink#Tree".into(),
        serde_json::json!({"type": "structure", "members": {
            "left": {"target": "com.example.kitchensink#Tree"},
            "right": {"target": "com.example.kitchensink#Tree"},
            "leaf": {"target": "com.example.kitchensink#Leaf"},
            "forest": {"target": "com.example.kitchensink#Forest"}
        }}),
    );
    shapes.insert(
        "com.example.kitchensink#Leaf".into(),
        serde_json::json!({"type": "union", "members": {
            "tree": {"target": "com.example.kitchensink#Tree"},
            "text": {"target": "smithy.api#String"}
        }}),
    );
    shapes.insert(
        "com.example.kitchensink#Forest".into(),
        serde_json::json!({"type": "list", "member": {"target": "com.example.kitchensink#Tree"}}),
    );
    ks(&mut v, "Everything")["members"]["tree"] =
        serde_json::json!({"target": "com.example.kitchensink#Tree"});
    let model = redshift_serverless_codegen::lower(&v.to_string()).unwrap();
    let boxed: Vec<String> = model
        .shapes
        .values()
        .flat_map(|s| {
            let members: Vec<_> = match &s.kind {
                ShapeKind::Structure(st) => st.members.iter().collect(),
                ShapeKind::Union(vs) => vs.iter().map(|v| &v.member).collect(),
                _ => Vec::new(),
            };
            members
                .into_iter()
                .filter(|m| m.boxed)
                .map(|m| format!("{}${}", s.id.name, m.name))
                .collect::<Vec<_>>()
        })
        .collect();
    // Leaf$tree closes Tree -> Leaf -> Tree (smallest id of {Leaf$tree, Tree$leaf}); Tree$left
    // and Tree$right are each a cycle of their own; Tree$forest goes through a list.
    assert_eq!(boxed, ["Leaf$tree", "Tree$left", "Tree$right"]);
}
