//! TLS to the workgroup, checked as the AWS drivers' `verify-full` checks it by default:
//! the certificate chains to a trusted root and names the host. `verify-ca` checks the chain
//! only. Trust is the platform's roots plus any CA bundle given.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// How the workgroup's certificate is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsMode {
    /// The chain is trusted and the certificate names the host (the drivers' default).
    #[default]
    VerifyFull,
    /// The chain is trusted; the name is not checked (for an endpoint reached by another
    /// name, such as an SSH tunnel's `localhost`).
    VerifyCa,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The client configuration for `mode`, trusting the platform's roots (unless
/// `platform_roots` is false) and the certificates of each PEM bundle.
pub(crate) fn client_config(
    mode: TlsMode,
    platform_roots: bool,
    bundles: &[Vec<u8>],
) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    if platform_roots {
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
    }
    for (i, pem) in bundles.iter().enumerate() {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| format!("CA bundle {} is not PEM: {e}", i + 1))?;
            roots
                .add(cert)
                .map_err(|e| format!("CA bundle {}: a certificate is unusable: {e}", i + 1))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!("CA bundle {} holds no certificate", i + 1));
        }
    }
    if roots.is_empty() {
        return Err("no trusted roots: the platform has none and no CA bundle was given".into());
    }
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier(mode, roots)?)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// webpki's verifier for `verify-full`; the same without the name check for `verify-ca`.
fn verifier(mode: TlsMode, roots: RootCertStore) -> Result<Arc<dyn ServerCertVerifier>, String> {
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| format!("cannot configure TLS: {e}"))?;
    Ok(match mode {
        TlsMode::VerifyFull => webpki,
        TlsMode::VerifyCa => Arc::new(ChainOnly(webpki)),
    })
}

/// The name the certificate must carry: an IP address or a DNS name.
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_owned())
        .map_err(|_| format!("{host:?} is neither an IP address nor a DNS name"))
}

/// `verify-ca`: webpki's checks, less the name. The name is webpki's last check, so
/// ignoring its failure skips nothing else.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

    /// A CA, and a leaf it signs for `names`: (CA DER, leaf DER).
    fn pki(names: &[&str]) -> (CertificateDer<'static>, CertificateDer<'static>) {
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let leaf = CertificateParams::new(names)
            .unwrap()
            .signed_by(&KeyPair::generate().unwrap(), &issuer)
            .unwrap();
        (
            CertificateDer::from(ca_cert.der().to_vec()),
            CertificateDer::from(leaf.der().to_vec()),
        )
    }

    fn check(
        mode: TlsMode,
        ca: &CertificateDer<'_>,
        leaf: &CertificateDer<'_>,
        host: &str,
    ) -> Result<(), rustls::Error> {
        let mut roots = RootCertStore::empty();
        roots.add(ca.clone().into_owned()).unwrap();
        verifier(mode, roots)
            .unwrap()
            .verify_server_cert(leaf, &[], &server_name(host).unwrap(), &[], UnixTime::now())
            .map(|_| ())
    }

    #[test]
    fn verify_full_checks_the_name_and_verify_ca_only_the_chain() {
        let (ca, leaf) = pki(&["wg.example.com"]);
        assert!(check(TlsMode::VerifyFull, &ca, &leaf, "wg.example.com").is_ok());
        assert!(check(TlsMode::VerifyFull, &ca, &leaf, "localhost").is_err());
        assert!(check(TlsMode::VerifyCa, &ca, &leaf, "localhost").is_ok());
        // A certificate from another authority fails in either mode.
        let (other_ca, _) = pki(&["wg.example.com"]);
        for mode in [TlsMode::VerifyFull, TlsMode::VerifyCa] {
            assert!(
                check(mode, &other_ca, &leaf, "wg.example.com").is_err(),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn bundles_must_hold_certificates() {
        assert_eq!(
            client_config(TlsMode::VerifyFull, false, &[]).unwrap_err(),
            "no trusted roots: the platform has none and no CA bundle was given"
        );
        assert!(client_config(TlsMode::VerifyFull, false, &[b"junk".to_vec()]).is_err());
        assert!(server_name("not a host name").is_err());
        assert!(server_name("127.0.0.1").is_ok());
    }
}
