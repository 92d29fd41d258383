//! App Runner services: describing one, finding one by name, listing a
//! region's, creating one without ever making two for one request,
//! waiting out the operations that keep a service busy, pausing and
//! resuming.

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_apprunner::operation::create_service::builders::CreateServiceFluentBuilder;
use aws_sdk_apprunner::types::{Service, ServiceSummary};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use std::future::Future;

use crate::plugin::{Ctx, Diagnostic, Diagnostics};
use crate::provider::errors::api_error;
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, calls};

use super::operation::{self, Deadline};
use super::{status_is, unless_not_found};

/// The CloudWatch Logs groups App Runner writes for the service `arn`
/// (`arn:…:service/NAME/ID`): its service events and its application's
/// output.
pub fn log_groups(arn: &str) -> Option<[String; 2]> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let mut parts = resource.split('/');
    let (Some("service"), Some(name), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if name.is_empty() || id.is_empty() {
        return None;
    }
    Some([
        format!("/aws/apprunner/{name}/{id}/service"),
        format!("/aws/apprunner/{name}/{id}/application"),
    ])
}

/// DescribeService; `None` when the service no longer exists (or is DELETED).
pub async fn describe(provider: &AppRunner, arn: &str) -> Result<Option<Service>, Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client.describe_service().service_arn(arn);
    Ok(
        unless_not_found(request.send().await, "DescribeService", arn)?
            .and_then(|out| out.service)
            .filter(|s| !status_is(Some(s.status()), "DELETED")),
    )
}

/// The service's host name: its URL, or for a private service (no URL)
/// the DNS target DescribeCustomDomains reports, as the AWS provider does.
pub async fn service_url(provider: &AppRunner, svc: &Service) -> Option<String> {
    if let Some(url) = svc.service_url().filter(|u| !u.is_empty()) {
        return Some(url.to_string());
    }
    provider
        .client_for_arn(svc.service_arn())
        .describe_custom_domains()
        .service_arn(svc.service_arn())
        .send()
        .await
        .ok()
        .map(|out| out.dns_target().to_string())
        .filter(|t| !t.is_empty())
}

/// The live (not DELETED) services of `region` that `keep` picks, at most
/// `limit`. Errors name `subject`.
pub(super) async fn summaries(
    provider: &AppRunner,
    region: &str,
    subject: &str,
    limit: usize,
    keep: impl Fn(&ServiceSummary) -> bool,
) -> Result<Vec<ServiceSummary>, Diagnostics> {
    let client = provider.client_in(region);
    super::collect(
        client.list_services().into_paginator().send(),
        "ListServices",
        subject,
        limit,
        |page| page.service_summary_list(),
        |s| !status_is(s.status(), "DELETED") && keep(s),
    )
    .await
}

/// The live services of `region` that `keep` picks, at most `limit`.
pub async fn list(
    provider: &AppRunner,
    region: &str,
    limit: usize,
    keep: impl Fn(&ServiceSummary) -> bool,
) -> Result<Vec<ServiceSummary>, Diagnostics> {
    summaries(provider, region, region, limit, keep).await
}

/// The ARNs of the live services of `region`.
pub async fn arns(provider: &AppRunner, region: &str) -> Result<Vec<String>, Diagnostics> {
    let found = list(provider, region, usize::MAX, |_| true).await?;
    Ok(found
        .iter()
        .filter_map(|s| s.service_arn().map(str::to_string))
        .collect())
}

/// Finds a live (not DELETED) service by name.
pub async fn find_by_name(
    provider: &AppRunner,
    region: &str,
    name: &str,
) -> Result<Option<ServiceSummary>, Diagnostic> {
    let named = |s: &ServiceSummary| s.service_name() == Some(name);
    let found = summaries(provider, region, name, 1, named).await;
    Ok(found.map_err(super::first)?.into_iter().next())
}

/// How a create request ended.
pub struct Created {
    pub arn: String,
    /// `None` when the service was found by name after a lost response.
    pub operation_id: Option<String>,
}

/// Sends `request` (CreateService for a service named `name` in `region`)
/// through [`calls::create_or_adopt`]: a service made by a request whose
/// answer was lost is adopted instead of failing on "already exists" or
/// duplicating it. The name is looked up first, so that only a service
/// that did not exist before is ever adopted.
pub async fn create(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    region: &str,
    name: &str,
    request: CreateServiceFluentBuilder,
    deadline: &Deadline,
) -> Result<Created, calls::CreateFailed<Created>> {
    // A service of this name that exists already is someone else's: never
    // adopted (the create then fails with App Runner's "already exists").
    let existing = find_by_name(provider, region, name)
        .await
        .map_err(calls::CreateFailed::nothing)?
        .and_then(|s| s.service_arn().map(str::to_string));
    calls::create_or_adopt(
        ctx,
        "CreateService",
        name,
        deadline.remaining(),
        || {
            let request = request.clone();
            async move {
                request
                    .customize()
                    .config_override(calls::one_attempt())
                    .send()
                    .await
                    .map(|out| Created {
                        arn: out
                            .service()
                            .map(|s| s.service_arn().to_string())
                            .unwrap_or_default(),
                        operation_id: Some(out.operation_id().to_string()),
                    })
            }
        },
        || async {
            Ok(find_by_name(provider, region, name)
                .await?
                .and_then(|s| s.service_arn().map(str::to_string))
                .filter(|arn| existing.as_deref() != Some(arn.as_str()))
                .map(|arn| Created {
                    arn,
                    operation_id: None,
                }))
        },
    )
    .await
}

