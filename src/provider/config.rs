//! The `provider "apprunner"` block, with the AWS provider's argument names
//! and environment variables, and how it becomes an App Runner client.
//!
//! Credentials and region go through aws-config's standard chain, so
//! `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, SSO, web identity, ECS and EC2 roles
//! work as users expect. Configuring calls no AWS API; only `assume_role`
//! reaches STS, when credentials are first needed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use aws_types::region::Region;
use serde::Deserialize;

use crate::plugin::{
    Attribute, Block, Diagnostic, Diagnostics, NestedBlock, Schema, Value, model, validators,
};

/// Schema of the provider block.
pub fn schema() -> Schema {
    let string_list =
        |name: &str, doc: &str| Attribute::string_list(name).optional().description(doc);
    Schema::new(
        Block::new()
            .description("Manages AWS App Runner. Arguments follow the AWS provider's, so a provider block ports unchanged.")
            .attribute(Attribute::string("region").optional().description(
                "AWS region, e.g. `us-east-1`. Defaults to `AWS_REGION`/`AWS_DEFAULT_REGION` or the profile's region.",
            ))
            .attribute(Attribute::string("profile").optional().description("Named profile of the shared config files (`AWS_PROFILE`)."))
            .attribute(Attribute::string("access_key").optional().sensitive().description("Access key ID (`AWS_ACCESS_KEY_ID`)."))
            .attribute(Attribute::string("secret_key").optional().sensitive().description("Secret access key (`AWS_SECRET_ACCESS_KEY`)."))
            .attribute(Attribute::string("token").optional().sensitive().description("Session token (`AWS_SESSION_TOKEN`)."))
            .attribute(string_list("shared_config_files", "Shared config files to read instead of `~/.aws/config`."))
            .attribute(string_list("shared_credentials_files", "Shared credentials files to read instead of `~/.aws/credentials`."))
            .attribute(
                Attribute::int("max_retries")
                    .optional()
                    .validate(validators::int_between(0, 100))
                    .description("How many times a throttled or failed API call is retried. Unset, `AWS_MAX_ATTEMPTS` (attempts, so retries + 1) or the profile's `max_attempts` decides, else 25 as in the AWS provider."),
            )
            .attribute(
                Attribute::string("retry_mode")
                    .optional()
                    .validate(validators::one_of(&["standard", "adaptive"]))
                    .description("`standard` or `adaptive` retries. Unset, `AWS_RETRY_MODE` or the profile's `retry_mode` decides, else `standard`."),
            )
            .attribute(Attribute::bool("skip_credentials_validation").optional().description("Accepted for compatibility; this provider never calls STS to validate credentials."))
            .attribute(Attribute::bool("skip_requesting_account_id").optional().description("Accepted for compatibility; this provider never requests the account ID."))
            .attribute(Attribute::bool("skip_region_validation").optional().description("Accepted for compatibility; regions are not validated against a fixed list."))
            .attribute(Attribute::bool("skip_metadata_api_check").optional().description("Accepted for compatibility; set `AWS_EC2_METADATA_DISABLED=true` to keep the credential chain away from the EC2 metadata service."))
            .block(
                NestedBlock::list(
                    "assume_role",
                    Block::new()
                        .description("Assume an IAM role before calling App Runner.")
                        .attribute(Attribute::string("role_arn").optional().validate(validators::arn()).description("ARN of the role to assume."))
                        .attribute(Attribute::string("session_name").optional().description("Session name."))
                        .attribute(Attribute::string("external_id").optional().description("External ID the role's trust policy requires."))
                        .attribute(
                            Attribute::string("duration")
                                .optional()
                                .validate(validators::duration_between(
                                    Duration::from_secs(15 * 60),
                                    Duration::from_secs(12 * 3600),
                                ))
                                .description("Session duration, e.g. `1h` (15m to 12h)."),
                        ),
                )
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "endpoints",
                    Block::new()
                        .description("Custom service endpoints, e.g. a local App Runner control plane.")
                        .attribute(Attribute::string("apprunner").optional().description("App Runner endpoint URL (`AWS_ENDPOINT_URL_APPRUNNER`)."))
                        .attribute(Attribute::string("sts").optional().description("STS endpoint URL, used by `assume_role`.")),
                )
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "default_tags",
                    Block::new()
                        .description("Tags applied to every taggable resource of this provider.")
                        .attribute(Attribute::string_map("tags").optional().description("Tags to apply.")),
                )
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "ignore_tags",
                    Block::new()
                        .description("Tags this provider neither manages nor reports (e.g. tags set by other tools).")
                        .attribute(Attribute::string_set("keys").optional().description("Exact tag keys to ignore."))
                        .attribute(Attribute::string_set("key_prefixes").optional().description("Tag key prefixes to ignore.")),
                )
                .max_items(1),
            ),
    )
}

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
    #[serde(default)]
    assume_role: Vec<AssumeRole>,
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
    if access.is_null() != secret.is_null() && !access.is_unknown() && !secret.is_unknown() {
        let missing = if access.is_null() {
            "access_key"
        } else {
            "secret_key"
        };
        diags.error_at(
            crate::plugin::AttributePath::attr(missing),
            "Incomplete static credentials",
            "Set both access_key and secret_key, or neither (and let the environment or a profile provide credentials).",
        );
    }
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

    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = cfg.region.as_deref().filter(|r| !r.is_empty()) {
        loader = loader.region(Region::new(region.to_string()));
    }
    if let Some(profile) = cfg.profile.as_deref().filter(|p| !p.is_empty()) {
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
    if let (Some(ak), Some(sk)) = (&cfg.access_key, &cfg.secret_key) {
        loader = loader.credentials_provider(Credentials::new(
            ak,
            sk,
            cfg.token.clone(),
            None,
            "provider block",
        ));
    }
    if let Some(sts) = cfg
        .endpoints
        .first()
        .and_then(|e| e.sts.clone())
        .filter(|u| !u.is_empty())
    {
        // Only used for assume_role below: STS is reached through the base config.
        loader = loader.endpoint_url(sts);
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
        ).at(crate::plugin::AttributePath::attr("region")));
        return (None, diags);
    };

    let mut sdk = base.clone();
    if let Some(role) = cfg.assume_role.first() {
        match assume_role(&base, role).await {
            Ok(provider) => {
                sdk = sdk
                    .into_builder()
                    .credentials_provider(provider)
                    .endpoint_url_opt_clear()
                    .build();
            }
            Err(d) => {
                diags.push(d);
                return (None, diags);
            }
        }
    } else if cfg.endpoints.first().and_then(|e| e.sts.as_ref()).is_some() {
        sdk = sdk.into_builder().endpoint_url_opt_clear().build();
    }

    // Fail early and clearly when no credentials can be found.
    match sdk.credentials_provider() {
        Some(provider) if cfg.assume_role.is_empty() => {
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

    let endpoint = cfg
        .endpoints
        .first()
        .and_then(|e| e.apprunner.clone())
        .filter(|u| !u.is_empty());
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

async fn assume_role(
    base: &aws_types::SdkConfig,
    role: &AssumeRole,
) -> Result<aws_credential_types::provider::SharedCredentialsProvider, Diagnostic> {
    let Some(arn) = role.role_arn.as_deref().filter(|a| !a.is_empty()) else {
        return Err(Diagnostic::error(
            "assume_role needs role_arn",
            "Set role_arn in the assume_role block.",
        )
        .at(crate::plugin::AttributePath::attr("assume_role")
            .then_index(0)
            .then_attr("role_arn")));
    };
    let mut builder = aws_config::sts::AssumeRoleProvider::builder(arn).session_name(
        role.session_name
            .clone()
            .unwrap_or_else(|| "terraform-provider-apprunner".to_string()),
    );
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id);
    }
    if let Some(d) = role
        .duration
        .as_deref()
        .and_then(validators::parse_duration)
    {
        builder = builder.session_length(d);
    }
    let provider = builder.configure(base).build().await;
    Ok(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// Adds an `endpoint_url_opt_clear` to SDK config builders.
trait ClearEndpoint {
    fn endpoint_url_opt_clear(self) -> Self;
}

impl ClearEndpoint for aws_types::sdk_config::Builder {
    fn endpoint_url_opt_clear(mut self) -> Self {
        self.set_endpoint_url(None);
        self
    }
}
