//! `apprunner_vpc_connector`: lets services reach resources in a VPC (egress),
//! as `aws_apprunner_vpc_connector`.
//!
//! Connectors are immutable: a change of name, subnets or security groups
//! replaces the connector; only tags change in place. `security_groups` is
//! optional as in the API (App Runner then uses the VPC's default security
//! group). App Runner refuses to delete a connector a service still uses,
//! and may keep reporting it in use for a while after its last service is
//! gone, so delete retries within `timeouts { delete }` and then names the
//! services that hold it. Import by ARN.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::VpcConnector as ApiVpcConnector;
use serde::{Deserialize, Serialize};

use crate::apprunner::create::create;
use crate::apprunner::first;
use crate::apprunner::vpc_connector::{
    Deleted, NAME_PATTERN, NAME_RULE, VpcConnectorAttributes, create_once, delete_once, describe,
    find_by_name, holders, is_active, list, status,
};
use crate::plugin::model::Field;
use crate::plugin::schema::Validator;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentitySchema,
    ListResource, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value, timeouts,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{RegionQuery, RegionalList};
use crate::provider::waiter::{Poll, WaitError, Waiting, wait_for};
use crate::provider::{AppRunner, attributes, lifecycle, listing, region, tags};

pub struct VpcConnector;

/// What the resource reads of its plan or state.
#[derive(Deserialize)]
struct VpcConnectorModel {
    vpc_connector_name: Field<String>,
    subnets: Field<Vec<String>>,
    security_groups: Field<Vec<String>>,
}

impl VpcConnectorModel {
    fn name(&self) -> &str {
        self.vpc_connector_name.as_deref().unwrap_or_default()
    }
}

/// The security groups, written into generated configuration.
#[derive(Serialize)]
struct SecurityGroups {
    security_groups: Vec<String>,
}
const DEFAULT_CREATE: Duration = Duration::from_secs(2 * 60);
const DEFAULT_DELETE: Duration = Duration::from_secs(10 * 60);

/// At least one element, none of them empty.
fn ids(what: &'static str) -> Validator {
    Validator::new(format!("one or more {what} IDs"), move |v| {
        let Some(items) = v.as_elements() else {
            return Ok(());
        };
        if items.is_empty() {
            return Err(format!("must list at least one {what} ID"));
        }
        if items.iter().any(|i| i.as_str() == Some("")) {
            return Err(format!("must not contain an empty {what} ID"));
        }
        Ok(())
    })
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner VPC connector: outgoing traffic of the services that use it goes through the given subnets and security groups. Connectors are immutable; changing name, subnets or security groups replaces the connector.")
            .attribute(
                attributes::name("vpc_connector_name", 40, NAME_PATTERN, NAME_RULE)
                    .required()
                    .requires_replace()
                    .description("Name of the connector (4 to 40 letters, digits, hyphens or underscores)."),
            )
            .attribute(
                Attribute::string_set("subnets")
                    .required()
                    .requires_replace()
                    .validate(ids("subnet"))
                    .description("IDs of the subnets, all in one VPC, that outgoing traffic uses."),
            )
            .attribute(
                Attribute::string_set("security_groups")
                    .optional()
                    .computed()
                    .requires_replace()
                    .validate(Validator::new("no empty IDs", |v| {
                        match v.as_elements() {
                            Some(items) if items.iter().any(|i| i.as_str() == Some("")) => {
                                Err("must not contain an empty security group ID".into())
                            }
                            _ => Ok(()),
                        }
                    }))
                    .description("IDs of the security groups for outgoing traffic. Unset, App Runner uses the VPC's default security group."),
            )
            .attributes(attributes::regional_tagged("ARN of the connector.", "arn"))
            .attribute(
                Attribute::int("vpc_connector_revision")
                    .computed()
                    .keep_prior()
                    .description("Revision App Runner gave the connector."),
            )
            .attribute(Attribute::string("status").computed().keep_prior().description("`ACTIVE`, or `INACTIVE` once deleted."))
            .block(timeouts::block_with_defaults(&[("create", DEFAULT_CREATE), ("delete", DEFAULT_DELETE)])),
    )
}

