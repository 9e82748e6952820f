//! SigV4a: the ECDSA P-256 signature a request carries when it may be served in any region
//! of a set (`x-amz-region-set`), for services whose model offers `aws.auth#sigv4a`.
//!
//! aws-sigv4 does the signing (its `sigv4a` feature, which this crate's `sigv4a` feature turns
//! on); this module chooses what aws-runtime's `SigV4aSigner` chooses: the region set
//! configured on the client, else the endpoint's `signingRegionSet`, else the client's region;
//! the endpoint's `signingName` over the service's; the canonicalisation switches the endpoint
//! may set. The time is the client's clock shifted by the measured skew, as for SigV4.

use crate::fallback::sign_with;
use crate::scheme::{credentials, signing_time, EndpointSigning};
use aws_sigv4::http_request::SigningParams;
use aws_sigv4::sign::v4a;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{
    AuthScheme, AuthSchemeEndpointConfig, AuthSchemeId, Sign,
};
use aws_smithy_runtime_api::client::identity::{Identity, SharedIdentityResolver};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::config_bag::ConfigBag;

/// The SigV4a auth scheme id (`sigv4a`), the one aws-runtime and the endpoint rules use.
pub const SIGV4A_SCHEME_ID: AuthSchemeId = AuthSchemeId::new("sigv4a");

/// Signs requests with SigV4a for one client.
#[derive(Debug)]
pub struct SigV4aSigner {
    region: String,
    service: String,
    region_set: Option<String>,
}

impl SigV4aSigner {
    /// A signer for the client's `region`, the signing name `service` and, when the client
    /// sets one, its `region_set` (regions joined with `,`, or `*`).
    pub fn new(
        region: impl Into<String>,
        service: impl Into<String>,
        region_set: Option<String>,
    ) -> Self {
        SigV4aSigner {
            region: region.into(),
            service: service.into(),
            region_set,
        }
    }
}

impl Sign for SigV4aSigner {
    fn sign_http_request(
        &self,
        request: &mut HttpRequest,
        identity: &Identity,
        auth_scheme_endpoint_config: AuthSchemeEndpointConfig<'_>,
        runtime_components: &RuntimeComponents,
        config_bag: &ConfigBag,
    ) -> Result<(), BoxError> {
        credentials(identity)?;
        let time = signing_time(runtime_components, config_bag)?;
        let endpoint = EndpointSigning::from_config(&auth_scheme_endpoint_config)?;
        let region_set = self
            .region_set
            .as_deref()
            .or(endpoint.region_set.as_deref())
            .unwrap_or(&self.region);
        if region_set.is_empty() {
            return Err(
                "SigV4a signing needs a region set: configure a region or a signing region set"
                    .into(),
            );
        }
        let params = v4a::SigningParams::builder()
            .identity(identity)
            .region_set(region_set)
            .name(endpoint.name.as_deref().unwrap_or(&self.service))
            .time(time)
            .settings(endpoint.settings())
            .build()?;
        sign_with(request, &SigningParams::V4a(params))?;
        tracing::trace!("signed the request with SigV4a");
        Ok(())
    }
}

/// SigV4a with [`SigV4aSigner`]: registered by a generated client whose model offers it.
#[derive(Debug)]
pub struct SigV4aAuthScheme {
    signer: SigV4aSigner,
}

impl SigV4aAuthScheme {
    /// The scheme for the client's `region`, the signing name `service` and the configured
    /// `region_set`, if any (see [`SigV4aSigner::new`]).
    pub fn new(
        region: impl Into<String>,
        service: impl Into<String>,
        region_set: Option<String>,
    ) -> Self {
        SigV4aAuthScheme {
            signer: SigV4aSigner::new(region, service, region_set),
        }
    }
}

impl AuthScheme for SigV4aAuthScheme {
    fn scheme_id(&self) -> AuthSchemeId {
        SIGV4A_SCHEME_ID
    }

    fn identity_resolver(
        &self,
        identity_resolvers: &dyn GetIdentityResolver,
    ) -> Option<SharedIdentityResolver> {
        identity_resolvers.identity_resolver(self.scheme_id())
    }

    fn signer(&self) -> &dyn Sign {
        &self.signer
    }
}
