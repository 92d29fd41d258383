//! `apprunner_default_auto_scaling_configuration_version`: which auto
//! scaling configuration App Runner gives new services of a region that
//! name none, as `aws_apprunner_default_auto_scaling_configuration_version`.
//!
//! Create and update call UpdateDefaultAutoScalingConfiguration; read finds
//! the region's active default. App Runner cannot unset a default, and
//! refuses to delete the configuration that is one, so destroy hands the
//! default back: to the configuration that was the default before this
//! resource took over (kept in private state from the create), or to App
//! Runner's own `DefaultConfiguration` when that one is gone. A stack that
//! creates a configuration and makes it the default thus destroys in one
//! go. `id` is the region; import by region (the account ID that older AWS
//! provider versions used as `id` is also accepted); the identity is the
//! region.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::apprunner::auto_scaling_configuration::{
    app_runner_default, find_default, is_active, set_default,
};
use crate::apprunner::superseded;
use crate::plugin::ListResource;
use crate::plugin::framework::MoveSource;
use crate::plugin::model::{self, Field};
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentityAttribute, IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::{AppRunner, arns, lifecycle, migrate, region};

pub struct DefaultAutoScalingConfigurationVersion;

/// What the resource reads of its plan or state.
#[derive(Deserialize)]
struct DefaultModel {
    auto_scaling_configuration_arn: Field<String>,
    region: Field<String>,
}

impl DefaultModel {
    fn arn(&self) -> &str {
        self.auto_scaling_configuration_arn
            .as_deref()
            .unwrap_or_default()
    }
}

/// The region, which is also the ID.
#[derive(Serialize)]
struct RegionAndId<'a> {
    region: &'a str,
    id: &'a str,
}

/// The configuration that is the default.
#[derive(Serialize)]
struct DefaultArn<'a> {
    auto_scaling_configuration_arn: &'a str,
}

/// Private state: what to hand the default back to on destroy. Private
/// rather than an attribute, so that an import (which cannot know it)
/// reproduces the state of a create.
#[derive(Default, Serialize, Deserialize)]
struct Private {
    /// The region's default before this resource first set one.
    #[serde(default)]
    previous_default: Option<String>,
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "The auto scaling configuration App Runner gives new services of a region that name none. \
                 Destroying this resource hands the default back to the configuration that was the default \
                 before it (or to App Runner's own `DefaultConfiguration` when that one is gone).",
            )
            .attribute(
                Attribute::string("auto_scaling_configuration_arn")
                    .required()
                    .validate(arns::validator("autoscalingconfiguration"))
                    .description(
                        "ARN of the auto scaling configuration to make the default. A partial ARN ending in the \
                         name (latest revision) or `NAME/REVISION` is accepted.",
                    ),
            )
            .attribute(region::attribute())
            .attribute(
                Attribute::string("id")
                    .computed()
                    .keep_prior()
                    .description("The region whose default this is."),
            ),
    )
}

