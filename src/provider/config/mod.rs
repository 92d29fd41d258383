//! The `provider "apprunner"` block, with the AWS provider's argument names
//! and environment variables, and how it becomes an App Runner client.
//!
//! Credentials and region go through aws-config's standard chain, so
//! `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, SSO, web identity, ECS and EC2 roles
//! work as users expect. Configuring calls no AWS API unless
//! `allowed_account_ids` or `forbidden_account_ids` is set (STS
//! GetCallerIdentity); `assume_role` and `assume_role_with_web_identity`
//! reach STS when credentials are first needed (see `credentials`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use aws_types::region::Region;
use serde::Deserialize;

mod schema;

pub use schema::schema;

use super::credentials::{RoleRequest, StsSettings, WebIdentityToken};
use super::transport::Transport;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Value, model, validators};

#[derive(Deserialize, Default)]
struct Config {
    region: Option<String>,
    profile: Option<String>,
    access_key: Option<String>,
    secret_key: Option<String>,
    token: Option<String>,
    shared_config_files: Option<Vec<String>>,
    shared_credentials_files: Option<Vec<String>>,
    max_retries: Option<u32>,
    retry_mode: Option<String>,
    skip_credentials_validation: Option<bool>,
    skip_region_validation: Option<bool>,
    skip_metadata_api_check: Option<bool>,
    allowed_account_ids: Option<Vec<String>>,
    forbidden_account_ids: Option<Vec<String>>,
    sts_region: Option<String>,
    custom_ca_bundle: Option<String>,
    http_proxy: Option<String>,
    https_proxy: Option<String>,
    no_proxy: Option<String>,
    use_fips_endpoint: Option<bool>,
    use_dualstack_endpoint: Option<bool>,
    ec2_metadata_service_endpoint: Option<String>,
    ec2_metadata_service_endpoint_mode: Option<String>,
    #[serde(default)]
    assume_role: Vec<AssumeRole>,
    #[serde(default)]
    assume_role_with_web_identity: Vec<WebIdentity>,
    #[serde(default)]
    endpoints: Vec<Endpoints>,
    #[serde(default)]
    default_tags: Vec<DefaultTags>,
    #[serde(default)]
    ignore_tags: Vec<IgnoreTagsConfig>,
}

#[derive(Deserialize)]
struct AssumeRole {
    role_arn: Option<String>,
    session_name: Option<String>,
    external_id: Option<String>,
    duration: Option<String>,
    policy: Option<String>,
    policy_arns: Option<Vec<String>>,
    tags: Option<BTreeMap<String, String>>,
    transitive_tag_keys: Option<Vec<String>>,
    source_identity: Option<String>,
}

#[derive(Deserialize)]
struct WebIdentity {
    role_arn: Option<String>,
    session_name: Option<String>,
    web_identity_token: Option<String>,
    web_identity_token_file: Option<String>,
    duration: Option<String>,
    policy: Option<String>,
    policy_arns: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Endpoints {
    apprunner: Option<String>,
    sts: Option<String>,
}

#[derive(Deserialize)]
struct DefaultTags {
    tags: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct IgnoreTagsConfig {
    keys: Option<BTreeSet<String>>,
    key_prefixes: Option<BTreeSet<String>>,
}

/// Tags the provider neither manages nor reports.
#[derive(Clone, Debug, Default)]
pub struct IgnoreTags {
    pub keys: BTreeSet<String>,
    pub key_prefixes: BTreeSet<String>,
}

impl IgnoreTags {
    pub fn ignores(&self, key: &str) -> bool {
        self.keys.contains(key)
            || self
                .key_prefixes
                .iter()
                .any(|p| key.starts_with(p.as_str()))
    }
}

/// The configured provider: what every resource uses.
pub struct AppRunner {
    /// The provider's region; resources may name another (`region`).
    pub region: String,
    /// Tags from `default_tags`; `None` when they are not known yet.
    pub default_tags: Option<BTreeMap<String, String>>,
    pub ignore_tags: IgnoreTags,
    /// Attempts per call (retries + 1), as the provider block, the
    /// environment or the profile set them.
    pub max_attempts: u32,
    sdk: aws_types::SdkConfig,
    endpoint: Option<String>,
    /// One HTTP client for every region's App Runner client.
    http_client: aws_smithy_runtime_api::client::http::SharedHttpClient,
    clients: Mutex<HashMap<String, aws_sdk_apprunner::Client>>,
}

impl AppRunner {
    /// The App Runner client of `region` (one per region, made on first use).
    pub fn client_in(&self, region: &str) -> aws_sdk_apprunner::Client {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        clients
            .entry(region.to_string())
            .or_insert_with(|| {
                let mut service =
                    super::calls::stoppable(aws_sdk_apprunner::config::Builder::from(&self.sdk))
                        .region(Region::new(region.to_string()));
                if let Some(url) = &self.endpoint {
                    service = service.endpoint_url(url);
                }
                service = service.http_client(self.http_client.clone());
                aws_sdk_apprunner::Client::from_conf(service.build())
            })
            .clone()
    }

