//! go-plugin's AutoMTLS, server side: a fresh self-signed server certificate
//! per process, and mutual TLS that admits only the client certificate
//! Terraform passed in `PLUGIN_CLIENT_CERT`.
//!
//! Terraform's client certificate is a self-signed CA certificate (ECDSA
//! P-521) that it also uses as its leaf. rustls' WebPKI client verifier
//! refuses a CA certificate used as an end entity, so this module pins the
//! exact certificate instead (which is what go-plugin's own verification
//! amounts to: a pool holding that one certificate) and still verifies the
//! handshake signature with it, using aws-lc-rs, which verifies P-521.

use std::sync::Arc;

use rustls::DistinguishedName;
use rustls::SignatureScheme;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, Error as TlsError, ServerConfig};

/// TLS settings for the plugin server and the server certificate (DER) to
/// announce in the handshake line.
pub struct PluginTls {
    pub config: Arc<ServerConfig>,
    pub server_cert_der: Vec<u8>,
}

/// Builds the server side of AutoMTLS from Terraform's client certificate (PEM).
pub fn auto_mtls(client_cert_pem: &str) -> Result<PluginTls, String> {
    let client_cert = rustls_pemfile::certs(&mut client_cert_pem.as_bytes())
        .next()
        .ok_or("PLUGIN_CLIENT_CERT holds no certificate")?
        .map_err(|e| format!("PLUGIN_CLIENT_CERT is not a valid PEM certificate: {e}"))?;

    let (cert_der, key_der) = server_certificate()?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(PinnedClientCert {
        expected: client_cert.into_owned(),
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![CertificateDer::from(cert_der.clone())], key_der)
        .map_err(|e| format!("server certificate: {e}"))?;
    // gRPC clients (grpc-go ≥ 1.67) require ALPN h2.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(PluginTls {
        config: Arc::new(config),
        server_cert_der: cert_der,
    })
}

/// A self-signed certificate shaped like go-plugin's own: SAN `localhost`,
/// server and client auth, valid from 30 s ago.
fn server_certificate() -> Result<(Vec<u8>, PrivateKeyDer<'static>), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName as Dn, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(|e| e.to_string())?;
    let mut params =
        CertificateParams::new(vec!["localhost".to_string()]).map_err(|e| e.to_string())?;
    let mut dn = Dn::new();
    dn.push(DnType::OrganizationName, "HashiCorp");
    dn.push(DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365 * 30);
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().to_vec(), key_der))
}

#[derive(Debug)]
struct PinnedClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // No hint: a client may then offer any certificate, and Go's client
        // offers its only one.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(TlsError::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_p521_signatures() {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let schemes = provider
            .signature_verification_algorithms
            .supported_schemes();
        assert!(schemes.contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn server_certificate_is_self_signed_for_localhost() {
        let (der, _) = server_certificate().unwrap();
        assert!(der.len() > 50);
    }
}
