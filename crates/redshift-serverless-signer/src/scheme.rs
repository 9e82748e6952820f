//! The signer and the auth scheme the generated client registers.

use crate::fallback::sign_with_aws_sigv4;
use crate::key::KeyCache;
use crate::skew::SigningClockSkew;
use crate::{date, fast};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{PercentEncodingMode, SigningSettings, UriPathNormalizationMode};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{
    AuthScheme, AuthSchemeEndpointConfig, AuthSchemeId, Sign,
};
use aws_smithy_runtime_api::client::identity::{Identity, SharedIdentityResolver};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::Document;
use std::time::SystemTime;

/// The SigV4 auth scheme id (`sigv4`), the one aws-runtime and the AWS SDKs use, so an
/// identity resolver registered for SigV4 is found.
pub const SCHEME_ID: AuthSchemeId = AuthSchemeId::new("sigv4");

/// Which code signed a request (see the crate documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningPath {
    /// This crate's canonical request with the cached signing key.
    Cached,
    /// `aws_sigv4::http_request::sign`.
    AwsSigv4,
}

/// Signs requests for one region and service, keeping the last signing key.
#[derive(Debug)]
pub struct RequestSigner {
    region: String,
    service: String,
    keys: KeyCache,
}

impl RequestSigner {
    /// A signer for `region` and `service` (the SigV4 signing name).
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Self {
        RequestSigner {
            region: region.into(),
            service: service.into(),
            keys: KeyCache::new(),
        }
    }

    /// Signs `request` at `time` with the credentials in `identity`: adds `x-amz-date`,
    /// `authorization` and, with a session token, `x-amz-security-token`.
    pub fn sign(
        &self,
        request: &mut HttpRequest,
        identity: &Identity,
        time: SystemTime,
    ) -> Result<SigningPath, BoxError> {
        let creds = credentials(identity)?;
        // aws-sigv4 panics formatting a year past 9999; no real clock gets there.
        let amz_date = date::amz_date(time)
            .ok_or("cannot sign at a time before 1970 or after 9999 (check the clock)")?;
        let (Some(plan), Some(body)) = (fast::plan(request.uri()), request.body().bytes()) else {
            sign_with_aws_sigv4(
                request,
                identity,
                time,
                &self.region,
                &self.service,
                SigningSettings::default(),
            )?;
            return Ok(SigningPath::AwsSigv4);
        };
        let signature = fast::sign(
            fast::Request {
                method: request.method(),
                plan,
                headers: request.headers().iter(),
                body,
                amz_date,
                access_key_id: creds.access_key_id(),
                secret_access_key: creds.secret_access_key(),
                session_token: creds.session_token(),
                time,
                region: &self.region,
                service: &self.service,
            },
            &self.keys,
        );
        let session_token = creds
            .session_token()
            .map(http::HeaderValue::from_str)
            .transpose()?;
        let headers = request.headers_mut();
        headers.insert(
            "x-amz-date",
            http::HeaderValue::from_bytes(&signature.amz_date)?,
        );
        headers.insert(
            "authorization",
            http::HeaderValue::from_str(&signature.authorization)?,
        );
        if let Some(mut token) = session_token {
            token.set_sensitive(true);
            headers.insert("x-amz-security-token", token);
        }
        Ok(SigningPath::Cached)
    }
}

pub(crate) fn credentials(identity: &Identity) -> Result<&Credentials, BoxError> {
    identity
        .data::<Credentials>()
        .ok_or_else(|| "SigV4 signing needs AWS credentials as the identity".into())
}

/// Signing properties an endpoint's auth scheme may carry (as aws-runtime reads them).
#[derive(Default)]
pub(crate) struct EndpointSigning {
    pub(crate) region: Option<String>,
    /// SigV4a's `signingRegionSet`, its regions joined with `,` as aws-runtime joins them.
    pub(crate) region_set: Option<String>,
    pub(crate) name: Option<String>,
    disable_double_encoding: Option<bool>,
    disable_normalize_path: Option<bool>,
}

