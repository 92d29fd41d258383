//! VPC connectors: describing, finding by name, listing, creating and
//! deleting them, and which services hold one.

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_apprunner::operation::create_vpc_connector::CreateVpcConnectorError;
use aws_sdk_apprunner::types::{Tag, VpcConnector};
use serde::Serialize;

use super::create::Attempt;
use super::{collect, status_is, unless_not_found};
use crate::plugin::Diagnostics;
use crate::plugin::model::Field;
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::{AppRunner, calls, region};

/// App Runner's rule for connector names.
pub const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}";
pub const NAME_RULE: &str =
    "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit";

/// The attributes of a connector its resource and data source share.
#[derive(Serialize)]
pub struct VpcConnectorAttributes {
    pub arn: String,
    /// Same as the ARN.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_connector_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    pub vpc_connector_revision: i32,
    pub status: Field<String>,
}

impl From<&VpcConnector> for VpcConnectorAttributes {
    fn from(c: &VpcConnector) -> Self {
        let arn = c.vpc_connector_arn().unwrap_or_default();
        VpcConnectorAttributes {
            arn: arn.to_string(),
            id: arn.to_string(),
            region: region::from_arn(arn).map(str::to_string),
            vpc_connector_name: c.vpc_connector_name().map(str::to_string),
            subnets: Some(c.subnets().to_vec()),
            security_groups: Some(c.security_groups().to_vec()),
            vpc_connector_revision: c.vpc_connector_revision(),
            status: c.status().map(|s| s.as_str()).into(),
        }
    }
}

pub fn is_active(c: &VpcConnector) -> bool {
    status_is(c.status(), "ACTIVE")
}

/// The status, for waiting messages.
pub fn status(c: &VpcConnector) -> String {
    c.status()
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Describes a connector; `None` when it no longer exists (or is INACTIVE).
pub async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<VpcConnector>, Diagnostics> {
    let client = provider.client_for_arn(arn);
    let request = client.describe_vpc_connector().vpc_connector_arn(arn);
    Ok(
        unless_not_found(request.send().await, "DescribeVpcConnector", arn)?
            .and_then(|out| out.vpc_connector)
            .filter(|c| !status_is(c.status(), "INACTIVE")),
    )
}

/// The active connectors of `region` that `wanted` keeps, at most `limit`.
pub async fn list(
    provider: &AppRunner,
    region: &str,
    limit: usize,
    wanted: impl Fn(&VpcConnector) -> bool,
) -> Result<Vec<VpcConnector>, Diagnostics> {
    list_for(provider, region, region, limit, wanted).await
}

/// [`list`], with `what` (the object sought) named in errors.
async fn list_for(
    provider: &AppRunner,
    region: &str,
    what: &str,
    limit: usize,
    wanted: impl Fn(&VpcConnector) -> bool,
) -> Result<Vec<VpcConnector>, Diagnostics> {
    let client = provider.client_in(region);
    collect(
        client.list_vpc_connectors().into_paginator().send(),
        "ListVpcConnectors",
        what,
        limit,
        |page| page.vpc_connectors(),
        |c| is_active(c) && wanted(c),
    )
    .await
}

/// The newest active revision of the connector called `name` (names are
/// unique among active connectors; a create whose answer was lost is
/// adopted through this).
pub async fn find_by_name(
    provider: &AppRunner,
    region: &str,
    name: &str,
) -> Result<Option<VpcConnector>, Diagnostics> {
    let named = list_for(provider, region, name, usize::MAX, |c| {
        c.vpc_connector_name() == Some(name)
    })
    .await?;
    Ok(named.into_iter().max_by_key(|c| c.vpc_connector_revision()))
}

/// Sends one CreateVpcConnector attempt (see [`calls::create_or_adopt`]).
pub async fn create_once(
    provider: &AppRunner,
    region: &str,
    name: &str,
    subnets: Option<Vec<String>>,
    security_groups: Option<Vec<String>>,
    tags: Option<Vec<Tag>>,
) -> Attempt<VpcConnector, CreateVpcConnectorError> {
    provider
        .client_in(region)
        .create_vpc_connector()
        .vpc_connector_name(name)
        .set_subnets(subnets)
        .set_security_groups(security_groups)
        .set_tags(tags)
        .customize()
        .config_override(calls::one_attempt())
        .send()
        .await
        .map(|out| out.vpc_connector().cloned())
}

/// How a delete request ended.
pub enum Deleted {
    /// Deleted, or gone already.
    Done,
    /// Refused because services use the connector.
    InUse,
}

/// Asks App Runner to delete the connector once.
pub async fn delete_once(
    provider: &AppRunner,
    arn: &str,
) -> Result<Deleted, crate::plugin::Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client.delete_vpc_connector().vpc_connector_arn(arn);
    match request.send().await {
        Ok(_) => Ok(Deleted::Done),
        Err(e) if is_not_found(&e) => Ok(Deleted::Done),
        Err(e) if is_in_use(&e) => Ok(Deleted::InUse),
        Err(e) => Err(api_error("DeleteVpcConnector", arn, e)),
    }
}

/// The error App Runner gives for a connector that services still use.
fn is_in_use<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    let Some(e) = err.as_service_error() else {
        return false;
    };
    let message = e.message().unwrap_or_default().to_ascii_lowercase();
    matches!(
        e.code(),
        Some("InvalidRequestException" | "InvalidStateException")
    ) && ["being used", "in use", "associated with"]
        .iter()
        .any(|m| message.contains(m))
}

/// The services (as "NAME (ARN, STATUS)") whose egress uses connector `arn`.
pub async fn holders(provider: &AppRunner, arn: &str) -> Result<Vec<String>, Diagnostics> {
    let region = region::from_arn(arn).unwrap_or(&provider.region);
    let services = super::service::summaries(provider, region, arn, usize::MAX, |_| true).await?;
    let mut found = Vec::new();
    for service_arn in services.iter().filter_map(|s| s.service_arn()) {
        let Some(service) = super::service::describe(provider, service_arn).await? else {
            continue;
        };
        let uses = service
            .network_configuration()
            .and_then(|n| n.egress_configuration())
            .and_then(|e| e.vpc_connector_arn())
            == Some(arn);
        if uses {
            found.push(format!(
                "{} ({service_arn}, {})",
                service.service_name(),
                service.status().as_str()
            ));
        }
    }
    Ok(found)
}
