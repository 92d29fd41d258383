//! `apprunner_vpc_ingress_connection`: a private endpoint that makes a
//! service reachable from a VPC through an interface VPC endpoint, as
//! `aws_apprunner_vpc_ingress_connection`.
//!
//! Unlike the AWS provider (#40896), a change of `name` or `service_arn`
//! replaces the connection, and a change of `ingress_vpc_configuration`
//! is an in-place UpdateVpcIngressConnection that waits for `AVAILABLE`.
//! Terraform deletes a connection before the service it depends on, and
//! App Runner refuses to delete a service with an `AVAILABLE` connection,
//! so delete waits until the connection is really gone. `FAILED_*`
//! statuses end an apply with an error; a connection left in
//! `FAILED_UPDATE` is updated again by the next apply, one left in
//! `FAILED_CREATION` or `FAILED_DELETION` is replaced. Import by ARN.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::{IngressVpcConfiguration, VpcIngressConnection as ApiIngress};
use serde::{Deserialize, Serialize};

use crate::apprunner::first;
use crate::apprunner::vpc_ingress_connection::{
    Deleted, IngressAttributes, IngressVpc, NAME_PATTERN, create, delete_once, describe, list,
    status, update, wait_available,
};
use crate::plugin::model::{self, Field};
use crate::plugin::schema::Validator;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, ListResource, NestedBlock, Plan, PlanCtx, Read, ReadRequest, Resource, Schema,
    Value, timeouts,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, attributes, lifecycle, region, tags};

pub struct VpcIngressConnection;

/// What the resource reads of its plan or state.
#[derive(Deserialize)]
struct IngressModel {
    name: Field<String>,
    service_arn: Field<String>,
    ingress_vpc_configuration: Field<Vec<IngressVpc>>,
    status: Field<String>,
}

impl IngressModel {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// The `ingress_vpc_configuration` block, as the API takes it.
    fn vpc(&self) -> IngressVpcConfiguration {
        self.ingress_vpc_configuration
            .known()
            .and_then(|blocks| blocks.first())
            .map(IngressVpc::to_api)
            .unwrap_or_else(|| IngressVpcConfiguration::builder().build())
    }
}

/// The tags, which an update changes first.
#[derive(Serialize, Deserialize)]
struct Tags {
    tags: Field<BTreeMap<String, String>>,
    tags_all: Field<BTreeMap<String, String>>,
}

/// The planned status.
#[derive(Serialize)]
struct Status {
    status: Field<String>,
}
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

fn not_empty(what: &'static str) -> Validator {
    Validator::new(format!("a non-empty {what}"), move |v| match v.as_str() {
        Some("") => Err(format!("must be a {what}, not empty")),
        _ => Ok(()),
    })
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner VPC ingress connection (private endpoint): makes a service reachable from a VPC through an interface VPC endpoint.")
            .attribute(
                attributes::name("name", 40, NAME_PATTERN, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit")
                    .required()
                    .requires_replace()
                    .description("Name of the VPC ingress connection. Changing it replaces the connection."),
            )
            .attribute(
                Attribute::string("service_arn")
                    .required()
                    .requires_replace()
                    .validate(arns::validator("service"))
                    .description("ARN of the App Runner service to make reachable. Changing it replaces the connection."),
            )
            .attributes(attributes::regional_tagged("ARN of the VPC ingress connection.", "arn"))
            .attribute(
                Attribute::string("domain_name")
                    .computed()
                    .keep_prior()
                    .description("Domain name through which the service is reachable from the VPC."),
            )
            .attribute(Attribute::string("status").computed().description("Status of the connection, e.g. `AVAILABLE`."))
            .block(
                NestedBlock::list(
                    "ingress_vpc_configuration",
                    Block::new()
                        .description("The VPC and VPC endpoint the service is reachable from. Changes are applied in place.")
                        .attribute(
                            Attribute::string("vpc_id")
                                .required()
                                .validate(not_empty("VPC ID"))
                                .description("ID of the VPC the VPC endpoint is in."),
                        )
                        .attribute(
                            Attribute::string("vpc_endpoint_id")
                                .required()
                                .validate(not_empty("VPC endpoint ID"))
                                .description("ID of the interface VPC endpoint (service `com.amazonaws.REGION.apprunner.requests`)."),
                        ),
                )
                .min_items(1)
                .max_items(1),
            )
            .block(timeouts::block(&["create", "update", "delete"], DEFAULT_TIMEOUT)),
    )
}

