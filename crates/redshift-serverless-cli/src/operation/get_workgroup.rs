//! `get-workgroup`: a workgroup as the service describes it, its SQL endpoint included.

use std::future::Future;

use redshift_serverless_client::error::{BuildError, SdkError};
use redshift_serverless_client::operation::get_workgroup::{
    GetWorkgroupError, GetWorkgroupInput, GetWorkgroupOutput,
};
use redshift_serverless_client::types::{
    ConfigParameter, Endpoint, NetworkInterface, PerformanceTarget, VpcEndpoint, Workgroup,
};
use redshift_serverless_client::Client;
use redshift_serverless_retry::ModeledErrors;
use serde_json::Value;

use super::{Member, MemberKind, Object, Operation, OperationArgs, Params};
use crate::args::{GetWorkgroupArgs, InputArgs};
use crate::settings::TimestampFormat;

/// The input member, by its API name.
pub const WORKGROUP_NAME: &str = "workgroupName";

/// `GetWorkgroup`.
#[derive(Debug, Clone, Copy)]
pub struct GetWorkgroup;

impl Operation for GetWorkgroup {
    const NAME: &'static str = "GetWorkgroup";
    const MEMBERS: &'static [Member] = &[Member {
        name: WORKGROUP_NAME,
        flag: "--workgroup-name",
        kind: MemberKind::String,
        required: true,
        doc: "The name of the workgroup to return information for.",
    }];
    const ERRORS: ModeledErrors<'static> = ModeledErrors::new(
        GetWorkgroupError::MODELED_ERROR_CODES,
        GetWorkgroupError::RETRYABLE_ERRORS,
    );

    type Args = GetWorkgroupArgs;
    type Input = GetWorkgroupInput;
    type Output = GetWorkgroupOutput;
    type Error = GetWorkgroupError;

    fn input(params: &Params) -> Result<Self::Input, BuildError> {
        GetWorkgroupInput::builder()
            .set_workgroup_name(params.string(WORKGROUP_NAME))
            .build()
    }

    fn send(
        client: &Client,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> {
        client
            .get_workgroup()
            .workgroup_name(input.workgroup_name)
            .send()
    }

    fn output_value(output: &Self::Output, timestamps: TimestampFormat) -> Value {
        Object::new()
            .member(
                "workgroup",
                output.workgroup.as_ref().map(|w| workgroup(w, timestamps)),
            )
            .build()
    }

    fn output_skeleton() -> Value {
        serde_json::json!({
            "workgroup": {
                "baseCapacity": 0,
                "configParameters": [
                    {"parameterKey": "parameterKey", "parameterValue": "parameterValue"}
                ],
                "creationDate": "1970-01-01T00:00:00",
                "crossAccountVpcs": ["String"],
                "customDomainCertificateArn": "customDomainCertificateArn",
                "customDomainCertificateExpiryTime": "1970-01-01T00:00:00",
                "customDomainName": "customDomainName",
                "endpoint": {
                    "address": "address",
                    "port": 0,
                    "vpcEndpoints": [{
                        "networkInterfaces": [{
                            "availabilityZone": "availabilityZone",
                            "ipv6Address": "ipv6Address",
                            "networkInterfaceId": "networkInterfaceId",
                            "privateIpAddress": "privateIpAddress",
                            "subnetId": "subnetId"
                        }],
                        "vpcEndpointId": "vpcEndpointId",
                        "vpcId": "vpcId"
                    }]
                },
                "enhancedVpcRouting": true,
                "extraComputeForAutomaticOptimization": true,
                "ipAddressType": "ipAddressType",
                "maxCapacity": 0,
                "namespaceName": "namespaceName",
                "patchVersion": "patchVersion",
                "pendingTrackName": "pendingTrackName",
                "port": 0,
                "pricePerformanceTarget": {"level": 0, "status": "status"},
                "publiclyAccessible": true,
                "securityGroupIds": ["SecurityGroupId"],
                "status": "status",
                "subnetIds": ["SubnetId"],
                "trackName": "trackName",
                "workgroupArn": "workgroupArn",
                "workgroupId": "workgroupId",
                "workgroupName": "workgroupName",
                "workgroupVersion": "workgroupVersion"
            }
        })
    }
}

impl OperationArgs for GetWorkgroupArgs {
    fn input_args(&self) -> &InputArgs {
        &self.input
    }

