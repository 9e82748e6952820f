//! GetWorkgroup: the workgroup as the service describes it, its errors, and its endpoint.

mod common;

use common::*;
use redshift_serverless_emulator::{EmulatorConfig, ACCOUNT_ID, GET_WORKGROUP_TARGET};

fn get_workgroup(body: &str) -> Req {
    Req {
        body: body.as_bytes().to_vec(),
        target: Some(GET_WORKGROUP_TARGET.into()),
        ..Req::default()
    }
}

#[tokio::test]
async fn a_known_workgroup_is_described() {
    let emu = start(EmulatorConfig::default().with_workgroup("legacy", false)).await;
    for name in ["default", "legacy"] {
        let resp = call(
            &emu,
            &get_workgroup(&format!(r#"{{"workgroupName":"{name}"}}"#)),
        )
        .await;
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        let wg = &resp.json()["workgroup"];
        assert_eq!(wg["workgroupName"], name);
        assert_eq!(wg["status"], "AVAILABLE");
        // Without a SQL front the endpoint is the service's name for it, on Redshift's port.
        assert_eq!(
            wg["endpoint"]["address"],
            format!("{name}.{ACCOUNT_ID}.us-east-1.redshift-serverless.amazonaws.com")
        );
        assert_eq!(wg["endpoint"]["port"], 5439);
        let arn = wg["workgroupArn"].as_str().unwrap();
        assert!(
            arn.starts_with(&format!(
                "arn:aws:redshift-serverless:us-east-1:{ACCOUNT_ID}:workgroup/"
            )),
            "{arn}"
        );
        assert!(arn.ends_with(wg["workgroupId"].as_str().unwrap()));
        assert_eq!(wg["creationDate"], "2026-11-28T05:00:00Z");
    }
    // The same name, the same id.
    let again = call(&emu, &get_workgroup(r#"{"workgroupName":"default"}"#)).await;
    let first = call(&emu, &get_workgroup(r#"{"workgroupName":"default"}"#)).await;
    assert_eq!(
        again.json()["workgroup"]["workgroupId"],
        first.json()["workgroup"]["workgroupId"]
    );
}

#[tokio::test]
async fn errors_are_the_models() {
    let emu = start(EmulatorConfig::default()).await;
    let resp = call(&emu, &get_workgroup(r#"{"workgroupName":"nope-wg"}"#)).await;
    assert_eq!(
        (resp.status, resp.error_type().as_str()),
        (404, "ResourceNotFoundException")
    );
    assert_eq!(resp.json()["resourceName"], "nope-wg");
    assert_eq!(resp.message(), "Workgroup nope-wg was not found.");

    let resp = call(&emu, &get_workgroup(r#"{"workgroupName":"Bad_Name"}"#)).await;
    assert_eq!(
        (resp.status, resp.error_type().as_str()),
        (400, "ValidationException")
    );
    assert_eq!(
        resp.message(),
        "1 validation error detected: Value 'Bad_Name' at 'workgroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9-]+$"
    );
    let resp = call(&emu, &get_workgroup("{}")).await;
    assert_eq!(resp.error_type(), "ValidationException");
    let resp = call(&emu, &get_workgroup(r#"{"workgroupName":7}"#)).await;
    assert_eq!(resp.error_type(), "SerializationException");

    // An unknown target names both operations.
    let resp = call(
        &emu,
        &Req {
            target: Some("RedshiftServerless.ListWorkgroups".into()),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(resp.error_type(), "UnknownOperationException");
    assert!(
        resp.message().contains(
            "RedshiftServerless.GetIdentityCenterAuthToken, RedshiftServerless.GetWorkgroup"
        ),
        "{}",
        resp.message()
    );
}
