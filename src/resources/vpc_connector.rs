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
use aws_sdk_apprunner::error::ProvideErrorMetadata;
use aws_sdk_apprunner::types::VpcConnector as ApiVpcConnector;

use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentitySchema, Listed,
    Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value, timeouts,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, calls, listing, region, tags};

pub struct VpcConnector;

pub(crate) const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}";
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
                Attribute::string("vpc_connector_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 40))
                    .validate(v::string_matches(NAME_PATTERN, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"))
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
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of the connector."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
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

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            Block::new()
                .description("Lists the active VPC connectors of a region.")
                .attribute(listing::name_prefix_attribute("connectors"))
                .attribute(listing::region_attribute()),
        ))
    }

    async fn list(
        &self,
        ctx: &Ctx<AppRunner>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let provider = ctx.provider();
        let in_region = listing::region(provider, config);
        let client = provider.client_in(in_region);
        let arns = listing::pages(limit, |token| {
            let client = client.clone();
            async move {
                let page = client
                    .list_vpc_connectors()
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| Diagnostics::from(api_error("ListVpcConnectors", in_region, e)))?;
                let arns = page
                    .vpc_connectors()
                    .iter()
                    .filter(|c| is_active(c))
                    .filter(|c| {
                        listing::has_prefix(config, c.vpc_connector_name().unwrap_or_default())
                    })
                    .filter_map(|c| c.vpc_connector_arn().map(str::to_string))
                    .collect();
                Ok((arns, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, arns, |s| {
            s.attr("vpc_connector_name")
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .await
    }

    /// The security groups in use are written out, so the configuration
    /// says which they are (unset, the plan would keep them unseen).
    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        let mut config = listing::generate_config(ctx, state, schema);
        let groups = state.attr("security_groups");
        if groups.as_elements().is_some_and(|g| !g.is_empty()) {
            config.set_attr("security_groups", groups.clone());
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let p = &req.planned;
        let name = p.attr("vpc_connector_name").as_str().unwrap_or_default();
        let client = provider.client_in(region::of(provider, p));
        let timeout = timeouts::get(p, "create", DEFAULT_CREATE);
        let request = client
            .create_vpc_connector()
            .vpc_connector_name(name)
            .set_subnets(strings(p.attr("subnets")))
            .set_security_groups(strings(p.attr("security_groups")))
            .set_tags(tags::to_api(p.attr("tags_all")));
        let created = calls::create_or_adopt(
            ctx,
            "CreateVpcConnector",
            name,
            timeout,
            || {
                let request = request.clone();
                async move {
                    request
                        .customize()
                        .config_override(calls::one_attempt())
                        .send()
                        .await
                        .map(|out| out.vpc_connector().cloned())
                }
            },
            || async { find_active(&client, name).await.map(|c| c.map(Some)) },
        )
        .await;
        let connector = match created {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner CreateVpcConnector returned no connector",
                    format!("Creating {name} gave an empty answer."),
                ));
            }
            Err(calls::CreateFailed {
                made: Some(Some(c)),
                diagnostic,
            }) => {
                let mut state = req.planned.clone();
                fill(&mut state, &c);
                return Applied::partial(state, diagnostic);
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let mut state = req.planned.clone();
        fill(&mut state, &connector);
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
            Ok(c) => {
                fill(&mut state, &c);
                Applied::ok(state)
            }
            Err(e) => Applied::partial(
                state,
                e.into_diagnostic(&format!("VPC connector {name} to become ACTIVE"), timeout),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let arn = arn_of(&req.state);
        let connector = match describe(provider, &arn).await {
            Ok(Some(c)) => c,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        fill(&mut state, &connector);
        if let Some(name) = connector.vpc_connector_name() {
            state.set_attr("vpc_connector_name", name.into());
        }
        state.set_attr("subnets", string_set(connector.subnets()));
        state.set_attr("security_groups", string_set(connector.security_groups()));
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, &req.state, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let arn = arn_of(&req.prior);
        // Everything else replaces the connector; only tags (and timeouts) reach here.
        if let Err(d) = tags::update(
            provider,
            &arn,
            req.prior.attr("tags_all"),
            req.planned.attr("tags_all"),
        )
        .await
        {
            return Applied::failed(d);
        }
        Applied::ok(req.planned)
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = arn_of(state);
        let name = state
            .attr("vpc_connector_name")
            .as_str()
            .unwrap_or_default();
        let timeout = timeouts::get(state, "delete", DEFAULT_DELETE);
        let client = provider.client_for_arn(&arn);
        let waiting = Waiting::on("delete the VPC connector", &arn);
        let deleted = wait_for(ctx.cancellation(), timeout, waiting, || async {
            match client
                .delete_vpc_connector()
                .vpc_connector_arn(&arn)
                .send()
                .await
            {
                Ok(_) => Poll::Ready(()),
                Err(e) if is_not_found(&e) => Poll::Ready(()),
                Err(e) if is_in_use(&e) => {
                    tracing::info!(connector = %arn, "VPC connector still in use; retrying delete");
                    Poll::Pending("in use".into())
                }
                Err(e) => Poll::Failed(api_error("DeleteVpcConnector", &arn, e)),
            }
        })
        .await;
        match deleted {
            Ok(()) => Diagnostics::new(),
            Err(crate::provider::waiter::WaitError::TimedOut { .. }) => {
                still_in_use(provider, name, &arn, timeout).await.into()
            }
            Err(e) => e
                .into_diagnostic(&format!("VPC connector {name} to be deleted"), timeout)
                .into(),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let id = arns::import_id(
            id,
            "vpcconnector",
            "the ARN of a VPC connector (arn:aws:apprunner:REGION:ACCOUNT:vpcconnector/NAME/REVISION/ID)",
        )?;
        Ok(Value::Object(
            [
                ("arn".to_string(), Value::from(id)),
                ("id".to_string(), Value::from(id)),
                ("region".to_string(), region::from_arn(id).into()),
            ]
            .into(),
        ))
    }
}

/// The error App Runner gives for a connector that services still use.
fn is_in_use<E: ProvideErrorMetadata, R>(err: &aws_sdk_apprunner::error::SdkError<E, R>) -> bool {
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

/// The services (as "NAME (ARN, STATUS)") whose egress uses connector `arn`.
async fn holders(provider: &AppRunner, arn: &str) -> Result<Vec<String>, Diagnostics> {
    let client = provider.client_for_arn(arn);
    let mut found = Vec::new();
    let mut pages = client.list_services().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Diagnostics::from(api_error("ListServices", arn, e)))?;
        for summary in page.service_summary_list() {
            let Some(service_arn) = summary.service_arn() else {
                continue;
            };
            let described = match client
                .describe_service()
                .service_arn(service_arn)
                .send()
                .await
            {
                Ok(out) => out,
                Err(e) if is_not_found(&e) => continue,
                Err(e) => return Err(api_error("DescribeService", service_arn, e).into()),
            };
            let Some(service) = described.service() else {
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
    }
    Ok(found)
}

/// Describes a connector; `None` when it no longer exists (or is INACTIVE).
pub(crate) async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ApiVpcConnector>, Diagnostics> {
    match provider
        .client_for_arn(arn)
        .describe_vpc_connector()
        .vpc_connector_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .vpc_connector()
            .filter(|c| {
                !c.status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("INACTIVE"))
            })
            .cloned()),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error("DescribeVpcConnector", arn, e).into()),
    }
}

/// The ACTIVE connector called `name` (names are unique among them), for
/// adopting what a create whose answer was lost made.
async fn find_active(
    client: &aws_sdk_apprunner::Client,
    name: &str,
) -> Result<Option<ApiVpcConnector>, Diagnostic> {
    let found = listing::pages(usize::MAX, |token| async move {
        let page = client
            .list_vpc_connectors()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| Diagnostics::from(api_error("ListVpcConnectors", name, e)))?;
        let found: Vec<ApiVpcConnector> = page
            .vpc_connectors()
            .iter()
            .filter(|c| is_active(c) && c.vpc_connector_name() == Some(name))
            .cloned()
            .collect();
        Ok((found, page.next_token().map(str::to_string)))
    })
    .await
    .map_err(first)?;
    Ok(found.into_iter().next())
}

fn is_active(c: &ApiVpcConnector) -> bool {
    c.status()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("ACTIVE"))
}

fn status(c: &ApiVpcConnector) -> String {
    c.status()
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, c: &ApiVpcConnector) {
    let arn = c.vpc_connector_arn().unwrap_or_default();
    state.set_attr("arn", arn.into());
    state.set_attr("id", arn.into());
    if let Some(r) = region::from_arn(arn) {
        state.set_attr("region", r.into());
    }
    state.set_attr("vpc_connector_revision", c.vpc_connector_revision().into());
    state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
    if state.attr("security_groups").is_unknown() || state.attr("security_groups").is_null() {
        state.set_attr("security_groups", string_set(c.security_groups()));
    }
}

fn arn_of(state: &Value) -> String {
    state
        .attr("arn")
        .as_str()
        .or(state.attr("id").as_str())
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn string_set(items: &[String]) -> Value {
    Value::Set(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn strings(value: &Value) -> Option<Vec<String>> {
    let items = value.as_elements()?;
    Some(
        items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
    )
}

fn first(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}