#[async_trait]
impl Resource<AppRunner> for VpcIngressConnection {
    fn type_name(&self) -> &'static str {
        "apprunner_vpc_ingress_connection"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn("ARN of the VPC ingress connection."))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        region::validate_following(config, "service_arn", diags);
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        // The connection lives where its service does.
        region::plan_following(ctx, plan, "service_arn");
        tags::plan_tags_all(ctx, plan);
        if plan.is_create() || plan.is_replace() {
            return;
        }
        let (prior, planned) = match IngressModel::of_both(&plan.prior, &plan.planned) {
            Ok(m) => m,
            Err(d) => return plan.diagnostics.push(d),
        };
        let status = match prior.status.as_deref().unwrap_or_default() {
            // Broken for good: only a new connection helps.
            "FAILED_CREATION" | "FAILED_DELETION" => {
                plan.require_replace(AttributePath::attr("status"));
                Field::Unknown
            }
            // The last update failed: apply the configuration again.
            "FAILED_UPDATE" => Field::Unknown,
            // Tag changes leave the status as it is.
            _ if planned.vpc() == prior.vpc() => prior.status,
            _ => return,
        };
        super::write_planned(plan, &schema(), &Status { status });
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(IngressModel::of(&req.planned), Applied::failed);
        let name = planned.name();
        let service = planned.service_arn.as_deref().unwrap_or_default();
        let region = region::of(provider, &req.planned);
        let timeout = timeouts::get(&req.planned, "create", DEFAULT_TIMEOUT);
        let tags = lifecycle::planned_tags(&req.planned);
        let created = create(
            ctx,
            provider,
            region,
            name,
            service,
            planned.vpc(),
            tags,
            timeout,
        )
        .await;
        let filled =
            lifecycle::created_state(&req.planned, created, |state, c| fill(state, c, false));
        let (state, connection) = match filled {
            Ok(filled) => filled,
            Err(applied) => return *applied,
        };
        let arn = connection
            .vpc_ingress_connection_arn()
            .unwrap_or_default()
            .to_string();
        let waited = wait_available(
            ctx.cancellation(),
            provider,
            &arn,
            name,
            timeout,
            "creation",
        )
        .await;
        finish(state, waited)
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        lifecycle::read_by_arn(ctx.provider(), &req.state, describe, |state, c| {
            fill(state, c, true)
        })
        .await
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let models = IngressModel::of_both(&req.prior, &req.planned);
        let (prior, planned) = crate::or_return!(models, Applied::failed);
        let arn = crate::or_return!(lifecycle::arn_of(&req.prior), Applied::failed);
        let planned_tags: Tags =
            crate::or_return!(model::from_value(&req.planned), Applied::failed);
        let name = planned.name();
        if let Err(d) = lifecycle::update_tags(provider, &arn, &req).await {
            return Applied::failed(d);
        }
        let mut state = req.planned.clone();
        let reconfigure =
            planned.vpc() != prior.vpc() || prior.status.as_deref() == Some("FAILED_UPDATE");
        if !reconfigure {
            return Applied::ok(state);
        }
        // From here on the tags are changed: failures keep the new state.
        let mut kept = req.prior.clone();
        if let Err(d) = super::write_model(&mut kept, &schema(), &planned_tags) {
            return Applied::partial(kept, d);
        }
        if let Err(d) = update(provider, &arn, planned.vpc()).await {
            return Applied::partial(kept, d);
        }
        let timeout = timeouts::get(&req.planned, "update", DEFAULT_TIMEOUT);
        let waited =
            wait_available(ctx.cancellation(), provider, &arn, name, timeout, "update").await;
        if let Err((None, _)) = &waited {
            // The new configuration is what App Runner holds (or tries
            // to); its status tells the next plan to apply it again.
            let pending = Status {
                status: "PENDING_UPDATE".into(),
            };
            if let Err(d) = super::write_model(&mut state, &schema(), &pending) {
                return Applied::partial(state, d);
            }
        }
        finish(state, waited)
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let known = crate::or_return!(IngressModel::of(state), Diagnostics::from);
        let arn = crate::or_return!(lifecycle::arn_of(state), Diagnostics::from);
        let name = known.name();
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        let requested = AtomicBool::new(false);
        let waiting = Waiting::on("delete the VPC ingress connection", &arn);
        let waited = wait_for(ctx.cancellation(), timeout, waiting, || async {
            let connection = match describe(provider, &arn).await {
                Ok(Some(c)) => c,
                Ok(None) => return Poll::Ready(()),
                Err(d) => return Poll::Failed(first(d)),
            };
            let status = status(&connection);
            match status.as_str() {
                "PENDING_DELETION" | "PENDING_CREATION" | "PENDING_UPDATE" => {
                    return Poll::Pending(status);
                }
                "FAILED_DELETION" if requested.load(Ordering::Relaxed) => {
                    return Poll::Failed(Diagnostic::error(
                        format!("VPC ingress connection {name} could not be deleted"),
                        format!("App Runner reports {arn} as FAILED_DELETION."),
                    ));
                }
                _ => {}
            }
            match delete_once(provider, &arn).await {
                Ok(Deleted::Requested) => {
                    requested.store(true, Ordering::Relaxed);
                    Poll::Pending("PENDING_DELETION".into())
                }
                Ok(Deleted::Gone) => Poll::Ready(()),
                // It changed status under us; look again.
                Ok(Deleted::Busy) => Poll::Pending(status),
                Err(d) => Poll::Failed(d),
            }
        })
        .await;
        let what = format!("VPC ingress connection {name} to be deleted");
        lifecycle::deleted(waited, &what, timeout)
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        super::import_by_arn(
            &schema(),
            id,
            "vpcingressconnection",
            "the ARN of a VPC ingress connection (arn:aws:apprunner:REGION:ACCOUNT:vpcingressconnection/NAME/ID)",
        )
    }
}

