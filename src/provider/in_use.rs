//! Deleting an auto scaling configuration that services are letting go of.
//!
//! App Runner refuses to delete an auto scaling configuration while a
//! service uses it. Within one `terraform destroy` that lasts only while
//! the services are deleted: a service that uses the account's default
//! configuration has no edge to it in Terraform's graph, so Terraform
//! deletes both at once. Rather than fail such a destroy, the delete is
//! tried again while some service of the region is busy (being deleted or
//! changed), and fails with App Runner's answer once none has been busy for
//! a short grace period (a configuration that a service keeps using).

use std::future::Future;
use std::time::Duration;

use aws_sdk_apprunner::Client;
use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_apprunner::types::ServiceStatus;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::calls;

/// How long to keep trying once no service of the region is busy:
/// Terraform may not have started deleting every service yet (its
/// parallelism, or a VPC ingress connection deleted first).
const GRACE: Duration = Duration::from_secs(120);
/// The longest wait in all: a service delete takes minutes.
const BOUND: Duration = Duration::from_secs(20 * 60);
const GAP: Duration = Duration::from_secs(2);

/// Sends `send` (a delete of the auto scaling configuration `arn`) until
/// App Runner accepts it, it fails for another reason than services using
/// the configuration, no service of the region has been busy for
/// [`GRACE`], or Terraform asks the provider to stop.
pub async fn delete_when_released<T, E, F, Fut>(
    cancel: &CancellationToken,
    client: &Client,
    arn: &str,
    mut send: F,
) -> Result<T, SdkError<E, HttpResponse>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
    let deadline = calls::deadline_after(BOUND);
    let mut quiet_since: Option<Instant> = None;
    loop {
        let err = match send().await {
            Ok(out) => return Ok(out),
            Err(e) => e,
        };
        if err.as_service_error().and_then(|e| e.code()) != Some("InvalidRequestException")
            || !in_use(client, arn).await
        {
            return Err(err);
        }
        let now = Instant::now();
        if services_busy(client).await {
            quiet_since = None;
        } else if now - *quiet_since.get_or_insert(now) >= GRACE {
            return Err(err);
        }
        if now >= deadline {
            return Err(err);
        }
        tracing::info!(
            configuration = arn,
            "App Runner refused the delete: services still use the configuration; waiting for the services \
             being deleted or changed to let go of it"
        );
        tokio::select! {
            _ = cancel.cancelled() => return Err(err),
            _ = tokio::time::sleep(GAP) => {}
        }
    }
}

/// Whether App Runner says a service uses the configuration.
async fn in_use(client: &Client, arn: &str) -> bool {
    client
        .describe_auto_scaling_configuration()
        .auto_scaling_configuration_arn(arn)
        .send()
        .await
        .ok()
        .and_then(|out| out.auto_scaling_configuration()?.has_associated_service())
        .unwrap_or(false)
}

/// Whether some service of the client's region has an operation in
/// progress. An error reads as busy: the grace period does not start on a
/// failed look.
async fn services_busy(client: &Client) -> bool {
    let mut pages = client.list_services().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Ok(page) = page else { return true };
        if page
            .service_summary_list()
            .iter()
            .any(|s| s.status() == Some(&ServiceStatus::OperationInProgress))
        {
            return true;
        }
    }
    false
}