    /// The client of the provider's own region.
    pub fn client(&self) -> aws_sdk_apprunner::Client {
        self.client_in(&self.region)
    }

    /// The client of the region an App Runner ARN lives in.
    pub fn client_for_arn(&self, arn: &str) -> aws_sdk_apprunner::Client {
        match super::region::from_arn(arn) {
            Some(region) => self.client_in(region),
            None => self.client(),
        }
    }
}

/// Cross-argument rules of the provider block.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let access = config.attr("access_key");
    let secret = config.attr("secret_key");
    let missing = match (access.is_null(), secret.is_null()) {
        (true, false) => Some("access_key"),
        (false, true) => Some("secret_key"),
        _ => None,
    };
    if let Some(missing) = missing
        && !access.is_unknown()
        && !secret.is_unknown()
    {
        diags.error_at(
            AttributePath::attr(missing),
            "Incomplete static credentials",
            "Set both access_key and secret_key, or neither (and let the environment or a profile provide credentials).",
        );
    }
    // Unknown values count as set: they will be by apply.
    let is_set = |v: &Value| !v.is_null();
    let allowed = is_set(config.attr("allowed_account_ids"));
    let forbidden = is_set(config.attr("forbidden_account_ids"));
    if allowed && forbidden {
        diags.error_at(
            AttributePath::attr("forbidden_account_ids"),
            "Conflicting account lists",
            "Set allowed_account_ids or forbidden_account_ids, not both.",
        );
    }
    if (allowed || forbidden) && config.attr("skip_requesting_account_id").as_bool() == Some(true) {
        diags.error_at(
            AttributePath::attr("skip_requesting_account_id"),
            "The account check needs the account ID",
            format!(
                "{} is checked against the account STS GetCallerIdentity names, which skip_requesting_account_id = true forbids asking for. Remove one of them.",
                if allowed { "allowed_account_ids" } else { "forbidden_account_ids" }
            ),
        );
    }
    if let Some(web) = config
        .attr("assume_role_with_web_identity")
        .as_elements()
        .and_then(|b| b.first())
        && is_set(web.attr("web_identity_token"))
        && is_set(web.attr("web_identity_token_file"))
    {
        diags.error_at(
            AttributePath::attr("assume_role_with_web_identity")
                .then_index(0)
                .then_attr("web_identity_token_file"),
            "Conflicting web identity tokens",
            "Set web_identity_token or web_identity_token_file, not both.",
        );
    }
    for (i, role) in config
        .attr("assume_role")
        .as_elements()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let (keys, tags) = (role.attr("transitive_tag_keys"), role.attr("tags"));
        if !keys.is_wholly_known() || !tags.is_wholly_known() {
            continue;
        }
        let tagged = |k: &str| tags.as_entries().is_some_and(|t| t.contains_key(k));
        let untagged: Vec<&str> = keys
            .as_elements()
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| !tagged(k))
            .collect();
        if !untagged.is_empty() {
            diags.error_at(
                AttributePath::attr("assume_role")
                    .then_index(i)
                    .then_attr("transitive_tag_keys"),
                "Transitive tag keys without tags",
                format!(
                    "Every key of transitive_tag_keys must be a key of tags in the same assume_role block; not: {}.",
                    untagged.join(", ")
                ),
            );
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.is_empty())
}

