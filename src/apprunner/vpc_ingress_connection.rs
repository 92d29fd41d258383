//! VPC ingress connections (private endpoints): describing, finding and
//! listing them, creating, updating and deleting them, and waiting until
//! they are `AVAILABLE`.

use std::time::Duration;

use aws_sdk_apprunner::types::{
    IngressVpcConfiguration, ListVpcIngressConnectionsFilter, Tag, VpcIngressConnection,
    VpcIngressConnectionSummary,
};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::operation::Deadline;
use super::{collect, first, unless_not_found};
use crate::plugin::model::Field;
use crate::plugin::{Ctx, Diagnostic, Diagnostics};
use crate::provider::calls::{self, CreateFailed};
use crate::provider::errors::{api_error, code, is_not_found};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, region};

/// App Runner's rule for connection names.
pub const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}";

/// One `ingress_vpc_configuration` block.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct IngressVpc {
    pub vpc_id: Field<String>,
    pub vpc_endpoint_id: Field<String>,
}

impl IngressVpc {
    /// The block as the API takes it (unknown values left out).
    pub fn to_api(&self) -> IngressVpcConfiguration {
        IngressVpcConfiguration::builder()
            .set_vpc_id(self.vpc_id.known().cloned())
            .set_vpc_endpoint_id(self.vpc_endpoint_id.known().cloned())
            .build()
    }
}

/// The attributes of a connection its resource and data source share.
#[derive(Serialize)]
pub struct IngressAttributes {
    pub arn: String,
    /// Same as the ARN.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    /// A list of exactly one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_vpc_configuration: Option<Vec<IngressVpc>>,
    pub domain_name: Option<String>,
    pub status: Field<String>,
}

impl From<&VpcIngressConnection> for IngressAttributes {
    fn from(c: &VpcIngressConnection) -> Self {
        let arn = c.vpc_ingress_connection_arn().unwrap_or_default();
        let vpc = c.ingress_vpc_configuration();
        IngressAttributes {
            arn: arn.to_string(),
            id: arn.to_string(),
            region: region::from_arn(arn).map(str::to_string),
            name: c.vpc_ingress_connection_name().map(str::to_string),
            service_arn: c.service_arn().map(str::to_string),
            ingress_vpc_configuration: Some(vec![IngressVpc {
                vpc_id: vpc.and_then(|v| v.vpc_id()).into(),
                vpc_endpoint_id: vpc.and_then(|v| v.vpc_endpoint_id()).into(),
            }]),
            domain_name: c.domain_name().map(str::to_string),
            status: c.status().map(|s| s.as_str()).into(),
        }
    }
}

/// The status in upper case, for comparisons and messages.
pub fn status(c: &VpcIngressConnection) -> String {
    c.status()
        .map(|s| s.as_str().to_ascii_uppercase())
        .unwrap_or_else(|| "unknown".into())
}

/// Describes a connection; `None` when it no longer exists (or is DELETED).
pub async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<VpcIngressConnection>, Diagnostics> {
    let client = provider.client_for_arn(arn);
    let request = client
        .describe_vpc_ingress_connection()
        .vpc_ingress_connection_arn(arn);
    let answer = request.send().await;
    Ok(
        unless_not_found(answer, "DescribeVpcIngressConnection", arn)?
            .and_then(|out| out.vpc_ingress_connection)
            .filter(|c| status(c) != "DELETED"),
    )
}

/// The connections of `region` (of `service` and through `vpc_endpoint`
/// when given) that `wanted` keeps, at most `limit`. `resource` names what
/// is listed in errors.
pub async fn list(
    provider: &AppRunner,
    region: &str,
    service: Option<&str>,
    vpc_endpoint: Option<&str>,
    resource: &str,
    limit: usize,
    wanted: impl Fn(&VpcIngressConnectionSummary) -> bool,
) -> Result<Vec<VpcIngressConnectionSummary>, Diagnostics> {
    let mut request = provider.client_in(region).list_vpc_ingress_connections();
    if service.is_some() || vpc_endpoint.is_some() {
        request = request.filter(
            ListVpcIngressConnectionsFilter::builder()
                .set_service_arn(service.map(str::to_string))
                .set_vpc_endpoint_id(vpc_endpoint.map(str::to_string))
                .build(),
        );
    }
    collect(
        request.into_paginator().send(),
        "ListVpcIngressConnections",
        resource,
        limit,
        |page| page.vpc_ingress_connection_summary_list(),
        wanted,
    )
    .await
}

/// The ARN of the connection of `service`, or called `name`, in `region`.
pub async fn find_arn(
    provider: &AppRunner,
    region: &str,
    service: Option<&str>,
    name: Option<&str>,
) -> Result<Option<String>, Diagnostics> {
    let what = service.or(name).unwrap_or_default();
    let found = list(provider, region, service, None, what, 1, |c| {
        match (service, name, c.vpc_ingress_connection_arn()) {
            (Some(s), _, Some(_)) => c.service_arn() == Some(s),
            (None, Some(n), Some(arn)) => arns::name_of(arn) == Some(n),
            _ => false,
        }
    })
    .await?;
    Ok(found
        .first()
        .and_then(|c| c.vpc_ingress_connection_arn())
        .map(str::to_string))
}

