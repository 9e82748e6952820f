//! `@requestCompression`: the request body gzipped before it is signed and sent, as
//! smithy-rs's `RequestCompressionInterceptor` (aws-smithy-compression) does.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `request_compression.rs` when some operation has `@requestCompression` with
// `gzip`; `crate::runtime::assemble` registers the interceptor for those operations. The
// settings are the client's `disable_request_compression` and
// `request_min_compression_size_bytes`.

use ::std::io::Write as _;

/// The smallest body compressed when the client sets no minimum, as in the AWS SDKs.
pub(crate) const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest minimum the AWS SDKs accept (10 MiB).
pub(crate) const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

/// The gzip level aws-smithy-compression uses.
const LEVEL: u32 = 6;

/// Gzips the body of a request at least the minimum size, once, before the retry loop: adds
/// `Content-Encoding: gzip` (after any encoding already there) and sets `Content-Length`.
#[derive(::std::fmt::Debug)]
pub(crate) struct RequestCompressionInterceptor {
    disabled: bool,
    min_size: u32,
}

impl RequestCompressionInterceptor {
    /// The interceptor for `conf`'s settings.
    pub(crate) fn new(conf: &crate::Config) -> Self {
        RequestCompressionInterceptor {
            disabled: conf.disable_request_compression.unwrap_or(false),
            min_size: conf
                .request_min_compression_size_bytes
                .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE_BYTES),
        }
    }
}

impl ::aws_smithy_runtime_api::client::interceptors::Intercept for RequestCompressionInterceptor {
    fn name(&self) -> &'static str {
        "RequestCompressionInterceptor"
    }

    fn modify_before_retry_loop(
        &self,
        context: &mut ::aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &::aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _cfg: &mut ::aws_smithy_types::config_bag::ConfigBag,
    ) -> ::std::result::Result<(), ::aws_smithy_runtime_api::box_error::BoxError> {
        if self.min_size > MAX_MIN_COMPRESSION_SIZE_BYTES {
            return ::std::result::Result::Err(
                ::std::format!(
                    "request_min_compression_size_bytes is {}, above the largest accepted value, {MAX_MIN_COMPRESSION_SIZE_BYTES}",
                    self.min_size
                )
                .into(),
            );
        }
        if self.disabled {
            return ::std::result::Result::Ok(());
        }
        let request = context.request_mut();
        // awsJson bodies are always in memory.
        let ::std::option::Option::Some(body) = request.body().bytes() else {
            return ::std::result::Result::Ok(());
        };
        if (body.len() as u64) < u64::from(self.min_size) {
            return ::std::result::Result::Ok(());
        }
        let mut encoder = ::flate2::write::GzEncoder::new(
            ::std::vec::Vec::with_capacity(body.len() / 4),
            ::flate2::Compression::new(LEVEL),
        );
        encoder.write_all(body)?;
        let compressed = encoder.finish()?;
        let length = compressed.len().to_string();
        *request.body_mut() = ::aws_smithy_types::body::SdkBody::from(compressed);
        let headers = request.headers_mut();
        headers.append("content-encoding", "gzip");
        headers.insert("content-length", length);
        ::std::result::Result::Ok(())
    }
}
