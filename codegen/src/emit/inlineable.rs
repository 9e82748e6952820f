//! Static Rust the emitters copy verbatim into the generated crates.
//!
//! Code that interpolates nothing from the model (the client's `Config`, the protocol's
//! error-code parsing) is kept in real `.rs` files under `codegen/inlineable/`, as smithy-rs
//! keeps its inlineable files, rather than inside `quote!`: it is read, compiled, formatted and
//! linted where it is written. `codegen/inlineable-check`, an unpublished workspace crate,
//! mounts each file with `#[path]` so `cargo clippy --workspace` covers it; the files sit in a
//! directory without a `Cargo.toml` so `cargo package` keeps them in this crate.
//!
//! Each file is parsed with syn here, so its `//` comments (notes to the maintainer) are
//! dropped and its doc comments kept; the emitter adds the items that do depend on the model.

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::Error;

/// `Config`, its builder and the `From<&SdkConfig>` conversions of the client crate.
pub const CLIENT_CONFIG: (&str, &str) = (
    "codegen/inlineable/client_config.rs",
    include_str!("../../inlineable/client_config.rs"),
);

/// A UUID v4 for `@idempotencyToken` members left unset.
pub const IDEMPOTENCY_TOKEN: (&str, &str) = (
    "codegen/inlineable/idempotency_token.rs",
    include_str!("../../inlineable/idempotency_token.rs"),
);

/// What the client's `waiters` module shares: the JSON view, the comparators, the compiled
/// paths; the generator adds the views of the model's shapes and one module per waiter.
pub const WAITERS: (&str, &str) = (
    "codegen/inlineable/waiters.rs",
    include_str!("../../inlineable/waiters.rs"),
);

/// The body of a response that ended in a response error, kept out of `Debug`.
pub const RESPONSE_BODY: (&str, &str) = (
    "codegen/inlineable/response_body.rs",
    include_str!("../../inlineable/response_body.rs"),
);

/// The error-code and message parsing of awsJson error responses.
pub const JSON_ERRORS: (&str, &str) = (
    "codegen/inlineable/json_errors.rs",
    include_str!("../../inlineable/json_errors.rs"),
);

/// The readers of one JSON value each that the protocol crate's deserializers call.
pub const JSON_READ: (&str, &str) = (
    "codegen/inlineable/json_read.rs",
    include_str!("../../inlineable/json_read.rs"),
);

/// The client's runtime wiring shared by every operation (SigV4, endpoint, retries,
/// timeouts, interceptors).
pub const CLIENT_RUNTIME: (&str, &str) = (
    "codegen/inlineable/client_runtime.rs",
    include_str!("../../inlineable/client_runtime.rs"),
);

/// The client's `error` module: `SdkError`, the re-exported error types and
/// `ConstraintViolationExt`.
pub const CLIENT_ERROR: (&str, &str) = (
    "codegen/inlineable/client_error.rs",
    include_str!("../../inlineable/client_error.rs"),
);

/// The `aws.partition` rules function; the generator adds the partition table.
pub const PARTITION: (&str, &str) = (
    "codegen/inlineable/partition.rs",
    include_str!("../../inlineable/partition.rs"),
);

/// The `aws.parseArn` rules function.
pub const ENDPOINT_ARN: (&str, &str) = (
    "codegen/inlineable/endpoint_arn.rs",
    include_str!("../../inlineable/endpoint_arn.rs"),
);

/// The `substring` rules function.
pub const ENDPOINT_SUBSTRING: (&str, &str) = (
    "codegen/inlineable/endpoint_substring.rs",
    include_str!("../../inlineable/endpoint_substring.rs"),
);

/// The `isValidHostLabel` rules function (also checks `@hostLabel` values).
pub const ENDPOINT_HOST: (&str, &str) = (
    "codegen/inlineable/endpoint_host.rs",
    include_str!("../../inlineable/endpoint_host.rs"),
);

/// The serializer of an operation that adds endpoint parameters or a host prefix.
pub const OPERATION_ENDPOINT: (&str, &str) = (
    "codegen/inlineable/operation_endpoint.rs",
    include_str!("../../inlineable/operation_endpoint.rs"),
);

/// What every operation's `ser_request` and `de_error` share, in the protocol crate.
pub const PROTOCOL_OPERATION: (&str, &str) = (
    "codegen/inlineable/protocol_operation.rs",
    include_str!("../../inlineable/protocol_operation.rs"),
);

/// The endpoint cache of a client whose model requires endpoint discovery.
pub const ENDPOINT_DISCOVERY: (&str, &str) = (
    "codegen/inlineable/endpoint_discovery.rs",
    include_str!("../../inlineable/endpoint_discovery.rs"),
);

/// The gzip interceptor of a client with `@requestCompression` operations.
pub const REQUEST_COMPRESSION: (&str, &str) = (
    "codegen/inlineable/request_compression.rs",
    include_str!("../../inlineable/request_compression.rs"),
);

