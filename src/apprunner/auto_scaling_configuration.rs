//! Auto scaling configurations: describing revisions, finding and listing
//! them, creating and deleting them.

use std::time::Duration;

use aws_sdk_apprunner::operation::create_auto_scaling_configuration::CreateAutoScalingConfigurationError;
use aws_sdk_apprunner::operation::list_auto_scaling_configurations::{
    ListAutoScalingConfigurationsError, ListAutoScalingConfigurationsOutput,
};
use aws_sdk_apprunner::types::{
    AutoScalingConfiguration, AutoScalingConfigurationSummary, ServiceStatus, Tag,
};
use serde::Serialize;
use tokio::time::Instant;

use super::create::Attempt;
use super::revisions::{self, RevisionSummary, Revisioned};
use super::{Pages, status_is, unless_not_found};
use crate::plugin::model::Field;
use crate::plugin::{Diagnostic, Diagnostics};
use crate::provider::errors::{api_error, code, is_not_found};
use crate::provider::{AppRunner, calls, region};

/// The attributes of a revision its resource and data source share (each
/// adds the name and revision number under its own attribute names).
#[derive(Serialize)]
pub struct AutoScalingAttributes {
    pub arn: String,
    /// Same as the ARN.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub latest: Option<bool>,
    pub status: Field<String>,
    pub has_associated_service: Option<bool>,
    pub is_default: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size: Option<i32>,
}

impl From<&AutoScalingConfiguration> for AutoScalingAttributes {
    fn from(asc: &AutoScalingConfiguration) -> Self {
        let arn = asc.auto_scaling_configuration_arn().unwrap_or_default();
        AutoScalingAttributes {
            arn: arn.to_string(),
            id: arn.to_string(),
            region: region::from_arn(arn).map(str::to_string),
            latest: asc.latest(),
            status: asc.status().map(|s| s.as_str()).into(),
            has_associated_service: asc.has_associated_service(),
            is_default: asc.is_default(),
            max_concurrency: asc.max_concurrency(),
            max_size: asc.max_size(),
            min_size: asc.min_size(),
        }
    }
}

impl RevisionSummary for AutoScalingConfigurationSummary {
    fn name(&self) -> Option<&str> {
        self.auto_scaling_configuration_name()
    }
    fn revision(&self) -> i32 {
        self.auto_scaling_configuration_revision()
    }
    fn arn(&self) -> Option<&str> {
        self.auto_scaling_configuration_arn()
    }
    fn selectable(&self) -> bool {
        !is_inactive(self.status())
    }
}

fn is_inactive<S: AsRef<str>>(status: Option<S>) -> bool {
    status_is(status, "inactive")
}

/// Describes a revision; `None` when it no longer exists.
pub async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<AutoScalingConfiguration>, Diagnostics> {
    let client = provider.client_for_arn(arn);
    let request = client
        .describe_auto_scaling_configuration()
        .auto_scaling_configuration_arn(arn);
    let answer = request.send().await;
    Ok(
        unless_not_found(answer, "DescribeAutoScalingConfiguration", arn)?
            .and_then(|out| out.auto_scaling_configuration)
            .filter(|asc| !is_inactive(asc.status())),
    )
}

/// The settings of a revision, as App Runner takes them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Settings {
    pub max_concurrency: Option<i32>,
    pub max_size: Option<i32>,
    pub min_size: Option<i32>,
}

impl Settings {
    pub fn of(asc: &AutoScalingConfiguration) -> Settings {
        Settings {
            max_concurrency: asc.max_concurrency(),
            max_size: asc.max_size(),
            min_size: asc.min_size(),
        }
    }
}

/// Sends one CreateAutoScalingConfiguration attempt (see
/// [`calls::create_or_adopt`]).
pub async fn create_once(
    provider: &AppRunner,
    region: &str,
    name: &str,
    settings: Settings,
    tags: Option<Vec<Tag>>,
) -> Attempt<AutoScalingConfiguration, CreateAutoScalingConfigurationError> {
    provider
        .client_in(region)
        .create_auto_scaling_configuration()
        .auto_scaling_configuration_name(name)
        .set_max_concurrency(settings.max_concurrency)
        .set_max_size(settings.max_size)
        .set_min_size(settings.min_size)
        .set_tags(tags)
        .customize()
        .config_override(calls::one_attempt())
        .send()
        .await
        .map(|out| out.auto_scaling_configuration().cloned())
}

