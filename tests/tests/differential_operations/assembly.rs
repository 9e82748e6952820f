//! The full-service client (65 operations) assembles each operation on its first call, not
//! in `from_conf`, and once per client: its `Debug` output lists the operations assembled so
//! far. (Handwritten.)

use redshift_serverless_conformance::capture::{Canned, CaptureServer};
use redshift_serverless_conformance::clients::{self, Setup};

/// The `assembled_operations` list of the client's `Debug` output.
fn assembled(client: &full_service_client::Client) -> String {
    let debug = format!("{client:?}");
    let start = debug
        .find("assembled_operations: ")
        .unwrap_or_else(|| panic!("no assembled_operations in {debug}"));
    let list = &debug[start + "assembled_operations: ".len()..];
    list[..=list.find(']').expect("a closed list")].to_string()
}

#[tokio::test]
async fn each_operation_is_assembled_on_its_first_call() {
    let server = CaptureServer::start().await.expect("a local server");
    server.respond_with(Canned {
        status: 200,
        headers: vec![("content-type".into(), "application/x-amz-json-1.1".into())],
        body: b"{}".to_vec(),
    });
    let client = clients::full_service(&Setup::new(server.url(), false));
    assert_eq!(assembled(&client), "[]", "from_conf assembles nothing");

    // Refused before any I/O: nothing to assemble either.
    client
        .get_workgroup()
        .send()
        .await
        .expect_err("workgroupName is required");
    assert_eq!(assembled(&client), "[]");

    client
        .get_workgroup()
        .workgroup_name("analytics")
        .send()
        .await
        .expect("GetWorkgroup");
    assert_eq!(assembled(&client), r#"["GetWorkgroup"]"#);

    // A clone shares the assembled operation; a second call reuses it.
    let clone = client.clone();
    clone
        .get_workgroup()
        .workgroup_name("analytics")
        .send()
        .await
        .expect("GetWorkgroup again");
    assert_eq!(assembled(&client), r#"["GetWorkgroup"]"#);

    client
        .list_workgroups()
        .send()
        .await
        .expect("ListWorkgroups");
    assert_eq!(assembled(&clone), r#"["GetWorkgroup", "ListWorkgroups"]"#);
    assert_eq!(server.take_requests().len(), 3, "every call was sent");
}
