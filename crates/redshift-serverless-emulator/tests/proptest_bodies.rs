//! Arbitrary bodies never crash the emulator: every signed request gets a 4xx (or a 200
//! for the rare valid one), and the server keeps serving.

mod common;

use common::*;
use proptest::prelude::*;
use redshift_serverless_emulator::EmulatorConfig;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-z0-9A-Z_\\-é ]{0,70}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 40, 22, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..22).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![Just("workgroupNames".to_string()), "[a-zA-Z]{1,8}"],
                inner,
                0..4
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        json_value()
            .prop_map(|v| serde_json::to_vec(&serde_json::json!({ "workgroupNames": v })).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bodies_get_client_errors(bodies in prop::collection::vec(body(), 1..4)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let emu = start(EmulatorConfig::default()).await;
            for b in &bodies {
                let resp = call(&emu, &Req::body(b.clone())).await;
                let ok_valid = resp.status == 200;
                prop_assert!(ok_valid || (400..500).contains(&resp.status), "status {}", resp.status);
                if !ok_valid {
                    let t = resp.error_type();
                    prop_assert!(
                        ["SerializationException", "ValidationException", "ResourceNotFoundException"].contains(&t.as_str()),
                        "{t}"
                    );
                }
            }
            // Still alive.
            prop_assert_eq!(call(&emu, &Req::default()).await.status, 200);
            prop_assert_eq!(emu.request_count(), bodies.len() as u64 + 1);
            emu.shutdown().await;
            Ok(())
        })?;
    }
}