/// The HTTP settings of every call: `custom_ca_bundle` (or `AWS_CA_BUNDLE`)
/// read and checked now, and the proxies.
fn transport(cfg: &Config) -> Result<Transport, Diagnostic> {
    let (path, from_block) = match non_empty(&cfg.custom_ca_bundle) {
        Some(p) => (Some(expand_home(&p)), true),
        None => (
            std::env::var("AWS_CA_BUNDLE")
                .ok()
                .filter(|p| !p.is_empty()),
            false,
        ),
    };
    let ca_bundle = match path {
        None => None,
        Some(path) => match super::transport::read_ca_bundle(&path) {
            Ok(pem) => Some(pem),
            Err(e) => {
                let d = Diagnostic::error("Unusable custom_ca_bundle", e);
                return Err(if from_block {
                    d.at(AttributePath::attr("custom_ca_bundle"))
                } else {
                    d
                });
            }
        },
    };
    let transport = Transport::new(
        ca_bundle,
        non_empty(&cfg.http_proxy),
        non_empty(&cfg.https_proxy),
        non_empty(&cfg.no_proxy),
    );
    for (name, url) in [
        ("http_proxy", &transport.http_proxy),
        ("https_proxy", &transport.https_proxy),
    ] {
        if let Some(url) = url
            && let Err(e) = super::transport::check_proxy_url(url)
        {
            return Err(Diagnostic::error(
                "Invalid proxy",
                format!("{name} (or its environment variable) {e}"),
            )
            .at(AttributePath::attr(name)));
        }
    }
    Ok(transport)
}

/// The client for `endpoint` (the SDK's default when `None`): HTTPS unless
/// the endpoint is plain HTTP.
fn http_client_for(
    transport: &Transport,
    endpoint: Option<&str>,
) -> Result<Option<aws_smithy_runtime_api::client::http::SharedHttpClient>, Diagnostic> {
    transport
        .http_client(is_https(endpoint))
        .map_err(|e| Diagnostic::error("Invalid HTTP settings", e))
}

/// Whether calls to `endpoint` (the SDK's default when `None`) use HTTPS.
fn is_https(endpoint: Option<&str>) -> bool {
    !endpoint.is_some_and(|e| e.starts_with("http://"))
}

/// The EC2 instance metadata client, when the block changes where it is.
fn imds_client(
    cfg: &Config,
    providers: &ProviderConfig,
) -> Result<Option<aws_config::imds::Client>, Diagnostic> {
    let endpoint = non_empty(&cfg.ec2_metadata_service_endpoint);
    let mode = non_empty(&cfg.ec2_metadata_service_endpoint_mode);
    if endpoint.is_none() && mode.is_none() {
        return Ok(None);
    }
    let mut builder = aws_config::imds::Client::builder().configure(providers);
    if let Some(mode) = mode {
        builder = builder.endpoint_mode(if mode == "IPv6" {
            aws_config::imds::client::EndpointMode::IpV6
        } else {
            aws_config::imds::client::EndpointMode::IpV4
        });
    }
    if let Some(url) = endpoint {
        builder = builder.endpoint(&url).map_err(|e| {
            Diagnostic::error("Invalid ec2_metadata_service_endpoint", e.to_string())
                .at(AttributePath::attr("ec2_metadata_service_endpoint"))
        })?;
    }
    Ok(Some(builder.build()))
}

