//! The HTTP client of every AWS call in the macOS builds.
//!
//! The SDK's own client (aws-smithy-http-client) reads the trusted roots
//! from the operating system, which on macOS means linking Security.framework
//! and CoreFoundation. The release is cross-built with zig, which has no
//! macOS SDK to link those against, so on macOS the provider uses this
//! client instead: hyper with rustls, trusting Mozilla's roots compiled in
//! (webpki-roots) plus `custom_ca_bundle` / `AWS_CA_BUNDLE`. Proxies are
//! honoured with `no_proxy`; both plain HTTP and HTTPS destinations are
//! reached through a proxy's CONNECT tunnel.
//!
//! It is built on every platform for the unit tests below, so that the
//! code macOS users run is exercised where the tests run.

use super::Transport;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connect, HttpConnector as TcpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioExecutor;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

type Https = HttpsConnector<TcpConnector>;
type Tunneled = HttpsConnector<Tunnel<Https>>;

/// The client for `transport`.
// Elsewhere than macOS only the tests build this module, and they use the
// connector directly.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub fn http_client(transport: &Transport) -> Result<SharedHttpClient, String> {
    Ok(SharedHttpClient::new(WebpkiClient::new(transport)?))
}

/// Which destinations go through which proxy, with or without `no_proxy`.
fn matcher(transport: &Transport, no_proxy: bool) -> Matcher {
    let mut builder = Matcher::builder();
    if let Some(url) = &transport.http_proxy {
        builder = builder.http(url.clone());
    }
    if let Some(url) = &transport.https_proxy {
        builder = builder.https(url.clone());
    }
    if let Some(rules) = transport.no_proxy.as_ref().filter(|_| no_proxy) {
        builder = builder.no(rules.clone());
    }
    builder.build()
}

/// Mozilla's roots and the extra PEM certificates.
fn tls_config(ca_bundle: Option<&[u8]>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = ca_bundle {
        for cert in rustls_pemfile::certs(&mut std::io::BufReader::new(pem)) {
            let cert = cert.map_err(|e| format!("custom CA bundle: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("custom CA bundle: {e}"))?;
        }
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS settings: {e}"))
    .map(|b| b.with_root_certificates(roots).with_no_client_auth())
}

struct WebpkiClient {
    tls: rustls::ClientConfig,
    /// Which destinations go through a proxy.
    proxies: Arc<Matcher>,
    /// The proxies without `no_proxy`, to learn their addresses.
    unfiltered: Matcher,
    /// Made on first use, when the SDK says the connect timeout.
    connector: OnceLock<SharedHttpConnector>,
}

impl std::fmt::Debug for WebpkiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebpkiClient").finish_non_exhaustive()
    }
}

impl WebpkiClient {
    fn new(transport: &Transport) -> Result<WebpkiClient, String> {
        Ok(WebpkiClient {
            tls: tls_config(transport.ca_bundle.as_deref())?,
            proxies: Arc::new(matcher(transport, true)),
            unfiltered: matcher(transport, false),
            connector: OnceLock::new(),
        })
    }

    fn connector(&self, connect_timeout: Option<Duration>) -> WebpkiConnector {
        let mut tcp = TcpConnector::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(connect_timeout);
        let direct = wrap(tcp, &self.tls);
        // One client per proxy, so that tunnels are pooled.
        let via = |scheme: &str| {
            let probe = format!("{scheme}://example.com").parse().ok()?;
            let proxy = self.unfiltered.intercept(&probe)?;
            let mut tunnel = Tunnel::new(proxy.uri().clone(), direct.clone());
            if let Some(auth) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            Some(client(wrap(tunnel, &self.tls)))
        };
        WebpkiConnector {
            via_http_proxy: via("http"),
            via_https_proxy: via("https"),
            direct: client(direct.clone()),
            proxies: self.proxies.clone(),
        }
    }
}

impl HttpClient for WebpkiClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.connector
            .get_or_init(|| SharedHttpConnector::new(self.connector(settings.connect_timeout())))
            .clone()
    }
}

/// TLS (with `tls`) over `connector` for `https` URLs, plain for `http`.
fn wrap<C>(connector: C, tls: &rustls::ClientConfig) -> HttpsConnector<C> {
    HttpsConnectorBuilder::new()
        .with_tls_config(tls.clone())
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector)
}

