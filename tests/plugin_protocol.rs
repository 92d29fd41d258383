//! The plugin process as go-plugin hosts see it: the magic cookie, the
//! handshake line, AutoMTLS that really requires Terraform's certificate,
//! the health and controller services, SIGINT, StopProvider and debug mode.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use terraform_provider_apprunner::plugin::proto::go_plugin::Empty;
use terraform_provider_apprunner::plugin::proto::go_plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_apprunner::plugin::proto::tfplugin6 as pb;
use terraform_provider_apprunner::plugin::proto::tfplugin6::provider_client::ProviderClient;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-apprunner");

/// A certificate shaped like the one go-plugin's client makes: ECDSA
/// P-521, self-signed CA, SAN localhost, client and server auth.
struct ClientCert {
    pem: String,
    der: Vec<u8>,
    key: Vec<u8>,
}

fn client_cert() -> ClientCert {
    use rcgen::{
        BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).unwrap();
    ClientCert {
        pem: cert.pem(),
        der: cert.der().to_vec(),
        key: key.serialize_der(),
    }
}

/// A provider process launched the way Terraform launches it.
struct Plugin {
    child: Child,
    addr: String,
    server_cert: Vec<u8>,
}

impl Plugin {
    fn launch(client: &ClientCert) -> Plugin {
        let mut child = Command::new(BIN)
            .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
            .env("PLUGIN_MIN_PORT", "20000")
            .env("PLUGIN_MAX_PORT", "25000")
            .env("PLUGIN_CLIENT_CERT", &client.pem)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let parts: Vec<&str> = line.trim_end().split('|').collect();
        assert_eq!(parts.len(), 6, "handshake line {line:?}");
        assert_eq!(&parts[..3], &["1", "6", "tcp"], "{line:?}");
        assert_eq!(parts[4], "grpc");
        let port: u16 = parts[3]
            .strip_prefix("127.0.0.1:")
            .expect("loopback address")
            .parse()
            .unwrap();
        assert!(
            (20000..=25000).contains(&port),
            "port {port} outside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT"
        );
        assert!(
            !parts[5].ends_with('='),
            "certificate must be base64 without padding"
        );
        let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(parts[5])
            .expect("base64 certificate");
        Plugin {
            child,
            addr: parts[3].to_string(),
            server_cert,
        }
    }

    /// A gRPC channel over TLS, presenting `client` (or no certificate).
    async fn channel(
        &self,
        client: Option<&ClientCert>,
    ) -> Result<tonic::transport::Channel, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedServer {
                cert: self.server_cert.clone(),
                algorithms: provider.signature_verification_algorithms,
            }));
        let mut config = match client {
            Some(c) => builder
                .with_client_auth_cert(
                    vec![CertificateDer::from(c.der.clone())],
                    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(c.key.clone())),
                )
                .unwrap(),
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let addr = self.addr.clone();
        let service = tower::service_fn(move |_: http::Uri| {
            let connector = connector.clone();
            let addr = addr.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(addr).await?;
                let tls = connector
                    .connect(ServerName::try_from("localhost").unwrap(), tcp)
                    .await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        });
        tonic::transport::Endpoint::from_static("http://localhost")
            .connect_with_connector(service)
            .await
            .map_err(|e| format!("{e:?}"))
    }

    async fn health(&self, client: Option<&ClientCert>) -> Result<i32, String> {
        let channel = self.channel(client).await?;
        let reply = HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: "plugin".into(),
            })
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(reply.into_inner().status)
    }

    fn exited_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Trusts exactly the certificate announced in the handshake line, as
/// go-plugin's client does.
#[derive(Debug)]
struct PinnedServer {
    cert: Vec<u8>,
    algorithms: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl rustls::client::danger::ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_slice() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the announced server certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[test]
fn running_by_hand_prints_a_clear_message_and_exits_1() {
    let out = Command::new(BIN)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("plugin for Terraform"), "{text}");
    assert!(text.contains("terraform init"), "{text}");
}

#[test]
fn a_host_without_protocol_6_is_refused() {
    let out = Command::new(BIN)
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "4,5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("protocol 6"));
}

