//! `apprunner_auto_scaling_configuration_version`: an App Runner auto
//! scaling configuration, with the arguments and attributes of
//! `aws_apprunner_auto_scaling_configuration_version`, but changeable in
//! place (AWS #38534).
//!
//! App Runner revisions are immutable and a name holds at most 5 of them.
//! A change of `max_concurrency`, `max_size` or `min_size` is an in-place
//! update that creates a new revision under the same name: `arn` and the
//! revision number are unknown in the plan, so services referencing `.arn`
//! move to the new revision in the same apply. The revision it supersedes
//! is deleted at once when nothing uses it; otherwise (a service, or the
//! account default, still points at it) its ARN is kept in the resource's
//! private state and deleted by a later refresh, apply or destroy, as soon
//! as it is free. Only revisions this resource created are ever deleted.
//! A name change replaces the resource; tags change in place. A create
//! whose answer was lost leaves one revision: the one it made is adopted.

use async_trait::async_trait;
use aws_sdk_apprunner::types::AutoScalingConfiguration;
use serde::{Deserialize, Serialize};

use crate::apprunner::auto_scaling_configuration::{
    AutoScaling, AutoScalingAttributes, Deleted, Settings, create_once, delete,
    delete_when_released, describe,
};
use crate::apprunner::create::create;
use crate::apprunner::revisions::{NAME_PATTERN, NAME_RULE, find_made, revision_arns};
use crate::apprunner::superseded;
use crate::plugin::model::Field;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, ListResource, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{RegionQuery, RegionalList};
use crate::provider::{AppRunner, attributes, lifecycle, listing, region, tags};

pub struct AutoScalingConfigurationVersion;

/// What the resource reads of its configuration, plan or state.
#[derive(Deserialize)]
struct AutoScalingModel {
    auto_scaling_configuration_name: Field<String>,
    auto_scaling_configuration_revision: Field<i64>,
    max_concurrency: Field<i64>,
    max_size: Field<i64>,
    min_size: Field<i64>,
}

impl AutoScalingModel {
    fn name(&self) -> &str {
        self.auto_scaling_configuration_name
            .as_deref()
            .unwrap_or_default()
    }

    /// The settings a revision fixes; changing one makes a new revision.
    fn settings(&self) -> [&Field<i64>; 3] {
        [&self.max_concurrency, &self.max_size, &self.min_size]
    }

    /// The settings as App Runner takes them.
    fn to_api(&self) -> Settings {
        let int = |f: &Field<i64>| f.known().and_then(|n| i32::try_from(*n).ok());
        Settings {
            max_concurrency: int(&self.max_concurrency),
            max_size: int(&self.max_size),
            min_size: int(&self.min_size),
        }
    }

    /// "NAME revision N", for lists.
    fn display(state: &Value) -> String {
        let m = AutoScalingModel::of(state).ok();
        format!(
            "{} revision {}",
            m.as_ref().map(Self::name).unwrap_or_default(),
            m.as_ref()
                .and_then(|m| m.auto_scaling_configuration_revision.known().copied())
                .unwrap_or_default()
        )
    }
}

/// The attributes App Runner decides, under the resource's names.
#[derive(Serialize)]
struct RevisionState {
    #[serde(flatten)]
    attributes: AutoScalingAttributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_scaling_configuration_name: Option<String>,
    auto_scaling_configuration_revision: Option<i32>,
}