#[async_trait]
impl Resource<AppRunner> for DefaultAutoScalingConfigurationVersion {
    fn type_name(&self) -> &'static str {
        "apprunner_default_auto_scaling_configuration_version"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    /// A region has one default: the region is the identity.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::of(vec![IdentityAttribute::required(
            "region",
            "The region whose default this is.",
        )]))
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        let planned = match DefaultModel::of(&plan.planned) {
            Ok(m) => m,
            Err(d) => return plan.diagnostics.push(d),
        };
        let arn = planned.auto_scaling_configuration_arn.as_deref();
        if let (Some(r), Some(arn)) = (planned.region.as_deref(), arn)
            && region::from_arn(arn).is_some_and(|a| a != r)
        {
            plan.diagnostics.push(
                Diagnostic::error(
                    "Auto scaling configuration in another region",
                    format!(
                        "{arn} is not in {r}: a region's default must be one of its own configurations. \
                         Set `region` to the configuration's region, or pick a configuration in {r}."
                    ),
                )
                .at(AttributePath::attr("auto_scaling_configuration_arn")),
            );
        }
        if !planned.region.is_unknown() {
            #[derive(Serialize)]
            struct Id {
                id: Field<String>,
            }
            let id = Id { id: planned.region };
            super::write_planned(plan, &schema(), &id);
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let (mut applied, previous) = put(ctx, req.planned).await;
        applied.private = lifecycle::private_bytes(&Private {
            previous_default: previous,
        });
        applied
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let r = region::of(provider, &req.state).to_string();
        let current = match find_default(provider, &r).await {
            Ok(Some(c)) => c,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let actual = current.auto_scaling_configuration_arn().unwrap_or_default();
        let known = crate::or_return!(DefaultModel::of(&req.state), Read::failed);
        let prior = known.arn();
        // A partial ARN that still names the default keeps its form.
        let arn = if names_same(prior, actual) {
            prior
        } else {
            actual
        };
        let mut state = req.state.clone();
        let written = super::write_model(
            &mut state,
            &schema(),
            &DefaultArn {
                auto_scaling_configuration_arn: arn,
            },
        )
        .and_then(|()| {
            let region = RegionAndId { region: &r, id: &r };
            super::write_model(&mut state, &schema(), &region)
        });
        match written {
            Ok(()) => Read::found(state),
            Err(d) => Read::failed(d),
        }
    }

    /// The default to hand back on destroy stays the one from before the
    /// create.
    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let (mut applied, _) = put(ctx, req.planned).await;
        applied.private = lifecycle::private_bytes(&lifecycle::private_of::<Private>(&req.private));
        applied
    }

    /// Hands the default back (App Runner cannot unset one, and refuses to
    /// delete the configuration that is the default).
    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let r = region::of(provider, state).to_string();
        let known = crate::or_return!(DefaultModel::of(state), Diagnostics::from);
        let mine = known.arn();
        let current = match find_default(provider, &r).await {
            Ok(c) => c.and_then(|c| c.auto_scaling_configuration_arn().map(str::to_string)),
            Err(d) => return d,
        };
        // Changed outside Terraform since: that default is not ours to undo.
        let Some(current) = current.filter(|c| names_same(mine, c)) else {
            return Diagnostics::new();
        };
        let previous = lifecycle::private_of::<Private>(private).previous_default;
        let target = match previous.filter(|p| *p != current) {
            Some(p) if is_active(provider, &p).await => Some(p),
            _ => match app_runner_default(provider, &r).await {
                Ok(t) => t,
                Err(d) => return d,
            },
        };
        let Some(target) = target.filter(|t| *t != current) else {
            return Diagnostics::new();
        };
        let handing_back = format!("{target} (handing back the default of {r} from {current})");
        match set_default(provider, &r, &target, &handing_back).await {
            Ok(_) => {
                superseded::release(provider, &current).await;
                Diagnostics::new()
            }
            Err(d) => d.into(),
        }
    }

    /// From `aws_apprunner_default_auto_scaling_configuration_version`,
    /// whose `id` was the account ID in many versions: here it is the
    /// region (filled from the configuration's ARN when the state
    /// predates `region`).
    fn move_state(
        &self,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        migrate::from_aws(self.type_name(), source, schema).map(|r| {
            r.and_then(|mut state| {
                let region = DefaultModel::of(&state)?.region;
                if let Some(region) = region.as_deref() {
                    let region = RegionAndId { region, id: region };
                    super::write_model(&mut state, schema, &region)?;
                }
                Ok(state)
            })
        })
    }

    async fn import(&self, ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let (base, at) = region::split_import_id(id)?;
        let r = if region::is_name(base) {
            region::check_import_region(id, Some(base), at)?;
            base.to_string()
        } else if base.len() == 12 && base.bytes().all(|b| b.is_ascii_digit()) {
            // Older AWS provider versions used the account ID as `id`.
            match at {
                Some(r) => r.to_string(),
                None => ctx.provider().region.clone(),
            }
        } else {
            return Err(Diagnostic::error(
                "Invalid import ID",
                format!("Expected the region whose default auto scaling configuration to import (e.g. us-east-1), got {id:?}."),
            )
            .into());
        };
        let seed = RegionAndId { region: &r, id: &r };
        Ok(model::to_value(&seed, &schema().implied_type())?)
    }
}

#[async_trait]
impl RegionalList for DefaultAutoScalingConfigurationVersion {
    fn filters(&self) -> Block {
        Block::new().description(
            "Lists the default auto scaling configuration of a region (one per region).",
        )
    }

    /// The import ID is the region.
    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        Ok(vec![query.region.to_string()])
    }

    fn display_name(&self, state: &Value) -> String {
        let Ok(state) = DefaultModel::of(state) else {
            return String::new();
        };
        let arn = state.arn();
        // …:autoscalingconfiguration/NAME/REVISION/ID
        let mut parts = arn
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .split('/')
            .skip(1);
        format!(
            "{}: {} revision {}",
            state.region.as_deref().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default()
        )
    }
}

/// Makes the planned configuration the region's default; also returns the
/// default it replaced.
async fn put(ctx: &Ctx<AppRunner>, planned: Value) -> (Applied, Option<String>) {
    let provider = ctx.provider();
    let r = region::of(provider, &planned).to_string();
    let arn = match DefaultModel::of(&planned) {
        Ok(m) => m.arn().to_string(),
        Err(d) => return (Applied::failed(d), None),
    };
    // The default this replaces; if it was a superseded revision waiting to
    // be deleted, it can go once it is no longer the default.
    let previous = find_default(provider, &r)
        .await
        .ok()
        .flatten()
        .and_then(|c| c.auto_scaling_configuration_arn().map(str::to_string));
    match set_default(provider, &r, &arn, &arn).await {
        Ok(new) => {
            let new = new.unwrap_or_else(|| arn.clone());
            let previous = previous.filter(|p| *p != new);
            if let Some(previous) = &previous {
                superseded::release(provider, previous).await;
            }
            let mut state = planned;
            let region = RegionAndId { region: &r, id: &r };
            match super::write_model(&mut state, &schema(), &region) {
                Ok(()) => (Applied::ok(state), previous),
                Err(d) => (Applied::partial(state, d), previous),
            }
        }
        Err(d) => (Applied::failed(d), None),
    }
}

/// Whether `configured` (full or partial ARN) names the revision `actual`.
fn names_same(configured: &str, actual: &str) -> bool {
    !configured.is_empty()
        && (configured == actual
            || actual
                .strip_prefix(configured)
                .is_some_and(|rest| rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_arns_name_their_revision() {
        let full = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/3/abc";
        assert!(names_same(full, full));
        assert!(names_same(
            "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/3",
            full
        ));
        assert!(names_same(
            "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web",
            full
        ));
        assert!(!names_same(
            "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/we",
            full
        ));
        assert!(!names_same("", full));
    }
}
