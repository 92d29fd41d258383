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
//! [`schema`], [`model`] (the typed model of the resource's values, shared
//! with the data source), [`validation`] (rules across attributes),
//! [`remote_state`] (App Runner → model), [`reconcile`] (meeting the prior
//! state and the configuration), [`requests`] (model → App Runner) and
//! [`values`] (attribute paths into blocks); this file holds the
//! resource's lifecycle. Calls to App Runner go through [`crate::apprunner`].
//!
//! A value's journey: `ServiceModel::of` reads the plan, `create_request`
//! or `update_request` turns it into CreateService or UpdateService,
//! `remote_state::described` maps the DescribeService answer back into the
//! model, `reconcile` keeps the configured forms, and `write_into` puts it
//! in state.

mod model;
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
use crate::plugin::model::Field;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, ListResource, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
    timeouts,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::listing::{RegionQuery, RegionalList};
use crate::provider::{AppRunner, calls, listing, migrate, region, tags};

use crate::provider::lifecycle::ReadModel;
use model::{OneBlock, ServiceModel, text};
use reconcile::{fill_unknowns, import_base, reconcile};
use remote_state::{described, redact_environment};
use rules::end_of_support_warning;
use schema::schema;
use validation::validate;
use values::{at, block_path, set_at};

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

const CODE_VALUES: [&str; 4] = [
    "source_configuration",
    "code_repository",
    "code_configuration",
    "code_configuration_values",
];
const EGRESS: [&str; 2] = ["network_configuration", "egress_configuration"];

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
        // A value the model cannot hold (a fractional `interval`, which
        // App Runner would never receive) is an error at its attribute.
        match ServiceModel::of(config) {
            Ok(config) => validate(&config, diags),
            Err(d) => diags.push(d),
        }
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        redact_environment(&plan.config);
        redact_environment(&plan.prior);
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        let config = match ServiceModel::of(&plan.config) {
            Ok(c) => c,
            Err(d) => return plan.diagnostics.push(d),
        };
        // Values the configuration leaves to the plan, written where the
        // plan has their block.
        if config
            .source()
            .is_none_or(|s| s.auto_deployments_enabled.is_null())
        {
            let deploys = planned_auto_deployments(&config);
            let at_deploys = at(&["source_configuration"], "auto_deployments_enabled");
            set_at(&mut plan.planned, &at_deploys, field_value(&deploys));
        }
        if config.egress().is_none_or(|e| e.egress_type.is_null()) {
            let egress_type = planned_egress_type(&config);
            set_at(
                &mut plan.planned,
                &at(&EGRESS, "egress_type"),
                field_value(&egress_type),
            );
        }
        if let Some(runtime) = config.code_values().and_then(|v| v.runtime.as_deref())
            && let Some(w) = end_of_support_warning(runtime, time::OffsetDateTime::now_utc().date())
        {
            plan.diagnostics.push(w.at(at(&CODE_VALUES, "runtime")));
        }
        if plan.is_create() {
            return;
        }
        let (prior, planned) = match ServiceModel::of_both(&plan.prior, &plan.planned) {
            Ok(models) => models,
            Err(d) => return plan.diagnostics.push(d),
        };
        // The rules above may plan a change the schema's rules did not see;
        // `timeouts` alone (say, after an import) changes nothing remotely.
        let status = AttributePath::attr("status");
        let compared = ServiceModel {
            status: prior.status.clone(),
            ..planned.clone()
        };
        if compared == prior {
            set_at(&mut plan.planned, &status, field_value(&prior.status));
        } else if planned.status == prior.status {
            set_at(&mut plan.planned, &status, Value::unknown());
        }
        // App Runner cannot switch a service between code and image sources.
        let has_code = |m: &ServiceModel| m.source().is_some_and(|s| s.code_repository.present());
        let known = planned
            .source()
            .is_some_and(|s| s.code_repository.is_known() && s.image_repository.is_known());
        if known && has_code(&prior) != has_code(&planned) {
            let kind = if has_code(&planned) {
                "code_repository"
            } else {
                "image_repository"
            };
            plan.require_replace(block_path(&["source_configuration", kind]));
        }
        if prior.status.as_deref() == Some("CREATE_FAILED")
            && !plan.is_replace()
            && !planned.changes_configuration_of(&prior)
        {
            plan.diagnostics.warning(
                "App Runner service is CREATE_FAILED",
                format!(
                    "{} failed to create and serves nothing. App Runner rebuilds a failed service when its configuration \
                     changes: change the configuration (the update rebuilds it), or replace it with \
                     `terraform apply -replace=<address>`.",
                    prior.arn.as_deref().unwrap_or("The service")
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
        let (Ok(state), Ok(mut generated)) = (ServiceModel::of(state), ServiceModel::of(&config))
        else {
            return config;
        };
        if state
            .auto_scaling_configuration_arn
            .as_deref()
            .is_some_and(|a| !a.contains(":autoscalingconfiguration/DefaultConfiguration/"))
        {
            generated.auto_scaling_configuration_arn = state.auto_scaling_configuration_arn.clone();
        }
        let deploys = state
            .source()
            .map(|s| s.auto_deployments_enabled.clone())
            .unwrap_or_default();
        let inferred_deploys = planned_auto_deployments(&generated);
        let inferred_egress = planned_egress_type(&generated);
        if let Some(sc) = generated.source_configuration.one_mut() {
            if inferred_deploys != deploys {
                sc.auto_deployments_enabled = deploys;
            }
            if let Some(code) = sc.code_repository.one_mut() {
                code.source_directory = state
                    .code()
                    .map(|c| c.source_directory.clone())
                    .unwrap_or_default();
            }
        }
        let egress_type = state
            .egress()
            .map(|e| e.egress_type.clone())
            .unwrap_or_default();
        if let Some(e) = generated
            .network_configuration
            .one_mut()
            .and_then(|n| n.egress_configuration.one_mut())
            && inferred_egress != egress_type
        {
            e.egress_type = egress_type;
        }
        // Written into a value of this schema: cannot fail.
        let _ = generated.write_into(&mut config);
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned_value = &req.planned;
        redact_environment(planned_value);
        let planned = crate::or_return!(ServiceModel::of(planned_value), Applied::failed);
        let deadline = Deadline::after(timeouts::get(planned_value, "create", DEFAULT_TIMEOUT));
        let region = region::of(provider, planned_value).to_string();
        // A connection still waiting for its handshake: say what to do now.
        if let Err(d) = crate::apprunner::connection::ensure_source_connection_available(
            provider,
            planned_value,
        )
        .await
        {
            return Applied::failed(d);
        }
        let request = match planned.create_request(provider.client_in(&region).create_service()) {
            Ok(r) => r,
            Err(d) => return Applied::failed(d),
        };
        let name = planned.service_name.as_deref().unwrap_or_default();
        let created = match apprunner::service::create(
            ctx, provider, &region, name, request, &deadline,
        )
        .await
        {
            Ok(c) => c,
            // Interrupted while App Runner made it: keep it, tainted.
            Err(calls::CreateFailed {
                made: Some(c),
                diagnostic,
            }) => {
                let known = ServiceModel::of_arn(&c.arn).to_value();
                return Applied::partial(fill_unknowns(planned_value, &known), diagnostic);
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
        if result.is_ok() && planned.paused == Field::Known(true) {
            result = set_paused(ctx, provider, &arn, true, &deadline).await;
        }
        // Whatever happened, the service exists: state gets its ARN.
        let known = refreshed(provider, planned_value, &arn)
            .await
            .unwrap_or_else(|| ServiceModel::of_arn(&arn).to_value());
        let state = fill_unknowns(planned_value, &known);
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
        let prior_value = &req.state;
        redact_environment(prior_value);
        let prior = crate::or_return!(ServiceModel::of(prior_value), Read::failed);
        let arn = prior.arn();
        let svc = match describe(provider, &arn).await {
            Ok(Some(s)) => s,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        // An import starts from the ARN alone: App Runner's defaults stay
        // out, everything else is filled in.
        let import = prior.service_name.is_null();
        let remote = described(&svc, service_url(provider, &svc).await);
        let base = if import { import_base(&remote) } else { prior };
        let mut state = prior_value.clone();
        let settled = import || matches!(svc.status().as_str(), "PAUSED" | "RUNNING");
        if let Err(d) = refreshed_model(&base, &remote, settled).write_into(&mut state) {
            return Read::failed(d);
        }
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, prior_value, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let (prior_value, planned_value) = (&req.prior, &req.planned);
        redact_environment(prior_value);
        redact_environment(planned_value);
        let prior = crate::or_return!(ServiceModel::of(prior_value), Applied::failed);
        let planned = crate::or_return!(ServiceModel::of(planned_value), Applied::failed);
        let arn = prior.arn.as_deref().unwrap_or_default().to_string();
        let deadline = Deadline::after(timeouts::get(planned_value, "update", DEFAULT_TIMEOUT));
        if let Err(d) = tags::update(
            provider,
            &arn,
            &prior.tags_all_value(),
            &planned.tags_all_value(),
        )
        .await
        {
            return Applied::partial(prior_value.clone(), d);
        }
        let was_paused = prior.paused == Field::Known(true);
        let pause = planned.paused == Field::Known(true);
        let changes = planned.changes_configuration_of(&prior);
        // App Runner refuses changes while an operation (say an automatic
        // deployment) is in progress: wait for it, within the timeout.
        if (was_paused != pause || changes)
            && let Err(d) =
                wait_until_settled(ctx, provider, &arn, "before updating it", &deadline).await
        {
            return failed_update(provider, prior_value, &arn, d).await;
        }
        if was_paused
            && !pause
            && let Err(d) = set_paused(ctx, provider, &arn, false, &deadline).await
        {
            return failed_update(provider, prior_value, &arn, d).await;
        }
        if changes {
            if let Err(d) = crate::apprunner::connection::ensure_source_connection_available(
                provider,
                planned_value,
            )
            .await
            {
                return failed_update(provider, prior_value, &arn, d).await;
            }
            let request = match planned.update_request(
                provider
                    .client_for_arn(&arn)
                    .update_service()
                    .service_arn(&arn),
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
                        prior_value,
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
                return failed_update(provider, prior_value, &arn, d).await;
            }
            // A superseded auto scaling revision the service just left can go.
            if let Some(left) = prior.auto_scaling_configuration_arn.as_deref()
                && Some(left) != planned.auto_scaling_configuration_arn.as_deref()
            {
                superseded::release(provider, left).await;
            }
        }
        if pause
            && !was_paused
            && let Err(d) = set_paused(ctx, provider, &arn, true, &deadline).await
        {
            return failed_update(provider, prior_value, &arn, d).await;
        }
        match refreshed(provider, planned_value, &arn).await {
            Some(known) => Applied::ok(fill_unknowns(planned_value, &known)),
            None => Applied::partial(
                fill_unknowns(planned_value, prior_value),
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
        let known = crate::or_return!(ServiceModel::of(state), Diagnostics::from);
        let arn = known.arn.as_deref().unwrap_or_default().to_string();
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
                if let Some(asc) = known.auto_scaling_configuration_arn.as_deref() {
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
            r.and_then(|mut state| {
                for (name, value) in state.as_entries_mut().into_iter().flatten() {
                    if !matches!(name.as_str(), "tags" | "tags_all") {
                        null_zero_values(value);
                    }
                }
                let mut moved = ServiceModel::of(&state)?;
                if moved.paused.is_null() {
                    moved.paused = Field::Known(moved.status.as_deref() == Some("PAUSED"));
                }
                import_base(&moved).write_into(&mut state)?;
                Ok(state)
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
        let imported = ServiceModel {
            region: region::from_arn(arn).into(),
            ..ServiceModel::of_arn(arn)
        };
        Ok(crate::plugin::model::to_value(
            &imported,
            schema::state_type(),
        )?)
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

/// A model field as a Terraform value (unknown included).
fn field_value<T: serde::Serialize>(field: &Field<T>) -> Value {
    // A field of a string or bool: serialising cannot fail.
    crate::plugin::model::to_value(field, &crate::plugin::Type::Dynamic).unwrap_or(Value::Null)
}

/// `egress_type` as planned: as configured, else `VPC` with a
/// `vpc_connector_arn` and `DEFAULT` without, as App Runner decides it.
fn planned_egress_type(config: &ServiceModel) -> Field<String> {
    let egress = config.egress();
    if let Some(set) = egress.map(|e| &e.egress_type).filter(|t| !t.is_null()) {
        return set.clone();
    }
    match egress.map(|e| &e.vpc_connector_arn) {
        Some(Field::Unknown) => Field::Unknown,
        Some(Field::Known(_)) => text("VPC"),
        _ => text("DEFAULT"),
    }
}

/// `auto_deployments_enabled` as planned: as configured, else true, as in
/// the AWS provider, except for ECR Public images, for which App Runner
/// refuses it.
fn planned_auto_deployments(config: &ServiceModel) -> Field<bool> {
    if let Some(set) = config
        .source()
        .map(|s| &s.auto_deployments_enabled)
        .filter(|d| !d.is_null())
    {
        return set.clone();
    }
    let kind = config.image().map(|i| &i.image_repository_type);
    match kind {
        Some(Field::Known(k)) if k == "ECR_PUBLIC" => Field::Known(false),
        Some(Field::Unknown) => Field::Unknown,
        _ => Field::Known(true),
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

/// The model of a refreshed state: `remote` reconciled with `base`; while
/// the service is not `settled` (running or paused), `paused` stays as
/// `base` has it.
fn refreshed_model(base: &ServiceModel, remote: &ServiceModel, settled: bool) -> ServiceModel {
    let mut state = reconcile(base, remote);
    if !settled {
        state.paused = base.paused.clone();
    }
    state
}

/// The service as App Runner has it now, as a state refreshed from `base`
/// (tags included). `None` when it cannot be described.
async fn refreshed(provider: &AppRunner, base: &Value, arn: &str) -> Option<Value> {
    let svc = describe(provider, arn).await.ok()??;
    let base_model = ServiceModel::of(base).ok()?;
    let remote = described(&svc, service_url(provider, &svc).await);
    let settled = matches!(svc.status().as_str(), "PAUSED" | "RUNNING");
    let mut state = base.clone();
    refreshed_model(&base_model, &remote, settled)
        .write_into(&mut state)
        .ok()?;
    // Tags that cannot be read stay as `base` has them.
    if let Ok(remote) = tags::read(provider, arn).await {
        tags::set_in_state(provider, &mut state, base, remote);
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::model::*;
    use super::*;

    const CONNECTOR: &str = "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/abc";

    #[test]
    fn generated_configuration_writes_what_the_plan_would_infer_otherwise() {
        let ctx = PlanCtx::new(None, Default::default());
        let custom_scaling =
            "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/2/abc";
        let code = ServiceModel {
            service_name: text("worker"),
            auto_scaling_configuration_arn: text(custom_scaling),
            source_configuration: block(Some(SourceConfiguration {
                auto_deployments_enabled: Field::Known(false),
                code_repository: block(Some(CodeRepository {
                    repository_url: text("https://github.com/example/w"),
                    source_directory: text("/jobs"),
                    ..Default::default()
                })),
                image_repository: no_block(),
                ..Default::default()
            })),
            network_configuration: block(Some(NetworkConfiguration {
                egress_configuration: block(Some(EgressConfiguration {
                    egress_type: text("VPC"),
                    vpc_connector_arn: text(CONNECTOR),
                })),
                ..Default::default()
            })),
            ..Default::default()
        };
        let generated = Service.generate_config(&ctx, &code.to_value(), &schema());
        let config = ServiceModel::of(&generated).unwrap();
        assert_eq!(config.auto_scaling_configuration_arn, text(custom_scaling));
        let sc = config.source().unwrap();
        assert_eq!(sc.auto_deployments_enabled, Field::Known(false));
        assert_eq!(config.code().unwrap().source_directory, text("/jobs"));
        // Inferred from the connector: not written.
        assert_eq!(config.egress().unwrap().egress_type, Field::Null);

        let public = ServiceModel {
            service_name: text("web"),
            auto_scaling_configuration_arn: text(
                "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/0001",
            ),
            source_configuration: block(Some(SourceConfiguration {
                auto_deployments_enabled: Field::Known(false),
                code_repository: no_block(),
                image_repository: block(Some(ImageRepository {
                    image_repository_type: text("ECR_PUBLIC"),
                    ..Default::default()
                })),
                ..Default::default()
            })),
            ..Default::default()
        };
        let generated = Service.generate_config(&ctx, &public.to_value(), &schema());
        let config = ServiceModel::of(&generated).unwrap();
        assert_eq!(config.auto_scaling_configuration_arn, Field::Null);
        assert_eq!(
            config.source().unwrap().auto_deployments_enabled,
            Field::Null
        );
    }

    #[test]
    fn plans_infer_egress_and_deployments_as_app_runner_does() {
        let with_egress = |connector: Field<String>| ServiceModel {
            network_configuration: block(Some(NetworkConfiguration {
                egress_configuration: block(Some(EgressConfiguration {
                    egress_type: Field::Null,
                    vpc_connector_arn: connector,
                })),
                ..Default::default()
            })),
            ..Default::default()
        };
        assert_eq!(
            planned_egress_type(&with_egress(text(CONNECTOR))),
            text("VPC")
        );
        assert_eq!(
            planned_egress_type(&with_egress(Field::Null)),
            text("DEFAULT")
        );
        assert_eq!(
            planned_egress_type(&with_egress(Field::Unknown)),
            Field::Unknown
        );
        let image = |kind: Field<String>| ServiceModel {
            source_configuration: block(Some(SourceConfiguration {
                image_repository: block(Some(ImageRepository {
                    image_repository_type: kind,
                    ..Default::default()
                })),
                ..Default::default()
            })),
            ..Default::default()
        };
        assert_eq!(
            planned_auto_deployments(&image(text("ECR_PUBLIC"))),
            Field::Known(false)
        );
        assert_eq!(
            planned_auto_deployments(&image(text("ECR"))),
            Field::Known(true)
        );
        assert_eq!(
            planned_auto_deployments(&image(Field::Unknown)),
            Field::Unknown
        );
    }
}