/// Attributes that name the revision, unknown while a new one is planned.
#[derive(Serialize)]
struct NewRevision {
    arn: Field<String>,
    id: Field<String>,
    auto_scaling_configuration_revision: Field<i64>,
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "An App Runner auto scaling configuration. Changing a setting creates a new revision of the same \
                 name in place (services referencing `arn` follow in the same apply) and deletes the superseded \
                 revision once nothing uses it.",
            )
            .attribute(
                attributes::name("auto_scaling_configuration_name", 32, NAME_PATTERN, NAME_RULE)
                    .required()
                    .requires_replace()
                    .description("Name of the configuration; App Runner numbers its revisions. Changing it replaces the resource."),
            )
            .attribute(
                Attribute::int("max_concurrency")
                    .default(100)
                    .validate(v::int_between(1, 200))
                    .description("Concurrent requests an instance handles before App Runner scales up (1 to 200, default 100). Changing it creates a new revision."),
            )
            .attribute(
                Attribute::int("max_size")
                    .default(25)
                    .validate(v::int_at_least(1))
                    .description("Maximum number of instances (default 25; higher values need a quota increase). Changing it creates a new revision."),
            )
            .attribute(
                Attribute::int("min_size")
                    .default(1)
                    .validate(v::int_between(1, 25))
                    .description("Minimum number of provisioned instances (1 to 25, default 1). Changing it creates a new revision."),
            )
            .attributes(attributes::regional_tagged("ARN of the current revision.", "arn"))
            .attribute(
                Attribute::int("auto_scaling_configuration_revision")
                    .computed()
                    .keep_prior()
                    .description("Revision number App Runner gave the current revision."),
            )
            .attribute(Attribute::bool("latest").computed().description("Whether this is the newest revision of the name."))
            .attribute(Attribute::string("status").computed().description("`active`, or `inactive` once deleted."))
            .attribute(Attribute::bool("has_associated_service").computed().description("Whether a service uses this revision."))
            .attribute(Attribute::bool("is_default").computed().description("Whether this is the account's default configuration.")),
    )
}

/// What the resource keeps in Terraform's private state: the revisions it
/// superseded that could not be deleted yet.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Private {
    #[serde(default)]
    superseded: Vec<String>,
}

impl Private {
    fn of(held: &[Held]) -> Private {
        Private {
            superseded: held.iter().map(|h| h.arn.clone()).collect(),
        }
    }
}

/// A superseded revision that could not be deleted yet, and why.
#[derive(Debug)]
struct Held {
    arn: String,
    reason: String,
}

fn describe_held(held: &[Held]) -> String {
    held.iter()
        .map(|h| format!("- {} ({})", h.arn, h.reason))
        .collect::<Vec<_>>()
        .join("\n")
}