/// `x-amzn-query-mode` and `x-amzn-query-error`, in the protocol crate of a service with
/// `aws.protocols#awsQueryCompatible`.
pub const QUERY_COMPATIBLE: (&str, &str) = (
    "codegen/inlineable/query_compatible.rs",
    include_str!("../../inlineable/query_compatible.rs"),
);

/// A part of an inlineable file that only the models needing it get: the lines between
/// `// @only <name>` and `// @end <name>` (whole fields, statements or items). The file is
/// compiled with every section in `codegen/inlineable-check`; a model without the construct
/// gets none of it, so the crates of other models do not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// SigV4a signing: the scheme, its identity resolver and the signing region set setting.
    SigV4a,
    /// `@requestCompression`: the compression settings.
    RequestCompression,
    /// A rule set with `AWS::Auth::AccountId` or `AWS::Auth::AccountIdEndpointMode`: the
    /// mode setting, and the endpoint resolved after the identity.
    AccountIdEndpoint,
}

impl Section {
    /// Every section.
    pub const ALL: [Section; 3] = [
        Section::SigV4a,
        Section::RequestCompression,
        Section::AccountIdEndpoint,
    ];

    /// The name its markers use.
    pub fn name(self) -> &'static str {
        match self {
            Section::SigV4a => "sigv4a",
            Section::RequestCompression => "request-compression",
            Section::AccountIdEndpoint => "account-id-endpoint",
        }
    }
}

/// `text` with the sections not in `keep` removed (their marker lines too): an error naming
/// the file for an unknown, nested, unclosed or stray marker.
pub fn select(path: &str, text: &str, keep: &[Section]) -> Result<String, Error> {
    let error = |line: usize, message: String| Error::Emit {
        file: path.to_owned(),
        message: format!("line {}: {message}", line + 1),
    };
    let named = |name: &str| Section::ALL.into_iter().find(|s| s.name() == name);
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(Section, usize)> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// @only ") {
            let section =
                named(name).ok_or_else(|| error(n, format!("unknown section {name:?}")))?;
            if let Some((outer, _)) = open {
                return Err(error(
                    n,
                    format!("section {name:?} inside {:?}", outer.name()),
                ));
            }
            open = Some((section, n));
            continue;
        }
        if let Some(name) = trimmed.strip_prefix("// @end ") {
            match open {
                Some((section, _)) if section.name() == name => open = None,
                _ => return Err(error(n, format!("`// @end {name}` closes no open section"))),
            }
            continue;
        }
        if open.is_none_or(|(section, _)| keep.contains(&section)) {
            out.push_str(line);
        }
    }
    match open {
        Some((section, n)) => Err(error(
            n,
            format!("section {:?} is not closed", section.name()),
        )),
        None => Ok(out),
    }
}

/// [`file`] with only the sections in `keep` (see [`Section`]).
pub fn file_with(
    (path, text): (&str, &str),
    prefix: TokenStream,
    keep: &[Section],
) -> Result<TokenStream, Error> {
    file((path, &select(path, text, keep)?), prefix)
}

/// Parses an inlineable file, with `prefix` (the model-dependent items, such as a `mod`
/// declaration) placed before its items and after its inner attributes.
pub fn file((path, text): (&str, &str), prefix: TokenStream) -> Result<TokenStream, Error> {
    let parse_error = |e: syn::Error| Error::Emit {
        file: path.to_owned(),
        message: e.to_string(),
    };
    let mut file = syn::parse_file(text).map_err(parse_error)?;
    let prefix = syn::parse2::<syn::File>(prefix).map_err(parse_error)?;
    file.items.splice(0..0, prefix.items);
    Ok(file.into_token_stream())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a\n// @only sigv4a\nb\n// @end sigv4a\nc\n    // @only request-compression\n    d\n    // @end request-compression\n";

    #[test]
    fn sections_are_kept_only_for_models_that_need_them() {
        assert_eq!(select("f.rs", TEXT, &[]).unwrap(), "a\nc\n");
        assert_eq!(
            select("f.rs", TEXT, &[Section::SigV4a]).unwrap(),
            "a\nb\nc\n"
        );
        assert_eq!(
            select("f.rs", TEXT, &Section::ALL).unwrap(),
            "a\nb\nc\n    d\n"
        );
    }

    #[test]
    fn bad_markers_are_errors_naming_the_file_and_line() {
        for (text, expect) in [
            (
                "// @only nothing\n// @end nothing\n",
                "line 1: unknown section \"nothing\"",
            ),
            (
                "// @only sigv4a\n// @only sigv4a\n",
                "line 2: section \"sigv4a\" inside",
            ),
            (
                "x\n// @end sigv4a\n",
                "line 2: `// @end sigv4a` closes no open section",
            ),
            (
                "// @only sigv4a\nx\n",
                "line 1: section \"sigv4a\" is not closed",
            ),
        ] {
            let err = select("f.rs", text, &Section::ALL).unwrap_err().to_string();
            assert!(err.contains("f.rs") && err.contains(expect), "{err}");
        }
    }
}
