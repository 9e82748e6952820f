//! `get-identity-center-auth-token`: a short-lived IAM Identity Center token for workgroups.

use std::future::Future;

use redshift_serverless_client::error::{BuildError, SdkError};
use redshift_serverless_client::operation::get_identity_center_auth_token::{
    GetIdentityCenterAuthTokenError, GetIdentityCenterAuthTokenInput,
    GetIdentityCenterAuthTokenOutput,
};
use redshift_serverless_client::Client;
use redshift_serverless_retry::ModeledErrors;
use serde_json::Value;

use super::{Member, MemberKind, Object, Operation, OperationArgs, Params};
use crate::args::{GetTokenArgs, InputArgs};
use crate::settings::TimestampFormat;

/// The input member, by its API name.
pub const WORKGROUP_NAMES: &str = "workgroupNames";

/// `GetIdentityCenterAuthToken`.
#[derive(Debug, Clone, Copy)]
pub struct GetIdentityCenterAuthToken;

impl Operation for GetIdentityCenterAuthToken {
    const NAME: &'static str = "GetIdentityCenterAuthToken";
    const MEMBERS: &'static [Member] = &[Member {
        name: WORKGROUP_NAMES,
        flag: "--workgroup-names",
        kind: MemberKind::StringList,
        required: true,
        doc: "Workgroups the token gives access to (1 to 20 names).",
    }];
    const ERRORS: ModeledErrors<'static> = ModeledErrors::new(
        GetIdentityCenterAuthTokenError::MODELED_ERROR_CODES,
        GetIdentityCenterAuthTokenError::RETRYABLE_ERRORS,
    );

    type Args = GetTokenArgs;
    type Input = GetIdentityCenterAuthTokenInput;
    type Output = GetIdentityCenterAuthTokenOutput;
    type Error = GetIdentityCenterAuthTokenError;

    fn input(params: &Params) -> Result<Self::Input, BuildError> {
        GetIdentityCenterAuthTokenInput::builder()
            .set_workgroup_names(params.string_list(WORKGROUP_NAMES))
            .build()
    }

    fn send(
        client: &Client,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> {
        client
            .get_identity_center_auth_token()
            .set_workgroup_names(Some(input.workgroup_names))
            .send()
    }

    /// `expirationTime`, then `token`: the AWS CLI's model order.
    fn output_value(output: &Self::Output, timestamps: TimestampFormat) -> Value {
        Object::new()
            .timestamp("expirationTime", output.expiration_time(), timestamps)
            .string("token", output.token())
            .build()
    }

    fn output_skeleton() -> Value {
        serde_json::json!({
            "expirationTime": "1970-01-01T00:00:00",
            "token": "token",
        })
    }
}

impl OperationArgs for GetTokenArgs {
    fn input_args(&self) -> &InputArgs {
        &self.input
    }

    fn flag(&self, member: &str) -> Option<&[String]> {
        match member {
            WORKGROUP_NAMES => self.workgroup_names.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;

    #[test]
    fn output_in_the_aws_clis_member_order() {
        let output = GetIdentityCenterAuthTokenOutput::builder()
            .token("tok")
            .expiration_time(DateTime::from_secs(1_795_842_000))
            .build();
        let value = GetIdentityCenterAuthToken::output_value(&output, TimestampFormat::Iso8601);
        assert_eq!(
            value.to_string(),
            r#"{"expirationTime":"2026-11-28T05:00:00+00:00","token":"tok"}"#
        );
        let empty = GetIdentityCenterAuthTokenOutput::builder().build();
        assert_eq!(
            GetIdentityCenterAuthToken::output_value(&empty, TimestampFormat::Wire),
            serde_json::json!({})
        );
    }
}