#[async_trait]
impl Resource<AppRunner> for AutoScalingConfigurationVersion {
    fn type_name(&self) -> &'static str {
        "apprunner_auto_scaling_configuration_version"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn(
            "ARN of the auto scaling configuration revision.",
        ))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let Ok(config) = AutoScalingModel::of(config) else {
            return;
        };
        let (min, max) = (&config.min_size, &config.max_size);
        let unknown = min.is_unknown() || max.is_unknown();
        let (min_value, max_value) = (*min.known().unwrap_or(&1), *max.known().unwrap_or(&25));
        if !unknown && min_value > max_value {
            let at = if min.is_null() {
                "max_size"
            } else {
                "min_size"
            };
            diags.error_at(
                AttributePath::attr(at),
                "min_size exceeds max_size",
                format!("min_size ({min_value}) must not be greater than max_size ({max_value})."),
            );
        }
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        if plan.is_create() || plan.is_replace() {
            return;
        }
        let (prior, planned) = match AutoScalingModel::of_both(&plan.prior, &plan.planned) {
            Ok(m) => m,
            Err(d) => return plan.diagnostics.push(d),
        };
        if settings_change(&prior, &planned) {
            // A new revision: its ARN and number are App Runner's to give.
            let unknown = NewRevision {
                arn: Field::Unknown,
                id: Field::Unknown,
                auto_scaling_configuration_revision: Field::Unknown,
            };
            super::write_planned(plan, &schema(), &unknown);
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let (asc, mut diags) = match create_revision(ctx, &req.planned).await {
            Ok(asc) => (asc, Diagnostics::new()),
            Err(RevisionFailed {
                made: Some(asc),
                diagnostics,
            }) => (asc, diagnostics),
            Err(RevisionFailed {
                made: None,
                diagnostics,
            }) => return Applied::failed(diagnostics),
        };
        let mut state = req.planned.clone();
        if let Err(d) = fill(&mut state, &asc, false) {
            diags.push(d);
        }
        let applied = if diags.has_errors() {
            Applied::partial(state, diags)
        } else {
            Applied::ok(state)
        };
        with_private(applied, &Private::of(&[]))
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        // Superseded revisions are deleted during apply only (see
        // apprunner::superseded): a plan never changes anything.
        lifecycle::read_by_arn(ctx.provider(), &req.state, describe, |state, asc| {
            fill(state, asc, true)
        })
        .await
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let models = AutoScalingModel::of_both(&req.prior, &req.planned);
        let (prior, planned) = crate::or_return!(models, Applied::failed);
        let prior_arn = crate::or_return!(lifecycle::arn_of(&req.prior), Applied::failed);
        let pending = lifecycle::private_of::<Private>(&req.private).superseded;
        if settings_change(&prior, &planned) {
            // Free what can be freed first, so the new revision fits the quota.
            let (held, mut diags) = retire(provider, pending, None).await;
            let asc = match create_revision(ctx, &req.planned).await {
                Ok(created) => created,
                // Interrupted, but made: it replaces the prior revision all the same.
                Err(RevisionFailed {
                    made: Some(created),
                    diagnostics,
                }) => {
                    diags.extend(diagnostics);
                    created
                }
                Err(RevisionFailed {
                    made: None,
                    diagnostics: mut d,
                }) => {
                    if !held.is_empty() {
                        d.push(Diagnostic::error(
                            "Superseded revisions still held",
                            format!(
                                "These revisions this resource superseded cannot be deleted yet, and count \
                                 towards App Runner's quota of revisions per name:\n{}\nMove what uses them to \
                                 the current revision, then apply again.",
                                describe_held(&held)
                            ),
                        ));
                    }
                    diags.extend(d);
                    let private = Private::of(&held);
                    return with_private(Applied::partial(req.prior, diags), &private);
                }
            };
            let mut state = req.planned.clone();
            if let Err(d) = fill(&mut state, &asc, false) {
                diags.push(d);
            }
            // The revision this one supersedes goes now, or once it is free.
            let mut superseded: Vec<String> = held.into_iter().map(|h| h.arn).collect();
            superseded.push(prior_arn);
            let new_arn = asc
                .auto_scaling_configuration_arn()
                .unwrap_or_default()
                .to_string();
            let (held, more) = retire(provider, superseded, Some(&new_arn)).await;
            diags.extend(more);
            let mut applied = Applied::ok(state);
            applied.diagnostics = diags;
            return with_private(applied, &Private::of(&held));
        }
        // Only tags changed: the same revision keeps its ARN.
        let private = Private {
            superseded: pending,
        };
        if let Err(d) = lifecycle::update_tags(provider, &prior_arn, &req).await {
            return with_private(Applied::partial(req.prior, d), &private);
        }
        let found = describe(provider, &prior_arn).await;
        let title = "Auto scaling configuration";
        let applied = lifecycle::after_tag_update(
            req.prior,
            req.planned,
            &prior_arn,
            found,
            title,
            |state, asc| fill(state, asc, false),
        );
        with_private(applied, &private)
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = crate::or_return!(lifecycle::arn_of(state), Diagnostics::from);
        let arn = arn.as_str();
        // Superseded revisions go first: while one is held the resource
        // stays in state, so it is never forgotten.
        let (held, mut diags) = retire(
            provider,
            lifecycle::private_of::<Private>(private).superseded,
            None,
        )
        .await;
        if !held.is_empty() {
            diags.push(Diagnostic::error(
                "Superseded revisions still in use",
                format!(
                    "{arn} cannot be destroyed yet: revisions it superseded are still held and would be left \
                     behind:\n{}\nMove what uses them to another configuration (or make another configuration \
                     the default), then destroy again.",
                    describe_held(&held)
                ),
            ));
            return diags;
        }
        // Services that use the account default (this revision, maybe)
        // are deleted at the same time, with no edge in Terraform's graph.
        match delete_when_released(ctx.cancellation(), provider, arn).await {
            Ok(Deleted::Done) => diags,
            Ok(Deleted::Refused(d)) | Err(d) => {
                diags.push(d);
                diags
            }
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        super::import_by_arn(
            &schema(),
            id,
            "autoscalingconfiguration",
            "the ARN of an auto scaling configuration revision (arn:aws:apprunner:REGION:ACCOUNT:autoscalingconfiguration/NAME/REVISION/ID)",
        )
    }
}