fn client<C: Connect + Clone>(connector: C) -> Client<C, SdkBody> {
    Client::builder(TokioExecutor::new()).build(connector)
}

struct WebpkiConnector {
    direct: Client<Https, SdkBody>,
    via_http_proxy: Option<Client<Tunneled, SdkBody>>,
    via_https_proxy: Option<Client<Tunneled, SdkBody>>,
    proxies: Arc<Matcher>,
}

impl std::fmt::Debug for WebpkiConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebpkiConnector").finish_non_exhaustive()
    }
}

impl HttpConnector for WebpkiConnector {
    fn call(&self, request: aws_smithy_runtime_api::http::Request) -> HttpConnectorFuture {
        let request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(e) => return HttpConnectorFuture::ready(Err(ConnectorError::user(e.into()))),
        };
        let proxy = if self.proxies.intercept(request.uri()).is_none() {
            None
        } else if request.uri().scheme() == Some(&http::uri::Scheme::HTTPS) {
            self.via_https_proxy.as_ref()
        } else {
            self.via_http_proxy.as_ref()
        };
        let response = match proxy {
            Some(client) => client.request(request),
            None => self.direct.request(request),
        };
        HttpConnectorFuture::new(async move {
            let response = response.await.map_err(|e| {
                if e.is_connect() {
                    ConnectorError::io(e.into())
                } else {
                    ConnectorError::other(e.into(), None)
                }
            })?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// An HTTPS server answering 200 to everything, with a self-signed
    /// certificate for `localhost`; its port and certificate (PEM).
    async fn https_server() -> (u16, String) {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let pem = cert.cert.pem();
        let tls = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into()),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(|_req| async {
                        Ok::<_, std::convert::Infallible>(hyper::Response::new(
                            http_body_util::Full::new(hyper::body::Bytes::from_static(b"ok")),
                        ))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        (port, pem)
    }

    /// A proxy that serves CONNECT only; its URL and how many it served.
    async fn connect_proxy() -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let served = count.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let served = served.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if client.read_exact(&mut byte).await.is_err() {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head).to_string();
                    let Some(target) = head.strip_prefix("CONNECT ") else {
                        return;
                    };
                    let target = target.split(' ').next().unwrap_or_default();
                    let Ok(mut upstream) = TcpStream::connect(target).await else {
                        return;
                    };
                    served.fetch_add(1, Ordering::SeqCst);
                    let _ = client
                        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                        .await;
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
            }
        });
        (url, count)
    }

    async fn get(transport: &Transport, url: &str) -> Result<u16, String> {
        let connector = WebpkiClient::new(transport)?.connector(None);
        let request = http::Request::builder()
            .uri(url)
            .body(SdkBody::empty())
            .unwrap();
        let response = connector
            .call(request.try_into().unwrap())
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(response.status().as_u16())
    }

    #[tokio::test]
    async fn trusts_the_custom_ca_bundle_besides_mozillas_roots() {
        let (port, pem) = https_server().await;
        let url = format!("https://localhost:{port}/");
        let error = get(&Transport::default(), &url).await.unwrap_err();
        assert!(error.contains("UnknownIssuer"), "{error}");
        let transport = Transport {
            ca_bundle: Some(pem.into_bytes()),
            ..Transport::default()
        };
        assert_eq!(get(&transport, &url).await, Ok(200));
    }

    #[tokio::test]
    async fn goes_through_the_proxy_unless_no_proxy_says_otherwise() {
        let (port, pem) = https_server().await;
        let (proxy, tunnels) = connect_proxy().await;
        let url = format!("https://localhost:{port}/");
        let mut transport = Transport {
            ca_bundle: Some(pem.into_bytes()),
            https_proxy: Some(proxy),
            ..Transport::default()
        };
        assert_eq!(get(&transport, &url).await, Ok(200));
        assert_eq!(tunnels.load(Ordering::SeqCst), 1);
        transport.no_proxy = Some("localhost".into());
        assert_eq!(get(&transport, &url).await, Ok(200));
        assert_eq!(tunnels.load(Ordering::SeqCst), 1, "no_proxy goes direct");
    }
}
