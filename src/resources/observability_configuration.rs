//! `apprunner_observability_configuration`: one revision of an App Runner
//! observability configuration, as `aws_apprunner_observability_configuration`.
//!
//! Revisions are immutable: the name and `trace_configuration` replace the
//! resource (the AWS provider accepts a `trace_configuration` change and
//! never sends it, so it comes back on every plan); tags change in place.
//! A create whose answer was lost leaves one revision: the one it made is
//! adopted.
//! Import by ARN.

use async_trait::async_trait;
use aws_sdk_apprunner::types::ObservabilityConfiguration;
use serde::{Deserialize, Serialize};

use crate::apprunner::create::create;
use crate::apprunner::observability_configuration::{
    Observability, ObservabilityAttributes, Trace, VENDORS, create_once, delete, describe,
};
use crate::apprunner::revisions::{NAME_PATTERN, NAME_RULE, find_made, revision_arns};
use crate::plugin::model::Field;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentitySchema,
    ListResource, NestedBlock, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{RegionQuery, RegionalList};
use crate::provider::{AppRunner, attributes, lifecycle, listing, region, tags};

pub struct ObservabilityConfigurationResource;

/// What the resource reads of its plan or state.
#[derive(Deserialize)]
struct ObservabilityModel {
    observability_configuration_name: Field<String>,
    observability_configuration_revision: Field<i64>,
    trace_configuration: Field<Vec<Trace>>,
}

impl ObservabilityModel {
    fn name(&self) -> &str {
        self.observability_configuration_name
            .as_deref()
            .unwrap_or_default()
    }

    /// "NAME revision N", for lists.
    fn display(state: &Value) -> String {
        let m = ObservabilityModel::of(state).ok();
        format!(
            "{} revision {}",
            m.as_ref().map(Self::name).unwrap_or_default(),
            m.as_ref()
                .and_then(|m| m.observability_configuration_revision.known().copied())
                .unwrap_or_default()
        )
    }
}

/// The attributes App Runner decides, under the resource's names.
#[derive(Serialize)]
struct RevisionState {
    #[serde(flatten)]
    attributes: ObservabilityAttributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    observability_configuration_name: Option<String>,
    observability_configuration_revision: i32,
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "One revision of an App Runner observability configuration. Revisions are immutable: changing \
                 the name or the trace configuration replaces it; tags change in place.",
            )
            .attribute(
                attributes::name("observability_configuration_name", 32, NAME_PATTERN, NAME_RULE)
                    .required()
                    .requires_replace()
                    .description("Name of the configuration; App Runner numbers its revisions."),
            )
            .block(
                NestedBlock::list(
                    "trace_configuration",
                    Block::new()
                        .description("Tracing of the services that use this configuration.")
                        .attribute(
                            Attribute::string("vendor")
                                .required()
                                .validate(v::one_of(VENDORS))
                                .description("Tracing vendor: `AWSXRAY`."),
                        ),
                )
                .max_items(1)
                .requires_replace(),
            )
            .attributes(attributes::regional_tagged("ARN of this revision.", "arn"))
            .attribute(
                Attribute::int("observability_configuration_revision")
                    .computed()
                    .keep_prior()
                    .description("Revision number App Runner gave this configuration."),
            )
            .attribute(Attribute::bool("latest").computed().description("Whether this is the newest revision of the name."))
            .attribute(Attribute::string("status").computed().description("`ACTIVE`, or `INACTIVE` once deleted.")),
    )
}

#[async_trait]
impl Resource<AppRunner> for ObservabilityConfigurationResource {
    fn type_name(&self) -> &'static str {
        "apprunner_observability_configuration"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn(
            "ARN of the observability configuration revision.",
        ))
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut crate::plugin::Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(ObservabilityModel::of(&req.planned), Applied::failed);
        let name = planned.name();
        let region = region::of(provider, &req.planned);
        // A request whose answer was lost made a revision nobody would
        // learn of: it is the new one, among the name's revisions listed
        // before, with the planned trace configuration.
        let before = match revision_arns::<Observability>(provider, region, name).await {
            Ok(arns) => arns,
            Err(d) => return Applied::failed(d),
        };
        let trace = planned
            .trace_configuration
            .known()
            .and_then(|t| t.first())
            .and_then(Trace::to_api);
        let tags = lifecycle::planned_tags(&req.planned);
        let created = create(
            ctx,
            "CreateObservabilityConfiguration",
            "configuration",
            name,
            CREATE_BOUND,
            || create_once(provider, region, name, trace.clone(), tags.clone()),
            || {
                find_made::<Observability>(provider, region, name, &before, |c| {
                    c.trace_configuration().map(|t| t.vendor())
                        == trace.as_ref().map(|t| t.vendor())
                })
            },
        )
        .await;
        match lifecycle::created_state(&req.planned, created, |state, c| fill(state, c, false)) {
            Ok((state, _)) => Applied::ok(state),
            Err(applied) => *applied,
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        lifecycle::read_by_arn(ctx.provider(), &req.state, describe, |state, c| {
            fill(state, c, true)
        })
        .await
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let arn = crate::or_return!(lifecycle::arn_of(&req.prior), Applied::failed);
        // Everything else replaces the resource; only tags reach here.
        if let Err(d) = lifecycle::update_tags(provider, &arn, &req).await {
            return Applied::failed(d);
        }
        let found = describe(provider, &arn).await;
        let title = "Observability configuration";
        lifecycle::after_tag_update(req.prior, req.planned, &arn, found, title, |state, c| {
            fill(state, c, false)
        })
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = crate::or_return!(lifecycle::arn_of(state), Diagnostics::from);
        match delete(provider, &arn).await {
            Ok(()) => Diagnostics::new(),
            Err(d) => d.into(),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        super::import_by_arn(
            &schema(),
            id,
            "observabilityconfiguration",
            "the ARN of an observability configuration revision (arn:aws:apprunner:REGION:ACCOUNT:observabilityconfiguration/NAME/REVISION/ID)",
        )
    }
}

#[async_trait]
impl RegionalList for ObservabilityConfigurationResource {
    fn filters(&self) -> Block {
        super::revisioned_list_filters("observability configuration")
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        super::listed_revisions::<Observability>(query).await
    }

    fn display_name(&self, state: &Value) -> String {
        ObservabilityModel::display(state)
    }
}

/// Bound on creating a revision (the type has no `timeouts`).
const CREATE_BOUND: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Sets the attributes App Runner decides; `with_trace` also the trace
/// configuration (on read: a create or update keeps the planned one).
fn fill(
    state: &mut Value,
    c: &ObservabilityConfiguration,
    with_trace: bool,
) -> Result<(), Diagnostic> {
    let mut attributes = ObservabilityAttributes::from(c);
    if !with_trace {
        attributes.trace_configuration = None;
    }
    let revision = RevisionState {
        attributes,
        observability_configuration_name: c.observability_configuration_name().map(str::to_string),
        observability_configuration_revision: c.observability_configuration_revision(),
    };
    super::write_model(state, &schema(), &revision)
}