#[async_trait]
impl RegionalList for AutoScalingConfigurationVersion {
    fn filters(&self) -> Block {
        super::revisioned_list_filters("auto scaling configuration")
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        super::listed_revisions::<AutoScaling>(query).await
    }

    fn display_name(&self, state: &Value) -> String {
        AutoScalingModel::display(state)
    }
}

/// Whether the planned settings differ from the prior revision's.
fn settings_change(prior: &AutoScalingModel, planned: &AutoScalingModel) -> bool {
    prior
        .settings()
        .iter()
        .zip(planned.settings())
        .any(|(prior, planned)| planned.is_unknown() || *prior != planned)
}

fn with_private(mut applied: Applied, private: &Private) -> Applied {
    applied.private = lifecycle::private_bytes(private);
    applied
}

/// Creates a revision of the planned name with the planned settings and
/// tags, through [`calls::create_or_adopt`]: when the answer is lost, the
/// revisions of the name are compared with those listed before, and a new
/// one with the planned settings is adopted instead of making another.
/// (Anyone else making a revision with the same settings of the same name
/// at the same moment is not a case worth guarding against.)
async fn create_revision(
    ctx: &Ctx<AppRunner>,
    planned: &Value,
) -> Result<AutoScalingConfiguration, RevisionFailed> {
    let provider = ctx.provider();
    let tags = lifecycle::planned_tags(planned);
    let region = region::of(provider, planned);
    let planned = AutoScalingModel::of(planned)?;
    let name = planned.name();
    let settings = planned.to_api();
    let before = revision_arns::<AutoScaling>(provider, region, name).await?;
    create(
        ctx,
        "CreateAutoScalingConfiguration",
        "configuration",
        name,
        CREATE_BOUND,
        || create_once(provider, region, name, settings, tags.clone()),
        || {
            find_made::<AutoScaling>(provider, region, name, &before, |asc| {
                Settings::of(asc) == settings
            })
        },
    )
    .await
    .map_err(|failed| RevisionFailed {
        made: failed.made,
        diagnostics: failed.diagnostic.into(),
    })
}

/// A revision create that failed; `made` is the revision when it was made
/// all the same (found after an interrupted create): it belongs in state.
struct RevisionFailed {
    made: Option<AutoScalingConfiguration>,
    diagnostics: Diagnostics,
}

impl From<Diagnostics> for RevisionFailed {
    fn from(diagnostics: Diagnostics) -> Self {
        RevisionFailed {
            made: None,
            diagnostics,
        }
    }
}

impl From<Diagnostic> for RevisionFailed {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::from(d).into()
    }
}