/// The standard credential chain (environment, profile, web identity
/// from the environment, container), with the instance metadata service
/// last as `imds` says: left out when `None`.
fn credential_chain(
    cfg: &Config,
    providers: &ProviderConfig,
    profile_files: Option<&ProfileFiles>,
    imds: Option<aws_config::imds::Client>,
) -> aws_config::meta::credentials::CredentialsProviderChain {
    let mut profile =
        aws_config::profile::ProfileFileCredentialsProvider::builder().configure(providers);
    if let Some(files) = profile_files {
        profile = profile.profile_files(files.clone());
    }
    if let Some(name) = non_empty(&cfg.profile) {
        profile = profile.profile_name(name);
    }
    let chain = aws_config::meta::credentials::CredentialsProviderChain::first_try(
        "Environment",
        aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else("Profile", profile.build())
    .or_else(
        "WebIdentityToken",
        aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
            .configure(providers)
            .build(),
    )
    .or_else(
        "EcsContainer",
        aws_config::ecs::EcsCredentialsProvider::builder()
            .configure(providers)
            .build(),
    );
    match imds {
        Some(client) => chain.or_else(
            "Ec2InstanceMetadata",
            aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                .imds_client(client)
                .build(),
        ),
        None => chain,
    }
}

/// The standard region chain (environment, profile), with the instance
/// metadata service last unless `imds` is `None`.
fn region_chain(
    cfg: &Config,
    providers: &ProviderConfig,
    profile_files: Option<&ProfileFiles>,
    imds: Option<aws_config::imds::Client>,
) -> aws_config::meta::region::RegionProviderChain {
    let mut profile =
        aws_config::profile::ProfileFileRegionProvider::builder().configure(providers);
    if let Some(files) = profile_files {
        profile = profile.profile_files(files.clone());
    }
    if let Some(name) = non_empty(&cfg.profile) {
        profile = profile.profile_name(name);
    }
    let chain = aws_config::meta::region::RegionProviderChain::first_try(
        aws_config::environment::EnvironmentVariableRegionProvider::new(),
    )
    .or_else(profile.build());
    match imds {
        Some(client) => chain.or_else(
            aws_config::imds::region::ImdsRegionProvider::builder()
                .imds_client(client)
                .build(),
        ),
        None => chain,
    }
}

fn role_request(
    role_arn: String,
    session_name: &Option<String>,
    duration: &Option<String>,
    policy: &Option<String>,
    policy_arns: &Option<Vec<String>>,
) -> RoleRequest {
    RoleRequest {
        role_arn,
        session_name: non_empty(session_name)
            .unwrap_or_else(|| "terraform-provider-apprunner".to_string()),
        duration: duration.as_deref().and_then(validators::parse_duration),
        policy: non_empty(policy),
        policy_arns: policy_arns.clone().unwrap_or_default(),
        ..RoleRequest::default()
    }
}

/// The `assume_role` hops, in order.
fn role_hops(cfg: &Config) -> Result<Vec<RoleRequest>, Diagnostic> {
    cfg.assume_role
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let Some(arn) = non_empty(&role.role_arn) else {
                return Err(Diagnostic::error(
                    "assume_role needs role_arn",
                    "Set role_arn in the assume_role block.",
                )
                .at(AttributePath::attr("assume_role")
                    .then_index(i)
                    .then_attr("role_arn")));
            };
            let mut request = role_request(
                arn,
                &role.session_name,
                &role.duration,
                &role.policy,
                &role.policy_arns,
            );
            request.external_id = non_empty(&role.external_id);
            request.tags = role.tags.clone().unwrap_or_default().into_iter().collect();
            request.transitive_tag_keys = role.transitive_tag_keys.clone().unwrap_or_default();
            request.source_identity = non_empty(&role.source_identity);
            Ok(request)
        })
        .collect()
}