    fn flag(&self, member: &str) -> Option<&[String]> {
        match member {
            WORKGROUP_NAME => self.workgroup_name.as_ref().map(std::slice::from_ref),
            _ => None,
        }
    }
}

/// The members in the AWS CLI's model order (botocore's `Workgroup`, alphabetical).
fn workgroup(w: &Workgroup, timestamps: TimestampFormat) -> Value {
    Object::new()
        .integer("baseCapacity", w.base_capacity)
        .list(
            "configParameters",
            w.config_parameters.as_deref(),
            config_parameter,
        )
        .timestamp("creationDate", w.creation_date.as_ref(), timestamps)
        .strings("crossAccountVpcs", w.cross_account_vpcs.as_deref())
        .string(
            "customDomainCertificateArn",
            w.custom_domain_certificate_arn.as_deref(),
        )
        .timestamp(
            "customDomainCertificateExpiryTime",
            w.custom_domain_certificate_expiry_time.as_ref(),
            timestamps,
        )
        .string("customDomainName", w.custom_domain_name.as_deref())
        .member("endpoint", w.endpoint.as_ref().map(endpoint))
        .boolean("enhancedVpcRouting", w.enhanced_vpc_routing)
        .boolean(
            "extraComputeForAutomaticOptimization",
            w.extra_compute_for_automatic_optimization,
        )
        .string("ipAddressType", w.ip_address_type.as_deref())
        .integer("maxCapacity", w.max_capacity)
        .string("namespaceName", w.namespace_name.as_deref())
        .string("patchVersion", w.patch_version.as_deref())
        .string("pendingTrackName", w.pending_track_name.as_deref())
        .integer("port", w.port)
        .member(
            "pricePerformanceTarget",
            w.price_performance_target.as_ref().map(performance_target),
        )
        .boolean("publiclyAccessible", w.publicly_accessible)
        .strings("securityGroupIds", w.security_group_ids.as_deref())
        .string("status", w.status.as_ref().map(|s| s.as_str()))
        .strings("subnetIds", w.subnet_ids.as_deref())
        .string("trackName", w.track_name.as_deref())
        .string("workgroupArn", w.workgroup_arn.as_deref())
        .string("workgroupId", w.workgroup_id.as_deref())
        .string("workgroupName", w.workgroup_name.as_deref())
        .string("workgroupVersion", w.workgroup_version.as_deref())
        .build()
}

fn config_parameter(p: &ConfigParameter) -> Value {
    Object::new()
        .string("parameterKey", p.parameter_key.as_deref())
        .string("parameterValue", p.parameter_value.as_deref())
        .build()
}

fn endpoint(e: &Endpoint) -> Value {
    Object::new()
        .string("address", e.address.as_deref())
        .integer("port", e.port)
        .list("vpcEndpoints", e.vpc_endpoints.as_deref(), vpc_endpoint)
        .build()
}

fn vpc_endpoint(v: &VpcEndpoint) -> Value {
    Object::new()
        .list(
            "networkInterfaces",
            v.network_interfaces.as_deref(),
            network_interface,
        )
        .string("vpcEndpointId", v.vpc_endpoint_id.as_deref())
        .string("vpcId", v.vpc_id.as_deref())
        .build()
}

fn network_interface(n: &NetworkInterface) -> Value {
    Object::new()
        .string("availabilityZone", n.availability_zone.as_deref())
        .string("ipv6Address", n.ipv6_address.as_deref())
        .string("networkInterfaceId", n.network_interface_id.as_deref())
        .string("privateIpAddress", n.private_ip_address.as_deref())
        .string("subnetId", n.subnet_id.as_deref())
        .build()
}

