//! Name resolution: hyper-util's `getaddrinfo` resolver, with its failures typed as
//! `ResolveDnsError` so the retry classifier can tell them from other connect failures
//! (as it can with aws-smithy-http-client).

use aws_smithy_runtime_api::client::dns::ResolveDnsError;
use hyper_util::client::legacy::connect::dns::{GaiAddrs, GaiResolver, Name};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Clone, Debug)]
pub(crate) struct Dns(GaiResolver);

impl Dns {
    pub(crate) fn new() -> Self {
        Dns(GaiResolver::new())
    }
}

impl tower_service::Service<Name> for Dns {
    type Response = GaiAddrs;
    type Error = ResolveDnsError;
    type Future = Pin<Box<dyn Future<Output = Result<GaiAddrs, ResolveDnsError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx).map_err(ResolveDnsError::new)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let resolving = self.0.call(name);
        Box::pin(async move { resolving.await.map_err(ResolveDnsError::new) })
    }
}
