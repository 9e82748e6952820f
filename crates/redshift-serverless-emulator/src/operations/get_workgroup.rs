//! `GetWorkgroup`: a workgroup as the service describes it, with the endpoint of the
//! emulator's SQL front for that workgroup when there is one.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{check_workgroup_name, not_found, serialization, type_name, violation};
use crate::error::ServiceError;
use crate::lifecycle::State;
use crate::time::format_rfc3339;

const MEMBER: &str = "workgroupName";
/// The account the emulated workgroups belong to (AWS's documentation account).
pub const ACCOUNT_ID: &str = "123456789012";
/// The port Redshift Serverless workgroups listen on.
const REDSHIFT_PORT: u16 = 5439;

pub(crate) fn call(st: &State, input: &Map<String, Value>) -> Result<Vec<u8>, ServiceError> {
    let name = parse_input(input)?;
    if !st.config.workgroups.contains_key(&name) {
        return Err(not_found(&name));
    }
    let (address, port) = match st.sql_endpoints.get(&name) {
        Some(addr) => (addr.ip().to_string(), addr.port()),
        // Without a SQL front the endpoint is what the service would report: a name that
        // resolves nowhere here.
        None => (
            format!(
                "{name}.{ACCOUNT_ID}.{}.redshift-serverless.amazonaws.com",
                st.config.region
            ),
            REDSHIFT_PORT,
        ),
    };
    let body = json!({ "workgroup": workgroup(st, &name, &address, port) });
    Ok(serde_json::to_vec(&body).unwrap_or_default())
}

fn parse_input(obj: &Map<String, Value>) -> Result<String, ServiceError> {
    let mut errors = Vec::new();
    let name = match obj.get(MEMBER) {
        None | Some(Value::Null) => {
            errors.push(violation("null", MEMBER, "not be null"));
            String::new()
        }
        Some(Value::String(name)) => {
            check_workgroup_name(name, MEMBER, &mut errors);
            name.clone()
        }
        Some(other) => {
            return Err(serialization(format!(
                "Expected a string at '{MEMBER}' but found {}.",
                type_name(other)
            )))
        }
    };
    super::violations(errors)?;
    Ok(name)
}

/// A stable UUID-shaped id for a workgroup name, so repeated calls agree.
fn workgroup_id(name: &str) -> String {
    let h = hex::encode(Sha256::digest(name.as_bytes()));
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn workgroup(st: &State, name: &str, address: &str, port: u16) -> Value {
    let region = &st.config.region;
    let id = workgroup_id(name);
    json!({
        "workgroupId": id,
        "workgroupArn": format!("arn:aws:redshift-serverless:{region}:{ACCOUNT_ID}:workgroup/{id}"),
        "workgroupName": name,
        "namespaceName": "default-namespace",
        "baseCapacity": 128,
        "enhancedVpcRouting": false,
        "configParameters": [
            {"parameterKey": "datestyle", "parameterValue": "ISO, MDY"},
            {"parameterKey": "enable_user_activity_logging", "parameterValue": "true"},
            {"parameterKey": "max_query_execution_time", "parameterValue": "14400"},
            {"parameterKey": "query_group", "parameterValue": "default"},
            {"parameterKey": "require_ssl", "parameterValue": "true"},
            {"parameterKey": "search_path", "parameterValue": "$user, public"},
        ],
        "securityGroupIds": ["sg-0123456789abcdef0"],
        "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "status": "AVAILABLE",
        "endpoint": {
            "address": address,
            "port": port,
            "vpcEndpoints": [{
                "vpcEndpointId": "vpce-0123456789abcdef0",
                "vpcId": "vpc-0123456789abcdef0",
                "networkInterfaces": [{
                    "networkInterfaceId": "eni-0123456789abcdef0",
                    "subnetId": "subnet-0123456789abcdef0",
                    "privateIpAddress": "10.0.0.10",
                    "availabilityZone": format!("{region}a"),
                }],
            }],
        },
        "publiclyAccessible": false,
        "creationDate": format_rfc3339(st.started_at),
        "port": port,
        "workgroupVersion": "1.0.101234",
        "patchVersion": "patch 190",
        "trackName": "current",
        "maxCapacity": 512,
        "ipAddressType": "ipv4",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<String, ServiceError> {
        super::super::parse_object(body.as_bytes()).and_then(|obj| parse_input(&obj))
    }

    #[test]
    fn input_constraints() {
        assert_eq!(parse(r#"{"workgroupName":"default"}"#).unwrap(), "default");
        assert_eq!(
            parse("{}").unwrap_err().message,
            "1 validation error detected: Value null at 'workgroupName' failed to satisfy constraint: Member must not be null"
        );
        let e = parse(r#"{"workgroupName":"A"}"#).unwrap_err();
        assert!(e.message.starts_with("2 validation errors detected: Value 'A' at 'workgroupName' failed to satisfy constraint: Member must have length greater than or equal to 3"), "{}", e.message);
        let e = parse(r#"{"workgroupName":["default"]}"#).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::SerializationException);
    }

    #[test]
    fn ids_are_stable_and_uuid_shaped() {
        let id = workgroup_id("default");
        assert_eq!(id, workgroup_id("default"));
        assert_ne!(id, workgroup_id("analytics"));
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
    }
}
