//! `apprunner_service`: an App Runner service, as `aws_apprunner_service`
//! (same arguments, blocks — lists of at most one — defaults and import
//! by ARN), with what that resource gets wrong fixed:
//!
//! - every update sends the whole configuration (the complete
//!   `SourceConfiguration`, and every top-level block that is configured),
//!   so clearing `start_command`, secrets or observability reaches App
//!   Runner instead of being dropped;
//! - create, update, pause, resume and delete follow their operation
//!   (ListOperations) to its end, so a rolled-back update is an error, and
//!   `timeouts` bounds each of them;
//! - `paused` pauses and resumes the service;
//! - switching between a code and an image source plans a replacement;
//! - CPU/memory pairs are checked at plan time, `1 vCPU`/`1024` and
//!   `2 GB`/`2048` are the same value;
//! - a created service is never lost: a failed or timed-out create keeps
//!   it in state (tainted), and a create whose response was lost finds its
//!   service by name instead of failing or making a second one.
//!
//! Blocks cannot be computed in a schema Terraform accepts from us, so the
//! optional top-level blocks `health_check_configuration`,
//! `instance_configuration` and `network_configuration` follow one rule:
//! absent means "left to App Runner" — its defaults at create, untouched by
//! updates, and absent from state after a refresh. An import (and a `moved`
//! from `aws_apprunner_service`) leaves out every optional block whose
//! values are all App Runner's defaults, and keeps the others: a
//! configuration that writes out only what differs from the defaults
//! imports with no changes, into the state its create would leave.
//! Inside `source_configuration`, which is always sent whole, an absent
//! block means App Runner's default, and a difference shows as drift.
//!
//! The module is split by concern: [`rules`] (the API model's rules),
//! [`schema`], [`validation`] (rules across attributes), [`remote_state`]
//! (App Runner → Terraform), [`reconcile`] (meeting the prior state and
//! the configuration), [`requests`] (Terraform → App Runner) and
//! [`values`] (helpers for nested values); this file holds the resource's
//! lifecycle. Calls to App Runner go through [`crate::apprunner`].

mod reconcile;
pub mod remote_state;
mod requests;
mod rules;
pub mod schema;
mod validation;
mod values;

use std::time::Duration;

use async_trait::async_trait;

use crate::apprunner;
use crate::apprunner::operation::Deadline;
use crate::apprunner::service::{
    describe, send_when_settled, service_url, set_paused, wait_until_settled,
};
use crate::apprunner::superseded;
use crate::plugin::framework::MoveSource;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentitySchema,
    ListResource, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value, timeouts,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::listing::{RegionQuery, RegionalList};
use crate::provider::{AppRunner, calls, listing, migrate, region, tags};

use reconcile::{fill_unknowns, import_base, reconcile};
use remote_state::{redact_environment, remote_state};
use requests::configuration_changes;
use rules::end_of_support_warning;
use schema::schema;
use validation::validate;
use values::*;

pub struct Service;

/// Statuses the list block's `status` filter takes (a deleted service is
/// never listed).
const LISTED_STATUSES: &[&str] = &[
    "RUNNING",
    "PAUSED",
    "OPERATION_IN_PROGRESS",
    "CREATE_FAILED",
    "DELETE_FAILED",
];

/// How long create, update and delete may take unless `timeouts` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