/// Bound on creating a revision (the type has no `timeouts`).
const CREATE_BOUND: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Deletes the superseded revisions `arns` that nothing uses; the others
/// are returned as held and, with `superseded_by`, marked so that whatever
/// stops using them later deletes them (see apprunner::superseded).
async fn retire(
    provider: &AppRunner,
    arns: Vec<String>,
    superseded_by: Option<&str>,
) -> (Vec<Held>, Diagnostics) {
    let mut held = Vec::new();
    let mut diags = Diagnostics::new();
    for arn in arns {
        if held.iter().any(|h: &Held| h.arn == arn) {
            continue;
        }
        let asc = match describe(provider, &arn).await {
            Ok(Some(asc)) => asc,
            Ok(None) => continue,
            Err(d) => {
                warn_all(&mut diags, d);
                held.push(Held {
                    reason: "could not be described".into(),
                    arn,
                });
                continue;
            }
        };
        let reason = if asc.has_associated_service() == Some(true) {
            Some("used by a service")
        } else if asc.is_default() == Some(true) {
            Some("the account's default auto scaling configuration")
        } else {
            None
        };
        if let Some(reason) = reason {
            if let Some(by) = superseded_by
                && let Err(d) = superseded::mark(provider, &arn, by).await
            {
                warn_all(&mut diags, d);
            }
            held.push(Held {
                reason: reason.into(),
                arn,
            });
            continue;
        }
        match delete(provider, &arn).await {
            Ok(Deleted::Done) => {}
            Ok(Deleted::Refused(d)) => held.push(Held {
                arn,
                reason: d.detail,
            }),
            Err(d) => {
                warn_all(&mut diags, d.into());
                held.push(Held {
                    arn,
                    reason: "could not be deleted".into(),
                });
            }
        }
    }
    (held, diags)
}

fn warn_all(out: &mut Diagnostics, diags: Diagnostics) {
    for d in diags.0 {
        out.push(Diagnostic::warning(
            d.summary,
            format!(
                "{}\nA superseded auto scaling configuration revision is kept for now; the next refresh or \
                 apply retries.",
                d.detail
            ),
        ));
    }
}

/// Sets the attributes App Runner decides; `with_settings` also the
/// settings (on read: a create or update keeps the planned ones).
fn fill(
    state: &mut Value,
    asc: &AutoScalingConfiguration,
    with_settings: bool,
) -> Result<(), Diagnostic> {
    let mut attributes = AutoScalingAttributes::from(asc);
    if !with_settings {
        attributes.max_concurrency = None;
        attributes.max_size = None;
        attributes.min_size = None;
    }
    let revision = RevisionState {
        attributes,
        auto_scaling_configuration_name: asc.auto_scaling_configuration_name().map(str::to_string),
        auto_scaling_configuration_revision: asc.auto_scaling_configuration_revision(),
    };
    super::write_model(state, &schema(), &revision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_state_round_trips_and_is_never_empty() {
        let p = Private {
            superseded: vec!["arn:a".into()],
        };
        let decode = lifecycle::private_of::<Private>;
        assert_eq!(decode(&lifecycle::private_bytes(&p)), p);
        assert!(!lifecycle::private_bytes(&Private::default()).is_empty());
        assert_eq!(decode(b""), Private::default());
        assert_eq!(decode(b"not json"), Private::default());
    }

    #[test]
    fn only_settings_make_a_new_revision() {
        let value = |mc: i64, tag: &str, max_size: Value| {
            Value::Object(
                [
                    ("max_concurrency".to_string(), Value::from(mc)),
                    ("max_size".to_string(), max_size),
                    ("min_size".to_string(), Value::from(1)),
                    ("tags".to_string(), Value::string_map([("k", tag)])),
                ]
                .into(),
            )
            .conform(&schema().implied_type())
            .unwrap()
        };
        let v = |mc: i64, tag: &str| AutoScalingModel::of(&value(mc, tag, 10.into())).unwrap();
        assert!(!settings_change(&v(50, "a"), &v(50, "b")));
        assert!(settings_change(&v(50, "a"), &v(60, "a")));
        let unknown = AutoScalingModel::of(&value(50, "a", Value::unknown())).unwrap();
        assert!(settings_change(&v(50, "a"), &unknown));
    }
}
