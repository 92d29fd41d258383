//! The HTTP client of every AWS call when the provider block (or the
//! environment) asks for more than the SDK's default: extra trusted
//! certificates (`custom_ca_bundle`, `AWS_CA_BUNDLE`) and proxies
//! (`http_proxy`, `https_proxy`, `no_proxy`, or `HTTP_PROXY`, `HTTPS_PROXY`,
//! `NO_PROXY`). On macOS every call uses the client of `macos.rs`. The
//! App Runner clients of all regions share one client, made here either way.

#[cfg(not(target_os = "macos"))]
use aws_smithy_http_client::proxy::ProxyConfig;
#[cfg(not(target_os = "macos"))]
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use std::sync::atomic::{AtomicBool, Ordering};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;

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
        self.rustls_client(self.proxy(https)?).map(Some)
    }

    /// The client the SDK would make itself (`default-https-client`): the
    /// system's trusted certificates and the proxy environment variables.
    #[cfg(not(target_os = "macos"))]
    fn default_client(&self) -> Result<SharedHttpClient, String> {
        self.rustls_client(Some(ProxyConfig::from_env()))
    }

    #[cfg(target_os = "macos")]
    fn default_client(&self) -> Result<SharedHttpClient, String> {
        macos::http_client(self)
    }

    /// A hyper client on rustls with aws-lc, trusting the system's
    /// certificates and `ca_bundle`, through `proxy`.
    #[cfg(not(target_os = "macos"))]
    fn rustls_client(&self, proxy: Option<ProxyConfig>) -> Result<SharedHttpClient, String> {
        let mut trust = TrustStore::default();
        if let Some(pem) = &self.ca_bundle {
            trust = trust.with_pem_certificate(pem.clone());
        }
        let tls_context = TlsContext::builder()
            .with_trust_store(trust)
            .build()
            .map_err(|e| format!("TLS settings: {e}"))?;
        Ok(
            aws_smithy_http_client::Builder::new().build_with_connector_fn(
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
            ),
        )
    }

    /// The one HTTP client of every App Runner client (one per region): ours
    /// when the settings ask for it, else one like the SDK's default. Shared
    /// so that its connector and connection pools are made once, and
    /// [`CheckedOnce`] so that making a client does not build a TLS
    /// configuration each time.
    pub fn shared_client(&self, https: bool) -> Result<SharedHttpClient, String> {
        let client = match self.http_client(https)? {
            Some(client) => client,
            None => self.default_client()?,
        };
        Ok(SharedHttpClient::new(CheckedOnce::new(client)))
    }
}

/// An HTTP client whose base configuration is checked once, not once per
/// client made with it. The SDK's hyper client answers that check by
/// building a throwaway TLS connector, parsing every trusted certificate
/// (about 10 M instructions with a CA bundle), and the provider makes a
/// client for each region a configuration uses.
#[derive(Debug)]
struct CheckedOnce {
    client: SharedHttpClient,
    checked: AtomicBool,
}

impl CheckedOnce {
    fn new(client: SharedHttpClient) -> Self {
        CheckedOnce {
            client,
            checked: AtomicBool::new(false),
        }
    }
}

impl HttpClient for CheckedOnce {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.client.http_connector(settings, components)
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        if self.checked.load(Ordering::Acquire) {
            return Ok(());
        }
        self.client.validate_base_client_config(components, cfg)?;
        self.checked.store(true, Ordering::Release);
        Ok(())
    }

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.client.validate_final_config(components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.client.connector_metadata()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    /// Counts the checks it is asked for, failing the first `failures`.
    #[derive(Debug)]
    struct Counting {
        checks: Arc<AtomicUsize>,
        failures: usize,
    }

    impl HttpClient for Counting {
        fn http_connector(
            &self,
            _: &HttpConnectorSettings,
            _: &RuntimeComponents,
        ) -> SharedHttpConnector {
            unreachable!("no request is sent")
        }

        fn validate_base_client_config(
            &self,
            _: &RuntimeComponentsBuilder,
            _: &ConfigBag,
        ) -> Result<(), BoxError> {
            let n = self.checks.fetch_add(1, Ordering::SeqCst);
            if n < self.failures {
                Err("cannot load certificates".into())
            } else {
                Ok(())
            }
        }
    }

    fn checked_once(failures: usize) -> (CheckedOnce, Arc<AtomicUsize>) {
        let checks = Arc::new(AtomicUsize::new(0));
        let client = SharedHttpClient::new(Counting {
            checks: checks.clone(),
            failures,
        });
        (CheckedOnce::new(client), checks)
    }

    #[test]
    fn the_base_check_runs_for_the_first_client_only() {
        let (client, checks) = checked_once(0);
        let components = RuntimeComponentsBuilder::new("test");
        for _ in 0..10 {
            client
                .validate_base_client_config(&components, &ConfigBag::base())
                .unwrap();
        }
        assert_eq!(checks.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failed_base_check_is_reported_and_tried_again() {
        let (client, checks) = checked_once(1);
        let components = RuntimeComponentsBuilder::new("test");
        let first = client.validate_base_client_config(&components, &ConfigBag::base());
        assert_eq!(first.unwrap_err().to_string(), "cannot load certificates");
        client
            .validate_base_client_config(&components, &ConfigBag::base())
            .unwrap();
        client
            .validate_base_client_config(&components, &ConfigBag::base())
            .unwrap();
        assert_eq!(checks.load(Ordering::SeqCst), 2);
    }
}