/// `assume_role_with_web_identity`, its role and token falling back to
/// `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` and `AWS_WEB_IDENTITY_TOKEN_FILE`.
fn web_identity(cfg: &Config) -> Result<Option<(RoleRequest, WebIdentityToken)>, Diagnostic> {
    let Some(web) = cfg.assume_role_with_web_identity.first() else {
        return Ok(None);
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let at = |attr: &str| {
        AttributePath::attr("assume_role_with_web_identity")
            .then_index(0)
            .then_attr(attr)
    };
    let Some(arn) = non_empty(&web.role_arn).or_else(|| env("AWS_ROLE_ARN")) else {
        return Err(Diagnostic::error(
            "assume_role_with_web_identity needs role_arn",
            "Set role_arn in the assume_role_with_web_identity block, or AWS_ROLE_ARN in the environment.",
        )
        .at(at("role_arn")));
    };
    let token = match (
        non_empty(&web.web_identity_token),
        non_empty(&web.web_identity_token_file).or_else(|| env("AWS_WEB_IDENTITY_TOKEN_FILE")),
    ) {
        (Some(token), _) => {
            crate::plugin::logging::redact(&token);
            WebIdentityToken::Value(token)
        }
        (None, Some(file)) => WebIdentityToken::File(expand_home(&file).into()),
        (None, None) => {
            return Err(Diagnostic::error(
                "assume_role_with_web_identity needs a token",
                "Set web_identity_token or web_identity_token_file in the block, or AWS_WEB_IDENTITY_TOKEN_FILE in the environment.",
            )
            .at(at("web_identity_token_file")));
        }
    };
    let session_name = non_empty(&web.session_name).or_else(|| env("AWS_ROLE_SESSION_NAME"));
    let request = role_request(
        arn,
        &session_name,
        &web.duration,
        &web.policy,
        &web.policy_arns,
    );
    Ok(Some((request, token)))
}

/// Builds the App Runner client from the provider block and the environment.
pub async fn configure(config: &Value) -> (Option<AppRunner>, Diagnostics) {
    let mut diags = Diagnostics::new();
    // default_tags may be unknown while everything else is known.
    let tags_known = config.attr("default_tags").is_wholly_known();
    let mut known = config.clone();
    if !tags_known {
        known.set_attr("default_tags", Value::List(Vec::new()));
    }
    if !known.is_wholly_known() {
        // Terraform may configure with values only known after apply; the
        // resources that need this provider will say so.
        return (None, diags);
    }
    let cfg: Config = match model::from_value(&known) {
        Ok(c) => c,
        Err(e) => {
            diags.error("Invalid provider configuration", e);
            return (None, diags);
        }
    };
    macro_rules! or_fail {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(d) => {
                    diags.push(d);
                    return (None, diags);
                }
            }
        };
    }
    let transport = or_fail!(transport(&cfg));
    let http_client = or_fail!(http_client_for(&transport, None));
    // What the providers built here need that aws-config's own get from
    // the loader: the HTTP client, when there is one of ours.
    let providers = match &http_client {
        Some(client) => ProviderConfig::default().with_http_client(client.clone()),
        None => ProviderConfig::default(),
    };
    let hops = or_fail!(role_hops(&cfg));
    let web_identity = or_fail!(web_identity(&cfg));
    let imds = or_fail!(imds_client(&cfg, &providers));
    let skip_imds = cfg.skip_metadata_api_check == Some(true);

    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    let configured_region = non_empty(&cfg.region);
    if let Some(region) = &configured_region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = non_empty(&cfg.profile) {
        loader = loader.profile_name(profile);
    }
    let config_files = cfg.shared_config_files.clone().unwrap_or_default();
    let credential_files = cfg.shared_credentials_files.clone().unwrap_or_default();
    let mut profile_files = None;
    if !config_files.is_empty() || !credential_files.is_empty() {
        let mut files = ProfileFiles::builder();
        for f in &config_files {
            files = files.with_file(ProfileFileKind::Config, expand_home(f));
        }
        for f in &credential_files {
            files = files.with_file(ProfileFileKind::Credentials, expand_home(f));
        }
        if config_files.is_empty() {
            files = files.include_default_config_file(true);
        }
        if credential_files.is_empty() {
            files = files.include_default_credentials_file(true);
        }
        let files = files.build();
        profile_files = Some(files.clone());
        loader = loader.profile_files(files);
    }
    for secret in [&cfg.access_key, &cfg.secret_key, &cfg.token]
        .into_iter()
        .flatten()
    {
        crate::plugin::logging::redact(secret);
    }
    let static_credentials = matches!((&cfg.access_key, &cfg.secret_key), (Some(_), Some(_)));
    if let (Some(ak), Some(sk)) = (&cfg.access_key, &cfg.secret_key) {
        loader = loader.credentials_provider(Credentials::new(
            ak,
            sk,
            cfg.token.clone(),
            None,
            "provider block",
        ));
    }
    // The metadata service's address or its absence changes the chains,
    // which aws-config builds with its own IMDS client otherwise.
    if skip_imds || imds.is_some() {
        let imds = if skip_imds {
            None
        } else {
            Some(imds.clone().unwrap_or_else(|| {
                aws_config::imds::Client::builder()
                    .configure(&providers)
                    .build()
            }))
        };
        if !static_credentials {
            loader = loader.credentials_provider(credential_chain(
                &cfg,
                &providers,
                profile_files.as_ref(),
                imds.clone(),
            ));
        }
        if configured_region.is_none() {
            loader = loader.region(region_chain(&cfg, &providers, profile_files.as_ref(), imds));
        }
    }
    if let Some(fips) = cfg.use_fips_endpoint {
        loader = loader.use_fips(fips);
    }
    if let Some(dual_stack) = cfg.use_dualstack_endpoint {
        loader = loader.use_dual_stack(dual_stack);
    }
    if let Some(client) = http_client {
        loader = loader.http_client(client);
    }
    let base = loader.load().await;
    let retry = retry_config(&cfg, &base, profile_files.as_ref()).await;
    let max_attempts = retry.max_attempts();
    let base = base
        .into_builder()
        .retry_config(retry)
        .timeout_config(call_timeouts())
        .build();

    let Some(region) = base.region().map(|r| r.to_string()) else {
        diags.push(Diagnostic::error(
            "No AWS region",
            "Set `region` in the provider block, or AWS_REGION (or AWS_DEFAULT_REGION) in the environment, \
             or a region in the selected profile.",
        ).at(AttributePath::attr("region")));
        return (None, diags);
    };
    if cfg.skip_region_validation != Some(true) && !super::region::is_name(&region) {
        diags.push(
            Diagnostic::error(
                "Invalid AWS region",
                format!(
                    "{region:?} is not an AWS region name such as us-east-1. Set skip_region_validation = true to use it anyway."
                ),
            )
            .at(AttributePath::attr("region")),
        );
        return (None, diags);
    }

    let endpoints = cfg.endpoints.first();
    let sts_endpoint = endpoints.and_then(|e| non_empty(&e.sts));
    let sts = {
        let sts_region = non_empty(&cfg.sts_region).unwrap_or_else(|| region.clone());
        let mut sts = aws_sdk_sts::config::Builder::from(&base).region(Region::new(sts_region));
        if let Some(url) = &sts_endpoint {
            sts = sts.endpoint_url(url);
        }
        if let Some(client) = or_fail!(http_client_for(&transport, sts_endpoint.as_deref())) {
            sts = sts.http_client(client);
        }
        StsSettings {
            config: sts.build(),
        }
    };
    let uses_sts = web_identity.is_some() || !hops.is_empty();
    let credentials =
        super::credentials::role_chain(&sts, base.credentials_provider(), web_identity, hops);
    let mut sdk = base.into_builder();
    sdk.set_credentials_provider(credentials.clone());
    let sdk = sdk.build();

    // Fail early and clearly when no credentials can be found (STS-made
    // ones are asked for when first needed).
    let skip_validation = cfg.skip_credentials_validation == Some(true);
    match sdk.credentials_provider() {
        Some(provider) if !uses_sts && !skip_validation => {
            let provided = provider.provide_credentials().await;
            if let Ok(credentials) = &provided {
                // Credentials from the environment or a profile stay out of the log too.
                crate::plugin::logging::redact(credentials.access_key_id());
                crate::plugin::logging::redact(credentials.secret_access_key());
                if let Some(token) = credentials.session_token() {
                    crate::plugin::logging::redact(token);
                }
            }
            if let Err(e) = provided {
                diags.error(
                    "No AWS credentials",
                    format!(
                        "Set access_key and secret_key (or profile) in the provider block, or AWS_ACCESS_KEY_ID and \
                         AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in the environment. The credential chain said: {}",
                        aws_smithy_types::error::display::DisplayErrorContext(&e)
                    ),
                );
                return (None, diags);
            }
        }
        Some(_) => {}
        None => {
            diags.error("No AWS credentials", "No credential source is configured.");
            return (None, diags);
        }
    }

    // The account guard: only when asked for, as it costs an STS call.
    let allowed = cfg.allowed_account_ids.clone().unwrap_or_default();
    let forbidden = cfg.forbidden_account_ids.clone().unwrap_or_default();
    if !allowed.is_empty() || !forbidden.is_empty() {
        let list = if allowed.is_empty() {
            "forbidden_account_ids"
        } else {
            "allowed_account_ids"
        };
        match super::credentials::account_of(&sts, credentials).await {
            Ok(account) => {
                if let Some(refusal) =
                    super::credentials::account_refusal(&account, &allowed, &forbidden)
                {
                    diags.push(
                        Diagnostic::error(format!("AWS account {account} not allowed"), refusal)
                            .at(AttributePath::attr(list)),
                    );
                    return (None, diags);
                }
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "Could not check the AWS account",
                        format!("{list} is set, so the account of the credentials is checked: {e}"),
                    )
                    .at(AttributePath::attr(list)),
                );
                return (None, diags);
            }
        }
    }

    let endpoint = endpoints.and_then(|e| non_empty(&e.apprunner));
    let http_client = or_fail!(
        transport
            .shared_client(is_https(endpoint.as_deref()))
            .map_err(|e| Diagnostic::error("Invalid HTTP settings", e))
    );
    let default_tags = if tags_known {
        Some(
            cfg.default_tags
                .first()
                .and_then(|d| d.tags.clone())
                .unwrap_or_default(),
        )
    } else {
        None
    };
    let ignore_tags = cfg
        .ignore_tags
        .first()
        .map(|i| IgnoreTags {
            keys: i.keys.clone().unwrap_or_default(),
            key_prefixes: i.key_prefixes.clone().unwrap_or_default(),
        })
        .unwrap_or_default();
    let provider = AppRunner {
        region,
        default_tags,
        ignore_tags,
        max_attempts,
        sdk,
        endpoint,
        http_client,
        clients: Mutex::new(HashMap::new()),
    };
    (Some(provider), diags)
}