#[async_trait]
impl RegionalList for VpcIngressConnection {
    fn filters(&self) -> Block {
        Block::new()
            .description("Lists the VPC ingress connections of a region (deleted ones left out).")
            .attribute(
                Attribute::string("service_arn")
                    .optional()
                    .validate(arns::validator("service"))
                    .description("Only connections of this service (listed in its region)."),
            )
            .attribute(
                Attribute::string("vpc_endpoint_id")
                    .optional()
                    .validate(not_empty("VPC endpoint ID"))
                    .description("Only connections through this VPC endpoint."),
            )
            .attribute(listing::name_prefix_attribute("connections"))
    }

    fn region_of<'a>(&self, provider: &'a AppRunner, config: &'a Value) -> &'a str {
        listing::service_region(provider, config)
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        #[derive(Deserialize)]
        struct Filters {
            service_arn: Option<String>,
            vpc_endpoint_id: Option<String>,
        }
        let filters: Filters = model::from_value(query.config)?;
        let found = list(
            query.provider,
            query.region,
            filters.service_arn.as_deref(),
            filters.vpc_endpoint_id.as_deref(),
            query.region,
            query.limit,
            |c| {
                c.vpc_ingress_connection_arn()
                    .is_some_and(|arn| query.has_prefix(arns::name_of(arn).unwrap_or_default()))
            },
        )
        .await?;
        Ok(found
            .iter()
            .filter_map(|c| c.vpc_ingress_connection_arn().map(str::to_string))
            .collect())
    }

    fn display_name(&self, state: &Value) -> String {
        IngressModel::of(state)
            .map(|m| m.name().to_string())
            .unwrap_or_default()
    }
}

/// The state after waiting for `AVAILABLE`: what App Runner last reported
/// is filled in either way.
fn finish(
    mut state: Value,
    waited: Result<ApiIngress, (Option<ApiIngress>, Diagnostic)>,
) -> Applied {
    let (last, failure) = match waited {
        Ok(c) => (Some(c), None),
        Err((last, d)) => (last, Some(d)),
    };
    let mut diags = Diagnostics::new();
    if let Some(c) = last
        && let Err(d) = fill(&mut state, &c, false)
    {
        diags.push(d);
    }
    if let Some(d) = failure {
        diags.push(d);
    }
    if diags.has_errors() {
        Applied::partial(state, diags)
    } else {
        Applied::ok(state)
    }
}

/// Sets the attributes App Runner decides; `with_config` also the name,
/// service and VPC configuration (on read).
fn fill(state: &mut Value, c: &ApiIngress, with_config: bool) -> Result<(), Diagnostic> {
    let mut attributes = IngressAttributes::from(c);
    attributes.status = Field::Known(status(c));
    if !with_config {
        attributes.name = None;
        attributes.service_arn = None;
        attributes.ingress_vpc_configuration = None;
    }
    super::write_model(state, &schema(), &attributes)
}
