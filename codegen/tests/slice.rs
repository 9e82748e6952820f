//! Slicing a model (`slice::slice`) and applying an overlay (`overlay::apply`): tables of
//! cases on a small model that uses every kind of binding, and properties over the published
//! Redshift Serverless model.

use std::collections::BTreeSet;

use proptest::prelude::*;
use redshift_serverless_codegen::{overlay, slice};
use serde_json::{json, Value};

const PUBLISHED: &str = include_str!("../../model/upstream/redshift-serverless-2021-04-21.json");

/// A service with every way of binding an operation: directly (`A`), as a resource's
/// lifecycle (`Get`, `ListThings`), instance and collection operations (`Touch`, `Count`), and
/// through a nested resource (`Poke`). `Unbound` is bound nowhere. Shapes use a mixin, a
/// union, a map, a list, an enum and a trait defined in the model.
fn model() -> Value {
    let op = |input: &str, output: &str| {
        json!({"type": "operation", "input": {"target": input}, "output": {"target": output},
               "errors": [{"target": "ex#OpError"}]})
    };
    let structure = |members: Value| json!({"type": "structure", "members": members});
    json!({
        "smithy": "2.0",
        "metadata": {"kept": true},
        "shapes": {
            "ex#Service": {
                "type": "service", "version": "1",
                "operations": [{"target": "ex#A"}],
                "resources": [{"target": "ex#Thing"}],
                "errors": [{"target": "ex#ServiceError"}],
                "rename": {"ex#Name": "ThingName", "other#Name": "OtherName"},
                "traits": {
                    "aws.protocols#awsJson1_1": {},
                    "smithy.rules#endpointTests": {"version": "1.0", "testCases": [
                        {"params": {}, "expect": {"error": "x"},
                         "operationInputs": [{"operationName": "A"}, {"operationName": "Get"}]},
                        {"params": {}, "expect": {"error": "y"},
                         "operationInputs": [{"operationName": "Get"}]}
                    ]}
                }
            },
            "ex#Thing": {
                "type": "resource",
                "identifiers": {"id": {"target": "ex#Name"}},
                "properties": {"size": {"target": "smithy.api#Integer"}},
                "read": {"target": "ex#Get"},
                "list": {"target": "ex#ListThings"},
                "operations": [{"target": "ex#Touch"}],
                "collectionOperations": [{"target": "ex#Count"}],
                "resources": [{"target": "ex#Part"}],
                "traits": {"aws.api#arn": {"template": "thing/{id}"}}
            },
            "ex#Part": {"type": "resource", "operations": [{"target": "ex#Poke"}]},
            "ex#A": op("ex#AInput", "smithy.api#Unit"),
            "ex#Get": op("ex#GetInput", "ex#GetOutput"),
            "ex#ListThings": op("smithy.api#Unit", "ex#ListOutput"),
            "ex#Touch": op("ex#GetInput", "smithy.api#Unit"),
            "ex#Count": op("smithy.api#Unit", "smithy.api#Unit"),
            "ex#Poke": op("smithy.api#Unit", "ex#PokeOutput"),
            "ex#Unbound": op("ex#UnboundInput", "smithy.api#Unit"),
            "ex#AInput": structure(json!({
                "choice": {"target": "ex#Choice", "traits": {"ex#marker": {}}}
            })),
            "ex#Choice": {"type": "union", "members": {
                "tags": {"target": "ex#Tags"}, "color": {"target": "ex#Color"}
            }},
            "ex#Tags": {"type": "map", "key": {"target": "smithy.api#String"},
                        "value": {"target": "ex#Names"}},
            "ex#Names": {"type": "list", "member": {"target": "ex#Name"}},
            "ex#Color": {"type": "enum", "members": {
                "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}
            }},
            "ex#marker": {"type": "structure", "members": {},
                          "traits": {"smithy.api#trait": {}}},
            "ex#Name": {"type": "string", "traits": {"smithy.api#length": {"max": 9}}},
            "ex#GetInput": structure(json!({"id": {"target": "ex#Name"}})),
            "ex#GetOutput": {"type": "structure", "mixins": [{"target": "ex#Common"}],
                             "members": {"id": {"target": "ex#Name"}}},
            "ex#Common": {"type": "structure", "members": {"at": {"target": "ex#When"}},
                          "traits": {"smithy.api#mixin": {}}},
            "ex#When": {"type": "timestamp"},
            "ex#ListOutput": structure(json!({"names": {"target": "ex#Names"}})),
            "ex#PokeOutput": structure(json!({"n": {"target": "smithy.api#Integer"}})),
            "ex#UnboundInput": structure(json!({"x": {"target": "ex#Lonely"}})),
            "ex#Lonely": {"type": "string"},
            "ex#OpError": structure(json!({})),
            "ex#ServiceError": structure(json!({"why": {"target": "ex#Why"}})),
            "ex#Why": {"type": "string"}
        }
    })
}