/// How a delete request ended.
pub enum Deleted {
    /// Deleted, or gone already.
    Done,
    /// Refused (the revision is in use); App Runner's reason.
    Refused(Diagnostic),
}

/// Asks App Runner to delete a revision.
pub async fn delete(provider: &AppRunner, arn: &str) -> Result<Deleted, Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client
        .delete_auto_scaling_configuration()
        .auto_scaling_configuration_arn(arn);
    match request.send().await {
        Ok(_) => Ok(Deleted::Done),
        Err(e) if is_not_found(&e) => Ok(Deleted::Done),
        Err(e) => {
            let refused = code(&e).as_deref() == Some("InvalidRequestException");
            let d = api_error("DeleteAutoScalingConfiguration", arn, e);
            if refused {
                Ok(Deleted::Refused(d))
            } else {
                Err(d)
            }
        }
    }
}

/// How long [`delete_when_released`] keeps trying once no service of the
/// region is busy: Terraform may not have started deleting every service
/// yet (its parallelism, or a VPC ingress connection deleted first).
const RELEASE_GRACE: Duration = Duration::from_secs(120);
/// The longest [`delete_when_released`] waits in all: a service delete
/// takes minutes.
const RELEASE_BOUND: Duration = Duration::from_secs(20 * 60);
const RELEASE_GAP: Duration = Duration::from_secs(2);
/// Refusals in a row while no service uses the revision after which the
/// refusal stands.
const UNEXPLAINED_REFUSALS: u32 = 3;

/// Deletes a revision that services may be letting go of.
///
/// App Runner refuses to delete a configuration while a service uses it.
/// Within one `terraform destroy` that lasts only while the services are
/// deleted: a service on the account's default configuration has no edge
/// to it in Terraform's graph, so Terraform deletes both at once. So a
/// refusal is waited out while some service of the region is busy (being
/// deleted or changed), and stands once none has been for
/// [`RELEASE_GRACE`] (a configuration a service keeps using), or when
/// `cancel` fires. A refusal while no service uses it any more (the last
/// one let go in between) is followed by another delete.
pub async fn delete_when_released(
    cancel: &tokio_util::sync::CancellationToken,
    provider: &AppRunner,
    arn: &str,
) -> Result<Deleted, Diagnostic> {
    let deadline = calls::deadline_after(RELEASE_BOUND);
    let region = region::from_arn(arn).unwrap_or(&provider.region);
    let mut quiet_since: Option<Instant> = None;
    let mut unexplained = 0;
    loop {
        let refusal = match delete(provider, arn).await? {
            Deleted::Done => return Ok(Deleted::Done),
            Deleted::Refused(d) => d,
        };
        let in_use = describe(provider, arn)
            .await
            .ok()
            .flatten()
            .map(|c| c.has_associated_service().unwrap_or(false));
        let now = Instant::now();
        if in_use == Some(false) {
            // Refused, yet no service uses it now: the last one let go
            // between the refusal and the look, so delete again; a refusal
            // that stays unexplained (another reason) stands.
            unexplained += 1;
            if unexplained >= UNEXPLAINED_REFUSALS {
                return Ok(Deleted::Refused(refusal));
            }
        } else {
            unexplained = 0;
            // A failed look counts as busy: the grace period starts only on
            // a region seen quiet.
            let busy = super::service::list(provider, region, 1, |s| {
                s.status() == Some(&ServiceStatus::OperationInProgress)
            })
            .await
            .map_or(true, |found| !found.is_empty());
            if busy {
                quiet_since = None;
            } else if now - *quiet_since.get_or_insert(now) >= RELEASE_GRACE {
                return Ok(Deleted::Refused(refusal));
            }
        }
        if now >= deadline {
            return Ok(Deleted::Refused(refusal));
        }
        tracing::info!(
            configuration = arn,
            "App Runner refused the delete: services still use the configuration; waiting for the services \
             being deleted or changed to let go of it"
        );
        tokio::select! {
            _ = cancel.cancelled() => return Ok(Deleted::Refused(refusal)),
            _ = tokio::time::sleep(RELEASE_GAP) => {}
        }
    }
}