/// Retries as the AWS tools agree: the provider block first, then
/// `AWS_MAX_ATTEMPTS`/`AWS_RETRY_MODE`, then the profile's `max_attempts`/
/// `retry_mode`, then the AWS provider's default of 25 retries.
async fn retry_config(
    cfg: &Config,
    base: &aws_types::SdkConfig,
    profile_files: Option<&ProfileFiles>,
) -> RetryConfig {
    // What aws-config resolved from the environment and the profile, or
    // its own default when neither says anything.
    let resolved = base
        .retry_config()
        .cloned()
        .unwrap_or_else(RetryConfig::standard);
    let (env_attempts, env_mode) = (
        std::env::var_os("AWS_MAX_ATTEMPTS").is_some(),
        std::env::var_os("AWS_RETRY_MODE").is_some(),
    );
    let (profile_attempts, profile_mode) = if env_attempts && env_mode {
        (false, false)
    } else {
        let files = profile_files.cloned().unwrap_or_default();
        let selected = cfg
            .profile
            .clone()
            .filter(|p| !p.is_empty())
            .map(std::borrow::Cow::Owned);
        match aws_config::profile::load(
            &aws_types::os_shim_internal::Fs::real(),
            &aws_types::os_shim_internal::Env::real(),
            &files,
            selected,
        )
        .await
        {
            Ok(set) => (
                set.get("max_attempts").is_some(),
                set.get("retry_mode").is_some(),
            ),
            Err(_) => (false, false),
        }
    };
    let attempts = match cfg.max_retries {
        Some(retries) => retries.saturating_add(1),
        None if env_attempts || profile_attempts => resolved.max_attempts(),
        None => DEFAULT_MAX_RETRIES + 1,
    };
    let adaptive = match cfg.retry_mode.as_deref() {
        Some(mode) => mode == "adaptive",
        None if env_mode || profile_mode => {
            resolved.mode() == aws_config::retry::RetryMode::Adaptive
        }
        None => false,
    };
    let retry = if adaptive {
        RetryConfig::adaptive()
    } else {
        RetryConfig::standard()
    };
    retry
        .with_max_attempts(attempts.max(1))
        .with_max_backoff(Duration::from_secs(20))
}

/// Retries when neither the block, the environment nor the profile say.
const DEFAULT_MAX_RETRIES: u32 = 25;

/// Bounds on every App Runner and STS call: connecting, each attempt, and
/// the call with its retries. Resources bound their work further by their
/// `timeouts`, and stop at once when Terraform asks (see provider::calls).
fn call_timeouts() -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .operation_attempt_timeout(Duration::from_secs(60))
        .operation_timeout(Duration::from_secs(15 * 60))
        .build()
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}
