//! Observability configurations: describing revisions, finding and
//! listing them, creating and deleting them.

use aws_sdk_apprunner::operation::create_observability_configuration::CreateObservabilityConfigurationError;
use aws_sdk_apprunner::operation::list_observability_configurations::{
    ListObservabilityConfigurationsError, ListObservabilityConfigurationsOutput,
};
use aws_sdk_apprunner::types::{
    ObservabilityConfiguration, ObservabilityConfigurationSummary, Tag, TraceConfiguration,
    TracingVendor,
};
use serde::{Deserialize, Serialize};

use super::create::Attempt;
use super::revisions::{RevisionSummary, Revisioned};
use super::{Pages, status_is, unless_not_found};
use crate::plugin::Diagnostics;
use crate::plugin::model::Field;
use crate::provider::{AppRunner, calls, region};

/// Tracing vendors App Runner knows (the API model's `TracingVendor`).
pub const VENDORS: &[&str] = &["AWSXRAY"];

/// One `trace_configuration` block.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct Trace {
    pub vendor: String,
}

impl Trace {
    pub fn to_api(&self) -> Option<TraceConfiguration> {
        TraceConfiguration::builder()
            .vendor(TracingVendor::from(self.vendor.as_str()))
            .build()
            .ok()
    }
}

/// The attributes of a revision its resource and data source share (each
/// adds the name and revision number under its own attribute names).
#[derive(Serialize)]
pub struct ObservabilityAttributes {
    pub arn: String,
    /// Same as the ARN.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub latest: bool,
    pub status: Field<String>,
    /// A list of at most one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_configuration: Option<Vec<Trace>>,
}

impl From<&ObservabilityConfiguration> for ObservabilityAttributes {
    fn from(c: &ObservabilityConfiguration) -> Self {
        let arn = c.observability_configuration_arn().unwrap_or_default();
        ObservabilityAttributes {
            arn: arn.to_string(),
            id: arn.to_string(),
            region: region::from_arn(arn).map(str::to_string),
            latest: c.latest(),
            status: c.status().map(|s| s.as_str()).into(),
            trace_configuration: Some(
                c.trace_configuration()
                    .map(|t| Trace {
                        vendor: t.vendor().as_str().to_string(),
                    })
                    .into_iter()
                    .collect(),
            ),
        }
    }
}

impl RevisionSummary for ObservabilityConfigurationSummary {
    fn name(&self) -> Option<&str> {
        self.observability_configuration_name()
    }
    fn revision(&self) -> i32 {
        self.observability_configuration_revision()
    }
    fn arn(&self) -> Option<&str> {
        self.observability_configuration_arn()
    }
    /// The summaries carry no status; describe leaves inactive ones out.
    fn selectable(&self) -> bool {
        true
    }
}

/// Describes a revision; `None` when it no longer exists.
pub async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ObservabilityConfiguration>, Diagnostics> {
    let client = provider.client_for_arn(arn);
    let request = client
        .describe_observability_configuration()
        .observability_configuration_arn(arn);
    let answer = request.send().await;
    Ok(
        unless_not_found(answer, "DescribeObservabilityConfiguration", arn)?
            .and_then(|out| out.observability_configuration)
            .filter(|c| !status_is(c.status(), "inactive")),
    )
}

/// Sends one CreateObservabilityConfiguration attempt (see
/// [`calls::create_or_adopt`]).
pub async fn create_once(
    provider: &AppRunner,
    region: &str,
    name: &str,
    trace: Option<TraceConfiguration>,
    tags: Option<Vec<Tag>>,
) -> Attempt<ObservabilityConfiguration, CreateObservabilityConfigurationError> {
    provider
        .client_in(region)
        .create_observability_configuration()
        .observability_configuration_name(name)
        .set_trace_configuration(trace)
        .set_tags(tags)
        .customize()
        .config_override(calls::one_attempt())
        .send()
        .await
        .map(|out| out.observability_configuration().cloned())
}

/// Asks App Runner to delete a revision; one already gone is fine.
pub async fn delete(provider: &AppRunner, arn: &str) -> Result<(), crate::plugin::Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client
        .delete_observability_configuration()
        .observability_configuration_arn(arn);
    let answer = request.send().await;
    unless_not_found(answer, "DeleteObservabilityConfiguration", arn).map(|_| ())
}

/// The kind, for what revisioned configurations share.
pub struct Observability;

impl Revisioned for Observability {
    type Api = ObservabilityConfiguration;
    type Summary = ObservabilityConfigurationSummary;
    type Attributes = ObservabilityAttributes;

    const LIST_OPERATION: &'static str = "ListObservabilityConfigurations";
    type Page = ListObservabilityConfigurationsOutput;
    type ListError = ListObservabilityConfigurationsError;

    async fn describe(
        provider: &AppRunner,
        arn: &str,
    ) -> Result<Option<ObservabilityConfiguration>, Diagnostics> {
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
            .list_observability_configurations()
            .set_observability_configuration_name(name.map(str::to_string))
            .set_latest_only(latest_only)
            .into_paginator()
            .send()
    }

    fn summaries(page: &Self::Page) -> &[ObservabilityConfigurationSummary] {
        page.observability_configuration_summary_list()
    }

    fn arn(api: &ObservabilityConfiguration) -> &str {
        api.observability_configuration_arn().unwrap_or_default()
    }

    fn name(api: &ObservabilityConfiguration) -> Option<&str> {
        api.observability_configuration_name()
    }

    fn revision(api: &ObservabilityConfiguration) -> Option<i32> {
        Some(api.observability_configuration_revision())
    }
}
