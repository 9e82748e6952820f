//! Compiles and lints the generator's inlineable files where they are written.
//!
//! The files under `codegen/inlineable/` are copied verbatim into the generated crates (see
//! `codegen/src/emit/inlineable.rs`). Mounting each one here with `#[path]`, with the paths it
//! names resolving as in the generated crate, makes `cargo build`, `cargo clippy` and
//! `cargo fmt` see the file itself, so a problem is reported at the line a maintainer edits
//! rather than in a generated copy. Every section of a file (`// @only ...`, which only the
//! models needing it get) is compiled here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// As the client crate re-exports it.
pub use config::Config;

/// The client crate's `config` module: the inlined file and the generated resolver it names
/// (`crate::config::endpoint`).
pub mod config {
    pub use crate::client_config::*;
    pub use redshift_serverless_client::config::endpoint;
}

/// The client crate's `runtime` module: the inlined file, and the model-dependent items the
/// generator puts before it (here the main crates' values).
// Called by generated operations and the client, which are not here.
#[allow(dead_code, unused_imports)]
mod runtime {
    pub(crate) use crate::client_runtime::*;

    /// The SigV4 signing name.
    pub(crate) const SIGNING_NAME: &str = "redshift-serverless";
    /// The service's sdkId, which names its endpoint settings (`AWS_ENDPOINT_URL_<ID>`).
    pub(crate) const SERVICE_NAME: &str = "Redshift Serverless";
    /// The service id in the user agent and the retry partition.
    pub(crate) const SERVICE_ID: &str = "redshiftserverless";
    /// The client crate.
    pub(crate) const CLIENT_CRATE: &str = "redshift-serverless-client";

    /// The endpoint parameters this configuration implies.
    pub(crate) fn endpoint_params(
        conf: &crate::config::Config,
    ) -> Result<crate::config::endpoint::Params, crate::config::endpoint::InvalidParams> {
        crate::config::endpoint::Params::builder()
            .set_endpoint(conf.endpoint_url.clone())
            .set_region(conf.region.as_ref().map(|r| r.as_ref().to_owned()))
            .set_use_dual_stack(conf.use_dual_stack)
            .set_use_fips(conf.use_fips)
            .build()
    }
}

/// `codegen/inlineable/client_runtime.rs`, as the client crate's `runtime`.
// Its functions are called by generated operations and the client, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/client_runtime.rs"]
mod client_runtime;

/// `codegen/inlineable/client_error.rs`, as the client crate's `error`.
#[path = "../../inlineable/client_error.rs"]
pub mod error;

/// The client crate's `endpoint_lib::partition`: the inlined file and the generator's
/// partition table (here one partition).
// `resolve` is called by the generated endpoint resolver, which is not here.
#[allow(dead_code)]
mod endpoint_lib {
    pub(crate) mod partition {
        pub(crate) use crate::partition::*;

        /// The partition table.
        pub(crate) static PARTITIONS: [PartitionEntry; 1] = [PartitionEntry {
            id: "aws",
            region_regex: "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
            regions: &["us-east-1"],
            outputs: Partition {
                name: "aws",
                dns_suffix: "amazonaws.com",
                dual_stack_dns_suffix: "api.aws",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "us-east-1",
            },
        }];
    }
}

/// `codegen/inlineable/partition.rs`, as the client crate's `endpoint_lib::partition`.
#[allow(dead_code)]
#[path = "../../inlineable/partition.rs"]
mod partition;

/// `codegen/inlineable/client_config.rs`.
// `Config`'s fields are read by the generated `runtime` module, which is not here.
#[allow(dead_code)]
#[path = "../../inlineable/client_config.rs"]
mod client_config;

/// `codegen/inlineable/json_errors.rs`, as the protocol crate's `json_errors`.
#[path = "../../inlineable/json_errors.rs"]
pub mod json_errors;

/// `codegen/inlineable/json_read.rs`, as the protocol crate's `json_read`.
// Called only by generated deserializers, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/json_read.rs"]
mod json_read;

/// `codegen/inlineable/idempotency_token.rs`.
// Called only by generated fluent builders, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/idempotency_token.rs"]
mod idempotency_token;

/// `codegen/inlineable/response_body.rs`, as the client crate's `response_body`.
// `RedactResponseBody` is registered by generated operations, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/response_body.rs"]
mod response_body;

/// `codegen/inlineable/protocol_operation.rs`, as the protocol crate's `protocol_operation`.
// Called only by generated operations, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/protocol_operation.rs"]
mod protocol_operation;

/// `codegen/inlineable/query_compatible.rs`, as the protocol crate of an awsQueryCompatible
/// service has it.
// Called only by generated operations, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/query_compatible.rs"]
mod query_compatible;

/// The client crate's `endpoint_discovery` module: the inlined file, and the name of the
/// discovery operation the generator puts before it.
// Used only by a generated client whose model requires endpoint discovery, which is not here.
#[allow(dead_code, unused_imports)]
mod endpoint_discovery {
    pub(crate) use crate::endpoint_discovery_file::*;

    /// The operation that discovers endpoints.
    pub(crate) const DISCOVERY_OPERATION: &str = "DescribeEndpoints";
}

/// `codegen/inlineable/endpoint_discovery.rs`, as the client crate's `endpoint_discovery`.
#[allow(dead_code)]
#[path = "../../inlineable/endpoint_discovery.rs"]
mod endpoint_discovery_file;

/// `codegen/inlineable/endpoint_arn.rs`, as the client crate's `endpoint_lib::arn`.
// Called by a generated endpoint resolver whose rule set parses ARNs, which is not here.
#[allow(dead_code)]
#[path = "../../inlineable/endpoint_arn.rs"]
mod endpoint_arn;

/// `codegen/inlineable/endpoint_host.rs`, as the client crate's `endpoint_lib::host`.
// Called by a generated endpoint resolver or operation, which is not here.
#[allow(dead_code)]
#[path = "../../inlineable/endpoint_host.rs"]
mod endpoint_host;

/// `codegen/inlineable/endpoint_substring.rs`, as the client crate's `endpoint_lib::substring`.
// Called by a generated endpoint resolver whose rule set takes substrings, which is not here.
#[allow(dead_code)]
#[path = "../../inlineable/endpoint_substring.rs"]
mod endpoint_substring;

/// `codegen/inlineable/operation_endpoint.rs`, as the client crate's `operation_endpoint`.
// Used by generated operations with endpoint parameters or a host prefix, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/operation_endpoint.rs"]
mod operation_endpoint;

/// `codegen/inlineable/waiters.rs`, as the client crate's `waiters` (the generator puts the
/// model's `JsonView` implementations and one module per waiter before it).
#[path = "../../inlineable/waiters.rs"]
mod waiters;

/// `codegen/inlineable/request_compression.rs`, as the client crate of a model with
/// `@requestCompression` operations has it.
// Registered by `runtime::assemble` for generated operations, which are not here.
#[allow(dead_code)]
#[path = "../../inlineable/request_compression.rs"]
mod request_compression;