/// Whether the service is busy with an operation (`OPERATION_IN_PROGRESS`).
fn is_busy(s: &Service) -> bool {
    s.status().as_str() == "OPERATION_IN_PROGRESS"
}

/// Waits while the service is busy with an operation (App Runner refuses
/// most calls then). `None` when the service no longer exists.
pub async fn wait_until_settled(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    why: &str,
    deadline: &Deadline,
) -> Result<Option<Service>, Diagnostic> {
    let waiting = Waiting::on("the service to finish its current operation", arn);
    wait_for(ctx.cancellation(), deadline.remaining(), waiting, || async move {
        match describe(provider, arn).await {
            Ok(None) => Poll::Ready(None),
            Ok(Some(s)) if is_busy(&s) => {
                tracing::info!(
                    service = arn,
                    "service is OPERATION_IN_PROGRESS (App Runner maintenance or another operation); waiting {why}"
                );
                Poll::Pending("OPERATION_IN_PROGRESS".to_string())
            }
            Ok(Some(s)) => Poll::Ready(Some(s)),
            Err(d) => Poll::Failed(d),
        }
    })
    .await
    .map_err(|e| {
        e.into_diagnostic(
            &format!("{arn} to finish its current operation {why}"),
            deadline.total(),
        )
    })
}

/// Sends a change to service `arn` with `send`. When App Runner refuses it
/// because the service is `OPERATION_IN_PROGRESS` (typically App Runner's
/// own maintenance, which starts without notice and lasts minutes), waits
/// for the service to settle, within `deadline`, and sends it again. Ends
/// with App Runner's last answer.
pub async fn send_when_settled<T, E, F, Fut>(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    operation: &str,
    deadline: &Deadline,
    mut send: F,
) -> Result<T, SdkError<E, HttpResponse>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
    // Maintenance can end between App Runner's refusal and our look: a
    // service found idle is asked again, a few times.
    let mut idle_refusals = 0;
    loop {
        let err = match send().await {
            Ok(out) => return Ok(out),
            Err(e) => e,
        };
        if err.as_service_error().and_then(|e| e.code()) != Some("InvalidStateException")
            || deadline.remaining().is_zero()
        {
            return Err(err);
        }
        let busy = matches!(
            describe(provider, arn).await,
            Ok(Some(s)) if is_busy(&s)
        );
        if !busy {
            idle_refusals += 1;
            if idle_refusals > 3 {
                return Err(err);
            }
            continue;
        }
        tracing::warn!(
            service = arn,
            operation,
            "App Runner refused the call: the service is OPERATION_IN_PROGRESS (App Runner maintenance or another \
             operation); waiting for maintenance to end within the resource's timeout"
        );
        if wait_until_settled(ctx, provider, arn, &format!("before {operation}"), deadline)
            .await
            .is_err()
        {
            return Err(err);
        }
    }
}

/// Sends a call that makes something on service `arn` (a deployment, a
/// custom domain association) through [`calls::create_or_adopt`], each
/// attempt through [`send_when_settled`], as App Runner refuses such calls
/// while the service is busy. `send` sends one attempt (see
/// [`calls::one_attempt`]); `find` finds what an attempt whose answer was
/// lost made.
#[allow(clippy::too_many_arguments)]
pub async fn create_when_settled<T, E, SF, FF>(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    operation: &str,
    resource: &str,
    deadline: &Deadline,
    send: impl Fn() -> SF,
    find: impl FnMut() -> FF,
) -> Result<T, calls::CreateFailed<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    SF: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    FF: Future<Output = Result<Option<T>, Diagnostic>>,
{
    let attempt = || send_when_settled(ctx, provider, arn, operation, deadline, &send);
    calls::create_or_adopt(
        ctx,
        operation,
        resource,
        deadline.remaining(),
        attempt,
        find,
    )
    .await
}

/// Pauses or resumes and follows the operation.
pub async fn set_paused(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    pause: bool,
    deadline: &Deadline,
) -> Result<(), Diagnostic> {
    let client = provider.client_for_arn(arn);
    let (operation, op_type, what) = if pause {
        ("PauseService", "PAUSE_SERVICE", "pause the service")
    } else {
        ("ResumeService", "RESUME_SERVICE", "resume the service")
    };
    // The two calls differ only in their SDK types.
    let op_id = if pause {
        let request = client.pause_service().service_arn(arn);
        let send = || request.clone().send();
        let sent = send_when_settled(ctx, provider, arn, operation, deadline, send).await;
        sent.map_err(|e| api_error(operation, arn, e))?.operation_id
    } else {
        let request = client.resume_service().service_arn(arn);
        let send = || request.clone().send();
        let sent = send_when_settled(ctx, provider, arn, operation, deadline, send).await;
        sent.map_err(|e| api_error(operation, arn, e))?.operation_id
    };
    operation::follow(
        ctx,
        provider,
        arn,
        op_id.as_deref(),
        op_type,
        what,
        deadline,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_groups_are_named_after_the_service_and_its_id() {
        assert_eq!(
            log_groups(
                "arn:aws:apprunner:us-east-1:123456789012:service/web/8fe1e10304f84fd2b0df550fe98a71fa"
            ),
            Some([
                "/aws/apprunner/web/8fe1e10304f84fd2b0df550fe98a71fa/service".to_string(),
                "/aws/apprunner/web/8fe1e10304f84fd2b0df550fe98a71fa/application".to_string(),
            ])
        );
        assert_eq!(
            log_groups("arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/abc"),
            None
        );
        assert_eq!(log_groups("not an arn"), None);
    }
}
