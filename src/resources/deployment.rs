//! `apprunner_deployment`: one deployment of a service (StartDeployment),
//! as `aws_apprunner_deployment`, so a rotated secret or a new image under
//! the same tag can be rolled out from Terraform.
//!
//! Creating the resource starts the deployment and follows its operation
//! to the end: a deployment App Runner rolls back is an error with the
//! operation's status, and the resource stays in state, tainted, so the
//! next apply deploys again. A new deployment is a replacement: change
//! `triggers` (or use `replace_triggered_by`). Destroying it changes
//! nothing in App Runner.

use std::time::Duration;

use async_trait::async_trait;

use crate::plugin::schema::Validator;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, Plan, Read, ReadRequest,
    Resource, Schema, Value, timeouts,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::{AppRunner, region};
use crate::resources::service::{Deadline, follow_operation, wait_until_settled};

pub struct Deployment;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

fn service_arn() -> Validator {
    Validator::new("an App Runner service ARN", |v| match v.as_str() {
        Some(s) => {
            let parts: Vec<&str> = s.splitn(6, ':').collect();
            let ok = parts.len() == 6
                && parts[0] == "arn"
                && parts[2] == "apprunner"
                && parts[5].starts_with("service/")
                && parts[5].split('/').count() == 3;
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "must be the ARN of an App Runner service (arn:aws:apprunner:REGION:ACCOUNT:service/NAME/ID), got {s:?}"
                ))
            }
        }
        None => Ok(()),
    })
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("A deployment of an App Runner service: App Runner pulls the image (or builds the code) again and reads the secrets again. Creating the resource deploys; replacing it deploys again.")
            .attribute(
                Attribute::string("service_arn")
                    .required()
                    .requires_replace()
                    .validate(service_arn())
                    .description("ARN of the service to deploy."),
            )
            .attribute(
                Attribute::string_map("triggers")
                    .optional()
                    .requires_replace()
                    .description("Arbitrary values; any change deploys again, e.g. `{ secret_version = aws_secretsmanager_secret_version.db.version_id }` or an image digest."),
            )
            .attribute(
                region::attribute()
                    .description("Region of the service. Defaults to the region in `service_arn`."),
            )
            .attribute(Attribute::string("operation_id").computed().keep_prior().description("ID of the deployment's operation (ListOperations)."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `operation_id`."))
            .attribute(
                Attribute::string("status")
                    .computed()
                    .keep_prior()
                    .description("Status of the operation: `SUCCEEDED`, or after a failure `FAILED`, `ROLLBACK_SUCCEEDED`, `ROLLBACK_FAILED`, or `IN_PROGRESS` after a timeout."),
            )
            .block(timeouts::block(&["create"], DEFAULT_TIMEOUT)),
    )
}

/// The status of operation `id` of `service`; `Ok(None)` when the service
/// or the operation is not found.
async fn operation_status(
    provider: &AppRunner,
    service: &str,
    id: &str,
) -> Result<Option<String>, Diagnostic> {
    let client = provider.client_for_arn(service);
    let mut token = None;
    loop {
        let page = match client
            .list_operations()
            .service_arn(service)
            .set_next_token(token)
            .send()
            .await
        {
            Ok(p) => p,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(api_error("ListOperations", service, e)),
        };
        if let Some(op) = page
            .operation_summary_list()
            .iter()
            .find(|o| o.id() == Some(id))
        {
            return Ok(op.status().map(|s| s.as_str().to_ascii_uppercase()));
        }
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(None),
        }
    }
}

#[async_trait]
impl Resource<AppRunner> for Deployment {
    fn type_name(&self) -> &'static str {
        "apprunner_deployment"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn plan(&self, ctx: &Ctx<AppRunner>, plan: &mut Plan) {
        // The deployment lives where its service does.
        let from_arn = plan
            .config
            .attr("service_arn")
            .as_str()
            .and_then(region::from_arn)
            .map(str::to_string);
        match from_arn {
            Some(r) if plan.config.attr("region").is_null() => {
                if !plan.prior.is_null() && plan.prior.attr("region").as_str() != Some(r.as_str()) {
                    plan.require_replace(crate::plugin::AttributePath::attr("region"));
                }
                plan.planned.set_attr("region", r.into());
            }
            // Not known until the service exists: the region comes with it.
            None if plan.config.attr("region").is_null()
                && plan.config.attr("service_arn").is_unknown() =>
            {
                plan.planned.set_attr("region", Value::unknown());
            }
            _ => region::plan(ctx, plan),
        }
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return Applied::failed(d),
        };
        let planned = &req.planned;
        let service = planned
            .attr("service_arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let deadline = Deadline::after(timeouts::get(planned, "create", DEFAULT_TIMEOUT));
        // App Runner refuses a deployment while the service is busy
        // (e.g. with an update in the same apply): wait for it first.
        match wait_until_settled(ctx, provider, &service, "before deploying it", &deadline).await {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner service not found",
                    format!("{service} does not exist, so it cannot be deployed."),
                ));
            }
            Err(d) => return Applied::failed(d),
        }
        let op = match provider
            .client_for_arn(&service)
            .start_deployment()
            .service_arn(&service)
            .send()
            .await
        {
            Ok(out) => out.operation_id().to_string(),
            Err(e) => return Applied::failed(api_error("StartDeployment", &service, e)),
        };
        let result = follow_operation(
            ctx,
            provider,
            &service,
            Some(&op),
            "START_DEPLOYMENT",
            "deploy the service",
            &deadline,
        )
        .await;
        let mut state = planned.clone();
        if state.attr("region").is_unknown() {
            state.set_attr("region", region::from_arn(&service).into());
        }
        state.set_attr("operation_id", op.as_str().into());
        state.set_attr("id", op.as_str().into());
        match result {
            Ok(()) => {
                state.set_attr("status", "SUCCEEDED".into());
                Applied::ok(state)
            }
            Err(d) => {
                // The deployment happened (or is still going): keep it, tainted,
                // so the next apply deploys again.
                let status = operation_status(provider, &service, &op)
                    .await
                    .ok()
                    .flatten();
                state.set_attr(
                    "status",
                    status.unwrap_or_else(|| "IN_PROGRESS".into()).into(),
                );
                Applied::partial(state, d)
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        let service = state
            .attr("service_arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let op = state
            .attr("operation_id")
            .as_str()
            .unwrap_or_default()
            .to_string();
        match crate::resources::service::describe(provider, &service).await {
            Ok(None) => return Read::gone(),
            Ok(Some(_)) => {}
            Err(d) => return Read::failed(d),
        }
        // App Runner forgets old operations: then the last known status stays.
        match operation_status(provider, &service, &op).await {
            Ok(Some(status)) => state.set_attr("status", status.into()),
            Ok(None) => {}
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, _ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        // Only `timeouts` changes in place; it affects nothing in App Runner.
        let mut state = req.planned.clone();
        for name in ["operation_id", "id", "status"] {
            if state.attr(name).is_unknown() {
                state.set_attr(name, req.prior.attr(name).clone());
            }
        }
        Applied::ok(state)
    }

    async fn delete(&self, _ctx: &Ctx<AppRunner>, _state: &Value) -> Diagnostics {
        // A deployment cannot be undone; forgetting it is all there is to do.
        Diagnostics::new()
    }
}
