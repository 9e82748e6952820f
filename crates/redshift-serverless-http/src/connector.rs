//! One operation's connector: a pooled hyper-util client with that operation's timeouts,
//! returning bodies bounded in size and time.

use crate::body::{BodyLimits, LimitedBody};
use crate::dns::Dns;
use crate::error::to_connector_error;
use crate::timeout::{ConnectTimeout, Deadline, TimeoutPhase};
use aws_smithy_runtime_api::client::connection::{CaptureSmithyConnection, ConnectionMetadata};
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorFuture};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::{
    capture_connection, CaptureConnection, HttpConnector as Tcp, HttpInfo,
};
use hyper_util::client::legacy::Client;
use std::fmt;

pub(crate) type Transport = ConnectTimeout<HttpsConnector<Tcp<Dns>>>;

/// Sends requests over the pool of one [`crate::HyperHttp1Client`] and one timeout setting.
pub(crate) struct Connector {
    pub(crate) client: Client<Transport, SdkBody>,
    pub(crate) read_timeout: Option<Deadline>,
    pub(crate) body: BodyLimits,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("read_timeout", &self.read_timeout.as_ref().map(|d| d.after))
            .field("max_response_size", &self.body.max_size)
            .field(
                "body_timeout",
                &self.body.deadline.as_ref().map(|d| d.after),
            )
            .finish_non_exhaustive()
    }
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let mut request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(err) => return HttpConnectorFuture::ready(Err(ConnectorError::user(err.into()))),
        };
        if let Err(err) = check_uri(request.uri()) {
            return HttpConnectorFuture::ready(Err(ConnectorError::user(err.into())));
        }
        let captured = capture_connection(&mut request);
        if let Some(smithy) = request.extensions().get::<CaptureSmithyConnection>() {
            smithy.set_connection_retriever(move || connection_metadata(&captured));
        }
        let responding = self.client.request(request);
        let limits = self.body.clone();
        let result = async move {
            let response = match responding.await {
                Ok(response) => response,
                Err(err) => return Err(to_connector_error(err.into())),
            };
            let response =
                response.map(|body| SdkBody::from_body_1_x(LimitedBody::new(body, &limits)));
            HttpResponse::try_from(response).map_err(|err| ConnectorError::other(err.into(), None))
        };
        match &self.read_timeout {
            Some(deadline) => {
                let bounded = deadline.bound(TimeoutPhase::Read, result);
                HttpConnectorFuture::new(async move {
                    match bounded.await {
                        Ok(result) => result,
                        Err(timeout) => Err(to_connector_error(timeout.into())),
                    }
                })
            }
            None => HttpConnectorFuture::new(result),
        }
    }
}

/// hyper-util reports a URI it cannot send as an unclassified error; it is the caller's.
fn check_uri(uri: &http::Uri) -> Result<(), String> {
    match (uri.scheme_str(), uri.authority()) {
        (Some("http" | "https"), Some(_)) => Ok(()),
        (Some(scheme), Some(_)) => Err(format!(
            "cannot send to `{uri}`: the scheme `{scheme}` is not http or https"
        )),
        _ => Err(format!(
            "cannot send to `{uri}`: the URI needs a scheme (http or https) and a host"
        )),
    }
}

/// What the orchestrator learns about the connection a request went out on: its addresses,
/// and a way to keep it out of the pool after a failure.
fn connection_metadata(captured: &CaptureConnection) -> Option<ConnectionMetadata> {
    let connected = captured.connection_metadata();
    let connected = connected.as_ref()?;
    let mut extras = http::Extensions::new();
    connected.get_extras(&mut extras);
    let info = extras.get::<HttpInfo>();
    let poison = captured.clone();
    let mut builder = ConnectionMetadata::builder()
        .proxied(false)
        .poison_fn(move || {
            if let Some(connected) = poison.connection_metadata().as_ref() {
                connected.poison();
            }
        });
    builder
        .set_remote_addr(info.map(HttpInfo::remote_addr))
        .set_local_addr(info.map(HttpInfo::local_addr));
    Some(builder.build())
}