fn performance_target(p: &PerformanceTarget) -> Value {
    Object::new()
        .integer("level", p.level)
        .string("status", p.status.as_ref().map(|s| s.as_str()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;
    use redshift_serverless_client::types::{PerformanceTargetStatus, WorkgroupStatus};

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Every member set, so every converter runs; the keys come out in botocore's order
    /// (the `output` skeleton is botocore's own, so its keys are that order).
    #[test]
    fn every_member_in_the_aws_clis_order() {
        let nic = NetworkInterface::builder()
            .availability_zone("us-east-1a")
            .ipv6_address("::1")
            .network_interface_id("eni-1")
            .private_ip_address("10.0.0.1")
            .subnet_id("subnet-1")
            .build();
        let workgroup = Workgroup::builder()
            .base_capacity(8)
            .config_parameters(
                ConfigParameter::builder()
                    .parameter_key("k")
                    .parameter_value("v")
                    .build(),
            )
            .creation_date(DateTime::from_secs(1_795_842_000))
            .cross_account_vpcs("vpc-x")
            .custom_domain_certificate_arn("arn:aws:acm:us-east-1:1:certificate/x")
            .custom_domain_certificate_expiry_time(DateTime::from_secs_and_nanos(
                1_795_842_000,
                500_000_000,
            ))
            .custom_domain_name("db.example.com")
            .endpoint(
                Endpoint::builder()
                    .address("wg.example.com")
                    .port(5439)
                    .vpc_endpoints(
                        VpcEndpoint::builder()
                            .network_interfaces(nic)
                            .vpc_endpoint_id("vpce-1")
                            .vpc_id("vpc-1")
                            .build(),
                    )
                    .build(),
            )
            .enhanced_vpc_routing(false)
            .extra_compute_for_automatic_optimization(true)
            .ip_address_type("ipv4")
            .max_capacity(512)
            .namespace_name("ns")
            .patch_version("patch 1")
            .pending_track_name("trailing")
            .port(5439)
            .price_performance_target(
                PerformanceTarget::builder()
                    .level(50)
                    .status(PerformanceTargetStatus::from("ENABLED"))
                    .build(),
            )
            .publicly_accessible(true)
            .security_group_ids("sg-1")
            .status(WorkgroupStatus::from("SOMETHING_NEW"))
            .subnet_ids("subnet-1")
            .track_name("current")
            .workgroup_arn("arn")
            .workgroup_id("id")
            .workgroup_name("wg")
            .workgroup_version("1.0")
            .build();
        let output = GetWorkgroupOutput::builder().workgroup(workgroup).build();
        let value = GetWorkgroup::output_value(&output, TimestampFormat::Iso8601);
        let skeleton = GetWorkgroup::output_skeleton();
        assert_eq!(keys(&value), keys(&skeleton));
        let (w, sw) = (&value["workgroup"], &skeleton["workgroup"]);
        assert_eq!(keys(w), keys(sw));
        assert_eq!(keys(&w["endpoint"]), keys(&sw["endpoint"]));
        let vpce = &w["endpoint"]["vpcEndpoints"][0];
        assert_eq!(keys(vpce), keys(&sw["endpoint"]["vpcEndpoints"][0]));
        assert_eq!(
            keys(&vpce["networkInterfaces"][0]),
            keys(&sw["endpoint"]["vpcEndpoints"][0]["networkInterfaces"][0])
        );
        assert_eq!(
            keys(&w["pricePerformanceTarget"]),
            keys(&sw["pricePerformanceTarget"])
        );
        assert_eq!(
            keys(&w["configParameters"][0]),
            keys(&sw["configParameters"][0])
        );
        // Values keep their JSON types; an enum value the model does not know is kept.
        assert_eq!(w["baseCapacity"], 8);
        assert_eq!(w["enhancedVpcRouting"], false);
        assert_eq!(w["status"], "SOMETHING_NEW");
        assert_eq!(w["pricePerformanceTarget"]["status"], "ENABLED");
        assert_eq!(w["creationDate"], "2026-11-28T05:00:00+00:00");
        assert_eq!(
            w["customDomainCertificateExpiryTime"],
            "2026-11-28T05:00:00.500000+00:00"
        );
        assert_eq!(w["endpoint"]["vpcEndpoints"][0]["vpcId"], "vpc-1");
    }

    /// Absent members are left out, and an empty list the service sent stays an empty list,
    /// as botocore parses them.
    #[test]
    fn absent_members_are_left_out_and_empty_lists_kept() {
        let output = GetWorkgroupOutput::builder()
            .workgroup(
                Workgroup::builder()
                    .workgroup_name("wg")
                    .set_subnet_ids(Some(vec![]))
                    .endpoint(Endpoint::builder().build())
                    .build(),
            )
            .build();
        assert_eq!(
            GetWorkgroup::output_value(&output, TimestampFormat::Wire).to_string(),
            r#"{"workgroup":{"endpoint":{},"subnetIds":[],"workgroupName":"wg"}}"#
        );
        let nothing = GetWorkgroupOutput::builder().build();
        assert_eq!(
            GetWorkgroup::output_value(&nothing, TimestampFormat::Wire),
            serde_json::json!({})
        );
    }
}
