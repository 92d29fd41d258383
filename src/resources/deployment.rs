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
//!
//! The identity is `service_arn` and `operation_id`; import by
//! `SERVICE_ARN,OPERATION_ID` (the AWS provider has no import for this
//! type). An imported deployment has no `triggers`: setting some in its
//! configuration deploys again.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::apprunner::operation::{self, Deadline};
use crate::apprunner::{deployment, service};
use crate::plugin::ListResource;
use crate::plugin::model::{self, Field};
use crate::plugin::schema::Validator;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentityAttribute,
    IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value, timeouts,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::{AppRunner, arns, calls, lifecycle, region};

pub struct Deployment;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// What the resource reads of its configuration, plan or state.
#[derive(Deserialize)]
struct DeploymentModel {
    service_arn: Field<String>,
    region: Field<String>,
    operation_id: Field<String>,
    id: Field<String>,
    status: Field<String>,
}

impl DeploymentModel {
    fn service(&self) -> &str {
        self.service_arn.as_deref().unwrap_or_default()
    }
}

/// The resource's identity: the service and its operation.
#[derive(Deserialize)]
struct Identity {
    service_arn: Field<String>,
    operation_id: Field<String>,
}

/// The attributes a deployment's operation decides.
#[derive(Serialize)]
struct Deployed {
    region: Field<String>,
    operation_id: Field<String>,
    id: Field<String>,
    status: Field<String>,
}

impl Deployed {
    /// The planned deployment as operation `op`, with `status`; a region
    /// not known before is the service's.
    fn started(planned: &DeploymentModel, op: &str, status: String) -> Self {
        let region = match &planned.region {
            Field::Unknown => region::from_arn(planned.service()).into(),
            known => known.clone(),
        };
        Deployed {
            region,
            operation_id: op.into(),
            id: op.into(),
            status: Field::Known(status),
        }
    }

    /// The planned state with these attributes, and what went wrong.
    fn applied(self, mut state: Value, failed: Option<Diagnostic>) -> Applied {
        let mut diags = Diagnostics(failed.into_iter().collect());
        if let Err(d) = super::write_model(&mut state, &schema(), &self) {
            diags.push(d);
        }
        if diags.0.is_empty() {
            Applied::ok(state)
        } else {
            Applied::partial(state, diags)
        }
    }
}

/// The statuses of App Runner operations (the API model's `OperationStatus`).
const OPERATION_STATUSES: &[&str] = &[
    "PENDING",
    "IN_PROGRESS",
    "FAILED",
    "SUCCEEDED",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_FAILED",
    "ROLLBACK_SUCCEEDED",
];

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

