//! Credentials obtained from STS, with the AWS provider's meaning: a web
//! identity token exchanged for a role (`assume_role_with_web_identity`),
//! then each `assume_role` block assuming its role with the credentials of
//! the one before (role chaining), and the account guard
//! (`allowed_account_ids`, `forbidden_account_ids`) checked with
//! GetCallerIdentity.
//!
//! aws-config's own STS providers take neither session tags, transitive tag
//! keys nor a source identity, so each hop is a small provider over
//! aws-sdk-sts. The SDK's identity cache keeps each hop's credentials until
//! they near expiry.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{
    ProvideCredentials, SharedCredentialsProvider, error::CredentialsError, future,
};
use aws_sdk_sts::types::{Credentials as StsCredentials, PolicyDescriptorType, Tag};
use aws_smithy_types::error::display::DisplayErrorContext;

/// What one role assumption asks STS for.
#[derive(Clone, Debug, Default)]
pub struct RoleRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration: Option<Duration>,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
    pub source_identity: Option<String>,
}

/// Where a web identity token comes from: the block's value, or a file read
/// again at every exchange (tokens in files are rotated).
#[derive(Clone, Debug)]
pub enum WebIdentityToken {
    Value(String),
    File(PathBuf),
}

/// How to reach STS: the client every hop builds on, with the hop's
/// credentials put in.
#[derive(Clone, Debug)]
pub struct StsSettings {
    pub config: aws_sdk_sts::Config,
}

impl StsSettings {
    fn client(&self, credentials: Option<SharedCredentialsProvider>) -> aws_sdk_sts::Client {
        let mut config = self.config.to_builder();
        config.set_credentials_provider(credentials);
        aws_sdk_sts::Client::from_conf(config.build())
    }
}

fn duration_seconds(duration: Option<Duration>) -> Option<i32> {
    duration.map(|d| i32::try_from(d.as_secs()).unwrap_or(i32::MAX))
}

fn policy_arns(arns: &[String]) -> Option<Vec<PolicyDescriptorType>> {
    (!arns.is_empty()).then(|| {
        arns.iter()
            .map(|arn| PolicyDescriptorType::builder().arn(arn).build())
            .collect()
    })
}

fn into_credentials(
    returned: Option<&StsCredentials>,
    source: &'static str,
) -> Result<Credentials, CredentialsError> {
    let c = returned.ok_or_else(|| CredentialsError::unhandled("STS returned no credentials"))?;
    let expiry = SystemTime::try_from(*c.expiration()).ok();
    for secret in [c.secret_access_key(), c.session_token()] {
        crate::plugin::logging::redact(secret);
    }
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        source,
    ))
}

/// One hop of the chain: an STS call made with the previous hop's (or the
/// base) credentials.
#[derive(Debug)]
struct Hop {
    client: aws_sdk_sts::Client,
    request: RoleRequest,
    exchange: Exchange,
}

#[derive(Debug)]
enum Exchange {
    /// `assume_role`: AssumeRole; `label` (`assume_role[N]`) names the
    /// block in messages.
    AssumeRole { label: String },
    /// `assume_role_with_web_identity`: AssumeRoleWithWebIdentity, which
    /// STS takes unsigned.
    WebIdentity(WebIdentityToken),
}

