//! The test-only differential emitter (`emit::differential`): it generates for the published
//! model and the kitchen sink, covers every operation, error and paginator, and refuses a
//! pagination path the harness cannot follow. (Its output for the main crates is compiled
//! and run by the conformance crate; these tests cover models with every construct.)

use redshift_serverless_codegen::emit::differential::{emit, Target};
use redshift_serverless_codegen::emit::{Ctx, Files};
use redshift_serverless_codegen::Settings;

const PUBLISHED: &str = include_str!("../../model/upstream/redshift-serverless-2021-04-21.json");
const KITCHEN_SINK: &str = include_str!("fixtures/kitchen-sink.json");

const TARGET: Target<'static> = Target {
    name: "test",
    module: "test",
    ours_crate: "ours_client",
    ours_client: "crate::clients::ours",
    official_client: "crate::clients::official",
};

/// (glue, tests) generated for `model_json`.
fn generate(model_json: &str) -> Result<(String, String), String> {
    let model = redshift_serverless_codegen::lower(model_json).map_err(|e| e.to_string())?;
    let settings = Settings::for_sdk_id(&model.service.sdk_id);
    let cx = Ctx {
        model: &model,
        settings: &settings,
    };
    let mut files = Files::default();
    emit(&cx, &TARGET, "glue.rs", "tests.rs", &mut files).map_err(|e| e.to_string())?;
    Ok((files.0["glue.rs"].clone(), files.0["tests.rs"].clone()))
}

#[test]
fn the_published_model_gets_a_test_per_operation_and_walks_every_paginator() {
    let model = redshift_serverless_codegen::lower(PUBLISHED).unwrap();
    let (glue, tests) = generate(PUBLISHED).unwrap();
    assert_eq!(tests.matches("#[test]").count(), 65);
    for op in &model.operations {
        let arm = format!("\"{}\" => ", op.id.name);
        // Both crates: one call arm, and a pages arm (and an items arm, if it has items) if
        // the operation is paginated.
        let arms = glue.matches(&arm).count();
        let paginated = op
            .pagination
            .as_ref()
            .map_or(0, |p| 1 + usize::from(p.items.is_some()));
        assert_eq!(arms, 2 * (1 + paginated), "{}", op.id.name);
        for e in &op.errors {
            let arm = format!("E::{}(x) =>", e.name);
            assert!(glue.contains(&arm), "{}: no {arm}", op.id.name);
        }
    }
    // The unions and an idempotency token are in the table.
    assert!(glue.contains("Kind::Union("));
    assert!(glue.contains(".idempotency_token()"));
    assert!(glue.contains("content_type: \"application/x-amz-json-1.1\""));
}

/// The kitchen sink (awsJson1_0) generates once its nested pagination paths, which the
/// harness refuses (below), are taken out.
#[test]
fn the_kitchen_sink_generates() {
    let mut doc: serde_json::Value = serde_json::from_str(KITCHEN_SINK).unwrap();
    for shape in doc["shapes"].as_object_mut().unwrap().values_mut() {
        if let Some(traits) = shape.get_mut("traits").and_then(|t| t.as_object_mut()) {
            traits.remove("smithy.api#paginated");
        }
    }
    let (glue, _) = generate(&doc.to_string()).unwrap();
    assert!(glue.contains("content_type: \"application/x-amz-json-1.0\""));
    assert!(glue.contains("Kind::IntEnum("));
}

#[test]
fn a_nested_pagination_path_is_refused_by_name() {
    let mut doc: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
    let paginated = doc
        .pointer_mut(
            "/shapes/com.amazonaws.redshiftserverless#ListWorkgroups/traits/smithy.api#paginated",
        )
        .unwrap();
    paginated["items"] = "workgroups.inner".into();
    let err = generate(&doc.to_string()).unwrap_err();
    assert!(
        err.contains("ListWorkgroups") && err.contains("workgroups.inner"),
        "{err}"
    );
}
