//! The rustls configuration: ring as the one crypto provider, and where trust comes from.
//!
//! By default the platform's roots. Two alternatives exist because the AWS CLI has them
//! (`--ca-bundle` / `AWS_CA_BUNDLE` / `ca_bundle`, and `--no-verify-ssl`), and a drop-in CLI
//! needs them without reaching into rustls:
//! - [`config_trusting_pem`]: trust exactly the certificates of a PEM bundle, instead of the
//!   platform's roots, as botocore does with a CA bundle (a private CA, a TLS-inspecting
//!   proxy's CA, a test server);
//! - [`dangerous::config_accepting_any_certificate`]: no certificate check at all. Named as
//!   dangerous because it is: anyone on the path can impersonate the endpoint.

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use std::fmt;
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
    Ok(builder()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn builder() -> Result<rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier>, rustls::Error> {
    ClientConfig::builder_with_provider(provider()).with_safe_default_protocol_versions()
}

/// A client configuration trusting exactly the certificates in `pem` (one or more
/// `-----BEGIN CERTIFICATE-----` sections; other sections, such as keys, are skipped), and
/// not the platform's roots: the AWS CLI's `--ca-bundle`.
///
/// Fails, naming what is wrong, when the text is not PEM, when a section does not decode,
/// when it holds no certificate, or when a certificate is not one rustls can use as a root.
pub fn config_trusting_pem(pem: &[u8]) -> Result<ClientConfig, CaBundleError> {
    let mut roots = RootCertStore::empty();
    for (index, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| CaBundleError::Pem {
            certificate: index + 1,
            error: e,
        })?;
        roots.add(cert).map_err(|e| CaBundleError::Unusable {
            certificate: index + 1,
            error: e,
        })?;
    }
    if roots.is_empty() {
        return Err(CaBundleError::NoCertificates);
    }
    config_with_roots(roots).map_err(CaBundleError::Config)
}

/// Why a CA bundle cannot be used. `certificate` counts the bundle's certificates from 1.
#[derive(Debug)]
#[non_exhaustive]
pub enum CaBundleError {
    /// The text holds no `CERTIFICATE` section.
    NoCertificates,
    /// A section is not valid PEM (a missing end line, bad base64).
    Pem {
        /// Which certificate section, from 1.
        certificate: usize,
        /// What the PEM reader said.
        error: pem::Error,
    },
    /// A certificate decoded but cannot be a trust anchor (not an X.509 certificate).
    Unusable {
        /// Which certificate, from 1.
        certificate: usize,
        /// What rustls said.
        error: rustls::Error,
    },
    /// rustls refused the configuration (cannot happen with ring's defaults).
    Config(rustls::Error),
}

impl fmt::Display for CaBundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaBundleError::NoCertificates => f.write_str(
                "the CA bundle holds no certificate (expected PEM `-----BEGIN CERTIFICATE-----` sections)",
            ),
            CaBundleError::Pem { certificate, error } => {
                write!(f, "certificate {certificate} of the CA bundle is not valid PEM: {error}")
            }
            CaBundleError::Unusable { certificate, error } => write!(
                f,
                "certificate {certificate} of the CA bundle cannot be used as a root: {error}"
            ),
            CaBundleError::Config(error) => write!(f, "TLS configuration failed: {error}"),
        }
    }
}

impl std::error::Error for CaBundleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CaBundleError::NoCertificates => None,
            CaBundleError::Pem { error, .. } => Some(error),
            CaBundleError::Unusable { error, .. } | CaBundleError::Config(error) => Some(error),
        }
    }
}

/// Turning certificate checks off. Everything here makes TLS encrypt without
/// authenticating: use it only against a test endpoint you control.
pub mod dangerous {
    use super::{builder, provider};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
    use std::sync::Arc;

    /// A client configuration that accepts any server certificate for any name: the AWS
    /// CLI's `--no-verify-ssl`. The handshake signature is still checked against the key of
    /// the certificate the server sent (so the server holds that key), but nothing ties that
    /// certificate to a trusted issuer or to the host name.
    pub fn config_accepting_any_certificate() -> ClientConfig {
        // ring's default provider offers both protocol versions, so this cannot fail.
        builder()
            .expect("ring supports rustls's default protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider())))
            .with_no_client_auth()
    }

    #[derive(Debug)]
    struct AcceptAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

    impl ServerCertVerifier for AcceptAnyCertificate {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }
}
