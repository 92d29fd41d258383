//! App Runner operations (ListOperations): every change to a service —
//! create, update, pause, resume, delete, deployment — starts one, and it
//! is followed to its end within the Terraform operation's deadline.

use std::time::Duration;

use aws_sdk_apprunner::operation::list_operations::{ListOperationsError, ListOperationsOutput};
use aws_sdk_apprunner::types::OperationSummary;
use tokio::time::Instant;

use super::Pages;
use crate::plugin::{Ctx, Diagnostic};
use crate::provider::AppRunner;
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::waiter::{Poll, WaitError, Waiting, humanize, wait_for};

/// A point in time every step of one Terraform operation must finish by.
pub struct Deadline {
    at: Instant,
    total: Duration,
}

impl Deadline {
    pub fn after(total: Duration) -> Self {
        Deadline {
            at: crate::provider::calls::deadline_after(total),
            total,
        }
    }

    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// The whole time the operation was given.
    pub fn total(&self) -> Duration {
        self.total
    }
}

/// What ListOperations says about the operation looked for.
enum Lookup {
    Listed(OperationSummary),
    NotListed,
    /// The service is not found; the error says so.
    ServiceGone(Diagnostic),
}

/// The first operation of `service_arn` that `wanted` picks, following
/// every page.
async fn lookup(
    provider: &AppRunner,
    service_arn: &str,
    wanted: impl Fn(&OperationSummary) -> bool,
) -> Result<Lookup, Diagnostic> {
    let (found, walked) = super::try_collect(
        pages(provider, service_arn),
        1,
        |page| page.operation_summary_list(),
        wanted,
    )
    .await;
    match walked {
        Ok(()) => Ok(found
            .into_iter()
            .next()
            .map_or(Lookup::NotListed, Lookup::Listed)),
        Err(e) if is_not_found(&e) => Ok(Lookup::ServiceGone(api_error(
            "ListOperations",
            service_arn,
            e,
        ))),
        Err(e) => Err(api_error("ListOperations", service_arn, e)),
    }
}

/// The pages of ListOperations for `service`, newest operation first.
pub fn pages(
    provider: &AppRunner,
    service: &str,
) -> Pages<ListOperationsOutput, ListOperationsError> {
    provider
        .client_for_arn(service)
        .list_operations()
        .service_arn(service)
        .into_paginator()
        .send()
}

/// Operation `id` of `service`; `Ok(None)` when the service or the
/// operation is not found.
pub async fn find(
    provider: &AppRunner,
    service: &str,
    id: &str,
) -> Result<Option<OperationSummary>, Diagnostic> {
    match lookup(provider, service, |o| o.id() == Some(id)).await? {
        Lookup::Listed(op) => Ok(Some(op)),
        Lookup::NotListed | Lookup::ServiceGone(_) => Ok(None),
    }
}

/// The status of operation `id` of `service`, in upper case; `Ok(None)`
/// when the service or the operation is not found.
pub async fn status(
    provider: &AppRunner,
    service: &str,
    id: &str,
) -> Result<Option<String>, Diagnostic> {
    Ok(find(provider, service, id)
        .await?
        .and_then(|op| op.status().map(|s| s.as_str().to_ascii_uppercase())))
}

/// Waits for operation `id` of `service_arn` (or, with no id, the newest
/// operation of `op_type`) to end. Only SUCCEEDED is success; FAILED and
/// the rollback outcomes are errors naming the operation and its status.
pub async fn follow(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service_arn: &str,
    id: Option<&str>,
    op_type: &str,
    what: &str,
    deadline: &Deadline,
) -> Result<(), Diagnostic> {
    let total = deadline.total;
    let wanted = |o: &OperationSummary| match id {
        Some(id) => o.id() == Some(id),
        None => o.r#type().is_some_and(|t| t.as_str() == op_type),
    };
    let waiting = Waiting::on(what, service_arn).operation(id);
    let result = wait_for(
        ctx.cancellation(),
        deadline.remaining(),
        waiting,
        || async {
            match lookup(provider, service_arn, wanted).await {
                Ok(Lookup::Listed(op)) => {
                    let op_id = op.id().unwrap_or("?");
                    let status = op
                        .status()
                        .map(|s| s.as_str().to_ascii_uppercase())
                        .unwrap_or_default();
                    match status.as_str() {
                        "SUCCEEDED" => Poll::Ready(()),
                        "FAILED" | "ROLLBACK_SUCCEEDED" | "ROLLBACK_FAILED" => Poll::Failed(
                            operation_failed(what, service_arn, op_id, op_type, &status),
                        ),
                        _ => Poll::Pending(format!("operation {op_id} {status}")),
                    }
                }
                Ok(Lookup::NotListed) => Poll::Pending(match id {
                    Some(id) => format!("operation {id} not listed yet"),
                    None => format!("no {op_type} operation listed yet"),
                }),
                // A deleted service may take its operations with it.
                Ok(Lookup::ServiceGone(_)) if op_type == "DELETE_SERVICE" => Poll::Ready(()),
                Ok(Lookup::ServiceGone(d)) | Err(d) => Poll::Failed(d),
            }
        },
    )
    .await;
    result.map_err(|e| match e {
        WaitError::TimedOut { last_status } => Diagnostic::error(
            format!("Timed out waiting for App Runner to {what}"),
            format!(
                "{service_arn}: {last_status} after {}. Raise the matching setting of the resource's `timeouts` block \
                 if this legitimately takes longer.",
                humanize(total)
            ),
        ),
        other => other.into_diagnostic(&format!("App Runner to {what}"), total),
    })
}

fn operation_failed(what: &str, arn: &str, id: &str, op_type: &str, status: &str) -> Diagnostic {
    let outcome = match status {
        "ROLLBACK_SUCCEEDED" => {
            "App Runner rolled the service back: it runs its previous configuration, and the change was not applied."
        }
        "ROLLBACK_FAILED" => {
            "App Runner could not roll the service back either; check it in the console."
        }
        _ => "The change was not applied.",
    };
    // Why a service failed to start or rolled back is in its logs.
    let logs = match (op_type, status) {
        ("CREATE_SERVICE", _) | ("UPDATE_SERVICE", "ROLLBACK_SUCCEEDED" | "ROLLBACK_FAILED") => {
            super::service::log_groups(arn)
                .map(|[service, application]| {
                    format!(
                        " App Runner's logs say why: CloudWatch log groups {service} (service events) and \
                         {application} (the application's output)."
                    )
                })
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    Diagnostic::error(
        format!("App Runner could not {what}: operation ended {status}"),
        format!("Operation {id} ({op_type}) on {arn} ended with status {status}. {outcome}{logs}"),
    )
}
