//! What an operation adds to endpoint resolution: rule-set parameters from the operation
//! (`smithy.rules#staticContextParams`) and its input (`smithy.rules#contextParam`), and the
//! host prefix of `@endpoint`.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `operation_endpoint.rs` when an operation has any of these traits; each such
// operation passes its serializer wrapped in [`Serializer`] with the function the generator
// writes for it. smithy-rs does the same work in a per-operation interceptor before
// serialization; here it runs as the request is serialized, which the orchestrator does once
// per call, before any attempt resolves the endpoint.

use ::aws_smithy_runtime_api::box_error::BoxError;
use ::aws_smithy_runtime_api::client::endpoint::{EndpointPrefix, EndpointResolverParams};

/// An operation's serializer that first sets, in the request's config bag, the endpoint
/// parameters and host prefix its input implies.
pub(crate) struct Serializer<I> {
    /// The protocol crate's `ser_request`.
    pub(crate) serialize: fn(
        &I,
    ) -> ::std::result::Result<
        ::aws_smithy_runtime_api::client::orchestrator::HttpRequest,
        BoxError,
    >,
    /// Sets the operation's parameters on the configuration's, and returns its host prefix.
    pub(crate) endpoint:
        fn(
            &I,
            &mut crate::config::endpoint::Params,
        ) -> ::std::result::Result<::std::option::Option<EndpointPrefix>, BoxError>,
}

impl<I> ::std::fmt::Debug for Serializer<I> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Serializer")
    }
}

impl<I> ::aws_smithy_runtime_api::client::ser_de::SerializeRequest for Serializer<I>
where
    I: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
{
    fn serialize_input(
        &self,
        input: ::aws_smithy_runtime_api::client::interceptors::context::Input,
        cfg: &mut ::aws_smithy_types::config_bag::ConfigBag,
    ) -> ::std::result::Result<::aws_smithy_runtime_api::client::orchestrator::HttpRequest, BoxError>
    {
        let input: I = input
            .downcast()
            .map_err(|_| "the orchestrator passed another operation's input")?;
        let mut params = cfg
            .load::<EndpointResolverParams>()
            .and_then(|p| p.get::<crate::config::endpoint::Params>())
            .cloned()
            .ok_or("the endpoint parameters of the configuration are missing")?;
        if let ::std::option::Option::Some(prefix) = (self.endpoint)(&input, &mut params)? {
            cfg.interceptor_state().store_put(prefix);
        }
        cfg.interceptor_state()
            .store_put(EndpointResolverParams::new(params));
        (self.serialize)(&input)
    }
}