#[async_trait]
impl Resource<AppRunner> for Deployment {
    fn type_name(&self) -> &'static str {
        "apprunner_deployment"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    /// The service and its operation: what names a deployment in App
    /// Runner (ListOperations of the service).
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::of(vec![
            IdentityAttribute::required("service_arn", "ARN of the deployed service."),
            IdentityAttribute::required("operation_id", "ID of the deployment's operation."),
        ]))
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let identity: Identity = model::from_value(identity).ok()?;
        let service = identity.service_arn.as_deref()?;
        let op = identity.operation_id.as_deref()?;
        Some(format!("{service},{op}"))
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        #[derive(Serialize)]
        struct Region<'a> {
            region: Field<&'a str>,
        }
        let config = match DeploymentModel::of(&plan.config) {
            Ok(c) => c,
            Err(d) => return plan.diagnostics.push(d),
        };
        let prior: Option<DeploymentModel> = match model::from_value(&plan.prior) {
            Ok(p) => p,
            Err(e) => return plan.diagnostics.push(e.into()),
        };
        // The deployment lives where its service does.
        let from_arn = config.service_arn.as_deref().and_then(region::from_arn);
        let region = match from_arn {
            Some(r) if config.region.is_null() => {
                if prior.is_some_and(|p| p.region.as_deref() != Some(r)) {
                    plan.require_replace(crate::plugin::AttributePath::attr("region"));
                }
                Field::Known(r)
            }
            // Not known until the service exists: the region comes with it.
            None if config.region.is_null() && config.service_arn.is_unknown() => Field::Unknown,
            _ => return region::plan(ctx, plan),
        };
        super::write_planned(plan, &schema(), &Region { region });
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(DeploymentModel::of(&req.planned), Applied::failed);
        let service = planned.service();
        let deadline = Deadline::after(timeouts::get(&req.planned, "create", DEFAULT_TIMEOUT));
        // App Runner refuses a deployment while the service is busy
        // (e.g. with an update in the same apply): wait for it first.
        match service::wait_until_settled(ctx, provider, service, "before deploying it", &deadline)
            .await
        {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner service not found",
                    format!("{service} does not exist, so it cannot be deployed."),
                ));
            }
            Err(d) => return Applied::failed(d),
        }
        let started = deployment::start(ctx, provider, service, &deadline).await;
        let op = match started {
            Ok(op) => op,
            Err(calls::CreateFailed {
                made: Some(op),
                diagnostic,
            }) => {
                return Deployed::started(&planned, &op, "IN_PROGRESS".into())
                    .applied(req.planned, Some(diagnostic));
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let result = operation::follow(
            ctx,
            provider,
            service,
            Some(&op),
            "START_DEPLOYMENT",
            "deploy the service",
            &deadline,
        )
        .await;
        match result {
            Ok(()) => {
                Deployed::started(&planned, &op, "SUCCEEDED".into()).applied(req.planned, None)
            }
            Err(d) => {
                // The deployment happened (or is still going): keep it, tainted,
                // so the next apply deploys again.
                let status = operation::status(provider, service, &op)
                    .await
                    .ok()
                    .flatten();
                let status = status.unwrap_or_else(|| "IN_PROGRESS".into());
                Deployed::started(&planned, &op, status).applied(req.planned, Some(d))
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        #[derive(Serialize)]
        struct Status {
            status: String,
        }
        let provider = ctx.provider();
        let known = crate::or_return!(DeploymentModel::of(&req.state), Read::failed);
        let service = known.service();
        let op = known.operation_id.as_deref().unwrap_or_default();
        match service::describe(provider, service).await {
            Ok(None) => return Read::gone(),
            Ok(Some(_)) => {}
            Err(d) => return Read::failed(d),
        }
        // App Runner forgets old operations: then the last known status
        // stays. Just imported (no status yet), the operation must exist
        // and be a deployment.
        let imported = known.status.is_null();
        let mut state = req.state.clone();
        match operation::find(provider, service, op).await {
            Ok(Some(found)) => {
                let kind = found.r#type().map(|t| t.as_str()).unwrap_or_default();
                if imported && kind != "START_DEPLOYMENT" {
                    return Read::failed(Diagnostic::error(
                        "Not a deployment",
                        format!(
                            "Operation {op} of {service} is a {kind} operation, not a deployment (START_DEPLOYMENT)."
                        ),
                    ));
                }
                if let Some(status) = found.status() {
                    let status = Status {
                        status: status.as_str().to_ascii_uppercase(),
                    };
                    if let Err(d) = super::write_model(&mut state, &schema(), &status) {
                        return Read::failed(d);
                    }
                }
            }
            Ok(None) if imported => return Read::gone(),
            Ok(None) => {}
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, _ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        // Only `timeouts` changes in place; it affects nothing in App Runner.
        let planned = crate::or_return!(DeploymentModel::of(&req.planned), Applied::failed);
        let prior = crate::or_return!(DeploymentModel::of(&req.prior), Applied::failed);
        let kept = |planned: Field<String>, prior: Field<String>| {
            if planned.is_unknown() { prior } else { planned }
        };
        let deployed = Deployed {
            region: planned.region,
            operation_id: kept(planned.operation_id, prior.operation_id),
            id: kept(planned.id, prior.id),
            status: kept(planned.status, prior.status),
        };
        deployed.applied(req.planned, None)
    }

    async fn delete(&self, _ctx: &Ctx<AppRunner>, _state: &Value, _private: &[u8]) -> Diagnostics {
        // A deployment cannot be undone; forgetting it is all there is to do.
        Diagnostics::new()
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let expected = "SERVICE_ARN,OPERATION_ID (e.g. arn:aws:apprunner:us-east-1:123456789012:service/web/0123…,6f2b…)";
        let (service, op, at) = lifecycle::import_pair(id, expected, |s, op| {
            arns::is("service", s) && is_operation_id(op)
        })?;
        region::check_import_region(id, region::from_arn(service), at)?;
        #[derive(Serialize)]
        struct Imported<'a> {
            service_arn: &'a str,
            operation_id: &'a str,
            id: &'a str,
            region: Option<&'a str>,
        }
        let seed = Imported {
            service_arn: service,
            operation_id: op,
            id: op,
            region: region::from_arn(service),
        };
        Ok(model::to_value(&seed, &schema().implied_type())?)
    }
}

#[async_trait]
impl RegionalList for Deployment {
    fn filters(&self) -> Block {
        Block::new()
            .description("Lists the deployments (StartDeployment operations) App Runner still reports for the services of a region (it forgets old operations).")
            .attribute(
                Attribute::string("service_arn")
                    .optional()
                    .validate(service_arn())
                    .description("Only the deployments of this service (listed in its region)."),
            )
            .attribute(
                Attribute::string("status")
                    .optional()
                    .validate(crate::plugin::validators::one_of(OPERATION_STATUSES))
                    .description("Only deployments with this status, e.g. `SUCCEEDED`."),
            )
    }

    fn region_of<'a>(&self, provider: &'a AppRunner, config: &'a Value) -> &'a str {
        listing::service_region(provider, config)
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        let status = query.config.attr("status").as_str();
        let all_services = service::arns(query.provider, query.region);
        listing::per_service(query, all_services, |service, room| async move {
            let found = deployment::ids(query.provider, &service, status, room).await?;
            Ok(found
                .into_iter()
                .map(|op| format!("{service},{op}"))
                .collect())
        })
        .await
    }

    fn display_name(&self, state: &Value) -> String {
        format!(
            "{} {}",
            state
                .attr("service_arn")
                .as_str()
                .and_then(arns::name_of)
                .unwrap_or_default(),
            state.attr("operation_id").as_str().unwrap_or_default()
        )
    }
}

/// The API model's `UUID` shape: 36 characters of hex digits and hyphens.
fn is_operation_id(s: &str) -> bool {
    s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}
