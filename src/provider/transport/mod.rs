//! The HTTP client of every AWS call when the provider block (or the
//! environment) asks for more than the SDK's default: extra trusted
//! certificates (`custom_ca_bundle`, `AWS_CA_BUNDLE`) and proxies
//! (`http_proxy`, `https_proxy`, `no_proxy`, or `HTTP_PROXY`, `HTTPS_PROXY`,
//! `NO_PROXY`). On macOS every call uses the client of `macos.rs`.

#[cfg(not(target_os = "macos"))]
use aws_smithy_http_client::proxy::ProxyConfig;
#[cfg(not(target_os = "macos"))]
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

#[cfg(any(target_os = "macos", test))]
mod macos;

/// What the HTTP client needs beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct Transport {
    /// PEM certificates trusted besides the system's.
    pub ca_bundle: Option<Vec<u8>>,
    pub http_proxy: Option<String>,
    pub https_proxy: Option<String>,
    pub no_proxy: Option<String>,
}

/// The first of the environment variables that is set and not empty.
fn from_env(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
}

impl Transport {
    /// The block's values, each falling back to its environment variable as
    /// in the AWS provider.
    pub fn new(
        ca_bundle: Option<Vec<u8>>,
        http_proxy: Option<String>,
        https_proxy: Option<String>,
        no_proxy: Option<String>,
    ) -> Transport {
        Transport {
            ca_bundle,
            http_proxy: http_proxy.or_else(|| from_env(&["HTTP_PROXY", "http_proxy"])),
            https_proxy: https_proxy.or_else(|| from_env(&["HTTPS_PROXY", "https_proxy"])),
            no_proxy: no_proxy.or_else(|| from_env(&["NO_PROXY", "no_proxy"])),
        }
    }

    /// Whether the SDK's own client will do (it has none on macOS).
    #[cfg(not(target_os = "macos"))]
    pub fn is_default(&self) -> bool {
        self.ca_bundle.is_none() && self.http_proxy.is_none() && self.https_proxy.is_none()
    }

    /// The proxy for requests to `https` (or plain HTTP) endpoints.
    #[cfg(not(target_os = "macos"))]
    fn proxy(&self, https: bool) -> Result<Option<ProxyConfig>, String> {
        let (url, make): (_, fn(&str) -> _) = if https {
            (&self.https_proxy, |u| ProxyConfig::https(u))
        } else {
            (&self.http_proxy, |u| ProxyConfig::http(u))
        };
        let Some(url) = url else {
            return Ok(None);
        };
        let mut proxy = make(url).map_err(|e| format!("proxy {url}: {e}"))?;
        if let Some(rules) = &self.no_proxy {
            proxy = proxy.no_proxy(rules);
        }
        Ok(Some(proxy))
    }

    /// An HTTP client for endpoints reached over HTTPS (or plain HTTP, such
    /// as a local control plane), or `None` when the default one will do.
    #[cfg(target_os = "macos")]
    pub fn http_client(&self, _https: bool) -> Result<Option<SharedHttpClient>, String> {
        macos::http_client(self).map(Some)
    }

    /// An HTTP client for endpoints reached over HTTPS (or plain HTTP, such
    /// as a local control plane), or `None` when the default one will do.
    #[cfg(not(target_os = "macos"))]
    pub fn http_client(&self, https: bool) -> Result<Option<SharedHttpClient>, String> {
        if self.is_default() {
            return Ok(None);
        }
        let mut trust = TrustStore::default();
        if let Some(pem) = &self.ca_bundle {
            trust = trust.with_pem_certificate(pem.clone());
        }
        let tls_context = TlsContext::builder()
            .with_trust_store(trust)
            .build()
            .map_err(|e| format!("TLS settings: {e}"))?;
        let proxy = self.proxy(https)?;
        let client = aws_smithy_http_client::Builder::new().build_with_connector_fn(
            move |settings, components| {
                let mut connector = aws_smithy_http_client::Connector::builder()
                    .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
                    .tls_context(tls_context.clone());
                if let Some(settings) = settings {
                    connector = connector.connector_settings(settings.clone());
                }
                connector.set_sleep_impl(components.and_then(|c| c.sleep_impl()));
                connector.set_proxy_config(proxy.clone());
                connector.build()
            },
        );
        Ok(Some(client))
    }
}

/// Reads and checks a PEM bundle of certificates.
pub fn read_ca_bundle(path: &str) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {path}: {e}"))?;
    let mut reader = std::io::BufReader::new(bytes.as_slice());
    let certificates = rustls_pemfile::certs(&mut reader)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{path} is not a PEM bundle: {e}"))?;
    if certificates.is_empty() {
        return Err(format!(
            "{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        ));
    }
    Ok(bytes)
}

/// Whether `url` can name a proxy: `http://` or `https://` with a host.
pub fn check_proxy_url(url: &str) -> Result<(), String> {
    let uri: http::Uri = url.parse().map_err(|e| {
        format!("must be a URL such as http://proxy.example.com:3128, got {url:?}: {e}")
    })?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(host)) if !host.is_empty() => Ok(()),
        _ => Err(format!(
            "must be an http:// or https:// URL with a host, such as http://proxy.example.com:3128, got {url:?}"
        )),
    }
}
