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

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::{IngressVpcConfiguration, VpcIngressConnection as ApiIngress};

use crate::plugin::Listed;
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, NestedBlock, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
    timeouts,
};
use crate::provider::errors::{api_error, code, is_not_found};
use crate::provider::listing;
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, calls, region, tags};

pub struct VpcIngressConnection;

const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}";
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
                Attribute::string("name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 40))
                    .validate(v::string_matches(NAME_PATTERN, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the VPC ingress connection. Changing it replaces the connection."),
            )
            .attribute(
                Attribute::string("service_arn")
                    .required()
                    .requires_replace()
                    .validate(arns::validator("service"))
                    .description("ARN of the App Runner service to make reachable. Changing it replaces the connection."),
            )
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of the VPC ingress connection."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
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
        let prior_status = plan
            .prior
            .attr("status")
            .as_str()
            .unwrap_or_default()
            .to_string();
        match prior_status.as_str() {
            // Broken for good: only a new connection helps.
            "FAILED_CREATION" | "FAILED_DELETION" => {
                plan.planned.set_attr("status", Value::unknown());
                plan.require_replace(AttributePath::attr("status"));
            }
            // The last update failed: apply the configuration again.
            "FAILED_UPDATE" => plan.planned.set_attr("status", Value::unknown()),
            // Tag changes leave the status as it is.
            _ if config_of(&plan.planned) == config_of(&plan.prior) => {
                plan.planned
                    .set_attr("status", plan.prior.attr("status").clone());
            }
            _ => {}
        }
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            Block::new()
                .description(
                    "Lists the VPC ingress connections of a region (deleted ones left out).",
                )
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
        let service = config.attr("service_arn").as_str();
        let in_region = match (config.attr("region").as_str(), service) {
            (None, Some(s)) => region::from_arn(s).unwrap_or(provider.region.as_str()),
            _ => listing::region(provider, config),
        };
        let client = provider.client_in(in_region);
        let filter = aws_sdk_apprunner::types::ListVpcIngressConnectionsFilter::builder()
            .set_service_arn(service.map(str::to_string))
            .set_vpc_endpoint_id(config.attr("vpc_endpoint_id").as_str().map(str::to_string))
            .build();
        let arns = listing::pages(limit, |token| {
            let client = client.clone();
            let filter = filter.clone();
            async move {
                let page = client
                    .list_vpc_ingress_connections()
                    .filter(filter)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        Diagnostics::from(api_error("ListVpcIngressConnections", in_region, e))
                    })?;
                let arns = page
                    .vpc_ingress_connection_summary_list()
                    .iter()
                    .filter_map(|c| c.vpc_ingress_connection_arn())
                    .filter(|arn| {
                        listing::has_prefix(config, arns::name_of(arn).unwrap_or_default())
                    })
                    .map(str::to_string)
                    .collect();
                Ok((arns, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, arns, |s| {
            s.attr("name").as_str().unwrap_or_default().to_string()
        })
        .await
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let p = &req.planned;
        let name = p.attr("name").as_str().unwrap_or_default();
        let service = p.attr("service_arn").as_str().unwrap_or_default();
        let client = provider.client_in(region::of(provider, p));
        let timeout = timeouts::get(p, "create", DEFAULT_TIMEOUT);
        let request = client
            .create_vpc_ingress_connection()
            .vpc_ingress_connection_name(name)
            .service_arn(service)
            .ingress_vpc_configuration(config_of(p))
            .set_tags(tags::to_api(p.attr("tags_all")));
        // App Runner refuses the create while the service is busy (its own
        // maintenance, or an operation Terraform started earlier).
        let deadline = crate::apprunner::operation::Deadline::after(timeout);
        let created = calls::create_or_adopt(
            ctx,
            "CreateVpcIngressConnection",
            name,
            timeout,
            || {
                let request = request.clone();
                let deadline = &deadline;
                async move {
                    crate::apprunner::service::send_when_settled(
                        ctx,
                        provider,
                        service,
                        "CreateVpcIngressConnection",
                        deadline,
                        || {
                            request
                                .clone()
                                .customize()
                                .config_override(calls::one_attempt())
                                .send()
                        },
                    )
                    .await
                    .map(|out| out.vpc_ingress_connection().cloned())
                }
            },
            || async {
                find_named(provider, &client, service, name)
                    .await
                    .map(|c| c.map(Some))
                    .map_err(first)
            },
        )
        .await;
        let connection = match created {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner CreateVpcIngressConnection returned no connection",
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
        fill(&mut state, &connection);
        let arn = connection
            .vpc_ingress_connection_arn()
            .unwrap_or_default()
            .to_string();
        match wait_available(ctx, provider, &arn, name, timeout, "creation").await {
            Ok(c) => {
                fill(&mut state, &c);
                Applied::ok(state)
            }
            Err((last, d)) => {
                if let Some(c) = last {
                    fill(&mut state, &c);
                }
                Applied::partial(state, d)
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let arn = arn_of(&req.state);
        let connection = match describe(provider, &arn).await {
            Ok(Some(c)) => c,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        fill(&mut state, &connection);
        if let Some(name) = connection.vpc_ingress_connection_name() {
            state.set_attr("name", name.into());
        }
        if let Some(service) = connection.service_arn() {
            state.set_attr("service_arn", service.into());
        }
        let remote = connection.ingress_vpc_configuration();
        state.set_attr(
            "ingress_vpc_configuration",
            Value::List(vec![Value::Object(
                [
                    ("vpc_id".to_string(), remote.and_then(|c| c.vpc_id()).into()),
                    (
                        "vpc_endpoint_id".to_string(),
                        remote.and_then(|c| c.vpc_endpoint_id()).into(),
                    ),
                ]
                .into(),
            )]),
        );
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, &req.state, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let arn = arn_of(&req.prior);
        let name = req.planned.attr("name").as_str().unwrap_or_default();
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
        let mut state = req.planned.clone();
        let reconfigure = config_of(&req.planned) != config_of(&req.prior)
            || req.prior.attr("status").as_str() == Some("FAILED_UPDATE");
        if !reconfigure {
            return Applied::ok(state);
        }
        // From here on the tags are changed: failures keep the new state.
        let mut kept = req.prior.clone();
        kept.set_attr("tags", req.planned.attr("tags").clone());
        kept.set_attr("tags_all", req.planned.attr("tags_all").clone());
        if let Err(e) = provider
            .client_for_arn(&arn)
            .update_vpc_ingress_connection()
            .vpc_ingress_connection_arn(&arn)
            .ingress_vpc_configuration(config_of(&req.planned))
            .send()
            .await
        {
            return Applied::partial(kept, api_error("UpdateVpcIngressConnection", &arn, e));
        }
        let timeout = timeouts::get(&req.planned, "update", DEFAULT_TIMEOUT);
        match wait_available(ctx, provider, &arn, name, timeout, "update").await {
            Ok(c) => {
                fill(&mut state, &c);
                Applied::ok(state)
            }
            Err((last, d)) => {
                // The new configuration is what App Runner holds (or tries
                // to); its status tells the next plan to apply it again.
                if let Some(c) = last {
                    fill(&mut state, &c);
                } else {
                    state.set_attr("status", "PENDING_UPDATE".into());
                }
                Applied::partial(state, d)
            }
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = arn_of(state);
        let name = state.attr("name").as_str().unwrap_or_default();
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        let client = provider.client_for_arn(&arn);
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
            match client
                .delete_vpc_ingress_connection()
                .vpc_ingress_connection_arn(&arn)
                .send()
                .await
            {
                Ok(_) => {
                    requested.store(true, Ordering::Relaxed);
                    Poll::Pending("PENDING_DELETION".into())
                }
                Err(e) if is_not_found(&e) => Poll::Ready(()),
                // It changed status under us; look again.
                Err(e) if code(&e).as_deref() == Some("InvalidStateException") => {
                    Poll::Pending(status)
                }
                Err(e) => Poll::Failed(api_error("DeleteVpcIngressConnection", &arn, e)),
            }
        })
        .await;
        match waited {
            Ok(()) => Diagnostics::new(),
            Err(e) => e
                .into_diagnostic(
                    &format!("VPC ingress connection {name} to be deleted"),
                    timeout,
                )
                .into(),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let id = arns::import_id(
            id,
            "vpcingressconnection",
            "the ARN of a VPC ingress connection (arn:aws:apprunner:REGION:ACCOUNT:vpcingressconnection/NAME/ID)",
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

/// Waits until the connection is `AVAILABLE`; on failure returns the last
/// description seen with the error.
async fn wait_available(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    name: &str,
    timeout: Duration,
    what: &str,
) -> Result<ApiIngress, (Option<ApiIngress>, Diagnostic)> {
    let last = std::sync::Mutex::new(None::<ApiIngress>);
    let waited = wait_for(ctx.cancellation(), timeout, Waiting::on(what, arn), || async {
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

/// Describes a connection; `None` when it no longer exists (or is DELETED).
pub(crate) async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ApiIngress>, Diagnostics> {
    match provider
        .client_for_arn(arn)
        .describe_vpc_ingress_connection()
        .vpc_ingress_connection_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .vpc_ingress_connection()
            .filter(|c| status(c) != "DELETED")
            .cloned()),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error("DescribeVpcIngressConnection", arn, e).into()),
    }
}

/// The live connection called `name` of `service`, for adopting what a
/// create whose answer was lost made.
async fn find_named(
    provider: &AppRunner,
    client: &aws_sdk_apprunner::Client,
    service: &str,
    name: &str,
) -> Result<Option<ApiIngress>, Diagnostics> {
    let filter = aws_sdk_apprunner::types::ListVpcIngressConnectionsFilter::builder()
        .service_arn(service)
        .build();
    let arns = listing::pages(usize::MAX, |token| {
        let filter = filter.clone();
        async move {
            let page = client
                .list_vpc_ingress_connections()
                .filter(filter)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| Diagnostics::from(api_error("ListVpcIngressConnections", name, e)))?;
            let arns = page
                .vpc_ingress_connection_summary_list()
                .iter()
                .filter_map(|c| c.vpc_ingress_connection_arn())
                .filter(|arn| arns::name_of(arn) == Some(name))
                .map(str::to_string)
                .collect();
            Ok((arns, page.next_token().map(str::to_string)))
        }
    })
    .await?;
    for arn in arns {
        if let Some(c) = describe(provider, &arn).await? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

fn status(c: &ApiIngress) -> String {
    c.status()
        .map(|s| s.as_str().to_ascii_uppercase())
        .unwrap_or_else(|| "unknown".into())
}

/// The `ingress_vpc_configuration` block of a value, as the API takes it.
fn config_of(value: &Value) -> IngressVpcConfiguration {
    let block = value
        .attr("ingress_vpc_configuration")
        .as_elements()
        .and_then(|e| e.first())
        .cloned()
        .unwrap_or(Value::Null);
    IngressVpcConfiguration::builder()
        .set_vpc_id(block.attr("vpc_id").as_str().map(str::to_string))
        .set_vpc_endpoint_id(block.attr("vpc_endpoint_id").as_str().map(str::to_string))
        .build()
}

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, c: &ApiIngress) {
    let arn = c.vpc_ingress_connection_arn().unwrap_or_default();
    state.set_attr("arn", arn.into());
    state.set_attr("id", arn.into());
    if let Some(r) = region::from_arn(arn) {
        state.set_attr("region", r.into());
    }
    state.set_attr("domain_name", c.domain_name().into());
    state.set_attr("status", status(c).into());
}

fn arn_of(state: &Value) -> String {
    state
        .attr("arn")
        .as_str()
        .or(state.attr("id").as_str())
        .unwrap_or_default()
        .to_string()
}

fn first(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}