#[async_trait]
impl Resource<AppRunner> for VpcConnector {
    fn type_name(&self) -> &'static str {
        "apprunner_vpc_connector"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn("ARN of the VPC connector."))
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    /// The security groups in use are written out, so the configuration
    /// says which they are (unset, the plan would keep them unseen).
    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        let mut config = listing::generate_config(ctx, state, schema);
        let groups = VpcConnectorModel::of(state)
            .ok()
            .and_then(|m| m.security_groups.into_known())
            .filter(|g| !g.is_empty());
        if let Some(security_groups) = groups {
            // Written into a value of this schema: cannot fail.
            let _ = super::write_model(&mut config, schema, &SecurityGroups { security_groups });
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(VpcConnectorModel::of(&req.planned), Applied::failed);
        let name = planned.name();
        let region = region::of(provider, &req.planned);
        let timeout = timeouts::get(&req.planned, "create", DEFAULT_CREATE);
        let tags = lifecycle::planned_tags(&req.planned);
        let groups_planned = planned.security_groups.is_known();
        let created = create(
            ctx,
            "CreateVpcConnector",
            "connector",
            name,
            timeout,
            || {
                create_once(
                    provider,
                    region,
                    name,
                    planned.subnets.known().cloned(),
                    planned.security_groups.known().cloned(),
                    tags.clone(),
                )
            },
            || find_by_name(provider, region, name),
        )
        .await;
        let filled = lifecycle::created_state(&req.planned, created, |state, c| {
            fill(state, c, groups_planned)
        });
        let (mut state, connector) = match filled {
            Ok(filled) => filled,
            Err(applied) => return *applied,
        };
        if is_active(&connector) {
            return Applied::ok(state);
        }
        // App Runner makes connectors ACTIVE at once; wait in case it does not.
        let arn = connector
            .vpc_connector_arn()
            .unwrap_or_default()
            .to_string();
        let waiting = Waiting::on("the VPC connector to become ACTIVE", &arn);
        let waited = wait_for(ctx.cancellation(), timeout, waiting, || async {
            match describe(provider, &arn).await {
                Ok(Some(c)) if is_active(&c) => Poll::Ready(c),
                Ok(Some(c)) => Poll::Pending(status(&c)),
                Ok(None) => Poll::Failed(Diagnostic::error(
                    "VPC connector disappeared",
                    format!("{arn} was deleted while Terraform waited for it to become ACTIVE."),
                )),
                Err(d) => Poll::Failed(first(d)),
            }
        })
        .await;
        match waited {
            Ok(c) => match fill(&mut state, &c, groups_planned) {
                Ok(()) => Applied::ok(state),
                Err(d) => Applied::partial(state, d),
            },
            Err(e) => Applied::partial(
                state,
                e.into_diagnostic(&format!("VPC connector {name} to become ACTIVE"), timeout),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        lifecycle::read_by_arn(ctx.provider(), &req.state, describe, |state, c| {
            super::write_model(state, &schema(), &VpcConnectorAttributes::from(c))
        })
        .await
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let arn = crate::or_return!(lifecycle::arn_of(&req.prior), Applied::failed);
        // Everything else replaces the connector; only tags (and timeouts) reach here.
        lifecycle::update_only_tags(ctx.provider(), &arn, req).await
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let known = crate::or_return!(VpcConnectorModel::of(state), Diagnostics::from);
        let arn = crate::or_return!(lifecycle::arn_of(state), Diagnostics::from);
        let name = known.name();
        let timeout = timeouts::get(state, "delete", DEFAULT_DELETE);
        let waiting = Waiting::on("delete the VPC connector", &arn);
        let deleted = wait_for(ctx.cancellation(), timeout, waiting, || async {
            match delete_once(provider, &arn).await {
                Ok(Deleted::Done) => Poll::Ready(()),
                Ok(Deleted::InUse) => {
                    tracing::info!(connector = %arn, "VPC connector still in use; retrying delete");
                    Poll::Pending("in use".into())
                }
                Err(d) => Poll::Failed(d),
            }
        })
        .await;
        match deleted {
            Err(WaitError::TimedOut { .. }) => {
                still_in_use(provider, name, &arn, timeout).await.into()
            }
            waited => lifecycle::deleted(
                waited,
                &format!("VPC connector {name} to be deleted"),
                timeout,
            ),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        super::import_by_arn(
            &schema(),
            id,
            "vpcconnector",
            "the ARN of a VPC connector (arn:aws:apprunner:REGION:ACCOUNT:vpcconnector/NAME/REVISION/ID)",
        )
    }
}

#[async_trait]
impl RegionalList for VpcConnector {
    fn filters(&self) -> Block {
        Block::new()
            .description("Lists the active VPC connectors of a region.")
            .attribute(listing::name_prefix_attribute("connectors"))
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        let found = list(query.provider, query.region, query.limit, |c| {
            query.has_prefix(c.vpc_connector_name().unwrap_or_default())
        })
        .await?;
        Ok(found
            .iter()
            .filter_map(|c| c.vpc_connector_arn().map(str::to_string))
            .collect())
    }

    fn display_name(&self, state: &Value) -> String {
        VpcConnectorModel::of(state)
            .map(|m| m.name().to_string())
            .unwrap_or_default()
    }
}

/// The error for a connector still in use when the delete budget ran out,
/// naming the services that hold it.
async fn still_in_use(
    provider: &AppRunner,
    name: &str,
    arn: &str,
    timeout: Duration,
) -> Diagnostic {
    let summary = format!("VPC connector {name} is still in use");
    let waited = crate::provider::waiter::humanize(timeout);
    match holders(provider, arn).await {
        Ok(services) if !services.is_empty() => Diagnostic::error(
            summary,
            format!(
                "App Runner refused to delete {arn} for {waited} because services use it: {}. Stop using the \
                 connector in those services (network_configuration.egress_configuration) or delete them, then \
                 run Terraform again.",
                services.join(", ")
            ),
        ),
        Ok(_) => Diagnostic::error(
            summary,
            format!(
                "App Runner still reported {arn} in use after {waited}, although no service in its region uses \
                 it any more. App Runner can take a while to release a connector after its last service is \
                 deleted; run Terraform again later, or raise timeouts.delete."
            ),
        ),
        Err(d) => Diagnostic::error(
            summary,
            format!(
                "App Runner refused to delete {arn} for {waited} because it is in use; listing the services that \
                 use it failed too: {d}"
            ),
        ),
    }
}

/// Sets the attributes App Runner decides: the connector's own, not the
/// planned subnets, nor the planned security groups when there are some.
fn fill(state: &mut Value, c: &ApiVpcConnector, groups_planned: bool) -> Result<(), Diagnostic> {
    let mut attributes = VpcConnectorAttributes::from(c);
    attributes.vpc_connector_name = None;
    attributes.subnets = None;
    if groups_planned {
        attributes.security_groups = None;
    }
    super::write_model(state, &schema(), &attributes)
}