/// Whether the revision `arn` still exists and can be a default.
pub async fn is_active(provider: &AppRunner, arn: &str) -> bool {
    describe(provider, arn)
        .await
        .ok()
        .flatten()
        .is_some_and(|c| status_is(c.status(), "active"))
}

/// The active default configuration of `region`.
pub async fn find_default(
    provider: &AppRunner,
    region: &str,
) -> Result<Option<AutoScalingConfigurationSummary>, Diagnostics> {
    let what = format!("the default auto scaling configuration of {region}");
    let found = revisions::list::<AutoScaling>(provider, region, None, None, &what, 1, |c| {
        c.is_default() == Some(true) && status_is(c.status(), "active")
    })
    .await?;
    Ok(found.into_iter().next())
}

/// The latest revision of App Runner's own `DefaultConfiguration` in
/// `region`.
pub async fn app_runner_default(
    provider: &AppRunner,
    region: &str,
) -> Result<Option<String>, Diagnostics> {
    let what = format!("App Runner's DefaultConfiguration in {region}");
    let name = revisions::APP_RUNNER_DEFAULT;
    let found =
        revisions::list::<AutoScaling>(provider, region, Some(name), Some(true), &what, 1, |_| {
            true
        })
        .await?;
    Ok(found
        .into_iter()
        .next()
        .and_then(|c| c.auto_scaling_configuration_arn().map(str::to_string)))
}

/// Makes `arn` the default of `region`; answers the ARN App Runner made
/// the default (a partial ARN names a full one). `resource` names the
/// change in errors.
pub async fn set_default(
    provider: &AppRunner,
    region: &str,
    arn: &str,
    resource: &str,
) -> Result<Option<String>, Diagnostic> {
    provider
        .client_in(region)
        .update_default_auto_scaling_configuration()
        .auto_scaling_configuration_arn(arn)
        .send()
        .await
        .map(|out| {
            out.auto_scaling_configuration()
                .and_then(|c| c.auto_scaling_configuration_arn())
                .map(str::to_string)
        })
        .map_err(|e| api_error("UpdateDefaultAutoScalingConfiguration", resource, e))
}

/// The kind, for what revisioned configurations share.
pub struct AutoScaling;

impl Revisioned for AutoScaling {
    type Api = AutoScalingConfiguration;
    type Summary = AutoScalingConfigurationSummary;
    type Attributes = AutoScalingAttributes;

    const LIST_OPERATION: &'static str = "ListAutoScalingConfigurations";
    type Page = ListAutoScalingConfigurationsOutput;
    type ListError = ListAutoScalingConfigurationsError;

    async fn describe(
        provider: &AppRunner,
        arn: &str,
    ) -> Result<Option<AutoScalingConfiguration>, Diagnostics> {
        describe(provider, arn).await
    }

    fn pages(
        provider: &AppRunner,
        region: &str,
        name: Option<&str>,
        latest_only: Option<bool>,
    ) -> Pages<Self::Page, Self::ListError> {
        provider
            .client_in(region)
            .list_auto_scaling_configurations()
            .set_auto_scaling_configuration_name(name.map(str::to_string))
            .set_latest_only(latest_only)
            .into_paginator()
            .send()
    }

    fn summaries(page: &Self::Page) -> &[AutoScalingConfigurationSummary] {
        page.auto_scaling_configuration_summary_list()
    }

    fn arn(api: &AutoScalingConfiguration) -> &str {
        api.auto_scaling_configuration_arn().unwrap_or_default()
    }

    fn name(api: &AutoScalingConfiguration) -> Option<&str> {
        api.auto_scaling_configuration_name()
    }

    fn revision(api: &AutoScalingConfiguration) -> Option<i32> {
        api.auto_scaling_configuration_revision()
    }
}
