//! The rustls configuration: ring as the one crypto provider, the platform's roots.

use rustls::{ClientConfig, RootCertStore};
use std::sync::Arc;

/// A client configuration trusting the platform's root certificates. Certificates the
/// platform store holds but rustls cannot parse are skipped, as rustls-native-certs
/// advises; an empty store is logged, since every `https` request would then fail.
pub(crate) fn platform_config() -> Result<ClientConfig, rustls::Error> {
    let loaded = rustls_native_certs::load_native_certs();
    for error in &loaded.errors {
        tracing::debug!(%error, "skipped part of the platform's certificate store");
    }
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
    tracing::debug!(added, ignored, "loaded the platform's root certificates");
    if roots.is_empty() {
        tracing::warn!(
            "no root certificates found in the platform store (is ca-certificates \
             installed? SSL_CERT_FILE and SSL_CERT_DIR are honoured): https requests will fail"
        );
    }
    config_with_roots(roots)
}

/// A client configuration trusting exactly `roots`.
pub(crate) fn config_with_roots(roots: RootCertStore) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