fn ids(model: &Value) -> Vec<&str> {
    model["shapes"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.trim_start_matches("ex#"))
        .collect()
}

/// Shapes every slice of [`model`] holds: the service and its errors.
const ALWAYS: &[&str] = &["OpError", "Service", "ServiceError", "Why"];

#[test]
fn slices_keep_the_closure_and_prune_bindings() {
    struct Case {
        operations: &'static [&'static str],
        /// Kept shapes besides [`ALWAYS`].
        shapes: &'static [&'static str],
        /// (JSON pointer, expected value); `null` for "absent".
        checks: &'static [(&'static str, &'static str)],
    }
    let cases = [
        Case {
            operations: &["A"],
            shapes: &["A", "AInput", "Choice", "Color", "Name", "Names", "Tags", "marker"],
            checks: &[
                ("/shapes/ex#Service/operations", r#"[{"target":"ex#A"}]"#),
                ("/shapes/ex#Service/resources", "null"),
                ("/shapes/ex#Service/rename", r#"{"ex#Name":"ThingName"}"#),
                (
                    "/shapes/ex#Service/traits/smithy.rules#endpointTests/testCases",
                    r#"[{"params":{},"expect":{"error":"x"},"operationInputs":[{"operationName":"A"}]},
                        {"params":{},"expect":{"error":"y"}}]"#,
                ),
                ("/metadata", r#"{"kept":true}"#),
            ],
        },
        // A lifecycle operation keeps its resource, identifiers, properties and traits, and
        // only that lifecycle binding.
        Case {
            operations: &["Get"],
            shapes: &["Common", "Get", "GetInput", "GetOutput", "Name", "Thing", "When"],
            checks: &[
                ("/shapes/ex#Service/operations", "null"),
                ("/shapes/ex#Service/resources", r#"[{"target":"ex#Thing"}]"#),
                ("/shapes/ex#Service/rename", r#"{"ex#Name":"ThingName"}"#),
                (
                    "/shapes/ex#Thing",
                    r#"{"type":"resource","identifiers":{"id":{"target":"ex#Name"}},
                        "properties":{"size":{"target":"smithy.api#Integer"}},
                        "read":{"target":"ex#Get"},"traits":{"aws.api#arn":{"template":"thing/{id}"}}}"#,
                ),
                (
                    "/shapes/ex#Service/traits/smithy.rules#endpointTests/testCases/0/operationInputs",
                    r#"[{"operationName":"Get"}]"#,
                ),
            ],
        },
        // An operation of a nested resource keeps both resources, the outer one only as the
        // path to it.
        Case {
            operations: &["Poke"],
            shapes: &["Name", "Part", "Poke", "PokeOutput", "Thing"],
            checks: &[
                ("/shapes/ex#Thing/resources", r#"[{"target":"ex#Part"}]"#),
                ("/shapes/ex#Thing/read", "null"),
                ("/shapes/ex#Thing/operations", "null"),
                ("/shapes/ex#Part", r#"{"type":"resource","operations":[{"target":"ex#Poke"}]}"#),
                ("/shapes/ex#Service/rename", r#"{"ex#Name":"ThingName"}"#),
            ],
        },
        Case {
            operations: &["Count", "Touch", "ex#Count"],
            shapes: &["Count", "GetInput", "Name", "Thing", "Touch"],
            checks: &[
                ("/shapes/ex#Thing/operations", r#"[{"target":"ex#Touch"}]"#),
                ("/shapes/ex#Thing/collectionOperations", r#"[{"target":"ex#Count"}]"#),
                ("/shapes/ex#Thing/resources", "null"),
                ("/shapes/ex#Thing/list", "null"),
            ],
        },
    ];
    let model = model();
    for case in cases {
        let sliced = slice::slice(&model, case.operations)
            .unwrap_or_else(|e| panic!("{:?}: {e}", case.operations));
        let mut want: Vec<&str> = ALWAYS.iter().chain(case.shapes).copied().collect();
        want.sort();
        assert_eq!(ids(&sliced), want, "{:?}", case.operations);
        for (pointer, expected) in case.checks {
            let expected: Value = serde_json::from_str(expected).unwrap();
            let got = sliced.pointer(pointer).cloned().unwrap_or(Value::Null);
            assert_eq!(got, expected, "{:?} at {pointer}", case.operations);
        }
        // Kept shapes other than the service and resources are copied unchanged.
        for (id, shape) in sliced["shapes"].as_object().unwrap() {
            if !matches!(shape["type"].as_str(), Some("service" | "resource")) {
                assert_eq!(shape, &model["shapes"][id], "{id}");
            }
        }
    }
}

#[test]
fn bad_requests_and_bad_models_are_errors_naming_the_culprit() {
    type Edit = fn(&mut Value);
    let none: Edit = |_| {};
    let cases: &[(&[&str], Edit, &str)] = &[
        (
            &["Nope", "a", "Unbound", "Nope"],
            none,
            "ex#Service: has no operation named Nope, a (did you mean A?), Unbound (defined, but not bound to the service); it binds 6 operations, named by shape name (case-sensitive) or absolute shape id",
        ),
        (&[], none, "ex#Service: no operations were named to slice"),
        (
            &["A"],
            |m| m["shapes"]["ex#Tags"]["value"]["target"] = json!("ex#Missing"),
            "ex#Tags$value: targets ex#Missing, which is not defined in the model",
        ),
        (
            &["Get"],
            |m| m["shapes"]["ex#Thing"]["read"]["target"] = json!("ex#Gone"),
            "ex#Thing: targets ex#Gone, which is not defined in the model",
        ),
        (
            &["A"],
            |m| m["shapes"]["ex#Other"] = json!({"type": "service"}),
            "expected exactly one service shape, found 2",
        ),
        (
            &["Poke"],
            |m| m["shapes"]["ex#Part"]["resources"] = json!([{"target": "ex#Thing"}]),
            "ex#Thing: is bound inside itself (ex#Thing -> ex#Part)",
        ),
        (
            &["A"],
            |m| m["shapes"]["ex#Service"]["operations"] = json!([{"target": "ex#Name"}]),
            "ex#Name: is bound as an operation by ex#Service but is not one",
        ),
        (
            &["A"],
            |m| m["shapes"]["ex#Color"]["type"] = json!("colour"),
            "ex#Color: shape type \"colour\" is not supported",
        ),
        (
            &["A"],
            |m| m["shapes"]["ex#AInput"]["members"]["choice"] = json!({"traits": {}}),
            "ex#AInput$choice: expected a {\"target\": ...} reference",
        ),
        (
            &["A"],
            |m| {
                m["shapes"]["ex#Service"]["operations"] =
                    json!([{"target": "ex#A"}, {"target": "other#A"}]);
                m["shapes"]["other#A"] = json!({"type": "operation"});
            },
            "ex#Service: operation name A is ambiguous: it matches ex#A, other#A",
        ),
    ];
    for (operations, edit, want) in cases {
        let mut m = model();
        edit(&mut m);
        let err = slice::slice(&m, operations).expect_err(want).to_string();
        assert!(err.starts_with(want), "{operations:?}: {err}");
    }
}

/// `apply` shapes in the model being sliced are applied first, as a Smithy loader would.
#[test]
fn apply_shapes_in_the_input_are_resolved() {
    let mut m = model();
    m["shapes"]["ex#AInput$choice"] =
        json!({"type": "apply", "traits": {"smithy.api#documentation": "Pick one."}});
    let sliced = slice::slice(&m, &["A"]).unwrap();
    assert_eq!(
        sliced["shapes"]["ex#AInput"]["members"]["choice"]["traits"],
        json!({"ex#marker": {}, "smithy.api#documentation": "Pick one."})
    );
    assert!(sliced["shapes"].get("ex#AInput$choice").is_none());
}

fn published() -> Value {
    serde_json::from_str(PUBLISHED).unwrap()
}

fn operation_names(model: &Value) -> Vec<String> {
    model["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["type"] == "operation")
        .map(|(id, _)| id.split_once('#').unwrap().1.to_owned())
        .collect()
}

/// Slicing by every operation gives back the published model, byte for byte: nothing is
/// lost or reordered on the way through.
#[test]
fn slicing_every_operation_is_the_identity() {
    let model = published();
    let all = operation_names(&model);
    assert_eq!(all.len(), 65);
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let sliced = slice::slice(&model, &names).unwrap();
    assert!(
        slice::to_pretty_json(&sliced) == PUBLISHED,
        "the full slice differs from the model"
    );
}

/// The operations bound to the service in a slice, by name.
fn bound(model: &Value) -> BTreeSet<String> {
    let shapes = model["shapes"].as_object().unwrap();
    let mut out = BTreeSet::new();
    let mut stack: Vec<&Value> = shapes.values().filter(|s| s["type"] == "service").collect();
    while let Some(shape) = stack.pop() {
        let refs = ["operations", "collectionOperations", "resources"]
            .iter()
            .flat_map(|f| shape[*f].as_array().into_iter().flatten())
            .chain(
                ["create", "put", "read", "update", "delete", "list"]
                    .iter()
                    .map(|f| &shape[*f]),
            );
        for r in refs {
            if let Some(t) = r["target"].as_str() {
                match shapes[t]["type"].as_str() {
                    Some("resource") => stack.push(&shapes[t]),
                    _ => {
                        out.insert(t.split_once('#').unwrap().1.to_owned());
                    }
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Over the published model: a slice binds exactly the named operations, is a sub-model
    /// (every shape but the service and resources unchanged), is closed (re-slicing it
    /// resolves every reference), is a fixed point, does not depend on the order of the names,
    /// and grows with them.
    #[test]
    fn slices_of_the_published_model(
        picked in proptest::sample::subsequence((0..65usize).collect::<Vec<_>>(), 1..6),
        rotate in 0..6usize,
    ) {
        let model = published();
        let all = operation_names(&model);
        let names: Vec<&str> = picked.iter().map(|i| all[*i].as_str()).collect();
        let sliced = slice::slice(&model, &names).unwrap();

        let want: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
        prop_assert_eq!(bound(&sliced), want);
        for (id, shape) in sliced["shapes"].as_object().unwrap() {
            if !matches!(shape["type"].as_str(), Some("service" | "resource")) {
                prop_assert_eq!(shape, &model["shapes"][id]);
            }
        }
        let text = slice::to_pretty_json(&sliced);
        prop_assert_eq!(slice::to_pretty_json(&slice::slice(&sliced, &names).unwrap()), text.clone());

        let mut rotated = names.clone();
        rotated.rotate_left(rotate % names.len());
        let again = slice::slice(&model, &rotated).unwrap();
        prop_assert_eq!(slice::to_pretty_json(&again), text);

        let fewer = slice::slice(&model, &names[..1]).unwrap();
        let more: BTreeSet<&String> = sliced["shapes"].as_object().unwrap().keys().collect();
        for id in fewer["shapes"].as_object().unwrap().keys() {
            prop_assert!(more.contains(id), "{} is in the slice of {} but not of {:?}", id, names[0], names);
        }
    }
}

/// The overlay's merge: one table, one driver. Each case applies `overlay_shapes` to
/// [`model`] and either checks values at JSON pointers or expects an error starting with the
/// given text.
#[test]
fn overlays_merge_by_smithy_conflict_resolution() {
    type Expect = Result<&'static [(&'static str, &'static str)], &'static str>;
    let cases: &[(&str, Value, Expect)] = &[
        (
            "a new trait on a shape and on members of a structure, list and map",
            json!({
                "ex#Name": {"type": "apply", "traits": {"smithy.api#documentation": "A name."}},
                "ex#GetInput$id": {"type": "apply", "traits": {"smithy.api#documentation": "Which."}},
                "ex#Names$member": {"type": "apply", "traits": {"smithy.api#documentation": "One."}},
                "ex#Tags$key": {"type": "apply", "traits": {"smithy.api#documentation": "Key."}}
            }),
            Ok(&[
                ("/shapes/ex#Name/traits", r#"{"smithy.api#length":{"max":9},"smithy.api#documentation":"A name."}"#),
                ("/shapes/ex#GetInput/members/id/traits", r#"{"smithy.api#documentation":"Which."}"#),
                ("/shapes/ex#Names/member/traits/smithy.api#documentation", r#""One.""#),
                ("/shapes/ex#Tags/key/traits/smithy.api#documentation", r#""Key.""#),
            ]),
        ),
        (
            "lists concatenate, the model's first",
            json!({"ex#Service": {"type": "apply", "traits": {"smithy.rules#endpointTests": {
                "testCases": [{"params": {}, "expect": {"error": "z"}}]}}}}),
            Ok(&[
                ("/shapes/ex#Service/traits/smithy.rules#endpointTests/testCases/2", r#"{"params":{},"expect":{"error":"z"}}"#),
                ("/shapes/ex#Service/traits/smithy.rules#endpointTests/testCases/0/expect", r#"{"error":"x"}"#),
                ("/shapes/ex#Service/traits/smithy.rules#endpointTests/version", r#""1.0""#),
            ]),
        ),
        (
            "equal values are one; objects merge member by member",
            json!({
                "ex#Name": {"type": "apply", "traits": {"smithy.api#length": {"max": 9}}},
                "ex#Thing": {"type": "apply", "traits": {"aws.api#arn": {"template": "thing/{id}", "absolute": false}}}
            }),
            Ok(&[
                ("/shapes/ex#Name/traits/smithy.api#length", r#"{"max":9}"#),
                ("/shapes/ex#Thing/traits/aws.api#arn", r#"{"template":"thing/{id}","absolute":false}"#),
            ]),
        ),
        (
            "new shapes are added; an identical definition is no conflict; metadata merges",
            json!({
                "test#HeaderMap": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
                "ex#When": {"type": "timestamp"}
            }),
            Ok(&[
                ("/shapes/test#HeaderMap/type", r#""map""#),
                ("/shapes/ex#When", r#"{"type":"timestamp"}"#),
            ]),
        ),
        (
            "a different scalar is a conflict",
            json!({"ex#Name": {"type": "apply", "traits": {"smithy.api#length": {"max": 10}}}}),
            Err("ex#Name: trait smithy.api#length at /max: the model has 9 and the overlay 10; only lists concatenate and objects merge, other values must be equal"),
        ),
        (
            "a list against an object is a conflict",
            json!({"ex#Service": {"type": "apply", "traits": {"smithy.rules#endpointTests": []}}}),
            Err("ex#Service: trait smithy.rules#endpointTests: the model has {\"version\""),
        ),
        (
            "applying to a shape the model lacks",
            json!({"ex#Ghost": {"type": "apply", "traits": {"smithy.api#documentation": "Boo."}}}),
            Err("ex#Ghost: the overlay applies traits to it, but the model has no such shape"),
        ),
        (
            "applying to a member the shape lacks",
            json!({"ex#GetInput$name": {"type": "apply", "traits": {"smithy.api#documentation": "?"}}}),
            Err("ex#GetInput$name: the overlay applies traits to it, but ex#GetInput has no member name"),
        ),
        (
            "redefining a shape",
            json!({"ex#When": {"type": "string"}}),
            Err("ex#When: is defined in both the model and the overlay, differently"),
        ),
    ];
    for (what, shapes, expect) in cases {
        let overlay = json!({"smithy": "2.0", "metadata": {"note": what}, "shapes": shapes});
        let result = overlay::apply(&model(), &overlay);
        match (expect, result) {
            (Ok(checks), Ok(merged)) => {
                for (pointer, want) in *checks {
                    let want: Value = serde_json::from_str(want).unwrap();
                    assert_eq!(merged.pointer(pointer), Some(&want), "{what}: {pointer}");
                }
                assert_eq!(
                    merged["metadata"],
                    json!({"kept": true, "note": what}),
                    "{what}"
                );
                let ids: Vec<&String> = merged["shapes"].as_object().unwrap().keys().collect();
                assert!(
                    ids.windows(2).all(|w| w[0] < w[1]),
                    "{what}: shapes are sorted"
                );
            }
            (Err(prefix), Err(e)) => {
                let e = e.to_string();
                assert!(e.starts_with(prefix), "{what}: {e}");
            }
            (expect, got) => panic!("{what}: expected {expect:?}, got {got:?}"),
        }
    }
}

#[test]
fn an_overlay_of_another_smithy_version_is_refused() {
    let overlay = json!({"smithy": "1.0", "shapes": {}});
    let err = overlay::apply(&model(), &overlay).unwrap_err().to_string();
    assert_eq!(
        err,
        "overlay: is Smithy \"1.0\" but the model is Smithy \"2.0\"; both must be the same version"
    );
    // "2" and "2.0" are the same version.
    let same = json!({"smithy": "2", "shapes": {}});
    assert_eq!(overlay::apply(&model(), &same).unwrap(), model());
}