impl EndpointSigning {
    pub(crate) fn from_config(config: &AuthSchemeEndpointConfig<'_>) -> Result<Self, BoxError> {
        let mut out = EndpointSigning::default();
        if config.as_document().is_none() {
            return Ok(out);
        }
        let string = |field: &'static str| -> Result<Option<String>, BoxError> {
            match config.get(field) {
                None => Ok(None),
                Some(Document::String(s)) => Ok(Some(s.clone())),
                Some(_) => {
                    Err(format!("endpoint auth scheme property `{field}` is not a string").into())
                }
            }
        };
        let boolean = |field: &'static str| -> Result<Option<bool>, BoxError> {
            match config.get(field) {
                None => Ok(None),
                Some(Document::Bool(b)) => Ok(Some(*b)),
                Some(_) => {
                    Err(format!("endpoint auth scheme property `{field}` is not a boolean").into())
                }
            }
        };
        out.region = string("signingRegion")?;
        out.region_set = match config.get("signingRegionSet") {
            None => None,
            Some(Document::Array(regions)) => Some(
                regions
                    .iter()
                    .map(|r| match r {
                        Document::String(s) => Ok(s.as_str()),
                        _ => Err("endpoint auth scheme property `signingRegionSet` holds a value that is not a string"),
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .join(","),
            ),
            Some(_) => {
                return Err(
                    "endpoint auth scheme property `signingRegionSet` is not a list".into(),
                )
            }
        };
        out.name = string("signingName")?;
        out.disable_double_encoding = boolean("disableDoubleEncoding")?;
        out.disable_normalize_path = boolean("disableNormalizePath")?;
        Ok(out)
    }

    /// Whether nothing SigV4 reads is set (`signingRegionSet` is SigV4a's).
    fn is_empty(&self) -> bool {
        self.region.is_none()
            && self.name.is_none()
            && self.disable_double_encoding.is_none()
            && self.disable_normalize_path.is_none()
    }

    pub(crate) fn settings(&self) -> SigningSettings {
        let mut settings = SigningSettings::default();
        if self.disable_double_encoding == Some(true) {
            settings.percent_encoding_mode = PercentEncodingMode::Single;
        }
        if self.disable_normalize_path == Some(true) {
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        settings
    }
}

impl Sign for RequestSigner {
    fn sign_http_request(
        &self,
        request: &mut HttpRequest,
        identity: &Identity,
        auth_scheme_endpoint_config: AuthSchemeEndpointConfig<'_>,
        runtime_components: &RuntimeComponents,
        config_bag: &ConfigBag,
    ) -> Result<(), BoxError> {
        let time = signing_time(runtime_components, config_bag)?;
        let endpoint = EndpointSigning::from_config(&auth_scheme_endpoint_config)?;
        let path = if endpoint.is_empty() {
            self.sign(request, identity, time)?
        } else {
            // An endpoint that overrides the scope or the canonicalisation: rare enough to
            // leave entirely to aws-sigv4.
            credentials(identity)?;
            sign_with_aws_sigv4(
                request,
                identity,
                time,
                endpoint.region.as_deref().unwrap_or(&self.region),
                endpoint.name.as_deref().unwrap_or(&self.service),
                endpoint.settings(),
            )?;
            SigningPath::AwsSigv4
        };
        tracing::trace!(?path, "signed the request");
        Ok(())
    }
}

/// The time to sign at: the time source's now, shifted by the measured clock skew.
pub(crate) fn signing_time(
    runtime_components: &RuntimeComponents,
    config_bag: &ConfigBag,
) -> Result<SystemTime, BoxError> {
    let now = runtime_components
        .time_source()
        .ok_or("signing needs a time source")?
        .now();
    Ok(config_bag
        .load::<SigningClockSkew>()
        .map_or(now, |skew| skew.apply(now)))
}

/// SigV4 with [`RequestSigner`]: what the generated client registers in place of
/// aws-runtime's `SigV4AuthScheme`.
#[derive(Debug)]
pub struct SigV4AuthScheme {
    signer: RequestSigner,
}

impl SigV4AuthScheme {
    /// The scheme for `region` and the signing name `service`.
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Self {
        SigV4AuthScheme {
            signer: RequestSigner::new(region, service),
        }
    }
}

impl AuthScheme for SigV4AuthScheme {
    fn scheme_id(&self) -> AuthSchemeId {
        SCHEME_ID
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(scheme: Document) -> Result<EndpointSigning, String> {
        EndpointSigning::from_config(&AuthSchemeEndpointConfig::from(&scheme))
            .map_err(|e| e.to_string())
    }

    fn scheme(fields: &[(&str, Document)]) -> Document {
        let mut map: HashMap<String, Document> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        map.insert("name".to_owned(), "sigv4a".into());
        Document::Object(map)
    }

    /// SigV4a's `signingRegionSet` is read as aws-runtime reads it (joined with `,`); a value
    /// of the wrong type is an error naming the property, and it alone does not send SigV4
    /// off the fast path.
    #[test]
    fn the_signing_region_set_is_read_from_the_endpoint() {
        let set = |regions: &[&str]| {
            Document::Array(regions.iter().map(|r| (*r).into()).collect::<Vec<_>>())
        };
        let read_set = read(scheme(&[(
            "signingRegionSet",
            set(&["us-east-1", "eu-west-1"]),
        )]))
        .unwrap();
        assert_eq!(read_set.region_set.as_deref(), Some("us-east-1,eu-west-1"));
        assert!(read_set.is_empty(), "nothing SigV4 reads");
        assert_eq!(
            read(scheme(&[("signingRegionSet", set(&["*"]))]))
                .unwrap()
                .region_set
                .as_deref(),
            Some("*")
        );
        assert_eq!(read(scheme(&[])).unwrap().region_set, None);
        let not_a_list = read(scheme(&[("signingRegionSet", "*".into())])).err();
        assert_eq!(
            not_a_list.as_deref(),
            Some("endpoint auth scheme property `signingRegionSet` is not a list")
        );
        let not_strings = read(scheme(&[(
            "signingRegionSet",
            Document::Array(vec![Document::Bool(true)]),
        )]))
        .err();
        assert_eq!(
            not_strings.as_deref(),
            Some("endpoint auth scheme property `signingRegionSet` holds a value that is not a string")
        );
    }
}