/// The live connection called `name` of `service`, for adopting what a
/// create whose answer was lost made.
pub async fn find_named(
    provider: &AppRunner,
    region: &str,
    service: &str,
    name: &str,
) -> Result<Option<VpcIngressConnection>, Diagnostics> {
    let found = list(
        provider,
        region,
        Some(service),
        None,
        name,
        usize::MAX,
        |c| {
            c.vpc_ingress_connection_arn()
                .is_some_and(|arn| arns::name_of(arn) == Some(name))
        },
    )
    .await?;
    for arn in found.iter().filter_map(|c| c.vpc_ingress_connection_arn()) {
        if let Some(c) = describe(provider, arn).await? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Creates connection `name` of `service` in `region` within `timeout`,
/// through [`super::create::create`]: a connection made by a request whose
/// answer was lost is adopted by its name. Each attempt waits until the
/// service is settled, as App Runner refuses the create while the service
/// is busy (its own maintenance, or an operation Terraform started
/// earlier).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    region: &str,
    name: &str,
    service: &str,
    vpc: IngressVpcConfiguration,
    tags: Option<Vec<Tag>>,
    timeout: Duration,
) -> Result<VpcIngressConnection, CreateFailed<VpcIngressConnection>> {
    let operation = "CreateVpcIngressConnection";
    let deadline = Deadline::after(timeout);
    let client = provider.client_in(region);
    let send = || async {
        client
            .create_vpc_ingress_connection()
            .vpc_ingress_connection_name(name)
            .service_arn(service)
            .ingress_vpc_configuration(vpc.clone())
            .set_tags(tags.clone())
            .customize()
            .config_override(calls::one_attempt())
            .send()
            .await
            .map(|out| out.vpc_ingress_connection)
    };
    super::create::create(
        ctx,
        operation,
        "connection",
        name,
        timeout,
        || super::service::send_when_settled(ctx, provider, service, operation, &deadline, &send),
        || find_named(provider, region, service, name),
    )
    .await
}

/// Asks App Runner to apply a new VPC configuration.
pub async fn update(
    provider: &AppRunner,
    arn: &str,
    vpc: IngressVpcConfiguration,
) -> Result<(), Diagnostic> {
    provider
        .client_for_arn(arn)
        .update_vpc_ingress_connection()
        .vpc_ingress_connection_arn(arn)
        .ingress_vpc_configuration(vpc)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| api_error("UpdateVpcIngressConnection", arn, e))
}

/// How a delete request ended.
pub enum Deleted {
    /// Accepted: the connection is being deleted.
    Requested,
    /// Gone already.
    Gone,
    /// Refused while the connection changes status.
    Busy,
}

/// Asks App Runner to delete the connection once.
pub async fn delete_once(provider: &AppRunner, arn: &str) -> Result<Deleted, Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client
        .delete_vpc_ingress_connection()
        .vpc_ingress_connection_arn(arn);
    match request.send().await {
        Ok(_) => Ok(Deleted::Requested),
        Err(e) if is_not_found(&e) => Ok(Deleted::Gone),
        Err(e) if code(&e).as_deref() == Some("InvalidStateException") => Ok(Deleted::Busy),
        Err(e) => Err(api_error("DeleteVpcIngressConnection", arn, e)),
    }
}

/// Waits until the connection is `AVAILABLE`; on failure returns the last
/// description seen with the error. `what` names the operation waited on.
pub async fn wait_available(
    cancel: &CancellationToken,
    provider: &AppRunner,
    arn: &str,
    name: &str,
    timeout: Duration,
    what: &str,
) -> Result<VpcIngressConnection, (Option<VpcIngressConnection>, Diagnostic)> {
    let last = std::sync::Mutex::new(None::<VpcIngressConnection>);
    let waited = wait_for(cancel, timeout, Waiting::on(what, arn), || async {
        match describe(provider, arn).await {
            Ok(Some(c)) => {
                let status = status(&c);
                *last.lock().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
                match status.as_str() {
                    "AVAILABLE" => Poll::Ready(c),
                    s if s.starts_with("FAILED_") => Poll::Failed(Diagnostic::error(
                        format!("VPC ingress connection {name} failed ({s})"),
                        format!(
                            "App Runner reports {arn} as {s} after its {what}. Check the VPC and VPC endpoint \
                             (the endpoint must be an interface endpoint for App Runner requests in the same \
                             VPC); the next apply retries."
                        ),
                    )),
                    _ => Poll::Pending(status),
                }
            }
            Ok(None) => Poll::Failed(Diagnostic::error(
                "VPC ingress connection disappeared",
                format!("{arn} was deleted while Terraform waited for it to become AVAILABLE."),
            )),
            Err(d) => Poll::Failed(first(d)),
        }
    })
    .await;
    waited.map_err(|e| {
        let last = last.lock().unwrap_or_else(|e| e.into_inner()).take();
        (
            last,
            e.into_diagnostic(
                &format!("VPC ingress connection {name} to become AVAILABLE"),
                timeout,
            ),
        )
    })
}