#[tokio::test]
async fn mutual_tls_admits_only_terraforms_certificate() {
    let terraform = client_cert();
    let plugin = Plugin::launch(&terraform);

    assert_eq!(
        plugin.health(Some(&terraform)).await.unwrap(),
        ServingStatus::Serving as i32
    );
    let no_cert = plugin.health(None).await;
    assert!(
        no_cert.is_err(),
        "a client without a certificate must be refused, got {no_cert:?}"
    );
    let stranger = client_cert();
    let other = plugin.health(Some(&stranger)).await;
    assert!(
        other.is_err(),
        "a client with another certificate must be refused, got {other:?}"
    );
    // The refusals did not hurt the server.
    assert_eq!(
        plugin.health(Some(&terraform)).await.unwrap(),
        ServingStatus::Serving as i32
    );
}

#[tokio::test]
async fn schema_advertises_capabilities_and_needs_no_prior_call() {
    let terraform = client_cert();
    let plugin = Plugin::launch(&terraform);
    let mut provider = ProviderClient::new(plugin.channel(Some(&terraform)).await.unwrap());
    // Validation works in a process that never served GetProviderSchema.
    let reply = provider
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "apprunner_auto_scaling_configuration_version".into(),
            config: None,
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(reply.diagnostics.is_empty(), "{:?}", reply.diagnostics);
    let schema = provider
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
    assert!(
        schema
            .resource_schemas
            .contains_key("apprunner_auto_scaling_configuration_version")
    );
    // Every attribute type is valid cty type JSON (Terraform panics otherwise).
    for s in schema
        .resource_schemas
        .values()
        .chain(schema.data_source_schemas.values())
    {
        for a in &s.block.as_ref().unwrap().attributes {
            let json: serde_json::Value = serde_json::from_slice(&a.r#type).unwrap();
            terraform_provider_apprunner::plugin::Type::from_json(&json).unwrap();
        }
    }
}

#[tokio::test]
async fn sigint_is_ignored_and_stop_provider_keeps_serving() {
    let terraform = client_cert();
    let plugin = Plugin::launch(&terraform);
    // Ctrl-C reaches the whole process group; Terraform calls StopProvider instead.
    Command::new("kill")
        .args(["-INT", &plugin.child.id().to_string()])
        .status()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        plugin.health(Some(&terraform)).await.unwrap(),
        ServingStatus::Serving as i32
    );

    let mut provider = ProviderClient::new(plugin.channel(Some(&terraform)).await.unwrap());
    let stop = provider
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stop.error, "");
    assert_eq!(
        plugin.health(Some(&terraform)).await.unwrap(),
        ServingStatus::Serving as i32
    );
}

#[tokio::test]
async fn shutdown_exits_within_two_seconds() {
    let terraform = client_cert();
    let mut plugin = Plugin::launch(&terraform);
    let channel = plugin.channel(Some(&terraform)).await.unwrap();
    // An open stdio stream must not hold the process up.
    let mut stdio = terraform_provider_apprunner::plugin::proto::go_plugin::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
    let _stream = stdio.stream_stdio(()).await.unwrap();
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .unwrap();
    assert!(
        plugin.exited_within(Duration::from_secs(2)),
        "still running 2 s after Shutdown"
    );
    assert!(plugin.child.try_wait().unwrap().unwrap().success());
}

#[test]
fn debug_mode_serves_terraform_through_reattach() {
    let emulator = support::Emulator::start(&[]);
    let mut child = Command::new(BIN)
        .arg("--debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut reattach = None;
    for _ in 0..10 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(rest.trim_end_matches('\'').to_string());
            break;
        }
    }
    let reattach = reattach.expect("debug mode prints TF_REATTACH_PROVIDERS");
    let parsed: serde_json::Value = serde_json::from_str(&reattach).unwrap();
    assert_eq!(parsed[support::SOURCE]["ProtocolVersion"], 6);
    assert_eq!(parsed[support::SOURCE]["Pid"], child.id());

    let mut ws = support::Workspace::new(&emulator);
    ws.env("TF_REATTACH_PROVIDERS", &reattach);
    ws.write(
        r#"resource "apprunner_auto_scaling_configuration_version" "debug" {
  auto_scaling_configuration_name = "debug-asc"
}"#,
    );
    ws.apply();
    ws.destroy();
    // Terraform left the debug process running ("Test": true).
    assert!(child.try_wait().unwrap().is_none());
    child.kill().unwrap();
    let _ = child.wait();
}
