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
use aws_sdk_apprunner::types::{ObservabilityConfiguration, TraceConfiguration, TracingVendor};

use crate::plugin::Listed;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentitySchema,
    NestedBlock, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::listing;
use crate::provider::{AppRunner, calls, region, tags};
use crate::resources::auto_scaling_configuration_version::{
    APP_RUNNER_DEFAULT, revisioned_list_schema,
};
use crate::resources::auto_scaling_configuration_version::{NAME_PATTERN, NAME_RULE};

pub struct ObservabilityConfigurationResource;

/// Tracing vendors App Runner knows (the API model's `TracingVendor`).
pub const VENDORS: &[&str] = &["AWSXRAY"];

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "One revision of an App Runner observability configuration. Revisions are immutable: changing \
                 the name or the trace configuration replaces it; tags change in place.",
            )
            .attribute(
                Attribute::string("observability_configuration_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, NAME_RULE))
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
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of this revision."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
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

    fn list_schema(&self) -> Option<Schema> {
        Some(revisioned_list_schema("observability configuration"))
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
                    .list_observability_configurations()
                    .set_observability_configuration_name(
                        config.attr("name").as_str().map(str::to_string),
                    )
                    .set_latest_only(config.attr("latest_only").as_bool())
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        Diagnostics::from(api_error(
                            "ListObservabilityConfigurations",
                            in_region,
                            e,
                        ))
                    })?;
                let arns = page
                    .observability_configuration_summary_list()
                    .iter()
                    .filter(|c| {
                        let name = c.observability_configuration_name().unwrap_or_default();
                        name != APP_RUNNER_DEFAULT && listing::has_prefix(config, name)
                    })
                    .filter_map(|c| c.observability_configuration_arn().map(str::to_string))
                    .collect();
                Ok((arns, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, arns, |s| {
            format!(
                "{} revision {}",
                s.attr("observability_configuration_name")
                    .as_str()
                    .unwrap_or_default(),
                s.attr("observability_configuration_revision")
                    .as_i64()
                    .unwrap_or_default()
            )
        })
        .await
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let p = &req.planned;
        let name = p
            .attr("observability_configuration_name")
            .as_str()
            .unwrap_or_default();
        let client = provider.client_in(region::of(provider, p));
        // A request whose answer was lost made a revision nobody would
        // learn of: it is the new one, among the name's revisions listed
        // before, with the planned trace configuration.
        let before = match revision_arns(&client, name).await {
            Ok(arns) => arns,
            Err(d) => return Applied::failed(d),
        };
        let trace = trace_to_api(p.attr("trace_configuration"));
        let request = client
            .create_observability_configuration()
            .observability_configuration_name(name)
            .set_trace_configuration(trace.clone())
            .set_tags(tags::to_api(p.attr("tags_all")));
        let created = calls::create_or_adopt(
            ctx,
            "CreateObservabilityConfiguration",
            name,
            CREATE_BOUND,
            || {
                let request = request.clone();
                async move {
                    request
                        .customize()
                        .config_override(calls::one_attempt())
                        .send()
                        .await
                        .map(|out| out.observability_configuration().cloned())
                }
            },
            || async {
                let mut made = Vec::new();
                let arns = revision_arns(&client, name).await.map_err(first)?;
                for arn in arns {
                    if before.contains(&arn) {
                        continue;
                    }
                    if let Some(c) = describe(provider, &arn).await.map_err(first)?
                        && c.trace_configuration().map(|t| t.vendor())
                            == trace.as_ref().map(|t| t.vendor())
                    {
                        made.push(c);
                    }
                }
                Ok(made
                    .into_iter()
                    .max_by_key(|c| c.observability_configuration_revision())
                    .map(Some))
            },
        )
        .await;
        let kept = match created {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner CreateObservabilityConfiguration returned no configuration",
                    format!("Creating {name} gave an empty answer."),
                ));
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let mut state = req.planned.clone();
        fill(&mut state, &kept);
        Applied::ok(state)
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let arn = req
            .state
            .attr("arn")
            .as_str()
            .or(req.state.attr("id").as_str())
            .unwrap_or_default()
            .to_string();
        let c = match describe(provider, &arn).await {
            Ok(Some(c)) => c,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        fill(&mut state, &c);
        state.set_attr(
            "trace_configuration",
            trace_from_api(c.trace_configuration()),
        );
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, &req.state, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let arn = req
            .prior
            .attr("arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        // Everything else replaces the resource; only tags reach here.
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
        match describe(provider, &arn).await {
            Ok(Some(c)) => {
                fill(&mut state, &c);
                Applied::ok(state)
            }
            Ok(None) => Applied::failed(Diagnostic::error(
                "Observability configuration disappeared",
                format!("{arn} was deleted outside Terraform while its tags were updated."),
            )),
            Err(d) => Applied::partial(req.prior, d),
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = state.attr("arn").as_str().unwrap_or_default();
        match provider
            .client_for_arn(arn)
            .delete_observability_configuration()
            .observability_configuration_arn(arn)
            .send()
            .await
        {
            Ok(_) => Diagnostics::new(),
            Err(e) if is_not_found(&e) => Diagnostics::new(),
            Err(e) => api_error("DeleteObservabilityConfiguration", arn, e).into(),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let id = crate::provider::arns::import_id(
            id,
            "observabilityconfiguration",
            "the ARN of an observability configuration revision (arn:aws:apprunner:REGION:ACCOUNT:observabilityconfiguration/NAME/REVISION/ID)",
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

/// ARNs of the active revisions of `name`.
async fn revision_arns(
    client: &aws_sdk_apprunner::Client,
    name: &str,
) -> Result<Vec<String>, Diagnostics> {
    listing::pages(usize::MAX, |token| async move {
        let out = client
            .list_observability_configurations()
            .observability_configuration_name(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                Diagnostics::from(api_error("ListObservabilityConfigurations", name, e))
            })?;
        let arns = out
            .observability_configuration_summary_list()
            .iter()
            .filter_map(|c| c.observability_configuration_arn().map(str::to_string))
            .collect();
        Ok((arns, out.next_token().map(str::to_string)))
    })
    .await
}

/// Describes a revision; `None` when it no longer exists.
pub(crate) async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ObservabilityConfiguration>, Diagnostics> {
    match provider
        .client_for_arn(arn)
        .describe_observability_configuration()
        .observability_configuration_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .observability_configuration()
            .filter(|c| {
                !c.status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("inactive"))
            })
            .cloned()),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error("DescribeObservabilityConfiguration", arn, e).into()),
    }
}

/// The `trace_configuration` block as the API takes it.
/// Bound on creating a revision (the type has no `timeouts`).
const CREATE_BOUND: std::time::Duration = std::time::Duration::from_secs(5 * 60);

fn first(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}

fn trace_to_api(block: &Value) -> Option<TraceConfiguration> {
    let first = block.as_elements()?.first()?;
    let vendor = first.attr("vendor").as_str()?;
    TraceConfiguration::builder()
        .vendor(TracingVendor::from(vendor))
        .build()
        .ok()
}

/// The `trace_configuration` block (a list of at most one) from the API.
pub(crate) fn trace_from_api(trace: Option<&TraceConfiguration>) -> Value {
    Value::List(
        trace
            .map(|t| {
                Value::Object(
                    [(
                        "vendor".to_string(),
                        Value::from(t.vendor().as_str().to_string()),
                    )]
                    .into(),
                )
            })
            .into_iter()
            .collect(),
    )
}

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, c: &ObservabilityConfiguration) {
    let arn = c.observability_configuration_arn().unwrap_or_default();
    state.set_attr("arn", arn.into());
    state.set_attr("id", arn.into());
    if let Some(r) = region::from_arn(arn) {
        state.set_attr("region", r.into());
    }
    if let Some(name) = c.observability_configuration_name() {
        state.set_attr("observability_configuration_name", name.into());
    }
    state.set_attr(
        "observability_configuration_revision",
        c.observability_configuration_revision().into(),
    );
    state.set_attr("latest", c.latest().into());
    state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
}
