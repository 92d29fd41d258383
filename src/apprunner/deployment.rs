//! Deployments of a service (StartDeployment): starting one without ever
//! starting two for one request, and listing them (App Runner reports
//! them as START_DEPLOYMENT operations, and forgets old ones).

use crate::plugin::{Ctx, Diagnostics};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::{AppRunner, calls};

use super::operation::Deadline;
use super::service::create_when_settled;

/// IDs of the START_DEPLOYMENT operations of `service` with `status` (any
/// status when `None`), at most `limit`; none when the service no longer
/// exists.
pub async fn ids(
    provider: &AppRunner,
    service: &str,
    status: Option<&str>,
    limit: usize,
) -> Result<Vec<String>, Diagnostics> {
    walk(provider, service, status, limit, false).await
}

/// IDs of every START_DEPLOYMENT operation of `service`, as App Runner
/// lists them (an unknown service is an error).
async fn all_ids(
    provider: &AppRunner,
    service: &str,
) -> Result<Vec<String>, crate::plugin::Diagnostic> {
    walk(provider, service, None, usize::MAX, true)
        .await
        .map_err(super::first)
}

/// Lists the deployments of `service` as [`ids`] does; a service that
/// does not exist has none, or with `must_exist` is an error.
async fn walk(
    provider: &AppRunner,
    service: &str,
    status: Option<&str>,
    limit: usize,
    must_exist: bool,
) -> Result<Vec<String>, Diagnostics> {
    let (found, walked) = super::try_collect(
        super::operation::pages(provider, service),
        limit,
        |page| page.operation_summary_list(),
        |o| {
            o.r#type().is_some_and(|t| t.as_str() == "START_DEPLOYMENT")
                && status.is_none_or(|want| {
                    o.status()
                        .is_some_and(|s| s.as_str().eq_ignore_ascii_case(want))
                })
                && o.id().is_some()
        },
    )
    .await;
    match walked {
        Ok(()) => {}
        // Deleted since it was listed.
        Err(e) if is_not_found(&e) && !must_exist => {}
        Err(e) => return Err(api_error("ListOperations", service, e).into()),
    }
    Ok(found
        .iter()
        .filter_map(|o| o.id().map(str::to_string))
        .collect())
}

/// Sends StartDeployment for `service` through [`calls::create_or_adopt`]
/// and answers the deployment's operation ID. Deployments listed before
/// are not this one's: a deployment whose answer was lost is found among
/// the new ones, so a retry never deploys twice.
pub async fn start(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service: &str,
    deadline: &Deadline,
) -> Result<String, calls::CreateFailed<String>> {
    let before = all_ids(provider, service)
        .await
        .map_err(calls::CreateFailed::nothing)?;
    let client = provider.client_for_arn(service);
    let send = || async {
        let request = client.start_deployment().service_arn(service).customize();
        let out = request.config_override(calls::one_attempt()).send().await?;
        Ok(out.operation_id)
    };
    create_when_settled(
        ctx,
        provider,
        service,
        "StartDeployment",
        service,
        deadline,
        send,
        || async {
            let ids = all_ids(provider, service).await?;
            Ok(ids.into_iter().find(|id| !before.contains(id)))
        },
    )
    .await
}