impl Hop {
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let (returned, source) = match &self.exchange {
            Exchange::AssumeRole { .. } => (self.assume_role().await?, "assume_role"),
            Exchange::WebIdentity(token) => (
                self.assume_role_with_web_identity(token).await?,
                "assume_role_with_web_identity",
            ),
        };
        into_credentials(returned.as_ref(), source)
    }

    async fn assume_role(&self) -> Result<Option<StsCredentials>, CredentialsError> {
        let r = &self.request;
        let tags = r
            .tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(CredentialsError::invalid_configuration)?;
        let answer = self
            .client
            .assume_role()
            .role_arn(&r.role_arn)
            .role_session_name(&r.session_name)
            .set_duration_seconds(duration_seconds(r.duration))
            .set_external_id(r.external_id.clone())
            .set_policy(r.policy.clone())
            .set_policy_arns(policy_arns(&r.policy_arns))
            .set_tags((!tags.is_empty()).then_some(tags))
            .set_transitive_tag_keys(
                (!r.transitive_tag_keys.is_empty()).then(|| r.transitive_tag_keys.clone()),
            )
            .set_source_identity(r.source_identity.clone())
            .send()
            .await
            .map_err(|e| self.failed(e))?;
        Ok(answer.credentials)
    }

    async fn assume_role_with_web_identity(
        &self,
        token: &WebIdentityToken,
    ) -> Result<Option<StsCredentials>, CredentialsError> {
        let token = match token {
            WebIdentityToken::Value(t) => t.clone(),
            WebIdentityToken::File(path) => std::fs::read_to_string(path)
                .map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "assume_role_with_web_identity: reading web_identity_token_file {}: {e}",
                        path.display()
                    ))
                })?
                .trim()
                .to_string(),
        };
        crate::plugin::logging::redact(&token);
        let r = &self.request;
        let answer = self
            .client
            .assume_role_with_web_identity()
            .role_arn(&r.role_arn)
            .role_session_name(&r.session_name)
            .web_identity_token(token)
            .set_duration_seconds(duration_seconds(r.duration))
            .set_policy(r.policy.clone())
            .set_policy_arns(policy_arns(&r.policy_arns))
            .send()
            .await
            .map_err(|e| self.failed(e))?;
        Ok(answer.credentials)
    }

    /// A failed STS call, named as the provider block names the hop.
    fn failed(&self, error: impl std::error::Error) -> CredentialsError {
        let (hop, operation) = match &self.exchange {
            Exchange::AssumeRole { label } => (label.as_str(), "AssumeRole"),
            Exchange::WebIdentity(_) => {
                ("assume_role_with_web_identity", "AssumeRoleWithWebIdentity")
            }
        };
        CredentialsError::provider_error(format!(
            "{hop}: STS {operation} of {} failed: {}",
            self.request.role_arn,
            DisplayErrorContext(&error)
        ))
    }
}

impl ProvideCredentials for Hop {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

/// The credentials after the web identity exchange (if any) and every
/// `assume_role` hop, in order, starting from `base`.
pub fn role_chain(
    sts: &StsSettings,
    base: Option<SharedCredentialsProvider>,
    web_identity: Option<(RoleRequest, WebIdentityToken)>,
    hops: Vec<RoleRequest>,
) -> Option<SharedCredentialsProvider> {
    let mut current = base;
    if let Some((request, token)) = web_identity {
        current = Some(SharedCredentialsProvider::new(Hop {
            client: sts.client(None),
            request,
            exchange: Exchange::WebIdentity(token),
        }));
    }
    for (i, request) in hops.into_iter().enumerate() {
        current = Some(SharedCredentialsProvider::new(Hop {
            client: sts.client(current.clone()),
            request,
            exchange: Exchange::AssumeRole {
                label: format!("assume_role[{i}]"),
            },
        }));
    }
    current
}

/// The account the credentials belong to, from STS GetCallerIdentity.
pub async fn account_of(
    sts: &StsSettings,
    credentials: Option<SharedCredentialsProvider>,
) -> Result<String, String> {
    let answer = sts
        .client(credentials)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| format!("STS GetCallerIdentity failed: {}", DisplayErrorContext(&e)))?;
    answer
        .account()
        .map(str::to_string)
        .ok_or_else(|| "STS GetCallerIdentity returned no account".to_string())
}

/// Why `account` may not be used, if it may not: named in
/// `forbidden`, or missing from a non-empty `allowed`.
pub fn account_refusal(account: &str, allowed: &[String], forbidden: &[String]) -> Option<String> {
    if forbidden.iter().any(|a| a == account) {
        return Some(format!(
            "The credentials are for AWS account {account}, which forbidden_account_ids names."
        ));
    }
    if !allowed.is_empty() && !allowed.iter().any(|a| a == account) {
        return Some(format!(
            "The credentials are for AWS account {account}, which is not among allowed_account_ids ({}).",
            allowed.join(", ")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_guard_names_the_account() {
        let allowed = vec!["111111111111".to_string()];
        let forbidden = vec!["222222222222".to_string()];
        assert_eq!(account_refusal("111111111111", &allowed, &[]), None);
        assert_eq!(account_refusal("333333333333", &[], &forbidden), None);
        let refused = account_refusal("222222222222", &[], &forbidden).unwrap();
        assert!(refused.contains("222222222222") && refused.contains("forbidden_account_ids"));
        let refused = account_refusal("333333333333", &allowed, &[]).unwrap();
        assert!(refused.contains("333333333333") && refused.contains("allowed_account_ids"));
    }
}