#[async_trait]
impl Resource<AppRunner> for Service {
    fn type_name(&self) -> &'static str {
        "apprunner_service"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn("ARN of the service."))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        redact_environment(&plan.config);
        redact_environment(&plan.prior);
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        infer_egress_type(&plan.config, &mut plan.planned);
        default_auto_deployments(&plan.config, &mut plan.planned);
        let code = [
            "source_configuration",
            "code_repository",
            "code_configuration",
        ];
        let values = first(path(&plan.config, &code), "code_configuration_values");
        if let Some(runtime) = values.attr("runtime").as_str()
            && let Some(w) = end_of_support_warning(runtime, time::OffsetDateTime::now_utc().date())
        {
            let mut blocks = code.to_vec();
            blocks.push("code_configuration_values");
            plan.diagnostics.push(w.at(at(&blocks, "runtime")));
        }
        if plan.is_create() {
            return;
        }
        // The rules above may plan a change the schema's rules did not see;
        // `timeouts` alone (say, after an import) changes nothing remotely.
        let mut compared = plan.planned.clone();
        compared.set_attr("timeouts", plan.prior.attr("timeouts").clone());
        compared.set_attr("status", plan.prior.attr("status").clone());
        if compared == plan.prior {
            plan.planned
                .set_attr("status", plan.prior.attr("status").clone());
        } else if plan.planned.attr("status") == plan.prior.attr("status") {
            plan.planned.set_attr("status", Value::unknown());
        }
        // App Runner cannot switch a service between code and image sources.
        let before = first(&plan.prior, "source_configuration");
        let after = first(&plan.planned, "source_configuration");
        let known = ["code_repository", "image_repository"]
            .iter()
            .all(|k| after.attr(k).as_elements().is_some());
        if known && has_block(before, "code_repository") != has_block(after, "code_repository") {
            let kind = if has_block(after, "code_repository") {
                "code_repository"
            } else {
                "image_repository"
            };
            plan.require_replace(block_path(&["source_configuration", kind]));
        }
        let status = plan.prior.attr("status").as_str().unwrap_or_default();
        if status == "CREATE_FAILED"
            && !plan.is_replace()
            && !configuration_changes(&plan.prior, &plan.planned)
        {
            plan.diagnostics.warning(
                "App Runner service is CREATE_FAILED",
                format!(
                    "{} failed to create and serves nothing. App Runner rebuilds a failed service when its configuration \
                     changes: change the configuration (the update rebuilds it), or replace it with \
                     `terraform apply -replace=<address>`.",
                    plan.prior.attr("arn").as_str().unwrap_or("The service")
                ),
            );
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    /// Every block an import puts in state is written (leaving one out
    /// would plan its removal): those holding only App Runner's defaults
    /// are not in state, so they are not written either. Default values are
    /// left out. Of the values the
    /// plan would otherwise infer, those it would infer differently are
    /// written too, and so is a custom auto scaling configuration.
    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        let mut config = listing::generate_config(ctx, state, schema);
        let asc = state.attr("auto_scaling_configuration_arn");
        if asc
            .as_str()
            .is_some_and(|a| !a.contains(":autoscalingconfiguration/DefaultConfiguration/"))
        {
            config.set_attr("auto_scaling_configuration_arn", asc.clone());
        }
        let source = first(state, "source_configuration");
        let mut inferred = config.clone();
        default_auto_deployments(&config, &mut inferred);
        let deploys = source.attr("auto_deployments_enabled");
        let source_dir = path(source, &["code_repository"]).attr("source_directory");
        if let Some(sc) = first_mut(&mut config, "source_configuration") {
            if first(&inferred, "source_configuration").attr("auto_deployments_enabled") != deploys
            {
                sc.set_attr("auto_deployments_enabled", deploys.clone());
            }
            if let Some(code) = first_mut(sc, "code_repository") {
                code.set_attr("source_directory", source_dir.clone());
            }
        }
        let egress = path(state, &["network_configuration", "egress_configuration"]);
        let mut inferred = config.clone();
        infer_egress_type(&config, &mut inferred);
        let inferred_type = path(
            &inferred,
            &["network_configuration", "egress_configuration"],
        )
        .attr("egress_type")
        .clone();
        if let Some(e) = first_mut(&mut config, "network_configuration")
            .and_then(|n| first_mut(n, "egress_configuration"))
            && inferred_type != *egress.attr("egress_type")
        {
            e.set_attr("egress_type", egress.attr("egress_type").clone());
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = &req.planned;
        redact_environment(planned);
        let deadline = Deadline::after(timeouts::get(planned, "create", DEFAULT_TIMEOUT));
        let region = region::of(provider, planned).to_string();
        // A connection still waiting for its handshake: say what to do now.
        if let Err(d) =
            crate::apprunner::connection::ensure_source_connection_available(provider, planned)
                .await
        {
            return Applied::failed(d);
        }
        let request =
            match requests::create_request(provider.client_in(&region).create_service(), planned) {
                Ok(r) => r,
                Err(d) => return Applied::failed(d),
            };
        let name = string(planned, "service_name").unwrap_or_default();
        let created =
            match apprunner::service::create(ctx, provider, &region, &name, request, &deadline)
                .await
            {
                Ok(c) => c,
                // Interrupted while App Runner made it: keep it, tainted.
                Err(calls::CreateFailed {
                    made: Some(c),
                    diagnostic,
                }) => {
                    let state = fill_unknowns(
                        planned,
                        &object(vec![
                            ("arn", c.arn.as_str().into()),
                            ("id", c.arn.as_str().into()),
                        ]),
                    );
                    return Applied::partial(state, diagnostic);
                }
                Err(failed) => return Applied::failed(failed.diagnostic),
            };
        let arn = created.arn;
        let mut result = apprunner::operation::follow(
            ctx,
            provider,
            &arn,
            created.operation_id.as_deref(),
            "CREATE_SERVICE",
            "create the service",
            &deadline,
        )
        .await;
        if result.is_ok() && planned.attr("paused").as_bool() == Some(true) {
            result = set_paused(ctx, provider, &arn, true, &deadline).await;
        }
        // Whatever happened, the service exists: state gets its ARN.
        let known = refreshed(provider, planned, &arn).await.unwrap_or_else(|| {
            object(vec![
                ("arn", arn.as_str().into()),
                ("id", arn.as_str().into()),
            ])
        });
        let state = fill_unknowns(planned, &known);
        match result {
            Ok(()) => Applied::ok(state),
            Err(d) => {
                let mut diags = Diagnostics::from(d);
                diags.push(Diagnostic::warning(
                    "Service kept in state as tainted",
                    format!(
                        "{arn} exists in App Runner, so it stays in state, marked tainted: the next apply replaces it \
                         (or `terraform untaint` it and change its configuration to rebuild it in place)."
                    ),
                ));
                Applied::partial(state, diags)
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let prior = &req.state;
        redact_environment(prior);
        let arn = prior
            .attr("arn")
            .as_str()
            .or(prior.attr("id").as_str())
            .unwrap_or_default()
            .to_string();
        let svc = match describe(provider, &arn).await {
            Ok(Some(s)) => s,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        // An import starts from the ARN alone: App Runner's defaults stay
        // out, everything else is filled in.
        let import = prior.attr("service_name").is_null();
        let url = service_url(provider, &svc).await;
        let remote = remote_state(&svc, url);
        let base = if import {
            import_base(&remote)
        } else {
            prior.clone()
        };
        let mut state = reconcile(&base, &remote);
        state.set_attr("timeouts", prior.attr("timeouts").clone());
        if !matches!(svc.status().as_str(), "PAUSED" | "RUNNING") && !import {
            state.set_attr("paused", prior.attr("paused").clone());
        }
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, prior, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let (prior, planned) = (&req.prior, &req.planned);
        redact_environment(prior);
        redact_environment(planned);
        let arn = prior.attr("arn").as_str().unwrap_or_default().to_string();
        let deadline = Deadline::after(timeouts::get(planned, "update", DEFAULT_TIMEOUT));
        if let Err(d) = tags::update(
            provider,
            &arn,
            prior.attr("tags_all"),
            planned.attr("tags_all"),
        )
        .await
        {
            return Applied::partial(prior.clone(), d);
        }
        let was_paused = prior.attr("paused").as_bool() == Some(true);
        let pause = planned.attr("paused").as_bool() == Some(true);
        // App Runner refuses changes while an operation (say an automatic
        // deployment) is in progress: wait for it, within the timeout.
        if (was_paused != pause || configuration_changes(prior, planned))
            && let Err(d) =
                wait_until_settled(ctx, provider, &arn, "before updating it", &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        if was_paused
            && !pause
            && let Err(d) = set_paused(ctx, provider, &arn, false, &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        if configuration_changes(prior, planned) {
            if let Err(d) =
                crate::apprunner::connection::ensure_source_connection_available(provider, planned)
                    .await
            {
                return failed_update(provider, prior, &arn, d).await;
            }
            let request = match requests::update_request(
                provider
                    .client_for_arn(&arn)
                    .update_service()
                    .service_arn(&arn),
                planned,
            ) {
                Ok(r) => r,
                Err(d) => return Applied::failed(d),
            };
            let sent = send_when_settled(ctx, provider, &arn, "UpdateService", &deadline, || {
                request.clone().send()
            })
            .await;
            let op = match sent {
                Ok(out) => out.operation_id().to_string(),
                Err(e) => {
                    return failed_update(
                        provider,
                        prior,
                        &arn,
                        api_error("UpdateService", &arn, e),
                    )
                    .await;
                }
            };
            if let Err(d) = apprunner::operation::follow(
                ctx,
                provider,
                &arn,
                Some(&op),
                "UPDATE_SERVICE",
                "update the service",
                &deadline,
            )
            .await
            {
                return failed_update(provider, prior, &arn, d).await;
            }
            // A superseded auto scaling revision the service just left can go.
            if let Some(left) = prior.attr("auto_scaling_configuration_arn").as_str()
                && Some(left) != planned.attr("auto_scaling_configuration_arn").as_str()
            {
                superseded::release(provider, left).await;
            }
        }
        if pause
            && !was_paused
            && let Err(d) = set_paused(ctx, provider, &arn, true, &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        match refreshed(provider, planned, &arn).await {
            Some(known) => Applied::ok(fill_unknowns(planned, &known)),
            None => Applied::partial(
                fill_unknowns(planned, prior),
                Diagnostic::error(
                    "App Runner service could not be read after its update",
                    format!(
                        "{arn} was updated, but DescribeService failed or found no service afterwards."
                    ),
                ),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        redact_environment(state);
        let arn = state.attr("arn").as_str().unwrap_or_default().to_string();
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        let deadline = Deadline::after(timeout);
        // A service busy with an earlier operation cannot be deleted yet.
        match wait_until_settled(ctx, provider, &arn, "before deleting it", &deadline).await {
            Ok(None) => return Diagnostics::new(),
            Ok(Some(_)) => {}
            Err(d) => return d.into(),
        }
        let request = provider
            .client_for_arn(&arn)
            .delete_service()
            .service_arn(&arn);
        let op = match send_when_settled(ctx, provider, &arn, "DeleteService", &deadline, || {
            request.clone().send()
        })
        .await
        {
            Ok(out) => out.operation_id().to_string(),
            Err(e) if is_not_found(&e) => return Diagnostics::new(),
            Err(e) => return api_error("DeleteService", &arn, e).into(),
        };
        match apprunner::operation::follow(
            ctx,
            provider,
            &arn,
            Some(&op),
            "DELETE_SERVICE",
            "delete the service",
            &deadline,
        )
        .await
        {
            Ok(()) => {
                if let Some(asc) = state.attr("auto_scaling_configuration_arn").as_str() {
                    superseded::release(provider, asc).await;
                }
                Diagnostics::new()
            }
            Err(d) => d.into(),
        }
    }

    /// From `aws_apprunner_service`: the same shapes, but the AWS provider
    /// (SDKv2) stores unset strings as `""` and unset maps as `{}`, which
    /// would read as changes; they become null. `paused` follows `status`.
    /// As on import, blocks holding only App Runner's defaults (which the
    /// AWS provider keeps in state) are left out.
    fn move_state(
        &self,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        migrate::from_aws(self.type_name(), source, schema).map(|r| {
            r.map(|mut state| {
                for (name, value) in state.as_entries_mut().into_iter().flatten() {
                    if !matches!(name.as_str(), "tags" | "tags_all") {
                        null_zero_values(value);
                    }
                }
                if state.attr("paused").is_null() {
                    let paused = state.attr("status").as_str() == Some("PAUSED");
                    state.set_attr("paused", paused.into());
                }
                import_base(&state)
            })
        })
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        // `ARN@REGION` (the AWS provider's cross-region import form) is accepted.
        let arn = crate::provider::arns::import_id(
            id,
            "service",
            "the ARN of an App Runner service (arn:aws:apprunner:REGION:ACCOUNT:service/NAME/ID)",
        )?;
        Ok(object(vec![
            ("arn", arn.into()),
            ("id", arn.into()),
            ("region", region::from_arn(arn).into()),
        ]))
    }
}

#[async_trait]
impl RegionalList for Service {
    fn filters(&self) -> Block {
        Block::new()
            .description("Lists the services of a region (deleted ones left out).")
            .attribute(listing::name_prefix_attribute("services"))
            .attribute(
                Attribute::string("status")
                    .optional()
                    .validate(v::one_of(LISTED_STATUSES))
                    .description("Only services with this status: `RUNNING`, `PAUSED`, `OPERATION_IN_PROGRESS`, `CREATE_FAILED` or `DELETE_FAILED`."),
            )
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        let status = query.config.attr("status").as_str();
        let found = apprunner::service::list(query.provider, query.region, query.limit, |s| {
            let st = s.status().map(|st| st.as_str()).unwrap_or_default();
            status.is_none_or(|want| want == st)
                && query.has_prefix(s.service_name().unwrap_or_default())
                && s.service_arn().is_some()
        })
        .await?;
        Ok(found
            .iter()
            .filter_map(|s| s.service_arn().map(str::to_string))
            .collect())
    }

    fn display_name(&self, state: &Value) -> String {
        state
            .attr("service_name")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// Turns SDKv2's zero values (`""`, `{}`) into null, inside blocks too.
fn null_zero_values(value: &mut Value) {
    match value {
        Value::String(s) if s.is_empty() => *value = Value::Null,
        Value::Map(m) if m.is_empty() => *value = Value::Null,
        Value::List(items) => items.iter_mut().for_each(null_zero_values),
        Value::Object(m) => m.values_mut().for_each(null_zero_values),
        _ => {}
    }
}

/// Plans an unset `egress_type` from `vpc_connector_arn`, as App Runner decides it.
fn infer_egress_type(config: &Value, planned: &mut Value) {
    let configured = path(config, &["network_configuration", "egress_configuration"]);
    if !configured.attr("egress_type").is_null() {
        return;
    }
    let Some(egress) = first_mut(planned, "network_configuration")
        .and_then(|n| first_mut(n, "egress_configuration"))
    else {
        return;
    };
    let connector = configured.attr("vpc_connector_arn");
    if connector.is_unknown() {
        egress.set_attr("egress_type", Value::unknown());
    } else {
        egress.set_attr(
            "egress_type",
            if connector.is_null() {
                "DEFAULT"
            } else {
                "VPC"
            }
            .into(),
        );
    }
}

/// An unset `auto_deployments_enabled` is true, as in the AWS provider,
/// except for ECR Public images, for which App Runner refuses it.
fn default_auto_deployments(config: &Value, planned: &mut Value) {
    let configured = first(config, "source_configuration");
    if !configured.attr("auto_deployments_enabled").is_null() {
        return;
    }
    let kind = path(configured, &["image_repository"]).attr("image_repository_type");
    let default = match kind.as_str() {
        Some("ECR_PUBLIC") => Value::Bool(false),
        _ if kind.is_unknown() => Value::unknown(),
        _ => Value::Bool(true),
    };
    if let Some(sc) = first_mut(planned, "source_configuration") {
        sc.set_attr("auto_deployments_enabled", default);
    }
}

/// A failed update: the state App Runner now has (it may have rolled
/// back), and the error.
async fn failed_update(provider: &AppRunner, prior: &Value, arn: &str, d: Diagnostic) -> Applied {
    let state = refreshed(provider, prior, arn)
        .await
        .unwrap_or_else(|| prior.clone());
    Applied::partial(state, d)
}

/// The service as App Runner has it now, as a state refreshed from `base`
/// (tags included). `None` when it cannot be described.
async fn refreshed(provider: &AppRunner, base: &Value, arn: &str) -> Option<Value> {
    let svc = describe(provider, arn).await.ok()??;
    let url = service_url(provider, &svc).await;
    let mut state = reconcile(base, &remote_state(&svc, url));
    state.set_attr("timeouts", base.attr("timeouts").clone());
    if !matches!(svc.status().as_str(), "PAUSED" | "RUNNING") {
        state.set_attr("paused", base.attr("paused").clone());
    }
    if let Ok(remote) = tags::read(provider, arn).await {
        tags::set_in_state(provider, &mut state, base, remote);
    } else {
        state.set_attr("tags", base.attr("tags").clone());
        state.set_attr("tags_all", base.attr("tags_all").clone());
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_configuration_writes_what_the_plan_would_infer_otherwise() {
        let ctx = PlanCtx::new(None, Default::default());
        let code = object(vec![
            ("service_name", "worker".into()),
            (
                "auto_scaling_configuration_arn",
                "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/2/abc"
                    .into(),
            ),
            (
                "source_configuration",
                list(vec![object(vec![
                    ("auto_deployments_enabled", false.into()),
                    (
                        "code_repository",
                        list(vec![object(vec![
                            ("repository_url", "https://github.com/example/w".into()),
                            ("source_directory", "/jobs".into()),
                        ])]),
                    ),
                    ("image_repository", list(vec![])),
                ])]),
            ),
            (
                "network_configuration",
                list(vec![object(vec![(
                    "egress_configuration",
                    list(vec![object(vec![
                        ("egress_type", "VPC".into()),
                        (
                            "vpc_connector_arn",
                            "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/abc".into(),
                        ),
                    ])]),
                )])]),
            ),
        ]);
        let config = Service.generate_config(&ctx, &code, &schema());
        assert_eq!(
            config.attr("auto_scaling_configuration_arn"),
            code.attr("auto_scaling_configuration_arn")
        );
        let sc = first(&config, "source_configuration");
        assert_eq!(sc.attr("auto_deployments_enabled"), &Value::Bool(false));
        assert_eq!(
            first(sc, "code_repository").attr("source_directory"),
            &Value::from("/jobs")
        );
        // Inferred from the connector: not written.
        assert_eq!(
            path(&config, &["network_configuration", "egress_configuration"]).attr("egress_type"),
            &Value::Null
        );

        let public = object(vec![
            ("service_name", "web".into()),
            (
                "auto_scaling_configuration_arn",
                "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/0001".into(),
            ),
            (
                "source_configuration",
                list(vec![object(vec![
                    ("auto_deployments_enabled", false.into()),
                    ("code_repository", list(vec![])),
                    (
                        "image_repository",
                        list(vec![object(vec![(
                            "image_repository_type",
                            "ECR_PUBLIC".into(),
                        )])]),
                    ),
                ])]),
            ),
        ]);
        let config = Service.generate_config(&ctx, &public, &schema());
        assert_eq!(config.attr("auto_scaling_configuration_arn"), &Value::Null);
        assert_eq!(
            first(&config, "source_configuration").attr("auto_deployments_enabled"),
            &Value::Null
        );
    }
}
